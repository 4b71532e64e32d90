//! Bad files give clear errors, never a panic.

use std::path::Path;

use osm_data::Error;
use osm_data::extract::OsmExtract;
use osm_data::graph::RoadGraph;
use osm_data::pois::read_pois;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;

use crate::support::{fixture, shared_osm};

fn read(path: &Path) -> Result<OsmExtract, Error> {
    OsmExtract::read(path, &Silent)
}

fn scratch_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    file
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = read(Path::new("/nonexistent/extract.osm.pbf")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/extract.osm.pbf"));
}

#[test]
fn an_empty_file_holds_no_data() {
    let file = scratch_file(b"");
    let err = read(file.path()).unwrap_err();
    assert!(matches!(err, Error::EmptyExtract { .. }), "{err:?}");
}

#[test]
fn a_text_file_is_not_pbf() {
    let file = scratch_file(b"<?xml version='1.0'?>\n<osm version=\"0.6\">\n</osm>\n");
    let err = read(file.path()).unwrap_err();
    assert!(matches!(err, Error::NotPbf { .. }), "{err:?}");
    assert!(read_pois(file.path(), &Silent).is_err());
}

#[test]
fn truncated_files_are_reported_corrupt() {
    let Some(path) = shared_osm("malta-2016.osm.pbf") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    for fraction in [0.003, 0.25, 0.5, 0.9] {
        let cut = (bytes.len() as f64 * fraction) as usize;
        let file = scratch_file(&bytes[..cut]);
        let err = read(file.path()).unwrap_err();
        assert!(
            matches!(err, Error::CorruptPbf { .. }),
            "cut at {cut}: {err:?}"
        );
    }
}

#[test]
fn corrupted_bytes_are_reported_never_panic() {
    let Some(path) = shared_osm("monaco-2020.osm.pbf") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    for position in [200, 5_000, 100_000, 250_000, 400_000] {
        let mut damaged = bytes.clone();
        for b in &mut damaged[position..position + 16] {
            *b ^= 0x5a;
        }
        let file = scratch_file(&damaged);
        let err = read(file.path()).unwrap_err();
        assert!(
            matches!(err, Error::CorruptPbf { .. } | Error::NotPbf { .. }),
            "at {position}: {err:?}"
        );
    }
}

#[test]
fn an_extract_without_roads_says_so() {
    let path = fixture("no-roads.osm.pbf");
    let extract = read(&path).unwrap();
    for kind in ProfileKind::ALL {
        let err = RoadGraph::build(&extract, &Profile::new(kind), &Silent).unwrap_err();
        assert!(
            matches!(err, Error::NoRoads { profile, .. } if profile == kind),
            "{err:?}"
        );
    }
}

#[test]
fn an_invalid_profile_names_its_field() {
    let extract = read(&fixture("village.osm.pbf")).unwrap();
    let mut bus = Profile::new(ProfileKind::Bus);
    bus.weight_t = f64::NAN;
    let err = RoadGraph::build(&extract, &bus, &Silent).unwrap_err();
    assert!(err.to_string().contains("weight_t"), "{err}");
}
