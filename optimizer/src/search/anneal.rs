//! The distance phase: ruin and recreate under simulated annealing with exponential cooling.

use rand::Rng;

use super::budget::Budget;
use super::penalty::{Penalty, PenaltyParams};
use super::recreate::recreate;
use super::repair::repair;
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
///
/// With `warp` and under [`Index::time_warp`], recreate may make routes late (within the best's
/// number of routes): part of the late candidates are repaired, both sides of the test are
/// penalised by the adaptive weight of their time warp, and only a feasible state can become
/// the best. A late candidate gets no credit for a route fewer than the best (that would let
/// the penalty trade routes for lateness), a current state late for too long gives way to the
/// best, and the penalties apply only while the best serves every job.
pub(crate) fn improve(
    index: &Index,
    state: State,
    params: &AnnealParams,
    warp: Option<PenaltyParams>,
    budget: &mut Budget<'_>,
    rng: &mut impl Rng,
    on_best: &mut dyn FnMut(&State),
) -> State {
    let mut penalty = warp
        .filter(|_| index.time_warp)
        .map(|p| Penalty::new(p, initial_weight(index)));
    let from = budget.used();
    let t0 = params.start_temperature * index.mean_arc_cost;
    let t1 = params.end_temperature * index.mean_arc_cost;
    let mut best = state.clone();
    let mut current = state;
    let mut candidate = current.clone();
    let mut removed = Vec::new();
    let mut changed = vec![false; current.routes.len()];
    let mut late_for = 0;
    while !budget.over() {
        budget.done += 1;
        let progress = ((budget.used() - from) / (1.0 - from).max(1e-9)).clamp(0.0, 1.0);
        let temperature = t0 * (t1 / t0).powf(progress);
        candidate.clone_from(&current);
        ruin(index, &mut candidate, &params.ruin, rng, &mut removed);
        // Penalties only while the best serves every job: otherwise lateness would be traded
        // for jobs the feasible search leaves out.
        let active = penalty.as_mut().filter(|_| best.unserved.is_empty());
        let weight = active.as_ref().map(|p| p.weight());
        // Under penalties a job that fits nowhere goes in late rather than into a new route:
        // the best's fleet is kept, lateness is what the weight prices.
        let cap = if weight.is_some() {
            best.used_routes()
        } else {
            usize::MAX
        };
        recreate(index, &mut candidate, cap, params.blink, weight, rng);
        if let Some(penalty) = active {
            penalty.record(candidate.time_warp == 0);
            if candidate.time_warp > 0 && rng.random_bool(penalty.params().repair) {
                repair(index, &mut candidate, params.blink, rng);
            }
        }
        if candidate.unserved.is_empty()
            && candidate.time_warp == 0
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
        let weight = weight.unwrap_or(0.0);
        let value = |s: &State| {
            let credit = if s.time_warp > 0 {
                best.used_routes().saturating_sub(s.used_routes()) as i64 * index.vehicle_weight
            } else {
                0
            };
            s.penalised(weight).saturating_add(credit) as f64
        };
        let threshold = value(&current) - temperature * (1.0 - rng.random::<f64>()).ln();
        if value(&candidate) < threshold {
            std::mem::swap(&mut current, &mut candidate);
            if current.time_warp == 0 && current.objective < best.objective {
                best.clone_from(&current);
                on_best(&best);
            }
        }
        if let Some(penalty) = &penalty {
            late_for = if current.time_warp > 0 {
                late_for + 1
            } else {
                0
            };
            if late_for > penalty.params().late_limit {
                current.clone_from(&best);
                late_for = 0;
            }
        }
    }
    best
}

/// The first time-warp weight: one tick late costs as much as one unit of distance of the
/// dearest vehicle (at least 1), the scale HGS starts from.
fn initial_weight(index: &Index) -> f64 {
    (index.vehicles.iter())
        .map(|v| v.per_distance)
        .max()
        .unwrap_or(1)
        .max(1) as f64
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::improve;
    use crate::index::Index;
    use crate::route::simulate;
    use crate::search::budget::Budget;
    use crate::search::recreate::recreate;
    use crate::search::state::State;
    use crate::search::{PenaltyParams, SearchParams};
    use crate::tests::generate::problem;

    /// Every best a penalised search reports, and the one it returns, is feasible: no time
    /// warp, every route on time in a full simulation, every served job in its route once.
    #[test]
    fn a_penalised_search_reports_and_returns_only_feasible_bests() {
        let mut searches = 0;
        for seed in 0..30 {
            let problem = problem(seed, 25, 3, false);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            assert!(index.time_warp);
            let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut state = State::empty(&index, &jobs);
            recreate(&index, &mut state, usize::MAX, 0.0, None, &mut rng);
            let feasible = |s: &State| {
                s.time_warp == 0
                    && s.routes.iter().all(|r| {
                        r.feasible && simulate(&index, r.vehicle, r.nodes.iter().copied()).on_time
                    })
            };
            let mut bests = 0;
            let mut on_best = |s: &State| {
                assert!(feasible(s), "seed {seed}: a late best was reported");
                bests += 1;
            };
            let mut budget = Budget::new(None, Some(2000), None);
            let params = SearchParams::default();
            let best = improve(
                &index,
                state,
                &params.anneal,
                Some(PenaltyParams::default()),
                &mut budget,
                &mut rng,
                &mut on_best,
            );
            assert!(feasible(&best), "seed {seed}");
            let served: usize = best.routes.iter().map(|r| r.n_jobs).sum();
            assert_eq!(served + best.unserved.len(), jobs.len(), "seed {seed}");
            searches += usize::from(bests > 0);
        }
        assert!(searches > 20, "only {searches} searches improved");
    }
}
