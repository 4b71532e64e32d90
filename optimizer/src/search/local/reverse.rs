//! Intra-route 2-opt: reverse the jobs between `u` and its neighbour `v` so that the two become
//! adjacent, priced in O(length of the reversal).

use super::{At, Change, Local, Rebuild};
use crate::search::state::State;

/// Longest reversal tried: longer ones rarely meet the windows and cost their length to price.
const MAX_REVERSAL: usize = 32;

/// The reversal that makes `u` (at `a`) adjacent to `v` (at `b`) in the same route, if it
/// improves: positions `a + 1..=b` when `v` comes later (`u v …`), `b + 1..=a` when earlier
/// (`v u …`).
pub(super) fn reverse(local: &Local<'_>, state: &State, a: At, b: At) -> Option<Change> {
    if a.route != b.route {
        return None;
    }
    let (first, last) = if b.pos > a.pos {
        (a.pos + 1, b.pos)
    } else {
        (b.pos + 1, a.pos)
    };
    if last <= first || last - first + 1 > MAX_REVERSAL {
        return None;
    }
    let nodes = &state.routes[a.route].nodes;
    let run = nodes[first - 1..last].iter().rev().copied();
    let gain = local.one(
        local.splice(state, a.route, first - 1, last + 1),
        run.clone(),
    )?;
    Some(Change {
        rebuilds: vec![Rebuild {
            route: a.route,
            keep_to: first - 1,
            middle: run.collect(),
            resume_at: last + 1,
        }],
        gain,
    })
}
