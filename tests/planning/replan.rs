//! A re-plan keeps the plan in force: the demo week (real roads of central Helsinki, three
//! kinds of unit, markets, twice-weekly stops, lunch breaks), planned, then planned again with
//! that plan in force, changes nothing and serves as much.

use std::path::PathBuf;

use chrono::NaiveDate;
use optimizer::Control;
use optimizer::planning::check::check_plan;
use optimizer::planning::problem::{PlanningProblem, Territory};
use optimizer::planning::solve::plan;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use territory::calendar::next_monday_after;
use territory::files::read_json;
use territory::matrices::territory_matrices;

#[test]
fn planning_again_with_the_plan_in_force_changes_nothing() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api/demo");
    let file = demo.join("week.json");
    let mut problem: PlanningProblem = read_json(&file).expect("the demo week");
    problem.horizon.start = next_monday_after(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"));
    problem.territory = Territory::Extract(demo.join("helsinki.osm.pbf"));
    let matrices = territory_matrices(&problem, &file, &CachePolicy::Disabled, &Silent)
        .expect("matrices on the demo extract");
    for seed in [1, 7] {
        problem.solver.seed = seed;
        problem.commitments.previous_plan = None;
        let first = plan(&problem, &matrices, &Control::default()).expect("a plan");
        assert!(check_plan(&problem, &matrices, &first).is_empty());
        let mut again = problem.clone();
        again.solver.seed = seed + 100;
        again.commitments.previous_plan = Some(Box::new(first.clone()));
        let second = plan(&again, &matrices, &Control::default()).expect("a plan");
        assert!(check_plan(&again, &matrices, &second).is_empty());
        assert!(
            second.changes.is_empty(),
            "seed {seed}: {:#?}",
            second.changes
        );
        assert_eq!(
            second.totals.stop_visits_planned, first.totals.stop_visits_planned,
            "seed {seed}"
        );
        assert_eq!(
            second.totals.home_visits_planned, first.totals.home_visits_planned,
            "seed {seed}"
        );
    }
}
