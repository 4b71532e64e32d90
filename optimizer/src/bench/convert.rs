//! Turns a Euclidean instance into an integer [`Problem`] that is safe for exact distances.
//!
//! Times are scaled by [`SCALE`] and every travel time is rounded **up**, so a schedule that is
//! feasible in ticks is feasible with the exact double-precision distances (each exact arrival
//! is no later than the tick arrival). Distances are scaled and rounded to the nearest tick;
//! they only steer the search, the reported distance is recomputed exactly.

use super::solomon::Instance;
use crate::error::{Error, FieldError, Result};
use crate::model::{
    Cost, Duration, Job, Load, LocationIdx, Objective, Problem, Profile, ProfileIdx, RouteLimits,
    TimeWindow, TravelTable, Vehicle, VehicleCosts,
};

/// Ticks per unit of the instance's coordinates and times.
pub const SCALE: f64 = 1_000_000.0;

/// A time of an instance in ticks, rounded up: a service never ends earlier in ticks than
/// exactly.
pub fn ticks_up(value: f64) -> Duration {
    Duration((value * SCALE).ceil() as i64)
}

/// A time of an instance in ticks, rounded down: a limit never allows more in ticks than
/// exactly.
pub fn ticks_down(value: f64) -> Duration {
    Duration((value * SCALE).floor() as i64)
}

/// The exact Euclidean distance between two points, in double precision.
pub fn euclidean((ax, ay): (f64, f64), (bx, by): (f64, f64)) -> f64 {
    (ax - bx).hypot(ay - by)
}

/// The problem of a Solomon instance: one profile, one job per customer, `vehicles` identical
/// vehicles at the depot, lexicographic objective (vehicles, then distance).
///
/// # Errors
/// [`Error::Invalid`] when two customers are so far apart that a scaled distance does not fit
/// the 32-bit travel tables.
pub fn to_problem(instance: &Instance) -> Result<Problem> {
    let scaled = |v: i64| ticks_up(v as f64);
    let profile = euclidean_profile(instance.customers.len(), |a, b| instance.distance(a, b))?;
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
    Ok(Problem {
        profiles: vec![profile],
        jobs,
        vehicles: vec![vehicle; instance.vehicles as usize],
        objective: Objective::Lexicographic,
    })
}

/// The travel tables between `n` points `distance(a, b)` apart, scaled by [`SCALE`]: travel
/// times rounded up (so that tick schedules stay feasible exactly), distances to the nearest
/// tick.
///
/// # Errors
/// [`Error::Invalid`] when a scaled distance does not fit in 32 bits.
pub fn euclidean_profile(n: usize, distance: impl Fn(usize, usize) -> f64) -> Result<Profile> {
    let mut too_far = None;
    let table = TravelTable::from_fn(n, |a, b| {
        let scaled = distance(a, b) * SCALE;
        let mut fits = |v: f64| {
            if (0.0..=f64::from(u32::MAX)).contains(&v) {
                v as u32
            } else {
                too_far.get_or_insert((a, b, distance(a, b)));
                0
            }
        };
        (fits(scaled.ceil()), fits(scaled.round()))
    });
    match too_far {
        None => Ok(Profile::new(table)),
        Some((a, b, d)) => Err(Error::Invalid(vec![FieldError {
            path: format!("customers[{a}]"),
            message: format!(
                "is {d} from customer {b}: scaled by {SCALE}, that does not fit 32-bit travel \
                 tables"
            ),
        }])),
    }
}
