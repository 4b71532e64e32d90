//! Routable road graphs per vehicle profile from OpenStreetMap PBF extracts: snapping,
//! travel-time and distance matrices, route geometry, points of interest.
//!
//! An extract is read once ([`extract::OsmExtract`], decoding blocks on every core, tags parsed
//! into typed values by [`tags`]); each [`profile::Profile`] (car, bus, camping-car,
//! triporteur, with the unit's own speed and dimensions) turns it into a
//! [`graph::RoadGraph`]: the ways the unit may use, cut at junctions and barriers, the largest
//! strongly connected component only, degree-two chains merged but their geometry kept. A
//! [`router::Router`] adds a contraction hierarchy ([`ch`]) and answers snapping, many-to-many
//! matrices and routes. [`import`] caches prepared routers on disk ([`cache`]).
//!
//! For territorial coverage, [`demand`] lists the inhabited places with a population (tagged or
//! estimated from the buildings around them) and a commune, [`opening_hours`] reads the common
//! forms of the tag, and [`reach`] finds the roads from which a stop is reached within a limit.
//!
//! ```
//! use osm_data::geo::Coord;
//! use osm_data::import::{CachePolicy, import_profile};
//! use osm_data::profile::{Profile, ProfileKind};
//! use osm_data::progress::Silent;
//! use osm_data::router::DEFAULT_SNAP_LIMIT_M;
//!
//! let extract = std::path::Path::new("../tests/fixtures/village.osm.pbf");
//! let bus = Profile::new(ProfileKind::Bus);
//! let (router, _report) = import_profile(extract, &bus, &CachePolicy::Disabled, &Silent)?;
//! let stops = [Coord::new(45.0, 5.0), Coord::new(45.0, 5.003)];
//! let snapped = router.snap(&stops, DEFAULT_SNAP_LIMIT_M)?;
//! let matrix = router.matrix(&snapped, &snapped)?;
//! assert_eq!(matrix.duration_s(0, 0), 0);
//! // The bus goes round the village's 3 m bridge; the route is the matrix entry, drawn.
//! let route = router.route(&snapped[0], &snapped[1])?;
//! assert_eq!((route.distance_m, matrix.distance_m(0, 1)), (459, 459));
//! # Ok::<(), osm_data::Error>(())
//! ```
//!
//! Travel times are exact to the millisecond inside the crate and rounded up to whole seconds
//! (lengths to whole metres) at the edge, which keeps the triangle inequality; see [`weight`].

#![warn(missing_docs)]

mod array;
pub mod cache;
pub mod ch;
pub mod demand;
pub mod dijkstra;
pub mod error;
pub mod extract;
pub mod geo;
pub mod graph;
pub mod ids;
pub mod import;
pub mod matrix;
mod memory;
pub mod opening_hours;
pub mod pbf;
pub mod pois;
pub mod profile;
pub mod progress;
pub mod reach;
pub mod route;
pub mod router;
pub mod seconds;
pub mod snap;
pub mod tags;
pub mod turns;
pub mod weight;

pub use error::{Error, Result};
