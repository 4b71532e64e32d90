//! Re-checks a benchmark solution with exact double-precision distances, as the benchmark's
//! conventions require (no rounding, travel time = distance).

use super::solomon::Instance;
use crate::solution::{Solution, StopKind};

/// The result of the exact re-check.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactCheck {
    /// Used vehicles.
    pub vehicles: u32,
    /// Total distance in double precision.
    pub distance: f64,
    /// Everything found infeasible (empty when feasible).
    pub problems: Vec<String>,
}

/// Recomputes each route of `solution` on `instance` in `f64`: windows, capacity, depot due date,
/// every customer served exactly once.
pub fn exact_check(instance: &Instance, solution: &Solution) -> ExactCheck {
    let mut problems = Vec::new();
    let mut served = vec![0u32; instance.customers.len()];
    let mut distance = 0.0;
    let depot = &instance.customers[0];
    for (r, route) in solution.routes.iter().enumerate() {
        let (mut at, mut time, mut load) = (0usize, depot.ready as f64, 0i64);
        for stop in &route.stops {
            let StopKind::Job(job) = stop.kind else {
                problems.push(format!("route {r}: a break in a benchmark route"));
                continue;
            };
            let next = job.get() + 1;
            let Some(customer) = instance.customers.get(next) else {
                problems.push(format!("route {r}: customer {next} does not exist"));
                continue;
            };
            served[next] += 1;
            let leg = instance.distance(at, next);
            distance += leg;
            time = (time + leg).max(customer.ready as f64);
            if time > customer.due as f64 {
                problems.push(format!(
                    "route {r}: customer {next} starts at {time} after its due time {}",
                    customer.due
                ));
            }
            time += customer.service as f64;
            load += customer.demand;
            at = next;
        }
        let back = instance.distance(at, 0);
        distance += back;
        if time + back > depot.due as f64 {
            problems.push(format!(
                "route {r}: back at the depot at {} after {}",
                time + back,
                depot.due
            ));
        }
        if load > instance.capacity {
            problems.push(format!(
                "route {r}: load {load} above capacity {}",
                instance.capacity
            ));
        }
    }
    for (c, count) in served.iter().enumerate().skip(1) {
        if *count != 1 {
            problems.push(format!("customer {c} served {count} times"));
        }
    }
    ExactCheck {
        vehicles: solution.routes.len() as u32,
        distance,
        problems,
    }
}
