//! Weekly slots: a stop served every week, or in the same weeks of every span, keeps one
//! weekday, start and unit; a visit that cannot says why, and the checker holds the plan to it.

use serde_json::{Value, json};

use super::super::check::check_plan;
use super::super::plan::{Plan, SlotCause, Step};
use super::super::time::Weekday;
use super::{WEEKDAYS, bus, checked_plan, geo_problem, horizon, village, visits_of};

/// Each visit to `id` as (week, weekday, start, unit).
fn slots_of(plan: &Plan, id: &str) -> Vec<(u8, Weekday, String, String)> {
    visits_of(plan, id)
        .map(|(route, step)| {
            let Step::Visit { start, .. } = step else {
                unreachable!("visits_of yields visits")
            };
            (
                route.week,
                route.weekday,
                start.to_string(),
                route.unit.clone(),
            )
        })
        .collect()
}

/// The distinct weekday, start and unit of a stop's visits.
fn distinct_slots(plan: &Plan, id: &str) -> Vec<(Weekday, String, String)> {
    let mut slots: Vec<_> = slots_of(plan, id)
        .into_iter()
        .map(|(_, weekday, start, unit)| (weekday, start, unit))
        .collect();
    slots.sort();
    slots.dedup();
    slots
}

fn slot_moved(plan: &Plan) -> Vec<&super::super::plan::Warning> {
    plan.warnings
        .iter()
        .filter(|w| w.code == "slot_moved")
        .collect()
}

/// A bus whose hours cost, so that a route ends as early as it can.
fn paid_bus(id: &str) -> Value {
    let mut unit = bus(id);
    unit["cost_per_hour"] = json!(30.0);
    unit
}

#[test]
fn a_weekly_slot_just_after_lunch_is_kept_every_week() {
    // A fills the Monday morning 24 km out; B, 4 km further, opens at 13:00. The bus lunches at
    // A and reaches B at 13:05, which it could not do from the depot (34 min away): B's slot
    // holds only after A, and must be kept every week.
    let mut a = village("a", 24.0, &["mon"], json!({ "visits": 1 }));
    a["opening_hours"] = json!({ "mon": [{ "start": "09:00", "end": "12:00" }] });
    a["duration"] = json!({ "minutes": 180 });
    let mut b = village("b", 28.0, &["mon"], json!({ "visits": 1 }));
    b["opening_hours"] = json!({ "mon": [{ "start": "13:00", "end": "17:30" }] });
    b["duration"] = json!({ "minutes": 180 });
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 3),
        "units": [paid_bus("bus")],
        "stops": [a, b],
        "solver": { "time_limit_s": 2 },
    }));
    let plan = checked_plan(&p, &m);
    assert!(slot_moved(&plan).is_empty(), "{:#?}", plan.warnings);
    assert_eq!(slots_of(&plan, "b").len(), 3, "{:?}", plan.unserved);
    let slots = distinct_slots(&plan, "b");
    assert_eq!(slots.len(), 1, "{slots:?}");
    assert!(
        slots[0].1.as_str() < "13:35",
        "B right after lunch: {slots:?}"
    );
}

#[test]
fn every_other_week_keeps_its_weekday_start_unit_and_weeks() {
    // Four weeks, two buses, weekly stops and stops served every other week, all open every
    // weekday: nothing but the rule ties a fortnightly stop to one weekday and time.
    let every_other = json!({ "visits": 1, "per_weeks": 2 });
    let mut stops: Vec<Value> = (0..4)
        .map(|i| {
            village(
                &format!("fortnight-{i}"),
                6.0 + 4.0 * f64::from(i),
                &WEEKDAYS,
                every_other.clone(),
            )
        })
        .collect();
    stops.extend((0..4).map(|i| {
        village(
            &format!("weekly-{i}"),
            8.0 + 4.0 * f64::from(i),
            &WEEKDAYS,
            json!({ "visits": 1 }),
        )
    }));
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 4),
        "units": [paid_bus("bus-1"), paid_bus("bus-2")],
        "stops": stops,
        "solver": { "time_limit_s": 3 },
    }));
    let plan = checked_plan(&p, &m);
    assert!(slot_moved(&plan).is_empty(), "{:#?}", plan.warnings);
    for i in 0..4 {
        let id = format!("fortnight-{i}");
        let visits = slots_of(&plan, &id);
        assert_eq!(visits.len(), 2, "{id}: {visits:?}");
        assert_eq!(distinct_slots(&plan, &id).len(), 1, "{id}: {visits:?}");
        assert_eq!(
            visits[0].0 % 2,
            visits[1].0 % 2,
            "{id}: every other week, as 1st and 3rd: {visits:?}"
        );
    }
}

#[test]
fn two_weeks_in_three_keep_one_weekday_and_start() {
    let two_in_three = json!({ "visits": 2, "per_weeks": 3, "min_gap_days": 5 });
    let stops: Vec<Value> = (0..3)
        .map(|i| {
            village(
                &format!("s{i}"),
                5.0 + 5.0 * f64::from(i),
                &WEEKDAYS,
                two_in_three.clone(),
            )
        })
        .collect();
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 3),
        "units": [paid_bus("bus")],
        "stops": stops,
        "solver": { "time_limit_s": 2 },
    }));
    let plan = checked_plan(&p, &m);
    assert!(slot_moved(&plan).is_empty(), "{:#?}", plan.warnings);
    for id in ["s0", "s1", "s2"] {
        assert_eq!(slots_of(&plan, id).len(), 2, "{id}: {:?}", plan.unserved);
        assert_eq!(
            distinct_slots(&plan, id).len(),
            1,
            "{:?}",
            slots_of(&plan, id)
        );
    }
}

#[test]
fn other_hours_in_a_period_move_the_slot_and_name_the_period() {
    // Mornings usually; the third week is in a period with afternoon hours only.
    let mut stop = village("library", 8.0, &WEEKDAYS, json!({ "visits": 1 }));
    let hours = |start: &str, end: &str| {
        let day = json!([{ "start": start, "end": end }]);
        json!({ "mon": day, "tue": day, "wed": day, "thu": day, "fri": day })
    };
    stop["opening_hours"] = hours("09:00", "12:00");
    stop["duration"] = json!({ "minutes": 120 });
    stop["period_hours"] = json!([{ "period": "works", "hours": hours("14:00", "17:00") }]);
    let mut h = horizon("2026-01-05", 3);
    h["periods"] = json!([{ "id": "works", "from": "2026-01-19", "to": "2026-01-25" }]);
    let (p, m) = geo_problem(json!({
        "horizon": h,
        "units": [paid_bus("bus")],
        "stops": [stop],
        "solver": { "time_limit_s": 2 },
    }));
    let plan = checked_plan(&p, &m);
    let visits = slots_of(&plan, "library");
    assert_eq!(visits.len(), 3, "{:?}", plan.unserved);
    let usual = |v: &(u8, Weekday, String, String)| (v.1, v.2.clone(), v.3.clone());
    assert_eq!(usual(&visits[0]), usual(&visits[1]), "{visits:?}");
    let moved = slot_moved(&plan);
    assert_eq!(moved.len(), 1, "{moved:#?}");
    let (_, weekday, _, _) = &visits[2];
    assert_eq!(
        moved[0]
            .date
            .map(|d| (d.to_string().as_str() >= "2026-01-19", Weekday::of(d))),
        Some((true, *weekday))
    );
    assert_eq!(
        moved[0].cause,
        Some(SlotCause::Period {
            period: "works".into()
        })
    );
    assert!(visits[2].2.as_str() >= "14:00", "{visits:?}");
}

/// A weekly stop announced at 14:00 on the second Monday only, and its plan.
fn pinned_one_week() -> (
    super::super::problem::PlanningProblem,
    super::super::matrices::Matrices,
    Plan,
) {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 3),
        "units": [paid_bus("bus")],
        "stops": [village("s", 8.0, &WEEKDAYS, json!({ "visits": 1 }))],
        "commitments": { "pinned": [
            { "stop": "s", "unit": "bus", "weekday": "mon", "start": "14:00", "weeks": [2] }
        ] },
        "solver": { "time_limit_s": 2 },
    }));
    let plan = checked_plan(&p, &m);
    (p, m, plan)
}

#[test]
fn a_pin_for_one_week_moves_that_week_only_and_says_so() {
    let (_, _, plan) = pinned_one_week();
    let visits = slots_of(&plan, "s");
    assert_eq!(visits.len(), 3, "{:?}", plan.unserved);
    assert!(
        visits
            .iter()
            .all(|(_, weekday, _, _)| *weekday == Weekday::Mon)
    );
    assert_eq!(visits[1].2, "14:00");
    assert_eq!(visits[0].2, visits[2].2, "the usual slot the other weeks");
    let moved = slot_moved(&plan);
    assert_eq!(moved.len(), 1, "{moved:#?}");
    assert_eq!(
        moved[0].date.map(|d| d.to_string()).as_deref(),
        Some("2026-01-12")
    );
    assert_eq!(
        moved[0].cause,
        Some(SlotCause::Pin {
            unit: "bus".into(),
            start: "14:00".parse().expect("a time")
        })
    );
}

#[test]
fn the_checker_wants_a_cause_that_holds_for_every_moved_slot() {
    let (p, m, plan) = pinned_one_week();
    let codes = |plan: &Plan| -> Vec<&'static str> {
        check_plan(&p, &m, plan)
            .into_iter()
            .map(|v| v.code)
            .collect()
    };
    assert!(codes(&plan).is_empty());
    let moved = plan
        .warnings
        .iter()
        .position(|w| w.code == "slot_moved")
        .expect("the pinned week is declared moved");

    let mut undeclared = plan.clone();
    undeclared.warnings.remove(moved);
    assert_eq!(codes(&undeclared), ["slot_not_kept"]);

    let mut no_cause = plan.clone();
    no_cause.warnings[moved].cause = None;
    assert_eq!(codes(&no_cause), ["slot_moved_without_cause"]);

    let mut wrong_period = plan.clone();
    wrong_period.warnings[moved].cause = Some(SlotCause::Period {
        period: "summer".into(),
    });
    assert_eq!(codes(&wrong_period), ["slot_moved_without_cause"]);

    let mut unit_works = plan.clone();
    unit_works.warnings[moved].cause = Some(SlotCause::UnitOff { unit: "bus".into() });
    assert_eq!(codes(&unit_works), ["slot_moved_without_cause"]);
}

#[test]
fn the_checker_holds_a_stop_served_every_other_week_to_one_slot() {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 4),
        "units": [paid_bus("bus")],
        "stops": [village("s", 8.0, &WEEKDAYS, json!({ "visits": 1, "per_weeks": 2 }))],
        "solver": { "time_limit_s": 2 },
    }));
    let mut plan = checked_plan(&p, &m);
    // One minute later the second time: still within the hours and long enough, but not the
    // same slot.
    let route = plan
        .routes
        .iter_mut()
        .filter(|r| {
            r.steps
                .iter()
                .any(|s| matches!(s, Step::Visit { id, .. } if id == "s"))
        })
        .nth(1)
        .expect("two visits");
    for step in &mut route.steps {
        if let Step::Visit { id, start, .. } = step
            && id == "s"
        {
            *start =
                super::super::time::LocalTime::from_seconds(start.seconds() + 60).expect("a time");
        }
    }
    let codes: Vec<&str> = check_plan(&p, &m, &plan)
        .into_iter()
        .map(|v| v.code)
        .collect();
    assert_eq!(codes, ["slot_not_kept"]);
}

#[test]
fn stops_served_in_alternate_weeks_share_a_day_the_template_cannot_hold_at_once() {
    // One bus, four Monday-only stops every other week, each a half-day: a Monday holds two,
    // so the four only fit in pairs, two in odd weeks and two in even weeks, sharing the times.
    let stops: Vec<Value> = (0..4)
        .map(|i| {
            let mut stop = village(
                &format!("s{i}"),
                3.0 + f64::from(i),
                &["mon"],
                json!({ "visits": 1, "per_weeks": 2 }),
            );
            stop["duration"] = json!({ "minutes": 180 });
            stop
        })
        .collect();
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 4),
        "units": [paid_bus("bus")],
        "stops": stops,
        "solver": { "time_limit_s": 3 },
    }));
    let plan = checked_plan(&p, &m);
    assert!(plan.unserved.is_empty(), "{:?}", plan.unserved);
    assert!(slot_moved(&plan).is_empty(), "{:#?}", plan.warnings);
    for id in ["s0", "s1", "s2", "s3"] {
        let visits = slots_of(&plan, id);
        assert_eq!(distinct_slots(&plan, id).len(), 1, "{id}: {visits:?}");
        assert_eq!(visits[0].0 % 2, visits[1].0 % 2, "{id}: {visits:?}");
    }
}
