//! The one error type of the `tournee` binary.

use std::path::PathBuf;

use territory::error::violations;
pub use territory::error::{Violation, json_pointer, pointer_token};

/// What can stop a `tournee` command, with the file, line or argument at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an extract, building a graph or routing failed.
    #[error(transparent)]
    Osm(#[from] osm_data::Error),
    /// A file given on the command line could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A row of a points file is not `id,lat,lon`.
    #[error("{path}: {reason}")]
    PointsFile {
        /// The points file.
        path: PathBuf,
        /// What is wrong, with the line number.
        reason: String,
    },
    /// A row of a coverage input file (demand, candidates, attendance) is malformed.
    #[error("{path}: {reason}")]
    InputFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column.
        reason: String,
    },
    /// A snapped point failed; names the point by its id from the points file.
    #[error("point {id:?} of {path}: {source}")]
    Point {
        /// The points file.
        path: PathBuf,
        /// The id column of the point.
        id: String,
        /// What went wrong with it.
        source: osm_data::Error,
    },
    /// A planning problem or plan is invalid, or the planner failed.
    #[error(transparent)]
    Planning(#[from] optimizer::Error),
    /// A JSON file does not parse.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Where and why (line and column).
        source: serde_json::Error,
    },
    /// A plan breaks rules of its problem.
    #[error("the plan breaks {0} rule(s)")]
    PlanViolations(usize),
    /// A command-line value is out of range.
    #[error("{0}")]
    Argument(String),
    /// No cache directory could be found and none was given.
    #[error("no cache directory: set --cache-dir or TOURNEE_CACHE_DIR, or pass --no-cache")]
    NoCacheDirectory,
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// A request body is not JSON (or not UTF-8, or nested too deeply).
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A request is valid JSON but breaks rules of its format: every violation is listed.
    #[error("{} invalid field(s): {}", .0.len(), violations(.0))]
    Invalid(Vec<Violation>),
    /// A resource does not exist (or belongs to another client).
    #[error("{0} not found")]
    NotFound(String),
    /// A resource is not in the state the request needs (a plan that is not finished yet).
    #[error("{0}")]
    Conflict(String),
    /// A request body is larger than the server accepts.
    #[error("the request body exceeds {limit_bytes} bytes")]
    TooLarge {
        /// The limit in force.
        limit_bytes: usize,
    },
    /// A request holds more places, points or pairs than the service accepts (memory grows
    /// with the square of that count): refused before any matrix or model is built.
    #[error(
        "{field}: the request holds {count} {counts}, more than the limit of {limit} ({setting})"
    )]
    OverLimit {
        /// JSON pointer of the part of the request that brings most of them (`/home_visits`).
        field: String,
        /// What is counted (`places (depots, stops and home visits)`).
        counts: &'static str,
        /// How many the request holds.
        count: u64,
        /// The most accepted.
        limit: u64,
        /// The setting that changes the limit (`max_places`).
        setting: &'static str,
    },
    /// The job queue is full: try again later.
    #[error("the job queue is full ({queued} waiting); retry in {retry_after_s} s")]
    QueueFull {
        /// Jobs waiting.
        queued: u64,
        /// Seconds after which a retry may succeed.
        retry_after_s: u64,
    },
    /// Every compute permit stayed busy while the request waited: try again shortly.
    #[error("every worker is busy; retry in {retry_after_s} s")]
    Busy {
        /// Seconds after which a retry may succeed.
        retry_after_s: u64,
    },
    /// A client asked for public pages faster than the service's rate limit allows.
    #[error("too many requests; retry in {retry_after_s} s")]
    RateLimited {
        /// Seconds after which a retry may succeed.
        retry_after_s: u64,
    },
    /// A request lacks a valid bearer token.
    #[error("a valid `Authorization: Bearer` token is required")]
    Unauthorized,
    /// The server's configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// The job database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The database schema could not be brought up to date.
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The service cannot answer yet (territories still loading, database unreachable).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A run was asked to stop (its job cancelled, or the service stopping).
    #[error("cancelled")]
    Cancelled,
    /// Something that should not happen did (a worker that panicked): not the client's fault.
    #[error("internal error: {0}")]
    Internal(String),
    /// A geocoder refused a query, or the remote one failed (timeout, unreachable, HTTP error,
    /// unreadable answer).
    #[error(transparent)]
    Geocoder(#[from] geocoder::Error),
    /// A fault of the territory layer with no counterpart here (a scenario that does not
    /// build).
    #[error(transparent)]
    Territory(territory::Error),
}

impl Error {
    /// A request refused for one field at fault (a JSON pointer, empty for the whole body).
    pub fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![Violation::new(field, message)])
    }
}

/// The territory layer's errors as the binary's own, variant for variant where both have one,
/// so that the service answers them with the same status and body.
impl From<territory::Error> for Error {
    fn from(error: territory::Error) -> Self {
        use territory::Error as T;
        match error {
            T::Osm(e) => Error::Osm(e),
            T::Planning(e) => Error::Planning(e),
            T::Read { path, source } => Error::Read { path, source },
            T::Json { path, source } => Error::Json { path, source },
            T::InputFile { path, reason } => Error::InputFile { path, reason },
            T::Invalid(list) => Error::Invalid(list),
            T::Argument(message) => Error::Argument(message),
            T::Cancelled => Error::Cancelled,
            T::Internal(message) => Error::Internal(message),
            other => Error::Territory(other),
        }
    }
}

/// Result alias of the binary.
pub type Result<T, E = Error> = std::result::Result<T, E>;
