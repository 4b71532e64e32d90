//! The rules of one unit's day, one function each: the date and hours it works, the drives
//! between its places at the matrix times, its lunch break and its daily limits.

use chrono::NaiveDate;

use super::super::matrices::Matrices;
use super::super::plan::{Step, UnitDayPlan, VisitKind};
use super::super::problem::{PlanningProblem, Unit};
use super::super::time::{LocalTime, TimeRange, Weekday};
use super::visit::{VisitAt, check_visit};
use super::{CycleDays, KM_SLACK, PlanViolation, SLACK_MIN, unit_shift, violation};
use crate::model::Profile;

/// One unit's day as the checker reads it.
struct Day<'a> {
    unit: &'a Unit,
    route: &'a UnitDayPlan,
    date: Option<NaiveDate>,
}

impl Day<'_> {
    fn broken(&self, code: &'static str, message: String) -> PlanViolation {
        violation(code, &self.unit.id, self.date, message)
    }
}

/// What a walk through a day's steps adds up.
#[derive(Default)]
struct Walked {
    driving_s: u32,
    metres: u32,
    lunch_taken: bool,
}

/// Checks the day of unit `u` (its index in the problem) described by `route`.
pub(super) fn check_day(
    problem: &PlanningProblem,
    matrices: &Matrices,
    days: &CycleDays,
    u: usize,
    route: &UnitDayPlan,
    out: &mut Vec<PlanViolation>,
) {
    let unit = &problem.units[u];
    let day = Day {
        unit,
        route,
        date: Some(route.date),
    };
    let Some(shift) = works_that_day(&day, problem, days, out) else {
        return;
    };
    within_hours(&day, shift, out);
    let Some(matrix) = matrices.get(unit.kind) else {
        out.push(day.broken("no_matrix", "no matrix for the unit's kind".into()));
        return;
    };
    let walked = walk(&day, problem, matrix, u, out);
    lunch_taken(&day, walked.lunch_taken, out);
    driving_limit(&day, walked.driving_s, out);
    battery_range(&day, walked.metres, out);
    reported_figures(&day, &walked, out);
}

/// The day's reported driving minutes and kilometres are those of its drives (to the minute
/// and the tenth of a kilometre the plan rounds to).
fn reported_figures(day: &Day<'_>, walked: &Walked, out: &mut Vec<PlanViolation>) {
    let driving_min = f64::from(walked.driving_s) / 60.0;
    if (f64::from(day.route.driving_min) - driving_min).abs() > f64::from(SLACK_MIN) {
        let message = format!(
            "reports {} min of driving, its drives take {driving_min:.1}",
            day.route.driving_min
        );
        out.push(day.broken("figures", message));
    }
    let km = f64::from(walked.metres) / 1e3;
    if (day.route.distance_km - km).abs() > KM_SLACK {
        let message = format!(
            "reports {} km, its drives cover {km:.2}",
            day.route.distance_km
        );
        out.push(day.broken("figures", message));
    }
}

/// The date is in the cycle, open and worked, and the unit works it: its hours that day.
fn works_that_day(
    day: &Day<'_>,
    problem: &PlanningProblem,
    days: &CycleDays,
    out: &mut Vec<PlanViolation>,
) -> Option<TimeRange> {
    let weekday = Weekday::of(day.route.date);
    let Some((week, closed)) = days.get(&day.route.date) else {
        out.push(day.broken("outside_cycle", "the date is outside the cycle".into()));
        return None;
    };
    if let Some(name) = closed {
        out.push(day.broken("closed_date", format!("the service is closed ({name})")));
    }
    if !problem.horizon.working_days.contains(&weekday) {
        let message = format!("{} is not worked", weekday.name());
        out.push(day.broken("not_a_working_day", message));
    }
    let shift = unit_shift(day.unit, weekday, *week);
    if shift.is_none() {
        out.push(day.broken("unit_off", "the unit does not work that day".into()));
    }
    shift
}

/// The unit leaves and comes back within its hours.
fn within_hours(day: &Day<'_>, shift: TimeRange, out: &mut Vec<PlanViolation>) {
    let route = day.route;
    if route.leave < shift.start || route.back > shift.end {
        out.push(day.broken(
            "outside_working_hours",
            format!(
                "out {}-{}, hours {}-{}",
                route.leave, route.back, shift.start, shift.end
            ),
        ));
    }
}

/// Where a stop or home visit is in the matrices: after the depots, the stops, then the home
/// visits.
fn place_of(problem: &PlanningProblem, kind: VisitKind, id: &str) -> Option<usize> {
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
}

/// Follows the day from the depot of unit `u`: each break and visit by its rules, each drive at
/// the matrix time, then the drive back; what it adds up.
fn walk(
    day: &Day<'_>,
    problem: &PlanningProblem,
    matrix: &Profile,
    u: usize,
    out: &mut Vec<PlanViolation>,
) -> Walked {
    let mut walked = Walked::default();
    let mut at = u;
    let mut clock = day.route.leave.minutes();
    for step in &day.route.steps {
        match step {
            Step::Break { start, end } => {
                break_in_place(day, *start, *end, clock, out);
                walked.lunch_taken |= day.unit.lunch.is_some();
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
                let Some(to) = place_of(problem, *kind, id) else {
                    let message = "no such stop or home visit".into();
                    out.push(violation("unknown_visit", id, day.date, message));
                    continue;
                };
                let drive = matrix.seconds(at as u32, to as u32);
                walked.driving_s += drive;
                walked.metres += matrix.metres(at as u32, to as u32);
                arrives_after_the_drive(day, id, clock * 60 + drive, *arrive, *start, out);
                let visit = VisitAt {
                    kind: *kind,
                    id,
                    date: day.route.date,
                    start: *start,
                    end: *end,
                };
                check_visit(problem, day.unit, &visit, out);
                clock = end.minutes();
                at = to;
            }
        }
    }
    let drive = matrix.seconds(at as u32, u as u32);
    walked.driving_s += drive;
    walked.metres += matrix.metres(at as u32, u as u32);
    back_after_the_drive(day, clock * 60 + drive, out);
    walked
}

/// A break starts after what comes before it and, for a unit with a lunch rule, is as long as
/// the rule and within its window.
fn break_in_place(
    day: &Day<'_>,
    start: LocalTime,
    end: LocalTime,
    clock: u32,
    out: &mut Vec<PlanViolation>,
) {
    if start.minutes() + SLACK_MIN < clock {
        let message = format!("break at {start} before {}", minute(clock));
        out.push(day.broken("overlap", message));
    }
    if let Some(lunch) = day.unit.lunch {
        let long_enough = end.minutes().saturating_sub(start.minutes()) + SLACK_MIN
            >= u32::from(lunch.duration_min);
        let inside = start >= lunch.window.start && end <= lunch.window.end;
        if !long_enough || !inside {
            let message = format!("break {start}-{end} outside the lunch rule");
            out.push(day.broken("lunch", message));
        }
    }
}

/// A visit is reached no earlier than the drive allows (`earliest`, seconds after midnight),
/// and starts once there.
fn arrives_after_the_drive(
    day: &Day<'_>,
    id: &str,
    earliest: u32,
    arrive: LocalTime,
    start: LocalTime,
    out: &mut Vec<PlanViolation>,
) {
    if arrive.seconds() + SLACK_MIN * 60 < earliest {
        out.push(violation(
            "too_fast",
            id,
            day.date,
            format!(
                "arrives {arrive}, the drive ends at {} at the earliest",
                minute(earliest.div_ceil(60))
            ),
        ));
    }
    if start < arrive {
        out.push(violation(
            "starts_before_arrival",
            id,
            day.date,
            format!("starts {start} before arriving {arrive}"),
        ));
    }
}

/// The unit is back no earlier than the drive allows (`earliest`, seconds after midnight).
fn back_after_the_drive(day: &Day<'_>, earliest: u32, out: &mut Vec<PlanViolation>) {
    if day.route.back.seconds() + SLACK_MIN * 60 < earliest {
        let message = format!(
            "back {}, the drive ends at {}",
            day.route.back,
            minute(earliest.div_ceil(60))
        );
        out.push(day.broken("too_fast", message));
    }
}

/// A unit out through its whole lunch window takes a break.
fn lunch_taken(day: &Day<'_>, taken: bool, out: &mut Vec<PlanViolation>) {
    if let Some(lunch) = day.unit.lunch {
        let route = day.route;
        let out_all_lunch = route.leave <= lunch.window.start && route.back >= lunch.window.end;
        if out_all_lunch && !taken {
            let message = "out through the lunch window without a break".into();
            out.push(day.broken("lunch", message));
        }
    }
}

/// The day's driving stays within the unit's limit.
fn driving_limit(day: &Day<'_>, driving_s: u32, out: &mut Vec<PlanViolation>) {
    if let Some(max) = day.unit.max_driving_min
        && driving_s > max * 60 + SLACK_MIN * 60
    {
        let message = format!("{} min of driving, limit {max}", driving_s / 60);
        out.push(day.broken("driving_limit", message));
    }
}

/// The day's kilometres stay within the unit's battery range.
fn battery_range(day: &Day<'_>, metres: u32, out: &mut Vec<PlanViolation>) {
    if let Some(range) = day.unit.battery_range_km
        && f64::from(metres) > range * 1_000.0
    {
        let message = format!("{:.1} km, range {range} km", f64::from(metres) / 1e3);
        out.push(day.broken("battery_range", message));
    }
}

fn minute(m: u32) -> String {
    LocalTime::from_seconds(m * 60).map_or_else(|| format!("{m} min"), |t| t.to_string())
}
