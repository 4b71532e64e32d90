//! The distance phase: ruin and recreate under simulated annealing with exponential cooling.

use rand::Rng;

use super::budget::Budget;
use super::crossover::cross;
use super::elite::Elite;
use super::recreate::recreate;
use super::ruin::{RuinParams, ruin};
use super::state::State;
use super::tails::exchange_tails;

/// Candidates within this many temperatures of the best are polished by tail exchanges before
/// the acceptance test: ruin and recreate moves jobs, 2-opt* moves whole route ends.
const POLISH: f64 = 3.0;
/// Most tail exchanges applied to one candidate.
const POLISH_ROUNDS: usize = 1000;
/// Share of the jobs whose successor must differ for a solution to join the elite pool beside
/// the members it is close to rather than replace the closest.
const DISTINCT: f64 = 0.1;
use crate::index::Index;

/// Annealing parameters, temperatures in units of the mean arc cost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnnealParams {
    pub start_temperature: f64,
    pub end_temperature: f64,
    pub blink: f64,
    pub ruin: RuinParams,
    /// Probability that a move starts with a crossover with an elite partner instead of a ruin.
    pub crossover: f64,
    /// Most solutions in the elite pool.
    pub elite: usize,
}

/// Runs ruin and recreate from `state` until the budget is spent; returns the best state.
///
/// A candidate replaces the current state when `candidate < current - T ln U`, with `U` uniform
/// in (0, 1] and `T` falling exponentially from the start to the end temperature. Complete
/// candidates close to the best are first improved by tail exchanges. Every accepted candidate
/// is offered to an elite pool; with probability `crossover` a move replaces a few routes by a
/// pool member's instead of ruining strings. Such a child replaces the current state only when
/// it is strictly better, so the crossover cannot move the walk onto a pool member's routes
/// without a gain.
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
    let mut elite = Elite::new(
        params.elite,
        (DISTINCT * index.n_jobs as f64).ceil() as usize,
    );
    elite.offer(index, &current);
    while !budget.over() {
        budget.done += 1;
        let progress = ((budget.used() - from) / (1.0 - from).max(1e-9)).clamp(0.0, 1.0);
        let temperature = t0 * (t1 / t0).powf(progress);
        candidate.clone_from(&current);
        let crossed = params.crossover > 0.0
            && rng.random_bool(params.crossover)
            && elite
                .partner(&current, rng)
                .is_some_and(|partner| cross(index, &mut candidate, partner, rng, &mut removed));
        if !crossed {
            ruin(index, &mut candidate, &params.ruin, rng, &mut removed);
        }
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
        let accepted = if crossed {
            candidate.objective < current.objective
        } else {
            let threshold =
                current.objective as f64 - temperature * (1.0 - rng.random::<f64>()).ln();
            (candidate.objective as f64) < threshold
        };
        if accepted {
            std::mem::swap(&mut current, &mut candidate);
            elite.offer(index, &current);
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
    use crate::export::export;
    use crate::index::Index;
    use crate::search::SearchParams;
    use crate::search::budget::Budget;
    use crate::search::recreate::recreate;
    use crate::search::state::State;
    use crate::tests::generate::problem;

    /// With crossovers on a third of the moves, the same seed gives the same routes, and the
    /// result passes the independent checker, on plain and rich random problems.
    #[test]
    fn crossovers_keep_the_walk_deterministic_and_checked() {
        let mut params = SearchParams::default().anneal;
        params.crossover = 0.3;
        for seed in 0..6 {
            let problem = problem(seed, 30, 4, seed % 2 == 1);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
            let run = || {
                let mut rng = Pcg64Mcg::seed_from_u64(seed);
                let mut state = State::empty(&index, &jobs);
                recreate(&index, &mut state, usize::MAX, 0.0, &mut rng);
                let mut budget = Budget::new(None, Some(3000), None);
                improve(&index, state, &params, &mut budget, &mut rng, &mut |_| {})
            };
            let (first, second) = (run(), run());
            let nodes = |s: &State| s.routes.iter().map(|r| r.nodes.clone()).collect::<Vec<_>>();
            assert_eq!(nodes(&first), nodes(&second), "seed {seed}");
            assert_eq!(first.objective, second.objective, "seed {seed}");
            let solution = export(&problem, &index, &first, &vec![None; index.n_jobs]);
            let violations = crate::check(&problem, &solution);
            assert!(violations.is_empty(), "seed {seed}: {violations:?}");
        }
    }
}
