//! Addresses, streets, places and named points of interest to positions, and positions back to
//! the nearest address: what a dispatcher types instead of coordinates.
//!
//! Two back ends answer alike through [`Geocode`]: an offline index built from the territory's
//! own extract (the default), and a client for any server speaking the French national address
//! API (BAN, whose engine is addok). Their answers are [`Candidate`]s shaped like the BAN API's
//! GeoJSON properties, and [`resolve::resolve`] decides, the same way for both, whether the best
//! candidate may be taken without asking the dispatcher.

#![warn(missing_docs)]

pub mod ban;
pub mod candidate;
pub mod error;
pub mod index;
pub mod resolve;

pub use candidate::{Candidate, Kind, Query};
pub use error::{Error, Result};
pub use index::{Index, IndexStats};
pub use osm_data::geo::Coord;

/// A geocoder: text to candidates, a position to the nearest address.
///
/// Synchronous on purpose: the offline index answers in microseconds, and the service calls a
/// remote back end from a blocking task with its own timeout.
pub trait Geocode: Send + Sync {
    /// Up to `query.limit` candidates for `query`, best first, each scored in [0, 1].
    fn search(&self, query: &Query) -> Result<Vec<Candidate>>;

    /// The nearest address (or, lacking one, street) to `at`, with its commune; `None` when
    /// nothing is known near it.
    fn reverse(&self, at: Coord) -> Result<Option<Candidate>>;
}
