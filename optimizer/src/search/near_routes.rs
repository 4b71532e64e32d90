//! Granular recreate: the routes worth pricing first for a job are those that serve one of
//! its nearest neighbours (see `DESIGN.md`, "Granular recreate").

use super::state::{State, UNROUTED};
use crate::index::Index;

/// How many of a job's nearest jobs (`Index::neighbours`) name the routes priced first.
pub(crate) const NEAR_JOBS: usize = 30;

/// The set of routes that serve one of the current job's nearest jobs, as a stamp per route
/// so that marking a job costs O([`NEAR_JOBS`]) and no clearing.
#[derive(Debug)]
pub(crate) struct NearRoutes {
    stamp: Vec<u32>,
    current: u32,
}

impl NearRoutes {
    /// An empty set over `routes` routes.
    pub(crate) fn new(routes: usize) -> Self {
        NearRoutes {
            stamp: vec![0; routes],
            current: 0,
        }
    }

    /// Replaces the set with the routes of `job`'s [`NEAR_JOBS`] nearest jobs in `state`.
    pub(crate) fn mark(&mut self, index: &Index, state: &State, job: u32) {
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.stamp.fill(0);
            self.current = 1;
        }
        for &near in index.neighbours[job as usize].iter().take(NEAR_JOBS) {
            let r = state.route_of[near as usize];
            if r != UNROUTED {
                self.stamp[r as usize] = self.current;
            }
        }
    }

    /// Whether route `r` serves one of the marked job's nearest jobs.
    pub(crate) fn holds(&self, r: usize) -> bool {
        self.stamp[r] == self.current
    }
}
