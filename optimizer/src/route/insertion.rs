//! Pricing the insertion of one job at one position of a route, in O(1) when the vehicle has no
//! duration cost or limit.

use super::{RouteState, simulate};
use crate::index::Index;

/// A feasible insertion: after position `pos`, changing the route cost by `delta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Insertion {
    pub pos: usize,
    pub delta: i64,
}

impl RouteState {
    /// Whether the vehicle may take `job` at all: skills, capacity left and task limit.
    pub(crate) fn can_take(&self, index: &Index, job: u32) -> bool {
        let vehicle = &index.vehicles[self.vehicle];
        self.feasible
            && index.compatible(job as usize, self.vehicle)
            && self.n_jobs < vehicle.max_tasks
            && self
                .load
                .iter()
                .zip(index.demand(job as usize))
                .zip(&vehicle.capacity)
                .all(|((l, d), c)| l + d <= *c)
    }

    /// Cost change of inserting `job` after position `pos` (`0..=len`), or `None` if that breaks
    /// a window, a break, the shift or a limit. Assumes [`RouteState::can_take`].
    pub(crate) fn insertion_cost(&self, index: &Index, job: u32, pos: usize) -> Option<i64> {
        let vehicle = &index.vehicles[self.vehicle];
        let matrices = &index.matrices[vehicle.profile];
        let before = &self.slots[pos];
        let here = matrices.node_row(job);
        let mut time = index
            .earliest_start(job, before.depart + matrices.duration(before.loc, here))?
            + index.service[job as usize];
        let mut next = pos + 1;
        while self.slots[next].is_break {
            let brk = self.nodes[next - 1];
            time = index.earliest_start(brk, time)? + index.service[brk as usize];
            next += 1;
        }
        let after = self.slots[next].own;
        if time + matrices.duration(here, after) > self.slots[next].latest {
            return None;
        }
        let distance = matrices.distance(before.loc, here) + matrices.distance(here, after)
            - matrices.distance(before.loc, after);
        let travel = matrices.duration(before.loc, here) + matrices.duration(here, after)
            - matrices.duration(before.loc, after);
        let last = &self.slots[self.end()];
        if last.distance + distance > vehicle.max_distance
            || last.travel + travel > vehicle.max_travel
        {
            return None;
        }
        if vehicle.duration_matters {
            let nodes = self.nodes[..pos]
                .iter()
                .copied()
                .chain(std::iter::once(job))
                .chain(self.nodes[pos..].iter().copied());
            let summary = simulate(index, self.vehicle, nodes);
            if summary.duration > vehicle.max_duration {
                return None;
            }
            return Some(summary.cost - self.cost);
        }
        let fixed = if self.is_empty() { vehicle.fixed } else { 0 };
        Some(fixed + vehicle.per_distance * distance)
    }

    /// The cheapest feasible insertion of `job`, skipping each position for which `skip` says so
    /// (SISR's blinks).
    pub(crate) fn best_insertion(
        &self,
        index: &Index,
        job: u32,
        mut skip: impl FnMut() -> bool,
    ) -> Option<Insertion> {
        let mut best: Option<Insertion> = None;
        let deadline = index.last_start(job);
        for pos in 0..self.end() {
            // Schedules only move later along a route: once the vehicle leaves after the job's
            // last window has closed, no later position can work either.
            if self.slots[pos].depart > deadline {
                break;
            }
            if skip() {
                continue;
            }
            if let Some(delta) = self.insertion_cost(index, job, pos)
                && best.is_none_or(|b| delta < b.delta)
            {
                best = Some(Insertion { pos, delta });
            }
        }
        best
    }
}
