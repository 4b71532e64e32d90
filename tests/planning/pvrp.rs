//! The periodic instances of `../shared/bench/pvrp/` solve to within 1 % of their optimum.

use std::path::PathBuf;

use optimizer::bench::pvrp::{exact_distance, read_periodic, to_problem};
use optimizer::{Control, SolverConfig, check, solve};

fn bench_dir() -> Option<PathBuf> {
    crate::support::shared("bench/pvrp")
}

#[test]
fn periodic_instances_solve_within_one_percent_of_their_optimum() {
    let Some(dir) = bench_dir() else { return };
    let bks = std::fs::read_to_string(dir.join("bks.csv")).unwrap();
    for line in bks.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (name, best): (&str, f64) = (fields[0], fields[2].parse().unwrap());
        let instance = read_periodic(&dir.join(format!("{name}.txt"))).unwrap();
        let problem = to_problem(&instance).unwrap();
        let config = SolverConfig {
            time_limit: None,
            iterations: Some(60_000),
            seed: 1,
            threads: 2,
        };
        let solution = solve(&problem, &config, &Control::default()).unwrap();
        assert!(
            check(&problem, &solution).is_empty(),
            "{name}: the core checker objects"
        );
        let (distance, feasible) = exact_distance(&instance, &solution);
        assert!(
            feasible,
            "{name}: a customer is missing, repeated, off its days or over capacity"
        );
        let gap = 100.0 * (distance - best) / best;
        eprintln!("{name}: {distance:.2} against {best} ({gap:+.2} %)");
        assert!(
            gap <= 1.0,
            "{name}: {distance:.2} is {gap:.2} % above {best}"
        );
    }
}
