//! The independent checker: recomputes every route of a [`Solution`] from the [`Problem`] alone.
//!
//! It shares nothing with the solver but the model and solution types: assignment (each job
//! once, skills, allowed vehicles, breaks once each), schedule (arrival, start, windows, shift),
//! capacity, limits, costs and totals are all recomputed here, following the schedule semantics
//! documented in [`crate::model`], and compared with what the solution reports.

mod schedule;

use std::fmt;

use crate::model::{Problem, Vehicle};
use crate::solution::{ObjectiveValue, Solution, StopKind};

/// One thing wrong with a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where, in solution terms (`routes[2].stops[5]`).
    pub path: String,
    /// What.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects violations.
pub(crate) struct Findings(pub Vec<Violation>);

impl Findings {
    pub(crate) fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Violation {
            path: path.into(),
            message: message.into(),
        });
    }
}

/// Checks `solution` against `problem`; an empty list means the solution is feasible and every
/// reported number is right.
pub fn check(problem: &Problem, solution: &Solution) -> Vec<Violation> {
    let mut findings = Findings(Vec::new());
    check_assignment(problem, solution, &mut findings);
    let mut totals = ObjectiveValue::default();
    for (r, route) in solution.routes.iter().enumerate() {
        let Some(vehicle) = problem.vehicles.get(route.vehicle.get()) else {
            continue;
        };
        let computed = schedule::check_route(
            problem,
            vehicle,
            route,
            &format!("routes[{r}]"),
            &mut findings,
        );
        totals.vehicles += 1;
        totals.cost += computed.cost;
        totals.distance += computed.distance;
    }
    for unserved in &solution.unserved {
        if let Some(job) = problem.jobs.get(unserved.job.get()) {
            totals.unserved_priority += u64::from(job.priority);
            totals.unserved_penalty += job.penalty.unwrap_or_default();
        }
    }
    if totals != solution.value {
        findings.add(
            "value",
            format!("reported {:?}, recomputed {:?}", solution.value, totals),
        );
    }
    findings.0
}

fn check_assignment(problem: &Problem, solution: &Solution, findings: &mut Findings) {
    let mut seen = vec![0u32; problem.jobs.len()];
    let mut vehicle_used = vec![false; problem.vehicles.len()];
    for (r, route) in solution.routes.iter().enumerate() {
        let path = format!("routes[{r}]");
        let Some(vehicle) = problem.vehicles.get(route.vehicle.get()) else {
            findings.add(
                format!("{path}.vehicle"),
                format!("vehicle {} does not exist", route.vehicle),
            );
            continue;
        };
        if std::mem::replace(&mut vehicle_used[route.vehicle.get()], true) {
            findings.add(
                format!("{path}.vehicle"),
                format!("vehicle {} has two routes", route.vehicle),
            );
        }
        let mut breaks = vec![0u32; vehicle.breaks.len()];
        let mut jobs = 0;
        for (s, stop) in route.stops.iter().enumerate() {
            let path = format!("{path}.stops[{s}]");
            match stop.kind {
                StopKind::Job(j) => {
                    jobs += 1;
                    let Some(job) = problem.jobs.get(j.get()) else {
                        findings.add(path, format!("job {j} does not exist"));
                        continue;
                    };
                    seen[j.get()] += 1;
                    if let Some(skill) = job.skills.iter().find(|s| !vehicle.skills.contains(s)) {
                        findings.add(
                            &path,
                            format!(
                                "job {j} needs skill {skill:?}, which vehicle {} lacks",
                                route.vehicle
                            ),
                        );
                    }
                    if job
                        .allowed_vehicles
                        .as_ref()
                        .is_some_and(|list| !list.contains(&route.vehicle))
                    {
                        findings.add(
                            &path,
                            format!("job {j} does not allow vehicle {}", route.vehicle),
                        );
                    }
                }
                StopKind::Break(b) => match breaks.get_mut(b as usize) {
                    Some(count) => *count += 1,
                    None => {
                        findings.add(path, format!("vehicle {} has no break {b}", route.vehicle))
                    }
                },
            }
        }
        if jobs == 0 {
            findings.add(&path, "a route without jobs");
        }
        check_breaks_once(vehicle, &breaks, &path, findings);
    }
    for unserved in &solution.unserved {
        match seen.get_mut(unserved.job.get()) {
            Some(count) => *count += 1,
            None => findings.add("unserved", format!("job {} does not exist", unserved.job)),
        }
    }
    for (j, count) in seen.iter().enumerate() {
        if *count != 1 {
            findings.add(
                format!("jobs[{j}]"),
                format!("appears {count} times among routes and unserved jobs, expected once"),
            );
        }
    }
}

fn check_breaks_once(vehicle: &Vehicle, counts: &[u32], path: &str, findings: &mut Findings) {
    for (b, count) in counts.iter().enumerate().take(vehicle.breaks.len()) {
        if *count != 1 {
            findings.add(
                path,
                format!("break {b} is taken {count} times, expected once"),
            );
        }
    }
}
