//! The one error type of the territory layer, and the field-level violations it reports.

use std::path::PathBuf;

/// What can stop reading a territory, building its matrices, a scenario or a coverage run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an extract, building a graph or routing failed.
    #[error(transparent)]
    Osm(#[from] osm_data::Error),
    /// Building or asking the geocoder failed.
    #[error(transparent)]
    Geocoder(#[from] geocoder::Error),
    /// A planning problem or plan is invalid, or the planner failed.
    #[error(transparent)]
    Planning(#[from] optimizer::Error),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A JSON file does not parse.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Where and why (line and column).
        source: serde_json::Error,
    },
    /// A row of a coverage input file (demand, candidates, attendance) is malformed.
    #[error("{path}: {reason}")]
    InputFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column.
        reason: String,
    },
    /// A request breaks rules of its format: every violation is listed.
    #[error("{} invalid field(s): {}", .0.len(), violations(.0))]
    Invalid(Vec<Violation>),
    /// An option is out of range (a scenario of 0 units), or an extract has nothing to use.
    #[error("{0}")]
    Argument(String),
    /// A built scenario does not read as a planning problem: a defect of the builder, not of
    /// the user's input.
    #[error("the scenario built is not a valid planning problem: {0}")]
    Scenario(serde_json::Error),
    /// A run was asked to stop.
    #[error("cancelled")]
    Cancelled,
    /// Something that should not happen did (a graph build that panicked while others waited).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result alias of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One rule a request breaks: the field as a JSON pointer (`/stops/3/opening_hours/mon/0`)
/// and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Violation {
    /// JSON pointer (RFC 6901) of the offending field; empty for the whole document.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Violation {
    /// A violation of the field at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            field: pointer.into(),
            message: message.into(),
        }
    }

    /// A violation reported with a planner path (`stops[3].opening_hours.mon[0]`), converted
    /// to a JSON pointer (`/stops/3/opening_hours/mon/0`).
    pub fn from_path(path: &str, message: impl Into<String>) -> Self {
        Violation::new(json_pointer(path), message)
    }
}

/// Converts a dotted path with indices (`stops[3].opening_hours.mon[0]`, as the planner and
/// serde report them) into a JSON pointer (`/stops/3/opening_hours/mon/0`), escaping `~` and
/// `/` in names as RFC 6901 requires.
pub fn json_pointer(path: &str) -> String {
    let mut pointer = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, pointer: &mut String| {
        if !token.is_empty() {
            pointer.push('/');
            pointer.push_str(&pointer_token(token));
            token.clear();
        }
    };
    for c in path.chars() {
        match c {
            '.' | '[' | ']' => flush(&mut token, &mut pointer),
            c => token.push(c),
        }
    }
    flush(&mut token, &mut pointer);
    pointer
}

/// One reference token of a JSON pointer: a member name with `~` and `/` escaped as RFC 6901
/// requires (`a/b` becomes `a~1b`), for names that come from the request.
pub fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The violations as one line: `field: message; field: message`.
pub fn violations(list: &[Violation]) -> String {
    let shown: Vec<String> = list
        .iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect();
    shown.join("; ")
}
