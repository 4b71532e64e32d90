//! Why the routing left a visit out: the core's reason in the planner's terms, telling a visit
//! the days had no room for (`no_capacity`) from one that was not worth its cost
//! (`not_worth_it`), which the core reports alike.

use crate::model::{LocationIdx, Problem, VehicleIdx};
use crate::solution::{Solution, StopKind, Unserved, UnservedReason};

use super::unserved::Reason;

/// The planner's reason for a job the core left out of `solution`.
pub fn reason(problem: &Problem, solution: &Solution, left_out: &Unserved) -> Reason {
    match left_out.reason {
        UnservedReason::NoVehicleWithSkills => Reason::MissingEquipment,
        UnservedReason::TimeWindowUnreachable | UnservedReason::RouteLimitTooTight => {
            Reason::OutOfReach
        }
        UnservedReason::NotWorthIt if costs_more_than_it_weighs(problem, solution, left_out) => {
            Reason::NotWorthIt
        }
        _ => Reason::NoCapacity,
    }
}

/// Whether even the cheapest way to add the job to `solution` costs more than leaving it out:
/// the smallest detour into the route of a vehicle allowed to serve it, or the round trip of
/// such a vehicle left unused, counting distance (and an unused vehicle's fixed cost) only. That
/// is a lower bound of what serving it would add, so the job is then certainly not worth it,
/// whatever room the days have; otherwise room is what it lacked.
fn costs_more_than_it_weighs(problem: &Problem, solution: &Solution, left_out: &Unserved) -> bool {
    let Some((job, penalty)) = problem
        .jobs
        .get(left_out.job.get())
        .and_then(|job| Some((job, job.penalty?)))
    else {
        return false;
    };
    let all: Vec<VehicleIdx> = (0..problem.vehicles.len() as u32).map(VehicleIdx).collect();
    let allowed = job.allowed_vehicles.as_ref().unwrap_or(&all);
    let cheapest = allowed
        .iter()
        .filter_map(|&v| {
            let vehicle = problem.vehicles.get(v.get())?;
            let profile = problem.profiles.get(vehicle.profile.get())?;
            let route = solution.routes.iter().find(|r| r.vehicle == v);
            let visits = route
                .into_iter()
                .flat_map(|r| &r.stops)
                .filter_map(|s| match s.kind {
                    StopKind::Job(j) => problem.jobs.get(j.get()).map(|j| j.location),
                    StopKind::Break(_) => None,
                });
            let path: Vec<LocationIdx> = vehicle
                .start
                .into_iter()
                .chain(visits)
                .chain(vehicle.end)
                .collect();
            let via = |a: LocationIdx, b: LocationIdx| {
                profile.distance(a, job.location).0 + profile.distance(job.location, b).0
                    - profile.distance(a, b).0
            };
            let detour = match path.as_slice() {
                [] => 0,
                [only] => via(*only, *only),
                _ => path.windows(2).map(|w| via(w[0], w[1])).min().unwrap_or(0),
            };
            let fixed = if route.is_some() {
                0
            } else {
                vehicle.costs.fixed.0
            };
            Some(
                vehicle
                    .costs
                    .per_distance
                    .0
                    .saturating_mul(detour.max(0))
                    .saturating_add(fixed),
            )
        })
        .min();
    cheapest.is_some_and(|cost| cost > penalty.0)
}
