//! Solving from a start: listed jobs are placed first, even one that fits only after another.

use crate::model::*;
use crate::solution::UnservedReason;
use crate::{Control, Error, SolverConfig, check, solve, solve_from};

fn window(start: i64, end: i64) -> TimeWindow {
    TimeWindow {
        start: Duration(start),
        end: Duration(end),
    }
}

/// A depot (0) 100 from two places 5 apart (1 and 2); one vehicle with a break of 100 starting
/// between 200 and 260 where it is. A job at 1 from 100 to 200, then one at 2 starting 305 to
/// 310: the second fits only after the first (lunch at 1, then 5 to drive), never alone (lunch
/// at the depot leaves 100 to drive).
fn after_lunch() -> Problem {
    let rows = [[0, 100, 100], [100, 0, 5], [100, 5, 0]];
    let profile = Profile::new(TravelTable::from_fn(3, |a, b| (rows[a][b], rows[a][b])));
    let morning = Job {
        time_windows: vec![window(100, 100)],
        service: Duration(100),
        ..Job::at(LocationIdx(1))
    };
    let afternoon = Job {
        time_windows: vec![window(305, 310)],
        service: Duration(50),
        ..Job::at(LocationIdx(2))
    };
    let vehicle = Vehicle {
        start: Some(LocationIdx(0)),
        end: Some(LocationIdx(0)),
        shift: window(0, 1000),
        capacity: Vec::new(),
        skills: Vec::new(),
        profile: ProfileIdx(0),
        breaks: vec![Break {
            time_windows: vec![window(200, 260)],
            duration: Duration(100),
        }],
        limits: RouteLimits::default(),
        costs: VehicleCosts {
            per_distance: Cost(1),
            ..VehicleCosts::default()
        },
    };
    Problem {
        profiles: vec![profile],
        jobs: vec![morning, afternoon],
        vehicles: vec![vehicle],
        objective: Objective::Cost,
    }
}

fn config() -> SolverConfig {
    SolverConfig {
        iterations: Some(100),
        ..SolverConfig::default()
    }
}

#[test]
fn a_job_that_fits_only_after_a_listed_one_is_served_from_a_start() {
    let problem = after_lunch();
    let control = Control::default();
    let alone = solve(&problem, &config(), &control).expect("valid");
    assert_eq!(alone.unserved.len(), 1);
    assert_eq!(alone.unserved[0].job, JobIdx(1));
    assert_eq!(
        alone.unserved[0].reason,
        UnservedReason::BreakOrShiftTooShort
    );
    let start = [(VehicleIdx(0), vec![JobIdx(0), JobIdx(1)])];
    let solution = solve_from(&problem, &start, &config(), &control).expect("valid");
    assert!(solution.unserved.is_empty(), "{solution:?}");
    assert!(check(&problem, &solution).is_empty());
    assert_eq!(solution.routes[0].stops.len(), 3, "two jobs and the break");
}

#[test]
fn a_start_naming_what_does_not_exist_is_refused_with_its_path() {
    let problem = after_lunch();
    let start = [(VehicleIdx(3), vec![JobIdx(0), JobIdx(9)])];
    let Err(Error::Invalid(errors)) = solve_from(&problem, &start, &config(), &Control::default())
    else {
        panic!("an out-of-range start must be refused");
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["start/0/0", "start/0/1/1"]);
}
