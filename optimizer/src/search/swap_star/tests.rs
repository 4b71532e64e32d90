use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Exchange, Scratch, Segments, View, best_move, priced, swap_star};
use crate::check::check;
use crate::export::export;
use crate::index::Index;
use crate::model::{Duration, Problem};
use crate::route::simulate;
use crate::search::state::State;
use crate::search::tails::route_value;
use crate::tests::generate::{HORIZON, problem};

/// A problem of `jobs` jobs and three vehicles that segments price exactly (`loose`: without
/// time windows and with shifts that never end in time), or `None` when the generator gave one
/// they do not.
fn exact_problem(seed: u64, jobs: usize, loose: bool) -> Option<(Problem, Index)> {
    let mut problem = problem(seed, jobs, 3, false);
    if loose {
        for job in &mut problem.jobs {
            job.time_windows.clear();
        }
        for vehicle in &mut problem.vehicles {
            vehicle.shift.end = Duration(100 * HORIZON);
        }
    }
    let index = Index::new(&problem).ok()?;
    index.time_warp.then_some((problem, index))
}

/// A state whose routes hold random jobs wherever the cached insertion test lets them in.
fn random_state(index: &Index, rng: &mut impl Rng) -> State {
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

/// Objective value of `nodes` on `vehicle` by a full simulation, feasible or not, and whether
/// every window, the shift, the capacity and the jobs' vehicle restrictions are met.
fn simulated(index: &Index, vehicle: usize, nodes: &[u32]) -> (i64, bool) {
    let data = &index.vehicles[vehicle];
    let summary = simulate(index, vehicle, nodes.iter().copied());
    let fits = summary.on_time
        && nodes.len() <= data.max_tasks
        && nodes.iter().all(|&n| index.compatible(n as usize, vehicle))
        && (0..index.dims).all(|d| {
            nodes
                .iter()
                .map(|&n| index.demand(n as usize)[d])
                .sum::<i64>()
                <= data.capacity[d]
        });
    (summary.cost + index.vehicle_weight, fits)
}

/// `nodes` without position `removed` and with `job` after position `after` (old numbering).
fn rebuilt(nodes: &[u32], removed: usize, job: u32, after: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(nodes.len());
    if after == 0 {
        out.push(job);
    }
    for (i, &node) in nodes.iter().enumerate() {
        if i + 1 != removed {
            out.push(node);
        }
        if i + 1 == after {
            out.push(job);
        }
    }
    out
}

/// Every exchange of every pair of routes: `(u, v, u_after, v_after)` with `u_after` a place
/// in `b` without `v` and `v_after` one in `a` without `u`.
fn every_exchange(state: &State, a: usize, b: usize) -> Vec<Exchange> {
    let (la, lb) = (state.routes[a].nodes.len(), state.routes[b].nodes.len());
    let mut all = Vec::new();
    for u in 1..=la {
        for v in 1..=lb {
            for u_after in (0..=lb).filter(|&p| p != v) {
                for v_after in (0..=la).filter(|&p| p != u) {
                    all.push(Exchange {
                        a,
                        b,
                        u,
                        v,
                        u_after,
                        v_after,
                        delta: 0,
                    });
                }
            }
        }
    }
    all
}

/// The O(1) price of `e` from the same terms SWAP\* ranks with.
fn price(index: &Index, state: &State, e: &Exchange) -> i64 {
    let (ra, rb) = (&state.routes[e.a], &state.routes[e.b]);
    let (va, vb) = (View::new(index, ra), View::new(index, rb));
    let place = |view: &View<'_>, job: u32, removed: usize, after: usize| {
        if after + 1 == removed {
            view.in_place(job, removed)
        } else {
            view.insertion(job, after)
        }
    };
    let (ju, jv) = (ra.nodes[e.u - 1], rb.nodes[e.v - 1]);
    place(&vb, ju, e.v, e.u_after) + place(&va, jv, e.u, e.v_after)
        - va.removal(e.u)
        - vb.removal(e.v)
}

/// The two rebuilt routes of `e`, simulated: the objective it saves and whether both fit.
fn simulated_exchange(index: &Index, state: &State, e: &Exchange) -> (i64, bool) {
    let (ra, rb) = (&state.routes[e.a], &state.routes[e.b]);
    let (ju, jv) = (ra.nodes[e.u - 1], rb.nodes[e.v - 1]);
    let na = rebuilt(&ra.nodes, e.u, jv, e.v_after);
    let nb = rebuilt(&rb.nodes, e.v, ju, e.u_after);
    let (value_a, fits_a) = simulated(index, ra.vehicle, &na);
    let (value_b, fits_b) = simulated(index, rb.vehicle, &nb);
    let before = route_value(index, ra) + route_value(index, rb);
    (before - value_a - value_b, fits_a && fits_b)
}

fn segments_of(index: &Index, state: &State) -> Vec<Segments> {
    (state.routes.iter())
        .map(|route| {
            let mut segments = Segments::default();
            segments.update(index, route);
            segments
        })
        .collect()
}

/// The O(1) price of every exchange of every route pair, and the exact check of the rebuilt
/// routes, against a full simulation of the two rebuilt routes.
#[test]
fn prices_and_checks_match_a_full_simulation() {
    let (mut feasible, mut infeasible) = (0, 0);
    for seed in 0..120 {
        let Some((_, index)) = exact_problem(seed, 14, false) else {
            continue;
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let state = random_state(&index, &mut rng);
        let segments = segments_of(&index, &state);
        for a in 0..state.routes.len() {
            for b in a + 1..state.routes.len() {
                if state.routes[a].is_empty() || state.routes[b].is_empty() {
                    continue;
                }
                for e in every_exchange(&state, a, b) {
                    let (gain, fits) = simulated_exchange(&index, &state, &e);
                    assert_eq!(price(&index, &state, &e), -gain, "seed {seed} {e:?}");
                    let found = super::checked(&index, &state, &segments, &e);
                    assert_eq!(found.is_some(), fits && gain > 0, "seed {seed} {e:?}");
                    if let Some(found) = found {
                        assert_eq!(found.gain, gain);
                        let (ra, rb) = (&state.routes[a], &state.routes[b]);
                        let (ju, jv) = (ra.nodes[e.u - 1], rb.nodes[e.v - 1]);
                        assert_eq!(found.a_nodes, rebuilt(&ra.nodes, e.u, jv, e.v_after));
                        assert_eq!(found.b_nodes, rebuilt(&rb.nodes, e.v, ju, e.u_after));
                    }
                    if fits {
                        feasible += 1;
                    } else {
                        infeasible += 1;
                    }
                }
                let mut scratch = Scratch::default();
                for e in priced(&index, &state, a, b, &mut scratch) {
                    assert_eq!(e.delta, price(&index, &state, &e), "seed {seed} {e:?}");
                }
            }
        }
    }
    assert!(
        feasible > 2000 && infeasible > 2000,
        "{feasible} feasible, {infeasible} not"
    );
}

/// The best exchange of a pair is the brute force's best over every `(u, v, place, place)`
/// when windows do not bind; with windows, it is a feasible exchange saving what it claims,
/// never more than the brute force's best, and usually the same.
#[test]
fn the_best_move_matches_a_brute_force() {
    for loose in [true, false] {
        let (mut pairs, mut same) = (0, 0);
        for seed in 0..150 {
            let Some((_, index)) = exact_problem(seed, 12, loose) else {
                continue;
            };
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let state = random_state(&index, &mut rng);
            let segments = segments_of(&index, &state);
            for a in 0..state.routes.len() {
                for b in a + 1..state.routes.len() {
                    if state.routes[a].is_empty() || state.routes[b].is_empty() {
                        continue;
                    }
                    let brute = every_exchange(&state, a, b)
                        .iter()
                        .map(|e| simulated_exchange(&index, &state, e))
                        .filter(|&(gain, fits)| fits && gain > 0)
                        .map(|(gain, _)| gain)
                        .max();
                    let mut scratch = Scratch::default();
                    let found =
                        best_move(&index, &state, &segments, (a, b), &mut scratch).map(|m| m.gain);
                    pairs += 1;
                    same += usize::from(found == brute);
                    if loose {
                        assert_eq!(found, brute, "seed {seed} routes {a}, {b}");
                    } else {
                        assert!(found <= brute, "seed {seed}: {found:?} > {brute:?}");
                    }
                }
            }
        }
        assert!(pairs > 100, "only {pairs} pairs");
        assert!(same * 10 >= pairs * 7, "{same} of {pairs} pairs");
    }
}

/// SWAP\* never makes a state worse, keeps every job once, leaves feasible routes, and the
/// solution passes the independent checker.
#[test]
fn a_polished_state_is_never_worse_and_passes_the_checker() {
    let mut improved = 0;
    for seed in 0..150 {
        let Some((problem, index)) = exact_problem(seed, 25, false) else {
            continue;
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = random_state(&index, &mut rng);
        let before = state.objective;
        let jobs = |s: &State| {
            let mut all: Vec<u32> = (s.routes.iter().flat_map(|r| r.nodes.iter().copied()))
                .chain(s.unserved.iter().copied())
                .collect();
            all.sort_unstable();
            all
        };
        let start = jobs(&state);
        let mut changed = vec![true; state.routes.len()];
        let moves = swap_star(&index, &mut state, 1000, &mut changed);
        assert!(state.objective <= before, "seed {seed}");
        assert_eq!(moves > 0, state.objective < before, "seed {seed}");
        improved += usize::from(moves > 0);
        assert_eq!(jobs(&state), start, "seed {seed}");
        for (r, route) in state.routes.iter().enumerate() {
            assert!(route.feasible, "seed {seed} route {r}");
            for &job in &route.nodes {
                assert_eq!(state.route_of[job as usize], r as u32);
            }
        }
        let solution = export(&problem, &index, &state, &vec![None; index.n_jobs]);
        let violations = check(&problem, &solution);
        assert!(violations.is_empty(), "seed {seed}: {violations:?}");
    }
    assert!(improved > 30, "only {improved} states improved");
}

/// Problems that segments do not price exactly are left as they are.
#[test]
fn rich_problems_are_left_alone() {
    for seed in 0..60 {
        let problem = problem(seed, 20, 3, true);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        if index.time_warp {
            continue;
        }
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = random_state(&index, &mut rng);
        let before: Vec<Vec<u32>> = state.routes.iter().map(|r| r.nodes.clone()).collect();
        let mut changed = vec![true; state.routes.len()];
        assert_eq!(swap_star(&index, &mut state, 1000, &mut changed), 0);
        let after: Vec<Vec<u32>> = state.routes.iter().map(|r| r.nodes.clone()).collect();
        assert_eq!(before, after, "seed {seed}");
    }
}
