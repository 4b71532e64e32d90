//! `cargo run --release -p osm-data --example speed [-- EXTRACT [--runs N] [--cache-dir DIR]]`:
//! the Malta figures of `cargo bench --bench osm` that issue 14 must not lose (car preparation,
//! 1,000 × 1,000 matrix on every core and on one thread), with the bench's own points, without
//! building the rest of the workspace. Needs `../shared/osm/`.
//!
//! Another extract (such as the region-scale tiles of `benches/region_scale.sh`) takes its
//! points uniformly in the network's bounding box; `--runs` sets how many preparations the
//! median is taken over (default 5); `--cache-dir` loads the car graph from that cache (or
//! builds and saves it) instead of preparing it, and reports the load time.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use osm_data::extract::OsmExtract;
use osm_data::geo::Coord;
use osm_data::graph::RoadGraph;
use osm_data::ids::NodeIdx;
use osm_data::import::{CachePolicy, CacheStatus, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The inhabited box of Malta, as in `benches/osm.rs`: south, north, west, east.
const MALTA_AREA: [f64; 4] = [35.83, 35.95, 14.40, 14.52];

/// What to measure, from the command line.
struct Options {
    extract: PathBuf,
    runs: usize,
    cache_dir: Option<PathBuf>,
}

impl Options {
    fn parse() -> Self {
        let mut options = Options {
            extract: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/osm/malta-2016.osm.pbf"),
            runs: 5,
            cache_dir: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|&n| n > 0)
                        .expect("--runs takes a positive number");
                }
                "--cache-dir" => {
                    options.cache_dir = Some(args.next().expect("--cache-dir takes a path").into());
                }
                path => options.extract = PathBuf::from(path),
            }
        }
        options
    }
}

/// CPU time the process has used so far (user and system, every thread), from
/// `/proc/self/stat`: on a shared machine, a steadier measure of work than wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the file (utime, stime), in clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

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

/// Prepares the car network `runs` times and prints the median stage times.
fn prepare(options: &Options) -> Router {
    let car = Profile::new(ProfileKind::Car);
    let (mut read_build, mut contract, mut contract_cpu) = (Vec::new(), Vec::new(), Vec::new());
    let mut router = None;
    for _ in 0..options.runs {
        let started = Instant::now();
        let extract = OsmExtract::read(&options.extract, &Silent).expect("readable");
        let graph = RoadGraph::build(&extract, &car, &Silent).expect("roads");
        drop(extract);
        read_build.push(started.elapsed());
        let (started, cpu) = (Instant::now(), cpu_seconds());
        router = Some(Router::new(graph, &Silent));
        contract.push(started.elapsed());
        contract_cpu.push(cpu_seconds() - cpu);
    }
    read_build.sort();
    contract.sort();
    contract_cpu.sort_by(f64::total_cmp);
    let router = router.expect("at least one import");
    let h = router.hierarchy();
    let mid = options.runs / 2;
    println!(
        "preparation (median of {}): read + build {:.3} s, contraction {:.3} s (CPU {:.2} s), total {:.3} s; {} nodes, {} arcs ({} shortcuts)",
        options.runs,
        read_build[mid].as_secs_f64(),
        contract[mid].as_secs_f64(),
        contract_cpu[mid],
        (read_build[mid] + contract[mid]).as_secs_f64(),
        h.node_count(),
        h.arc_count(),
        h.shortcut_count()
    );
    router
}

/// Loads the car network from the cache in `dir` (building it if absent) and prints the time.
fn load(options: &Options, dir: PathBuf) -> Router {
    let car = Profile::new(ProfileKind::Car);
    let cache = CachePolicy::Directory(dir);
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let (router, report) =
        import_profile(&options.extract, &car, &cache, &Silent).expect("an importable extract");
    match report.cache {
        CacheStatus::Loaded { .. } => println!(
            "cache load: {:.3} s reading the graph, {:.3} s with reading and hashing the extract (CPU {:.2} s)",
            report.load_time.as_secs_f64(),
            started.elapsed().as_secs_f64(),
            cpu_seconds() - cpu
        ),
        other => println!("not loaded from the cache ({other:?}): built and saved"),
    }
    router
}

/// The box points are drawn in: Malta's inhabited box, else the network's extent.
fn area(options: &Options, graph: &RoadGraph) -> [f64; 4] {
    if options.extract.ends_with("malta-2016.osm.pbf") {
        return MALTA_AREA;
    }
    (0..graph.node_count() as u32)
        .map(|n| graph.node_coord(NodeIdx(n)))
        .fold(
            [f64::MAX, f64::MIN, f64::MAX, f64::MIN],
            |[s, n, w, e], c| [s.min(c.lat), n.max(c.lat), w.min(c.lon), e.max(c.lon)],
        )
}

fn main() {
    let options = Options::parse();
    if !options.extract.exists() {
        println!("skipped: {} not found", options.extract.display());
        return;
    }
    let router = match options.cache_dir.clone() {
        Some(dir) => load(&options, dir),
        None => prepare(&options),
    };
    let [south, north, west, east] = area(&options, router.graph());
    let mut rng = StdRng::seed_from_u64(2_026);
    let mut snaps = Vec::new();
    while snaps.len() < 1_000 {
        let at = Coord::new(rng.random_range(south..north), rng.random_range(west..east));
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
    let cpu = cpu_seconds();
    let one = pool.install(|| {
        median(5, || {
            black_box(router.matrix(&snaps, &snaps).expect("matrix"));
        })
    });
    println!(
        "matrix 1,000 x 1,000 (median of 5): every core {:.4} s, one thread {:.4} s (CPU {:.2} s per matrix on one thread, mean)",
        all.as_secs_f64(),
        one.as_secs_f64(),
        (cpu_seconds() - cpu) / 5.0
    );
}
