//! Pricing a route spliced from pieces of routes: the head of one, a few nodes, the tail of
//! another (or the same). Every local search move — relocate, swap, 2-opt*, or-opt, 2-opt — is
//! such a splice of one or two routes.
//!
//! A route's cache already holds what concatenation needs (Savelsbergh's forward and backward
//! passes, the same idea as Vidal's time-window segments): the head ends with its earliest
//! departure, cumulative distance, travel and load; the tail starts with its latest feasible
//! start and holds the distance, travel and load still to go. So a splice costs O(1) plus one
//! step per node in the middle, and is exact with several windows per job. Vehicles with breaks
//! or duration terms do not fit that scheme (a break is taken where the vehicle is; a duration
//! needs the departure): a splice within one such route is simulated in full instead, and a
//! splice across two routes one of which is such a vehicle is not priced at all.

use super::{RouteState, simulate};
use crate::index::Index;

/// A route made of the first `head` nodes of `from` (positions `1..=head`), then `middle`, then
/// the nodes of `tail` from position `rest` (`1..=tail.end()`) to its end, driven by `from`'s
/// vehicle.
pub(crate) struct Splice<'a> {
    pub from: &'a RouteState,
    pub head: usize,
    pub middle: &'a [u32],
    pub tail: &'a RouteState,
    pub rest: usize,
}

/// Whether heads of `a` and tails of `b` can be joined in O(1): same matrices, same end and
/// shift end (the tail's latest starts hold for both), no breaks, no duration cost or limit,
/// and the same jobs allowed (a tail's jobs may all change vehicle).
pub(crate) fn joinable(index: &Index, a: &RouteState, b: &RouteState) -> bool {
    let (va, vb) = (&index.vehicles[a.vehicle], &index.vehicles[b.vehicle]);
    va.profile == vb.profile
        && va.end == vb.end
        && va.shift.1 == vb.shift.1
        && va.job_class == vb.job_class
        && va.breaks.is_empty()
        && vb.breaks.is_empty()
        && !va.duration_matters
        && !vb.duration_matters
}

/// What a route adds to the objective: its cost and the vehicle weight when it serves a job,
/// nothing when it is empty.
pub(crate) fn route_value(index: &Index, route: &RouteState) -> i64 {
    if route.is_empty() {
        0
    } else {
        route.cost + index.vehicle_weight
    }
}

impl Splice<'_> {
    /// The spliced route's value as [`route_value`] counts it, or `None` when it breaks a
    /// window, the shift, the capacity, a limit or a skill, or cannot be priced (a splice
    /// across two routes that are not [`joinable`]). Both routes must be feasible.
    pub(crate) fn value(&self, index: &Index) -> Option<i64> {
        let vehicle = self.from.vehicle;
        if self
            .middle
            .iter()
            .any(|&n| !index.is_break(n) && !index.compatible(n as usize, vehicle))
        {
            return None;
        }
        if joinable(index, self.from, self.tail) {
            self.value_from_caches(index)
        } else if std::ptr::eq(self.from, self.tail) {
            self.value_simulated(index)
        } else {
            None
        }
    }

    /// O(1 + middle) from the cached head and tail; assumes [`joinable`] (so no breaks: every
    /// node is a job).
    fn value_from_caches(&self, index: &Index) -> Option<i64> {
        let data = &index.vehicles[self.from.vehicle];
        let matrices = &index.matrices[data.profile];
        let head = &self.from.slots[self.head];
        let (mut loc, mut time) = (head.loc, head.depart);
        let (mut distance, mut travel) = (head.distance, head.travel);
        for &node in self.middle {
            let own = matrices.node_row(node);
            let drive = matrices.duration(loc, own);
            time = index.earliest_start(node, time + drive)? + index.service[node as usize];
            distance += matrices.distance(loc, own);
            travel += drive;
            loc = own;
        }
        let tail = self.tail;
        let next = &tail.slots[self.rest];
        let last = &tail.slots[tail.end()];
        if time + matrices.duration(loc, next.own) > next.latest {
            return None;
        }
        let tasks = self.head + self.middle.len() + (tail.end() - self.rest);
        if tasks > data.max_tasks {
            return None;
        }
        let dims = index.dims;
        for d in 0..dims {
            let middle: i64 = self
                .middle
                .iter()
                .map(|&n| index.demand(n as usize)[d])
                .sum();
            let load = self.from.prefix_load[self.head * dims + d]
                + middle
                + tail.prefix_load[tail.end() * dims + d]
                - tail.prefix_load[(self.rest - 1) * dims + d];
            if load > data.capacity[d] {
                return None;
            }
        }
        distance += matrices.distance(loc, next.own) + last.distance - next.distance;
        travel += matrices.duration(loc, next.own) + last.travel - next.travel;
        if distance > data.max_distance || travel > data.max_travel {
            return None;
        }
        Some(if tasks == 0 {
            0
        } else {
            data.fixed + index.vehicle_weight + data.per_distance * distance
        })
    }

    /// A full simulation of the spliced node sequence (one route, breaks and duration terms
    /// included).
    fn value_simulated(&self, index: &Index) -> Option<i64> {
        let data = &index.vehicles[self.from.vehicle];
        let nodes = || {
            self.from.nodes[..self.head]
                .iter()
                .chain(self.middle)
                .chain(&self.tail.nodes[self.rest - 1..])
                .copied()
        };
        let jobs = || nodes().filter(|&n| !index.is_break(n));
        if jobs().count() > data.max_tasks {
            return None;
        }
        for d in 0..index.dims {
            let load: i64 = jobs().map(|n| index.demand(n as usize)[d]).sum();
            if load > data.capacity[d] {
                return None;
            }
        }
        let summary = simulate(index, self.from.vehicle, nodes());
        if !summary.on_time
            || summary.duration > data.max_duration
            || summary.distance > data.max_distance
            || summary.travel > data.max_travel
        {
            return None;
        }
        Some(if jobs().next().is_none() {
            0
        } else {
            summary.cost + index.vehicle_weight
        })
    }
}
