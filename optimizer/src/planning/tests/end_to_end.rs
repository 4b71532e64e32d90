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
