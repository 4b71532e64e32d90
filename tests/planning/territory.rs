//! Plans on real territories: a scenario built from an extract's points of interest, routed on
//! its road network, verified by the independent checker.

use chrono::NaiveDate;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;

use api::adapt::territory_matrices;
use api::scenario::{ScenarioOptions, build};
use optimizer::Control;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Step;
use optimizer::planning::solve::plan;

use crate::support::shared_osm;

#[test]
fn a_two_week_scenario_on_andorra_plans_and_checks() {
    let Some(extract) = shared_osm("andorra-2021.osm.pbf") else {
        return;
    };
    let options = ScenarioOptions {
        extract,
        units: 3,
        weeks: 2,
        stops: Some(20),
        home_visits: 10,
        seed: 7,
        start: NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
        time_limit: 4.0,
    };
    let problem = build(&options, &CachePolicy::Disabled, &Silent).unwrap();
    assert_eq!(
        (
            problem.units.len(),
            problem.stops.len(),
            problem.home_visits.len()
        ),
        (3, 20, 10)
    );
    let matrices = territory_matrices(
        &problem,
        std::path::Path::new("."),
        &CachePolicy::Disabled,
        &Silent,
    )
    .unwrap();
    let plan = plan(&problem, &matrices, &Control::default()).unwrap();
    let violations = check_plan(&problem, &matrices, &plan);
    assert!(violations.is_empty(), "{violations:#?}");
    // A real plan: most visits are made, on real drives.
    assert!(plan.totals.share_served > 0.6, "{:?}", plan.totals);
    let drives: u32 = plan
        .routes
        .iter()
        .flat_map(|r| &r.steps)
        .filter_map(|s| match s {
            Step::Visit { drive_min, .. } => Some(*drive_min),
            Step::Break { .. } => None,
        })
        .sum();
    assert!(drives > 0);
    // Everything asked for is either planned or listed with a reason.
    let planned = plan.totals.stop_visits_planned + plan.totals.home_visits_planned;
    let requested = plan.totals.stop_visits_required + plan.totals.home_visits_requested;
    assert_eq!(planned as usize + plan.unserved.len(), requested as usize);
}
