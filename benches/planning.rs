//! `cargo bench --bench planning`: the weekly planner on real territories, printed as Markdown
//! tables (medians of several runs).
//!
//! - The full pipeline (cached graph, matrices, solve) on scenarios built from
//!   `andorra-2021.osm.pbf`: 4 units, 1 week, 60 stops, 40 home visits; and 8 units, 3 weeks,
//!   150 stops, 40 home visits.
//! - Quality of the one-week plan against the best of 5 runs of ten times its time limit, and
//!   against a dispatcher's "one day at a time, greedy" plan. Set `TOURNEE_BENCH_QUICK=1` to skip
//!   the long runs.
//!
//! Needs `../shared/osm/`; says so and exits when it is absent.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use optimizer::Control;
use optimizer::planning::baseline::day_by_day;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::PlanningProblem;
use optimizer::planning::solve::plan;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use territory::matrices::territory_matrices;
use territory::scenario::{ScenarioOptions, build};

#[path = "../tests/support/shared.rs"]
mod shared;

struct Case {
    label: &'static str,
    units: usize,
    weeks: u8,
    stops: usize,
    home_visits: usize,
    time_limit: f64,
}

const CASES: [Case; 2] = [
    Case {
        label: "4 units, 1 week, 60 stops, 40 homes",
        units: 4,
        weeks: 1,
        stops: 60,
        home_visits: 40,
        time_limit: 7.0,
    },
    Case {
        label: "8 units, 3 weeks, 150 stops, 40 homes",
        units: 8,
        weeks: 3,
        stops: 150,
        home_visits: 40,
        time_limit: 45.0,
    },
];

fn main() {
    let Some(extract) = shared::shared("osm/andorra-2021.osm.pbf") else {
        return;
    };
    let cache_dir =
        std::env::temp_dir().join(format!("tournee-bench-planning-{}", std::process::id()));
    let cache = CachePolicy::Directory(cache_dir.clone());
    let quick = std::env::var("TOURNEE_BENCH_QUICK").is_ok();
    println!("## Full pipeline on andorra-2021 (cached graphs, matrices, solve; median of 3)\n");
    println!(
        "| case | time limit s | pipeline s | matrices s | solve s | visits planned / asked | cost € | km | checker |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut one_week = None;
    for case in &CASES {
        let problem = scenario(&extract, case, &cache);
        // The first call builds and caches the graphs; the runs below load them.
        territory_matrices(&problem, Path::new("."), &cache, &Silent).expect("matrices");
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let matrices =
                territory_matrices(&problem, Path::new("."), &cache, &Silent).expect("matrices");
            let matrices_s = started.elapsed();
            let planned = plan(&problem, &matrices, &Control::default()).expect("a plan");
            let total = started.elapsed();
            let violations = check_plan(&problem, &matrices, &planned).len();
            runs.push((total, matrices_s, planned, violations));
        }
        runs.sort_by_key(|r| r.0);
        let (total, matrices_s, planned, violations) = &runs[1];
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} | {:.0} | {:.0} | {} |",
            case.label,
            case.time_limit,
            total.as_secs_f64(),
            matrices_s.as_secs_f64(),
            (*total - *matrices_s).as_secs_f64(),
            served(planned),
            planned.totals.cost_eur,
            planned.totals.distance_km,
            if *violations == 0 {
                "valid".to_owned()
            } else {
                format!("{violations} violations")
            },
        );
        if case.weeks == 1 {
            one_week = Some((problem, planned.clone()));
        }
    }
    if let Some((problem, ours)) = one_week {
        quality(&problem, &ours, &cache, quick);
    }
    let _ = std::fs::remove_dir_all(cache_dir);
}

fn scenario(extract: &Path, case: &Case, cache: &CachePolicy) -> PlanningProblem {
    let options = ScenarioOptions {
        extract: extract.to_owned(),
        units: case.units,
        weeks: case.weeks,
        stops: Some(case.stops),
        home_visits: case.home_visits,
        seed: 7,
        start: NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"),
        time_limit: case.time_limit,
    };
    build(&options, cache, &Silent).expect("a scenario")
}

fn planned_visits(plan: &Plan) -> u32 {
    plan.totals.stop_visits_planned + plan.totals.home_visits_planned
}

fn served(plan: &Plan) -> String {
    let asked = plan.totals.stop_visits_required + plan.totals.home_visits_requested;
    format!("{} / {asked}", planned_visits(plan))
}

/// The one-week plan against ten times the time (best of 5 seeds) and the day-by-day baseline.
fn quality(problem: &PlanningProblem, ours: &Plan, cache: &CachePolicy, quick: bool) {
    let matrices = territory_matrices(problem, Path::new("."), cache, &Silent).expect("matrices");
    println!(
        "\n## Quality of the one-week plan ({} s)\n",
        problem.solver.time_limit_s
    );
    println!("| plan | visits planned / asked | cost € | km | seconds | against ours |");
    println!("|---|---:|---:|---:|---:|---|");
    let row = |label: &str, p: &Plan, seconds: f64| {
        let visits = i64::from(planned_visits(p)) - i64::from(planned_visits(ours));
        let cost =
            100.0 * (p.totals.cost_eur - ours.totals.cost_eur) / ours.totals.cost_eur.max(1e-9);
        println!(
            "| {label} | {} | {:.0} | {:.0} | {seconds:.1} | {visits:+} visits, cost {cost:+.1} % |",
            served(p),
            p.totals.cost_eur,
            p.totals.distance_km
        );
    };
    row("ours", ours, ours.solver.seconds);
    let started = Instant::now();
    let baseline = day_by_day(problem, &matrices).expect("a baseline plan");
    assert!(
        check_plan(problem, &matrices, &baseline).is_empty(),
        "the baseline keeps every rule"
    );
    row(
        "one day at a time, greedy",
        &baseline,
        started.elapsed().as_secs_f64(),
    );
    if quick {
        println!("\n(ten-times runs skipped: TOURNEE_BENCH_QUICK is set)");
        return;
    }
    let mut long = problem.clone();
    long.solver.time_limit_s *= 10.0;
    let mut best: Option<Plan> = None;
    for seed in 1..=5 {
        long.solver.seed = seed;
        let candidate = plan(&long, &matrices, &Control::default()).expect("a plan");
        let better = best.as_ref().is_none_or(|b| {
            (planned_visits(&candidate), -candidate.totals.cost_eur)
                > (planned_visits(b), -b.totals.cost_eur)
        });
        if better {
            best = Some(candidate);
        }
    }
    if let Some(best) = best {
        row("best of 5 runs at 10× the time", &best, best.solver.seconds);
        let gap =
            100.0 * (ours.totals.cost_eur - best.totals.cost_eur) / best.totals.cost_eur.max(1e-9);
        println!(
            "\nGap of ours to the best long run: {:+} visits planned, cost {gap:+.2} %.",
            i64::from(planned_visits(ours)) - i64::from(planned_visits(&best))
        );
    }
}
