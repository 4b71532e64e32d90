//! Routable road graphs per vehicle profile from OpenStreetMap PBF extracts.
//!
//! Work in progress; see the crate README.

#![warn(missing_docs)]

pub mod cache;
pub mod ch;
pub mod dijkstra;
pub mod error;
pub mod extract;
pub mod geo;
pub mod graph;
pub mod ids;
pub mod import;
pub mod matrix;
pub mod pbf;
pub mod pois;
pub mod profile;
pub mod progress;
pub mod route;
pub mod router;
pub mod seconds;
pub mod snap;
pub mod tags;
pub mod weight;

pub use error::{Error, Result};
