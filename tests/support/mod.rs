//! Shared test helpers: locating data, building routers once, sampling points.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use osm_data::extract::OsmExtract;
use osm_data::geo::Coord;
use osm_data::graph::RoadGraph;
use osm_data::import::{CachePolicy, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use osm_data::snap::Snap;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Every extract of `../shared/osm/`.
pub const EXTRACTS: [&str; 7] = [
    "fr-saint-barthelemy-2014.osm.pbf",
    "fr-paris-bss.osm.pbf",
    "monaco-2020.osm.pbf",
    "andorra-2021.osm.pbf",
    "liechtenstein-2021.osm.pbf",
    "malta-2016.osm.pbf",
    "rhein-neckar-highways-2016.osm.pbf",
];

mod shared;
pub use shared::shared;

/// The path of a shared extract, or `None` (after saying so) when `../shared/osm` is absent.
pub fn shared_osm(file: &str) -> Option<PathBuf> {
    shared(&format!("osm/{file}"))
}

/// The path of a synthetic fixture of `tests/fixtures/`.
pub fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file)
}

/// Routers already built, by extract and profile fingerprint.
type Routers = Mutex<HashMap<(PathBuf, Vec<u8>), Arc<Router>>>;

/// The router of an extract for a profile, built once per test run and shared.
pub fn router(path: &Path, profile: &Profile) -> Arc<Router> {
    static ROUTERS: OnceLock<Routers> = OnceLock::new();
    let key = (path.to_owned(), profile.fingerprint());
    let mut routers = ROUTERS
        .get_or_init(Default::default)
        .lock()
        .expect("no test panicked while building");
    routers
        .entry(key)
        .or_insert_with(|| {
            let (router, _) = import_profile(path, profile, &CachePolicy::Disabled, &Silent)
                .unwrap_or_else(|e| panic!("{e}"));
            Arc::new(router)
        })
        .clone()
}

/// The router of a shared extract for a default profile with a customizable hierarchy (the
/// shared extracts are below the size from which `Router::new` chooses one), built once per
/// test run and shared.
pub fn customized_router(file: &str, kind: ProfileKind) -> Option<Arc<Router>> {
    static ROUTERS: OnceLock<Routers> = OnceLock::new();
    let path = shared_osm(file)?;
    let profile = Profile::new(kind);
    let key = (path.clone(), profile.fingerprint());
    let mut routers = ROUTERS
        .get_or_init(Default::default)
        .lock()
        .expect("no test panicked while building");
    let router = routers.entry(key).or_insert_with(|| {
        let extract = OsmExtract::read(&path, &Silent).unwrap_or_else(|e| panic!("{e}"));
        let graph = RoadGraph::build(&extract, &profile, &Silent).unwrap_or_else(|e| panic!("{e}"));
        Arc::new(Router::customized(graph, &Silent).unwrap_or_else(|e| panic!("{e}")))
    });
    Some(router.clone())
}

/// Calls `check` with the router `get` gives for the car, the bus and the triporteur on every
/// shared extract, and a context naming them; stops when the extracts are absent (`get` has
/// said so).
pub fn for_each_shared_router(
    get: fn(&str, ProfileKind) -> Option<Arc<Router>>,
    check: impl Fn(&Router, &str),
) {
    for file in EXTRACTS {
        for kind in [ProfileKind::Car, ProfileKind::Bus, ProfileKind::Triporteur] {
            let Some(router) = get(file, kind) else {
                return;
            };
            check(&router, &format!("{file} {kind}"));
        }
    }
}

/// The router of a shared extract for a default profile.
pub fn shared_router(file: &str, kind: ProfileKind) -> Option<Arc<Router>> {
    shared_osm(file).map(|path| router(&path, &Profile::new(kind)))
}

/// `n` points drawn uniformly (fixed seed) in the graph's area and kept when they lie within
/// the default snapping limit of a road, snapped.
pub fn sample_snaps(router: &Router, n: usize, seed: u64) -> Vec<Snap> {
    let graph = router.graph();
    let coords: Vec<Coord> = (0..graph.node_count() as u32)
        .map(|i| graph.node_coord(osm_data::ids::NodeIdx(i)))
        .collect();
    let bbox = osm_data::geo::BoundingBox::around(coords).expect("a graph has nodes");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut snaps = Vec::with_capacity(n);
    while snaps.len() < n {
        let at = Coord::new(
            rng.random_range(bbox.min_lat..=bbox.max_lat),
            rng.random_range(bbox.min_lon..=bbox.max_lon),
        );
        if let Ok(mut snap) = router.snap(&[at], DEFAULT_SNAP_LIMIT_M) {
            snaps.append(&mut snap);
        }
    }
    snaps
}
