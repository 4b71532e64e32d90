//! The `tournee` program as a library: the command line, the HTTP service and the web page,
//! thin layers over the `territory` crate (which joins road networks to the planner). The
//! binary is a thin `main` over it; its own tests call it directly.

#![warn(missing_docs)]

pub mod cli;
pub mod error;
pub mod limits;
pub mod memory;
pub mod progress;
pub mod serve;
pub mod web;
