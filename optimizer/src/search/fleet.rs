//! The fleet phase: empty one route, then ruin and recreate with one route fewer until every
//! job is back, guided by how often each job has been left out (SISR's absence counters).

use rand::Rng;

use super::anneal::AnnealParams;
use super::budget::Budget;
use super::recreate::recreate;
use super::ruin::ruin;
use super::state::State;
use crate::index::Index;

/// Runs until the budget reaches `until` (a share in `[0, 1]`) or the fleet reaches the capacity
/// lower bound; returns the best state (never worse than `state`).
pub(crate) fn minimise(
    index: &Index,
    state: State,
    params: &AnnealParams,
    budget: &mut Budget<'_>,
    until: f64,
    rng: &mut impl Rng,
    on_best: &mut dyn FnMut(&State),
) -> State {
    let lower = lower_bound(index, &state);
    let mut best = state;
    let mut absence = vec![0u64; index.n_jobs];
    let mut removed = Vec::new();
    'routes: while best.used_routes() > lower {
        let used: Vec<usize> = (0..best.routes.len())
            .filter(|&r| !best.routes[r].is_empty())
            .collect();
        let (a, b) = (
            used[rng.random_range(0..used.len())],
            used[rng.random_range(0..used.len())],
        );
        let emptied = if best.routes[a].n_jobs <= best.routes[b].n_jobs {
            a
        } else {
            b
        };
        let cap = best.used_routes() - 1;
        let mut current = best.clone();
        current.clear_route(index, emptied);
        let mut candidate = current.clone();
        loop {
            if budget.over() || budget.used() >= until {
                break 'routes;
            }
            budget.done += 1;
            candidate.clone_from(&current);
            ruin(index, &mut candidate, &params.ruin, rng, &mut removed);
            recreate(index, &mut candidate, cap, params.blink, rng);
            for &job in &candidate.unserved {
                absence[job as usize] += 1;
            }
            let weight = |s: &State| s.unserved.iter().map(|&j| absence[j as usize]).sum::<u64>();
            if candidate.unserved.len() < current.unserved.len()
                || weight(&candidate) < weight(&current)
            {
                std::mem::swap(&mut current, &mut candidate);
            }
            if current.objective < best.objective {
                best = current;
                on_best(&best);
                continue 'routes;
            }
        }
    }
    best
}

/// No solution serving the jobs of `state` uses fewer vehicles than this: in each capacity
/// dimension, total demand over the largest capacity, rounded up.
fn lower_bound(index: &Index, state: &State) -> usize {
    let served: Vec<usize> = (0..index.n_jobs)
        .filter(|&j| state.route_of[j] != super::state::UNROUTED)
        .collect();
    let mut bound = usize::from(!served.is_empty());
    for d in 0..index.dims {
        let total: i64 = served.iter().map(|&j| index.demand(j)[d]).sum();
        let largest = index
            .vehicles
            .iter()
            .map(|v| v.capacity[d])
            .max()
            .unwrap_or(0);
        if largest > 0 {
            bound = bound.max(((total + largest - 1) / largest) as usize);
        }
    }
    bound
}
