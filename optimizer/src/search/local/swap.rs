//! Swap of one job with another route's job, placing `u` where the neighbour `v`, or the job
//! just before or after it, was.

use super::{At, Change, Local, Rebuild};
use crate::search::state::State;

/// The first improving swap of `u` (at `a`) with `v` or a job beside it (at `b`), between
/// different routes.
pub(super) fn swap(local: &Local<'_>, state: &State, a: At, b: At) -> Option<Change> {
    if a.route == b.route {
        return None;
    }
    let (ra, rb) = (&state.routes[a.route], &state.routes[b.route]);
    let u = ra.nodes[a.pos - 1];
    let last = rb.nodes.len();
    [b.pos, b.pos - 1, b.pos + 1]
        .into_iter()
        .filter(|&q| (1..=last).contains(&q))
        .find_map(|q| {
            let w = rb.nodes[q - 1];
            let gain = local.two(
                (
                    local.splice(state, a.route, a.pos - 1, a.pos + 1),
                    std::iter::once(w),
                ),
                (
                    local.splice(state, b.route, q - 1, q + 1),
                    std::iter::once(u),
                ),
            )?;
            Some(Change {
                rebuilds: vec![
                    Rebuild {
                        route: a.route,
                        keep_to: a.pos - 1,
                        middle: vec![w],
                        resume_at: a.pos + 1,
                    },
                    Rebuild {
                        route: b.route,
                        keep_to: q - 1,
                        middle: vec![u],
                        resume_at: q + 1,
                    },
                ],
                gain,
            })
        })
}
