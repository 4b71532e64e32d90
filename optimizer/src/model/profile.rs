//! Travel matrices of one routing profile (car, bus, cargo bike...).

use serde::{Deserialize, Serialize};

use super::{Distance, Duration, LocationIdx};

/// Square travel-time and distance matrices over all locations, row = from, column = to.
///
/// Every profile of a problem covers the same locations, so a [`LocationIdx`] means the same
/// place whichever vehicle goes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Travel times.
    pub durations: Vec<Vec<Duration>>,
    /// Travel distances.
    pub distances: Vec<Vec<Distance>>,
}

impl Profile {
    /// Number of locations (rows of the duration matrix).
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    /// Whether the profile has no location at all.
    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// Travel time from `from` to `to`; the caller has validated both indices.
    pub fn duration(&self, from: LocationIdx, to: LocationIdx) -> Duration {
        self.durations[from.get()][to.get()]
    }

    /// Distance from `from` to `to`; the caller has validated both indices.
    pub fn distance(&self, from: LocationIdx, to: LocationIdx) -> Distance {
        self.distances[from.get()][to.get()]
    }
}
