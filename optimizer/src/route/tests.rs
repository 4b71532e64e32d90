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

/// Random problem `seed` (`jobs` jobs, one vehicle, every feature when `rich`), indexed, and a
/// random route of its vehicle drawn from the same seed.
fn seeded_route(seed: u64, jobs: usize, rich: bool) -> (Index, RouteState) {
    let problem = problem(seed, jobs, 1, rich);
    let Ok(index) = Index::new(&problem) else {
        panic!("index")
    };
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let route = random_route(&index, &mut rng);
    (index, route)
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
        let (index, route) = seeded_route(seed, 10, seed % 3 != 0);
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
        let (index, route) = seeded_route(seed, 10, true);
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
        let (index, route) = seeded_route(seed, 8, true);
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
        let (index, route) = seeded_route(seed, 10, true);
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

#[test]
fn removing_jobs_leaves_a_route_within_its_limits() {
    // Without the jobs before it, a break may become the first stop and be taken at its
    // window's opening, the departure moving earlier: the route then lasts longer than
    // before, possibly beyond its duration limit. Removal sheds jobs until it is within.
    let mut over = 0;
    for seed in 0..400 {
        let (index, route) = seeded_route(seed, 10, true);
        if !route.feasible || route.n_jobs < 2 {
            continue;
        }
        let jobs: Vec<u32> = route
            .nodes
            .iter()
            .copied()
            .filter(|&n| !index.is_break(n))
            .collect();
        for (i, &first) in jobs.iter().enumerate() {
            for &second in &jobs[i + 1..] {
                let gone = |n: u32| n == first || n == second;
                let kept: Vec<u32> = route.nodes.iter().copied().filter(|&n| !gone(n)).collect();
                let on_time = simulate(&index, 0, kept.iter().copied()).on_time;
                let has_jobs = kept.iter().any(|&n| !index.is_break(n));
                over += usize::from(on_time && has_jobs && feasible(&index, 0, &kept).is_none());
                let mut ruined = route.clone();
                let shed = ruined.remove_jobs(&index, gone);
                assert!(ruined.feasible, "seed {seed}: {:?}", ruined.nodes);
                if ruined.n_jobs > 0 {
                    assert!(
                        feasible(&index, 0, &ruined.nodes).is_some(),
                        "seed {seed}: {:?} is late or over a limit",
                        ruined.nodes
                    );
                }
                assert_eq!(ruined.n_jobs + shed.len() + 2, route.n_jobs, "seed {seed}");
            }
        }
    }
    assert!(
        over > 0,
        "no removal took a route over a limit: the test shows nothing"
    );
}
