//! A job: one visit to one location.

use serde::{Deserialize, Serialize};

use super::{Cost, Duration, Load, LocationIdx, VehicleIdx};

/// A closed interval `[start, end]` in which a service (or a break) may **start**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Earliest start.
    pub start: Duration,
    /// Latest start (inclusive).
    pub end: Duration,
}

/// One visit to serve, at most once, by one vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Where the visit happens.
    pub location: LocationIdx,
    /// Time spent on site.
    #[serde(default)]
    pub service: Duration,
    /// Windows in which the service may start, sorted and disjoint; empty means "any time".
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Amount taken in each capacity dimension (same length as every vehicle's capacity).
    #[serde(default)]
    pub demand: Vec<Load>,
    /// Skills the serving vehicle must all have.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Weight of leaving the job unserved under [`Objective::Lexicographic`](super::Objective).
    #[serde(default = "default_priority")]
    pub priority: u32,
    /// Cost of leaving the job unserved under [`Objective::Cost`](super::Objective); `None`
    /// means the job must be served whenever that is feasible.
    #[serde(default)]
    pub penalty: Option<Cost>,
    /// If set, only these vehicles may serve the job.
    #[serde(default)]
    pub allowed_vehicles: Option<Vec<VehicleIdx>>,
}

fn default_priority() -> u32 {
    1
}

impl Job {
    /// A job at `location` with no service time, no window, no demand and priority 1.
    pub fn at(location: LocationIdx) -> Self {
        Self {
            location,
            service: Duration(0),
            time_windows: Vec::new(),
            demand: Vec::new(),
            skills: Vec::new(),
            priority: default_priority(),
            penalty: None,
            allowed_vehicles: None,
        }
    }
}
