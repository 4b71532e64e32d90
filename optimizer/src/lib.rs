//! The problem model, solver and independent checker of Tournée's weekly planner.
//!
//! It works on travel-time and distance matrices, never on maps, and has no async runtime, so
//! that it can be tested and benchmarked on its own.
//!
//! ```
//! use optimizer::model::*;
//! use optimizer::{Control, SolverConfig, check, solve};
//!
//! // Two locations: a depot (0) and a library (1), 10 ticks and 100 metres apart.
//! let profile = Profile::new(TravelTable::from_fn(2, |a, b| if a == b { (0, 0) } else { (10, 100) }));
//! let mut job = Job::at(LocationIdx(1));
//! job.time_windows = vec![TimeWindow { start: Duration(30), end: Duration(40) }];
//! let vehicle = Vehicle {
//!     start: Some(LocationIdx(0)),
//!     end: Some(LocationIdx(0)),
//!     shift: TimeWindow { start: Duration(0), end: Duration(100) },
//!     capacity: vec![],
//!     skills: vec![],
//!     profile: ProfileIdx(0),
//!     breaks: vec![],
//!     limits: RouteLimits::default(),
//!     costs: VehicleCosts { per_distance: Cost(1), ..Default::default() },
//! };
//! let problem = Problem { profiles: vec![profile], jobs: vec![job], vehicles: vec![vehicle], objective: Objective::default() };
//! let solution = solve(&problem, &SolverConfig::default(), &Control::default())?;
//! assert_eq!(solution.value.distance, Distance(200));
//! assert_eq!(solution.routes[0].stops[0].start, Duration(30));
//! assert!(check(&problem, &solution).is_empty());
//! # Ok::<(), optimizer::Error>(())
//! ```

#![warn(missing_docs)]

pub mod bench;
pub mod check;
pub mod coverage;
mod error;
mod export;
mod index;
pub mod model;
pub mod planning;
mod route;
mod search;
pub mod solution;
mod solver;
mod unserved;
mod validate;

pub use check::{Violation, check};
pub use error::{Error, FieldError, Result};
pub use solution::Solution;
pub use solver::{Control, DEFAULT_ITERATIONS, SolverConfig, solve, solve_from};
pub use validate::validate;

#[cfg(test)]
mod tests;
