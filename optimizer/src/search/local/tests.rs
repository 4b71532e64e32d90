use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::splice::route_value;
use super::{Local, polish};
use crate::check::check;
use crate::export::export;
use crate::index::Index;
use crate::model::Problem;
use crate::route::{RouteState, simulate};
use crate::search::state::{State, UNROUTED};
use crate::tests::generate::problem;

/// A problem of `jobs` jobs and three vehicles that segments price exactly, or `None` when
/// the generator gave one they do not.
pub(super) fn exact_problem(seed: u64, jobs: usize) -> Option<(Problem, Index)> {
    let problem = problem(seed, jobs, 3, false);
    let index = Index::new(&problem).ok()?;
    index.time_warp.then_some((problem, index))
}

/// A state whose routes hold random jobs wherever the cached insertion test lets them in.
pub(super) fn random_state(index: &Index, rng: &mut impl Rng) -> State {
    let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
    let mut state = State::empty(index, &jobs);
    for _ in 0..6 * index.n_jobs {
        if state.unserved.is_empty() {
            break;
        }
        let job = state.unserved[rng.random_range(0..state.unserved.len())];
        let r = rng.random_range(0..state.routes.len());
        let route = &mut state.routes[r];
        if !route.can_take(index, job) {
            continue;
        }
        let pos = rng.random_range(0..=route.nodes.len());
        if route.insertion_cost(index, job, pos).is_some() {
            route.insert(index, pos, job);
            state.route_of[job as usize] = r as u32;
            state.unserved.retain(|&j| j != job);
        }
    }
    state.refresh_objective(index);
    state
}

/// Objective value of `nodes` on `vehicle` by a full simulation, or `None` when a window, the
/// shift, the capacity, a limit or a vehicle restriction is broken.
fn simulated_value(index: &Index, vehicle: usize, nodes: &[u32]) -> Option<i64> {
    let data = &index.vehicles[vehicle];
    let summary = simulate(index, vehicle, nodes.iter().copied());
    let fits = summary.on_time
        && nodes.len() <= data.max_tasks
        && summary.distance <= data.max_distance
        && summary.travel <= data.max_travel
        && nodes.iter().all(|&n| index.compatible(n as usize, vehicle))
        && (0..index.dims).all(|d| {
            nodes
                .iter()
                .map(|&n| index.demand(n as usize)[d])
                .sum::<i64>()
                <= data.capacity[d]
        });
    match (fits, nodes.is_empty()) {
        (false, _) => None,
        (true, true) => Some(0),
        (true, false) => Some(summary.cost + index.vehicle_weight),
    }
}

/// Every splice (kept start, random jobs in between, kept end), priced from the caches, against
/// a full simulation of the rebuilt route.
#[test]
fn splice_prices_match_a_full_simulation() {
    let (mut feasible, mut infeasible) = (0, 0);
    for seed in 0..200 {
        let Some((_, index)) = exact_problem(seed, 16) else {
            continue;
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let state = random_state(&index, &mut rng);
        let local = Local::new(&index, &state);
        for r in 0..state.routes.len() {
            let route = &state.routes[r];
            for keep_to in 0..route.end() {
                for resume_at in keep_to + 1..=route.end() {
                    let length = rng.random_range(0..4);
                    let middle: Vec<u32> = (0..length)
                        .map(|_| rng.random_range(0..index.n_jobs as u32))
                        .filter(|&j| {
                            let p = local.position[j as usize];
                            state.route_of[j as usize] != r as u32 || p <= keep_to || p >= resume_at
                        })
                        .collect();
                    let nodes: Vec<u32> = (route.nodes[..keep_to].iter())
                        .chain(&middle)
                        .chain(&route.nodes[resume_at - 1..])
                        .copied()
                        .collect();
                    let splice = local.splice(&state, r, keep_to, resume_at);
                    let expected = simulated_value(&index, route.vehicle, &nodes);
                    let fits = splice.fits(&index, middle.iter().copied());
                    assert_eq!(fits, expected.is_some(), "seed {seed} route {r} {nodes:?}");
                    if let Some(value) = expected {
                        assert_eq!(splice.value(&index, middle.iter().copied()), value);
                        feasible += 1;
                    } else {
                        infeasible += 1;
                    }
                }
            }
        }
    }
    assert!(
        feasible > 2000 && infeasible > 2000,
        "{feasible} feasible, {infeasible} not"
    );
}

/// Every improving move found for any pair of jobs saves exactly what it claims, and leaves
/// routes that a full recomputation finds feasible.
#[test]
fn every_move_saves_what_it_prices() {
    let mut applied = 0;
    for seed in 0..150 {
        let Some((_, index)) = exact_problem(seed, 16) else {
            continue;
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let state = random_state(&index, &mut rng);
        let local = Local::new(&index, &state);
        for u in 0..index.n_jobs as u32 {
            for v in 0..index.n_jobs as u32 {
                if u == v {
                    continue;
                }
                let Some(change) = local.improve(&state, u, v) else {
                    continue;
                };
                let gain = change.gain;
                let mut after = state.clone();
                let mut copy = Local::new(&index, &after);
                let mut marks = vec![false; after.routes.len()];
                copy.apply(&mut after, change, &mut marks);
                assert_eq!(
                    state.objective - after.objective,
                    gain,
                    "seed {seed} {u}/{v}"
                );
                assert!(
                    after.routes.iter().all(|r| r.feasible),
                    "seed {seed} {u}/{v}"
                );
                let mut routed: Vec<u32> =
                    after.routes.iter().flat_map(|r| r.nodes.clone()).collect();
                routed.sort_unstable();
                let mut before: Vec<u32> =
                    state.routes.iter().flat_map(|r| r.nodes.clone()).collect();
                before.sort_unstable();
                assert_eq!(routed, before, "seed {seed} {u}/{v}");
                applied += 1;
            }
        }
    }
    assert!(applied > 500, "only {applied} improving moves");
}

/// A polished state is never worse, serves the same jobs, and passes the independent checker.
#[test]
fn polished_states_are_never_worse_and_pass_the_checker() {
    let mut improved = 0;
    for seed in 0..150 {
        let Some((problem, index)) = exact_problem(seed, 30) else {
            continue;
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = random_state(&index, &mut rng);
        let before = state.objective;
        let unserved = state.unserved.clone();
        let mut changed = vec![true; state.routes.len()];
        let all: Vec<u32> = (0..index.n_jobs as u32).collect();
        polish(&index, &mut state, &all, &mut changed);
        assert!(state.objective <= before, "seed {seed}");
        improved += usize::from(state.objective < before);
        assert_eq!(state.unserved, unserved);
        let total: i64 = state.routes.iter().map(|r| route_value(&index, r)).sum();
        let expected: i64 = total
            + unserved
                .iter()
                .map(|&j| index.unserved_weight[j as usize])
                .sum::<i64>();
        assert_eq!(state.objective, expected, "seed {seed}");
        for (r, route) in state.routes.iter().enumerate() {
            let mut fresh = RouteState::new(&index, route.vehicle);
            fresh.nodes.clone_from(&route.nodes);
            fresh.update(&index);
            assert!(fresh.feasible, "seed {seed} route {r}");
            assert!(
                route
                    .nodes
                    .iter()
                    .all(|&j| state.route_of[j as usize] == r as u32)
            );
        }
        assert!(
            unserved
                .iter()
                .all(|&j| state.route_of[j as usize] == UNROUTED)
        );
        let solution = export(&problem, &index, &state, &vec![None; index.n_jobs]);
        let violations = check(&problem, &solution);
        assert!(violations.is_empty(), "seed {seed}: {violations:?}");
    }
    assert!(improved > 50, "only {improved} states improved");
}

/// Problems that segments do not price exactly (breaks, duration terms, several windows) are
/// left exactly as they are.
#[test]
fn rich_problems_are_left_alone() {
    let mut seen = 0;
    for seed in 0..100 {
        let problem = problem(seed, 16, 3, true);
        let Ok(index) = Index::new(&problem) else {
            continue;
        };
        if index.time_warp {
            continue;
        }
        seen += 1;
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = random_state(&index, &mut rng);
        let routes: Vec<Vec<u32>> = state.routes.iter().map(|r| r.nodes.clone()).collect();
        let objective = state.objective;
        let all: Vec<u32> = (0..index.n_jobs as u32).collect();
        polish(&index, &mut state, &all, &mut vec![false; routes.len()]);
        assert_eq!(state.objective, objective);
        assert!(state.routes.iter().zip(&routes).all(|(r, n)| &r.nodes == n));
    }
    assert!(seen > 50, "only {seen} rich problems");
}
