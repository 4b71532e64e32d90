//! The distance phase: ruin and recreate under simulated annealing with exponential cooling.

use rand::Rng;

use super::budget::Budget;
use super::recreate::recreate;
use super::ruin::{RuinParams, ruin};
use super::state::State;
use super::swap_star::swap_star;
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
    /// Whether the candidates that tail exchanges polish go through SWAP\* first
    /// (`swap_star/`): measured in `DESIGN.md`, "SWAP\* A/B".
    pub swap_star: bool,
}

/// Runs ruin and recreate from `state` until the budget is spent; returns the best state.
///
/// A candidate replaces the current state when `candidate < current - T ln U`, with `U` uniform
/// in (0, 1] and `T` falling exponentially from the start to the end temperature. Complete
/// candidates close to the best are first improved by tail exchanges (after SWAP\*, when
/// [`AnnealParams::swap_star`]).
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
            if params.swap_star {
                swap_star(index, &mut candidate, POLISH_ROUNDS, &mut changed);
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::improve;
    use crate::check::check;
    use crate::export::export;
    use crate::index::Index;
    use crate::search::recreate::recreate;
    use crate::search::{Budget, SearchParams, State};
    use crate::tests::generate::problem;

    /// With SWAP\* on, the annealing still returns states that pass the checker and are no
    /// worse than where it started.
    #[test]
    fn a_search_with_swap_star_passes_the_checker() {
        let mut exact = 0;
        for seed in 0..40 {
            let problem = problem(seed, 25, 3, false);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            exact += usize::from(index.time_warp);
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
            let mut state = State::empty(&index, &jobs);
            recreate(&index, &mut state, usize::MAX, 0.0, &mut rng);
            let start = state.objective;
            let mut params = SearchParams::default().anneal;
            params.swap_star = true;
            let mut budget = Budget::new(None, Some(500), None);
            let best = improve(&index, state, &params, &mut budget, &mut rng, &mut |_| {});
            assert!(best.objective <= start, "seed {seed}");
            let solution = export(&problem, &index, &best, &vec![None; index.n_jobs]);
            let violations = check(&problem, &solution);
            assert!(violations.is_empty(), "seed {seed}: {violations:?}");
        }
        assert!(exact > 30, "only {exact} problems priced by segments");
    }
}
