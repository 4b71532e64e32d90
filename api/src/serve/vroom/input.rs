//! VROOM's input document (docs/API.md of VROOM-Project/vroom): jobs, vehicles with time
//! window, breaks, skills, capacity and profile, `matrices` (or the older `matrix`) or
//! `[lon, lat]` coordinates. Shipments are read only to be refused with a clear message.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

/// A `[start, end]` pair of times, seconds.
pub type Window = [i64; 2];

/// The problem.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Input {
    /// Places to visit.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// Pickup-and-delivery pairs: not supported (refused with `422`).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub shipments: Vec<serde_json::Value>,
    /// The fleet.
    pub vehicles: Vec<Vehicle>,
    /// Custom matrices per profile.
    #[serde(default)]
    pub matrices: Option<BTreeMap<String, Matrices>>,
    /// The older single duration matrix, for every profile.
    #[serde(default)]
    pub matrix: Option<Vec<Vec<i64>>>,
    /// VROOM options (`g`…): accepted and ignored; geometry is not returned.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub options: Option<serde_json::Value>,
    /// Tournée's extension: the loaded territory to route coordinates on (default: the first
    /// whose extent holds every coordinate).
    #[serde(default)]
    pub territory: Option<String>,
}

/// A place to visit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Job {
    /// Unique id.
    pub id: u64,
    /// Free text, echoed.
    #[serde(default)]
    pub description: Option<String>,
    /// `[lon, lat]`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<f64>>)]
    pub location: Option<[f64; 2]>,
    /// Row and column in the custom matrices.
    #[serde(default)]
    pub location_index: Option<usize>,
    /// Setup time, seconds (added to the service: Tournée's solver has no separate setup).
    #[serde(default)]
    pub setup: i64,
    /// Service time, seconds.
    #[serde(default)]
    pub service: i64,
    /// Deprecated synonym of `delivery`.
    #[serde(default)]
    pub amount: Vec<i64>,
    /// Amounts delivered (loaded at the vehicle's start).
    #[serde(default)]
    pub delivery: Vec<i64>,
    /// Amounts picked up (brought back at the vehicle's end).
    #[serde(default)]
    pub pickup: Vec<i64>,
    /// Skills the vehicle must all have.
    #[serde(default)]
    pub skills: Vec<u64>,
    /// 0 to 100: jobs with a higher priority are left out last.
    #[serde(default)]
    pub priority: u32,
    /// When the service may start.
    #[serde(default)]
    #[schema(value_type = Vec<Vec<i64>>)]
    pub time_windows: Vec<Window>,
}

/// A break.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Break {
    /// Unique id within the vehicle.
    pub id: u64,
    /// When the break may start.
    #[serde(default)]
    #[schema(value_type = Vec<Vec<i64>>)]
    pub time_windows: Vec<Window>,
    /// Its length, seconds.
    #[serde(default)]
    pub service: i64,
    /// Free text, echoed.
    #[serde(default)]
    pub description: Option<String>,
}

/// Costs of a vehicle.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Costs {
    /// Paid once if the vehicle is used.
    #[serde(default)]
    pub fixed: i64,
    /// Per hour of travel (default 3600: costs are then seconds).
    #[serde(default = "per_hour")]
    pub per_hour: i64,
    /// Per kilometre.
    #[serde(default)]
    pub per_km: i64,
}

fn per_hour() -> i64 {
    3600
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            fixed: 0,
            per_hour: per_hour(),
            per_km: 0,
        }
    }
}

/// A vehicle.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Vehicle {
    /// Unique id.
    pub id: u64,
    /// Routing profile (default `car`): a key of `matrices`, or for coordinates one of `car`,
    /// `bus`, `camping_car`, `triporteur`, `foot`, or openrouteservice's `driving-car` (car),
    /// `driving-hgv` (bus), `cycling-regular`, `cycling-electric`, `cycling-road`
    /// (triporteur), `foot-walking` (foot).
    #[serde(default)]
    pub profile: Option<String>,
    /// Free text, echoed.
    #[serde(default)]
    pub description: Option<String>,
    /// `[lon, lat]` of the start.
    #[serde(default)]
    #[schema(value_type = Option<Vec<f64>>)]
    pub start: Option<[f64; 2]>,
    /// Matrix index of the start.
    #[serde(default)]
    pub start_index: Option<usize>,
    /// `[lon, lat]` of the end.
    #[serde(default)]
    #[schema(value_type = Option<Vec<f64>>)]
    pub end: Option<[f64; 2]>,
    /// Matrix index of the end.
    #[serde(default)]
    pub end_index: Option<usize>,
    /// Capacity per dimension.
    #[serde(default)]
    pub capacity: Vec<i64>,
    /// Skills.
    #[serde(default)]
    pub skills: Vec<u64>,
    /// Working hours.
    #[serde(default)]
    #[schema(value_type = Option<Vec<i64>>)]
    pub time_window: Option<Window>,
    /// Breaks, each taken once.
    #[serde(default)]
    pub breaks: Vec<Break>,
    /// Most jobs in the route.
    #[serde(default)]
    pub max_tasks: Option<u32>,
    /// Most travel time, seconds.
    #[serde(default)]
    pub max_travel_time: Option<i64>,
    /// Most distance, metres.
    #[serde(default)]
    pub max_distance: Option<i64>,
    /// Travel times are divided by it (default 1).
    #[serde(default)]
    pub speed_factor: Option<f64>,
    /// Costs.
    #[serde(default)]
    pub costs: Option<Costs>,
}

/// Custom matrices of one profile.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Matrices {
    /// Seconds.
    #[serde(default)]
    pub durations: Option<Vec<Vec<i64>>>,
    /// Metres.
    #[serde(default)]
    pub distances: Option<Vec<Vec<i64>>>,
    /// Custom costs: not supported (refused).
    #[serde(default)]
    pub costs: Option<Vec<Vec<i64>>>,
}
