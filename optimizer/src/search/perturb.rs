//! Random feasible moves between two routes, each priced in O(1) from the cached schedules: the
//! perturbation of Nagata & Bräysy's ejection pool. A job `u` and one of its near jobs `v` in
//! another route are drawn; then `u` moves next to `v` (relocate), `u` and `v` trade places
//! (swap), or the route of `u` continues with `v` and the rest of its route while the route of
//! `v` continues with what followed `u` (2-opt\*). A move is made only if both routes stay
//! feasible; its cost does not matter. Assumes [`super::pool::applies`].

use rand::Rng;

use super::pool::set_nodes;
use super::state::{State, UNROUTED};
use super::tails::{eligible, joined_cost};
use crate::index::Index;
use crate::route::RouteState;

/// How many of a job's nearest jobs a move may pair it with.
const NEAR: usize = 20;

/// Tries `moves` random moves and makes the feasible ones.
pub(super) fn perturb(index: &Index, state: &mut State, moves: usize, rng: &mut impl Rng) {
    if index.n_jobs < 2 {
        return;
    }
    for _ in 0..moves {
        let u = rng.random_range(0..index.n_jobs);
        let near = &index.neighbours[u];
        if near.is_empty() {
            continue;
        }
        let v = near[rng.random_range(0..near.len().min(NEAR))] as usize;
        let (ra, rb) = (state.route_of[u], state.route_of[v]);
        if ra == UNROUTED || rb == UNROUTED || ra == rb {
            continue;
        }
        let (ra, rb) = (ra as usize, rb as usize);
        let (Some(pu), Some(pv)) = (
            position(&state.routes[ra], u as u32),
            position(&state.routes[rb], v as u32),
        ) else {
            continue;
        };
        match rng.random_range(0..3) {
            0 => {
                let after = pv - rng.random_range(0..2usize);
                relocate(index, state, (ra, pu), (rb, after));
            }
            1 => swap(index, state, (ra, pu), (rb, pv)),
            _ => exchange_tails(index, state, (ra, pu), (rb, pv - 1)),
        }
    }
}

/// Position (`1..=len`) of `job` in `route`.
fn position(route: &RouteState, job: u32) -> Option<usize> {
    route.nodes.iter().position(|&n| n == job).map(|i| i + 1)
}

/// Whether the route stays feasible without the job at `pos`.
fn removable(index: &Index, route: &RouteState, pos: usize) -> bool {
    let vehicle = &index.vehicles[route.vehicle];
    let matrices = &index.matrices[vehicle.profile];
    let (before, here, after) = (
        &route.slots[pos - 1],
        &route.slots[pos],
        &route.slots[pos + 1],
    );
    if before.depart + matrices.duration(before.loc, after.own) > after.latest {
        return false;
    }
    let distance = matrices.distance(before.loc, after.own)
        - matrices.distance(before.loc, here.own)
        - matrices.distance(here.own, after.own);
    let travel = matrices.duration(before.loc, after.own)
        - matrices.duration(before.loc, here.own)
        - matrices.duration(here.own, after.own);
    let last = &route.slots[route.end()];
    last.distance + distance <= vehicle.max_distance && last.travel + travel <= vehicle.max_travel
}

/// Whether the route stays feasible with `job` in place of the job at `pos`.
fn replaceable(index: &Index, route: &RouteState, pos: usize, job: u32) -> bool {
    let vehicle = &index.vehicles[route.vehicle];
    let matrices = &index.matrices[vehicle.profile];
    let old = route.nodes[pos - 1] as usize;
    if !route.feasible || !index.compatible(job as usize, route.vehicle) {
        return false;
    }
    let fits = route
        .load
        .iter()
        .zip(index.demand(old))
        .zip(index.demand(job as usize))
        .zip(&vehicle.capacity)
        .all(|(((l, o), n), c)| l - o + n <= *c);
    if !fits {
        return false;
    }
    let (before, gone, after) = (
        &route.slots[pos - 1],
        &route.slots[pos],
        &route.slots[pos + 1],
    );
    let here = matrices.node_row(job);
    let Some(start) =
        index.earliest_start(job, before.depart + matrices.duration(before.loc, here))
    else {
        return false;
    };
    let time = start + index.service[job as usize];
    if time + matrices.duration(here, after.own) > after.latest {
        return false;
    }
    let distance = matrices.distance(before.loc, here) + matrices.distance(here, after.own)
        - matrices.distance(before.loc, gone.own)
        - matrices.distance(gone.own, after.own);
    let travel = matrices.duration(before.loc, here) + matrices.duration(here, after.own)
        - matrices.duration(before.loc, gone.own)
        - matrices.duration(gone.own, after.own);
    let last = &route.slots[route.end()];
    last.distance + distance <= vehicle.max_distance && last.travel + travel <= vehicle.max_travel
}

/// Moves the job at position `from.1` of route `from.0` after position `to.1` of route `to.0`.
fn relocate(index: &Index, state: &mut State, from: (usize, usize), to: (usize, usize)) {
    let (ra, pu) = from;
    let (rb, after) = to;
    let job = state.routes[ra].nodes[pu - 1];
    let target = &state.routes[rb];
    if !target.can_take(index, job)
        || target.insertion_cost(index, job, after).is_none()
        || !removable(index, &state.routes[ra], pu)
    {
        return;
    }
    state.routes[ra].nodes.remove(pu - 1);
    state.routes[ra].update(index);
    state.routes[rb].insert(index, after, job);
    state.route_of[job as usize] = rb as u32;
}

/// Trades the job at position `a.1` of route `a.0` with the one at `b.1` of route `b.0`.
fn swap(index: &Index, state: &mut State, a: (usize, usize), b: (usize, usize)) {
    let (u, v) = (
        state.routes[a.0].nodes[a.1 - 1],
        state.routes[b.0].nodes[b.1 - 1],
    );
    if !replaceable(index, &state.routes[a.0], a.1, v)
        || !replaceable(index, &state.routes[b.0], b.1, u)
    {
        return;
    }
    let mut nodes_a = state.routes[a.0].nodes.clone();
    let mut nodes_b = state.routes[b.0].nodes.clone();
    nodes_a[a.1 - 1] = v;
    nodes_b[b.1 - 1] = u;
    set_nodes(index, state, a.0, nodes_a);
    set_nodes(index, state, b.0, nodes_b);
}

/// Route `a.0` keeps its first `a.1` stops and continues with the stops of route `b.0` after its
/// first `b.1`, and the other way round.
fn exchange_tails(index: &Index, state: &mut State, a: (usize, usize), b: (usize, usize)) {
    let (route_a, route_b) = (&state.routes[a.0], &state.routes[b.0]);
    if !eligible(index, route_a, route_b)
        || joined_cost(index, route_a, a.1, route_b, b.1).is_none()
        || joined_cost(index, route_b, b.1, route_a, a.1).is_none()
    {
        return;
    }
    let mut nodes_a = route_a.nodes[..a.1].to_vec();
    let mut nodes_b = route_b.nodes[..b.1].to_vec();
    nodes_a.extend_from_slice(&route_b.nodes[b.1..]);
    nodes_b.extend_from_slice(&route_a.nodes[a.1..]);
    set_nodes(index, state, a.0, nodes_a);
    set_nodes(index, state, b.0, nodes_b);
}
