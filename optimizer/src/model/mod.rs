//! The problem model: plain serde types, the public contract of the crate.
//!
//! # Schedule semantics (shared by the solver and the checker)
//!
//! A route is a sequence of jobs and breaks. Travel between two consecutive stops uses the
//! vehicle profile's matrices between their locations; a break has no location of its own and
//! is taken where the vehicle is (travel into and out of it is measured from the last real
//! location). Every service and break starts as early as possible: at arrival, or at the start
//! of the first window that has not yet ended (waiting is allowed, starting after a window's
//! end is not). The vehicle is at its start location at `shift.start` and departs just in time
//! for its first stop; the route *duration* runs from that departure to the arrival at the end
//! (or the end of the last service of an open route), which must be no later than `shift.end`.
//! The load of a route is the sum of its jobs' demands and must fit the capacity.

pub(crate) mod ids;
mod job;
mod measure;
mod profile;
mod vehicle;

pub use ids::{JobIdx, LocationIdx, ProfileIdx, VehicleIdx};
pub use job::{Job, TimeWindow};
pub use measure::{Cost, Distance, Duration, Load};
pub use profile::{Profile, TravelTable, UNREACHABLE};
pub use vehicle::{Break, RouteLimits, Vehicle, VehicleCosts};

use serde::{Deserialize, Serialize};

/// What the solver minimises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// First the total priority of unserved jobs, then the number of used vehicles, then the
    /// total cost of the routes.
    #[default]
    Lexicographic,
    /// The total cost of the routes (fixed costs included) plus the penalty of every unserved
    /// job.
    Cost,
}

/// A routing problem over matrices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// One pair of matrices per routing profile.
    pub profiles: Vec<Profile>,
    /// The visits to make.
    pub jobs: Vec<Job>,
    /// The fleet.
    pub vehicles: Vec<Vehicle>,
    /// What to minimise.
    #[serde(default)]
    pub objective: Objective,
}
