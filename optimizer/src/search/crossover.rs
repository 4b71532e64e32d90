//! Route-based crossover, a simple form of SREX (Nagata & Kobayashi's selective route
//! exchange), used as a ruin move: a few routes of an elite partner replace the routes of the
//! current solution that overlap them most.
//!
//! The partner's routes are taken near a random job (its route, then the routes of its nearest
//! neighbours). Each replaces the current route sharing most of its jobs; the jobs the partner
//! route holds that are still served elsewhere stay where they are (dropped from the copy), and
//! the jobs of the replaced routes that the copies do not serve are left for the recreate.

use rand::Rng;

use super::state::{State, UNROUTED};
use crate::index::Index;

/// Most partner routes exchanged at once.
const MAX_ROUTES: usize = 3;

/// Replaces up to [`MAX_ROUTES`] routes of `state` by copies of routes of `partner`; the jobs
/// left out are appended to `state.unserved` and to `removed`. Returns `false`, with `state`
/// unchanged, when either solution has no route or the partner's routes near the drawn job are
/// all routes of `state` already.
///
/// A copy goes on the partner route's vehicle if that route is now empty, else on an empty
/// vehicle of the same class, else it is skipped. Its jobs are inserted in the partner's order,
/// each at its cheapest place after the previous one that the O(1) insertion test accepts (so
/// the receiving vehicle's breaks, windows, limits and skills are all checked); a job that fits
/// nowhere there is left out.
pub(crate) fn cross(
    index: &Index,
    state: &mut State,
    partner: &State,
    rng: &mut impl Rng,
    removed: &mut Vec<u32>,
) -> bool {
    removed.clear();
    let used = |s: &State| s.routes.iter().filter(|r| !r.is_empty()).count();
    let fewest = used(state).min(used(partner));
    if fewest == 0 || index.n_jobs == 0 {
        return false;
    }
    let count = rng.random_range(1..=MAX_ROUTES.min(fewest.div_ceil(2)));
    let seed = rng.random_range(0..index.n_jobs) as u32;
    let mut taken: Vec<usize> = Vec::with_capacity(count);
    for job in std::iter::once(seed).chain(index.neighbours[seed as usize].iter().copied()) {
        if taken.len() >= count {
            break;
        }
        let r = partner.route_of[job as usize];
        if r != UNROUTED
            && !taken.contains(&(r as usize))
            && !served_alike(index, state, &partner.routes[r as usize].nodes)
        {
            taken.push(r as usize);
        }
    }
    if taken.is_empty() {
        return false;
    }
    let mut replaced: Vec<usize> = Vec::with_capacity(taken.len());
    for &p in &taken {
        if let Some(r) = most_overlapping(index, state, &partner.routes[p].nodes, &replaced) {
            replaced.push(r);
        }
    }
    for &r in &replaced {
        for &node in &state.routes[r].nodes {
            if !index.is_break(node) {
                state.route_of[node as usize] = UNROUTED;
                removed.push(node);
            }
        }
        state.routes[r].remove_jobs(index, |_| true);
    }
    for &p in &taken {
        copy_route(index, state, partner, p);
    }
    removed.retain(|&j| state.route_of[j as usize] == UNROUTED);
    state
        .unserved
        .retain(|&j| state.route_of[j as usize] == UNROUTED);
    state.unserved.extend_from_slice(removed);
    state.refresh_objective(index);
    true
}

/// Whether `state` has a route serving exactly the jobs of `nodes`, in the same order: copying
/// such a route would change nothing.
fn served_alike(index: &Index, state: &State, nodes: &[u32]) -> bool {
    let jobs = nodes.iter().copied().filter(|&n| !index.is_break(n));
    let Some(first) = jobs.clone().next() else {
        return true;
    };
    let r = state.route_of[first as usize];
    r != UNROUTED
        && state.routes[r as usize]
            .nodes
            .iter()
            .copied()
            .filter(|&n| !index.is_break(n))
            .eq(jobs)
}

/// The used route of `state`, not in `excluded`, that serves most of `nodes` (the first of
/// equals); `None` when every used route is excluded.
fn most_overlapping(
    index: &Index,
    state: &State,
    nodes: &[u32],
    excluded: &[usize],
) -> Option<usize> {
    let mut shared = vec![0usize; state.routes.len()];
    for &node in nodes.iter().filter(|&&n| !index.is_break(n)) {
        let r = state.route_of[node as usize];
        if r != UNROUTED {
            shared[r as usize] += 1;
        }
    }
    let mut best: Option<usize> = None;
    for (r, route) in state.routes.iter().enumerate() {
        if route.is_empty() || excluded.contains(&r) {
            continue;
        }
        if best.is_none_or(|b| shared[r] > shared[b]) {
            best = Some(r);
        }
    }
    best
}

/// Copies the jobs of `partner`'s route `p` that `state` does not serve onto an empty route of
/// the same vehicle or vehicle class (see [`cross`]).
fn copy_route(index: &Index, state: &mut State, partner: &State, p: usize) {
    let source = &partner.routes[p];
    let vehicle = source.vehicle;
    let class = index.vehicles[vehicle].class;
    let target = state
        .routes
        .iter()
        .position(|r| r.vehicle == vehicle && r.is_empty())
        .or_else(|| {
            state
                .routes
                .iter()
                .position(|r| r.is_empty() && index.vehicles[r.vehicle].class == class)
        });
    let Some(target) = target else {
        return;
    };
    let mut after = 0;
    for &job in &source.nodes {
        if index.is_break(job) || state.route_of[job as usize] != UNROUTED {
            continue;
        }
        let route = &mut state.routes[target];
        if !route.can_take(index, job) {
            continue;
        }
        let mut best: Option<(usize, i64)> = None;
        for pos in after..route.end() {
            if let Some(delta) = route.insertion_cost(index, job, pos)
                && best.is_none_or(|(_, b)| delta < b)
            {
                best = Some((pos, delta));
            }
        }
        if let Some((pos, _)) = best {
            route.insert(index, pos, job);
            state.route_of[job as usize] = target as u32;
            after = pos + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::cross;
    use crate::export::export;
    use crate::index::Index;
    use crate::search::recreate::recreate;
    use crate::search::ruin::{RuinParams, ruin};
    use crate::search::state::{State, UNROUTED};
    use crate::tests::generate::problem;

    /// Two different solutions of the same random problem (rich ones: several windows, breaks,
    /// skills, limits, vehicle classes that differ): the child holds every job exactly once,
    /// served or pending, with `route_of` telling where; once recreated, every route passes
    /// the independent checker.
    #[test]
    fn the_child_holds_every_job_once_and_its_routes_pass_the_checker() {
        let mut crossed = 0;
        for seed in 0..200 {
            let rich = seed % 2 == 0;
            let problem = problem(seed, 25, 4, rich);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let solve = |rng: &mut Pcg64Mcg| {
                let mut state = State::empty(&index, &jobs);
                recreate(&index, &mut state, usize::MAX, 0.0, rng);
                let mut removed = Vec::new();
                for _ in 0..30 {
                    let mut candidate = state.clone();
                    ruin(
                        &index,
                        &mut candidate,
                        &RuinParams::default(),
                        rng,
                        &mut removed,
                    );
                    recreate(&index, &mut candidate, usize::MAX, 0.01, rng);
                    if candidate.objective < state.objective {
                        state = candidate;
                    }
                }
                state
            };
            let mut child = solve(&mut rng);
            let partner = solve(&mut rng);
            let mut removed = Vec::new();
            if !cross(&index, &mut child, &partner, &mut rng, &mut removed) {
                continue;
            }
            crossed += 1;
            let mut seen = vec![0; index.n_jobs];
            for (r, route) in child.routes.iter().enumerate() {
                assert!(
                    route.feasible || route.is_empty(),
                    "seed {seed}: route {r} infeasible"
                );
                for &node in route.nodes.iter().filter(|&&n| !index.is_break(n)) {
                    seen[node as usize] += 1;
                    assert_eq!(child.route_of[node as usize], r as u32, "seed {seed}");
                }
            }
            for &job in &child.unserved {
                seen[job as usize] += 1;
                assert_eq!(child.route_of[job as usize], UNROUTED, "seed {seed}");
            }
            assert!(
                seen.iter().all(|&n| n == 1),
                "seed {seed}: job counts {seen:?}"
            );
            for &job in &removed {
                assert!(child.unserved.contains(&job), "seed {seed}: {job} lost");
            }
            recreate(&index, &mut child, usize::MAX, 0.01, &mut rng);
            let solution = export(&problem, &index, &child, &vec![None; index.n_jobs]);
            let violations = crate::check(&problem, &solution);
            assert!(violations.is_empty(), "seed {seed}: {violations:?}");
        }
        assert!(crossed > 150, "only {crossed} crossovers");
    }
}
