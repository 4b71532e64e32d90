//! Tests that span modules: random problems, properties, brute-force optima, scenarios.

mod brute_force;
pub(crate) mod generate;
mod properties;
mod scenarios;
mod warm_start;

use crate::model::{
    Cost, Duration, Job, LocationIdx, Objective, Problem, Profile, ProfileIdx, RouteLimits,
    TimeWindow, TravelTable, Vehicle, VehicleCosts,
};
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

/// A depot (0), a place 5 minutes away (1) and one 40 minutes away (2); one vehicle whose
/// shift holds one two-hour visit only; a visit of priority `near` at place 1 and one of
/// priority `far` at place 2.
pub(crate) fn one_slot(near: u32, far: u32) -> Problem {
    let minutes = [[0, 5, 40], [5, 0, 40], [40, 40, 0]];
    let table = TravelTable::from_fn(3, |a, b| (minutes[a][b] * 60, minutes[a][b] * 1_000));
    let visit = |place: u32, priority: u32| Job {
        service: Duration(2 * 3_600),
        priority,
        penalty: Some(Cost(i64::from(priority) * 1_000_000_000)),
        ..Job::at(LocationIdx(place))
    };
    Problem {
        profiles: vec![Profile::new(table)],
        jobs: vec![visit(1, near), visit(2, far)],
        vehicles: vec![Vehicle {
            start: Some(LocationIdx(0)),
            end: Some(LocationIdx(0)),
            shift: TimeWindow {
                start: Duration(0),
                end: Duration(4 * 3_600),
            },
            capacity: Vec::new(),
            skills: Vec::new(),
            profile: ProfileIdx(0),
            breaks: Vec::new(),
            limits: RouteLimits::default(),
            costs: VehicleCosts {
                fixed: Cost(0),
                per_distance: Cost(1),
                per_duration: Cost(1),
            },
        }],
        objective: Objective::Cost,
    }
}
