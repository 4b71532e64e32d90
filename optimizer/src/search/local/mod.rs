//! Granular local search: relocations of one to three consecutive jobs (or-opt), swaps between
//! routes and short reversals inside a route, each placing a job next to one of its nearest
//! neighbours, applied while one improves (first improvement).
//!
//! Moves are priced from the routes' time-warp segments and cumulative caches
//! ([`splice`]), so a relocation or swap costs O(1) and a reversal O(its length); feasibility
//! stays hard. The search runs only where segments decide feasibility exactly
//! ([`Index::time_warp`]); other problems are left as they are.

mod relocate;
mod reverse;
mod splice;
mod swap;

use super::state::{State, UNROUTED};
use crate::index::Index;
use splice::{Segments, Splice, route_value};

/// Nearest neighbours of a job next to which it may be moved.
const GRANULARITY: usize = 20;
/// Most moves applied to one candidate: a guard, far above what a descent takes.
const MAX_MOVES: usize = 10_000;

/// The kept start, new middle and kept end of a route after a move (see [`Splice`]).
#[derive(Debug)]
struct Rebuild {
    route: usize,
    keep_to: usize,
    middle: Vec<u32>,
    resume_at: usize,
}

/// An improving move: the routes it rebuilds and what it saves.
#[derive(Debug)]
struct Change {
    rebuilds: Vec<Rebuild>,
    gain: i64,
}

/// The search's view of a state: segments of every route and the position of every job.
struct Local<'a> {
    index: &'a Index,
    segments: Vec<Segments>,
    /// Position of each routed job in its route (`1..=len`).
    position: Vec<usize>,
}

/// Where a job is: route and position.
#[derive(Debug, Clone, Copy)]
struct At {
    route: usize,
    pos: usize,
}

impl<'a> Local<'a> {
    fn new(index: &'a Index, state: &State) -> Self {
        let mut local = Local {
            index,
            segments: vec![Segments::default(); state.routes.len()],
            position: vec![0; index.n_jobs],
        };
        for r in 0..state.routes.len() {
            local.refresh(state, r);
        }
        local
    }

    /// Recomputes the segments and positions of route `r`.
    fn refresh(&mut self, state: &State, r: usize) {
        let route = &state.routes[r];
        self.segments[r].update(self.index, route);
        for (i, &job) in route.nodes.iter().enumerate() {
            self.position[job as usize] = i + 1;
        }
    }

    /// Where job `job` is, if it is routed.
    fn at(&self, state: &State, job: u32) -> Option<At> {
        let route = state.route_of[job as usize];
        (route != UNROUTED).then(|| At {
            route: route as usize,
            pos: self.position[job as usize],
        })
    }

    /// Route `r` keeping positions `0..=keep_to` and `resume_at..=end`.
    fn splice<'s>(
        &'s self,
        state: &'s State,
        r: usize,
        keep_to: usize,
        resume_at: usize,
    ) -> Splice<'s> {
        Splice {
            route: &state.routes[r],
            segments: &self.segments[r],
            keep_to,
            resume_at,
        }
    }

    /// Gain of rebuilding one route as `a` with `middle`, if positive and feasible.
    fn one(&self, a: Splice<'_>, middle: impl Iterator<Item = u32> + Clone) -> Option<i64> {
        let gain = route_value(self.index, a.route) - a.value(self.index, middle.clone());
        (gain > 0 && a.fits(self.index, middle)).then_some(gain)
    }

    /// Gain of rebuilding two routes at once, if positive and both are feasible.
    fn two(
        &self,
        (a, a_middle): (Splice<'_>, impl Iterator<Item = u32> + Clone),
        (b, b_middle): (Splice<'_>, impl Iterator<Item = u32> + Clone),
    ) -> Option<i64> {
        let index = self.index;
        let before = route_value(index, a.route) + route_value(index, b.route);
        let after = a.value(index, a_middle.clone()) + b.value(index, b_middle.clone());
        let gain = before - after;
        (gain > 0 && a.fits(index, a_middle) && b.fits(index, b_middle)).then_some(gain)
    }

    /// Applies `change` to `state`, marks the routes it rebuilt in `changed`, and returns where
    /// the route changed: route and positions from the last kept before to the first kept after.
    fn apply(
        &mut self,
        state: &mut State,
        change: Change,
        changed: &mut [bool],
    ) -> Vec<(usize, usize, usize)> {
        let touched = change
            .rebuilds
            .iter()
            .map(|b| (b.route, b.keep_to, b.keep_to + b.middle.len() + 1))
            .collect();
        let rebuilt: Vec<(usize, Vec<u32>)> = change
            .rebuilds
            .iter()
            .map(|b| {
                let nodes = &state.routes[b.route].nodes;
                let mut new = Vec::with_capacity(b.keep_to + b.middle.len() + nodes.len());
                new.extend_from_slice(&nodes[..b.keep_to]);
                new.extend_from_slice(&b.middle);
                new.extend_from_slice(&nodes[b.resume_at - 1..]);
                (b.route, new)
            })
            .collect();
        for (r, nodes) in rebuilt {
            let route = &mut state.routes[r];
            route.nodes = nodes;
            route.update(self.index);
            debug_assert!(route.feasible, "a local search move made route {r} late");
            for &job in &route.nodes {
                state.route_of[job as usize] = r as u32;
            }
            self.refresh(state, r);
            changed[r] = true;
        }
        let before = state.objective;
        state.refresh_objective(self.index);
        debug_assert_eq!(before - state.objective, change.gain);
        touched
    }

    /// The first improving move that puts `u` next to `v`, if any.
    fn improve(&self, state: &State, u: u32, v: u32) -> Option<Change> {
        let (a, b) = (self.at(state, u)?, self.at(state, v)?);
        relocate::relocate(self, state, a, b)
            .or_else(|| swap::swap(self, state, a, b))
            .or_else(|| reverse::reverse(self, state, a, b))
    }
}

/// Improves `state` by granular moves until none improves around the jobs of `seeds` (the
/// jobs a ruin and recreate moved: each one and the jobs beside it are looked at, then the jobs
/// around every applied move). Routes a move rebuilds become marked in `changed`. Does nothing
/// unless [`Index::time_warp`].
pub(crate) fn polish(index: &Index, state: &mut State, seeds: &[u32], changed: &mut [bool]) {
    if !index.time_warp {
        return;
    }
    let mut local = Local::new(index, state);
    let mut queue = Queue {
        jobs: Vec::new(),
        queued: vec![false; index.n_jobs],
    };
    for &job in seeds {
        if let Some(at) = local.at(state, job) {
            queue.around(state, at.route, at.pos - 1, at.pos + 1);
        }
    }
    let mut next = 0;
    let mut moves = 0;
    while next < queue.jobs.len() && moves < MAX_MOVES {
        let u = queue.jobs[next];
        next += 1;
        queue.queued[u as usize] = false;
        for &v in index.neighbours[u as usize].iter().take(GRANULARITY) {
            if let Some(change) = local.improve(state, u, v) {
                for (r, from, to) in local.apply(state, change, changed) {
                    queue.around(state, r, from, to);
                }
                moves += 1;
            }
        }
    }
}

/// Jobs waiting to be looked at, each at most once at a time.
struct Queue {
    jobs: Vec<u32>,
    queued: Vec<bool>,
}

impl Queue {
    /// Queues the jobs at positions `from..=to` of route `r` (positions past either end are
    /// skipped).
    fn around(&mut self, state: &State, r: usize, from: usize, to: usize) {
        let nodes = &state.routes[r].nodes;
        for pos in from.max(1)..=to.min(nodes.len()) {
            let job = nodes[pos - 1];
            if !std::mem::replace(&mut self.queued[job as usize], true) {
                self.jobs.push(job);
            }
        }
    }
}

#[cfg(test)]
mod tests;
