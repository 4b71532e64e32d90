//! Moves between days: the routing may move a visit of a multi-visit stop to another day
//! when its spacing still holds, so the days follow the routes.

use serde_json::json;

use super::{WEEKDAYS, bus, checked_plan, geo_problem, horizon, village, weekdays_of};
use crate::planning::time::Weekday;

/// A far stop served twice a week with free times, and two home visits at the same place on
/// Tuesday and on Friday only: the day assignment, which sees travel only as an estimate per
/// visit, spreads the stop away from the busy days; the routing brings its visits to the
/// homes' days, where the long drive is made anyway.
#[test]
fn a_multi_visit_stop_moves_to_the_days_the_routes_go_its_way() {
    let mut stop = village(
        "far",
        40.0,
        &WEEKDAYS,
        json!({ "visits": 2, "per_weeks": 1, "min_gap_days": 2 }),
    );
    stop["flexible_time"] = json!(true);
    let location = stop["location"].clone();
    let home = |id: &str, day: &str| {
        json!({
            "id": id, "location": location, "duration_min": 60,
            "slots": [{ "weekday": day, "start": "09:00", "end": "17:00" }],
        })
    };
    let (p, m) = geo_problem(json!({
        "horizon": horizon("2026-01-05", 1),
        "units": [bus("bus")],
        "stops": [stop],
        "home_visits": [home("h-tue", "tue"), home("h-fri", "fri")],
        "solver": { "time_limit_s": 2 },
    }));
    let plan = checked_plan(&p, &m);
    let days = weekdays_of(&plan, "far");
    assert_eq!(days.len(), 2);
    assert!(
        days.iter()
            .any(|d| [Weekday::Tue, Weekday::Fri].contains(d)),
        "{days:?}: no visit on a day the unit drives there anyway"
    );
}
