//! The squeeze of Nagata & Bräysy's ejection pool: put a job where it breaks the routes least,
//! then repair with the best move between an infeasible route and a route holding a near job
//! (relocate either way, swap, 2-opt\*), while the total penalty falls. The penalty of a route
//! is its time warp (how much earlier the vehicle would have to arrive to meet every window and
//! the shift end) plus its load above capacity, weighted. Task, distance and travel limits and
//! skills are never broken. Assumes [`super::pool::applies`].

use super::pool::set_nodes;
use super::state::{State, UNROUTED};
use crate::index::Index;

/// How many of a job's nearest jobs a move may pair it with.
const NEAR: usize = 20;

/// Most repair moves of one squeeze.
const MAX_MOVES: usize = 50;

/// Penalty of `vehicle` serving `nodes` in that order, or `None` when it is above `cap` or a
/// task, distance or travel limit or a skill is broken.
fn penalty(
    index: &Index,
    vehicle: usize,
    nodes: &[u32],
    load_weight: i64,
    cap: i64,
) -> Option<i64> {
    let data = &index.vehicles[vehicle];
    if nodes.len() > data.max_tasks {
        return None;
    }
    let matrices = &index.matrices[data.profile];
    let (mut loc, mut time, mut distance, mut travel, mut warp) =
        (data.start, data.shift.0, 0, 0, 0);
    for &node in nodes {
        if !index.compatible(node as usize, vehicle) {
            return None;
        }
        let own = matrices.node_row(node);
        let drive = matrices.duration(loc, own);
        let arrival = time + drive;
        let start = index.earliest_start(node, arrival).unwrap_or_else(|| {
            let close = index.last_start(node);
            warp += arrival - close;
            close
        });
        distance += matrices.distance(loc, own);
        travel += drive;
        time = start + index.service[node as usize];
        loc = own;
        if warp > cap {
            return None;
        }
    }
    let drive = matrices.duration(loc, data.end);
    warp += (time + drive - data.shift.1).max(0);
    distance += matrices.distance(loc, data.end);
    travel += drive;
    if distance > data.max_distance || travel > data.max_travel {
        return None;
    }
    let excess: i64 = (0..index.dims)
        .map(|d| {
            let load: i64 = nodes.iter().map(|&n| index.demand(n as usize)[d]).sum();
            (load - data.capacity[d]).max(0)
        })
        .sum();
    let total = warp + load_weight * excess;
    (total <= cap).then_some(total)
}

/// A repair move: the new node sequences of two routes and the penalty change.
struct Repair {
    a: usize,
    b: usize,
    nodes_a: Vec<u32>,
    nodes_b: Vec<u32>,
    change: i64,
}

/// Inserts `job` where the penalty grows least and repairs; true when every route ends feasible.
/// On false the state is as before.
pub(super) fn squeeze(index: &Index, state: &mut State, job: u32, load_weight: i64) -> bool {
    let mut pen = vec![0i64; state.routes.len()];
    let mut best: Option<(i64, usize, Vec<u32>)> = None;
    for (r, route) in state.routes.iter().enumerate() {
        if route.is_empty() || !index.compatible(job as usize, route.vehicle) {
            continue;
        }
        for pos in 0..=route.nodes.len() {
            let mut nodes = route.nodes.clone();
            nodes.insert(pos, job);
            if let Some(p) = penalty(index, route.vehicle, &nodes, load_weight, i64::MAX)
                && best.as_ref().is_none_or(|b| p < b.0)
            {
                best = Some((p, r, nodes));
            }
        }
    }
    let Some((p, r, nodes)) = best else {
        return false;
    };
    let mut saved = vec![(r, state.routes[r].nodes.clone())];
    let mut touched = vec![false; state.routes.len()];
    touched[r] = true;
    set_nodes(index, state, r, nodes);
    pen[r] = p;
    let mut total = p;
    let mut moves = 0;
    while total > 0 && moves < MAX_MOVES {
        moves += 1;
        let Some(repair) = best_repair(index, state, &pen, load_weight) else {
            break;
        };
        for route in [repair.a, repair.b] {
            if !touched[route] {
                touched[route] = true;
                saved.push((route, state.routes[route].nodes.clone()));
            }
        }
        let (pa, pb) = (
            penalty(
                index,
                state.routes[repair.a].vehicle,
                &repair.nodes_a,
                load_weight,
                i64::MAX,
            ),
            penalty(
                index,
                state.routes[repair.b].vehicle,
                &repair.nodes_b,
                load_weight,
                i64::MAX,
            ),
        );
        let (Some(pa), Some(pb)) = (pa, pb) else {
            break;
        };
        set_nodes(index, state, repair.a, repair.nodes_a);
        set_nodes(index, state, repair.b, repair.nodes_b);
        total += repair.change;
        pen[repair.a] = pa;
        pen[repair.b] = pb;
    }
    if total == 0 && state.routes.iter().all(|route| route.feasible) {
        return true;
    }
    for (route, nodes) in saved.into_iter().rev() {
        set_nodes(index, state, route, nodes);
    }
    for (route, nodes) in state.routes.iter().enumerate() {
        for &n in &nodes.nodes {
            state.route_of[n as usize] = route as u32;
        }
    }
    state.route_of[job as usize] = UNROUTED;
    false
}

/// Fills `out_a` and `out_b` with routes `a` and `b` after move `kind` (0 to 6) on the job at
/// index `i` of `a` and the one at `j` of `b`: relocate the first before or after the second,
/// swap them, the two 2-opt\* joins, relocate the second before or after the first.
fn fill(
    kind: u8,
    na: &[u32],
    i: usize,
    nb: &[u32],
    j: usize,
    out_a: &mut Vec<u32>,
    out_b: &mut Vec<u32>,
) {
    out_a.clear();
    out_b.clear();
    let (u, v) = (na[i], nb[j]);
    match kind {
        0 | 1 => {
            let at = j + usize::from(kind == 1);
            out_a.extend(na[..i].iter().chain(&na[i + 1..]));
            out_b.extend(nb[..at].iter().chain(std::iter::once(&u)).chain(&nb[at..]));
        }
        2 => {
            out_a.extend_from_slice(na);
            out_a[i] = v;
            out_b.extend_from_slice(nb);
            out_b[j] = u;
        }
        3 => {
            out_a.extend(na[..=i].iter().chain(&nb[j..]));
            out_b.extend(nb[..j].iter().chain(&na[i + 1..]));
        }
        4 => {
            out_a.extend(na[..i].iter().chain(&nb[j + 1..]));
            out_b.extend(nb[..=j].iter().chain(&na[i..]));
        }
        _ => {
            let at = i + usize::from(kind == 6);
            out_a.extend(na[..at].iter().chain(std::iter::once(&v)).chain(&na[at..]));
            out_b.extend(nb[..j].iter().chain(&nb[j + 1..]));
        }
    }
}

/// The move that lowers the total penalty most, among those between an infeasible route and a
/// route holding one of its jobs' near jobs.
fn best_repair(index: &Index, state: &State, pen: &[i64], load_weight: i64) -> Option<Repair> {
    let mut best: Option<Repair> = None;
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    for (a, route_a) in state.routes.iter().enumerate() {
        if pen[a] == 0 {
            continue;
        }
        for (i, &u) in route_a.nodes.iter().enumerate() {
            for &v in index.neighbours[u as usize].iter().take(NEAR) {
                let b = state.route_of[v as usize];
                if b == UNROUTED || b as usize == a {
                    continue;
                }
                let b = b as usize;
                let route_b = &state.routes[b];
                let Some(j) = route_b.nodes.iter().position(|&n| n == v) else {
                    continue;
                };
                for kind in 0..7 {
                    fill(
                        kind,
                        &route_a.nodes,
                        i,
                        &route_b.nodes,
                        j,
                        &mut out_a,
                        &mut out_b,
                    );
                    let bound = best.as_ref().map_or(0, |m| m.change) + pen[a] + pen[b] - 1;
                    let Some(pa) = penalty(index, route_a.vehicle, &out_a, load_weight, bound)
                    else {
                        continue;
                    };
                    let Some(pb) = penalty(index, route_b.vehicle, &out_b, load_weight, bound - pa)
                    else {
                        continue;
                    };
                    best = Some(Repair {
                        a,
                        b,
                        nodes_a: out_a.clone(),
                        nodes_b: out_b.clone(),
                        change: pa + pb - pen[a] - pen[b],
                    });
                }
            }
        }
    }
    best
}
