//! Tests that span modules: random problems, properties, brute-force optima, scenarios.

mod brute_force;
pub(crate) mod generate;
mod properties;
mod scenarios;
mod warm_start;

use crate::model::Problem;
use crate::{Control, Solution, SolverConfig, check, solve};

/// Solves with a fixed seed and iteration budget and asserts the checker finds nothing.
pub(crate) fn solve_checked(problem: &Problem, iterations: u64) -> Solution {
    let config = SolverConfig {
        iterations: Some(iterations),
        seed: 7,
        ..SolverConfig::default()
    };
    let solution = match solve(problem, &config, &Control::default()) {
        Ok(solution) => solution,
        Err(error) => panic!("solve failed: {error}"),
    };
    let violations = check(problem, &solution);
    assert!(
        violations.is_empty(),
        "checker: {violations:?}\nsolution: {solution:?}"
    );
    solution
}
