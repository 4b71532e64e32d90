//! `cargo run --release -p osm-data --example speed`: the Malta figures of
//! `cargo bench --bench osm` that issue 14 must not lose (car preparation, 1,000 × 1,000 matrix
//! on every core and on one thread), with the bench's own points, without building the rest of
//! the workspace. Needs `../shared/osm/`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use osm_data::extract::OsmExtract;
use osm_data::geo::Coord;
use osm_data::graph::RoadGraph;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The inhabited box of Malta, as in `benches/osm.rs`.
const AREA: [f64; 4] = [35.83, 35.95, 14.40, 14.52];

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/osm/malta-2016.osm.pbf");
    if !path.exists() {
        println!("skipped: {} not found", path.display());
        return;
    }
    let car = Profile::new(ProfileKind::Car);
    let (mut read_build, mut contract) = (Vec::new(), Vec::new());
    let mut router = None;
    for _ in 0..5 {
        let started = Instant::now();
        let extract = OsmExtract::read(&path, &Silent).expect("readable");
        let graph = RoadGraph::build(&extract, &car, &Silent).expect("roads");
        read_build.push(started.elapsed());
        let started = Instant::now();
        router = Some(Router::new(graph, &Silent));
        contract.push(started.elapsed());
    }
    read_build.sort();
    contract.sort();
    let router = router.expect("five imports");
    let h = router.hierarchy();
    println!(
        "preparation (median of 5): read + build {:.3} s, contraction {:.3} s, total {:.3} s; {} nodes, {} arcs ({} shortcuts)",
        read_build[2].as_secs_f64(),
        contract[2].as_secs_f64(),
        (read_build[2] + contract[2]).as_secs_f64(),
        h.node_count(),
        h.arc_count(),
        h.shortcut_count()
    );
    let mut rng = StdRng::seed_from_u64(2_026);
    let mut snaps = Vec::new();
    while snaps.len() < 1_000 {
        let at = Coord::new(
            rng.random_range(AREA[0]..AREA[1]),
            rng.random_range(AREA[2]..AREA[3]),
        );
        if let Ok(mut snap) = router.snap(&[at], DEFAULT_SNAP_LIMIT_M) {
            snaps.append(&mut snap);
        }
    }
    let all = median(5, || {
        black_box(router.matrix(&snaps, &snaps).expect("matrix"));
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let one = pool.install(|| {
        median(5, || {
            black_box(router.matrix(&snaps, &snaps).expect("matrix"));
        })
    });
    println!(
        "matrix 1,000 x 1,000 (median of 5): every core {:.4} s, one thread {:.4} s",
        all.as_secs_f64(),
        one.as_secs_f64()
    );
}
