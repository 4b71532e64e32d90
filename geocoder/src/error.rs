//! The one error type of this crate.

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building an index or asking a geocoder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The query cannot be asked as given (empty text, a limit of zero or too large, …).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// Reading the extract failed.
    #[error(transparent)]
    Osm(#[from] osm_data::Error),
}
