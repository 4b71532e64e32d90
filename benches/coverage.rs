//! `cargo bench --bench coverage`: territorial coverage (issue 7) on whole extracts, printed as a
//! Markdown table.
//!
//! Andorra and Malta, every inhabited place as demand and every candidate site of the extract
//! (markets, libraries, town halls, community and social centres, car parks a bus reaches),
//! access by car and on foot within N = 10 and 20 minutes. For set covering (and maximal covering with a
//! budget of 5 stops): the time to the greedy answer, the time to the proven optimum or the gap
//! left after 30 s, and the coverage figures. Graphs are built once per extract (cached in a
//! temporary folder) and the "run" column is the whole request after that: reading the
//! extract's places and sites, snapping, the matrix, the solve, the report and the plan.
//!
//! Needs `../shared/osm/`; says so and exits when it is absent.

use std::time::Instant;

use chrono::NaiveDate;
use optimizer::coverage::MipStatus;
use optimizer::planning::problem::UnitKind;
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use territory::Territory;
use territory::coverage::{AccessMode, CoverageRequest, ModelChoice, run};

#[path = "../tests/support/shared.rs"]
mod shared;

const TIME_LIMIT_S: f64 = 30.0;

fn main() {
    let cache_dir =
        std::env::temp_dir().join(format!("tournee-coverage-bench-{}", std::process::id()));
    let cache = CachePolicy::Directory(cache_dir.clone());
    println!(
        "| extract | mode | N | model | places | population | candidates | greedy (s) | greedy stops / covered | answer stops / covered | covered share | status | time to optimum or gap at {TIME_LIMIT_S:.0} s | LP bound | run (s) |"
    );
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for file in ["andorra-2021.osm.pbf", "malta-2016.osm.pbf"] {
        let Some(extract) = shared::shared(&format!("osm/{file}")) else {
            continue;
        };
        for (mode, minutes) in [
            (AccessMode::Car, 10.0),
            (AccessMode::Car, 20.0),
            (AccessMode::Foot, 10.0),
            (AccessMode::Foot, 20.0),
        ] {
            for (model, budget) in [(ModelChoice::Cover, None), (ModelChoice::Max, Some(5))] {
                let request = CoverageRequest {
                    extract: extract.clone(),
                    minutes,
                    mode,
                    unit: UnitKind::Bus,
                    model: Some(model),
                    budget,
                    demand: None,
                    candidates: Vec::new(),
                    osm_candidates: true,
                    attendance: Vec::new(),
                    time_limit_s: TIME_LIMIT_S,
                    snap_limit_m: osm_data::router::DEFAULT_SNAP_LIMIT_M,
                    start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
                    half_days: None,
                    visit_minutes: 150,
                    reach_roads: false,
                };
                // The first request of an extract builds its graphs; time the second.
                let _ = run(
                    &Territory::open(&request.extract),
                    &request,
                    &cache,
                    &Silent,
                    &mut |_| {},
                    None,
                );
                let started = Instant::now();
                let response = match run(
                    &Territory::open(&request.extract),
                    &request,
                    &cache,
                    &Silent,
                    &mut |_| {},
                    None,
                ) {
                    Ok(response) => response,
                    Err(e) => {
                        println!("| {file} | {mode:?} | {minutes} | {model:?} | error: {e} |");
                        continue;
                    }
                };
                let elapsed = started.elapsed().as_secs_f64();
                let r = &response.report;
                let label = match budget {
                    Some(k) => format!("max, K={k}"),
                    None => "cover".to_owned(),
                };
                let proof = match (r.status, r.gap) {
                    (MipStatus::Optimal, _) => format!("optimal in {:.2} s", r.time_total_s),
                    (_, Some(gap)) => format!("gap {:.1} %", gap * 100.0),
                    (_, None) => "no bound".to_owned(),
                };
                println!(
                    "| {} | {mode:?} | {minutes:.0} | {label} | {} | {:.0} | {} | {:.3} | {} / {:.0} | {} / {:.0} | {:.1} % | {:?} | {proof} | {} | {elapsed:.2} |",
                    file.trim_end_matches(".osm.pbf"),
                    r.demand.points,
                    r.demand.population,
                    r.candidates.osm + r.candidates.user,
                    r.time_to_greedy_s,
                    r.greedy.stops,
                    r.greedy.covered_population,
                    r.answer.stops,
                    r.answer.covered_population,
                    100.0 * r.answer.covered_share,
                    r.status,
                    r.lp_bound.map_or("–".to_owned(), |b| format!("{b:.2}")),
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(cache_dir);
}
