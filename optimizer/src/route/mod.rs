//! A route in the search: its node sequence and cached schedule for O(1) insertion checks.
//!
//! Positions run from `0` (the start) through `1..=len` (the nodes) to `len + 1` (the end).
//! For each position the route caches the effective location (a break stays where the vehicle
//! was; locations are rows of the vehicle's matrices), the earliest start of service, the latest start that keeps the rest of the route
//! feasible, and the distance and travel time accumulated on arrival.

mod insertion;
mod simulate;

pub(crate) use insertion::Insertion;
pub(crate) use simulate::simulate;

use crate::index::{Index, NO_LOC};

/// Cached values of one position.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Slot {
    /// Where the vehicle is (the last real location up to this position), as a row of its
    /// matrices.
    pub loc: u32,
    /// The position's own row ([`NO_LOC`] for a break or an absent start or end).
    pub own: u32,
    /// Whether the position is a break.
    pub is_break: bool,
    /// Arrival at this position in the earliest schedule.
    pub arrival: i64,
    /// Earliest start of service (arrival at the end for the last position).
    pub earliest: i64,
    /// End of service (`earliest` + service or break length).
    pub depart: i64,
    /// Latest start of service that keeps the remainder feasible.
    pub latest: i64,
    /// Distance driven on arrival.
    pub distance: i64,
    /// Driving time on arrival.
    pub travel: i64,
}

/// One vehicle's route.
#[derive(Debug, Default)]
pub(crate) struct RouteState {
    pub vehicle: usize,
    /// Jobs and breaks in order (no start or end).
    pub nodes: Vec<u32>,
    pub slots: Vec<Slot>,
    pub load: Vec<i64>,
    /// Load of the jobs at positions `1..=pos`, `dims` values per position.
    pub prefix_load: Vec<i64>,
    pub n_jobs: usize,
    /// Cost of the route if it serves a job (fixed cost included), else zero.
    pub cost: i64,
    pub duration: i64,
    /// Time windows, breaks, shift and the route's duration, distance and travel limits are
    /// all met.
    pub feasible: bool,
}

impl Clone for RouteState {
    fn clone(&self) -> Self {
        let mut copy = RouteState::default();
        copy.clone_from(self);
        copy
    }

    fn clone_from(&mut self, other: &Self) {
        self.vehicle = other.vehicle;
        self.nodes.clone_from(&other.nodes);
        self.slots.clone_from(&other.slots);
        self.load.clone_from(&other.load);
        self.prefix_load.clone_from(&other.prefix_load);
        self.n_jobs = other.n_jobs;
        self.cost = other.cost;
        self.duration = other.duration;
        self.feasible = other.feasible;
    }
}

impl RouteState {
    /// The empty route of `vehicle`: its breaks only.
    pub(crate) fn new(index: &Index, vehicle: usize) -> Self {
        let mut route = RouteState {
            vehicle,
            nodes: index.vehicles[vehicle].breaks.clone(),
            ..Default::default()
        };
        route.update(index);
        route
    }

    /// Position of the end.
    #[inline]
    pub(crate) fn end(&self) -> usize {
        self.nodes.len() + 1
    }

    /// Whether the route serves no job.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.n_jobs == 0
    }

    /// The row of the position itself in the vehicle's matrices ([`NO_LOC`] for a break or an
    /// absent start/end).
    #[inline]
    pub(crate) fn own_loc(&self, index: &Index, pos: usize) -> u32 {
        let vehicle = &index.vehicles[self.vehicle];
        if pos == 0 {
            vehicle.start
        } else if pos == self.end() {
            vehicle.end
        } else {
            index.matrices[vehicle.profile].node_row(self.nodes[pos - 1])
        }
    }

    /// Service (or break) length at a position.
    #[inline]
    pub(crate) fn service(&self, index: &Index, pos: usize) -> i64 {
        if pos == 0 || pos == self.end() {
            0
        } else {
            index.service[self.nodes[pos - 1] as usize]
        }
    }

    /// Inserts `node` after position `pos`, then refreshes the cache.
    pub(crate) fn insert(&mut self, index: &Index, pos: usize, node: u32) {
        self.nodes.insert(pos, node);
        self.update(index);
    }

    /// Removes every job for which `remove` says so, then, while the route is late or over a
    /// limit, the job that makes it so; returns the jobs removed that way. Removal is not
    /// always harmless: a break is taken where the vehicle is, so without the job before it
    /// the drive after it may grow and a later job miss its window; a break left first is
    /// taken at its opening, which may stretch the route beyond its duration limit.
    pub(crate) fn remove_jobs(
        &mut self,
        index: &Index,
        mut remove: impl FnMut(u32) -> bool,
    ) -> Vec<u32> {
        self.nodes.retain(|&n| index.is_break(n) || !remove(n));
        self.update(index);
        let mut shed = Vec::new();
        while !self.feasible {
            let Some(pos) = self.late_job(index) else {
                break;
            };
            shed.push(self.nodes.remove(pos));
            self.update(index);
        }
        shed
    }

    /// Index in `nodes` of the job to give up when the route is late: the first job that misses
    /// its window; for a missed break, the last job before it (the first after it when there is
    /// none); for a late return or a limit exceeded, the last job.
    fn late_job(&self, index: &Index) -> Option<usize> {
        let is_job = |i: &usize| !index.is_break(self.nodes[*i]);
        let missed = (1..self.end())
            .find(|&pos| {
                index
                    .earliest_start(self.nodes[pos - 1], self.slots[pos].arrival)
                    .is_none()
            })
            .map(|pos| pos - 1);
        match missed {
            Some(i) if is_job(&i) => Some(i),
            Some(i) => (0..i)
                .rev()
                .find(is_job)
                .or_else(|| (i + 1..self.nodes.len()).find(is_job)),
            None => (0..self.nodes.len()).rev().find(is_job),
        }
    }

    /// Recomputes every cached value from the node sequence.
    pub(crate) fn update(&mut self, index: &Index) {
        let vehicle = &index.vehicles[self.vehicle];
        let matrices = &index.matrices[vehicle.profile];
        let end = self.end();
        self.slots.resize(end + 1, Slot::default());
        self.feasible = true;
        let start = Slot {
            loc: vehicle.start,
            own: vehicle.start,
            arrival: vehicle.shift.0,
            earliest: vehicle.shift.0,
            depart: vehicle.shift.0,
            ..Default::default()
        };
        self.slots[0] = start;
        for pos in 1..=end {
            let prev = self.slots[pos - 1];
            let own = self.own_loc(index, pos);
            let arrival = prev.depart + matrices.duration(prev.loc, own);
            let earliest = if pos == end {
                self.feasible &= arrival <= vehicle.shift.1;
                arrival
            } else {
                index
                    .earliest_start(self.nodes[pos - 1], arrival)
                    .unwrap_or_else(|| {
                        self.feasible = false;
                        arrival
                    })
            };
            self.slots[pos] = Slot {
                loc: if own == NO_LOC { prev.loc } else { own },
                own,
                is_break: pos < end && index.is_break(self.nodes[pos - 1]),
                arrival,
                earliest,
                depart: earliest + self.service(index, pos),
                latest: 0,
                distance: prev.distance + matrices.distance(prev.loc, own),
                travel: prev.travel + matrices.duration(prev.loc, own),
            };
        }
        self.slots[end].latest = vehicle.shift.1;
        for pos in (0..end).rev() {
            let bound = self.slots[pos + 1].latest
                - matrices.duration(self.slots[pos].loc, self.slots[pos + 1].own)
                - (self.slots[pos].depart - self.slots[pos].earliest);
            self.slots[pos].latest = if pos == 0 {
                bound
            } else {
                index
                    .latest_start(self.nodes[pos - 1], bound)
                    .unwrap_or(i64::MIN / 4)
            };
        }
        self.feasible &= self.slots[0].earliest <= self.slots[0].latest;
        self.n_jobs = self.nodes.iter().filter(|&&n| !index.is_break(n)).count();
        let dims = index.dims;
        self.prefix_load.clear();
        self.prefix_load.resize((end + 1) * dims, 0);
        for pos in 1..end {
            let node = self.nodes[pos - 1];
            for d in 0..dims {
                let demand = if index.is_break(node) {
                    0
                } else {
                    index.demand(node as usize)[d]
                };
                self.prefix_load[pos * dims + d] = self.prefix_load[(pos - 1) * dims + d] + demand;
            }
        }
        for d in 0..dims {
            self.prefix_load[end * dims + d] = self.prefix_load[(end - 1) * dims + d];
        }
        self.load.clear();
        self.load.extend_from_slice(&self.prefix_load[end * dims..]);
        let arrival = self.slots[end].earliest;
        self.duration = arrival - self.departure(index);
        // Insertions keep a route within its limits, but a removal may take it beyond: a
        // break left first is taken at its opening and the departure moves earlier, and on
        // road matrices a detour through a job may be shorter than the direct way.
        if self.n_jobs > 0 {
            let last = &self.slots[end];
            self.feasible &= self.duration <= vehicle.max_duration
                && last.distance <= vehicle.max_distance
                && last.travel <= vehicle.max_travel;
        }
        self.cost = if self.n_jobs == 0 {
            0
        } else {
            vehicle.fixed
                + vehicle.per_distance * self.slots[end].distance
                + vehicle.per_duration * self.duration
        };
    }

    /// Departure from the start: just in time for the first stop.
    pub(crate) fn departure(&self, index: &Index) -> i64 {
        if self.nodes.is_empty() {
            return self.slots[0].earliest;
        }
        let matrices = &index.matrices[index.vehicles[self.vehicle].profile];
        self.slots[1].earliest - matrices.duration(self.slots[0].loc, self.own_loc(index, 1))
    }
}

#[cfg(test)]
mod tests;
