//! A vehicle (with its crew): where it starts and ends, when it works, what it carries.

use serde::{Deserialize, Serialize};

use super::{Cost, Distance, Duration, Load, LocationIdx, ProfileIdx, TimeWindow};

/// A break the crew must take once during the route, wherever the vehicle is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    /// Windows in which the break may start, sorted and disjoint; empty means "any time".
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Length of the break.
    pub duration: Duration,
}

/// Optional upper bounds on one route.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteLimits {
    /// Total driving time.
    #[serde(default)]
    pub max_travel_time: Option<Duration>,
    /// Route duration, from departure to arrival at the end (see [`crate::model`]).
    #[serde(default)]
    pub max_duration: Option<Duration>,
    /// Total distance.
    #[serde(default)]
    pub max_distance: Option<Distance>,
    /// Number of jobs.
    #[serde(default)]
    pub max_tasks: Option<u32>,
}

/// What a used vehicle costs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleCosts {
    /// Paid once if the vehicle serves at least one job.
    #[serde(default)]
    pub fixed: Cost,
    /// Cost of one unit of distance (e.g. micro-euros per metre).
    #[serde(default)]
    pub per_distance: Cost,
    /// Cost of one tick of route duration (e.g. micro-euros per second).
    #[serde(default)]
    pub per_duration: Cost,
}

/// One vehicle and its crew for one shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Where the route starts; `None` for a route that starts at its first job.
    #[serde(default)]
    pub start: Option<LocationIdx>,
    /// Where the route ends; `None` for a route that ends at its last job.
    #[serde(default)]
    pub end: Option<LocationIdx>,
    /// The vehicle leaves no earlier than `shift.start` and arrives at its end no later than
    /// `shift.end`.
    pub shift: TimeWindow,
    /// Capacity in each dimension (every vehicle and job uses the same number of dimensions).
    #[serde(default)]
    pub capacity: Vec<Load>,
    /// Skills of the crew.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Which travel matrices the vehicle uses (default: the first profile).
    #[serde(default = "first_profile")]
    pub profile: ProfileIdx,
    /// Breaks, each taken exactly once in a used route.
    #[serde(default)]
    pub breaks: Vec<Break>,
    /// Route limits.
    #[serde(default)]
    pub limits: RouteLimits,
    /// Costs.
    #[serde(default)]
    pub costs: VehicleCosts,
}

fn first_profile() -> ProfileIdx {
    ProfileIdx(0)
}
