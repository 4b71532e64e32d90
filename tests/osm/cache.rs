//! The graph cache: reused while extract and profile are unchanged, rebuilt otherwise, never
//! trusted when damaged.

use std::path::Path;

use osm_data::cache::CacheMiss;
use osm_data::import::{CachePolicy, CacheStatus, ImportReport, import, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::Router;

use crate::support::{fixture, sample_snaps};

fn import_into(dir: &Path, extract: &Path, profile: &Profile) -> (Router, ImportReport) {
    let cache = CachePolicy::Directory(dir.to_owned());
    import_profile(extract, profile, &cache, &Silent).unwrap()
}

fn cached_file(report: &ImportReport) -> std::path::PathBuf {
    match &report.cache {
        CacheStatus::Loaded { path } | CacheStatus::Built { path, .. } => path.clone(),
        status => panic!("expected a cache file, got {status:?}"),
    }
}

#[test]
fn a_cached_graph_is_reused_and_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    let bus = Profile::new(ProfileKind::Bus);
    let (built, first) = import_into(dir.path(), &extract, &bus);
    assert!(
        matches!(
            first.cache,
            CacheStatus::Built {
                miss: CacheMiss::Absent,
                ..
            }
        ),
        "{:?}",
        first.cache
    );
    let (loaded, second) = import_into(dir.path(), &extract, &bus);
    assert!(
        matches!(second.cache, CacheStatus::Loaded { .. }),
        "{:?}",
        second.cache
    );
    assert_eq!(first.graph, second.graph);
    let snaps = sample_snaps(&built, 15, 1);
    assert_eq!(
        built.matrix(&snaps, &snaps).unwrap(),
        loaded.matrix(&snaps, &snaps).unwrap()
    );
}

/// A loaded graph's arrays lie in the mapped cache file: the router must keep answering the
/// same while another import replaces that file (renamed over it) or the file is deleted.
#[test]
fn a_loaded_graph_outlives_its_cache_file() {
    let dir = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    let car = Profile::new(ProfileKind::Car);
    let (built, first) = import_into(dir.path(), &extract, &car);
    let (loaded, second) = import_into(dir.path(), &extract, &car);
    assert!(matches!(second.cache, CacheStatus::Loaded { .. }));
    let snaps = sample_snaps(&built, 15, 2);
    let expected = built.matrix(&snaps, &snaps).unwrap();

    let file = cached_file(&first);
    std::fs::remove_file(&file).unwrap();
    let (_, rebuilt) = import_into(dir.path(), &extract, &car);
    assert!(matches!(rebuilt.cache, CacheStatus::Built { .. }));
    assert_eq!(loaded.matrix(&snaps, &snaps).unwrap(), expected);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(loaded.matrix(&snaps, &snaps).unwrap(), expected);
    let points: Vec<_> = snaps.iter().map(|s| s.point).collect();
    assert_eq!(
        loaded.snap(&points, 1.0).unwrap(),
        built.snap(&points, 1.0).unwrap()
    );
}

#[test]
fn another_profile_or_extract_is_built_anew() {
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("territory.osm.pbf");
    std::fs::copy(fixture("village.osm.pbf"), &extract).unwrap();
    let bus = Profile::new(ProfileKind::Bus);
    let (_, first) = import_into(dir.path(), &extract, &bus);
    let mut low_bus = bus.clone();
    low_bus.height_m = 2.9;
    let (_, other_profile) = import_into(dir.path(), &extract, &low_bus);
    assert!(matches!(other_profile.cache, CacheStatus::Built { .. }));
    assert_ne!(cached_file(&first), cached_file(&other_profile));
    assert!(
        other_profile.graph.usable_ways > first.graph.usable_ways,
        "the low bus may cross the bridge"
    );
    // The same path, other content: rebuilt, and the graph is the new extract's.
    std::fs::copy(fixture("no-roads.osm.pbf"), &extract).unwrap();
    let err = import_profile(
        &extract,
        &bus,
        &CachePolicy::Directory(dir.path().to_owned()),
        &Silent,
    );
    assert!(matches!(err, Err(osm_data::Error::NoRoads { .. })));
}

#[test]
fn damaged_or_foreign_cache_files_are_detected_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    let car = Profile::new(ProfileKind::Car);
    let (_, first) = import_into(dir.path(), &extract, &car);
    let file = cached_file(&first);
    let good = std::fs::read(&file).unwrap();

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    let damages: [(&str, Vec<u8>); 4] = [
        ("flipped byte", flipped),
        ("truncated", good[..good.len() - 7].to_vec()),
        ("not a graph", b"hello".to_vec()),
        (
            "other version",
            [&good[..16], &999u32.to_le_bytes(), &good[20..]].concat(),
        ),
    ];
    for (what, bytes) in damages {
        std::fs::write(&file, &bytes).unwrap();
        let (_, report) = import_into(dir.path(), &extract, &car);
        match (&report.cache, what) {
            (
                CacheStatus::Built {
                    miss: CacheMiss::OtherVersion(999),
                    ..
                },
                "other version",
            ) => {}
            (
                CacheStatus::Built {
                    miss: CacheMiss::Corrupt(_),
                    ..
                },
                _,
            ) if what != "other version" => {}
            (status, _) => panic!("{what}: {status:?}"),
        }
        assert_eq!(report.graph.segments, first.graph.segments, "{what}");
        let (_, reread) = import_into(dir.path(), &extract, &car);
        assert!(
            matches!(reread.cache, CacheStatus::Loaded { .. }),
            "{what}: the file is rewritten"
        );
    }
}

#[test]
fn several_profiles_share_one_read_of_the_extract() {
    let dir = tempfile::tempdir().unwrap();
    let profiles: Vec<Profile> = ProfileKind::ALL.iter().map(|k| Profile::new(*k)).collect();
    let cache = CachePolicy::Directory(dir.path().to_owned());
    let imported = import(&fixture("village.osm.pbf"), &profiles, &cache, &Silent).unwrap();
    assert_eq!(imported.len(), ProfileKind::ALL.len());
    for ((router, report), profile) in imported.iter().zip(&profiles) {
        assert_eq!(router.graph().profile(), profile);
        assert!(matches!(report.cache, CacheStatus::Built { .. }));
    }
    let again = import(&fixture("village.osm.pbf"), &profiles, &cache, &Silent).unwrap();
    assert!(
        again
            .iter()
            .all(|(_, r)| matches!(r.cache, CacheStatus::Loaded { .. }) && r.read_time.is_zero())
    );
}

#[test]
fn a_read_only_cache_does_not_stop_the_import() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the cache directory should be: nothing can be written under it.
    let blocked = dir.path().join("not-a-directory");
    std::fs::write(&blocked, b"").unwrap();
    let cache = CachePolicy::Directory(blocked);
    let (router, report) = import_profile(
        &fixture("village.osm.pbf"),
        &Profile::new(ProfileKind::Car),
        &cache,
        &Silent,
    )
    .unwrap();
    assert!(
        matches!(report.cache, CacheStatus::NotSaved { .. }),
        "{:?}",
        report.cache
    );
    assert!(router.graph().node_count() > 0);
}
