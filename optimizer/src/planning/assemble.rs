//! Turning the routed cycle into the dispatcher's plan: timetables in local time, unserved
//! visits with their reasons, totals, per-unit figures and warnings.

use std::collections::BTreeMap;

use super::assign::DayAssignment;
use super::instance::{Instance, Source};
use super::plan::{
    Change, Plan, SolveReport, Step, Totals, UnitDayPlan, UnitSummary, UnservedVisit, VisitKind,
    Warning,
};
use super::problem::{PlanningProblem, Unit};
use super::routing::RoutedStep;
use super::schedule::{MovedVisit, RoutedCycle};
use super::time::LocalTime;
use super::unserved::Reason;

/// Minutes, rounded to the nearest, from seconds.
fn minutes(seconds: u32) -> u32 {
    (seconds + 30) / 60
}

fn clock(seconds: u32) -> LocalTime {
    LocalTime::from_seconds(seconds).unwrap_or(LocalTime::END_OF_DAY)
}

fn km(metres: u32) -> f64 {
    (f64::from(metres) / 100.0).round() / 10.0
}

/// The kind and id of an item's source.
pub fn describe(problem: &PlanningProblem, source: Source) -> (VisitKind, String) {
    match source {
        Source::Stop(s) => (VisitKind::Stop, problem.stops[s].id.clone()),
        Source::HomeVisit(h) => (VisitKind::HomeVisit, problem.home_visits[h].id.clone()),
    }
}

/// Assembles the plan.
pub fn assemble(
    problem: &PlanningProblem,
    instance: &Instance,
    assignment: &DayAssignment,
    cycle: &RoutedCycle,
    report: SolveReport,
) -> Plan {
    let mut routes = Vec::new();
    let mut unserved = Vec::new();
    let mut warnings = Vec::new();
    let mut planned = vec![0u32; instance.items.len()];
    for crew in &cycle.routed.crews {
        let day = instance.day(crew.crew.day);
        let mut steps = Vec::new();
        let (mut driving, mut on_site, mut distance) = (crew.return_drive, 0, crew.return_distance);
        for step in &crew.steps {
            match *step {
                RoutedStep::Visit {
                    visit,
                    arrival,
                    start,
                    end,
                    drive,
                    distance: metres,
                } => {
                    let item = cycle.visits[visit].item.get();
                    planned[item] += 1;
                    let (kind, id) = describe(problem, instance.items[item].source);
                    driving += drive;
                    distance += metres;
                    on_site += end - start;
                    steps.push(Step::Visit {
                        kind,
                        id,
                        arrive: clock(arrival),
                        start: clock(start),
                        end: clock(end),
                        drive_min: minutes(drive),
                        distance_km: km(metres),
                    });
                }
                RoutedStep::Break { start, end } => {
                    steps.push(Step::Break {
                        start: clock(start),
                        end: clock(end),
                    });
                }
            }
        }
        routes.push(UnitDayPlan {
            unit: problem.units[crew.crew.unit.get()].id.clone(),
            date: day.date,
            weekday: day.weekday,
            week: day.week + 1,
            leave: clock(crew.departure),
            back: clock(crew.arrival),
            leave_at: instance.calendar.instant(day.date, clock(crew.departure)),
            back_at: instance.calendar.instant(day.date, clock(crew.arrival)),
            steps,
            return_drive_min: minutes(crew.return_drive),
            driving_min: minutes(driving),
            on_site_min: minutes(on_site),
            distance_km: km(distance),
        });
    }
    for (visit, reason) in &cycle.routed.unserved {
        let visit = &cycle.visits[*visit];
        let (kind, id) = describe(problem, instance.items[visit.item.get()].source);
        let date = match visit.options.as_slice() {
            [only] => Some(instance.day(only.day).date),
            _ => None,
        };
        unserved.push(unserved_visit(kind, id, date, reason.clone()));
    }
    for moved in &cycle.slot_moved {
        warnings.push(slot_moved(problem, instance, cycle, moved));
    }
    missed_occurrences(
        problem,
        instance,
        assignment,
        &planned,
        cycle,
        &mut unserved,
    );
    for (&unit, depot) in &instance.left_out {
        warnings.push(Warning {
            code: "depot_off_road".into(),
            id: problem.units[unit.get()].id.clone(),
            message: format!(
                "the unit is left out of the plan, its work given to others: {}",
                depot.message()
            ),
            date: None,
            cause: None,
        });
    }
    for (source, refusal) in &instance.impossible {
        let (kind, id) = describe(problem, *source);
        match (kind, &refusal.reason) {
            (VisitKind::Stop, Reason::ClosedOnWorkingDays) => warnings.push(Warning {
                code: "opening_day_not_worked".into(),
                id: id.clone(),
                message: "the stop opens (its market day) only on days no unit works".into(),
                date: None,
                cause: None,
            }),
            (VisitKind::HomeVisit, Reason::OutOfReach) => warnings.push(Warning {
                code: "home_out_of_range".into(),
                id: id.clone(),
                message: "the home is out of every unit's range within its working hours".into(),
                date: None,
                cause: None,
            }),
            (_, Reason::OffRoad(place)) => warnings.push(Warning {
                code: "off_road".into(),
                id: id.clone(),
                message: format!("left out of the plan: {}", place.message()),
                date: None,
                cause: None,
            }),
            _ => {}
        }
        let visits = match source {
            Source::Stop(s) => problem.stops[*s]
                .frequency
                .visits_over(problem.horizon.weeks),
            Source::HomeVisit(_) => 1,
        };
        for date in refusal.dates_of(visits as usize) {
            unserved.push(unserved_visit(
                kind,
                id.clone(),
                date,
                refusal.reason.clone(),
            ));
        }
    }
    routes.sort_by(|a, b| (a.date, &a.unit).cmp(&(b.date, &b.unit)));
    let changes = match &problem.commitments.previous_plan {
        Some(previous) => changes(problem, &previous.routes, &routes),
        None => Vec::new(),
    };
    let units = unit_summaries(problem, &routes);
    let totals = totals(problem, instance, &routes, &units, &planned);
    Plan {
        name: problem.name.clone(),
        start: problem.horizon.start,
        weeks: problem.horizon.weeks,
        time_zone: problem.horizon.time_zone.clone(),
        routes,
        unserved,
        totals,
        units,
        changes,
        warnings,
        solver: report,
    }
}

/// The `slot_moved` warning of a visit not at its stop's usual weekly slot, with its date and
/// cause.
fn slot_moved(
    problem: &PlanningProblem,
    instance: &Instance,
    cycle: &RoutedCycle,
    moved: &MovedVisit,
) -> Warning {
    let visit = &cycle.visits[moved.visit];
    let (_, id) = describe(problem, instance.items[visit.item.get()].source);
    let day = visit.options.first().map(|o| instance.day(o.day));
    let date = day.map(|d| d.date);
    let on = date.map_or_else(String::new, |d| format!(" on {d}"));
    let usual = match (moved.usual, day) {
        (Some((unit, start)), Some(day)) => format!(
            "its usual slot ({} {} with {})",
            day.weekday.name(),
            clock(start),
            problem.units[unit.get()].id
        ),
        _ => "its usual weekly time".to_owned(),
    };
    let why = moved.cause.as_ref().map_or_else(
        || "no room was found for it there".to_owned(),
        |cause| cause.describe(),
    );
    Warning {
        code: "slot_moved".into(),
        id,
        message: format!("not at {usual}{on}: {why}"),
        date,
        cause: moved.cause.clone(),
    }
}

/// Each stop's slots (`"w1 thu 09:30 bus-1"`) in some routes.
fn stop_slots(routes: &[UnitDayPlan]) -> BTreeMap<&str, Vec<String>> {
    let mut slots: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for route in routes {
        for step in &route.steps {
            if let Step::Visit {
                kind: VisitKind::Stop,
                id,
                start,
                ..
            } = step
            {
                let slot = format!(
                    "w{} {} {start} {}",
                    route.week,
                    route.weekday.name(),
                    route.unit
                );
                slots.entry(id.as_str()).or_default().push(slot);
            }
        }
    }
    for list in slots.values_mut() {
        list.sort();
    }
    slots
}

/// The stops whose slots differ from the plan in force.
fn changes(
    problem: &PlanningProblem,
    before: &[UnitDayPlan],
    after: &[UnitDayPlan],
) -> Vec<Change> {
    let (before, after) = (stop_slots(before), stop_slots(after));
    problem
        .stops
        .iter()
        .filter_map(|stop| {
            let (was, now) = (before.get(stop.id.as_str()), after.get(stop.id.as_str()));
            (was != now).then(|| Change {
                stop: stop.id.clone(),
                before: was.map(|s| s.join(", ")),
                after: now.map(|s| s.join(", ")),
            })
        })
        .collect()
}

fn unserved_visit(
    kind: VisitKind,
    id: String,
    date: Option<chrono::NaiveDate>,
    reason: Reason,
) -> UnservedVisit {
    UnservedVisit {
        kind,
        id,
        date,
        message: reason.message(),
        reason,
    }
}

/// Visits an item asked for that no day holds: lost to a closed day on a weekly slot (in a week
/// it is served), lost because fewer days can serve it than it needs visits (the reason those
/// days are refused), or not placed by the day assignment.
fn missed_occurrences(
    problem: &PlanningProblem,
    instance: &Instance,
    assignment: &DayAssignment,
    planned: &[u32],
    cycle: &RoutedCycle,
    unserved: &mut Vec<UnservedVisit>,
) {
    let routed_out: Vec<usize> = cycle
        .routed
        .unserved
        .iter()
        .map(|(v, _)| cycle.visits[*v].item.get())
        .collect();
    for (i, item) in instance.items.iter().enumerate() {
        let (kind, id) = describe(problem, item.source);
        let left_out_by_routing = routed_out.iter().filter(|&&x| x == i).count() as u32;
        let mut missing = item
            .required
            .saturating_sub(planned[i] + left_out_by_routing);
        if item.weekly.is_some() || item.pattern.is_some() {
            let chosen: Vec<_> = assignment.chosen[i]
                .iter()
                .map(|&c| instance.day(item.candidates[c].day))
                .collect();
            // A stop served some weeks only misses a closed day of the weeks it is served.
            let served_week = |week: u8| {
                item.pattern.is_none_or(|p| {
                    chosen
                        .iter()
                        .any(|d| d.week % p.per_weeks == week % p.per_weeks)
                })
            };
            for day in instance.calendar.days() {
                if missing == 0 {
                    break;
                }
                let slot_day = chosen.iter().any(|d| d.weekday == day.weekday);
                if slot_day && served_week(day.week) && !day.is_service_day() && day.working_day {
                    let reason = Reason::ClosedDate(day.closed.clone().unwrap_or_default());
                    unserved.push(unserved_visit(kind, id.clone(), Some(day.date), reason));
                    missing -= 1;
                }
            }
        }
        // Visits beyond the days the item can be served on are lost to those days' reason.
        let short_of_days = item.required.saturating_sub(item.candidates.len() as u32);
        if let (None, Some(lost)) = (item.weekly, &item.lost) {
            let lost_visits = missing.min(short_of_days);
            for date in lost.dates_of(lost_visits as usize) {
                unserved.push(unserved_visit(kind, id.clone(), date, lost.reason.clone()));
            }
            missing -= lost_visits;
        }
        for _ in 0..missing {
            unserved.push(unserved_visit(kind, id.clone(), None, Reason::NoCapacity));
        }
    }
}

fn unit_summaries(problem: &PlanningProblem, routes: &[UnitDayPlan]) -> Vec<UnitSummary> {
    let mut by_unit: BTreeMap<&str, UnitSummary> = problem
        .units
        .iter()
        .map(|u| {
            let summary = UnitSummary {
                unit: u.id.clone(),
                days: 0,
                working_min: 0,
                driving_min: 0,
                on_site_min: 0,
                distance_km: 0.0,
                cost_eur: None,
            };
            (u.id.as_str(), summary)
        })
        .collect();
    for route in routes {
        if let Some(s) = by_unit.get_mut(route.unit.as_str()) {
            s.days += 1;
            s.working_min += route.back.minutes().saturating_sub(route.leave.minutes());
            s.driving_min += route.driving_min;
            s.on_site_min += route.on_site_min;
            s.distance_km += route.distance_km;
        }
    }
    for unit in &problem.units {
        if let Some(s) = by_unit.get_mut(unit.id.as_str()) {
            let cost: f64 = routes
                .iter()
                .filter(|r| r.unit == unit.id)
                .map(|r| day_cost_eur(unit, r))
                .sum();
            s.cost_eur = Some(cents(cost));
            s.distance_km = (s.distance_km * 10.0).round() / 10.0;
        }
    }
    problem
        .units
        .iter()
        .filter_map(|u| by_unit.remove(u.id.as_str()))
        .collect()
}

/// What one day of `unit` costs: its span (leaving to coming back) at its hourly cost, plus
/// its kilometres at its cost per km, euros. The routing minimises the same two terms.
fn day_cost_eur(unit: &Unit, route: &UnitDayPlan) -> f64 {
    let hours = f64::from(route.back.minutes().saturating_sub(route.leave.minutes())) / 60.0;
    hours * unit.cost_per_hour + route.distance_km * unit.cost_per_km
}

/// Euros rounded to the cent.
fn cents(euros: f64) -> f64 {
    (euros * 100.0).round() / 100.0
}

fn totals(
    problem: &PlanningProblem,
    instance: &Instance,
    routes: &[UnitDayPlan],
    units: &[UnitSummary],
    planned: &[u32],
) -> Totals {
    let mut t = Totals::default();
    for (i, item) in instance.items.iter().enumerate() {
        match item.source {
            Source::Stop(_) => t.stop_visits_planned += planned[i],
            Source::HomeVisit(_) => t.home_visits_planned += planned[i],
        }
    }
    t.stop_visits_required = problem
        .stops
        .iter()
        .map(|s| s.frequency.visits_over(problem.horizon.weeks))
        .sum();
    t.home_visits_requested = problem.home_visits.len() as u32;
    let requested = t.stop_visits_required + t.home_visits_requested;
    t.share_served = if requested == 0 {
        1.0
    } else {
        f64::from(t.stop_visits_planned + t.home_visits_planned) / f64::from(requested)
    };
    for route in routes {
        t.driving_min += route.driving_min;
        t.on_site_min += route.on_site_min;
        t.distance_km += route.distance_km;
        if let Some(unit) = problem.units.iter().find(|u| u.id == route.unit) {
            t.cost_eur += day_cost_eur(unit, route);
        }
    }
    t.cost_eur = cents(t.cost_eur);
    t.distance_km = (t.distance_km * 10.0).round() / 10.0;
    let working: Vec<u32> = units.iter().map(|u| u.working_min).collect();
    t.working_spread_min = working.iter().max().unwrap_or(&0) - working.iter().min().unwrap_or(&0);
    t
}
