//! Routable road graphs per vehicle profile from OpenStreetMap PBF extracts.
//!
//! Work in progress; see the crate README.

#![warn(missing_docs)]

pub mod error;
pub mod extract;
pub mod geo;
pub mod graph;
pub mod ids;
pub mod pbf;
pub mod profile;
pub mod progress;
pub mod tags;
pub mod weight;

pub use error::{Error, Result};
