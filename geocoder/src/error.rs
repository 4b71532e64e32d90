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
    /// A remote geocoder did not answer within its timeout.
    #[error("the geocoder at {server} did not answer within {timeout_s} s")]
    Timeout {
        /// The server's base URL.
        server: String,
        /// The timeout in force, seconds.
        timeout_s: f64,
    },
    /// A remote geocoder could not be reached (refused connection, unknown host, TLS failure).
    #[error("the geocoder at {server} cannot be reached: {reason}")]
    Unreachable {
        /// The server's base URL.
        server: String,
        /// Why, as the HTTP client says it.
        reason: String,
    },
    /// A remote geocoder answered with an HTTP error status.
    #[error("the geocoder at {server} answered HTTP {status}: {message}")]
    Status {
        /// The server's base URL.
        server: String,
        /// The HTTP status.
        status: u16,
        /// The start of its answer, for the operator.
        message: String,
    },
    /// A remote geocoder answered something that is not a BAN GeoJSON FeatureCollection.
    #[error("the geocoder at {server} answered something unreadable: {reason}")]
    Malformed {
        /// The server's base URL.
        server: String,
        /// What is wrong with the answer.
        reason: String,
    },
    /// Reading the extract failed.
    #[error(transparent)]
    Osm(#[from] osm_data::Error),
}
