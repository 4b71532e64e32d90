//! Checking a route rebuilt from three parts: the kept start of a route, a run of jobs put in
//! between, and the kept end of the same route. Each route a SWAP\* move rebuilds is one of
//! these (the run: the inserted job and the jobs between its place and the removed one).
//!
//! The kept parts are priced from the route's caches (time-warp segments of each prefix and
//! suffix, cumulative distance, travel time and load), the run in between stop by stop, so a
//! splice costs O(length of the run). Exact only under [`Index::time_warp`] (no breaks, no
//! duration terms, one window per job).

use crate::index::Index;
use crate::route::{OPEN, RouteState, Segment};

/// Time-warp segments of every prefix and suffix of one route.
#[derive(Debug, Clone, Default)]
pub(super) struct Segments {
    /// Segment of positions `0..=pos`, per position.
    forward: Vec<Segment>,
    /// Segment of positions `pos..=end`, per position.
    backward: Vec<Segment>,
}

/// The time-warp segment of job `node` alone.
fn stop(index: &Index, node: u32) -> Segment {
    let (open, close) = index.first_window(node).unwrap_or((-OPEN, OPEN));
    Segment::stop(open, close, index.service[node as usize])
}

impl Segments {
    /// Recomputes the segments of `route` from its cached locations.
    pub(super) fn update(&mut self, index: &Index, route: &RouteState) {
        let vehicle = &index.vehicles[route.vehicle];
        let matrices = &index.matrices[vehicle.profile];
        let end = route.end();
        let depot = Segment::stop(vehicle.shift.0, vehicle.shift.1, 0);
        let at = |pos: usize| {
            if pos == 0 || pos == end {
                depot
            } else {
                stop(index, route.nodes[pos - 1])
            }
        };
        let drive = |pos: usize| matrices.duration(route.slots[pos - 1].loc, route.slots[pos].own);
        self.forward.clear();
        self.forward.push(depot);
        for pos in 1..=end {
            let next = self.forward[pos - 1].then(drive(pos), &at(pos));
            self.forward.push(next);
        }
        self.backward.clear();
        self.backward.resize(end + 1, depot);
        for pos in (0..end).rev() {
            self.backward[pos] = at(pos).then(drive(pos + 1), &self.backward[pos + 1]);
        }
    }
}

/// Route `route` keeping positions `0..=keep_to`, then the jobs of `middle`, then positions
/// `resume_at..=end` (`keep_to < resume_at`).
#[derive(Clone, Copy)]
pub(super) struct Splice<'a> {
    pub route: &'a RouteState,
    pub segments: &'a Segments,
    pub keep_to: usize,
    pub resume_at: usize,
}

impl Splice<'_> {
    /// Distance and driving time of the spliced route.
    fn drive(&self, index: &Index, middle: impl Iterator<Item = u32>) -> (i64, i64) {
        let matrices = &index.matrices[index.vehicles[self.route.vehicle].profile];
        let slots = &self.route.slots;
        let kept = &slots[self.keep_to];
        let (mut loc, mut distance, mut travel) = (kept.loc, kept.distance, kept.travel);
        for node in middle {
            let own = matrices.node_row(node);
            distance += matrices.distance(loc, own);
            travel += matrices.duration(loc, own);
            loc = own;
        }
        let resume = &slots[self.resume_at];
        let last = &slots[self.route.end()];
        distance += matrices.distance(loc, resume.own) + last.distance - resume.distance;
        travel += matrices.duration(loc, resume.own) + last.travel - resume.travel;
        (distance, travel)
    }

    /// Number of jobs of the spliced route.
    fn tasks(&self, middle: usize) -> usize {
        self.keep_to + middle + (self.route.end() - self.resume_at)
    }

    /// Objective value of the spliced route by distance alone, feasible or not: what a move is
    /// screened with before its feasibility is checked.
    pub(super) fn value(&self, index: &Index, middle: impl Iterator<Item = u32> + Clone) -> i64 {
        if self.tasks(middle.clone().count()) == 0 {
            return 0;
        }
        let vehicle = &index.vehicles[self.route.vehicle];
        let (distance, _) = self.drive(index, middle);
        vehicle.fixed + index.vehicle_weight + vehicle.per_distance * distance
    }

    /// Whether the spliced route meets every window, the shift, the capacity, the limits and
    /// the jobs' vehicle restrictions.
    pub(super) fn fits(&self, index: &Index, middle: impl Iterator<Item = u32> + Clone) -> bool {
        let v = self.route.vehicle;
        let vehicle = &index.vehicles[v];
        let matrices = &index.matrices[vehicle.profile];
        let slots = &self.route.slots;
        let mut time = self.segments.forward[self.keep_to];
        let mut loc = slots[self.keep_to].loc;
        let mut count = 0;
        for node in middle.clone() {
            if !index.compatible(node as usize, v) {
                return false;
            }
            let own = matrices.node_row(node);
            time = time.then(matrices.duration(loc, own), &stop(index, node));
            if time.time_warp > 0 {
                return false;
            }
            loc = own;
            count += 1;
        }
        let resume = slots[self.resume_at].own;
        let time = time.then(
            matrices.duration(loc, resume),
            &self.segments.backward[self.resume_at],
        );
        if time.time_warp > 0 || self.tasks(count) > vehicle.max_tasks {
            return false;
        }
        let (distance, travel) = self.drive(index, middle.clone());
        if distance > vehicle.max_distance || travel > vehicle.max_travel {
            return false;
        }
        let dims = index.dims;
        let prefix = &self.route.prefix_load;
        let end = self.route.end();
        (0..dims).all(|d| {
            let kept = prefix[self.keep_to * dims + d] + prefix[end * dims + d]
                - prefix[(self.resume_at - 1) * dims + d];
            let added: i64 = middle.clone().map(|n| index.demand(n as usize)[d]).sum();
            kept + added <= vehicle.capacity[d]
        })
    }
}
