//! The graph cache: reused while extract and profile are unchanged, rebuilt otherwise, never
//! trusted when damaged.

use std::path::Path;

use osm_data::cache::CacheMiss;
use osm_data::import::{CachePolicy, CacheStatus, ImportReport, import, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::Router;

use crate::support::{fixture, sample_snaps, shared_osm};

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
    // Counted during the build, then from the file on loading.
    assert_eq!(first.shortcuts, second.shortcuts);
    assert!(first.shortcuts > 0);
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

/// The mappings of this process (Linux `/proc/self/maps`): one line per mapping, the mapped
/// file's path last.
fn mapped_files() -> String {
    std::fs::read_to_string("/proc/self/maps").unwrap_or_default()
}

/// An import that builds a graph writes each part of the router to the cache file as soon as
/// it is built and serves it from there, as a load does: the router it returns reads the file
/// in place instead of holding its own copy (before, a built router held every array in memory
/// and the file was only written).
#[test]
fn a_built_router_reads_its_parts_in_place_from_the_cache_file() {
    if !Path::new("/proc/self/maps").exists() {
        eprintln!("skipped: no /proc/self/maps");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    let car = Profile::new(ProfileKind::Car);
    let (built, report) = import_into(dir.path(), &extract, &car);
    let file = cached_file(&report);
    let name = file.to_str().unwrap();
    assert!(
        mapped_files().lines().any(|l| l.ends_with(name)),
        "{name} is not mapped by the process"
    );
    drop(built);
    assert!(
        !mapped_files().lines().any(|l| l.ends_with(name)),
        "{name} is still mapped once the router is dropped"
    );
}

/// Resident kilobytes of the mapping of `path` in this process (Linux `/proc/self/smaps`), or
/// `None` if it is not mapped.
fn resident_kib(path: &str) -> Option<u64> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
    let mut lines = smaps.lines().skip_while(|l| !l.ends_with(path));
    lines.next()?;
    lines
        .find_map(|l| l.strip_prefix("Rss:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Loading checks the whole file's checksum, which brings every page in; they are handed back
/// once the router is read, so that a router loaded from its file holds what its searches
/// touch, as one just built does (before, a service started from Malta 8 × 8's caches kept
/// all 2.99 GB of them resident: `benches/README.md`, "Region scale").
#[test]
fn a_loaded_router_does_not_keep_the_whole_file_resident() {
    let Some(extract) = shared_osm("malta-2016.osm.pbf") else {
        return;
    };
    if !Path::new("/proc/self/smaps").exists() {
        eprintln!("skipped: no /proc/self/smaps");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let car = Profile::new(ProfileKind::Car);
    drop(import_into(dir.path(), &extract, &car));
    let (loaded, report) = import_into(dir.path(), &extract, &car);
    assert!(matches!(report.cache, CacheStatus::Loaded { .. }));
    let file = cached_file(&report);
    let file_kib = std::fs::metadata(&file).unwrap().len() / 1024;
    let resident = resident_kib(file.to_str().unwrap()).expect("the cache file is mapped");
    assert!(
        resident < file_kib / 2,
        "{resident} KiB of the {file_kib} KiB file resident after the load"
    );
    assert!(loaded.graph().node_count() > 0);
}

/// A router prepared part by part through the cache file (or, without a cache, through a
/// temporary file) answers exactly as one prepared in memory, and so does the cache file once
/// loaded: same snaps, same matrix, same routes.
#[test]
fn a_router_prepared_through_a_file_answers_as_one_prepared_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    for kind in [ProfileKind::Car, ProfileKind::Bus, ProfileKind::Triporteur] {
        let profile = Profile::new(kind);
        let read = osm_data::extract::OsmExtract::read(&extract, &Silent).unwrap();
        let graph = osm_data::graph::RoadGraph::build(&read, &profile, &Silent).unwrap();
        let in_memory = Router::new(graph, &Silent);
        let (built, _) = import_into(dir.path(), &extract, &profile);
        let (loaded, report) = import_into(dir.path(), &extract, &profile);
        assert!(matches!(report.cache, CacheStatus::Loaded { .. }));
        let (uncached, report) =
            import_profile(&extract, &profile, &CachePolicy::Disabled, &Silent).unwrap();
        assert_eq!(report.cache, CacheStatus::Uncached);
        let snaps = sample_snaps(&in_memory, 20, 7);
        // Points off the roads, each a little north-east of a snapped one.
        let off: Vec<_> = snaps
            .iter()
            .map(|s| osm_data::geo::Coord::new(s.point.lat + 3e-4, s.point.lon + 2e-4))
            .collect();
        let snapped = in_memory.snap(&off, 10_000.0).unwrap();
        let expected = in_memory.matrix(&snaps, &snaps).unwrap();
        for (what, router) in [
            ("built", &built),
            ("loaded", &loaded),
            ("uncached", &uncached),
        ] {
            assert_eq!(
                router.snap(&off, 10_000.0).unwrap(),
                snapped,
                "{kind} {what}"
            );
            assert_eq!(
                router.matrix(&snaps, &snaps).unwrap(),
                expected,
                "{kind} {what}"
            );
            let route = router.route(&snaps[0], &snaps[1]).unwrap();
            let reference = in_memory.route(&snaps[0], &snaps[1]).unwrap();
            assert_eq!(route, reference, "{kind} {what}");
            assert_eq!(
                router.hierarchy().arc_count(),
                in_memory.hierarchy().arc_count(),
                "{kind} {what}"
            );
        }
    }
}

/// Several profiles imported together (one read of the extract, each graph written to its
/// file before the next is built) give the graphs, hierarchies and cache files that one
/// import per profile gives.
#[test]
fn several_profiles_imported_together_equal_one_by_one_imports() {
    let together = tempfile::tempdir().unwrap();
    let apart = tempfile::tempdir().unwrap();
    let extract = fixture("village.osm.pbf");
    let profiles: Vec<Profile> = ProfileKind::ALL.iter().map(|k| Profile::new(*k)).collect();
    let cache = CachePolicy::Directory(together.path().to_owned());
    let imported = import(&extract, &profiles, &cache, &Silent).unwrap();
    for ((router, report), profile) in imported.iter().zip(&profiles) {
        let (alone, alone_report) = import_into(apart.path(), &extract, profile);
        let mut graph = report.graph.clone();
        let mut alone_graph = alone_report.graph.clone();
        for g in [&mut graph, &mut alone_graph] {
            g.build_time = Default::default();
            g.turn_time = Default::default();
        }
        assert_eq!(graph, alone_graph, "{}", profile.kind);
        assert_eq!(report.shortcuts, alone_report.shortcuts, "{}", profile.kind);
        let file = cached_file(report);
        assert_eq!(
            file.file_name(),
            cached_file(&alone_report).file_name(),
            "{}",
            profile.kind
        );
        let snaps = sample_snaps(&alone, 12, 3);
        assert_eq!(
            router.matrix(&snaps, &snaps).unwrap(),
            alone.matrix(&snaps, &snaps).unwrap(),
            "{}",
            profile.kind
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            std::fs::metadata(cached_file(&alone_report)).unwrap().len(),
            "{}",
            profile.kind
        );
    }
}
