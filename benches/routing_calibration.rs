//! `cargo bench --bench routing_calibration`: car travel times and distances against OSRM's
//! reference tables (`../shared/bench/routing/`), as a Markdown table of the distribution of
//! tournée / OSRM over every off-diagonal cell.
//!
//! Needs `../shared/`; says so and exits when it is absent.

#[path = "../tests/osm/calibration_data.rs"]
#[allow(dead_code)]
mod calibration_data;

use std::time::Instant;

use calibration_data::{REFERENCES, Ratios, compare, read_table, shared_dir};
use osm_data::import::{CachePolicy, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;

fn main() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared/bench/routing or ../shared/osm not found");
        return;
    };
    let (osm, references) = (shared.join("osm"), shared.join("bench/routing"));
    println!("## Car travel times and distances against OSRM 26.10 (default car.lua)\n");
    println!(
        "| extract | measure | cells | p10 | median | p90 | within ±20 % | points not placed |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (name, file, extract) in REFERENCES {
        let table = read_table(&references.join(file));
        let (router, _) = import_profile(
            &osm.join(extract),
            &Profile::new(ProfileKind::Car),
            &CachePolicy::Disabled,
            &Silent,
        )
        .expect("the shared extract imports");
        let started = Instant::now();
        let c = compare(&router, &table);
        eprintln!(
            "{name}: compared in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        let row = |measure: &str, r: Ratios| {
            println!(
                "| {name} | {measure} | {} | {:.3} | {:.3} | {:.3} | {:.1} % | {} |",
                r.cells,
                r.p10,
                r.median,
                r.p90,
                r.within_20 * 100.0,
                c.unplaced
            );
        };
        row("duration", c.durations);
        row("distance", c.distances);
    }
}
