//! The independent plan checker: recomputes every unit's day from the problem, the matrices
//! and the plan alone (a plan edited by hand too), and lists every broken rule. It shares
//! nothing with the solver but the model types.
//!
//! Per day: the unit works that date (a working weekday, not a holiday or listed closure) and
//! within its hours; every drive takes the matrix time (to the minute, the plan's rounding);
//! visits start within the stop's opening hours of that date (periods included) or the
//! person's slot, last as long as they must; the lunch break is taken in its window; driving
//! time and kilometres stay within the unit's limits; the unit is of an allowed kind with the
//! equipment. Over the cycle: every stop gets its visits (or they are listed unserved), spaced
//! as asked across the repeating cycle, stops that keep a slot (weekly, or in some weeks only)
//! on the same weekday, time and unit every time unless the plan declares a visit moved with a
//! cause that holds (a period's other hours, a pin, the unit off that day), pins kept, each home
//! visit at most once and before its deadline.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::holidays::public_holidays;
use super::matrices::Matrices;
use super::plan::{Plan, SlotCause, Step, UnitDayPlan, VisitKind};
use super::problem::{PlanningProblem, Stop, StopDuration, Unit};
use super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};

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

/// Minutes of tolerance on recomputed times: the plan rounds to the minute.
const SLACK_MIN: u32 = 1;

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
        check_day(problem, matrices, &days, u, route, &mut out);
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
    check_cycle(problem, plan, &days, &visits, &mut out);
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
fn cycle_days(problem: &PlanningProblem) -> BTreeMap<NaiveDate, (u8, Option<String>)> {
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

fn check_day(
    problem: &PlanningProblem,
    matrices: &Matrices,
    days: &BTreeMap<NaiveDate, (u8, Option<String>)>,
    u: usize,
    route: &UnitDayPlan,
    out: &mut Vec<PlanViolation>,
) {
    let unit = &problem.units[u];
    let date = Some(route.date);
    let weekday = Weekday::of(route.date);
    let Some((week, closed)) = days.get(&route.date) else {
        out.push(violation(
            "outside_cycle",
            &unit.id,
            date,
            "the date is outside the cycle".into(),
        ));
        return;
    };
    if let Some(name) = closed {
        out.push(violation(
            "closed_date",
            &unit.id,
            date,
            format!("the service is closed ({name})"),
        ));
    }
    if !problem.horizon.working_days.contains(&weekday) {
        out.push(violation(
            "not_a_working_day",
            &unit.id,
            date,
            format!("{} is not worked", weekday.name()),
        ));
    }
    let Some(shift) = unit_shift(unit, weekday, *week) else {
        out.push(violation(
            "unit_off",
            &unit.id,
            date,
            "the unit does not work that day".into(),
        ));
        return;
    };
    if route.leave < shift.start || route.back > shift.end {
        out.push(violation(
            "outside_working_hours",
            &unit.id,
            date,
            format!(
                "out {}-{}, hours {}-{}",
                route.leave, route.back, shift.start, shift.end
            ),
        ));
    }
    let Some(matrix) = matrices.get(unit.kind) else {
        out.push(violation(
            "no_matrix",
            &unit.id,
            date,
            "no matrix for the unit's kind".into(),
        ));
        return;
    };
    let location = |kind: VisitKind, id: &str| -> Option<usize> {
        match kind {
            VisitKind::Stop => problem
                .stops
                .iter()
                .position(|s| s.id == id)
                .map(|s| problem.units.len() + s),
            VisitKind::HomeVisit => problem
                .home_visits
                .iter()
                .position(|h| h.id == id)
                .map(|h| problem.units.len() + problem.stops.len() + h),
        }
    };
    let mut at = u;
    let mut clock = route.leave.minutes();
    let (mut driving_s, mut metres, mut lunch_taken) = (0u32, 0u32, false);
    for step in &route.steps {
        match step {
            Step::Break { start, end } => {
                if start.minutes() + SLACK_MIN < clock {
                    out.push(violation(
                        "overlap",
                        &unit.id,
                        date,
                        format!("break at {start} before {}", minute(clock)),
                    ));
                }
                if let Some(lunch) = unit.lunch {
                    let long_enough = end.minutes().saturating_sub(start.minutes()) + SLACK_MIN
                        >= u32::from(lunch.duration_min);
                    let inside = *start >= lunch.window.start && *end <= lunch.window.end;
                    if !long_enough || !inside {
                        out.push(violation(
                            "lunch",
                            &unit.id,
                            date,
                            format!("break {start}-{end} outside the lunch rule"),
                        ));
                    }
                    lunch_taken = true;
                }
                clock = clock.max(end.minutes());
            }
            Step::Visit {
                kind,
                id,
                arrive,
                start,
                end,
                ..
            } => {
                let Some(to) = location(*kind, id) else {
                    out.push(violation(
                        "unknown_visit",
                        id,
                        date,
                        "no such stop or home visit".into(),
                    ));
                    continue;
                };
                let drive = matrix.seconds(at as u32, to as u32);
                driving_s += drive;
                metres += matrix.metres(at as u32, to as u32);
                let expected = clock * 60 + drive;
                if arrive.seconds() + SLACK_MIN * 60 < expected {
                    out.push(violation(
                        "too_fast",
                        id,
                        date,
                        format!(
                            "arrives {arrive}, the drive ends at {} at the earliest",
                            minute(expected.div_ceil(60))
                        ),
                    ));
                }
                if start < arrive {
                    out.push(violation(
                        "starts_before_arrival",
                        id,
                        date,
                        format!("starts {start} before arriving {arrive}"),
                    ));
                }
                check_visit(problem, unit, *kind, id, route.date, *start, *end, out);
                clock = end.minutes();
                at = to;
            }
        }
    }
    let back = clock * 60 + matrix.seconds(at as u32, u as u32);
    driving_s += matrix.seconds(at as u32, u as u32);
    metres += matrix.metres(at as u32, u as u32);
    if route.back.seconds() + SLACK_MIN * 60 < back {
        out.push(violation(
            "too_fast",
            &unit.id,
            date,
            format!(
                "back {}, the drive ends at {}",
                route.back,
                minute(back.div_ceil(60))
            ),
        ));
    }
    if let Some(lunch) = unit.lunch {
        let out_all_lunch = route.leave <= lunch.window.start && route.back >= lunch.window.end;
        if out_all_lunch && !lunch_taken {
            out.push(violation(
                "lunch",
                &unit.id,
                date,
                "out through the lunch window without a break".into(),
            ));
        }
    }
    if let Some(max) = unit.max_driving_min
        && driving_s > max * 60 + SLACK_MIN * 60
    {
        out.push(violation(
            "driving_limit",
            &unit.id,
            date,
            format!("{} min of driving, limit {max}", driving_s / 60),
        ));
    }
    if let Some(range) = unit.battery_range_km
        && f64::from(metres) > range * 1_000.0
    {
        out.push(violation(
            "battery_range",
            &unit.id,
            date,
            format!("{:.1} km, range {range} km", f64::from(metres) / 1e3),
        ));
    }
}

fn minute(m: u32) -> String {
    LocalTime::from_seconds(m * 60).map_or_else(|| format!("{m} min"), |t| t.to_string())
}

/// Opening hours or slot, duration, unit kind and equipment of one visit.
#[allow(clippy::too_many_arguments)]
fn check_visit(
    problem: &PlanningProblem,
    unit: &Unit,
    kind: VisitKind,
    id: &str,
    date: NaiveDate,
    start: LocalTime,
    end: LocalTime,
    out: &mut Vec<PlanViolation>,
) {
    let weekday = Weekday::of(date);
    let d = Some(date);
    let (ranges, duration, allowed, equipment): (Vec<TimeRange>, Option<u32>, &[_], &[String]) =
        match kind {
            VisitKind::Stop => {
                let Some(stop) = problem.stops.iter().find(|s| s.id == id) else {
                    return;
                };
                let ranges = stop_hours(problem, stop, date).on(weekday).to_vec();
                let duration = match stop.duration {
                    StopDuration::Minutes(m) => Some(u32::from(m)),
                    StopDuration::WholeOpening => ranges
                        .iter()
                        .find(|r| r.start == start)
                        .map(|r| r.minutes()),
                };
                (ranges, duration, &stop.allowed_units, &stop.equipment)
            }
            VisitKind::HomeVisit => {
                let Some(visit) = problem.home_visits.iter().find(|h| h.id == id) else {
                    return;
                };
                if visit.deadline.is_some_and(|deadline| date > deadline) {
                    out.push(violation(
                        "after_deadline",
                        id,
                        d,
                        "visited after its deadline".into(),
                    ));
                }
                let ranges = visit
                    .slots
                    .iter()
                    .filter(|s| s.date == Some(date) || s.weekday == Some(weekday))
                    .map(|s| TimeRange {
                        start: s.start,
                        end: s.end,
                    })
                    .collect();
                (
                    ranges,
                    Some(u32::from(visit.duration_min)),
                    &visit.allowed_units,
                    &visit.equipment,
                )
            }
        };
    if !ranges.iter().any(|r| start >= r.start && end <= r.end) {
        let code = if kind == VisitKind::Stop {
            "outside_opening_hours"
        } else {
            "outside_slot"
        };
        out.push(violation(
            code,
            id,
            d,
            format!("{start}-{end} is not within its hours that day"),
        ));
    }
    match duration {
        Some(minutes) if end.minutes().saturating_sub(start.minutes()) + SLACK_MIN >= minutes => {}
        _ => out.push(violation(
            "too_short",
            id,
            d,
            format!("{start}-{end} is shorter than required"),
        )),
    }
    if !allowed.is_empty() && !allowed.contains(&unit.kind) {
        out.push(violation(
            "unit_not_allowed",
            id,
            d,
            format!("a {} may not serve it", unit.kind.name()),
        ));
    }
    if let Some(missing) = equipment.iter().find(|e| !unit.equipment.contains(e)) {
        out.push(violation(
            "missing_equipment",
            id,
            d,
            format!("the unit lacks {missing}"),
        ));
    }
}

fn check_cycle(
    problem: &PlanningProblem,
    plan: &Plan,
    days: &BTreeMap<NaiveDate, (u8, Option<String>)>,
    visits: &VisitsById<'_>,
    out: &mut Vec<PlanViolation>,
) {
    let cycle = u32::from(problem.horizon.weeks) * 7;
    // A date outside the cycle has no offset: its day is reported `outside_cycle`.
    let offset = |d: NaiveDate| {
        u32::try_from((d - problem.horizon.start).num_days())
            .ok()
            .filter(|&o| o < cycle)
    };
    for stop in &problem.stops {
        let mut seen = visits
            .get(&(VisitKind::Stop, stop.id.as_str()))
            .cloned()
            .unwrap_or_default();
        seen.sort();
        let f = stop.frequency;
        let required = f.visits_over(problem.horizon.weeks);
        let declared = plan
            .unserved
            .iter()
            .filter(|u| u.kind == VisitKind::Stop && u.id == stop.id)
            .count() as u32;
        if seen.len() as u32 + declared != required {
            out.push(violation(
                "frequency",
                &stop.id,
                None,
                format!(
                    "{} visits planned and {declared} listed unserved, {required} required",
                    seen.len()
                ),
            ));
        }
        let offsets: Vec<u32> = seen.iter().filter_map(|(d, _, _)| offset(*d)).collect();
        if offsets.len() >= 2 {
            let wrap = offsets[0] + cycle;
            for (a, b) in offsets
                .iter()
                .zip(offsets.iter().skip(1).chain(std::iter::once(&wrap)))
            {
                let gap = b - a;
                let min = u32::from(f.min_gap());
                let max = f.max_gap_days.map(u32::from);
                // A gap made long by a declared unserved visit is not the plan's doing.
                if gap < min || (declared == 0 && max.is_some_and(|m| gap > m)) {
                    out.push(violation(
                        "spacing",
                        &stop.id,
                        None,
                        format!("{gap} days between visits"),
                    ));
                }
            }
        }
        check_slots(problem, plan, days, stop, &seen, out);
        for pin in problem
            .commitments
            .pinned
            .iter()
            .filter(|p| p.stop == stop.id)
        {
            for (date, (week, closed)) in days {
                let covered = pin.weeks.is_empty() || pin.weeks.contains(&(week + 1));
                if Weekday::of(*date) != pin.weekday || !covered || closed.is_some() {
                    continue;
                }
                let kept = seen
                    .iter()
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
fn check_slots(
    problem: &PlanningProblem,
    plan: &Plan,
    days: &BTreeMap<NaiveDate, (u8, Option<String>)>,
    stop: &Stop,
    seen: &[(NaiveDate, &str, LocalTime)],
    out: &mut Vec<PlanViolation>,
) {
    let Some(weekdays) = slot_weekdays(problem, stop) else {
        return;
    };
    let declared = |date: NaiveDate| {
        plan.warnings
            .iter()
            .find(|w| w.code == "slot_moved" && w.id == stop.id && w.date == Some(date))
    };
    let mut kept: Vec<(Weekday, &str, LocalTime)> = seen
        .iter()
        .filter(|(date, _, _)| declared(*date).is_none())
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
            &stop.id,
            None,
            format!(
                "{} slots without a declared move: {}",
                slots.len(),
                slots.join(", ")
            ),
        ));
    }
    let week = |date: &NaiveDate| days.get(date).map_or(0, |(w, _)| *w);
    let usual_dates: Vec<NaiveDate> = seen
        .iter()
        .filter(|(date, _, _)| declared(*date).is_none())
        .map(|(date, _, _)| *date)
        .collect();
    for (date, unit, start) in seen {
        let Some(warning) = declared(*date) else {
            continue;
        };
        let holds = match &warning.cause {
            None => false,
            Some(SlotCause::Period { period }) => {
                let covers = |d: &NaiveDate| {
                    problem
                        .horizon
                        .periods
                        .iter()
                        .any(|p| p.id == *period && p.from <= *d && *d <= p.to)
                };
                stop.period_hours.iter().any(|ph| ph.period == *period)
                    && (covers(date) || usual_dates.iter().any(covers))
            }
            Some(SlotCause::Pin {
                unit: pin_unit,
                start: pin_start,
            }) => {
                pin_unit == unit
                    && pin_start == start
                    && problem.commitments.pinned.iter().any(|p| {
                        p.stop == stop.id
                            && p.unit == *pin_unit
                            && p.start == *pin_start
                            && p.weekday == Weekday::of(*date)
                            && (p.weeks.is_empty() || p.weeks.contains(&(week(date) + 1)))
                    })
            }
            Some(SlotCause::UnitOff { unit: off }) => problem
                .units
                .iter()
                .find(|u| u.id == *off)
                .is_some_and(|u| unit_shift(u, Weekday::of(*date), week(date)).is_none()),
        };
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
                &stop.id,
                Some(*date),
                format!("{} {start} with {unit}: {why}", Weekday::of(*date).name()),
            ));
        }
    }
}
