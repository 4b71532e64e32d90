//! The distance phase: ruin and recreate under simulated annealing with exponential cooling.

use rand::Rng;

use super::budget::Budget;
use super::recreate::recreate;
use super::ruin::{RuinParams, ruin};
use super::state::State;
use super::tails::exchange_tails;

/// Candidates within this many temperatures of the best are polished by tail exchanges before
/// the acceptance test: ruin and recreate moves jobs, 2-opt* moves whole route ends.
const POLISH: f64 = 3.0;
/// Most tail exchanges applied to one candidate.
const POLISH_ROUNDS: usize = 1000;
use crate::index::Index;

/// Annealing parameters, temperatures in units of the mean arc cost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnnealParams {
    pub start_temperature: f64,
    pub end_temperature: f64,
    pub blink: f64,
    pub ruin: RuinParams,
}

/// Runs ruin and recreate from `state` until the budget is spent; returns the best state.
///
/// A candidate replaces the current state when `candidate < current - T ln U`, with `U` uniform
/// in (0, 1] and `T` falling exponentially from the start to the end temperature. Complete
/// candidates close to the best are first improved by tail exchanges.
pub(crate) fn improve(
    index: &Index,
    state: State,
    params: &AnnealParams,
    budget: &mut Budget<'_>,
    rng: &mut impl Rng,
    on_best: &mut dyn FnMut(&State),
) -> State {
    let from = budget.used();
    let t0 = params.start_temperature * index.mean_arc_cost;
    let t1 = params.end_temperature * index.mean_arc_cost;
    let mut best = state.clone();
    let mut current = state;
    let mut candidate = current.clone();
    let mut removed = Vec::new();
    let mut changed = vec![false; current.routes.len()];
    while !budget.over() {
        budget.done += 1;
        let progress = ((budget.used() - from) / (1.0 - from).max(1e-9)).clamp(0.0, 1.0);
        let temperature = t0 * (t1 / t0).powf(progress);
        candidate.clone_from(&current);
        ruin(index, &mut candidate, &params.ruin, rng, &mut removed);
        recreate(index, &mut candidate, usize::MAX, params.blink, rng);
        if candidate.unserved.is_empty()
            && (candidate.objective as f64) < best.objective as f64 + POLISH * temperature
        {
            for (flag, (new, old)) in changed
                .iter_mut()
                .zip(candidate.routes.iter().zip(&current.routes))
            {
                *flag = new.nodes != old.nodes;
            }
            exchange_tails(index, &mut candidate, POLISH_ROUNDS, &mut changed);
        }
        let threshold = current.objective as f64 - temperature * (1.0 - rng.random::<f64>()).ln();
        if (candidate.objective as f64) < threshold {
            std::mem::swap(&mut current, &mut candidate);
            if current.objective < best.objective {
                best.clone_from(&current);
                on_best(&best);
            }
        }
    }
    best
}
