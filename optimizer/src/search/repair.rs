//! Bringing a late candidate of a penalised search back to feasibility: the jobs at which a
//! route warps in time leave it, and are reinserted where they fit without warping.

use rand::Rng;

use super::recreate::recreate;
use super::state::{State, UNROUTED};
use crate::index::Index;

/// Takes out of every late route the jobs where it warps (the last job for a late return),
/// until no route warps, then reinserts them at feasible places only; a job that fits nowhere
/// stays unserved.
pub(crate) fn repair(index: &Index, state: &mut State, blink: f64, rng: &mut impl Rng) {
    for r in 0..state.routes.len() {
        while state.routes[r].time_warp > 0 {
            let late = late_jobs(&state.routes[r]);
            if late.is_empty() {
                break;
            }
            for &job in &late {
                state.route_of[job as usize] = UNROUTED;
                state.unserved.push(job);
            }
            let route = &mut state.routes[r];
            route.nodes.retain(|n| !late.contains(n));
            route.update(index);
        }
    }
    state.refresh_objective(index);
    recreate(index, state, usize::MAX, blink, None, rng);
}

/// The jobs of `route` at which its time warp grows (the last job when it grows at the end).
fn late_jobs(route: &crate::route::RouteState) -> Vec<u32> {
    let end = route.end();
    let mut late = Vec::new();
    for pos in 1..=end {
        if route.forward[pos].time_warp > route.forward[pos - 1].time_warp {
            let at = pos.min(route.nodes.len());
            if at > 0 && !late.contains(&route.nodes[at - 1]) {
                late.push(route.nodes[at - 1]);
            }
        }
    }
    late
}
