//! Cordeau's periodic VRP instances (Cordeau, Gendreau & Laporte 1997) solved the way the
//! planner routes a cycle: every vehicle-day is a vehicle on a time axis shifted by its day, and
//! a customer that may be served on several days gets one time window per allowed day, so the
//! search itself chooses the day. Used to measure the periodic machinery against known optima.
//!
//! Format: a line `type m n t`; `t` lines `D Q` (route duration limit, 0 for none; capacity);
//! then one line per customer `i x y d q f a c1 … ca` (service time, demand, visits, number of
//! allowed day combinations, the combinations as bit masks over days), the depot first as row 0.
//! Distances are Euclidean in double precision; customers visited more than once a period are
//! not supported here (the shared instances visit each once).

use std::path::Path;

use super::convert::{euclidean, euclidean_profile, ticks_down, ticks_up};
use crate::error::{Error, Result};
use crate::model::{
    Cost, Duration, Job, Load, LocationIdx, Objective, Problem, ProfileIdx, RouteLimits,
    TimeWindow, Vehicle, VehicleCosts, VehicleIdx,
};
use crate::solution::{Solution, StopKind};

/// Length of one day on the time axis, in ticks: longer than any route.
const DAY: i64 = 1_000_000_000_000;

/// A customer of a periodic instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    /// Position.
    pub x: f64,
    /// Position.
    pub y: f64,
    /// Service time.
    pub service: f64,
    /// Demand.
    pub demand: i64,
    /// The days (from 0) it may be served on.
    pub days: Vec<u32>,
}

/// A periodic instance.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodicInstance {
    /// Vehicles per day.
    pub vehicles_per_day: u32,
    /// Days in the period.
    pub days: u32,
    /// Capacity of each vehicle.
    pub capacity: i64,
    /// Route duration limit (0 for none).
    pub max_duration: f64,
    /// The depot first, then the customers.
    pub customers: Vec<Customer>,
}

impl PeriodicInstance {
    /// Euclidean distance between two rows.
    pub fn distance(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (&self.customers[a], &self.customers[b]);
        euclidean((p.x, p.y), (q.x, q.y))
    }
}

/// Reads a periodic instance.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Parse`] with the line of the first
/// malformed value.
pub fn read_periodic(path: &Path) -> Result<PeriodicInstance> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let fail = |line: usize, message: String| Error::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let rows: Vec<(usize, Vec<f64>)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let values = l
                .split_whitespace()
                .map(str::parse::<f64>)
                .collect::<std::result::Result<Vec<_>, _>>();
            values
                .map(|v| (i + 1, v))
                .map_err(|_| fail(i + 1, "expected numbers".into()))
        })
        .collect::<Result<_>>()?;
    let Some((line, head)) = rows.first() else {
        return Err(fail(0, "empty file".into()));
    };
    let [_, m, n, t] = head[..] else {
        return Err(fail(*line, "expected `type m n t`".into()));
    };
    let (m, n, t) = (m as u32, n as usize, t as u32);
    let Some((line, limits)) = rows.get(1) else {
        return Err(fail(*line, "missing the `D Q` lines".into()));
    };
    let [max_duration, capacity] = limits[..] else {
        return Err(fail(*line, "expected `D Q`".into()));
    };
    let body = rows.get(1 + t as usize..).unwrap_or_default();
    if body.len() != n + 1 {
        return Err(fail(
            0,
            format!(
                "expected the depot and {n} customers, found {} rows",
                body.len()
            ),
        ));
    }
    let customers = body
        .iter()
        .map(|(line, v)| {
            if v.len() < 7 {
                return Err(fail(*line, "expected `i x y d q f a ...`".into()));
            }
            let (visits, combos) = (v[5] as u32, v[6] as usize);
            if visits > 1 {
                return Err(fail(
                    *line,
                    format!("{visits} visits per period are not supported"),
                ));
            }
            let masks = v
                .get(7..7 + combos)
                .ok_or_else(|| fail(*line, "missing day combinations".into()))?;
            let days = (0..t)
                .filter(|d| masks.iter().any(|m| (*m as u64) & (1 << d) != 0))
                .collect();
            Ok(Customer {
                x: v[1],
                y: v[2],
                service: v[3],
                demand: v[4] as i64,
                days,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PeriodicInstance {
        vehicles_per_day: m,
        days: t,
        capacity: capacity as i64,
        max_duration,
        customers,
    })
}

/// The routing problem: `vehicles_per_day` vehicles on each day of the axis, each customer with
/// one window per allowed day and allowed on those days' vehicles; total distance minimised.
///
/// # Errors
/// [`Error::Invalid`] when two customers are too far apart for the 32-bit travel tables.
pub fn to_problem(instance: &PeriodicInstance) -> Result<Problem> {
    let n = instance.customers.len();
    let profile = euclidean_profile(n, |a, b| instance.distance(a, b))?;
    let per_day = instance.vehicles_per_day;
    let vehicles = (0..instance.days * per_day)
        .map(|v| {
            let day = i64::from(v / per_day) * DAY;
            Vehicle {
                start: Some(LocationIdx(0)),
                end: Some(LocationIdx(0)),
                shift: TimeWindow {
                    start: Duration(day),
                    end: Duration(day + DAY / 2),
                },
                capacity: vec![Load(instance.capacity)],
                skills: Vec::new(),
                profile: ProfileIdx(0),
                breaks: Vec::new(),
                limits: RouteLimits {
                    max_duration: (instance.max_duration > 0.0)
                        .then(|| ticks_down(instance.max_duration)),
                    ..RouteLimits::default()
                },
                costs: VehicleCosts {
                    fixed: Cost(0),
                    per_distance: Cost(1),
                    per_duration: Cost(0),
                },
            }
        })
        .collect();
    let jobs = instance.customers[1..]
        .iter()
        .enumerate()
        .map(|(i, c)| Job {
            service: ticks_up(c.service),
            time_windows: c
                .days
                .iter()
                .map(|&d| TimeWindow {
                    start: Duration(i64::from(d) * DAY),
                    end: Duration(i64::from(d) * DAY + DAY / 2),
                })
                .collect(),
            demand: vec![Load(c.demand)],
            allowed_vehicles: Some(
                c.days
                    .iter()
                    .flat_map(|&d| (d * per_day..(d + 1) * per_day).map(VehicleIdx))
                    .collect(),
            ),
            ..Job::at(LocationIdx(i as u32 + 1))
        })
        .collect();
    Ok(Problem {
        profiles: vec![profile],
        jobs,
        vehicles,
        objective: Objective::Cost,
    })
}

/// The exact length of a solution's routes, and whether each customer is served once on one
/// of its days within capacity.
pub fn exact_distance(instance: &PeriodicInstance, solution: &Solution) -> (f64, bool) {
    let per_day = instance.vehicles_per_day;
    let mut served = vec![0u32; instance.customers.len()];
    let mut total = 0.0;
    let mut feasible = solution.unserved.is_empty();
    for route in &solution.routes {
        let day = route.vehicle.0 / per_day;
        let mut at = 0;
        let mut load = 0;
        for stop in &route.stops {
            if let StopKind::Job(job) = stop.kind {
                let next = job.get() + 1;
                total += instance.distance(at, next);
                load += instance.customers[next].demand;
                served[next] += 1;
                feasible &= instance.customers[next].days.contains(&day);
                at = next;
            }
        }
        total += instance.distance(at, 0);
        feasible &= load <= instance.capacity;
    }
    feasible &= served[1..].iter().all(|&s| s == 1);
    (total, feasible)
}
