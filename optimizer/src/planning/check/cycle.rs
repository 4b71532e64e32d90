//! The rules over the whole cycle, one function each: every stop gets its visits (or they are
//! listed unserved), spaced as asked across the repeating cycle, with its slots ([`slots`]) and
//! pins kept; each home visit is made at most once.

use chrono::NaiveDate;

use super::super::plan::{Plan, VisitKind};
use super::super::problem::{PlanningProblem, Stop};
use super::super::time::{LocalTime, Weekday};
use super::slots::check_slots;
use super::{CycleDays, PlanViolation, VisitsById, violation};

/// A stop's visits in a plan.
struct StopVisits<'a> {
    stop: &'a Stop,
    /// Each visit's date, unit and start, in date order.
    seen: Vec<(NaiveDate, &'a str, LocalTime)>,
    /// Visits the plan lists unserved.
    declared: u32,
}

/// Checks what the plan does over the cycle.
pub(super) fn check_cycle(
    problem: &PlanningProblem,
    plan: &Plan,
    days: &CycleDays,
    visits: &VisitsById<'_>,
    out: &mut Vec<PlanViolation>,
) {
    for stop in &problem.stops {
        let mut seen = visits
            .get(&(VisitKind::Stop, stop.id.as_str()))
            .cloned()
            .unwrap_or_default();
        seen.sort();
        let declared = plan
            .unserved
            .iter()
            .filter(|u| u.kind == VisitKind::Stop && u.id == stop.id)
            .count() as u32;
        let visits = StopVisits {
            stop,
            seen,
            declared,
        };
        frequency(problem, &visits, out);
        spacing(problem, &visits, out);
        check_slots(problem, plan, days, stop, &visits.seen, out);
        pins_kept(problem, plan, days, &visits, out);
    }
    home_visits_once(problem, plan, visits, out);
}

/// A stop gets the visits its frequency asks over the cycle, planned or listed unserved.
fn frequency(problem: &PlanningProblem, visits: &StopVisits<'_>, out: &mut Vec<PlanViolation>) {
    let required = visits.stop.frequency.visits_over(problem.horizon.weeks);
    let (planned, declared) = (visits.seen.len(), visits.declared);
    if planned as u32 + declared != required {
        out.push(violation(
            "frequency",
            &visits.stop.id,
            None,
            format!("{planned} visits planned and {declared} listed unserved, {required} required"),
        ));
    }
}

/// Consecutive visits of a stop, the last to the first of the next cycle included, are as far
/// apart as its frequency asks. Visits outside the cycle are left to the day's `outside_cycle`:
/// they have no place in it to measure from.
fn spacing(problem: &PlanningProblem, visits: &StopVisits<'_>, out: &mut Vec<PlanViolation>) {
    let cycle = u32::from(problem.horizon.weeks) * 7;
    let offset = |d: NaiveDate| {
        u32::try_from((d - problem.horizon.start).num_days())
            .ok()
            .filter(|&o| o < cycle)
    };
    let offsets: Vec<u32> = (visits.seen.iter())
        .filter_map(|(d, _, _)| offset(*d))
        .collect();
    let Some(&first) = offsets.first() else {
        return;
    };
    if offsets.len() < 2 {
        return;
    }
    let f = visits.stop.frequency;
    let min = u32::from(f.min_gap());
    let max = f.max_gap_days.map(u32::from);
    let wrap = first + cycle;
    for (a, b) in offsets
        .iter()
        .zip(offsets.iter().skip(1).chain(std::iter::once(&wrap)))
    {
        let gap = b - a;
        // A gap made long by a declared unserved visit is not the plan's doing.
        if gap < min || (visits.declared == 0 && max.is_some_and(|m| gap > m)) {
            out.push(violation(
                "spacing",
                &visits.stop.id,
                None,
                format!("{gap} days between visits"),
            ));
        }
    }
}

/// Every open day a pin covers has the stop's visit at the pinned unit and start, or lists it
/// unserved.
fn pins_kept(
    problem: &PlanningProblem,
    plan: &Plan,
    days: &CycleDays,
    visits: &StopVisits<'_>,
    out: &mut Vec<PlanViolation>,
) {
    let stop = visits.stop;
    for pin in (problem.commitments.pinned.iter()).filter(|p| p.stop == stop.id) {
        for (date, (week, closed)) in days {
            let covered = pin.weeks.is_empty() || pin.weeks.contains(&(week + 1));
            if Weekday::of(*date) != pin.weekday || !covered || closed.is_some() {
                continue;
            }
            let kept = (visits.seen.iter())
                .any(|(d, unit, start)| d == date && *unit == pin.unit && *start == pin.start);
            let declared_here = plan
                .unserved
                .iter()
                .any(|u| u.id == stop.id && u.date == Some(*date));
            if !kept && !declared_here {
                out.push(violation(
                    "pin",
                    &stop.id,
                    Some(*date),
                    format!(
                        "not at {} {} with {}",
                        pin.weekday.name(),
                        pin.start,
                        pin.unit
                    ),
                ));
            }
        }
    }
}

/// Each home visit is made once, or listed unserved.
fn home_visits_once(
    problem: &PlanningProblem,
    plan: &Plan,
    visits: &VisitsById<'_>,
    out: &mut Vec<PlanViolation>,
) {
    for visit in &problem.home_visits {
        let seen = visits
            .get(&(VisitKind::HomeVisit, visit.id.as_str()))
            .map_or(0, Vec::len);
        let declared = plan
            .unserved
            .iter()
            .any(|u| u.kind == VisitKind::HomeVisit && u.id == visit.id);
        if seen > 1 || (seen == 0 && !declared) || (seen == 1 && declared) {
            out.push(violation(
                "home_visit_count",
                &visit.id,
                None,
                format!("visited {seen} times"),
            ));
        }
    }
}
