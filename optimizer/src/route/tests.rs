//! The O(1) insertion check and the cached schedule against a full simulation, on random
//! small routes with every feature (windows, breaks, open ends, limits, duration costs).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{RouteState, simulate};
use crate::index::Index;
use crate::tests::generate::problem;

fn feasible(index: &Index, v: usize, nodes: &[u32]) -> Option<i64> {
    let data = &index.vehicles[v];
    let s = simulate(index, v, nodes.iter().copied());
    let within = s.distance <= data.max_distance
        && s.travel <= data.max_travel
        && s.duration <= data.max_duration;
    (s.on_time && within).then_some(s.cost)
}

/// Builds a random feasible route of vehicle 0 by trying random insertions.
fn random_route(index: &Index, rng: &mut impl Rng) -> RouteState {
    let mut route = RouteState::new(index, 0);
    for _ in 0..12 {
        let job = rng.random_range(0..index.n_jobs as u32);
        if route.nodes.contains(&job) || !route.can_take(index, job) {
            continue;
        }
        let pos = rng.random_range(0..=route.nodes.len());
        let mut nodes = route.nodes.clone();
        nodes.insert(pos, job);
        if feasible(index, 0, &nodes).is_some() {
            route.insert(index, pos, job);
        }
    }
    route
}

#[test]
fn insertion_cost_matches_a_full_simulation() {
    let mut checked = 0;
    let mut accepted = 0;
    for seed in 0..300 {
        let problem = problem(seed, 10, 1, seed % 3 != 0);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_route(&index, &mut rng);
        if !route.feasible {
            continue;
        }
        for job in 0..index.n_jobs as u32 {
            if route.nodes.contains(&job) || !route.can_take(&index, job) {
                continue;
            }
            for pos in 0..=route.nodes.len() {
                let mut nodes = route.nodes.clone();
                nodes.insert(pos, job);
                let expected = feasible(&index, 0, &nodes).map(|cost| cost - route.cost);
                assert_eq!(
                    route.insertion_cost(&index, job, pos),
                    expected,
                    "seed {seed} job {job} pos {pos}"
                );
                checked += 1;
                accepted += usize::from(expected.is_some());
            }
        }
    }
    assert!(
        checked > 1000 && accepted > 100,
        "too few cases: {checked} checked, {accepted} feasible"
    );
}

#[test]
fn cached_schedule_matches_a_full_simulation() {
    for seed in 0..200 {
        let problem = problem(seed, 10, 1, true);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_route(&index, &mut rng);
        let summary = simulate(&index, 0, route.nodes.iter().copied());
        assert_eq!(route.feasible, summary.on_time, "seed {seed}");
        let last = &route.slots[route.end()];
        assert_eq!(
            (last.distance, last.travel, route.duration),
            (summary.distance, summary.travel, summary.duration)
        );
        if !route.is_empty() {
            assert_eq!(route.cost, summary.cost);
        }
    }
}

#[test]
fn latest_start_is_the_last_start_that_keeps_the_route_feasible() {
    for seed in 0..100 {
        let problem = problem(seed, 8, 1, true);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_route(&index, &mut rng);
        if !route.feasible {
            continue;
        }
        let horizon = index.vehicles[0].shift.1;
        for pos in 1..route.end() {
            let latest = route.slots[pos].latest;
            let node = route.nodes[pos - 1];
            // Starting at `latest` works, one tick later does not (or is outside every window).
            let finishes = |start: i64| {
                let mut time = start + index.service[node as usize];
                let mut at = route.slots[pos].loc;
                let matrices = &index.matrices[index.vehicles[0].profile];
                for next in pos + 1..=route.end() {
                    let own = route.own_loc(&index, next);
                    let arrival = time + matrices.duration(at, own);
                    if next == route.end() {
                        return arrival <= horizon;
                    }
                    let Some(start) = index.earliest_start(route.nodes[next - 1], arrival) else {
                        return false;
                    };
                    time = start + index.service[route.nodes[next - 1] as usize];
                    if own != crate::index::NO_LOC {
                        at = own;
                    }
                }
                true
            };
            assert!(finishes(latest), "seed {seed} pos {pos}");
            let later_start = index.earliest_start(node, latest + 1);
            assert!(
                later_start.is_none_or(|s| !finishes(s)),
                "seed {seed} pos {pos}"
            );
        }
    }
}

#[test]
fn removing_jobs_leaves_a_route_that_meets_every_window() {
    // A break is taken where the vehicle is: without the job before it, the drive after it
    // may grow and a later job miss its window. Removal sheds such jobs too.
    let mut broken = 0;
    for seed in 0..400 {
        let problem = problem(seed, 10, 1, true);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_route(&index, &mut rng);
        if !route.feasible || route.n_jobs < 2 {
            continue;
        }
        for job in route.nodes.iter().copied().filter(|&n| !index.is_break(n)) {
            let mut ruined = route.clone();
            let kept: Vec<u32> = route.nodes.iter().copied().filter(|&n| n != job).collect();
            broken += usize::from(!simulate(&index, 0, kept.iter().copied()).on_time);
            let shed = ruined.remove_jobs(&index, |n| n == job);
            assert!(ruined.feasible, "seed {seed}: {:?}", ruined.nodes);
            let on_time = simulate(&index, 0, ruined.nodes.iter().copied()).on_time;
            assert!(on_time, "seed {seed}: {:?}", ruined.nodes);
            assert!(
                shed.iter()
                    .all(|n| route.nodes.contains(n) && !ruined.nodes.contains(n))
            );
            assert_eq!(ruined.n_jobs + shed.len() + 1, route.n_jobs, "seed {seed}");
        }
    }
    assert!(
        broken > 0,
        "no removal made a route late: the test shows nothing"
    );
}

/// Time warp of `nodes` driven by vehicle `v`, simulated stop by stop: start at the shift start,
/// serve each stop as early as its window allows and, when late, warp back to the window's end
/// (Vidal et al. 2013); a late return warps back to the shift end.
fn simulated_warp(index: &Index, v: usize, nodes: &[u32]) -> i64 {
    let data = &index.vehicles[v];
    let matrices = &index.matrices[data.profile];
    let (mut loc, mut time, mut warp) = (data.start, data.shift.0, 0);
    for &node in nodes {
        let own = matrices.node_row(node);
        let arrival = time + matrices.duration(loc, own);
        let (open, close) = index.first_window(node).unwrap_or((i64::MIN, i64::MAX));
        let start = arrival.max(open);
        warp += (start - close).max(0);
        time = start.min(close) + index.service[node as usize];
        loc = own;
    }
    warp + (time + matrices.duration(loc, data.end) - data.shift.1).max(0)
}

/// A route of vehicle 0 with up to 12 random jobs at random places, late or not; on odd
/// seeds, a feasible one.
fn random_late_route(index: &Index, seed: u64, rng: &mut impl Rng) -> RouteState {
    if seed % 2 == 1 {
        return random_route(index, rng);
    }
    let mut route = RouteState::new(index, 0);
    for _ in 0..rng.random_range(1..=12) {
        let job = rng.random_range(0..index.n_jobs as u32);
        if !route.nodes.contains(&job) {
            let pos = rng.random_range(0..=route.nodes.len());
            route.insert(index, pos, job);
        }
    }
    route
}

/// The segments of every prefix and suffix, joined around an inserted job, give the time warp
/// of a full simulation of the new route, on routes that are already late and on ones that are
/// not; the cost part is the insertion's distance cost.
#[test]
fn warped_insertion_matches_a_full_simulation_with_time_warp() {
    let (mut checked, mut late, mut on_time) = (0, 0, 0);
    for seed in 0..300 {
        let problem = problem(seed, 14, 1, false);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        assert!(
            index.time_warp,
            "seed {seed}: plain problems are priced by segments"
        );
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_late_route(&index, seed, &mut rng);
        assert_eq!(
            route.time_warp,
            simulated_warp(&index, 0, &route.nodes),
            "seed {seed}"
        );
        for job in 0..index.n_jobs as u32 {
            if route.nodes.contains(&job) {
                continue;
            }
            for pos in 0..=route.nodes.len() {
                let mut nodes = route.nodes.clone();
                nodes.insert(pos, job);
                let summary = simulate(&index, 0, nodes.iter().copied());
                let Some((cost, warp)) = route.warped_insertion(&index, job, pos) else {
                    panic!("seed {seed}: no limits, so every position is priced");
                };
                let expected = simulated_warp(&index, 0, &nodes);
                assert_eq!(
                    route.time_warp + warp,
                    expected,
                    "seed {seed} job {job} pos {pos}"
                );
                assert_eq!(
                    cost,
                    summary.cost - route.cost,
                    "seed {seed} job {job} pos {pos}"
                );
                checked += 1;
                late += usize::from(expected > 0);
                on_time += usize::from(expected == 0);
            }
        }
    }
    assert!(
        checked > 10_000 && late > 1000 && on_time > 1000,
        "too few cases: {checked} checked, {late} late, {on_time} on time"
    );
}

/// A route has no time warp exactly when its earliest-start schedule meets every window and
/// the shift end, so a penalised search's zero-warp solutions are the feasible ones.
#[test]
fn time_warp_is_zero_exactly_when_the_route_is_feasible() {
    let (mut feasible, mut late) = (0, 0);
    for seed in 0..400 {
        let problem = problem(seed, 10, 1, false);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let route = random_late_route(&index, seed, &mut rng);
        let on_time = simulate(&index, 0, route.nodes.iter().copied()).on_time;
        assert_eq!(
            route.time_warp == 0,
            on_time,
            "seed {seed}: {:?}",
            route.nodes
        );
        assert_eq!(route.feasible, on_time, "seed {seed}");
        feasible += usize::from(on_time);
        late += usize::from(!on_time);
    }
    assert!(
        feasible > 20 && late > 20,
        "{feasible} feasible, {late} late"
    );
}

/// Problems with breaks, several windows or duration terms are not priced by segments: they
/// run the exact search only.
#[test]
fn rich_problems_are_not_priced_by_segments() {
    let rich = (0..50)
        .filter_map(|seed| Index::new(&problem(seed, 10, 2, true)).ok())
        .filter(|index| {
            let several = (0..index.n_jobs as u32).any(|j| {
                index
                    .first_window(j)
                    .is_some_and(|w| index.last_start(j) != w.1)
            });
            let other = index
                .vehicles
                .iter()
                .any(|v| !v.breaks.is_empty() || v.duration_matters);
            several || other
        })
        .collect::<Vec<_>>();
    assert!(rich.len() > 40, "{} rich problems", rich.len());
    assert!(rich.iter().all(|index| !index.time_warp));
}
