//! The files a coverage request may bring: weighted demand points, extra candidate sites, and
//! the attendance history. Every error names the file, the line and the column at fault.

use std::path::Path;

use chrono::NaiveDate;
use optimizer::coverage::AttendanceRecord;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::position::on_globe;

/// A demand point given by the user (census count per commune, requests per district, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemandInput {
    /// Its id, unique in the file.
    pub id: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Its weight (people), at least 0.
    pub weight: f64,
    /// Its commune or district, for the fairness model (default: its own id).
    #[serde(default)]
    pub group: Option<String>,
    /// A name to show (default: the id).
    #[serde(default)]
    pub name: Option<String>,
}

/// A candidate site given by the user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateInput {
    /// Its id, unique among candidates (it is the stop id in the plan and in attendance files).
    pub id: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// A name to show (default: the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Its OSM-style `opening_hours` (typical office hours when absent).
    #[serde(default)]
    pub opening_hours: Option<String>,
}

/// One row of an attendance file.
#[derive(Debug, Deserialize)]
struct AttendanceRow {
    stop: String,
    date: NaiveDate,
    visitors: u32,
}

/// Reads a demand file: header `id,lat,lon,weight` and optional `group`, `name` columns.
///
/// # Errors
/// [`Error::InputFile`] naming the line of a malformed row, a position out of range, a weight
/// that is negative or not a number, a repeated id, or an empty file.
pub fn read_demand(path: &Path) -> Result<Vec<DemandInput>> {
    let rows: Vec<(u64, DemandInput)> = read_rows(path, "id,lat,lon,weight")?;
    let mut seen = std::collections::HashSet::new();
    for (line, row) in &rows {
        check_position(path, *line, row.lat, row.lon)?;
        if !row.weight.is_finite() || row.weight < 0.0 {
            return Err(input(
                path,
                format!("line {line}: weight {} is not a number ≥ 0", row.weight),
            ));
        }
        if !seen.insert(row.id.as_str()) {
            return Err(input(
                path,
                format!("line {line}: id {:?} appears twice", row.id),
            ));
        }
    }
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// Reads a candidates file: header `id,lat,lon` and optional `name`, `opening_hours` columns.
///
/// # Errors
/// As [`read_demand`].
pub fn read_candidates(path: &Path) -> Result<Vec<CandidateInput>> {
    let rows: Vec<(u64, CandidateInput)> = read_rows(path, "id,lat,lon")?;
    let mut seen = std::collections::HashSet::new();
    for (line, row) in &rows {
        check_position(path, *line, row.lat, row.lon)?;
        if !seen.insert(row.id.as_str()) {
            return Err(input(
                path,
                format!("line {line}: id {:?} appears twice", row.id),
            ));
        }
    }
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// Reads an attendance file: header `stop,date,visitors`, dates as `YYYY-MM-DD`.
///
/// # Errors
/// [`Error::InputFile`] naming the line of a malformed row or an empty file.
pub fn read_attendance(path: &Path) -> Result<Vec<AttendanceRecord>> {
    let rows: Vec<(u64, AttendanceRow)> = read_rows(path, "stop,date,visitors")?;
    Ok(rows
        .into_iter()
        .map(|(_, row)| AttendanceRecord {
            stop: row.stop,
            date: row.date,
            visitors: row.visitors,
        })
        .collect())
}

/// Every row of a CSV file with a header, with its line number.
fn read_rows<T: DeserializeOwned>(path: &Path, expected: &str) -> Result<Vec<(u64, T)>> {
    let mut reader = crate::files::csv_reader(path, |reason| input(path, reason))?;
    let headers = reader
        .headers()
        .map_err(|e| input(path, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| input(path, e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let row = record.deserialize(Some(&headers)).map_err(|e| {
            let reason = field_error(&e, &headers, expected);
            input(path, format!("line {line}: {reason}"))
        })?;
        rows.push((line, row));
    }
    if rows.is_empty() {
        return Err(input(
            path,
            format!("no row: expected a header and {expected} rows"),
        ));
    }
    Ok(rows)
}

/// A deserialisation error with the column's name rather than its index (the expected
/// columns when the error does not say which).
fn field_error(error: &csv::Error, headers: &csv::StringRecord, expected: &str) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(i) => format!(
                "column {:?}: {}",
                headers.get(i as usize).unwrap_or("?"),
                err.kind()
            ),
            None => format!("{} (columns: {expected})", err.kind()),
        },
        _ => error.to_string(),
    }
}

fn check_position(path: &Path, line: u64, lat: f64, lon: f64) -> Result<()> {
    if on_globe(lat, lon) {
        Ok(())
    } else {
        Err(input(
            path,
            format!("line {line}: position {lat},{lon} is out of range"),
        ))
    }
}

fn input(path: &Path, reason: String) -> Error {
    Error::InputFile {
        path: path.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let f = file("id,lat,lon,weight\na,42.5,1.5,10\nb,42.5,1.5,many\n");
        let error = read_demand(f.path()).unwrap_err().to_string();
        assert!(
            error.contains("line 3") && error.contains("\"weight\""),
            "{error}"
        );
        let f = file("id,lat,lon,weight\na,142.5,1.5,10\n");
        let error = read_demand(f.path()).unwrap_err().to_string();
        assert!(
            error.contains("line 2") && error.contains("out of range"),
            "{error}"
        );
        let f = file("stop,date,visitors\nmairie,2025-13-01,4\n");
        let error = read_attendance(f.path()).unwrap_err().to_string();
        assert!(
            error.contains("line 2") && error.contains("date"),
            "{error}"
        );
        let f = file("id,lat,lon\n");
        assert!(
            read_candidates(f.path())
                .unwrap_err()
                .to_string()
                .contains("no row")
        );
    }

    #[test]
    fn optional_columns_may_be_left_out() {
        let f = file("id,lat,lon,weight,group\na,42.5,1.5,10,Canillo\nb,42.6,1.5,0,\n");
        let rows = read_demand(f.path()).unwrap();
        assert_eq!(rows[0].group.as_deref(), Some("Canillo"));
        assert_eq!(rows[1].group, None);
        let f = file("id,lat,lon,opening_hours\nsalle,42.5,1.5,Mo 09:00-12:00\n");
        let rows = read_candidates(f.path()).unwrap();
        assert_eq!(rows[0].opening_hours.as_deref(), Some("Mo 09:00-12:00"));
    }
}
