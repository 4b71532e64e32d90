//! A last pass over a solution of the core: exchanges between served and unserved jobs that keep
//! the served priority and lower the cost, and relocations of served jobs. The weekly planner runs
//! it on each routing solve of a cycle (`planning/routing.rs`).
//!
//! When a week is over-subscribed, many visits of the same priority compete for the same
//! hours. The core's ruin-and-recreate reinserts the visits it removed in a random or
//! geometric order that ignores priority, so which of two equal visits ends up in a day is
//! mostly the order's doing; a far visit kept over a near one of the same priority costs the
//! day its drive, and nothing in the search undoes it unless both are removed together. This
//! pass tries, for every unserved visit, to take the place of a served one of no higher
//! priority (the one taken out going to another day when one has room), and keeps each exchange
//! that lowers the objective; it ends when a round finds none. Priority comes first in the
//! objective, so no exchange lowers the served priority.

use super::{State, UNROUTED};
use crate::export::export;
use crate::index::Index;
use crate::model::Problem;
use crate::route::RouteState;
use crate::solution::{Solution, StopKind, UnservedReason};

/// Rounds of exchanges at most; each keeps lowering the objective, so this only bounds a
/// pathological case.
const MAX_ROUNDS: usize = 20;

/// The core's `solution` of `problem`, with every exchange that lowers its objective made; the
/// solution as it was when it cannot be read back exactly or nothing improves.
pub(crate) fn last_pass(problem: &Problem, solution: Solution) -> Solution {
    let Ok(index) = Index::new(problem) else {
        return solution;
    };
    let Some(mut state) = read_back(&index, &solution) else {
        return solution;
    };
    let before = state.objective;
    for _ in 0..MAX_ROUNDS {
        let exchanged = exchange_round(&index, &mut state);
        let relocated = relocate_round(&index, &mut state);
        if !exchanged && !relocated {
            break;
        }
    }
    if state.objective >= before {
        return solution;
    }
    let mut reasons: Vec<Option<UnservedReason>> = vec![None; index.n_jobs];
    for missed in &solution.unserved {
        reasons[missed.job.get()] = Some(missed.reason);
    }
    export(problem, &index, &state, &reasons)
}

/// The search state of `solution`: each route with its jobs and breaks in their order, each
/// unserved job unserved; `None` if a route does not come out as feasible.
fn read_back(index: &Index, solution: &Solution) -> Option<State> {
    let mut state = State::empty(index, &[]);
    for route in &solution.routes {
        let v = route.vehicle.get();
        let nodes = route
            .stops
            .iter()
            .map(|stop| match stop.kind {
                StopKind::Job(job) => Some(job.0),
                StopKind::Break(b) => index.vehicles[v].breaks.get(b as usize).copied(),
            })
            .collect::<Option<Vec<u32>>>()?;
        for &node in &nodes {
            if !index.is_break(node) {
                state.route_of[node as usize] = v as u32;
            }
        }
        let slot = state.routes.get_mut(v)?;
        slot.nodes = nodes;
        slot.update(index);
        if !slot.feasible {
            return None;
        }
    }
    state.unserved = solution.unserved.iter().map(|u| u.job.0).collect();
    state.refresh_objective(index);
    Some(state)
}

/// An exchange: `replacement` (unserved) goes into route `route`; `job`, if any, leaves that
/// route for `elsewhere` (route, position) or out of the plan.
struct Exchange {
    route: usize,
    job: Option<u32>,
    replacement: u32,
    /// The replacement's position in the route without `job`.
    at: usize,
    elsewhere: Option<(usize, usize)>,
    /// Change of the objective.
    delta: i64,
}

/// Tries every unserved job, most important first, in the place of each served job of no
/// greater weight; makes the best exchange for each. Returns whether any was made.
fn exchange_round(index: &Index, state: &mut State) -> bool {
    let mut pending = state.unserved.clone();
    pending.sort_by_key(|&j| (std::cmp::Reverse(index.unserved_weight[j as usize]), j));
    let mut elsewhere = Elsewhere::new(index.n_jobs);
    let mut improved = false;
    for replacement in pending {
        if state.route_of[replacement as usize] != UNROUTED {
            continue;
        }
        if let Some(exchange) = best_exchange(index, state, &mut elsewhere, replacement) {
            apply(index, state, &exchange);
            elsewhere = Elsewhere::new(index.n_jobs);
            improved = true;
        }
    }
    improved
}

/// The cheapest place of each served job in a route other than its own, computed once per
/// state: (route, position, cost change), `None` inside when no other route has room.
struct Elsewhere(Vec<Option<Option<(usize, usize, i64)>>>);

impl Elsewhere {
    fn new(n_jobs: usize) -> Self {
        Elsewhere(vec![None; n_jobs])
    }

    fn of(&mut self, index: &Index, state: &State, job: u32) -> Option<(usize, usize, i64)> {
        *self.0[job as usize].get_or_insert_with(|| {
            best_elsewhere(index, state, state.route_of[job as usize] as usize, job)
        })
    }
}

/// Moves each served job to the cheapest place in another route, or elsewhere in its own,
/// when that lowers the cost. Returns whether any move was made.
fn relocate_round(index: &Index, state: &mut State) -> bool {
    let mut elsewhere = Elsewhere::new(index.n_jobs);
    let mut improved = false;
    for r in 0..state.routes.len() {
        let jobs: Vec<u32> = (state.routes[r].nodes.iter())
            .copied()
            .filter(|&n| !index.is_break(n))
            .collect();
        for job in jobs {
            let route = &state.routes[r];
            let mut without = route.clone();
            without.nodes.retain(|&n| n != job);
            without.update(index);
            if !without.feasible {
                continue;
            }
            let saving = route.cost - without.cost;
            let within = without
                .best_insertion(index, job, || false)
                .filter(|found| found.delta < saving);
            let moved = elsewhere
                .of(index, state, job)
                .filter(|&(_, _, cost)| cost < saving && within.is_none_or(|w| cost < w.delta));
            let target = match (moved, within) {
                (Some((to, pos, _)), _) => Some((to, pos)),
                (None, Some(found)) => Some((r, found.pos)),
                (None, None) => None,
            };
            let Some((to, pos)) = target else {
                continue;
            };
            state.routes[r] = without;
            state.routes[to].insert(index, pos, job);
            state.route_of[job as usize] = to as u32;
            state.refresh_objective(index);
            elsewhere = Elsewhere::new(index.n_jobs);
            improved = true;
        }
    }
    improved
}

/// The exchange that lowers the objective most for `replacement`, if any does: its plain
/// insertion when some route has room, else taking the place of a served job.
fn best_exchange(
    index: &Index,
    state: &State,
    elsewhere: &mut Elsewhere,
    replacement: u32,
) -> Option<Exchange> {
    let gain = index.unserved_weight[replacement as usize];
    if let Some((to, pos, cost)) = best_elsewhere(index, state, usize::MAX, replacement)
        && cost < gain
    {
        return Some(Exchange {
            route: to,
            job: None,
            replacement,
            at: pos,
            elsewhere: None,
            delta: cost - gain,
        });
    }
    let mut best: Option<Exchange> = None;
    for (r, route) in state.routes.iter().enumerate() {
        if route.is_empty() || !index.compatible(replacement as usize, route.vehicle) {
            continue;
        }
        for &job in &route.nodes {
            if index.is_break(job) {
                continue;
            }
            let loss = index.unserved_weight[job as usize];
            if loss > gain {
                continue;
            }
            let mut without = route.clone();
            without.nodes.retain(|&n| n != job);
            without.update(index);
            if !without.feasible || !without.can_take(index, replacement) {
                continue;
            }
            let Some(insertion) = without.best_insertion(index, replacement, || false) else {
                continue;
            };
            let here = without.cost + insertion.delta - route.cost;
            let moved = elsewhere.of(index, state, job);
            let delta = match moved {
                Some((_, _, cost)) => here + cost - gain,
                None => here + loss - gain,
            };
            if delta < 0 && best.as_ref().is_none_or(|b| delta < b.delta) {
                best = Some(Exchange {
                    route: r,
                    job: Some(job),
                    replacement,
                    at: insertion.pos,
                    elsewhere: moved.map(|(to, pos, _)| (to, pos)),
                    delta,
                });
            }
        }
    }
    best
}

/// The cheapest place for `job` in a route other than `from`: (route, position, cost change).
fn best_elsewhere(
    index: &Index,
    state: &State,
    from: usize,
    job: u32,
) -> Option<(usize, usize, i64)> {
    let mut best: Option<(usize, usize, i64)> = None;
    for (r, route) in state.routes.iter().enumerate() {
        if r == from || !route.can_take(index, job) {
            continue;
        }
        if let Some(found) = route.best_insertion(index, job, || false)
            && best.is_none_or(|(_, _, cost)| found.delta < cost)
        {
            best = Some((r, found.pos, found.delta));
        }
    }
    best
}

/// Makes `exchange` in `state`.
fn apply(index: &Index, state: &mut State, exchange: &Exchange) {
    let route: &mut RouteState = &mut state.routes[exchange.route];
    if let Some(job) = exchange.job {
        route.nodes.retain(|&n| n != job);
    }
    route.insert(index, exchange.at, exchange.replacement);
    state.route_of[exchange.replacement as usize] = exchange.route as u32;
    state.unserved.retain(|&j| j != exchange.replacement);
    match (exchange.job, exchange.elsewhere) {
        (Some(job), Some((to, pos))) => {
            state.routes[to].insert(index, pos, job);
            state.route_of[job as usize] = to as u32;
        }
        (Some(job), None) => {
            state.route_of[job as usize] = UNROUTED;
            state.unserved.push(job);
        }
        (None, _) => {}
    }
    state.refresh_objective(index);
}

#[cfg(test)]
mod tests {
    use crate::model::{JobIdx, Problem, VehicleIdx};
    use crate::solution::{Solution, StopKind};
    use crate::tests::one_slot;
    use crate::{Control, SolverConfig, check, solve_from};

    use super::last_pass;

    /// The core's answer when the search starts from the far visit and makes no move: what a
    /// search that never reinserts both visits together ends with.
    fn far_served(problem: &Problem) -> Solution {
        let config = SolverConfig {
            iterations: Some(0),
            ..SolverConfig::default()
        };
        let start = [(VehicleIdx(0), vec![JobIdx(1)])];
        match solve_from(problem, &start, &config, &Control::default()) {
            Ok(solution) => solution,
            Err(error) => panic!("solve failed: {error}"),
        }
    }

    fn served(solution: &Solution) -> Vec<u32> {
        (solution.routes.iter())
            .flat_map(|r| &r.stops)
            .filter_map(|s| match s.kind {
                StopKind::Job(job) => Some(job.0),
                StopKind::Break(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_near_unserved_visit_of_equal_priority_takes_the_place_of_a_far_one() {
        let problem = one_slot(50, 50);
        let start = far_served(&problem);
        assert_eq!(served(&start), [1]);
        let polished = last_pass(&problem, start.clone());
        assert_eq!(served(&polished), [0]);
        assert_eq!(polished.value.unserved_priority, 50);
        assert!(polished.value.cost < start.value.cost);
        assert!(check(&problem, &polished).is_empty());
    }

    #[test]
    fn a_served_visit_is_never_given_up_for_one_of_lower_priority() {
        let problem = one_slot(49, 50);
        let start = far_served(&problem);
        assert_eq!(served(&last_pass(&problem, start)), [1]);
    }
}
