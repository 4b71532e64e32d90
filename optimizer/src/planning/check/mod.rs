//! The independent plan checker: recomputes every unit's day from the problem, the matrices
//! and the plan alone (a plan edited by hand too), and lists every broken rule. It shares
//! nothing with the solver but the model types: it imports only the problem's and the plan's
//! modules (`planning/tests/layers.rs` holds it to that).
//!
//! Per day ([`day`], each visit's own rules in [`visit`]): the unit works that date (a working
//! weekday, not a holiday or listed closure) and within its hours; every drive takes the matrix
//! time (to the minute, the plan's rounding); visits start within the stop's opening hours of
//! that date (periods included) or the person's slot, last as long as they must; the lunch
//! break is taken in its window; driving time and kilometres stay within the unit's limits; the
//! unit is of an allowed kind with the equipment. Over the cycle ([`cycle`]): every stop gets
//! its visits (or they are listed unserved), spaced as asked across the repeating cycle, pins
//! kept, each home visit at most once and before its deadline; stops that keep a slot (weekly,
//! or in some weeks only) on the same weekday, time and unit every time unless the plan
//! declares a visit moved with a cause that holds ([`slots`]: a period's other hours, a pin,
//! the unit off that day). The figures ([`figures`]): each day's driving minutes and
//! kilometres are those of its drives; each unit's and the cycle's driving, kilometres and cost
//! add up the days, the cost at the units' prices.

mod cycle;
mod day;
mod figures;
mod slots;
mod visit;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::holidays::public_holidays;
use super::matrices::Matrices;
use super::plan::{Plan, Step, VisitKind};
use super::problem::{PlanningProblem, Unit};
use super::time::{LocalTime, TimeRange, Weekday};

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanViolation {
    /// A stable code (`outside_opening_hours`, `spacing`, `driving_limit`…).
    pub code: &'static str,
    /// The unit, stop or home visit concerned.
    pub id: String,
    /// The date concerned, if one.
    pub date: Option<NaiveDate>,
    /// What is wrong.
    pub message: String,
}

/// Each visit's (date, unit, start), by kind and id.
type VisitsById<'a> = HashMap<(VisitKind, &'a str), Vec<(NaiveDate, &'a str, LocalTime)>>;

/// Each date of the cycle with its week (from 0) and why it is closed, if it is.
type CycleDays = BTreeMap<NaiveDate, (u8, Option<String>)>;

/// Minutes of tolerance on recomputed times: the plan rounds to the minute.
const SLACK_MIN: u32 = 1;

/// Kilometres of tolerance on recomputed distances: the plan rounds to the tenth.
const KM_SLACK: f64 = 0.051;

/// Checks `plan` against `problem` and `matrices`; an empty list means every rule holds.
pub fn check_plan(
    problem: &PlanningProblem,
    matrices: &Matrices,
    plan: &Plan,
) -> Vec<PlanViolation> {
    let mut out = Vec::new();
    let days = cycle_days(problem);
    let mut visits: VisitsById<'_> = HashMap::new();
    for route in &plan.routes {
        let Some(u) = problem.units.iter().position(|u| u.id == route.unit) else {
            out.push(violation(
                "unknown_unit",
                &route.unit,
                Some(route.date),
                "no such unit".into(),
            ));
            continue;
        };
        day::check_day(problem, matrices, &days, u, route, &mut out);
        for step in &route.steps {
            if let Step::Visit {
                kind, id, start, ..
            } = step
            {
                visits.entry((*kind, id.as_str())).or_default().push((
                    route.date,
                    route.unit.as_str(),
                    *start,
                ));
            }
        }
    }
    cycle::check_cycle(problem, plan, &days, &visits, &mut out);
    figures::check_figures(problem, plan, &mut out);
    out
}

fn violation(
    code: &'static str,
    id: &str,
    date: Option<NaiveDate>,
    message: String,
) -> PlanViolation {
    PlanViolation {
        code,
        id: id.to_owned(),
        date,
        message,
    }
}

/// Each date of the cycle with its week (from 0) and why it is closed, if it is.
fn cycle_days(problem: &PlanningProblem) -> CycleDays {
    let h = &problem.horizon;
    let mut holidays = Vec::new();
    let end = h
        .start
        .checked_add_days(Days::new(u64::from(h.weeks) * 7))
        .unwrap_or(h.start);
    for year in h.start.year()..=end.year() {
        holidays.extend(public_holidays(h.public_holidays, year));
    }
    (0..u64::from(h.weeks) * 7)
        .filter_map(|k| h.start.checked_add_days(Days::new(k)).map(|d| (k, d)))
        .map(|(k, date)| {
            let holiday = holidays
                .iter()
                .find(|(d, _)| *d == date)
                .map(|(_, n)| (*n).to_owned());
            let closed = holiday.or_else(|| {
                h.closed_dates
                    .contains(&date)
                    .then(|| "closed date".to_owned())
            });
            (date, ((k / 7) as u8, closed))
        })
        .collect()
}

/// A unit's hours on a date of a given week (from 0).
fn unit_shift(unit: &Unit, weekday: Weekday, week: u8) -> Option<TimeRange> {
    let hours = unit
        .hours_by_week
        .iter()
        .find(|w| w.weeks.contains(&(week + 1)))
        .map_or(&unit.hours, |w| &w.hours);
    hours.on(weekday).first().copied()
}
