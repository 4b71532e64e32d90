//! Travel matrices of one routing profile (car, bus, cargo bike...), held once and shared.
//!
//! A matrix over `n` places costs `n²` cells in every table that holds it, so it is the one
//! structure whose size decides how large a problem fits in memory. It is kept in 32 bits a
//! value (as OSRM and VROOM keep theirs: 8 bytes a cell for times and distances together) in a
//! [`TravelTable`] that the caller builds once; cloning one shares its cells (each table is an
//! [`Arc`] slice, read in the search's innermost loops with no more indirection than a
//! vector), and a [`Profile`] adds a small map from a problem's locations to the table's rows.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Distance, Duration, LocationIdx};
use crate::error::{Error, FieldError, Result};

/// Travel time (seconds) and distance (metres) reported between a location that a profile's
/// table does not hold and any other: 30 days and as many metres, longer than any shift, and
/// small enough that sums of a few of them stay far from overflowing.
pub const UNREACHABLE: u32 = 30 * 86_400;

/// Marks a location outside the table in [`Profile`]'s row map.
const OUTSIDE: u32 = u32::MAX;

/// Square travel-time and distance tables between `size` places, row = from, column = to,
/// flattened row-major; clones share the cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravelTable {
    size: usize,
    durations: Arc<[u32]>,
    distances: Arc<[u32]>,
}

impl TravelTable {
    /// Takes flat row-major tables of `size × size` values without copying them.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the table whose length is not `size²`.
    pub fn new(size: usize, durations: Arc<[u32]>, distances: Arc<[u32]>) -> Result<Self> {
        let cells = size.checked_mul(size);
        let mut errors = Vec::new();
        for (name, table) in [("durations", &durations), ("distances", &distances)] {
            if Some(table.len()) != cells {
                errors.push(FieldError {
                    path: name.into(),
                    message: format!("has {} values, expected {size}×{size}", table.len()),
                });
            }
        }
        if errors.is_empty() {
            Ok(TravelTable {
                size,
                durations,
                distances,
            })
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// Builds the tables from nested rows, as JSON gives them.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming every row that is missing or of the wrong length
    /// (`distances[3]`).
    pub fn from_rows(durations: &[Vec<u32>], distances: &[Vec<u32>]) -> Result<Self> {
        let size = durations.len();
        let mut errors = Vec::new();
        for (name, rows) in [("durations", durations), ("distances", distances)] {
            if rows.len() != size {
                errors.push(FieldError {
                    path: name.into(),
                    message: format!(
                        "has {} rows, expected {size} (the rows of durations)",
                        rows.len()
                    ),
                });
            }
            for (r, row) in rows.iter().enumerate() {
                if row.len() != size {
                    errors.push(FieldError {
                        path: format!("{name}[{r}]"),
                        message: format!(
                            "has {} columns, the matrix is not square ({size} rows)",
                            row.len()
                        ),
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        TravelTable::new(size, flat(durations), flat(distances))
    }

    /// Builds the tables from a function of (from, to) giving (seconds, metres).
    pub fn from_fn(size: usize, mut travel: impl FnMut(usize, usize) -> (u32, u32)) -> Self {
        let mut durations = Vec::with_capacity(size * size);
        let mut distances = Vec::with_capacity(size * size);
        for from in 0..size {
            for to in 0..size {
                let (duration, distance) = travel(from, to);
                durations.push(duration);
                distances.push(distance);
            }
        }
        TravelTable {
            size,
            durations: durations.into(),
            distances: distances.into(),
        }
    }

    /// Number of places (rows, and columns).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Travel time from place `from` to place `to`.
    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> u32 {
        self.durations[from * self.size + to]
    }

    /// Distance from place `from` to place `to`.
    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> u32 {
        self.distances[from * self.size + to]
    }

    /// The size and the shared duration and distance cells, for the search's own view.
    pub(crate) fn parts(&self) -> (usize, Arc<[u32]>, Arc<[u32]>) {
        (self.size, self.durations.clone(), self.distances.clone())
    }
}

/// Nested rows as one flat slice, allocated once.
fn flat(rows: &[Vec<u32>]) -> Arc<[u32]> {
    let cells = rows.iter().map(Vec::len).sum();
    let mut values = rows.iter().flatten().copied();
    std::iter::repeat_with(|| values.next().unwrap_or(0))
        .take(cells)
        .collect()
}

/// The travel matrices of one routing profile over a problem's locations: a shared
/// [`TravelTable`] and, for each location, its row in the table. A location the table does
/// not hold (a place units of this profile never serve) is [`UNREACHABLE`] from everywhere.
///
/// Every profile of a problem covers the same locations, so a [`LocationIdx`] means the same
/// place whichever vehicle goes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NestedMatrices", into = "NestedMatrices")]
pub struct Profile {
    table: TravelTable,
    /// Each location's row, when the locations are not the table's places in its order (the
    /// search reads travel in its innermost loops, so the common identity costs no lookup).
    rows: Option<Vec<u32>>,
}

impl Profile {
    /// A profile whose locations are the table's places, in its order.
    pub fn new(table: TravelTable) -> Self {
        Profile { table, rows: None }
    }

    /// A profile over a table: location `i` is the table's place `rows[i]`, or outside it when
    /// `None`.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a row beyond the table.
    pub fn mapped(table: TravelTable, rows: &[Option<usize>]) -> Result<Self> {
        let size = table.size();
        let errors: Vec<FieldError> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.is_some_and(|r| r >= size))
            .map(|(i, row)| FieldError {
                path: format!("rows[{i}]"),
                message: format!("{row:?} is beyond the table's {size} places"),
            })
            .collect();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let rows = rows
            .iter()
            .map(|row| row.map_or(OUTSIDE, |r| r as u32))
            .collect();
        Ok(Profile {
            table,
            rows: Some(rows),
        })
    }

    /// Number of locations.
    pub fn len(&self) -> usize {
        self.rows.as_ref().map_or(self.table.size(), Vec::len)
    }

    /// Whether the profile has no location at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the table holds `at` (a place units of this profile may be sent to).
    pub fn holds(&self, at: LocationIdx) -> bool {
        match &self.rows {
            None => at.get() < self.table.size(),
            Some(rows) => rows.get(at.get()).is_some_and(|&r| r != OUTSIDE),
        }
    }

    /// Travel time from `from` to `to`; the caller has validated both indices.
    #[inline]
    pub fn duration(&self, from: LocationIdx, to: LocationIdx) -> Duration {
        Duration(i64::from(self.seconds(from.0, to.0)))
    }

    /// Distance from `from` to `to`; the caller has validated both indices.
    #[inline]
    pub fn distance(&self, from: LocationIdx, to: LocationIdx) -> Distance {
        Distance(i64::from(self.metres(from.0, to.0)))
    }

    /// Travel time between two locations given as bare indices, for the search's hot loops.
    #[inline]
    pub(crate) fn seconds(&self, from: u32, to: u32) -> u32 {
        match self.rows(from, to) {
            Some((a, b)) => self.table.duration(a, b),
            None => UNREACHABLE,
        }
    }

    /// Distance between two locations given as bare indices, for the search's hot loops.
    #[inline]
    pub(crate) fn metres(&self, from: u32, to: u32) -> u32 {
        match self.rows(from, to) {
            Some((a, b)) => self.table.distance(a, b),
            None => UNREACHABLE,
        }
    }

    /// The table's rows of two locations; none when the table does not hold one of them.
    fn rows(&self, from: u32, to: u32) -> Option<(usize, usize)> {
        Some((self.row(from)?, self.row(to)?))
    }

    /// The shared table.
    pub(crate) fn table(&self) -> &TravelTable {
        &self.table
    }

    /// The table's row of location `at`; none when the table does not hold it.
    pub(crate) fn row(&self, at: u32) -> Option<usize> {
        match &self.rows {
            None => Some(at as usize),
            Some(rows) => Some(rows[at as usize])
                .filter(|&r| r != OUTSIDE)
                .map(|r| r as usize),
        }
    }
}

/// The JSON form of a profile: nested rows over the problem's locations.
#[derive(Clone, Serialize, Deserialize)]
struct NestedMatrices {
    durations: Vec<Vec<u32>>,
    distances: Vec<Vec<u32>>,
}

impl TryFrom<NestedMatrices> for Profile {
    type Error = Error;

    fn try_from(nested: NestedMatrices) -> Result<Self> {
        TravelTable::from_rows(&nested.durations, &nested.distances).map(Profile::new)
    }
}

impl From<Profile> for NestedMatrices {
    fn from(profile: Profile) -> Self {
        let n = profile.len() as u32;
        NestedMatrices {
            durations: (0..n)
                .map(|a| (0..n).map(|b| profile.seconds(a, b)).collect())
                .collect(),
            distances: (0..n)
                .map(|a| (0..n).map(|b| profile.metres(a, b)).collect())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_the_wrong_length_names_it() {
        let err = TravelTable::new(2, vec![0; 4].into(), vec![0; 3].into()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid problem: distances: has 3 values, expected 2×2"
        );
    }

    #[test]
    fn ragged_rows_are_named() {
        let err = TravelTable::from_rows(&[vec![0, 1], vec![1]], &[vec![0, 1]]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("durations[1]: has 1 columns"), "{text}");
        assert!(text.contains("distances: has 1 rows, expected 2"), "{text}");
    }

    #[test]
    fn a_mapped_profile_reads_the_shared_table_and_marks_the_rest_unreachable() {
        let table = TravelTable::from_fn(2, |a, b| (10 * (a + 1) as u32 * u32::from(a != b), 7));
        let profile = Profile::mapped(table.clone(), &[Some(1), None, Some(0)]).unwrap();
        assert_eq!(profile.len(), 3);
        assert_eq!(
            profile.duration(LocationIdx(0), LocationIdx(2)),
            Duration(20)
        );
        assert_eq!(
            profile.duration(LocationIdx(2), LocationIdx(0)),
            Duration(10)
        );
        assert_eq!(
            profile.distance(LocationIdx(0), LocationIdx(0)),
            Distance(7)
        );
        assert_eq!(
            profile.duration(LocationIdx(0), LocationIdx(1)),
            Duration(i64::from(UNREACHABLE))
        );
        assert!(profile.holds(LocationIdx(2)) && !profile.holds(LocationIdx(1)));
        assert!(Profile::mapped(table, &[Some(2)]).is_err());
    }

    #[test]
    fn json_round_trip_expands_the_rows() {
        let table = TravelTable::from_fn(2, |a, b| (a as u32 * 3 + b as u32, 1));
        let profile = Profile::mapped(table, &[Some(1), Some(0)]).unwrap();
        let json = serde_json::to_value(&profile).unwrap();
        assert_eq!(json["durations"], serde_json::json!([[4, 3], [1, 0]]));
        let back: Profile = serde_json::from_value(json).unwrap();
        assert_eq!(back.duration(LocationIdx(0), LocationIdx(1)), Duration(3));
    }
}
