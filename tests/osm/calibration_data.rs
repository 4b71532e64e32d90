//! Comparing car travel times and distances with OSRM's reference tables of
//! `../shared/bench/routing/`: shared by the calibration benchmark and the calibration test.
//!
//! Routing is compared, not snapping: both sides start from the places OSRM snapped the points
//! to. Cells where OSRM reports zero (two points snapped to the same place) have no ratio and
//! are left out, as is the diagonal.

use std::io::Read;
use std::path::{Path, PathBuf};

use osm_data::geo::Coord;
use osm_data::router::Router;
use serde::Deserialize;

/// The two reference tables: (name, file, extract).
pub const REFERENCES: [(&str, &str, &str); 2] = [
    ("malta", "osrm-car-malta-1000.json.gz", "malta-2016.osm.pbf"),
    (
        "andorra",
        "osrm-car-andorra-1000.json.gz",
        "andorra-2021.osm.pbf",
    ),
];

/// Farthest a snapped OSRM place may lie from our car network, metres: both networks are the
/// same roads, so anything farther is a road OSRM's profile keeps and ours does not.
pub const SNAP_LIMIT_M: f64 = 100.0;

/// One OSRM table as stored (see the README beside the files).
#[derive(Deserialize)]
pub struct OsrmTable {
    /// Per point: `[lat, lon, snap distance]` of OSRM's place on the road.
    pub snapped: Vec<[f64; 3]>,
    /// Travel times, seconds; `null` where OSRM found no route.
    pub durations_s: Vec<Vec<Option<f64>>>,
    /// Road distances, metres.
    pub distances_m: Vec<Vec<Option<f64>>>,
}

/// The shared data folder beside the repository (this file is compiled from the workspace
/// root and from `osm-data/`), or `None` when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [manifest.join("../shared"), manifest.join("../../shared")]
        .into_iter()
        .find(|dir| dir.join("bench/routing").exists() && dir.join("osm").exists())
}

/// The folder of the reference tables, or `None` when absent.
pub fn reference_dir() -> Option<PathBuf> {
    shared_dir().map(|dir| dir.join("bench/routing"))
}

/// Reads a gzip-compressed OSRM table.
pub fn read_table(path: &Path) -> OsrmTable {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Distribution of tournée / OSRM over the compared cells.
#[derive(Clone, Copy, Debug)]
pub struct Ratios {
    /// Cells compared.
    pub cells: usize,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Share of cells with a ratio in 0.8..=1.2.
    pub within_20: f64,
}

impl Ratios {
    fn of(mut ratios: Vec<f64>) -> Self {
        ratios.sort_by(f64::total_cmp);
        let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
        let within = ratios.iter().filter(|r| (0.8..=1.2).contains(*r)).count();
        Ratios {
            cells: ratios.len(),
            p10: at(0.1),
            median: at(0.5),
            p90: at(0.9),
            within_20: within as f64 / ratios.len() as f64,
        }
    }
}

/// The comparison of one extract: durations and distances, with the points our network could
/// not place within [`SNAP_LIMIT_M`] (their rows and columns are left out).
pub struct Calibration {
    /// tournée / OSRM travel times.
    pub durations: Ratios,
    /// tournée / OSRM distances.
    pub distances: Ratios,
    /// Points OSRM placed on a road that the car profile does not keep.
    pub unplaced: usize,
}

/// Routes `router` between OSRM's snapped places and compares every off-diagonal cell.
pub fn compare(router: &Router, table: &OsrmTable) -> Calibration {
    let places: Vec<Coord> = table
        .snapped
        .iter()
        .map(|p| Coord::new(p[0], p[1]))
        .collect();
    let mut kept = Vec::new();
    let mut snaps = Vec::new();
    for (i, place) in places.iter().enumerate() {
        if let Ok(snap) = router.snap(std::slice::from_ref(place), SNAP_LIMIT_M) {
            kept.push(i);
            snaps.extend(snap);
        }
    }
    let matrix = router.matrix(&snaps, &snaps).expect("one component");
    let (mut durations, mut distances) = (Vec::new(), Vec::new());
    for (a, &i) in kept.iter().enumerate() {
        for (b, &j) in kept.iter().enumerate() {
            if i == j {
                continue;
            }
            if let Some(osrm) = table.durations_s[i][j].filter(|d| *d > 0.0) {
                durations.push(f64::from(matrix.duration_s(a, b)) / osrm);
            }
            if let Some(osrm) = table.distances_m[i][j].filter(|d| *d > 0.0) {
                distances.push(f64::from(matrix.distance_m(a, b)) / osrm);
            }
        }
    }
    Calibration {
        durations: Ratios::of(durations),
        distances: Ratios::of(distances),
        unplaced: places.len() - kept.len(),
    }
}
