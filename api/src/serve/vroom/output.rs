//! VROOM's output layout: `code`, `summary`, `unassigned`, `routes` with `steps`.

use serde::Serialize;
use utoipa::ToSchema;

/// The solution, as VROOM writes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Output {
    /// 0: no error.
    pub code: u8,
    /// Totals.
    pub summary: Summary,
    /// Jobs left out.
    pub unassigned: Vec<Unassigned>,
    /// One route per used vehicle.
    pub routes: Vec<Route>,
}

/// Totals over the routes.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Summary {
    /// Total cost.
    pub cost: i64,
    /// Routes.
    pub routes: usize,
    /// Jobs left out.
    pub unassigned: usize,
    /// Setup time (always 0: setup is counted in the service).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Travel time.
    pub duration: i64,
    /// Waiting time.
    pub waiting_time: i64,
    /// Sum of the priorities of served jobs.
    pub priority: u64,
    /// Delivered amounts.
    pub delivery: Vec<i64>,
    /// Picked-up amounts.
    pub pickup: Vec<i64>,
    /// Deprecated synonym of `delivery`.
    pub amount: Vec<i64>,
    /// Travel distance, metres.
    pub distance: i64,
    /// Always empty: every constraint holds.
    pub violations: Vec<serde_json::Value>,
    /// Milliseconds spent.
    pub computing_times: ComputingTimes,
}

/// Milliseconds spent.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ComputingTimes {
    /// Reading, snapping, matrices.
    pub loading: u64,
    /// Solving.
    pub solving: u64,
    /// Route geometry (never computed).
    pub routing: u64,
}

/// A job left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unassigned {
    /// Its id.
    pub id: u64,
    /// Always `job`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its `[lon, lat]`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub location: Option<[f64; 2]>,
    /// Its matrix index, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Its description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A vehicle's route.
#[derive(Debug, Serialize, ToSchema)]
pub struct Route {
    /// The vehicle's id.
    pub vehicle: u64,
    /// Cost.
    pub cost: i64,
    /// Setup (0).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Travel time.
    pub duration: i64,
    /// Waiting time.
    pub waiting_time: i64,
    /// Sum of the priorities of its jobs.
    pub priority: u64,
    /// Delivered amounts.
    pub delivery: Vec<i64>,
    /// Picked-up amounts.
    pub pickup: Vec<i64>,
    /// Deprecated synonym of `delivery`.
    pub amount: Vec<i64>,
    /// The vehicle's description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Travel distance, metres.
    pub distance: i64,
    /// Always empty.
    pub violations: Vec<serde_json::Value>,
    /// Start, jobs, breaks, end.
    pub steps: Vec<Step>,
}

/// One step of a route.
#[derive(Debug, Serialize, ToSchema)]
pub struct Step {
    /// `start`, `job`, `break` or `end`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `[lon, lat]`, when given in input.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub location: Option<[f64; 2]>,
    /// Matrix index, when given in input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// The job's or break's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Deprecated synonym of `id` for jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<u64>,
    /// Its description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Setup (0).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Waiting before the service.
    pub waiting_time: i64,
    /// Load after the step.
    pub load: Vec<i64>,
    /// Arrival time.
    pub arrival: i64,
    /// Travel time so far.
    pub duration: i64,
    /// Distance so far, metres.
    pub distance: i64,
}

impl Summary {
    /// Adds a route's figures to the totals.
    pub(super) fn add(&mut self, route: &Route) {
        self.cost += route.cost;
        self.service += route.service;
        self.duration += route.duration;
        self.waiting_time += route.waiting_time;
        self.priority += route.priority;
        self.distance += route.distance;
        for (k, delivered) in route.delivery.iter().enumerate() {
            self.delivery[k] += delivered;
            self.amount[k] += delivered;
        }
        for (k, picked) in route.pickup.iter().enumerate() {
            self.pickup[k] += picked;
        }
    }
}
