//! Reading the JSON and CSV files the commands take, with the file, line and column of any
//! error.

use std::fs::File;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Reads and parses a JSON file.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })
}

/// Opens a CSV file with a header, cells trimmed. A file that cannot be read is
/// [`Error::Read`] (in the caller's error type); any other fault is what `malformed` makes of
/// its description.
pub fn csv_reader<E: From<Error>>(
    path: &Path,
    malformed: impl FnOnce(String) -> E,
) -> Result<csv::Reader<File>, E> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => Error::Read {
                path: path.to_owned(),
                source,
            }
            .into(),
            other => malformed(format!("{other:?}")),
        })
}
