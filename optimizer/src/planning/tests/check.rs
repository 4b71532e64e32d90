//! The checker on plans edited by hand: what is wrong is listed, never computed on.

use chrono::Days;
use serde_json::json;

use super::super::check::check_plan;
use super::super::plan::Step;
use super::{bus, checked_plan, horizon, problem, stop};

/// A plan of a weekly stop over two weeks, with the day of its first visit moved by `shift`
/// days (negative: earlier); the checker's codes.
fn codes_with_first_visit_moved(shift: i64) -> Vec<&'static str> {
    let (p, m) = problem(
        json!({
            "horizon": horizon("2026-01-05", 2),
            "units": [bus("bus")],
            "stops": [stop("s", 1, 1)],
            "solver": { "time_limit_s": 1 },
        }),
        10,
    );
    let mut plan = checked_plan(&p, &m);
    let route = plan
        .routes
        .iter_mut()
        .find(|r| r.steps.iter().any(|s| matches!(s, Step::Visit { .. })))
        .expect("a visit");
    route.date = if shift < 0 {
        route.date.checked_sub_days(Days::new(shift.unsigned_abs()))
    } else {
        route.date.checked_add_days(Days::new(shift.unsigned_abs()))
    }
    .expect("a date");
    check_plan(&p, &m, &plan)
        .into_iter()
        .map(|v| v.code)
        .collect()
}

#[test]
fn a_visit_before_the_cycle_is_a_violation() {
    let codes = codes_with_first_visit_moved(-30);
    assert!(codes.contains(&"outside_cycle"), "{codes:?}");
}

#[test]
fn a_visit_after_the_cycle_is_a_violation() {
    let codes = codes_with_first_visit_moved(60);
    assert!(codes.contains(&"outside_cycle"), "{codes:?}");
}

/// A week of two stops by a bus with prices: its figures, and the checker's codes once `edit`
/// has changed them.
fn figures_codes(edit: impl Fn(&mut super::super::plan::Plan)) -> Vec<&'static str> {
    let mut unit = bus("bus");
    unit["cost_per_hour"] = json!(30.0);
    unit["cost_per_km"] = json!(0.5);
    let (p, m) = problem(
        json!({
            "horizon": horizon("2026-01-05", 1),
            "units": [unit],
            "stops": [stop("a", 1, 1), stop("b", 1, 1)],
            "solver": { "time_limit_s": 1 },
        }),
        10,
    );
    let mut plan = checked_plan(&p, &m);
    edit(&mut plan);
    check_plan(&p, &m, &plan)
        .into_iter()
        .map(|v| v.code)
        .collect()
}

/// Each unit's cost is its days' span at its hourly price plus its kilometres at its price,
/// and the checker recomputes the driving, kilometres and cost of the days, units and totals:
/// a figure edited by hand is a violation.
#[test]
fn figures_that_do_not_add_up_are_violations() {
    let untouched = figures_codes(|plan| {
        let unit = &plan.units[0];
        let working_h = f64::from(unit.working_min) / 60.0;
        let expected = working_h * 30.0 + unit.distance_km * 0.5;
        let reported = unit.cost_eur.expect("a unit's cost");
        assert!(
            (reported - expected).abs() < 0.011,
            "{reported} against {expected}"
        );
        assert!(unit.driving_min > 0 && unit.distance_km > 0.0);
        assert!((plan.totals.cost_eur - reported).abs() < 0.011);
    });
    assert!(untouched.is_empty(), "{untouched:?}");
    let edits: [fn(&mut super::super::plan::Plan); 5] = [
        |plan| plan.routes[0].driving_min += 5,
        |plan| plan.routes[0].distance_km += 2.0,
        |plan| plan.units[0].driving_min += 5,
        |plan| plan.units[0].cost_eur = Some(1.0),
        |plan| plan.totals.distance_km += 2.0,
    ];
    for (n, edit) in edits.into_iter().enumerate() {
        let codes = figures_codes(edit);
        assert!(codes.contains(&"figures"), "edit {n}: {codes:?}");
    }
}
