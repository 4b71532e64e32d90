//! Best-known solutions from a `bks.csv` file (`instance,vehicles,distance,...`).

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};

/// A best-known solution: vehicles first, then distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bks {
    /// Number of vehicles.
    pub vehicles: u32,
    /// Total distance.
    pub distance: f64,
}

/// Reads `bks.csv`: a header line, then `instance,vehicles,distance` and any further columns.
///
/// # Errors
/// [`Error::Io`] or [`Error::Parse`].
pub fn read_bks(path: &Path) -> Result<HashMap<String, Bks>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() < 3 || fields[0].is_empty() {
            continue;
        }
        let parse_error = |what: &str| Error::Parse {
            path: path.to_path_buf(),
            line: n + 1,
            message: format!("{what} is not a number"),
        };
        let vehicles = fields[1].parse().map_err(|_| parse_error("vehicles"))?;
        let distance = fields[2].parse().map_err(|_| parse_error("distance"))?;
        out.insert(fields[0].to_string(), Bks { vehicles, distance });
    }
    Ok(out)
}
