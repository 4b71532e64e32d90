//! When a search stops: time limit, iteration limit, cancel flag.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Limits of one search, and the iterations done so far.
pub(crate) struct Budget<'a> {
    start: Instant,
    time: Option<Duration>,
    iterations: Option<u64>,
    cancel: Option<&'a AtomicBool>,
    /// Iterations done.
    pub done: u64,
}

impl<'a> Budget<'a> {
    /// A budget starting now. With neither limit, the search stops at once.
    pub(crate) fn new(
        time: Option<Duration>,
        iterations: Option<u64>,
        cancel: Option<&'a AtomicBool>,
    ) -> Self {
        Budget {
            start: Instant::now(),
            time,
            iterations,
            cancel,
            done: 0,
        }
    }

    /// Share of the budget used, in `[0, 1]`: the larger of the time and iteration shares.
    pub(crate) fn used(&self) -> f64 {
        let by_time = self
            .time
            .map(|t| self.start.elapsed().as_secs_f64() / t.as_secs_f64().max(1e-9));
        let by_iterations = self
            .iterations
            .map(|n| self.done as f64 / (n as f64).max(1.0));
        by_time
            .into_iter()
            .chain(by_iterations)
            .fold(None, |acc: Option<f64>, x| {
                Some(acc.map_or(x, |a| a.max(x)))
            })
            .unwrap_or(1.0)
            .min(1.0)
    }

    /// Whether the search must stop now.
    pub(crate) fn over(&self) -> bool {
        self.cancel.is_some_and(|flag| flag.load(Ordering::Relaxed)) || self.used() >= 1.0
    }
}
