//! Every example problem of `examples/` reads, validates, plans and passes the checker.

use std::path::PathBuf;

use optimizer::Control;
use optimizer::planning::check::check_plan;
use optimizer::planning::problem::PlanningProblem;
use optimizer::planning::solve::plan;
use optimizer::planning::validate::validate_planning;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use territory::files::read_json;
use territory::matrices::{extract_path, territory_matrices};

#[test]
fn every_example_plans_and_checks() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let mut problem: PlanningProblem = read_json(&file).unwrap_or_else(|e| panic!("{e}"));
        validate_planning(&problem).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Some(extract) = extract_path(&problem, &file)
            && !extract.exists()
        {
            eprintln!(
                "skipped planning {}: {} not found",
                file.display(),
                extract.display()
            );
            continue;
        }
        problem.solver.time_limit_s = problem.solver.time_limit_s.min(2.0);
        let matrices =
            territory_matrices(&problem, &file, &CachePolicy::Disabled, &Silent).unwrap();
        let plan = plan(&problem, &matrices, &Control::default()).unwrap();
        let violations = check_plan(&problem, &matrices, &plan);
        assert!(violations.is_empty(), "{}: {violations:#?}", file.display());
        assert!(
            plan.totals.share_served > 0.5,
            "{}: {:?}",
            file.display(),
            plan.totals
        );
    }
}
