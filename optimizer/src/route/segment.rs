//! Time-warp segments (Vidal et al. 2013; PyVRP's `DurationSegment`): what a run of consecutive
//! stops needs to know about the schedule so that two runs joined by a drive are priced in O(1).
//!
//! A route that arrives after a window closes is allowed to "warp back" in time to the window's
//! end; the total of those warps measures how far the route is from meeting every window. It is
//! zero exactly when the earliest-start schedule meets every window, so with one window per job
//! and no breaks or duration terms it decides feasibility as the cached schedule does.

/// A run of consecutive stops, as seen by the time-warp schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Time from the start of service at the first stop to the end of service at the last,
    /// waits included, warps not subtracted.
    pub duration: i64,
    /// Total time warp inside the run.
    pub time_warp: i64,
    /// Earliest start at the first stop that needs no avoidable wait.
    pub earliest: i64,
    /// Latest start at the first stop that adds no time warp.
    pub latest: i64,
}

/// Bound used for a stop without windows: far from any schedule, far from overflowing.
pub(crate) const OPEN: i64 = i64::MAX / 8;

impl Segment {
    /// One stop that may start in `[earliest, latest]` and takes `service`.
    pub(crate) fn stop(earliest: i64, latest: i64, service: i64) -> Self {
        Segment {
            duration: service,
            time_warp: 0,
            earliest,
            latest,
        }
    }

    /// This run, a drive of `travel`, then `next`.
    #[inline]
    pub(crate) fn then(&self, travel: i64, next: &Segment) -> Segment {
        let delta = self.duration - self.time_warp + travel;
        let wait = (next.earliest - delta - self.latest).max(0);
        let warp = (self.earliest + delta - next.latest).max(0);
        Segment {
            duration: self.duration + next.duration + travel + wait,
            time_warp: self.time_warp + next.time_warp + warp,
            earliest: (next.earliest - delta).max(self.earliest) - wait,
            latest: (next.latest - delta).min(self.latest) + warp,
        }
    }
}
