//! `tournee matrix`: travel times and distances between the points of a CSV file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use osm_data::geo::Coord;
use osm_data::matrix::TravelMatrix;
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CacheArgs, ProfileArgs, load_router};
use crate::error::{Error, Result};

/// Output formats of `tournee matrix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    /// One object with the ids and two square arrays (seconds, metres).
    Json,
    /// One row per pair: from,to,duration_s,distance_m.
    Csv,
}

/// Arguments of `tournee matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// The vehicle profile and its overrides.
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
    /// CSV file with a header and `id,lat,lon` rows.
    #[arg(long, value_name = "FILE")]
    pub points: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Json)]
    pub format: MatrixFormat,
    /// Farthest a point may lie from a usable road, metres.
    #[arg(long, value_name = "M", default_value_t = DEFAULT_SNAP_LIMIT_M)]
    pub snap_limit: f64,
}

/// A row of the points file.
#[derive(Debug, Deserialize)]
struct PointRow {
    id: String,
    lat: f64,
    lon: f64,
}

/// How far a point was moved to reach the road.
#[derive(Serialize)]
struct SnapReport<'a> {
    id: &'a str,
    lat: f64,
    lon: f64,
    snap_distance_m: f64,
}

/// The JSON output.
#[derive(Serialize)]
struct MatrixJson<'a> {
    profile: String,
    ids: Vec<&'a str>,
    durations_s: Vec<&'a [u32]>,
    distances_m: Vec<&'a [u32]>,
    snapped: Vec<SnapReport<'a>>,
}

/// Reads `id,lat,lon` rows.
fn read_points(path: &Path) -> Result<Vec<PointRow>> {
    let points_error = |reason: String| Error::PointsFile {
        path: path.to_owned(),
        reason,
    };
    let mut reader = territory::files::csv_reader(path, points_error)?;
    let rows = reader
        .deserialize::<PointRow>()
        .map(|row| row.map_err(|e| points_error(e.to_string())))
        .collect::<Result<Vec<_>>>()?;
    if rows.is_empty() {
        return Err(points_error(
            "no point: expected a header and id,lat,lon rows".into(),
        ));
    }
    Ok(rows)
}

/// Runs `tournee matrix`.
pub fn run(args: &MatrixArgs, out: &mut impl Write) -> Result<()> {
    let points = read_points(&args.points)?;
    let profile = args.profile.profile();
    let (router, _) = load_router(&args.extract, &profile, &args.cache)?;
    let coords: Vec<Coord> = points.iter().map(|p| Coord::new(p.lat, p.lon)).collect();
    let snaps = router
        .snap(&coords, args.snap_limit)
        .map_err(|e| name_point(e, &args.points, &points))?;
    let matrix = router.matrix(&snaps, &snaps)?;
    match args.format {
        MatrixFormat::Json => {
            let width = matrix.targets().max(1);
            let json = MatrixJson {
                profile: profile.kind.to_string(),
                ids: points.iter().map(|p| p.id.as_str()).collect(),
                durations_s: matrix.durations().chunks(width).collect(),
                distances_m: matrix.distances().chunks(width).collect(),
                snapped: points
                    .iter()
                    .zip(&snaps)
                    .map(|(p, s)| SnapReport {
                        id: &p.id,
                        lat: s.point.lat,
                        lon: s.point.lon,
                        snap_distance_m: (s.distance_m * 10.0).round() / 10.0,
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &json).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        MatrixFormat::Csv => write_csv(&points, &matrix, out)?,
    }
    Ok(())
}

/// Writes one `from,to,duration_s,distance_m` row per pair, after a header. A million rows for
/// 1,000 points: each id is quoted once, as the `csv` crate quotes a field, and the rows of each
/// source are formatted into one buffer (`itoa` for the numbers), sources on every core a block
/// at a time, then written in order; going through the `csv` crate field by field took most of
/// the process's time after the matrix.
fn write_csv(points: &[PointRow], matrix: &TravelMatrix, out: &mut impl Write) -> Result<()> {
    let ids: Vec<&str> = points.iter().map(|p| p.id.as_str()).collect();
    write_csv_rows(&ids, matrix.durations(), matrix.distances(), out)
}

/// Sources whose rows are formatted at once, in parallel, before being written: enough to
/// share out between the cores, few enough that their text (about 17 kB a source for 1,000
/// points) stays small.
const SOURCES_PER_BLOCK: usize = 64;

/// [`write_csv`] on row-major arrays of `ids.len()` columns.
fn write_csv_rows(
    ids: &[&str],
    durations: &[u32],
    distances: &[u32],
    out: &mut impl Write,
) -> Result<()> {
    let quoted = ids
        .iter()
        .map(|id| csv_field(id))
        .collect::<Result<Vec<_>>>()?;
    out.write_all(b"from,to,duration_s,distance_m\n")?;
    let width = ids.len().max(1);
    let sources: Vec<_> = quoted
        .iter()
        .zip(durations.chunks(width).zip(distances.chunks(width)))
        .collect();
    for block in sources.chunks(SOURCES_PER_BLOCK) {
        let texts: Vec<Vec<u8>> = block
            .par_iter()
            .map(|(from, (durations, distances))| source_rows(from, &quoted, durations, distances))
            .collect();
        for text in &texts {
            out.write_all(text)?;
        }
    }
    Ok(())
}

/// The rows of one source (`from`, quoted) to every target.
fn source_rows(from: &[u8], targets: &[Vec<u8>], durations: &[u32], distances: &[u32]) -> Vec<u8> {
    let mut rows = Vec::with_capacity(targets.len() * (from.len() + 24));
    let mut number = itoa::Buffer::new();
    for (to, (&duration, &distance)) in targets.iter().zip(durations.iter().zip(distances)) {
        rows.extend_from_slice(from);
        rows.push(b',');
        rows.extend_from_slice(to);
        rows.push(b',');
        rows.extend_from_slice(number.format(duration).as_bytes());
        rows.push(b',');
        rows.extend_from_slice(number.format(distance).as_bytes());
        rows.push(b'\n');
    }
    rows
}

/// `field` as the `csv` crate writes it inside a record: quoted only when it must be (a
/// one-field record of it, less its line end; an empty field, which alone in a record would be
/// quoted, is written empty among others).
fn csv_field(field: &str) -> Result<Vec<u8>> {
    if field.is_empty() {
        return Ok(Vec::new());
    }
    let csv_error = |e: csv::Error| Error::Output(std::io::Error::other(e));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([field]).map_err(csv_error)?;
    let mut record = writer
        .into_inner()
        .map_err(|e| Error::Output(std::io::Error::other(e.to_string())))?;
    record.pop();
    Ok(record)
}

/// Names the point an osm-data error is about by its id in the points file.
fn name_point(error: osm_data::Error, path: &Path, points: &[PointRow]) -> Error {
    let index = match &error {
        osm_data::Error::TooFarFromRoad { index, .. }
        | osm_data::Error::InvalidCoordinate { index, .. } => Some(*index),
        _ => None,
    };
    match index.and_then(|i| points.get(i)) {
        Some(point) => Error::Point {
            path: path.to_owned(),
            id: point.id.clone(),
            source: error,
        },
        None => Error::Osm(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-made rows against the `csv` crate, on ids that need quoting, and on more
    /// sources than one block so that the blocks' order is checked too.
    #[test]
    fn csv_rows_are_what_the_csv_crate_writes() {
        let tricky = ["A", "with,comma", "say \"hi\"", "", "line\nbreak", "é"];
        let many: Vec<String> = (0..2 * SOURCES_PER_BLOCK + 7)
            .map(|k| tricky[k % tricky.len()].to_owned() + &k.to_string())
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for ids in [&tricky[..], &many] {
            let n = ids.len();
            let durations: Vec<u32> = (0..n * n).map(|k| (k * 977 % 4_000_000) as u32).collect();
            let distances: Vec<u32> = (0..n * n)
                .map(|k| (k as u32).wrapping_mul(1_000_003))
                .collect();
            let mut fast = Vec::new();
            write_csv_rows(ids, &durations, &distances, &mut fast).unwrap();

            let mut reference = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            reference
                .write_record(["from", "to", "duration_s", "distance_m"])
                .unwrap();
            for i in 0..n {
                for j in 0..n {
                    let row = (ids[i], ids[j], durations[i * n + j], distances[i * n + j]);
                    reference.serialize(row).unwrap();
                }
            }
            let reference = reference.into_inner().unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(reference).unwrap()
            );
        }
    }
}
