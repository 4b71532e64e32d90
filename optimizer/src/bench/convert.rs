//! Turns a Euclidean instance into an integer [`Problem`] that is safe for exact distances.
//!
//! Times are scaled by [`SCALE`] and every travel time is rounded **up**, so a schedule that is
//! feasible in ticks is feasible with the exact double-precision distances (each exact arrival
//! is no later than the tick arrival). Distances are scaled and rounded to the nearest tick;
//! they only steer the search, the reported distance is recomputed exactly.

use super::solomon::Instance;
use crate::model::{
    Cost, Distance, Duration, Job, Load, LocationIdx, Objective, Problem, Profile, ProfileIdx,
    RouteLimits, TimeWindow, Vehicle, VehicleCosts,
};

/// Ticks per unit of the instance's coordinates and times.
pub const SCALE: f64 = 1_000_000.0;

/// The problem of a Solomon instance: one profile, one job per customer, `vehicles` identical
/// vehicles at the depot, lexicographic objective (vehicles, then distance).
pub fn to_problem(instance: &Instance) -> Problem {
    let n = instance.customers.len();
    let scaled = |v: i64| Duration(v * SCALE as i64);
    let durations = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| Duration((instance.distance(a, b) * SCALE).ceil() as i64))
                .collect()
        })
        .collect();
    let distances = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| Distance((instance.distance(a, b) * SCALE).round() as i64))
                .collect()
        })
        .collect();
    let jobs = instance.customers[1..]
        .iter()
        .enumerate()
        .map(|(i, c)| Job {
            service: scaled(c.service),
            time_windows: vec![TimeWindow {
                start: scaled(c.ready),
                end: scaled(c.due),
            }],
            demand: vec![Load(c.demand)],
            ..Job::at(LocationIdx(i as u32 + 1))
        })
        .collect();
    let depot = &instance.customers[0];
    let vehicle = Vehicle {
        start: Some(LocationIdx(0)),
        end: Some(LocationIdx(0)),
        shift: TimeWindow {
            start: scaled(depot.ready),
            end: scaled(depot.due),
        },
        capacity: vec![Load(instance.capacity)],
        skills: Vec::new(),
        profile: ProfileIdx(0),
        breaks: Vec::new(),
        limits: RouteLimits::default(),
        costs: VehicleCosts {
            fixed: Cost(0),
            per_distance: Cost(1),
            per_duration: Cost(0),
        },
    };
    Problem {
        profiles: vec![Profile {
            durations,
            distances,
        }],
        jobs,
        vehicles: vec![vehicle; instance.vehicles as usize],
        objective: Objective::Lexicographic,
    }
}
