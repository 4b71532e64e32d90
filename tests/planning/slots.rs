//! Weekly slots hold at scale: a Malta scenario (8 units, 3 weeks, every stop site of the
//! extract, 80 home visits) routed on its road network, where every stop served every week or
//! two weeks in three keeps one weekday, start and unit, and any visit that does not says why.

use chrono::NaiveDate;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;

use optimizer::Control;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Step;
use optimizer::planning::solve::plan;
use territory::matrices::territory_matrices;
use territory::scenario::{ScenarioOptions, build};

use crate::support::shared_osm;

#[test]
fn weekly_slots_hold_on_a_malta_scenario() {
    let Some(extract) = shared_osm("malta-2016.osm.pbf") else {
        return;
    };
    let options = ScenarioOptions {
        extract,
        units: 8,
        weeks: 3,
        stops: Some(150),
        home_visits: 80,
        seed: 1,
        start: NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date"),
        time_limit: 10.0,
    };
    let problem = build(&options, &CachePolicy::Disabled, &Silent).expect("a scenario");
    let matrices = territory_matrices(
        &problem,
        std::path::Path::new("."),
        &CachePolicy::Disabled,
        &Silent,
    )
    .expect("matrices on the extract");
    let plan = plan(&problem, &matrices, &Control::default()).expect("a plan");
    // The checker holds every slot-keeping stop to one slot per weekday, except visits
    // declared moved with a cause that holds.
    let violations = check_plan(&problem, &matrices, &plan);
    assert!(violations.is_empty(), "{violations:#?}");
    let uncaused: Vec<_> = plan
        .warnings
        .iter()
        .filter(|w| w.code == "slot_moved" && w.cause.is_none())
        .collect();
    assert!(uncaused.is_empty(), "{uncaused:#?}");
    // The scenario has such stops, served several times each.
    let keepers: Vec<&str> = problem
        .stops
        .iter()
        .filter(|s| {
            let f = s.frequency;
            f.visits_over(problem.horizon.weeks) > 1 && (f.is_weekly() || f.visits < f.per_weeks)
        })
        .map(|s| s.id.as_str())
        .collect();
    let visits = |id: &str| {
        plan.routes
            .iter()
            .flat_map(|r| &r.steps)
            .filter(|s| matches!(s, Step::Visit { id: v, .. } if v == id))
            .count()
    };
    assert!(keepers.len() > 40, "{}", keepers.len());
    assert!(keepers.iter().all(|id| visits(id) >= 2));
    assert!(plan.totals.share_served > 0.95, "{:?}", plan.totals);
}
