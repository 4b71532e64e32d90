//! The VRPTW benchmark: Solomon / Gehring & Homberger reader, conversion to an integer
//! [`Problem`](crate::model::Problem), exact re-check, runner and table; and Cordeau's periodic
//! instances ([`pvrp`]), which measure the planner's periodic routing against known optima.
//!
//! Conventions (from the shared benchmark folder): Euclidean distances in double precision,
//! never rounded; travel time = distance; vehicles first, then distance.

mod bks;
mod convert;
mod exact;
pub mod pvrp;
mod runner;
pub mod solomon;
mod table;

pub use bks::{Bks, read_bks};
pub use convert::{SCALE, euclidean, euclidean_profile, ticks_down, ticks_up, to_problem};
pub use exact::{ExactCheck, exact_check};
pub use runner::{BenchConfig, Row, instance_files, run, run_one};
pub use table::{header, line, summary};
