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
