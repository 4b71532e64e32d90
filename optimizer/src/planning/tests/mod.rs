//! Tests of the planning layer on small problems written as JSON.

mod assignment;
mod check;
mod days;
mod end_to_end;
mod layers;
mod off_road;
mod reasons;
mod rules;
mod slots;

use super::instance::Instance;
use super::matrices::Matrices;
use super::plan::{Plan, Step, UnitDayPlan};
use super::problem::{PlanningProblem, Position};
use super::time::Weekday;
use crate::model::{Profile, TravelTable};

/// A problem from JSON, with a `territory` of uniform matrices (`minutes` apart, 1 km per
/// minute) for every unit kind used.
pub fn problem(json: serde_json::Value, minutes: u32) -> (PlanningProblem, Matrices) {
    let mut json = json;
    json["territory"] = serde_json::json!({ "extract": "unused.osm.pbf" });
    let problem: PlanningProblem = serde_json::from_value(json).expect("a valid problem");
    let size = problem.units.len() + problem.stops.len() + problem.home_visits.len();
    let table = TravelTable::from_fn(size, |i, j| {
        let apart = u32::from(i != j);
        (apart * minutes * 60, apart * minutes * 1_000)
    });
    let matrices = every_kind(&problem, table);
    (problem, matrices)
}

/// One table shared by every kind of unit of `problem`.
fn every_kind(problem: &PlanningProblem, table: TravelTable) -> Matrices {
    let mut matrices = Matrices::new();
    for kind in problem.units.iter().map(|u| u.kind) {
        matrices.insert(kind, Profile::new(table.clone()));
    }
    matrices
}

/// A problem from JSON with matrices from its positions: straight-line kilometres, at 50 km/h.
pub fn geo_problem(json: serde_json::Value) -> (PlanningProblem, Matrices) {
    let (problem, _) = problem(json, 0);
    let matrices = every_kind(&problem, geo_table(&problem));
    (problem, matrices)
}

/// The table between a problem's places (depots, stops, home visits): straight-line
/// kilometres, at 50 km/h.
pub fn geo_table(problem: &PlanningProblem) -> TravelTable {
    let mut positions: Vec<&Position> = problem.units.iter().map(|u| &u.depot).collect();
    positions.extend(problem.stops.iter().map(|s| &s.location));
    positions.extend(problem.home_visits.iter().map(|h| &h.location));
    let km = |a: &Position, b: &Position| {
        let dy = (a.lat - b.lat) * 111.2;
        let dx = (a.lon - b.lon) * 111.2 * a.lat.to_radians().cos();
        (dx * dx + dy * dy).sqrt()
    };
    TravelTable::from_fn(positions.len(), |i, j| {
        let d = km(positions[i], positions[j]);
        (
            (d / 50.0 * 3_600.0).round() as u32,
            (d * 1_000.0).round() as u32,
        )
    })
}

/// Solves a problem and checks the plan with the independent checker.
pub fn checked_plan(problem: &PlanningProblem, matrices: &Matrices) -> Plan {
    let plan =
        super::solve::plan(problem, matrices, &crate::Control::default()).expect("a valid problem");
    let violations = super::check::check_plan(problem, matrices, &plan);
    assert!(
        violations.is_empty(),
        "{violations:#?}\n{}",
        serde_json::to_string_pretty(&plan).unwrap_or_default()
    );
    plan
}

/// The prepared instance of a problem.
pub fn instance(problem: &PlanningProblem, matrices: &Matrices) -> Instance {
    super::validate::validate_planning(problem).expect("valid");
    Instance::new(problem, matrices).expect("a known time zone")
}

/// A bus working Monday to Friday 08:30-17:30 with a lunch break.
pub fn bus(id: &str) -> serde_json::Value {
    let day = serde_json::json!([{ "start": "08:30", "end": "17:30" }]);
    serde_json::json!({
        "id": id, "kind": "bus", "depot": { "lat": 45.0, "lon": 5.0 },
        "hours": { "mon": day, "tue": day, "wed": day, "thu": day, "fri": day },
        "lunch": { "window": { "start": "12:00", "end": "14:00" }, "duration_min": 60 }
    })
}

/// A town-hall stop open every weekday morning, served for two hours at the given frequency.
pub fn stop(id: &str, visits: u8, per_weeks: u8) -> serde_json::Value {
    let morning = serde_json::json!([{ "start": "09:00", "end": "12:00" }]);
    serde_json::json!({
        "id": id, "name": id, "kind": "town_hall", "location": { "lat": 45.01, "lon": 5.01 },
        "opening_hours": { "mon": morning, "tue": morning, "wed": morning, "thu": morning, "fri": morning },
        "duration": { "minutes": 120 },
        "frequency": { "visits": visits, "per_weeks": per_weeks }
    })
}

/// Every visit to `id` in a plan, with its day.
pub fn visits_of<'a>(
    plan: &'a Plan,
    id: &'a str,
) -> impl Iterator<Item = (&'a UnitDayPlan, &'a Step)> + 'a {
    plan.routes.iter().flat_map(move |r| {
        r.steps
            .iter()
            .filter(move |s| matches!(s, Step::Visit { id: v, .. } if v == id))
            .map(move |s| (r, s))
    })
}

/// The weekday of every visit to `id`.
pub fn weekdays_of(plan: &Plan, id: &str) -> Vec<Weekday> {
    visits_of(plan, id).map(|(r, _)| r.weekday).collect()
}

/// A stop at a village `km_east` kilometres east of the depot, open on the given days.
pub fn village(
    id: &str,
    km_east: f64,
    days: &[&str],
    frequency: serde_json::Value,
) -> serde_json::Value {
    let hours: serde_json::Map<String, serde_json::Value> = days
        .iter()
        .map(|d| {
            (
                d.to_string(),
                serde_json::json!([{ "start": "09:00", "end": "17:00" }]),
            )
        })
        .collect();
    serde_json::json!({
        "id": id, "name": id, "kind": "town_hall",
        "location": { "lat": 45.0, "lon": 5.0 + km_east / 78.6 },
        "opening_hours": hours,
        "duration": { "minutes": 150 },
        "frequency": frequency,
    })
}

/// The working weekdays.
pub const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// A cycle from `start` with no public holiday.
pub fn horizon(start: &str, weeks: u8) -> serde_json::Value {
    serde_json::json!({ "start": start, "weeks": weeks, "public_holidays": "none" })
}
