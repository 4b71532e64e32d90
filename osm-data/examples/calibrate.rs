//! `cargo run --release -p osm-data --example calibrate`: the car calibration against OSRM of
//! `cargo bench --bench routing_calibration`, without building the rest of the workspace
//! (quick to rerun while tuning a profile). Needs `../shared/`.

#[path = "../../tests/osm/calibration_data.rs"]
#[allow(dead_code)]
mod calibration_data;

use calibration_data::{REFERENCES, compare, read_table, shared_dir};
use osm_data::import::{CachePolicy, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;

fn main() {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared/bench/routing or ../shared/osm not found");
        return;
    };
    let (osm, references) = (shared.join("osm"), shared.join("bench/routing"));
    for (name, file, extract) in REFERENCES {
        let table = read_table(&references.join(file));
        let (router, report) = import_profile(
            &osm.join(extract),
            &Profile::new(ProfileKind::Car),
            &CachePolicy::Disabled,
            &Silent,
        )
        .expect("the shared extract imports");
        let c = compare(&router, &table);
        println!(
            "{name}: import read {:.3} s, build {:.3} s, contract {:.3} s; {} turn nodes, {} turns, {} shortcuts",
            report.read_time.as_secs_f64(),
            report.graph.build_time.as_secs_f64(),
            report.contract_time.as_secs_f64(),
            report.graph.turn_nodes,
            report.graph.turns,
            report.shortcuts,
        );
        println!(
            "{name}: duration {:.3} ({:.3}-{:.3}, {:.1} % within 20 %), distance {:.3} ({:.3}-{:.3}, {:.1} %), unplaced {}\n{name}: restrictions {}",
            c.durations.median,
            c.durations.p10,
            c.durations.p90,
            c.durations.within_20 * 100.0,
            c.distances.median,
            c.distances.p10,
            c.distances.p90,
            c.distances.within_20 * 100.0,
            c.unplaced,
            report.graph.restrictions,
        );
    }
}
