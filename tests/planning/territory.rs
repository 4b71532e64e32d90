//! Plans on real territories: a scenario built from an extract's points of interest, routed on
//! its road network, verified by the independent checker.

use chrono::NaiveDate;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;

use optimizer::Control;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Step;
use optimizer::planning::problem::Position;
use optimizer::planning::solve::plan;
use optimizer::planning::unserved::Reason;
use territory::matrices::{refuse_off_road, territory_matrices};
use territory::scenario::{ScenarioOptions, build};

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

#[test]
fn on_malta_a_stop_on_gozo_and_a_home_in_the_sea_are_unserved_and_the_week_is_planned() {
    let Some(extract) = shared_osm("malta-2016.osm.pbf") else {
        return;
    };
    let options = ScenarioOptions {
        extract,
        units: 3,
        weeks: 1,
        stops: Some(12),
        home_visits: 8,
        seed: 5,
        start: NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
        time_limit: 3.0,
    };
    let mut problem = build(&options, &CachePolicy::Disabled, &Silent).unwrap();
    // Victoria, on Gozo: reached by ferry, so off every network (only the largest connected
    // part of the roads is kept). A home in the sea, some 60 km south of the coast.
    problem.stops[0].location = Position::new(36.0444, 14.2397);
    problem.home_visits[0].location = Position::new(35.27, 14.51);
    let matrices = territory_matrices(
        &problem,
        std::path::Path::new("."),
        &CachePolicy::Disabled,
        &Silent,
    )
    .unwrap();
    let plan = plan(&problem, &matrices, &Control::default()).unwrap();
    assert!(check_plan(&problem, &matrices, &plan).is_empty());
    let off_road: Vec<(&str, &str)> = plan
        .unserved
        .iter()
        .filter_map(|u| match &u.reason {
            Reason::OffRoad(place) => Some((u.id.as_str(), place.field.as_str())),
            _ => None,
        })
        .collect();
    let gozo = problem.stops[0].id.as_str();
    let sea = problem.home_visits[0].id.as_str();
    let gozo_visits = problem.stops[0].frequency.visits_over(1) as usize;
    let mut expected = vec![(gozo, "/stops/0/location"); gozo_visits];
    expected.push((sea, "/home_visits/0/location"));
    assert_eq!(off_road, expected);
    let nearest = plan.unserved.iter().find_map(|u| match &u.reason {
        Reason::OffRoad(place) if u.id == sea => place.tried[0].nearest_m,
        _ => None,
    });
    assert!(nearest.is_some_and(|m| m > 50_000), "{nearest:?}");
    // The rest of the week is planned: everything else is served or has another reason.
    let planned = plan.totals.stop_visits_planned + plan.totals.home_visits_planned;
    let requested = plan.totals.stop_visits_required + plan.totals.home_visits_requested;
    assert_eq!(planned as usize + plan.unserved.len(), requested as usize);
    assert!(plan.totals.share_served > 0.5, "{:?}", plan.totals);
    assert!(
        strict_refusal(&problem, &matrices)
            .is_some_and(|fields| fields == ["/stops/0/location", "/home_visits/0/location"])
    );
}

/// The fields `tournee plan --strict` refuses.
fn strict_refusal(
    problem: &optimizer::planning::problem::PlanningProblem,
    matrices: &optimizer::planning::matrices::Matrices,
) -> Option<Vec<String>> {
    match refuse_off_road(problem, matrices) {
        Err(territory::Error::Invalid(faults)) => {
            Some(faults.into_iter().map(|v| v.field).collect())
        }
        _ => None,
    }
}
