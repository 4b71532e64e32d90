//! Exports of a finished plan: calendars (RFC 5545), GeoJSON along the roads, a timetable CSV.
//! Each reads the problem and plan as stored and looks places and names up in the problem.

pub mod csv;
pub mod geojson;
pub mod ics;
pub mod validity;

use std::collections::HashMap;

use optimizer::planning::plan::{Plan, VisitKind};
use optimizer::planning::problem::{PlanningProblem, Position, Stop, Unit};

/// A problem and its plan, with lookups by id.
pub struct Documents {
    /// The problem.
    pub problem: PlanningProblem,
    /// Its plan.
    pub plan: Plan,
    units: HashMap<String, usize>,
    stops: HashMap<String, usize>,
    homes: HashMap<String, usize>,
}

impl Documents {
    /// Indexes a problem and its plan.
    pub fn new(problem: PlanningProblem, plan: Plan) -> Self {
        let index = |ids: Vec<&str>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.to_owned(), i))
                .collect()
        };
        let units = index(problem.units.iter().map(|u| u.id.as_str()).collect());
        let stops = index(problem.stops.iter().map(|s| s.id.as_str()).collect());
        let homes = index(problem.home_visits.iter().map(|h| h.id.as_str()).collect());
        Documents {
            problem,
            plan,
            units,
            stops,
            homes,
        }
    }

    /// A unit by id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.get(id).map(|&i| &self.problem.units[i])
    }

    /// A stop by id.
    pub fn stop(&self, id: &str) -> Option<&Stop> {
        self.stops.get(id).map(|&i| &self.problem.stops[i])
    }

    /// Where a visit happens, and the stop's public name (home visits have none).
    pub fn place(&self, kind: VisitKind, id: &str) -> Option<(&Position, Option<&str>)> {
        match kind {
            VisitKind::Stop => self
                .stop(id)
                .map(|stop| (&stop.location, Some(stop.name.as_str()))),
            VisitKind::HomeVisit => self
                .homes
                .get(id)
                .map(|&i| (&self.problem.home_visits[i].location, None)),
        }
    }

    /// The unit's display name, or its id.
    pub fn unit_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.unit(id).and_then(|u| u.name.as_deref()).unwrap_or(id)
    }
}
