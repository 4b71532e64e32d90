//! Checks a [`PlanningProblem`] once, reporting every malformed field with its path
//! (`stops[3].opening_hours.thu[0]`).
//!
//! Only what makes the problem meaningless is an error. What makes a request impossible (a stop
//! needing equipment no unit has, a home visit whose slots are all outside the cycle) is not:
//! the plan lists it as unserved, with the reason.

use std::collections::HashSet;

use crate::error::{Error, FieldError, Result};

use super::calendar::Calendar;
use super::problem::{Frequency, Pin, PlanningProblem, Position, StopDuration, Territory, Unit};
use super::time::{TimeRange, WeeklyHours};

struct Report(Vec<FieldError>);

impl Report {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn check(&mut self, ok: bool, path: impl Into<String>, message: impl Into<String>) {
        if !ok {
            self.push(path, message);
        }
    }

    fn position(&mut self, path: String, p: &Position) {
        let valid =
            p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0;
        self.check(
            valid,
            path,
            format!("({}, {}) is not a WGS84 position", p.lat, p.lon),
        );
    }

    fn range(&mut self, path: String, range: &TimeRange) {
        self.check(
            range.start < range.end,
            path,
            format!("ends ({}) before it starts ({})", range.end, range.start),
        );
    }

    fn hours(&mut self, path: &str, hours: &WeeklyHours, one_per_day: bool) {
        for (day, ranges) in &hours.0 {
            if one_per_day && ranges.len() > 1 {
                self.push(
                    format!("{path}.{}", day.name()),
                    "give one range per day (the lunch break is separate)",
                );
            }
            for (i, range) in ranges.iter().enumerate() {
                self.range(format!("{path}.{}[{i}]", day.name()), range);
            }
        }
    }

    fn unique<'a>(
        &mut self,
        path: &str,
        ids: impl Iterator<Item = &'a str>,
        seen: &mut HashSet<String>,
    ) {
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.push(format!("{path}[{i}].id"), "must not be empty");
            } else if !seen.insert(id.to_owned()) {
                self.push(format!("{path}[{i}].id"), format!("{id:?} is used twice"));
            }
        }
    }

    fn amount(&mut self, path: String, value: f64) {
        self.check(
            value.is_finite() && value >= 0.0,
            path,
            format!("must be a non-negative number, got {value}"),
        );
    }
}

/// Validates `problem`, returning [`Error::Invalid`] with all offending fields at once.
///
/// # Errors
/// [`Error::Invalid`] when any field is malformed.
pub fn validate_planning(problem: &PlanningProblem) -> Result<()> {
    let mut report = Report(Vec::new());
    check_horizon(problem, &mut report);
    let mut ids = HashSet::new();
    report.unique(
        "units",
        problem.units.iter().map(|u| u.id.as_str()),
        &mut ids,
    );
    let mut ids = HashSet::new();
    report.unique(
        "stops",
        problem.stops.iter().map(|s| s.id.as_str()),
        &mut ids,
    );
    report.unique(
        "home_visits",
        problem.home_visits.iter().map(|h| h.id.as_str()),
        &mut ids,
    );
    report.check(
        !problem.units.is_empty(),
        "units",
        "at least one unit is required",
    );
    for (i, unit) in problem.units.iter().enumerate() {
        check_unit(problem, i, unit, &mut report);
    }
    check_stops(problem, &mut report);
    check_home_visits(problem, &mut report);
    check_pins(problem, &mut report);
    check_territory(problem, &mut report);
    report.amount("fairness.weight".into(), problem.fairness.weight);
    let limit = problem.solver.time_limit_s;
    report.check(
        limit.is_finite() && limit > 0.0 && limit <= 3_600.0,
        "solver.time_limit_s",
        format!("must be between 0 and 3600 seconds, got {limit}"),
    );
    if report.0.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(report.0))
    }
}

fn check_horizon(problem: &PlanningProblem, report: &mut Report) {
    let h = &problem.horizon;
    report.check(
        (1..=6).contains(&h.weeks),
        "horizon.weeks",
        format!("must be 1 to 6, got {}", h.weeks),
    );
    report.check(
        !h.working_days.is_empty(),
        "horizon.working_days",
        "at least one working day is required",
    );
    let distinct: HashSet<_> = h.working_days.iter().collect();
    report.check(
        distinct.len() == h.working_days.len(),
        "horizon.working_days",
        "a day is listed twice",
    );
    if let Err(message) = Calendar::new(h) {
        report.push("horizon.time_zone", message);
    }
    let mut ids = HashSet::new();
    for (i, period) in h.periods.iter().enumerate() {
        report.check(
            period.from <= period.to,
            format!("horizon.periods[{i}].to"),
            format!("{} is before {}", period.to, period.from),
        );
        report.check(
            ids.insert(&period.id),
            format!("horizon.periods[{i}].id"),
            format!("{:?} is used twice", period.id),
        );
    }
}

fn check_unit(problem: &PlanningProblem, i: usize, unit: &Unit, report: &mut Report) {
    let path = format!("units[{i}]");
    report.position(format!("{path}.depot"), &unit.depot);
    report.hours(&format!("{path}.hours"), &unit.hours, true);
    for (w, week) in unit.hours_by_week.iter().enumerate() {
        for (k, n) in week.weeks.iter().enumerate() {
            report.check(
                (1..=problem.horizon.weeks).contains(n),
                format!("{path}.hours_by_week[{w}].weeks[{k}]"),
                format!(
                    "week {n} is outside the {}-week cycle",
                    problem.horizon.weeks
                ),
            );
        }
        report.hours(
            &format!("{path}.hours_by_week[{w}].hours"),
            &week.hours,
            true,
        );
    }
    if let Some(lunch) = &unit.lunch {
        report.range(format!("{path}.lunch.window"), &lunch.window);
        report.check(
            lunch.duration_min > 0 && u32::from(lunch.duration_min) <= lunch.window.minutes(),
            format!("{path}.lunch.duration_min"),
            format!(
                "must be positive and fit the window ({} min)",
                lunch.window.minutes()
            ),
        );
    }
    report.check(
        unit.max_driving_min != Some(0),
        format!("{path}.max_driving_min"),
        "must be positive",
    );
    if let Some(range) = unit.battery_range_km {
        report.check(
            range.is_finite() && range > 0.0,
            format!("{path}.battery_range_km"),
            "must be a positive number",
        );
    }
    report.amount(format!("{path}.cost_per_hour"), unit.cost_per_hour);
    report.amount(format!("{path}.cost_per_km"), unit.cost_per_km);
}

fn check_stops(problem: &PlanningProblem, report: &mut Report) {
    let periods: HashSet<&str> = problem
        .horizon
        .periods
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    for (i, stop) in problem.stops.iter().enumerate() {
        let path = format!("stops[{i}]");
        report.check(
            !stop.name.trim().is_empty(),
            format!("{path}.name"),
            "must not be empty",
        );
        report.position(format!("{path}.location"), &stop.location);
        report.hours(&format!("{path}.opening_hours"), &stop.opening_hours, false);
        for (p, special) in stop.period_hours.iter().enumerate() {
            report.check(
                periods.contains(special.period.as_str()),
                format!("{path}.period_hours[{p}].period"),
                format!("no period {:?} in horizon.periods", special.period),
            );
            report.hours(
                &format!("{path}.period_hours[{p}].hours"),
                &special.hours,
                false,
            );
        }
        if let StopDuration::Minutes(minutes) = stop.duration {
            report.check(
                (1..=24 * 60).contains(&minutes),
                format!("{path}.duration.minutes"),
                format!("must be 1 to 1440 minutes, got {minutes}"),
            );
        }
        check_frequency(&path, &stop.frequency, problem.horizon.weeks, report);
        report.check(
            (1..=100).contains(&stop.priority),
            format!("{path}.priority"),
            format!("must be 1 to 100, got {}", stop.priority),
        );
    }
}

fn check_frequency(path: &str, f: &Frequency, weeks: u8, report: &mut Report) {
    let path = format!("{path}.frequency");
    report.check(
        f.visits >= 1,
        format!("{path}.visits"),
        "must be at least 1",
    );
    report.check(
        f.per_weeks >= 1 && weeks.is_multiple_of(f.per_weeks.max(1)),
        format!("{path}.per_weeks"),
        format!(
            "the {weeks}-week cycle must be a multiple of it, got {}",
            f.per_weeks
        ),
    );
    if let (Some(min), Some(max)) = (f.min_gap_days, f.max_gap_days) {
        report.check(
            min <= max,
            format!("{path}.max_gap_days"),
            format!("{max} is below min_gap_days {min}"),
        );
    }
    if let Some(max) = f.max_gap_days {
        report.check(
            max >= 1,
            format!("{path}.max_gap_days"),
            "must be at least 1",
        );
    }
}

fn check_home_visits(problem: &PlanningProblem, report: &mut Report) {
    for (i, visit) in problem.home_visits.iter().enumerate() {
        let path = format!("home_visits[{i}]");
        report.position(format!("{path}.location"), &visit.location);
        report.check(
            (1..=24 * 60).contains(&visit.duration_min),
            format!("{path}.duration_min"),
            format!("must be 1 to 1440 minutes, got {}", visit.duration_min),
        );
        report.check(
            !visit.slots.is_empty(),
            format!("{path}.slots"),
            "at least one slot is required",
        );
        for (s, slot) in visit.slots.iter().enumerate() {
            let slot_path = format!("{path}.slots[{s}]");
            report.check(
                slot.date.is_some() != slot.weekday.is_some(),
                slot_path.clone(),
                "give either a date or a weekday",
            );
            report.range(
                slot_path,
                &TimeRange {
                    start: slot.start,
                    end: slot.end,
                },
            );
        }
        report.check(
            (1..=100).contains(&visit.priority),
            format!("{path}.priority"),
            format!("must be 1 to 100, got {}", visit.priority),
        );
    }
}

fn check_pins(problem: &PlanningProblem, report: &mut Report) {
    for (i, pin) in problem.commitments.pinned.iter().enumerate() {
        let path = format!("commitments.pinned[{i}]");
        report.check(
            problem.stops.iter().any(|s| s.id == pin.stop),
            format!("{path}.stop"),
            format!("no stop {:?}", pin.stop),
        );
        report.check(
            problem.units.iter().any(|u| u.id == pin.unit),
            format!("{path}.unit"),
            format!("no unit {:?}", pin.unit),
        );
        report.check(
            problem.horizon.working_days.contains(&pin.weekday),
            format!("{path}.weekday"),
            format!("{} is not a working day", pin.weekday.name()),
        );
        for (k, n) in pin.weeks.iter().enumerate() {
            report.check(
                (1..=problem.horizon.weeks).contains(n),
                format!("{path}.weeks[{k}]"),
                format!("week {n} is outside the cycle"),
            );
        }
        check_pin_fits(problem, pin, &path, report);
    }
}

/// A pin the planner could only drop or ignore is refused with the reason: a stop closed on
/// the pin's weekday (in every period), or a unit the stop does not take, that lacks its
/// equipment, or that never works that weekday.
fn check_pin_fits(problem: &PlanningProblem, pin: &Pin, path: &str, report: &mut Report) {
    let (Some(stop), Some(unit)) = (
        problem.stops.iter().find(|s| s.id == pin.stop),
        problem.units.iter().find(|u| u.id == pin.unit),
    ) else {
        return;
    };
    let day = pin.weekday;
    let open = !stop.opening_hours.on(day).is_empty()
        || stop
            .period_hours
            .iter()
            .any(|p| !p.hours.on(day).is_empty());
    report.check(
        open,
        format!("{path}.weekday"),
        format!("{} is closed on {}", stop.id, day.name()),
    );
    report.check(
        stop.allowed_units.is_empty() || stop.allowed_units.contains(&unit.kind),
        format!("{path}.unit"),
        format!("{} does not take {} units", stop.id, unit.kind.name()),
    );
    let missing: Vec<&str> = stop
        .equipment
        .iter()
        .filter(|e| !unit.equipment.contains(e))
        .map(String::as_str)
        .collect();
    report.check(
        missing.is_empty(),
        format!("{path}.unit"),
        format!("{} lacks the equipment {}", unit.id, missing.join(", ")),
    );
    let works = !unit.hours.on(day).is_empty()
        || unit
            .hours_by_week
            .iter()
            .any(|w| !w.hours.on(day).is_empty());
    report.check(
        works,
        format!("{path}.weekday"),
        format!("{} does not work on {}", unit.id, day.name()),
    );
}

fn check_territory(problem: &PlanningProblem, report: &mut Report) {
    let Territory::Matrices(matrices) = &problem.territory else {
        return;
    };
    let size = problem.units.len() + problem.stops.len() + problem.home_visits.len();
    for unit in &problem.units {
        report.check(
            matrices.contains_key(&unit.kind),
            "territory.matrices",
            format!("no matrix for {} units", unit.kind.name()),
        );
    }
    for (kind, matrix) in matrices {
        for (name, rows) in [
            ("durations_s", &matrix.durations_s),
            ("distances_m", &matrix.distances_m),
        ] {
            let path = format!("territory.matrices.{}.{name}", kind.name());
            let square = rows.len() == size && rows.iter().all(|r| r.len() == size);
            report.check(
                square,
                path,
                format!("must be {size} × {size} (units' depots, then stops, then home visits)"),
            );
        }
    }
}
