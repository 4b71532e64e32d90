//! Recomputes one route's schedule, load, limits and cost.

use super::Findings;
use crate::model::{Cost, Distance, Duration, LocationIdx, Problem, TimeWindow, Vehicle};
use crate::solution::{Route, StopKind};

/// What the checker recomputed for one route.
pub(super) struct Computed {
    pub distance: Distance,
    pub cost: Cost,
}

fn first_start(windows: &[TimeWindow], arrival: Duration) -> Option<Duration> {
    if windows.is_empty() {
        return Some(arrival);
    }
    windows
        .iter()
        .find(|w| arrival <= w.end)
        .map(|w| arrival.max(w.start))
}

fn compare<T: PartialEq + std::fmt::Debug>(
    findings: &mut Findings,
    path: &str,
    what: &str,
    reported: T,
    computed: T,
) {
    if reported != computed {
        findings.add(
            path,
            format!("reported {what} {reported:?}, recomputed {computed:?}"),
        );
    }
}

pub(super) fn check_route(
    problem: &Problem,
    vehicle: &Vehicle,
    route: &Route,
    path: &str,
    findings: &mut Findings,
) -> Computed {
    let Some(profile) = problem.profiles.get(vehicle.profile.get()) else {
        findings.add(path, format!("profile {} does not exist", vehicle.profile));
        return Computed {
            distance: Distance(0),
            cost: Cost(0),
        };
    };
    let size = profile.len();
    let arc = |from: Option<LocationIdx>, to: Option<LocationIdx>| match (from, to) {
        (Some(a), Some(b)) if a.get() < size && b.get() < size => {
            (profile.duration(a, b), profile.distance(a, b))
        }
        _ => (Duration(0), Distance(0)),
    };
    let mut at = vehicle.start;
    let mut time = vehicle.shift.start;
    let (mut distance, mut travel) = (Distance(0), Duration(0));
    let mut departure = None;
    let mut load = vec![0i64; vehicle.capacity.len()];
    for (s, stop) in route.stops.iter().enumerate() {
        let stop_path = format!("{path}.stops[{s}]");
        let (place, service, windows) = match stop.kind {
            StopKind::Job(j) => {
                let Some(job) = problem.jobs.get(j.get()) else {
                    continue;
                };
                for (total, d) in load.iter_mut().zip(&job.demand) {
                    *total += d.0;
                }
                (Some(job.location), job.service, job.time_windows.as_slice())
            }
            StopKind::Break(b) => {
                let Some(brk) = vehicle.breaks.get(b as usize) else {
                    continue;
                };
                (None, brk.duration, brk.time_windows.as_slice())
            }
        };
        let (drive, length) = arc(at, place);
        let arrival = time + drive;
        let start = first_start(windows, arrival).unwrap_or_else(|| {
            findings.add(
                &stop_path,
                format!("arrives at {arrival}, after every time window has closed"),
            );
            arrival
        });
        compare(findings, &stop_path, "arrival", stop.arrival, arrival);
        compare(findings, &stop_path, "start", stop.start, start);
        departure.get_or_insert(start - drive);
        distance += length;
        travel += drive;
        time = start + service;
        if place.is_some() {
            at = place;
        }
    }
    let (drive, length) = arc(at, vehicle.end);
    let arrival = time + drive;
    distance += length;
    travel += drive;
    if arrival > vehicle.shift.end {
        findings.add(
            path,
            format!(
                "ends at {arrival}, after the shift end {}",
                vehicle.shift.end
            ),
        );
    }
    let departure = departure.unwrap_or(vehicle.shift.start);
    let duration = arrival - departure;
    for (d, (total, capacity)) in load.iter().zip(&vehicle.capacity).enumerate() {
        if *total > capacity.0 {
            findings.add(
                path,
                format!(
                    "load {total} exceeds capacity {} in dimension {d}",
                    capacity.0
                ),
            );
        }
    }
    let limits = &vehicle.limits;
    let over = |name: &str, value: i64, limit: Option<i64>, findings: &mut Findings| {
        if let Some(limit) = limit.filter(|l| value > *l) {
            findings.add(path, format!("{name} {value} exceeds the limit {limit}"));
        }
    };
    over(
        "travel time",
        travel.0,
        limits.max_travel_time.map(|d| d.0),
        findings,
    );
    over(
        "duration",
        duration.0,
        limits.max_duration.map(|d| d.0),
        findings,
    );
    over(
        "distance",
        distance.0,
        limits.max_distance.map(|d| d.0),
        findings,
    );
    let tasks = route
        .stops
        .iter()
        .filter(|s| matches!(s.kind, StopKind::Job(_)))
        .count() as i64;
    over(
        "number of tasks",
        tasks,
        limits.max_tasks.map(i64::from),
        findings,
    );
    let costs = &vehicle.costs;
    let cost =
        Cost(costs.fixed.0 + costs.per_distance.0 * distance.0 + costs.per_duration.0 * duration.0);
    compare(findings, path, "departure", route.departure, departure);
    compare(findings, path, "arrival", route.arrival, arrival);
    compare(findings, path, "distance", route.distance, distance);
    compare(findings, path, "travel time", route.travel_time, travel);
    compare(findings, path, "duration", route.duration, duration);
    compare(
        findings,
        path,
        "load",
        route.load.iter().map(|l| l.0).collect::<Vec<_>>(),
        load,
    );
    compare(findings, path, "cost", route.cost, cost);
    Computed { distance, cost }
}
