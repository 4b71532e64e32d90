//! Checks a [`Problem`] once, reporting every malformed field with its path.
//!
//! After validation the rest of the crate trusts its input: indices are in range, matrices are
//! square and of one size, windows are sorted, measures are non-negative.

use crate::error::{Error, FieldError, Result};
use crate::model::{Load, Problem, TimeWindow};

struct Report(Vec<FieldError>);

impl Report {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn non_negative(&mut self, path: impl Into<String>, value: i64) {
        if value < 0 {
            self.push(path, format!("must not be negative, got {value}"));
        }
    }
}

/// Validates `problem`, returning [`Error::Invalid`] with all offending fields at once.
///
/// # Errors
/// [`Error::Invalid`] when any field is malformed.
pub fn validate(problem: &Problem) -> Result<()> {
    let mut report = Report(Vec::new());
    let size = problem.profiles.first().map_or(0, |profile| profile.len());
    check_profiles(problem, size, &mut report);
    let dims = problem
        .vehicles
        .first()
        .map(|vehicle| vehicle.capacity.len())
        .or_else(|| problem.jobs.first().map(|job| job.demand.len()))
        .unwrap_or(0);
    check_jobs(problem, size, dims, &mut report);
    check_vehicles(problem, size, dims, &mut report);
    if report.0.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(report.0))
    }
}

fn check_profiles(problem: &Problem, size: usize, report: &mut Report) {
    if problem.profiles.is_empty() {
        report.push("profiles", "at least one profile is required");
    }
    // Each profile's tables are square and non-negative by construction; what remains is that
    // every profile covers the same locations.
    for (p, profile) in problem.profiles.iter().enumerate() {
        if profile.len() != size {
            report.push(
                format!("profiles[{p}]"),
                format!(
                    "covers {} locations, expected {size} (the locations of profiles[0])",
                    profile.len()
                ),
            );
        }
    }
}

fn check_windows(windows: &[TimeWindow], path: &str, report: &mut Report) {
    for (w, window) in windows.iter().enumerate() {
        if window.end < window.start {
            report.push(
                format!("{path}[{w}]"),
                format!("ends ({}) before it starts ({})", window.end, window.start),
            );
        }
        if w > 0 && window.start <= windows[w - 1].end {
            report.push(
                format!("{path}[{w}]"),
                "windows must be sorted and disjoint",
            );
        }
    }
}

fn check_loads(loads: &[Load], dims: usize, path: &str, report: &mut Report) {
    if loads.len() != dims {
        report.push(
            path,
            format!("has {} dimensions, expected {dims}", loads.len()),
        );
    }
    for (d, load) in loads.iter().enumerate() {
        report.non_negative(format!("{path}[{d}]"), load.0);
    }
}

fn check_location(index: u32, size: usize, path: String, report: &mut Report) {
    if index as usize >= size {
        report.push(
            path,
            format!("location {index} is outside the matrices ({size} locations)"),
        );
    }
}

fn check_jobs(problem: &Problem, size: usize, dims: usize, report: &mut Report) {
    for (j, job) in problem.jobs.iter().enumerate() {
        let path = format!("jobs[{j}]");
        check_location(job.location.0, size, format!("{path}.location"), report);
        report.non_negative(format!("{path}.service"), job.service.0);
        check_windows(&job.time_windows, &format!("{path}.time_windows"), report);
        check_loads(&job.demand, dims, &format!("{path}.demand"), report);
        if let Some(penalty) = job.penalty {
            report.non_negative(format!("{path}.penalty"), penalty.0);
        }
        for (k, vehicle) in job.allowed_vehicles.iter().flatten().enumerate() {
            if vehicle.get() >= problem.vehicles.len() {
                report.push(
                    format!("{path}.allowed_vehicles[{k}]"),
                    format!(
                        "vehicle {vehicle} does not exist ({} vehicles)",
                        problem.vehicles.len()
                    ),
                );
            }
        }
    }
}

fn check_vehicles(problem: &Problem, size: usize, dims: usize, report: &mut Report) {
    for (v, vehicle) in problem.vehicles.iter().enumerate() {
        let path = format!("vehicles[{v}]");
        if let Some(start) = vehicle.start {
            check_location(start.0, size, format!("{path}.start"), report);
        }
        if let Some(end) = vehicle.end {
            check_location(end.0, size, format!("{path}.end"), report);
        }
        if vehicle.shift.end < vehicle.shift.start {
            report.push(
                format!("{path}.shift"),
                format!(
                    "ends ({}) before it starts ({})",
                    vehicle.shift.end, vehicle.shift.start
                ),
            );
        }
        check_loads(&vehicle.capacity, dims, &format!("{path}.capacity"), report);
        if vehicle.profile.get() >= problem.profiles.len() {
            report.push(
                format!("{path}.profile"),
                format!(
                    "profile {} does not exist ({} profiles)",
                    vehicle.profile,
                    problem.profiles.len()
                ),
            );
        }
        for (b, brk) in vehicle.breaks.iter().enumerate() {
            report.non_negative(format!("{path}.breaks[{b}].duration"), brk.duration.0);
            check_windows(
                &brk.time_windows,
                &format!("{path}.breaks[{b}].time_windows"),
                report,
            );
        }
        let limits = &vehicle.limits;
        for (name, value) in [
            ("max_travel_time", limits.max_travel_time.map(|d| d.0)),
            ("max_duration", limits.max_duration.map(|d| d.0)),
            ("max_distance", limits.max_distance.map(|d| d.0)),
        ] {
            if let Some(value) = value {
                report.non_negative(format!("{path}.limits.{name}"), value);
            }
        }
        let costs = &vehicle.costs;
        for (name, value) in [
            ("fixed", costs.fixed),
            ("per_distance", costs.per_distance),
            ("per_duration", costs.per_duration),
        ] {
            report.non_negative(format!("{path}.costs.{name}"), value.0);
        }
    }
}
