//! Tournée's territory layer, between the road graphs (`osm-data`) and the planner
//! (`optimizer`): a [`Territory`] (an extract with its routers, points of interest and demand,
//! each loaded on first use and kept), the matrices of a planning problem on it, realistic
//! scenarios built from its points of interest, and territorial coverage.
//!
//! Synchronous and free of any web or async crate: the `tournee` command line builds a
//! territory and drops it, the HTTP service keeps its territories loaded and hands them to its
//! jobs.

#![warn(missing_docs)]

pub mod calendar;
pub mod coverage;
pub mod error;
pub mod extract;
pub mod files;
pub mod matrices;
pub mod pois;
pub mod position;
pub mod profiles;
pub mod scenario;
pub mod sites;
pub mod too_far;
pub mod validate;

pub use error::{Error, Result, Violation};
pub use extract::Territory;
