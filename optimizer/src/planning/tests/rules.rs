//! Each rule of the planner, shown honoured on a problem where it binds: the plan passes the
//! independent checker, shows the rule's effect, and (where it applies) the same problem
//! without the rule gives a plan that would break it.

use serde_json::{Value, json};

use super::super::plan::{Plan, Step};
use super::super::time::Weekday;
use super::super::unserved::Reason;
use super::{WEEKDAYS, bus, checked_plan, geo_problem, horizon, village, visits_of, weekdays_of};

#[test]
fn frequencies_give_each_stop_its_number_of_visits() {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 4),
        "units": [bus("bus")],
        "stops": [
            village("weekly", 5.0, &WEEKDAYS, json!({ "visits": 1 })),
            village("twice", 8.0, &WEEKDAYS, json!({ "visits": 2 })),
            village("fortnight", 12.0, &WEEKDAYS, json!({ "visits": 1, "per_weeks": 2 })),
            village("two_in_four", 15.0, &WEEKDAYS, json!({ "visits": 2, "per_weeks": 4 })),
            village("monthly", 20.0, &WEEKDAYS, json!({ "visits": 1, "per_weeks": 4 })),
        ],
    }));
    let plan = checked_plan(&p, &m);
    let count = |id| visits_of(&plan, id).count();
    assert_eq!(
        [
            count("weekly"),
            count("twice"),
            count("fortnight"),
            count("two_in_four"),
            count("monthly")
        ],
        [4, 8, 2, 2, 1]
    );
    assert!(plan.unserved.is_empty());
}

#[test]
fn twice_a_week_keeps_two_to_four_days_apart_and_the_same_days() {
    let spaced = json!({ "visits": 2, "min_gap_days": 2, "max_gap_days": 4 });
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 2),
        "units": [bus("bus")],
        "stops": [village("s", 6.0, &WEEKDAYS, spaced)],
    }));
    let plan = checked_plan(&p, &m);
    let mut offsets: Vec<i64> = visits_of(&plan, "s")
        .map(|(r, _)| (r.date - p.horizon.start).num_days())
        .collect();
    offsets.sort();
    assert_eq!(offsets.len(), 4);
    let wrap = offsets[0] + 14;
    for (a, b) in offsets
        .iter()
        .zip(offsets.iter().skip(1).chain(std::iter::once(&wrap)))
    {
        assert!((2..=4).contains(&(b - a)), "{offsets:?}");
    }
    let mut days = weekdays_of(&plan, "s");
    days.sort();
    days.dedup();
    assert_eq!(days.len(), 2, "the same two weekdays every week");
}

#[test]
fn a_pinned_stop_stays_at_its_announced_slot() {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 2),
        "units": [bus("bus-a"), bus("bus-b")],
        "stops": [
            village("pinned", 10.0, &WEEKDAYS, json!({ "visits": 1 })),
            village("other", 12.0, &WEEKDAYS, json!({ "visits": 1 })),
        ],
        "commitments": { "pinned": [{ "stop": "pinned", "unit": "bus-b", "weekday": "wed", "start": "10:15" }] },
    }));
    let plan = checked_plan(&p, &m);
    let visits: Vec<_> = visits_of(&plan, "pinned").collect();
    assert_eq!(visits.len(), 2);
    for (route, step) in visits {
        assert_eq!(
            (route.unit.as_str(), route.weekday),
            ("bus-b", Weekday::Wed)
        );
        assert!(matches!(step, Step::Visit { start, .. } if start.to_string() == "10:15"));
    }
}

#[test]
fn weekly_stops_keep_the_same_weekday_and_time() {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 3),
        "units": [bus("bus")],
        "stops": [
            village("w1", 10.0, &WEEKDAYS, json!({ "visits": 1 })),
            village("w2", 14.0, &WEEKDAYS, json!({ "visits": 1 })),
            village("f", 7.0, &WEEKDAYS, json!({ "visits": 1, "per_weeks": 3 })),
        ],
    }));
    let plan = checked_plan(&p, &m);
    for id in ["w1", "w2"] {
        let mut slots: Vec<String> = visits_of(&plan, id)
            .map(|(r, s)| match s {
                Step::Visit { start, .. } => format!("{} {start}", r.weekday.name()),
                Step::Break { .. } => String::new(),
            })
            .collect();
        assert_eq!(slots.len(), 3);
        slots.dedup();
        assert_eq!(slots.len(), 1, "{id}: {slots:?}");
    }
}

#[test]
fn closed_dates_get_no_visit_and_say_why() {
    // Two weeks from Monday 11 May 2026: Thursday 14 May is Ascension; the market is on
    // Thursdays only, and Tuesday 19 May is a listed closure.
    let mut h = json!({ "start": "2026-05-11", "weeks": 2 });
    h["closed_dates"] = json!(["2026-05-19"]);
    let (p, m) = geo_problem(json!({
        "horizon": h,
        "units": [bus("bus")],
        "stops": [
            village("market", 4.0, &["thu"], json!({ "visits": 1 })),
            village("library", 6.0, &WEEKDAYS, json!({ "visits": 2 })),
        ],
    }));
    let plan = checked_plan(&p, &m);
    let closed = ["2026-05-14", "2026-05-19"];
    assert!(
        plan.routes
            .iter()
            .all(|r| !closed.contains(&r.date.to_string().as_str()))
    );
    assert_eq!(weekdays_of(&plan, "market"), vec![Weekday::Thu]);
    let lost: Vec<_> = plan.unserved.iter().filter(|u| u.id == "market").collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].reason, Reason::ClosedDate("Ascension".into()));
    assert_eq!(
        lost[0].date.map(|d| d.to_string()).as_deref(),
        Some("2026-05-14")
    );
}

#[test]
fn a_market_is_served_on_its_market_day_only() {
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 2),
        "units": [bus("bus")],
        "stops": [village("market", 4.0, &["wed"], json!({ "visits": 1 })), village("saturday", 4.0, &["sat"], json!({ "visits": 1 }))],
    }));
    let plan = checked_plan(&p, &m);
    assert_eq!(
        weekdays_of(&plan, "market"),
        vec![Weekday::Wed, Weekday::Wed]
    );
    let saturday: Vec<_> = plan
        .unserved
        .iter()
        .filter(|u| u.id == "saturday")
        .collect();
    assert_eq!(saturday.len(), 2, "one per missing visit");
    assert!(
        saturday
            .iter()
            .all(|u| u.reason == Reason::ClosedOnWorkingDays)
    );
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.code == "opening_day_not_worked" && w.id == "saturday")
    );
}

fn day_problem(
    unit: Value,
    stops: Vec<Value>,
) -> (
    super::super::problem::PlanningProblem,
    super::super::matrices::Matrices,
) {
    geo_problem(json!({ "horizon": horizon("2026-01-05", 1), "units": [unit], "stops": stops }))
}

#[test]
fn the_lunch_break_is_taken_within_its_window() {
    let stops = vec![
        village("morning", 10.0, &["mon"], json!({ "visits": 1 })),
        village("afternoon", 12.0, &["mon"], json!({ "visits": 1 })),
    ];
    let (p, m) = day_problem(bus("bus"), stops);
    let plan = checked_plan(&p, &m);
    let route = &plan.routes[0];
    let lunch: Vec<_> = route
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Break { .. }))
        .collect();
    assert_eq!(lunch.len(), 1);
    let Step::Break { start, end } = lunch[0] else {
        unreachable!()
    };
    assert!(start.to_string().as_str() >= "12:00" && end.to_string().as_str() <= "14:00");
    assert_eq!(end.minutes() - start.minutes(), 60);
}

#[test]
fn daily_driving_and_battery_limits_hold() {
    // Three stops 25-35 km out on a Monday: about 2 h 20 of driving for all three.
    let stops: Vec<Value> = [25.0, 30.0, 35.0]
        .iter()
        .enumerate()
        .map(|(i, km)| village(&format!("s{i}"), *km, &["mon"], json!({ "visits": 1 })))
        .collect();
    let driving = |plan: &Plan| plan.routes.iter().map(|r| r.driving_min).max().unwrap_or(0);
    let km = |plan: &Plan| {
        plan.routes
            .iter()
            .map(|r| r.distance_km)
            .fold(0.0, f64::max)
    };
    let (free, m) = day_problem(bus("bus"), stops.clone());
    let unlimited = checked_plan(&free, &m);
    assert!(
        driving(&unlimited) > 60 && km(&unlimited) > 50.0,
        "the limits below bind"
    );

    let mut limited = bus("bus");
    limited["max_driving_min"] = json!(60);
    let (p, m) = day_problem(limited, stops.clone());
    let plan = checked_plan(&p, &m);
    assert!(driving(&plan) <= 60, "{}", driving(&plan));
    assert!(
        plan.unserved
            .iter()
            .all(|u| u.reason == Reason::OutOfReach || u.reason == Reason::NoCapacity)
    );

    let mut electric = bus("bus");
    electric["kind"] = json!("triporteur");
    electric["battery_range_km"] = json!(50.0);
    let (p, m) = day_problem(electric, stops);
    let plan = checked_plan(&p, &m);
    assert!(km(&plan) <= 50.0, "{}", km(&plan));
    assert!(!plan.unserved.is_empty());
}

#[test]
fn a_cycle_across_daylight_saving_keeps_local_times() {
    // Summer time starts on Sunday 29 March 2026.
    let (p, m) = geo_problem(json!({
        "horizon": { "start": "2026-03-23", "weeks": 2 },
        "units": [bus("bus")],
        "stops": [village("s", 8.0, &WEEKDAYS, json!({ "visits": 1 }))],
        "commitments": { "pinned": [{ "stop": "s", "unit": "bus", "weekday": "tue", "start": "09:00" }] },
    }));
    let plan = checked_plan(&p, &m);
    let routes: Vec<_> = plan
        .routes
        .iter()
        .filter(|r| r.weekday == Weekday::Tue)
        .collect();
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[0].leave, routes[1].leave);
    assert_eq!(routes[0].leave_at.offset().local_minus_utc(), 3_600);
    assert_eq!(routes[1].leave_at.offset().local_minus_utc(), 7_200);
    for (route, step) in visits_of(&plan, "s") {
        let Step::Visit { start, .. } = step else {
            unreachable!()
        };
        assert_eq!(start.to_string(), "09:00", "{}", route.date);
    }
}

#[test]
fn the_plan_in_force_is_kept_and_changes_are_reported() {
    let stops: Vec<Value> = (0..5)
        .map(|i| {
            village(
                &format!("s{i}"),
                4.0 + 3.0 * f64::from(i),
                &WEEKDAYS,
                json!({ "visits": 1 }),
            )
        })
        .collect();
    let base =
        json!({ "horizon": horizon("2026-01-05", 2), "units": [bus("bus")], "stops": stops });
    let (p, m) = geo_problem(base.clone());
    let first = checked_plan(&p, &m);
    assert!(
        first.changes.is_empty(),
        "no plan in force, nothing changed"
    );

    let mut again = base.clone();
    again["commitments"] = json!({ "previous_plan": first });
    let (p, m) = geo_problem(again.clone());
    let second = checked_plan(&p, &m);
    assert!(second.changes.is_empty(), "{:?}", second.changes);

    again["stops"].as_array_mut().unwrap().push(village(
        "new",
        9.0,
        &WEEKDAYS,
        json!({ "visits": 1 }),
    ));
    let (p, m) = geo_problem(again);
    let third = checked_plan(&p, &m);
    let changed: Vec<&str> = third.changes.iter().map(|c| c.stop.as_str()).collect();
    assert_eq!(changed, vec!["new"], "{:?}", third.changes);
    assert!(third.changes[0].before.is_none() && third.changes[0].after.is_some());
}

#[test]
fn an_announced_pin_outranks_a_slot_held_from_the_plan_in_force() {
    let mut held = village("held", 8.0, &WEEKDAYS, json!({ "visits": 1 }));
    held["priority"] = json!(90);
    let mut moved = village("moved", 9.0, &WEEKDAYS, json!({ "visits": 1 }));
    moved["priority"] = json!(10);
    let base = json!({ "horizon": horizon("2026-01-05", 1), "units": [bus("bus")], "stops": [held, moved] });
    let (p, m) = geo_problem(base.clone());
    let first = checked_plan(&p, &m);
    let (route, step) = visits_of(&first, "held").next().expect("held is planned");
    let weekday = route.weekday;
    let Step::Visit { start, .. } = step else {
        panic!("a visit")
    };
    let start = start.to_string();

    // The dispatcher announces the low-priority stop in the held stop's very slot.
    let mut again = base;
    again["commitments"] = json!({
        "pinned": [{ "stop": "moved", "unit": "bus", "weekday": weekday.name(), "start": start }],
        "previous_plan": first,
    });
    let (p, m) = geo_problem(again);
    let second = checked_plan(&p, &m);
    let pinned: Vec<_> = visits_of(&second, "moved").collect();
    assert_eq!(pinned.len(), 1, "{:?}", second.unserved);
    assert_eq!(pinned[0].0.weekday, weekday);
    assert!(matches!(pinned[0].1, Step::Visit { start: s, .. } if s.to_string() == start));
    assert_eq!(
        weekdays_of(&second, "held").len(),
        1,
        "held moves, it is not dropped"
    );
    assert!(
        second.changes.iter().any(|c| c.stop == "held"),
        "{:?}",
        second.changes
    );
}

#[test]
fn fairness_evens_out_the_units_work() {
    // Two identical buses and one stop a day, Monday to Thursday: left to costs alone, nothing
    // says which bus works, and one may do everything.
    let stops: Vec<Value> = ["mon", "tue", "wed", "thu"]
        .iter()
        .enumerate()
        .map(|(i, day)| {
            village(
                &format!("s{i}"),
                5.0 + f64::from(i as u8),
                &[day],
                json!({ "visits": 1 }),
            )
        })
        .collect();
    let problem = |fairness: Value| {
        geo_problem(json!({
            "horizon": horizon("2026-01-05", 1),
            "units": [bus("a"), bus("b")],
            "stops": stops.clone(),
            "fairness": fairness,
            "solver": { "time_limit_s": 3 },
        }))
    };
    let (p, m) = problem(json!({}));
    let plain = checked_plan(&p, &m);
    let (p, m) = problem(json!({ "weight": 100.0 }));
    let fair = checked_plan(&p, &m);
    assert!(plain.unserved.is_empty() && fair.unserved.is_empty());
    let days = |plan: &Plan| plan.units.iter().map(|u| u.days).collect::<Vec<_>>();
    assert_eq!(days(&fair), vec![2, 2], "plain: {:?}", days(&plain));
    assert!(fair.totals.working_spread_min <= plain.totals.working_spread_min);
    assert!(
        fair.totals.working_spread_min < 30,
        "{}",
        fair.totals.working_spread_min
    );
}

#[test]
fn a_preferred_half_day_is_kept_when_the_stop_is_open_then() {
    let mut afternoon = village("pm", 6.0, &WEEKDAYS, json!({ "visits": 1 }));
    afternoon["preferred"] = json!({ "weekday": "wed", "half_day": "pm" });
    let (p, m) = day_problem(bus("bus"), vec![afternoon]);
    let plan = checked_plan(&p, &m);
    let (route, step) = visits_of(&plan, "pm").next().expect("served");
    let Step::Visit { start, .. } = step else {
        unreachable!()
    };
    assert_eq!(route.weekday, Weekday::Wed);
    assert!(start.minutes() >= 12 * 60, "{start}");
}

#[test]
fn a_morning_shift_ends_before_lunch_without_a_break() {
    let mut short = bus("bus");
    short["hours"] = json!({ "wed": [{ "start": "08:30", "end": "12:30" }] });
    let (p, m) = day_problem(
        short,
        vec![village("s", 5.0, &["wed"], json!({ "visits": 1 }))],
    );
    let plan = checked_plan(&p, &m);
    assert!(plan.unserved.is_empty(), "{:?}", plan.unserved);
    assert!(
        plan.routes[0]
            .steps
            .iter()
            .all(|s| !matches!(s, Step::Break { .. }))
    );
}

#[test]
fn a_pin_the_planner_could_only_drop_or_ignore_is_refused_with_the_reason() {
    // A market open on Tuesdays only, which only the triporteur may serve, and a car that does
    // not work on Fridays.
    let mut market = village("market", 6.0, &["tue"], json!({ "visits": 1 }));
    market["allowed_units"] = json!(["triporteur"]);
    let mut car = bus("car");
    car["kind"] = json!("car");
    car["hours"].as_object_mut().expect("hours").remove("fri");
    let refused = |pin: Value| {
        let (p, _) = geo_problem(json!({
            "horizon": horizon("2026-01-05", 1),
            "units": [bus("bus"), car.clone()],
            "stops": [market.clone(), village("hall", 9.0, &WEEKDAYS, json!({ "visits": 1 }))],
            "commitments": { "pinned": [pin] },
        }));
        match super::super::validate::validate_planning(&p) {
            Err(crate::Error::Invalid(errors)) => errors
                .into_iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect::<Vec<_>>(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    };
    assert_eq!(
        refused(json!({ "stop": "market", "unit": "bus", "weekday": "wed", "start": "09:00" })),
        [
            "commitments.pinned[0].weekday: market is closed on wed",
            "commitments.pinned[0].unit: market does not take bus units",
        ]
    );
    assert_eq!(
        refused(json!({ "stop": "hall", "unit": "car", "weekday": "fri", "start": "09:00" })),
        ["commitments.pinned[0].weekday: car does not work on fri"]
    );
}
