//! What the solver returns: routes with their schedule, unserved jobs with a reason, totals.

use serde::{Deserialize, Serialize};

use crate::model::{Cost, Distance, Duration, JobIdx, Load, VehicleIdx};

/// One stop of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    /// A job.
    Job(JobIdx),
    /// The break at this position of the vehicle's `breaks`.
    Break(u32),
}

/// A stop and when it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stop {
    /// What happens.
    pub kind: StopKind,
    /// When the vehicle gets there (for a break: when the previous stop ends).
    pub arrival: Duration,
    /// When the service or break starts.
    pub start: Duration,
}

/// The route of one used vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The vehicle.
    pub vehicle: VehicleIdx,
    /// Departure from the start (the shift start for an open route).
    pub departure: Duration,
    /// Stops in order.
    pub stops: Vec<Stop>,
    /// Arrival at the end location (end of the last stop for an open route).
    pub arrival: Duration,
    /// Total distance.
    pub distance: Distance,
    /// Total driving time.
    pub travel_time: Duration,
    /// `arrival - departure`.
    pub duration: Duration,
    /// Load in each dimension.
    pub load: Vec<Load>,
    /// Fixed + distance + duration cost of the route.
    pub cost: Cost,
}

/// Why a job was left unserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnservedReason {
    /// No vehicle has the required skills or is on the allowed list.
    NoVehicleWithSkills,
    /// The demand exceeds the capacity of every vehicle that may serve it.
    DemandAboveCapacity,
    /// No window of the job can be reached from any vehicle's start within its shift.
    TimeWindowUnreachable,
    /// The job fits a shift on its own, but not together with the vehicle's breaks.
    BreakOrShiftTooShort,
    /// A route limit (travel time, duration, distance, tasks) forbids even a route with this job
    /// alone.
    RouteLimitTooTight,
    /// The job could be served alone, but not alongside the others, or not at a cost the
    /// objective accepts.
    NotWorthIt,
}

/// An unserved job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unserved {
    /// The job.
    pub job: JobIdx,
    /// Why.
    pub reason: UnservedReason,
}

/// The value of a solution, term by term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveValue {
    /// Sum of the priorities of unserved jobs.
    pub unserved_priority: u64,
    /// Sum of the penalties of unserved jobs (jobs without a penalty count as zero here).
    pub unserved_penalty: Cost,
    /// Number of used vehicles.
    pub vehicles: u32,
    /// Sum of route costs, in the problem's cost units: a weekly plan's routing prices them at
    /// 1/100,000 euro ([`COST_UNITS_PER_EURO`](crate::planning::routing::COST_UNITS_PER_EURO)).
    pub cost: Cost,
    /// Sum of route distances.
    pub distance: Distance,
}

/// A solution of a [`Problem`](crate::model::Problem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// Routes of the used vehicles, in vehicle order.
    pub routes: Vec<Route>,
    /// Jobs left out, in job order.
    pub unserved: Vec<Unserved>,
    /// Totals.
    pub value: ObjectiveValue,
}
