//! Whole plans on small problems.

use serde_json::json;

use super::{bus, checked_plan, problem, stop};

#[test]
fn a_week_plans_every_visit_it_can() {
    let (p, m) = problem(
        json!({
            "horizon": { "start": "2026-01-05", "weeks": 2, "public_holidays": "none" },
            "units": [bus("bus-1"), bus("bus-2")],
            "stops": [stop("a", 1, 1), stop("b", 2, 1), stop("c", 1, 2), stop("d", 1, 1)],
            "home_visits": [{ "id": "h1", "location": { "lat": 45.0, "lon": 5.0 }, "duration_min": 45,
                              "slots": [{ "weekday": "tue", "start": "14:00", "end": "17:00" }] }],
            "solver": { "time_limit_s": 2 }
        }),
        15,
    );
    let plan = checked_plan(&p, &m);
    assert!(plan.unserved.is_empty(), "{:?}", plan.unserved);
    assert_eq!(plan.totals.stop_visits_planned, 2 + 4 + 1 + 2);
}

#[test]
fn the_day_by_day_baseline_keeps_every_rule_too() {
    let (p, m) = super::geo_problem(json!({
        "horizon": { "start": "2026-01-05", "weeks": 2, "public_holidays": "none" },
        "units": [bus("bus-1"), bus("bus-2")],
        "stops": [stop("a", 1, 1), stop("b", 2, 1), stop("c", 1, 2)],
        "solver": { "time_limit_s": 2 }
    }));
    let plan = super::super::baseline::day_by_day(&p, &m).unwrap();
    let violations = super::super::check::check_plan(&p, &m, &plan);
    assert!(violations.is_empty(), "{violations:#?}");
    assert!(plan.totals.stop_visits_planned >= 6, "{:?}", plan.totals);
}

#[test]
fn the_same_seed_and_time_limit_give_the_same_plan() {
    // Stops and home visits spread over the map, more than two buses can serve in two weeks:
    // the search has real choices to make, and only its step budget may end it.
    let mut stops = Vec::new();
    let mut home_visits = Vec::new();
    for i in 0..12 {
        let mut s = stop(&format!("s{i}"), 1 + u8::from(i % 3 == 0), 1);
        s["location"] =
            json!({ "lat": 45.0 + 0.02 * f64::from(i % 4), "lon": 5.0 + 0.03 * f64::from(i / 4) });
        stops.push(s);
        home_visits.push(json!({
            "id": format!("h{i}"), "duration_min": 45,
            "location": { "lat": 45.01 + 0.015 * f64::from(i % 5), "lon": 5.02 + 0.02 * f64::from(i / 5) },
            "slots": [{ "weekday": if i % 2 == 0 { "tue" } else { "thu" }, "start": "13:00", "end": "17:00" }]
        }));
    }
    let (p, m) = super::geo_problem(json!({
        "horizon": { "start": "2026-01-05", "weeks": 2, "public_holidays": "none" },
        "units": [bus("bus-1"), bus("bus-2")],
        "stops": stops,
        "home_visits": home_visits,
        "solver": { "time_limit_s": 2, "seed": 3 }
    }));
    let mut first = checked_plan(&p, &m);
    let mut second = checked_plan(&p, &m);
    first.solver.seconds = 0.0;
    second.solver.seconds = 0.0;
    assert_eq!(first, second);
}
