//! The one error type of this crate.

use std::path::PathBuf;

use crate::profile::ProfileKind;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading an extract, building a graph or routing on it.
///
/// Every variant names what the caller gave (a path, a point index, a profile field), so the
/// message can be shown to a user as is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The extract could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file does not start like an OpenStreetMap PBF file.
    #[error("{path} is not an OpenStreetMap PBF file: {reason}")]
    NotPbf {
        /// The file given.
        path: PathBuf,
        /// What the decoder found instead.
        reason: String,
    },
    /// The file starts like a PBF file but a later block cannot be decoded.
    #[error("{path} is truncated or corrupt (block {block}): {reason}")]
    CorruptPbf {
        /// The file given.
        path: PathBuf,
        /// Zero-based index of the first block that failed.
        block: usize,
        /// What the decoder reported.
        reason: String,
    },
    /// The file needs a PBF feature this reader does not implement (e.g. history files).
    #[error("{path} needs the unsupported PBF feature {feature:?}")]
    UnsupportedFeature {
        /// The file given.
        path: PathBuf,
        /// The required feature named in the file header.
        feature: String,
    },
    /// The file is a valid PBF file but holds no OpenStreetMap element.
    #[error("{path} holds no OpenStreetMap data")]
    EmptyExtract {
        /// The file given.
        path: PathBuf,
    },
    /// The extract has no road the profile may use.
    #[error("{path} has no road usable by the {profile} profile")]
    NoRoads {
        /// The file given.
        path: PathBuf,
        /// The profile asked for.
        profile: ProfileKind,
    },
    /// A profile parameter is out of its valid range.
    #[error("profile parameter `{field}`: {reason}")]
    InvalidProfile {
        /// The parameter, as spelled in the profile (e.g. `height_m`).
        field: &'static str,
        /// Why the value is refused.
        reason: String,
    },
    /// A coordinate is not a valid WGS84 position.
    #[error("point {index}: {reason}")]
    InvalidCoordinate {
        /// Zero-based index of the point in the list given.
        index: usize,
        /// Why it is refused.
        reason: String,
    },
    /// A coordinate lies farther from any usable road than the snapping limit.
    #[error(
        "point {index} ({lat:.6}, {lon:.6}) is {distance_m:.0} m from the nearest road usable by \
         the {profile} profile; the limit is {limit_m:.0} m"
    )]
    TooFarFromRoad {
        /// Zero-based index of the point in the list given.
        index: usize,
        /// Latitude given.
        lat: f64,
        /// Longitude given.
        lon: f64,
        /// Distance to the nearest usable road, in metres (infinite when there is none).
        distance_m: f64,
        /// The snapping limit in force, in metres.
        limit_m: f64,
        /// The profile of the graph.
        profile: ProfileKind,
    },
    /// No route joins two snapped points. The graph keeps only its largest strongly connected
    /// component, so this reports a defect rather than a property of the map.
    #[error("no route from point {from} to point {to}")]
    Unreachable {
        /// Index of the origin in the sources given.
        from: usize,
        /// Index of the destination in the targets given.
        to: usize,
    },
    /// A cached graph could not be written.
    #[error("cannot write graph cache {path}: {source}")]
    CacheWrite {
        /// The cache file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}
