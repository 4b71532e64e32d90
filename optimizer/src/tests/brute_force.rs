//! Optimum by enumeration on tiny problems, compared with the solver.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::generate::problem;
use super::solve_checked;
use crate::index::Index;
use crate::model::Problem;
use crate::route::simulate;
use crate::solution::Solution;

fn permutations(items: &mut Vec<u32>, k: usize, visit: &mut dyn FnMut(&[u32])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

/// Cheapest feasible route of vehicle `v` through exactly the jobs of `mask` (and its breaks).
fn best_route(index: &Index, v: usize, mask: u32) -> Option<i64> {
    let data = &index.vehicles[v];
    let jobs: Vec<u32> = (0..index.n_jobs as u32)
        .filter(|j| mask & (1 << j) != 0)
        .collect();
    if jobs.is_empty() {
        return Some(0);
    }
    let fits = jobs.iter().all(|&j| index.compatible(j as usize, v))
        && jobs.len() <= data.max_tasks
        && (0..index.dims).all(|d| {
            jobs.iter()
                .map(|&j| index.demand(j as usize)[d])
                .sum::<i64>()
                <= data.capacity[d]
        });
    if !fits {
        return None;
    }
    let mut nodes: Vec<u32> = jobs
        .iter()
        .copied()
        .chain(data.breaks.iter().copied())
        .collect();
    let mut best = None;
    permutations(&mut nodes, 0, &mut |order| {
        let s = simulate(index, v, order.iter().copied());
        if s.on_time
            && s.distance <= data.max_distance
            && s.travel <= data.max_travel
            && s.duration <= data.max_duration
        {
            best = Some(best.map_or(s.cost, |b: i64| b.min(s.cost)));
        }
    });
    best
}

/// The optimal objective over every assignment of jobs to vehicles or to the unserved list.
fn optimum(index: &Index) -> i64 {
    let n = index.n_jobs;
    let vehicles = index.vehicles.len();
    let mut memo: HashMap<(usize, u32), Option<i64>> = HashMap::new();
    let mut best = i64::MAX;
    let mut assignment = vec![0usize; n];
    loop {
        let mut total = 0i64;
        let mut feasible = true;
        for v in 0..vehicles {
            let mask = (0..n)
                .filter(|&j| assignment[j] == v + 1)
                .fold(0u32, |m, j| m | (1 << j));
            match *memo
                .entry((v, mask))
                .or_insert_with(|| best_route(index, v, mask))
            {
                Some(cost) if mask != 0 => total += cost + index.vehicle_weight,
                Some(_) => {}
                None => feasible = false,
            }
        }
        total += (0..n)
            .filter(|&j| assignment[j] == 0)
            .map(|j| index.unserved_weight[j])
            .sum::<i64>();
        if feasible {
            best = best.min(total);
        }
        let Some(j) = (0..n).find(|&j| assignment[j] < vehicles) else {
            break;
        };
        assignment[j] += 1;
        for slot in assignment.iter_mut().take(j) {
            *slot = 0;
        }
    }
    best
}

fn objective(index: &Index, solution: &Solution) -> i64 {
    let routes: i64 = solution
        .routes
        .iter()
        .map(|r| r.cost.0 + index.vehicle_weight)
        .sum();
    routes
        + solution
            .unserved
            .iter()
            .map(|u| index.unserved_weight[u.job.get()])
            .sum::<i64>()
}

fn at_most_one_break(mut problem: Problem) -> Problem {
    for vehicle in &mut problem.vehicles {
        vehicle.breaks.truncate(1);
    }
    problem
}

proptest! {
    #![proptest_config(Config { cases: 40, rng_seed: RngSeed::Fixed(11), failure_persistence: None, ..Config::default() })]

    /// The solver finds the optimum that enumeration proves, on up to 6 jobs and 2 vehicles
    /// (breaks limited to one per vehicle: the search keeps the listed break order).
    #[test]
    fn tiny_problems_are_solved_to_optimum(seed in any::<u64>(), jobs in 1usize..=6, vehicles in 1usize..=2, rich in any::<bool>()) {
        let problem = at_most_one_break(problem(seed, jobs, vehicles, rich));
        let index = Index::new(&problem).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let solution = solve_checked(&problem, 2_000);
        prop_assert_eq!(objective(&index, &solution), optimum(&index));
    }
}
