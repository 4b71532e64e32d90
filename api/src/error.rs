//! The one error type of the `tournee` binary.

use std::path::PathBuf;

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
    /// A place of a planning problem cannot be placed on the road network.
    #[error("{field}: {source}")]
    Location {
        /// The problem's field (`stops[3].location`).
        field: String,
        /// Why.
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
}

/// Result alias of the binary.
pub type Result<T, E = Error> = std::result::Result<T, E>;
