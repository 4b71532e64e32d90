//! Solomon regression: one instance per class (C1, C2, R1, R2, RC1, RC2), solved with a short,
//! fixed iteration budget (20 000 iterations, about a second each) (so the result is deterministic), checked by the model checker and
//! re-checked with exact double-precision distances, then held to a vehicle and gap bound.
//!
//! The instances live in `../shared/bench/vrptw/solomon` beside the repository; without them
//! each test prints why it is skipped and passes.

use std::path::PathBuf;
use std::time::Duration;

use optimizer::bench::{BenchConfig, read_bks, run_one};

fn solomon_dir() -> Option<PathBuf> {
    let bks = crate::support::shared("bench/vrptw/solomon/bks.csv")?;
    bks.parent().map(PathBuf::from)
}

/// Solves `name` with `iterations` iterations and asserts feasibility, at most `extra`
/// vehicles above the BKS and a distance gap of at most `max_gap` percent.
fn regression(name: &str, iterations: u64, extra: u32, max_gap: f64) {
    let Some(dir) = solomon_dir() else { return };
    let bks = match read_bks(&dir.join("bks.csv")) {
        Ok(table) => table.get(name).copied(),
        Err(error) => panic!("bks.csv: {error}"),
    };
    let Some(bks) = bks else {
        panic!("{name} missing from bks.csv")
    };
    let config = BenchConfig {
        dir: dir.clone(),
        time: Duration::from_secs(3600),
        iterations: Some(iterations),
        threads: 1,
        instances: None,
        seed: 1,
    };
    let row = match run_one(&dir.join(format!("{name}.txt")), Some(bks), &config) {
        Ok(row) => row,
        Err(error) => panic!("{name}: {error}"),
    };
    assert!(
        row.problems.is_empty(),
        "{name} infeasible: {:?}",
        row.problems
    );
    assert_eq!(row.unserved, 0, "{name}: customers left unserved");
    assert!(
        row.vehicles <= bks.vehicles + extra,
        "{name}: {} vehicles, BKS {}",
        row.vehicles,
        bks.vehicles
    );
    let gap = row.gap().unwrap_or(f64::INFINITY);
    assert!(gap <= max_gap, "{name}: gap {gap:.2} % above {max_gap} %");
}

#[test]
fn c1_class_c101() {
    regression("C101", 20_000, 0, 0.5);
}

#[test]
fn c2_class_c201() {
    regression("C201", 20_000, 0, 0.5);
}

#[test]
fn r1_class_r101() {
    regression("R101", 20_000, 0, 1.0);
}

#[test]
fn r2_class_r201() {
    regression("R201", 20_000, 0, 1.0);
}

#[test]
fn rc1_class_rc101() {
    regression("RC101", 20_000, 1, 1.0);
}

#[test]
fn rc2_class_rc201() {
    regression("RC201", 20_000, 0, 5.0);
}
