//! Route elimination by an ejection pool (Nagata & Bräysy, 2009): empty one route, put its jobs
//! in a pool, and take them back one at a time (last in, first out), each at its cheapest
//! feasible place, or else by ejecting up to [`K_MAX`] jobs of one route whose ejection counters
//! sum least; after each step, [`perturb`] the routes with random feasible moves.
//!
//! Feasibility is exact only for vehicles without breaks and duration terms ([`applies`]); the
//! fleet phase keeps ruin and recreate for the others.

use rand::Rng;

use super::budget::Budget;
use super::perturb::perturb;
use super::squeeze::squeeze;
use super::state::{State, UNROUTED};
use crate::index::Index;
use crate::route::simulate;

/// Most jobs ejected to insert one.
const K_MAX: usize = 3;

/// Random moves tried after each pool step (Nagata & Bräysy's I_rand).
const MOVES: usize = 1_000;

/// Whether every vehicle is one the pool models exactly: no breaks, no duration cost or limit.
pub(crate) fn applies(index: &Index) -> bool {
    index
        .vehicles
        .iter()
        .all(|v| v.breaks.is_empty() && !v.duration_matters)
}

/// Tries to serve the jobs `best` serves with one route fewer, until the budget reaches `until`
/// (a share in `[0, 1]`). `counters` holds how often each job needed an ejection to get back in;
/// it carries over between calls. Returns the new solution, or `None` when time ran out.
pub(crate) fn eliminate(
    index: &Index,
    best: &State,
    counters: &mut [u64],
    budget: &mut Budget<'_>,
    until: f64,
    rng: &mut impl Rng,
) -> Option<State> {
    let load_weight = (index.mean_arc_cost.round() as i64).max(1);
    'attempts: loop {
        let used: Vec<usize> = (0..best.routes.len())
            .filter(|&r| !best.routes[r].is_empty())
            .collect();
        if used.len() < 2 {
            return None;
        }
        let (a, b) = (
            used[rng.random_range(0..used.len())],
            used[rng.random_range(0..used.len())],
        );
        let emptied = if best.routes[a].n_jobs <= best.routes[b].n_jobs {
            a
        } else {
            b
        };
        let mut state = best.clone();
        let mut pool: Vec<u32> = state.routes[emptied].nodes.clone();
        set_nodes(index, &mut state, emptied, Vec::new());
        while let Some(job) = pool.pop() {
            if budget.over() || budget.used() >= until {
                return None;
            }
            budget.done += 1;
            if !insert_cheapest(index, &mut state, job)
                && !squeeze(index, &mut state, job, load_weight)
            {
                counters[job as usize] += 1;
                let Some(ejected) = insert_ejecting(index, &mut state, job, counters, rng) else {
                    continue 'attempts;
                };
                pool.extend(ejected);
            }
            perturb(index, &mut state, MOVES, rng);
        }
        state.refresh_objective(index);
        return Some(state);
    }
}

/// Replaces the nodes of route `r` and records where its jobs are (a job that left it for a
/// route already set keeps that route).
pub(super) fn set_nodes(index: &Index, state: &mut State, r: usize, nodes: Vec<u32>) {
    for &job in &state.routes[r].nodes {
        if state.route_of[job as usize] == r as u32 {
            state.route_of[job as usize] = UNROUTED;
        }
    }
    state.routes[r].nodes = nodes;
    state.routes[r].update(index);
    for &job in &state.routes[r].nodes {
        state.route_of[job as usize] = r as u32;
    }
}

/// Inserts `job` at its cheapest feasible place in a used route; false when there is none.
fn insert_cheapest(index: &Index, state: &mut State, job: u32) -> bool {
    let mut best: Option<(usize, usize, i64)> = None;
    for (r, route) in state.routes.iter().enumerate() {
        if route.is_empty() || !route.can_take(index, job) {
            continue;
        }
        if let Some(found) = route.best_insertion(index, job, || false)
            && best.is_none_or(|b| found.delta < b.2)
        {
            best = Some((r, found.pos, found.delta));
        }
    }
    let Some((r, pos, _)) = best else {
        return false;
    };
    state.routes[r].insert(index, pos, job);
    state.route_of[job as usize] = r as u32;
    true
}

/// The least ejection found so far: counter sum, jobs ejected, route, new node sequence.
struct Ejection {
    sum: u64,
    ejected: Vec<u32>,
    route: usize,
    nodes: Vec<u32>,
}

/// Inserts `job` into a used route by ejecting one to [`K_MAX`] of its jobs, those whose
/// counters sum least (fewer jobs on ties); returns the ejected jobs, or `None` when no used
/// route takes `job` that way.
fn insert_ejecting(
    index: &Index,
    state: &mut State,
    job: u32,
    counters: &[u64],
    rng: &mut impl Rng,
) -> Option<Vec<u32>> {
    let n_routes = state.routes.len();
    let offset = rng.random_range(0..n_routes);
    let mut best: Option<Ejection> = None;
    let mut chosen = Vec::with_capacity(K_MAX);
    for k in 0..n_routes {
        let r = (offset + k) % n_routes;
        let route = &state.routes[r];
        if route.is_empty() || !index.compatible(job as usize, route.vehicle) {
            continue;
        }
        search_subsets(index, state, r, job, counters, 0, 0, &mut chosen, &mut best);
    }
    let found = best?;
    set_nodes(index, state, found.route, found.nodes);
    Some(found.ejected)
}

/// Depth-first walk over the sets of jobs of route `r` (indices into its nodes, increasing,
/// from `from` on) whose counters sum below the best found; each set is tried with `job` at
/// every position.
#[allow(clippy::too_many_arguments)]
fn search_subsets(
    index: &Index,
    state: &State,
    r: usize,
    job: u32,
    counters: &[u64],
    from: usize,
    sum: u64,
    chosen: &mut Vec<usize>,
    best: &mut Option<Ejection>,
) {
    let nodes = &state.routes[r].nodes;
    for i in from..nodes.len() {
        let total = sum + counters[nodes[i] as usize];
        let size = chosen.len() + 1;
        let beats = |b: &Ejection| total < b.sum || (total == b.sum && size < b.ejected.len());
        if best.as_ref().is_some_and(|b| !beats(b)) {
            continue;
        }
        chosen.push(i);
        if let Some(sequence) = feasible_with(index, state, r, job, chosen) {
            *best = Some(Ejection {
                sum: total,
                ejected: chosen.iter().map(|&c| nodes[c]).collect(),
                route: r,
                nodes: sequence,
            });
        } else if chosen.len() < K_MAX {
            search_subsets(index, state, r, job, counters, i + 1, total, chosen, best);
        }
        chosen.pop();
    }
}

/// The cheapest node sequence of route `r` without the jobs at `chosen` and with `job`, if one
/// meets every constraint.
fn feasible_with(
    index: &Index,
    state: &State,
    r: usize,
    job: u32,
    chosen: &[usize],
) -> Option<Vec<u32>> {
    let route = &state.routes[r];
    let vehicle = &index.vehicles[route.vehicle];
    let kept: Vec<u32> = route
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| !chosen.contains(i))
        .map(|(_, &n)| n)
        .collect();
    if kept.len() + 1 > vehicle.max_tasks {
        return None;
    }
    for d in 0..index.dims {
        let load: i64 = kept
            .iter()
            .map(|&n| index.demand(n as usize)[d])
            .sum::<i64>()
            + index.demand(job as usize)[d];
        if load > vehicle.capacity[d] {
            return None;
        }
    }
    let mut best: Option<(i64, usize)> = None;
    for pos in 0..=kept.len() {
        let nodes = kept[..pos]
            .iter()
            .copied()
            .chain(std::iter::once(job))
            .chain(kept[pos..].iter().copied());
        let summary = simulate(index, route.vehicle, nodes);
        if summary.on_time
            && summary.distance <= vehicle.max_distance
            && summary.travel <= vehicle.max_travel
            && best.is_none_or(|b| summary.cost < b.0)
        {
            best = Some((summary.cost, pos));
        }
    }
    let (_, pos) = best?;
    let mut nodes = kept;
    nodes.insert(pos, job);
    Some(nodes)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::{applies, eliminate};
    use crate::check;
    use crate::export::export;
    use crate::index::Index;
    use crate::model::Cost;
    use crate::search::budget::Budget;
    use crate::search::recreate::recreate;
    use crate::search::state::{State, UNROUTED};
    use crate::tests::generate::problem;

    proptest! {
        #![proptest_config(Config { cases: 96, rng_seed: RngSeed::Fixed(11), failure_persistence: None, ..Config::default() })]

        /// On random problems without breaks and duration terms (several windows, skills, open
        /// routes, two profiles and dimensions, task, distance and travel limits when `rich`),
        /// each solution the pool returns serves exactly the jobs the one before served, with
        /// fewer routes, every route feasible, and passes the independent checker.
        #[test]
        fn the_pool_never_loses_a_job_and_passes_the_checker(seed in any::<u64>(), jobs in 2usize..16, vehicles in 2usize..6, rich in any::<bool>()) {
            let mut problem = problem(seed, jobs, vehicles, rich);
            for vehicle in &mut problem.vehicles {
                vehicle.breaks.clear();
                vehicle.costs.per_duration = Cost(0);
                vehicle.limits.max_duration = None;
            }
            let index = match Index::new(&problem) {
                Ok(index) => index,
                Err(error) => panic!("index: {error}"),
            };
            prop_assert!(applies(&index));
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let all: Vec<u32> = (0..index.n_jobs as u32).collect();
            let mut best = State::empty(&index, &all);
            recreate(&index, &mut best, usize::MAX, 0.0, &mut rng);
            let mut counters = vec![0; index.n_jobs];
            let reasons = vec![None; index.n_jobs];
            loop {
                let mut budget = Budget::new(None, Some(300), None);
                let Some(next) = eliminate(&index, &best, &mut counters, &mut budget, 1.0, &mut rng)
                else {
                    break;
                };
                prop_assert!(next.used_routes() < best.used_routes());
                for job in 0..index.n_jobs {
                    prop_assert_eq!(next.route_of[job] == UNROUTED, best.route_of[job] == UNROUTED);
                }
                let mut seen = vec![0; index.n_jobs];
                for (r, route) in next.routes.iter().enumerate() {
                    prop_assert!(route.feasible);
                    for &job in &route.nodes {
                        seen[job as usize] += 1;
                        prop_assert_eq!(next.route_of[job as usize], r as u32);
                    }
                }
                for (job, &count) in seen.iter().enumerate() {
                    prop_assert_eq!(count, usize::from(next.route_of[job] != UNROUTED));
                }
                let solution = export(&problem, &index, &next, &reasons);
                let violations = check(&problem, &solution);
                prop_assert!(violations.is_empty(), "{:?}", violations);
                best = next;
            }
        }
    }
}
