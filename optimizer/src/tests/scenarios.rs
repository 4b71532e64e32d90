//! Hand-built scenarios: validation, unserved reasons, determinism, controls, checker.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use super::generate::problem;
use super::solve_checked;
use crate::model::*;
use crate::solution::{ObjectiveValue, UnservedReason};
use crate::{Control, Error, SolverConfig, check, solve};

/// The same table for times and distances.
fn symmetric_profile(rows: &[&[u32]]) -> Profile {
    let rows: Vec<Vec<u32>> = rows.iter().map(|r| r.to_vec()).collect();
    Profile::new(TravelTable::from_rows(&rows, &rows).expect("a square table"))
}

/// Depot 0, a near place 1 (10 away) and a far place 2 (100 away).
fn line_profile() -> Profile {
    symmetric_profile(&[&[0, 10, 100], &[10, 0, 90], &[100, 90, 0]])
}

fn window(start: i64, end: i64) -> TimeWindow {
    TimeWindow {
        start: Duration(start),
        end: Duration(end),
    }
}

fn van() -> Vehicle {
    Vehicle {
        start: Some(LocationIdx(0)),
        end: Some(LocationIdx(0)),
        shift: window(0, 1000),
        capacity: vec![Load(10)],
        skills: Vec::new(),
        profile: ProfileIdx(0),
        breaks: vec![Break {
            time_windows: vec![window(50, 60)],
            duration: Duration(100),
        }],
        limits: RouteLimits {
            max_distance: Some(Distance(150)),
            ..RouteLimits::default()
        },
        costs: VehicleCosts {
            per_distance: Cost(1),
            ..VehicleCosts::default()
        },
    }
}

fn job(location: u32, demand: i64) -> Job {
    Job {
        demand: vec![Load(demand)],
        ..Job::at(LocationIdx(location))
    }
}

#[test]
fn every_unserved_job_gets_its_reason() {
    let skilled = Job {
        skills: vec!["lift".into()],
        ..job(1, 1)
    };
    let heavy = job(1, 11);
    let too_early = Job {
        time_windows: vec![window(0, 50)],
        ..job(2, 1)
    };
    let clashes_with_break = Job {
        time_windows: vec![window(55, 100)],
        service: Duration(150),
        ..job(1, 1)
    };
    let too_far = job(2, 1);
    let fine = job(1, 1);
    let problem = Problem {
        profiles: vec![line_profile()],
        jobs: vec![skilled, heavy, too_early, clashes_with_break, too_far, fine],
        vehicles: vec![van()],
        objective: Objective::Lexicographic,
    };
    let solution = solve_checked(&problem, 200);
    let reasons: Vec<(u32, UnservedReason)> = solution
        .unserved
        .iter()
        .map(|u| (u.job.0, u.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (0, UnservedReason::NoVehicleWithSkills),
            (1, UnservedReason::DemandAboveCapacity),
            (2, UnservedReason::TimeWindowUnreachable),
            (3, UnservedReason::BreakOrShiftTooShort),
            (4, UnservedReason::RouteLimitTooTight),
        ]
    );
    assert_eq!(solution.routes.len(), 1);
}

#[test]
fn a_job_cheaper_to_drop_is_not_worth_it_under_the_cost_objective() {
    let cheap = Job {
        penalty: Some(Cost(50)),
        ..job(1, 1)
    };
    let problem = Problem {
        profiles: vec![line_profile()],
        jobs: vec![cheap],
        vehicles: vec![Vehicle {
            breaks: Vec::new(),
            costs: VehicleCosts {
                fixed: Cost(100),
                ..van().costs
            },
            ..van()
        }],
        objective: Objective::Cost,
    };
    let solution = solve_checked(&problem, 100);
    assert!(solution.routes.is_empty());
    assert_eq!(solution.unserved[0].reason, UnservedReason::NotWorthIt);
    assert_eq!(solution.value.unserved_penalty, Cost(50));
}

#[test]
fn the_lexicographic_objective_saves_a_vehicle_before_distance() {
    // Driving from 1 to 2 is long (500): two vehicles would drive 220, one drives 610.
    let profile = symmetric_profile(&[&[0, 10, 100], &[10, 0, 500], &[100, 500, 0]]);
    let vehicle = Vehicle {
        breaks: Vec::new(),
        limits: RouteLimits::default(),
        ..van()
    };
    let mut problem = Problem {
        profiles: vec![profile],
        jobs: vec![job(1, 1), job(2, 1)],
        vehicles: vec![vehicle; 2],
        objective: Objective::Lexicographic,
    };
    let solution = solve_checked(&problem, 200);
    assert_eq!(
        (solution.value.vehicles, solution.value.distance),
        (1, Distance(610))
    );
    problem.objective = Objective::Cost;
    let solution = solve_checked(&problem, 200);
    assert_eq!(
        (solution.value.vehicles, solution.value.distance),
        (2, Distance(220))
    );
}

#[test]
fn invalid_input_lists_every_field_at_once() {
    let mut problem = problem(1, 4, 2, true);
    problem.profiles.push(line_profile());
    problem.jobs[0].location = LocationIdx(99);
    problem.jobs[1].time_windows = vec![window(10, 5)];
    problem.jobs[2].service = Duration(-1);
    problem.vehicles[1].profile = ProfileIdx(7);
    problem.vehicles[0].shift = window(10, 0);
    let Err(Error::Invalid(errors)) =
        solve(&problem, &SolverConfig::default(), &Control::default())
    else {
        panic!("expected an invalid-input error");
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "profiles[2]",
        "jobs[0].location",
        "jobs[1].time_windows[0]",
        "jobs[2].service",
        "vehicles[1].profile",
        "vehicles[0].shift",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}

#[test]
fn same_seed_and_iterations_give_the_same_solution() {
    let problem = problem(42, 12, 3, true);
    for threads in [1, 2] {
        let config = SolverConfig {
            iterations: Some(500),
            seed: 3,
            threads,
            ..SolverConfig::default()
        };
        let first = solve(&problem, &config, &Control::default()).ok();
        let second = solve(&problem, &config, &Control::default()).ok();
        let Some(solution) = &first else {
            panic!("solve failed")
        };
        assert!(check(&problem, solution).is_empty());
        assert_eq!(first, second);
    }
}

#[test]
fn a_raised_cancel_flag_returns_a_checked_solution_at_once() {
    let problem = problem(8, 12, 3, false);
    let cancel = AtomicBool::new(true);
    let config = SolverConfig {
        iterations: Some(u64::MAX),
        ..SolverConfig::default()
    };
    let solution = solve(
        &problem,
        &config,
        &Control {
            cancel: Some(&cancel),
            progress: None,
            threads: None,
        },
    );
    let solution = solution.unwrap_or_else(|e| panic!("{e}"));
    assert!(check(&problem, &solution).is_empty());
}

#[test]
fn progress_reports_improvements_ending_with_the_returned_value() {
    let problem = problem(9, 14, 3, false);
    let seen: Mutex<Vec<ObjectiveValue>> = Mutex::new(Vec::new());
    let record =
        |value: &ObjectiveValue| seen.lock().unwrap_or_else(|e| e.into_inner()).push(*value);
    let config = SolverConfig {
        iterations: Some(500),
        ..SolverConfig::default()
    };
    let solution = solve(
        &problem,
        &config,
        &Control {
            cancel: None,
            progress: Some(&record),
            threads: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(check(&problem, &solution).is_empty());
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    assert_eq!(seen.last(), Some(&solution.value));
}

#[test]
fn the_checker_catches_tampered_solutions() {
    let problem = problem(4, 8, 2, false);
    let solution = solve_checked(&problem, 200);
    assert!(!solution.routes.is_empty());
    let mut late = solution.clone();
    late.routes[0].stops[0].start += Duration(1);
    assert!(!check(&problem, &late).is_empty());
    let mut lost = solution.clone();
    lost.routes[0].stops.remove(0);
    assert!(!check(&problem, &lost).is_empty());
    let mut cheap = solution.clone();
    cheap.routes[0].cost = Cost(0);
    assert!(!check(&problem, &cheap).is_empty());
    let mut overloaded = problem.clone();
    overloaded.vehicles[solution.routes[0].vehicle.get()].capacity = vec![Load(0)];
    let loaded = solution.routes[0].load.iter().any(|l| l.0 > 0);
    assert_eq!(!check(&overloaded, &solution).is_empty(), loaded);
}
