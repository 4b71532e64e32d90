//! Tail exchange (2-opt*) local search: cut two routes and swap their tails, priced in O(1)
//! from the cached schedules.
//!
//! Route `a` keeps its first `i` stops and takes the stops of `b` after its first `j`, and
//! the other way round. The O(1) check needs both vehicles to end alike (profile, end location,
//! shift end), to allow the same jobs, and to have no breaks and no duration cost or limit;
//! other pairs are left alone.

use super::state::State;
use crate::index::Index;
use crate::route::RouteState;

/// One improving exchange.
#[derive(Debug, Clone, Copy)]
struct Exchange {
    a: usize,
    b: usize,
    i: usize,
    j: usize,
    gain: i64,
}

fn eligible(index: &Index, a: &RouteState, b: &RouteState) -> bool {
    let (va, vb) = (&index.vehicles[a.vehicle], &index.vehicles[b.vehicle]);
    va.profile == vb.profile
        && va.end == vb.end
        && va.shift.1 == vb.shift.1
        && va.job_class == vb.job_class
        && va.breaks.is_empty()
        && vb.breaks.is_empty()
        && !va.duration_matters
        && !vb.duration_matters
}

/// Cost of route `a` cut after position `i` and continued with `b` after position `j`, or
/// `None` if infeasible. Assumes [`eligible`].
fn joined_cost(index: &Index, a: &RouteState, i: usize, b: &RouteState, j: usize) -> Option<i64> {
    let vehicle = &index.vehicles[a.vehicle];
    let matrices = &index.matrices[vehicle.profile];
    let from = &a.slots[i];
    let next = b.slots[j + 1].own;
    let arrival = from.depart + matrices.duration(from.loc, next);
    if arrival > b.slots[j + 1].latest {
        return None;
    }
    let tasks = i + (b.nodes.len() - j);
    if tasks > vehicle.max_tasks {
        return None;
    }
    let dims = index.dims;
    let (b_end, a_end) = (b.end() * dims, i * dims);
    for d in 0..dims {
        let load =
            a.prefix_load[a_end + d] + b.prefix_load[b_end + d] - b.prefix_load[j * dims + d];
        if load > vehicle.capacity[d] {
            return None;
        }
    }
    let b_last = &b.slots[b.end()];
    let distance = from.distance + matrices.distance(from.loc, next) + b_last.distance
        - b.slots[j + 1].distance;
    let travel =
        from.travel + matrices.duration(from.loc, next) + b_last.travel - b.slots[j + 1].travel;
    if distance > vehicle.max_distance || travel > vehicle.max_travel {
        return None;
    }
    Some(if tasks == 0 {
        0
    } else {
        vehicle.fixed + index.vehicle_weight + vehicle.per_distance * distance
    })
}

fn route_value(index: &Index, route: &RouteState) -> i64 {
    if route.is_empty() {
        0
    } else {
        route.cost + index.vehicle_weight
    }
}

fn best_exchange(index: &Index, state: &State, changed: &[bool]) -> Option<Exchange> {
    let mut best: Option<Exchange> = None;
    let routes = &state.routes;
    for a in 0..routes.len() {
        if routes[a].is_empty() {
            continue;
        }
        for b in a + 1..routes.len() {
            if routes[b].is_empty()
                || !(changed[a] || changed[b])
                || !eligible(index, &routes[a], &routes[b])
            {
                continue;
            }
            let before = route_value(index, &routes[a]) + route_value(index, &routes[b]);
            for i in 0..routes[a].end() {
                for j in 0..routes[b].end() {
                    let Some(first) = joined_cost(index, &routes[a], i, &routes[b], j) else {
                        continue;
                    };
                    let Some(second) = joined_cost(index, &routes[b], j, &routes[a], i) else {
                        continue;
                    };
                    let gain = before - first - second;
                    if gain > 0 && best.is_none_or(|e| gain > e.gain) {
                        best = Some(Exchange { a, b, i, j, gain });
                    }
                }
            }
        }
    }
    best
}

/// Applies best-improvement tail exchanges until none improves (at most `rounds` of them),
/// looking only at pairs with a route marked in `changed`; exchanged routes become marked.
pub(crate) fn exchange_tails(
    index: &Index,
    state: &mut State,
    rounds: usize,
    changed: &mut [bool],
) {
    for _ in 0..rounds {
        let Some(e) = best_exchange(index, state, changed) else {
            break;
        };
        let tail_a = state.routes[e.a].nodes.split_off(e.i);
        let tail_b = state.routes[e.b].nodes.split_off(e.j);
        state.routes[e.a].nodes.extend(tail_b);
        state.routes[e.b].nodes.extend(tail_a);
        for r in [e.a, e.b] {
            changed[r] = true;
            state.routes[r].update(index);
            for &node in &state.routes[r].nodes {
                if !index.is_break(node) {
                    state.route_of[node as usize] = r as u32;
                }
            }
        }
        state.refresh_objective(index);
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    use super::{eligible, exchange_tails, joined_cost};
    use crate::index::Index;
    use crate::route::{RouteState, simulate};
    use crate::search::state::State;
    use crate::tests::generate::problem;

    /// Fills vehicle `v`'s route with random jobs wherever a full simulation says it still fits.
    fn random_route(
        index: &Index,
        v: usize,
        taken: &mut Vec<u32>,
        rng: &mut impl Rng,
    ) -> RouteState {
        let mut route = RouteState::new(index, v);
        for _ in 0..10 {
            let job = rng.random_range(0..index.n_jobs as u32);
            if taken.contains(&job) || !route.can_take(index, job) {
                continue;
            }
            let pos = rng.random_range(0..=route.nodes.len());
            if route.insertion_cost(index, job, pos).is_some() {
                route.insert(index, pos, job);
                taken.push(job);
            }
        }
        route
    }

    /// The O(1) price of every cut of every pair against a simulation of the joined route.
    #[test]
    fn joined_cost_matches_a_full_simulation() {
        let mut feasible = 0;
        for seed in 0..150 {
            let mut problem = problem(seed, 14, 1, false);
            let twin = problem.vehicles[0].clone();
            problem.vehicles.push(twin);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut taken = Vec::new();
            let a = random_route(&index, 0, &mut taken, &mut rng);
            let b = random_route(&index, 1, &mut taken, &mut rng);
            assert!(eligible(&index, &a, &b));
            let data = &index.vehicles[0];
            for i in 0..a.end() {
                for j in 0..b.end() {
                    let nodes: Vec<u32> =
                        a.nodes[..i].iter().chain(&b.nodes[j..]).copied().collect();
                    let summary = simulate(&index, 0, nodes.iter().copied());
                    let load: i64 = nodes.iter().map(|&n| index.demand(n as usize)[0]).sum();
                    let fits = summary.on_time
                        && load <= data.capacity[0]
                        && nodes.len() <= data.max_tasks;
                    let expected = match (fits, nodes.is_empty()) {
                        (false, _) => None,
                        (true, true) => Some(0),
                        (true, false) => Some(summary.cost + index.vehicle_weight),
                    };
                    assert_eq!(
                        joined_cost(&index, &a, i, &b, j),
                        expected,
                        "seed {seed} cut {i}/{j}"
                    );
                    feasible += usize::from(expected.is_some());
                }
            }
        }
        assert!(feasible > 500, "only {feasible} feasible cuts");
    }

    /// Tail exchanges between two vehicles that differ only in a skill never hand a job
    /// needing the skill to the vehicle without it.
    #[test]
    fn exchanges_keep_every_job_on_a_vehicle_allowed_to_serve_it() {
        for seed in 0..150 {
            let mut problem = problem(seed, 14, 1, false);
            let mut twin = problem.vehicles[0].clone();
            problem.vehicles[0].skills = vec!["ramp".to_string()];
            twin.skills.clear();
            problem.vehicles.push(twin);
            for job in problem.jobs.iter_mut().step_by(2) {
                job.skills = vec!["ramp".to_string()];
            }
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut taken = Vec::new();
            let routes = vec![
                random_route(&index, 0, &mut taken, &mut rng),
                random_route(&index, 1, &mut taken, &mut rng),
            ];
            let mut state = State::empty(&index, &[]);
            state.routes = routes;
            for (r, route) in state.routes.iter().enumerate() {
                for &job in &route.nodes {
                    state.route_of[job as usize] = r as u32;
                }
            }
            state.refresh_objective(&index);
            exchange_tails(&index, &mut state, 100, &mut [true, true]);
            for route in &state.routes {
                for &job in &route.nodes {
                    assert!(
                        index.compatible(job as usize, route.vehicle),
                        "seed {seed}: job {job} on vehicle {}",
                        route.vehicle
                    );
                }
            }
        }
    }
}
