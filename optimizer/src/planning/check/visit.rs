//! The rules of one visit, one function each: before the home visit's deadline, within the
//! stop's opening hours of that date or the person's slot, as long as it must be, by a unit of
//! an allowed kind carrying the equipment.

use chrono::NaiveDate;

use super::super::plan::VisitKind;
use super::super::problem::{PlanningProblem, Stop, StopDuration, Unit, UnitKind};
use super::super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};
use super::{PlanViolation, SLACK_MIN, violation};

/// A visit of a plan: what, on which date, from when to when.
pub(super) struct VisitAt<'a> {
    pub kind: VisitKind,
    pub id: &'a str,
    pub date: NaiveDate,
    pub start: LocalTime,
    pub end: LocalTime,
}

impl VisitAt<'_> {
    fn broken(&self, code: &'static str, message: String) -> PlanViolation {
        violation(code, self.id, Some(self.date), message)
    }
}

/// What a visit must keep, from its stop or home visit.
struct Terms<'a> {
    /// When it may happen that date.
    ranges: Vec<TimeRange>,
    /// How long it must last, minutes (unknown for a whole opening it does not start).
    duration: Option<u32>,
    allowed: &'a [UnitKind],
    equipment: &'a [String],
    deadline: Option<NaiveDate>,
}

/// Checks one visit made by `unit`; a visit of an unknown id is reported by the day.
pub(super) fn check_visit(
    problem: &PlanningProblem,
    unit: &Unit,
    visit: &VisitAt<'_>,
    out: &mut Vec<PlanViolation>,
) {
    let Some(terms) = terms(problem, visit) else {
        return;
    };
    before_deadline(visit, &terms, out);
    within_hours(visit, &terms, out);
    long_enough(visit, &terms, out);
    unit_allowed(visit, &terms, unit, out);
    unit_equipped(visit, &terms, unit, out);
}

/// The terms of the stop or home visit a visit is of, if the problem has it.
fn terms<'a>(problem: &'a PlanningProblem, visit: &VisitAt<'_>) -> Option<Terms<'a>> {
    let (date, weekday) = (visit.date, Weekday::of(visit.date));
    match visit.kind {
        VisitKind::Stop => {
            let stop = problem.stops.iter().find(|s| s.id == visit.id)?;
            let ranges = stop_hours(problem, stop, date).on(weekday).to_vec();
            let duration = match stop.duration {
                StopDuration::Minutes(m) => Some(u32::from(m)),
                StopDuration::WholeOpening => ranges
                    .iter()
                    .find(|r| r.start == visit.start)
                    .map(|r| r.minutes()),
            };
            Some(Terms {
                ranges,
                duration,
                allowed: &stop.allowed_units,
                equipment: &stop.equipment,
                deadline: None,
            })
        }
        VisitKind::HomeVisit => {
            let home = problem.home_visits.iter().find(|h| h.id == visit.id)?;
            let ranges = home
                .slots
                .iter()
                .filter(|s| s.date == Some(date) || s.weekday == Some(weekday))
                .map(|s| TimeRange {
                    start: s.start,
                    end: s.end,
                })
                .collect();
            Some(Terms {
                ranges,
                duration: Some(u32::from(home.duration_min)),
                allowed: &home.allowed_units,
                equipment: &home.equipment,
                deadline: home.deadline,
            })
        }
    }
}

/// A stop's hours on a date: a period's, if the date is in one the stop lists.
fn stop_hours<'a>(problem: &PlanningProblem, stop: &'a Stop, date: NaiveDate) -> &'a WeeklyHours {
    stop.period_hours
        .iter()
        .find(|ph| {
            problem
                .horizon
                .periods
                .iter()
                .any(|p| p.id == ph.period && p.from <= date && date <= p.to)
        })
        .map_or(&stop.opening_hours, |ph| &ph.hours)
}

/// A home visit is made by its deadline.
fn before_deadline(visit: &VisitAt<'_>, terms: &Terms<'_>, out: &mut Vec<PlanViolation>) {
    if terms.deadline.is_some_and(|deadline| visit.date > deadline) {
        out.push(visit.broken("after_deadline", "visited after its deadline".into()));
    }
}

/// A visit lies within one of the stop's openings or the person's slots that date.
fn within_hours(visit: &VisitAt<'_>, terms: &Terms<'_>, out: &mut Vec<PlanViolation>) {
    let (start, end) = (visit.start, visit.end);
    if !terms
        .ranges
        .iter()
        .any(|r| start >= r.start && end <= r.end)
    {
        let code = if visit.kind == VisitKind::Stop {
            "outside_opening_hours"
        } else {
            "outside_slot"
        };
        let message = format!("{start}-{end} is not within its hours that day");
        out.push(visit.broken(code, message));
    }
}

/// A visit lasts as long as it must.
fn long_enough(visit: &VisitAt<'_>, terms: &Terms<'_>, out: &mut Vec<PlanViolation>) {
    let (start, end) = (visit.start, visit.end);
    match terms.duration {
        Some(minutes) if end.minutes().saturating_sub(start.minutes()) + SLACK_MIN >= minutes => {}
        _ => {
            let message = format!("{start}-{end} is shorter than required");
            out.push(visit.broken("too_short", message));
        }
    }
}

/// The unit is of a kind the visit allows.
fn unit_allowed(visit: &VisitAt<'_>, terms: &Terms<'_>, unit: &Unit, out: &mut Vec<PlanViolation>) {
    if !terms.allowed.is_empty() && !terms.allowed.contains(&unit.kind) {
        let message = format!("a {} may not serve it", unit.kind.name());
        out.push(visit.broken("unit_not_allowed", message));
    }
}

/// The unit carries the equipment the visit needs.
fn unit_equipped(
    visit: &VisitAt<'_>,
    terms: &Terms<'_>,
    unit: &Unit,
    out: &mut Vec<PlanViolation>,
) {
    if let Some(missing) = terms.equipment.iter().find(|e| !unit.equipment.contains(e)) {
        out.push(visit.broken("missing_equipment", format!("the unit lacks {missing}")));
    }
}
