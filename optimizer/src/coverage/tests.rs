//! The models against brute force on small random instances: every subset of sites is tried.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::*;

/// A random instance: `sites` sites, `points` demand points in `groups` groups, each pair
/// within reach with probability `density`; some points reach nothing.
fn random_instance(
    seed: u64,
    sites: usize,
    points: usize,
    groups: u32,
) -> (CoverageInstance, AccessTimes) {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let density = rng.random_range(0.15..0.45);
    let seconds: Vec<u32> = (0..sites * points)
        .map(|_| {
            if rng.random_bool(density) {
                rng.random_range(0..=600)
            } else {
                rng.random_range(601..3_000)
            }
        })
        .collect();
    let times = AccessTimes::new(sites, seconds).unwrap();
    let demand = (0..points)
        .map(|_| Demand {
            weight: f64::from(rng.random_range(1..500)),
            group: GroupIdx(rng.random_range(0..groups)),
        })
        .collect();
    let scores = (0..sites).map(|_| rng.random_range(0.0..=1.0)).collect();
    let instance = CoverageInstance::new(demand, groups as usize, &times, 600, scores).unwrap();
    (instance, times)
}

/// Every subset of sites, evaluated.
fn every_subset(instance: &CoverageInstance, times: &AccessTimes) -> Vec<Evaluation> {
    let n = instance.site_count();
    (0u32..1 << n)
        .map(|mask| {
            let sites: Vec<SiteIdx> = (0..n as u32)
                .filter(|s| mask & (1 << s) != 0)
                .map(SiteIdx)
                .collect();
            Evaluation::of(instance, &sites, |d, s| times.seconds(d, s))
        })
        .collect()
}

fn solve_model(
    instance: &CoverageInstance,
    times: &AccessTimes,
    model: CoverageModel,
) -> CoverageOutcome {
    let config = CoverageConfig {
        model,
        time_limit: Duration::from_secs(20),
    };
    let mut greedy_seen = None;
    let outcome = solve(instance, times, &config, &mut |g| {
        greedy_seen = Some(g.clone())
    });
    assert_eq!(
        greedy_seen.as_ref(),
        Some(&outcome.greedy),
        "the greedy answer is handed over first"
    );
    outcome
}

#[test]
fn set_covering_matches_brute_force() {
    for seed in 0..12 {
        let (instance, times) = random_instance(seed, 9, 14, 3);
        let optimum = every_subset(&instance, &times)
            .iter()
            .filter(|e| e.covers_all_coverable())
            .map(Evaluation::stops)
            .min()
            .unwrap();
        let outcome = solve_model(&instance, &times, CoverageModel::SetCover);
        assert_eq!(outcome.status, MipStatus::Optimal, "seed {seed}");
        assert!(outcome.best.covers_all_coverable(), "seed {seed}");
        assert_eq!(outcome.best.stops(), optimum, "seed {seed}");
        assert!(
            outcome.best.stops() <= outcome.greedy.stops(),
            "seed {seed}"
        );
        let lp = outcome.lp_bound.unwrap();
        assert!(
            lp <= optimum as f64 + 1e-6,
            "seed {seed}: LP bound {lp} above the optimum {optimum}"
        );
        assert_eq!(outcome.best_bound, Some(optimum as f64));
        assert_eq!(outcome.gap, Some(0.0));
    }
}

#[test]
fn maximal_covering_matches_brute_force() {
    for seed in 0..12 {
        let (instance, times) = random_instance(100 + seed, 9, 14, 3);
        let budget = 1 + seed as usize % 3;
        let optimum = every_subset(&instance, &times)
            .iter()
            .filter(|e| e.stops() <= budget)
            .map(|e| e.covered_weight)
            .fold(0.0, f64::max);
        let outcome = solve_model(&instance, &times, CoverageModel::MaxCover { budget });
        assert_eq!(outcome.status, MipStatus::Optimal, "seed {seed}");
        assert!(outcome.best.stops() <= budget);
        assert_eq!(outcome.best.covered_weight, optimum, "seed {seed}");
        assert!(outcome.greedy.covered_weight <= optimum);
        assert!(outcome.lp_bound.unwrap() >= optimum - 1e-6, "seed {seed}");
    }
}

#[test]
fn fairness_matches_brute_force() {
    for seed in 0..12 {
        let (instance, times) = random_instance(200 + seed, 8, 12, 4);
        let budget = 2 + seed as usize % 2;
        let all = every_subset(&instance, &times);
        let feasible = all.iter().filter(|e| e.stops() <= budget);
        let best_share = feasible
            .clone()
            .map(|e| e.min_group_share)
            .fold(0.0, f64::max);
        let outcome = solve_model(&instance, &times, CoverageModel::Fairness { budget });
        assert_eq!(outcome.status, MipStatus::Optimal, "seed {seed}");
        assert!(
            (outcome.best.min_group_share - best_share).abs() < 1e-9,
            "seed {seed}"
        );
        let best_weight = feasible
            .filter(|e| (e.min_group_share - best_share).abs() < 1e-9)
            .map(|e| e.covered_weight)
            .fold(0.0, f64::max);
        assert_eq!(
            outcome.best.covered_weight, best_weight,
            "seed {seed}: then the most people"
        );
    }
}

#[test]
fn a_point_no_site_reaches_is_left_out_not_infeasible() {
    let u = AccessTimes::UNREACHABLE;
    let times = AccessTimes::new(2, vec![u, u, 100, u]).unwrap();
    let demand = vec![
        Demand {
            weight: 50.0,
            group: GroupIdx(0)
        };
        2
    ];
    let instance = CoverageInstance::new(demand, 1, &times, 600, Vec::new()).unwrap();
    let outcome = solve_model(&instance, &times, CoverageModel::SetCover);
    assert_eq!(outcome.best.sites, vec![SiteIdx(0)]);
    assert_eq!(outcome.best.served_by, vec![None, Some(SiteIdx(0))]);
    assert_eq!(outcome.best.coverable_weight, 50.0);
}

#[test]
fn attendance_breaks_ties_between_equal_covers() {
    // Two sites cover the same two points; the better attended one is chosen by every model.
    let times = AccessTimes::new(2, vec![0, 0, 0, 0]).unwrap();
    let demand = vec![
        Demand {
            weight: 1.0,
            group: GroupIdx(0)
        };
        2
    ];
    for scores in [vec![0.2, 0.9], vec![0.9, 0.2]] {
        let favourite = if scores[0] > scores[1] {
            SiteIdx(0)
        } else {
            SiteIdx(1)
        };
        let instance = CoverageInstance::new(demand.clone(), 1, &times, 0, scores).unwrap();
        for model in [
            CoverageModel::SetCover,
            CoverageModel::MaxCover { budget: 1 },
            CoverageModel::Fairness { budget: 1 },
        ] {
            let outcome = solve_model(&instance, &times, model);
            assert_eq!(outcome.best.sites, vec![favourite], "{model:?}");
        }
    }
}
