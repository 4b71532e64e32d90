//! The `tournee` program as a library: the command line, the adapter between road networks and
//! the planner, scenarios built from extracts, the HTTP service. The binary is a thin `main` over it; tests and
//! benchmarks call it directly.

#![warn(missing_docs)]

pub mod adapt;
pub mod cli;
pub mod coverage;
pub mod error;
pub mod files;
pub mod limits;
pub mod memory;
pub mod progress;
pub mod scenario;
pub mod serve;
pub mod sites;
pub mod validate;
pub mod web;
