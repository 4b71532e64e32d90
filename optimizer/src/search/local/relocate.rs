//! Relocation of a string of one to three consecutive jobs (or-opt) next to a neighbour, in
//! another route or the same one.

use super::{At, Change, Local, Rebuild};
use crate::search::state::State;

/// Longest string of consecutive jobs moved at once.
const MAX_STRING: usize = 3;

/// The first improving relocation placing `u` (at `a`) next to `v` (at `b`): a string that
/// starts at `u` goes right after `v`, one that ends at `u` right before `v`.
pub(super) fn relocate(local: &Local<'_>, state: &State, a: At, b: At) -> Option<Change> {
    let len = state.routes[a.route].nodes.len();
    (1..=MAX_STRING).find_map(|n| {
        let after = (a.pos + n - 1 <= len)
            .then(|| string(local, state, a.route, a.pos, a.pos + n - 1, b.route, b.pos))
            .flatten();
        after.or_else(|| {
            (a.pos >= n)
                .then(|| {
                    string(
                        local,
                        state,
                        a.route,
                        a.pos + 1 - n,
                        a.pos,
                        b.route,
                        b.pos - 1,
                    )
                })
                .flatten()
        })
    })
}

/// Moves positions `first..=last` of route `from` after position `after` of route `to`, if that
/// improves.
fn string(
    local: &Local<'_>,
    state: &State,
    from: usize,
    first: usize,
    last: usize,
    to: usize,
    after: usize,
) -> Option<Change> {
    let nodes = &state.routes[from].nodes;
    let moved = &nodes[first - 1..last];
    if from != to {
        let gain = local.two(
            (
                local.splice(state, from, first - 1, last + 1),
                std::iter::empty(),
            ),
            (
                local.splice(state, to, after, after + 1),
                moved.iter().copied(),
            ),
        )?;
        return Some(Change {
            rebuilds: vec![
                Rebuild {
                    route: from,
                    keep_to: first - 1,
                    middle: Vec::new(),
                    resume_at: last + 1,
                },
                Rebuild {
                    route: to,
                    keep_to: after,
                    middle: moved.to_vec(),
                    resume_at: after + 1,
                },
            ],
            gain,
        });
    }
    // Within one route: the string and the jobs it jumps over change places. The route keeps
    // its jobs, so the distance alone decides, in O(1), whether to look further.
    if after + 1 >= first && after <= last
        || moved_distance(local, state, from, first, last, after) >= 0
    {
        return None;
    }
    let (keep_to, resume_at, run) = if after + 1 < first {
        (
            after,
            last + 1,
            moved.iter().chain(&nodes[after..first - 1]),
        )
    } else {
        (first - 1, after + 1, nodes[last..after].iter().chain(moved))
    };
    let run = run.copied();
    let gain = local.one(local.splice(state, from, keep_to, resume_at), run.clone())?;
    Some(Change {
        rebuilds: vec![Rebuild {
            route: from,
            keep_to,
            middle: run.collect(),
            resume_at,
        }],
        gain,
    })
}

/// Change of distance when positions `first..=last` of route `r` move after position `after`
/// of the same route (outside `first - 1..=last`): three arcs out, three in.
fn moved_distance(
    local: &Local<'_>,
    state: &State,
    r: usize,
    first: usize,
    last: usize,
    after: usize,
) -> i64 {
    let route = &state.routes[r];
    let matrices = &local.index.matrices[local.index.vehicles[route.vehicle].profile];
    let arc =
        |from: usize, to: usize| matrices.distance(route.slots[from].loc, route.slots[to].own);
    arc(first - 1, last + 1) + arc(after, first) + arc(last, after + 1)
        - arc(first - 1, first)
        - arc(last, last + 1)
        - arc(after, after + 1)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::moved_distance;
    use crate::route::simulate;
    use crate::search::local::Local;
    use crate::search::local::tests::{exact_problem, random_state};

    /// The O(1) distance change of a move within a route against a simulation of the result.
    #[test]
    fn moved_distance_matches_a_full_simulation() {
        let mut checked = 0;
        for seed in 0..100 {
            let Some((_, index)) = exact_problem(seed, 16) else {
                continue;
            };
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let state = random_state(&index, &mut rng);
            let local = Local::new(&index, &state);
            for (r, route) in state.routes.iter().enumerate() {
                let len = route.nodes.len();
                let old = simulate(&index, route.vehicle, route.nodes.iter().copied()).distance;
                for first in 1..=len {
                    for last in first..=(first + 2).min(len) {
                        for after in (0..=len).filter(|&a| a + 1 < first || a > last) {
                            let moved = &route.nodes[first - 1..last];
                            let mut nodes: Vec<u32> = route.nodes[..first - 1]
                                .iter()
                                .chain(&route.nodes[last..])
                                .copied()
                                .collect();
                            let at = if after < first {
                                after
                            } else {
                                after - moved.len()
                            };
                            nodes.splice(at..at, moved.iter().copied());
                            let new = simulate(&index, route.vehicle, nodes.into_iter()).distance;
                            assert_eq!(
                                moved_distance(&local, &state, r, first, last, after),
                                new - old,
                                "seed {seed} route {r} {first}..={last} after {after}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} moves");
    }
}
