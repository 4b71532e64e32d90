//! Turns a search state into the public [`Solution`].

use crate::index::Index;
use crate::model::{Cost, Distance, Duration, JobIdx, Load, Problem, VehicleIdx};
use crate::route::RouteState;
use crate::search::State;
use crate::solution::{ObjectiveValue, Route, Solution, Stop, StopKind, Unserved, UnservedReason};

/// Builds the solution; `reasons` holds the up-front reason of each job the search never tried.
pub(crate) fn export(
    problem: &Problem,
    index: &Index,
    state: &State,
    reasons: &[Option<UnservedReason>],
) -> Solution {
    let routes: Vec<Route> = state
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| route(index, r))
        .collect();
    let unserved: Vec<Unserved> = (0..index.n_jobs)
        .filter(|&j| state.route_of[j] == crate::search::UNROUTED)
        .map(|j| Unserved {
            job: JobIdx(j as u32),
            reason: reasons[j].unwrap_or(UnservedReason::NotWorthIt),
        })
        .collect();
    let value = value(problem, &routes, &unserved);
    Solution {
        routes,
        unserved,
        value,
    }
}

/// The objective terms of a set of routes and unserved jobs.
pub(crate) fn value(problem: &Problem, routes: &[Route], unserved: &[Unserved]) -> ObjectiveValue {
    ObjectiveValue {
        unserved_priority: unserved
            .iter()
            .map(|u| u64::from(problem.jobs[u.job.get()].priority))
            .sum(),
        unserved_penalty: unserved
            .iter()
            .filter_map(|u| problem.jobs[u.job.get()].penalty)
            .sum(),
        vehicles: routes.len() as u32,
        cost: routes.iter().map(|r| r.cost).sum(),
        distance: routes.iter().map(|r| r.distance).sum(),
    }
}

fn route(index: &Index, state: &RouteState) -> Route {
    let vehicle = &index.vehicles[state.vehicle];
    let stops = state
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &node)| {
            let slot = &state.slots[i + 1];
            let kind = if index.is_break(node) {
                StopKind::Break(vehicle.breaks.iter().position(|&b| b == node).unwrap_or(0) as u32)
            } else {
                StopKind::Job(JobIdx(node))
            };
            Stop {
                kind,
                arrival: Duration(slot.arrival),
                start: Duration(slot.earliest),
            }
        })
        .collect();
    let last = &state.slots[state.end()];
    Route {
        vehicle: VehicleIdx(state.vehicle as u32),
        departure: Duration(state.departure(index)),
        stops,
        arrival: Duration(last.earliest),
        distance: Distance(last.distance),
        travel_time: Duration(last.travel),
        duration: Duration(state.duration),
        load: state.load.iter().map(|&l| Load(l)).collect(),
        cost: Cost(state.cost),
    }
}
