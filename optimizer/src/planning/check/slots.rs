//! The slot rules of a stop that keeps one (weekly, or in some weeks only): its visits share one
//! unit and start per weekday, and each visit the plan declares moved names a cause that holds
//! that day.

use chrono::NaiveDate;

use super::super::plan::{Plan, SlotCause, Warning};
use super::super::problem::{PlanningProblem, Stop};
use super::super::time::{LocalTime, Weekday};
use super::{CycleDays, PlanViolation, unit_shift, violation};

/// How many weekdays a stop keeps one slot on over the cycle, if it keeps slots: a weekly stop
/// its visits per week, a stop served in some weeks only one; none for a flexible stop or one
/// visited once a cycle.
fn slot_weekdays(problem: &PlanningProblem, stop: &Stop) -> Option<usize> {
    let f = stop.frequency;
    if stop.flexible_time || f.visits_over(problem.horizon.weeks) < 2 {
        return None;
    }
    if f.is_weekly() {
        Some(usize::from(f.visits / f.per_weeks.max(1)))
    } else {
        (f.visits < f.per_weeks).then_some(1)
    }
}

/// A stop that keeps a slot: its visits the plan does not declare moved share one unit and
/// start per weekday, on as many weekdays as it keeps; each visit declared moved names a cause
/// that holds that day.
pub(super) fn check_slots(
    problem: &PlanningProblem,
    plan: &Plan,
    days: &CycleDays,
    stop: &Stop,
    seen: &[(NaiveDate, &str, LocalTime)],
    out: &mut Vec<PlanViolation>,
) {
    let Some(weekdays) = slot_weekdays(problem, stop) else {
        return;
    };
    let moves = Moves { plan, stop };
    slots_kept(&moves, weekdays, seen, out);
    moves_with_cause(problem, days, &moves, seen, out);
}

/// The visits of a stop the plan declares moved.
struct Moves<'a> {
    plan: &'a Plan,
    stop: &'a Stop,
}

impl Moves<'_> {
    /// The plan's `slot_moved` warning for the stop's visit on `date`, if any.
    fn declared(&self, date: NaiveDate) -> Option<&Warning> {
        self.plan
            .warnings
            .iter()
            .find(|w| w.code == "slot_moved" && w.id == self.stop.id && w.date == Some(date))
    }
}

/// The visits not declared moved share one unit and start per weekday, on no more weekdays than
/// the stop keeps.
fn slots_kept(
    moves: &Moves<'_>,
    weekdays: usize,
    seen: &[(NaiveDate, &str, LocalTime)],
    out: &mut Vec<PlanViolation>,
) {
    let mut kept: Vec<(Weekday, &str, LocalTime)> = seen
        .iter()
        .filter(|(date, _, _)| moves.declared(*date).is_none())
        .map(|(date, unit, start)| (Weekday::of(*date), *unit, *start))
        .collect();
    kept.sort_unstable();
    kept.dedup();
    let mut on: Vec<Weekday> = kept.iter().map(|(w, _, _)| *w).collect();
    on.dedup();
    if kept.len() > on.len() || on.len() > weekdays {
        let slots: Vec<String> = kept
            .iter()
            .map(|(w, unit, start)| format!("{} {start} {unit}", w.name()))
            .collect();
        out.push(violation(
            "slot_not_kept",
            &moves.stop.id,
            None,
            format!(
                "{} slots without a declared move: {}",
                slots.len(),
                slots.join(", ")
            ),
        ));
    }
}

/// Each visit declared moved names a cause, and the cause holds that day.
fn moves_with_cause(
    problem: &PlanningProblem,
    days: &CycleDays,
    moves: &Moves<'_>,
    seen: &[(NaiveDate, &str, LocalTime)],
    out: &mut Vec<PlanViolation>,
) {
    let usual_dates: Vec<NaiveDate> = seen
        .iter()
        .filter(|(date, _, _)| moves.declared(*date).is_none())
        .map(|(date, _, _)| *date)
        .collect();
    for &(date, unit, start) in seen {
        let Some(warning) = moves.declared(date) else {
            continue;
        };
        let visit = (date, unit, start);
        let holds = warning.cause.as_ref().is_some_and(|cause| {
            cause_holds(problem, days, moves.stop, cause, visit, &usual_dates)
        });
        if !holds {
            let why = warning.cause.as_ref().map_or_else(
                || "declared moved without a cause".to_owned(),
                |cause| {
                    format!(
                        "declared moved because {}, which does not hold",
                        cause.describe()
                    )
                },
            );
            out.push(violation(
                "slot_moved_without_cause",
                &moves.stop.id,
                Some(date),
                format!("{} {start} with {unit}: {why}", Weekday::of(date).name()),
            ));
        }
    }
}

/// Whether `cause` keeps the stop's visit `(date, unit, start)` from its usual slot: the period
/// covers that date or the usual ones and the stop keeps other hours in it; the pin is the
/// visit's unit and start and covers that date; the usual unit does not work that day.
fn cause_holds(
    problem: &PlanningProblem,
    days: &CycleDays,
    stop: &Stop,
    cause: &SlotCause,
    (date, unit, start): (NaiveDate, &str, LocalTime),
    usual_dates: &[NaiveDate],
) -> bool {
    let week = days.get(&date).map_or(0, |(w, _)| *w);
    let weekday = Weekday::of(date);
    match cause {
        SlotCause::Period { period } => {
            let covers = |d: &NaiveDate| {
                problem
                    .horizon
                    .periods
                    .iter()
                    .any(|p| p.id == *period && p.from <= *d && *d <= p.to)
            };
            stop.period_hours.iter().any(|ph| ph.period == *period)
                && (covers(&date) || usual_dates.iter().any(covers))
        }
        SlotCause::Pin {
            unit: pin_unit,
            start: pin_start,
        } => {
            pin_unit == unit
                && *pin_start == start
                && problem.commitments.pinned.iter().any(|p| {
                    p.stop == stop.id
                        && p.unit == *pin_unit
                        && p.start == *pin_start
                        && p.weekday == weekday
                        && (p.weeks.is_empty() || p.weeks.contains(&(week + 1)))
                })
        }
        SlotCause::UnitOff { unit: off } => problem
            .units
            .iter()
            .find(|u| u.id == *off)
            .is_some_and(|u| unit_shift(u, weekday, week).is_none()),
    }
}
