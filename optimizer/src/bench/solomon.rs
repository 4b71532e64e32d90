//! Reader of the Solomon text format (also used by the Gehring & Homberger instances).

use std::path::Path;

use super::convert::euclidean;
use crate::error::{Error, Result};

/// One row of the customer table; row 0 is the depot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// X coordinate.
    pub x: f64,
    /// Y coordinate.
    pub y: f64,
    /// Demand.
    pub demand: i64,
    /// Earliest service start.
    pub ready: i64,
    /// Latest service start (for the depot: latest return).
    pub due: i64,
    /// Service time.
    pub service: i64,
}

/// A Solomon-format instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Name from the first line of the file.
    pub name: String,
    /// Fleet size.
    pub vehicles: u32,
    /// Capacity of every vehicle.
    pub capacity: i64,
    /// Depot (index 0) then customers.
    pub customers: Vec<Customer>,
}

impl Instance {
    /// Exact Euclidean distance between two rows, in double precision.
    pub fn distance(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (&self.customers[a], &self.customers[b]);
        euclidean((p.x, p.y), (q.x, q.y))
    }
}

/// Reads and parses a file.
///
/// # Errors
/// [`Error::Io`] or [`Error::Parse`].
pub fn read(path: &Path) -> Result<Instance> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|(line, message)| Error::Parse {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// Parses the text of a file; errors carry the 1-based line number and what was expected.
pub fn parse(text: &str) -> std::result::Result<Instance, (usize, String)> {
    let lines: Vec<(usize, Vec<&str>)> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.split_whitespace().collect::<Vec<_>>()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let name = lines
        .first()
        .map(|(_, t)| t.join(" "))
        .ok_or((0, "empty file".to_string()))?;
    let fleet_at = lines
        .iter()
        .position(|(_, t)| t.first() == Some(&"NUMBER"))
        .ok_or((0, "no VEHICLE NUMBER CAPACITY header".to_string()))?;
    let (fleet_line, fleet) = lines
        .get(fleet_at + 1)
        .ok_or((0, "no fleet line".to_string()))?;
    let number = |line: usize, token: Option<&&str>| -> std::result::Result<f64, (usize, String)> {
        token
            .and_then(|t| t.parse::<f64>().ok())
            .ok_or((line, format!("expected a number, got {token:?}")))
    };
    let vehicles = number(*fleet_line, fleet.first())? as u32;
    let capacity = number(*fleet_line, fleet.get(1))? as i64;
    let mut customers = Vec::new();
    for (line, tokens) in lines.iter().skip(fleet_at + 2) {
        if tokens.first().is_none_or(|t| t.parse::<f64>().is_err()) {
            continue;
        }
        if tokens.len() < 7 {
            return Err((*line, format!("expected 7 columns, got {}", tokens.len())));
        }
        let field = |i: usize| number(*line, tokens.get(i));
        customers.push(Customer {
            x: field(1)?,
            y: field(2)?,
            demand: field(3)? as i64,
            ready: field(4)? as i64,
            due: field(5)? as i64,
            service: field(6)? as i64,
        });
    }
    if customers.is_empty() {
        return Err((0, "no customer rows".to_string()));
    }
    Ok(Instance {
        name,
        vehicles,
        capacity,
        customers,
    })
}
