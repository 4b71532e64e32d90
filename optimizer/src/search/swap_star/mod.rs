//! SWAP\* (Vidal 2022, "Hybrid genetic search for the CVRP: open-source implementation and
//! SWAP\* neighborhood", section 4): exchange a job `u` of route `a` with a job `v` of route `b`,
//! each going to its best place in the other route without the other job, not into the other's
//! place only.
//!
//! Per route pair, the three cheapest places (by distance) of every job of one route in the
//! other are found first; the best place of `u` in `b` without `v` is among them unless it is next
//! to `v`, or is `v`'s own place, so every pair of jobs is priced in O(1). Time windows are hard
//! here: only places where the job is on time in the route as it stands are kept (an O(1) test
//! from the cached schedule; taking the other job out keeps them on time), the few cheapest
//! priced moves of a pair are checked exactly with [`splice`]s, and the best one that fits is
//! applied (best improvement per pair) until no pair improves.
//!
//! The optimizer's model knows matrices, not coordinates, so route pairs are not filtered by
//! overlapping polar sectors as in the paper; only pairs with a route marked as changed are
//! looked at. Runs only where segments decide feasibility exactly ([`Index::time_warp`]).

mod splice;

use super::state::State;
use super::tails::route_value;
use crate::index::{Index, Matrices};
use crate::route::{OPEN, RouteState};
use splice::{Segments, Splice};

/// Cheapest places kept per job and route: enough that one is not next to a given job.
const TOP: usize = 3;
/// Cheapest priced moves per route pair that are checked exactly, so that an infeasible best
/// does not hide a feasible second.
const CANDIDATES: usize = 4;

/// A place for a job in a route: after position `after` (`0..=len`), at extra distance `cost`.
#[derive(Debug, Clone, Copy)]
struct Place {
    cost: i64,
    after: usize,
}

/// No place: dearer than any.
const NO_PLACE: Place = Place {
    cost: i64::MAX,
    after: usize::MAX,
};

/// One exchange: the job at position `u` of route `a` goes after position `u_after` of route
/// `b` without its job at position `v`, and that job after position `v_after` of `a` without
/// `u`. A place right after the removed job's predecessor is the removed job's own place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Exchange {
    pub a: usize,
    pub b: usize,
    pub u: usize,
    pub v: usize,
    pub u_after: usize,
    pub v_after: usize,
    /// Change of the objective, priced by distance.
    pub delta: i64,
}

/// Distance terms of one route, in its vehicle's matrices and objective units.
struct View<'a> {
    route: &'a RouteState,
    index: &'a Index,
    matrices: &'a Matrices,
    per_distance: i64,
}

impl<'a> View<'a> {
    fn new(index: &'a Index, route: &'a RouteState) -> Self {
        let vehicle = &index.vehicles[route.vehicle];
        View {
            route,
            index,
            matrices: &index.matrices[vehicle.profile],
            per_distance: vehicle.per_distance,
        }
    }

    /// Objective cost of driving `from` → `to` (rows of this route's matrices).
    fn arc(&self, from: u32, to: u32) -> i64 {
        self.per_distance * self.matrices.distance(from, to)
    }

    fn row(&self, job: u32) -> u32 {
        self.matrices.node_row(job)
    }

    /// Whether `job` can be served between positions `from` and `to` with the schedule before
    /// `from` and from `to` on as cached (exact for one window per job, no breaks).
    fn on_time(&self, job: u32, from: usize, to: usize) -> bool {
        let (index, matrices) = (self.index, self.matrices);
        let slots = &self.route.slots;
        let own = self.row(job);
        let (open, close) = index.first_window(job).unwrap_or((-OPEN, OPEN));
        let start = (slots[from].depart + matrices.duration(slots[from].loc, own)).max(open);
        start <= close
            && start + index.service[job as usize] + matrices.duration(own, slots[to].own)
                <= slots[to].latest
    }

    /// Extra cost of putting `job` between positions `after` and `after + 1`.
    fn insertion(&self, job: u32, after: usize) -> i64 {
        let slots = &self.route.slots;
        let (from, to, own) = (slots[after].loc, slots[after + 1].own, self.row(job));
        self.arc(from, own) + self.arc(own, to) - self.arc(from, to)
    }

    /// Extra cost of putting `job` where the job at position `pos` is, against the route
    /// without that job.
    fn in_place(&self, job: u32, pos: usize) -> i64 {
        let slots = &self.route.slots;
        let (from, to, own) = (slots[pos - 1].loc, slots[pos + 1].own, self.row(job));
        self.arc(from, own) + self.arc(own, to) - self.arc(from, to)
    }

    /// Saving of taking out the job at position `pos`.
    fn removal(&self, pos: usize) -> i64 {
        let slots = &self.route.slots;
        let (from, at, to) = (slots[pos - 1].loc, slots[pos].own, slots[pos + 1].own);
        self.arc(from, at) + self.arc(at, to) - self.arc(from, to)
    }

    /// The [`TOP`] cheapest places of `job` in this route where it is on time as the route
    /// stands, cheapest first. Taking out another job keeps such a place on time (waits absorb
    /// an earlier arrival, a later job starts no later), so the windows rarely void a move.
    fn top(&self, job: u32) -> [Place; TOP] {
        let mut top = [NO_PLACE; TOP];
        for after in 0..self.route.end() {
            if !self.on_time(job, after, after + 1) {
                continue;
            }
            let place = Place {
                cost: self.insertion(job, after),
                after,
            };
            if let Some(i) = top.iter().position(|p| place.cost < p.cost) {
                top[i..].rotate_right(1);
                top[i] = place;
            }
        }
        top
    }

    /// Cheapest place of a job whose [`View::top`] places are `top` in this route without the
    /// job at position `pos`: one of them not next to `pos`, or `pos`'s own place if the job is
    /// on time there. Returns the place and its extra cost against the route without the job at
    /// `pos` ([`NO_PLACE`] when there is none).
    fn best_without(&self, job: u32, top: &[Place; TOP], pos: usize) -> Place {
        let elsewhere = (top.iter())
            .find(|p| p.after != pos - 1 && p.after != pos)
            .copied()
            .unwrap_or(NO_PLACE);
        let own = self.in_place(job, pos);
        if own < elsewhere.cost && self.on_time(job, pos - 1, pos + 1) {
            Place {
                cost: own,
                after: pos - 1,
            }
        } else {
            elsewhere
        }
    }
}

/// Whether `job` may replace the job at position `pos` of `route` by capacity and skills.
fn may_replace(index: &Index, route: &RouteState, job: u32, pos: usize) -> bool {
    let out = route.nodes[pos - 1] as usize;
    let capacity = &index.vehicles[route.vehicle].capacity;
    index.compatible(job as usize, route.vehicle)
        && (0..index.dims).all(|d| {
            route.load[d] - index.demand(out)[d] + index.demand(job as usize)[d] <= capacity[d]
        })
}

/// Scratch space reused from one route pair to the next.
#[derive(Default)]
struct Scratch {
    tops_ab: Vec<[Place; TOP]>,
    tops_ba: Vec<[Place; TOP]>,
    removal_b: Vec<i64>,
}

/// The [`CANDIDATES`] exchanges between routes `a` and `b` that lower the distance price most,
/// cheapest first (each pair of jobs at their best places only).
fn priced(
    index: &Index,
    state: &State,
    a: usize,
    b: usize,
    scratch: &mut Scratch,
) -> Vec<Exchange> {
    let (ra, rb) = (&state.routes[a], &state.routes[b]);
    let (va, vb) = (View::new(index, ra), View::new(index, rb));
    scratch.tops_ab.clear();
    scratch.tops_ab.extend(ra.nodes.iter().map(|&u| vb.top(u)));
    scratch.tops_ba.clear();
    scratch.tops_ba.extend(rb.nodes.iter().map(|&v| va.top(v)));
    scratch.removal_b.clear();
    scratch
        .removal_b
        .extend((1..rb.end()).map(|v| vb.removal(v)));
    let mut kept: Vec<Exchange> = Vec::with_capacity(CANDIDATES + 1);
    for u in 1..ra.end() {
        let ju = ra.nodes[u - 1];
        let removal_u = va.removal(u);
        for v in 1..rb.end() {
            let jv = rb.nodes[v - 1];
            if !may_replace(index, rb, ju, v) || !may_replace(index, ra, jv, u) {
                continue;
            }
            let pu = vb.best_without(ju, &scratch.tops_ab[u - 1], v);
            let pv = va.best_without(jv, &scratch.tops_ba[v - 1], u);
            if pu.cost == i64::MAX || pv.cost == i64::MAX {
                continue;
            }
            let delta = pu.cost + pv.cost - removal_u - scratch.removal_b[v - 1];
            if delta >= 0 || kept.len() == CANDIDATES && kept[CANDIDATES - 1].delta <= delta {
                continue;
            }
            let at = kept.partition_point(|e| e.delta <= delta);
            kept.insert(
                at,
                Exchange {
                    a,
                    b,
                    u,
                    v,
                    u_after: pu.after,
                    v_after: pv.after,
                    delta,
                },
            );
            kept.truncate(CANDIDATES);
        }
    }
    kept
}

/// Route `route` without its job at position `removed` and with `job` after position `after`,
/// as a splice of `route` (kept start, run, kept end) and its run.
fn rebuild<'a>(
    route: &'a RouteState,
    segments: &'a Segments,
    removed: usize,
    job: u32,
    after: usize,
) -> (Splice<'a>, Vec<u32>) {
    let middle = if after < removed {
        std::iter::once(job)
            .chain(route.nodes[after..removed - 1].iter().copied())
            .collect()
    } else {
        let mut run = route.nodes[removed..after].to_vec();
        run.push(job);
        run
    };
    let splice = Splice {
        route,
        segments,
        keep_to: after.min(removed - 1),
        resume_at: after.max(removed) + 1,
    };
    (splice, middle)
}

/// An exchange checked exactly: the objective it saves and the two rebuilt node sequences.
#[derive(Debug)]
pub(super) struct Move {
    pub gain: i64,
    pub a_nodes: Vec<u32>,
    pub b_nodes: Vec<u32>,
}

/// `e` checked exactly, if both rebuilt routes fit and it saves something.
fn checked(index: &Index, state: &State, segments: &[Segments], e: &Exchange) -> Option<Move> {
    let (ra, rb) = (&state.routes[e.a], &state.routes[e.b]);
    let (ju, jv) = (ra.nodes[e.u - 1], rb.nodes[e.v - 1]);
    let (sa, middle_a) = rebuild(ra, &segments[e.a], e.u, jv, e.v_after);
    let (sb, middle_b) = rebuild(rb, &segments[e.b], e.v, ju, e.u_after);
    let before = route_value(index, ra) + route_value(index, rb);
    let after =
        sa.value(index, middle_a.iter().copied()) + sb.value(index, middle_b.iter().copied());
    (after < before
        && sa.fits(index, middle_a.iter().copied())
        && sb.fits(index, middle_b.iter().copied()))
    .then(|| Move {
        gain: before - after,
        a_nodes: spliced(&sa, &middle_a),
        b_nodes: spliced(&sb, &middle_b),
    })
}

/// The node sequence of a splice with run `middle`.
fn spliced(splice: &Splice<'_>, middle: &[u32]) -> Vec<u32> {
    let nodes = &splice.route.nodes;
    let mut out = Vec::with_capacity(nodes.len());
    out.extend_from_slice(&nodes[..splice.keep_to]);
    out.extend_from_slice(middle);
    out.extend_from_slice(&nodes[splice.resume_at - 1..]);
    out
}

/// The best exchange between routes `a` and `b` among the [`CANDIDATES`] cheapest priced ones
/// that fits and saves something.
fn best_move(
    index: &Index,
    state: &State,
    segments: &[Segments],
    (a, b): (usize, usize),
    scratch: &mut Scratch,
) -> Option<Move> {
    priced(index, state, a, b, scratch)
        .into_iter()
        .find_map(|e| checked(index, state, segments, &e))
}

/// Applies SWAP\* moves, best improvement per route pair, until no pair improves (at most
/// `rounds` moves), looking only at pairs with a route marked in `changed` or rebuilt since;
/// rebuilt routes become marked. Returns the number of moves applied. Does nothing unless
/// [`Index::time_warp`].
pub(crate) fn swap_star(
    index: &Index,
    state: &mut State,
    rounds: usize,
    changed: &mut [bool],
) -> usize {
    if !index.time_warp {
        return 0;
    }
    let n = state.routes.len();
    let mut segments = vec![Segments::default(); n];
    for (segment, route) in segments.iter_mut().zip(&state.routes) {
        segment.update(index, route);
    }
    let mut scratch = Scratch::default();
    let mut dirty = changed.to_vec();
    let (before, mut saved, mut moves) = (state.objective, 0, 0);
    'sweeps: loop {
        let mut touched = vec![false; n];
        for a in 0..n {
            for b in a + 1..n {
                let look = dirty[a] || dirty[b] || touched[a] || touched[b];
                if !look || state.routes[a].is_empty() || state.routes[b].is_empty() {
                    continue;
                }
                if moves == rounds {
                    break 'sweeps;
                }
                let Some(found) = best_move(index, state, &segments, (a, b), &mut scratch) else {
                    continue;
                };
                for (r, nodes) in [(a, found.a_nodes), (b, found.b_nodes)] {
                    let route = &mut state.routes[r];
                    route.nodes = nodes;
                    route.update(index);
                    debug_assert!(route.feasible, "SWAP* made route {r} late");
                    for &job in &route.nodes {
                        state.route_of[job as usize] = r as u32;
                    }
                    segments[r].update(index, route);
                    touched[r] = true;
                    changed[r] = true;
                }
                saved += found.gain;
                moves += 1;
            }
        }
        if !touched.contains(&true) {
            break;
        }
        dirty = touched;
    }
    state.refresh_objective(index);
    debug_assert_eq!(before - state.objective, saved);
    moves
}

#[cfg(test)]
mod tests;
