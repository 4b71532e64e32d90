//! `cargo bench --bench osm`: import, hierarchy, matrix and cache figures on real extracts,
//! each against a baseline measured in the same run, printed as Markdown tables (medians).
//!
//! Needs `../shared/osm/`; says so and exits when it is absent.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use osm_data::dijkstra::one_to_all_matrix;
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

#[path = "../tests/support/shared.rs"]
mod shared;

/// Set in a child process that performs one import and reports its peak memory.
const CHILD: &str = "TOURNEE_BENCH_IMPORT_CHILD";

/// The inhabited part of each matrix extract: (lat min, lat max, lon min, lon max).
const AREAS: [(&str, [f64; 4]); 2] = [
    ("malta-2016.osm.pbf", [35.83, 35.95, 14.40, 14.52]),
    ("andorra-2021.osm.pbf", [42.46, 42.58, 1.48, 1.62]),
];

fn main() {
    if let Ok(path) = std::env::var(CHILD) {
        import_once(Path::new(&path));
        return;
    }
    let Some(shared) = shared::shared("osm") else {
        return;
    };
    println!("threads: {}\n", rayon::current_num_threads());
    import_throughput(&shared);
    preprocessing(&shared);
    matrices(&shared);
    cache_load(&shared);
}

/// How long `f` takes.
fn time(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| time(&mut f)).collect();
    times.sort();
    times[runs / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Bare decoding (counting elements) against the car graph build, interleaved run by run.
fn import_throughput(shared: &Path) {
    println!("## Import: car graph build vs. bare osmpbf decode (median of 15, interleaved)\n");
    println!(
        "| extract | MB | elements | bare decode s | MB/s | M elements/s | graph build s | MB/s | M elements/s | build/bare throughput | peak RSS MB | × file size |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for file in ["malta-2016.osm.pbf", "rhein-neckar-highways-2016.osm.pbf"] {
        let path = shared.join(file);
        let mb = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let elements = count_elements(&path);
        let (mut bare, mut built) = (Vec::new(), Vec::new());
        for _ in 0..15 {
            bare.push(time(|| {
                black_box(count_elements(&path));
            }));
            built.push(time(|| {
                let extract = OsmExtract::read(&path, &Silent).expect("readable");
                black_box(
                    RoadGraph::build(&extract, &Profile::new(ProfileKind::Car), &Silent)
                        .expect("roads"),
                );
            }));
        }
        bare.sort();
        built.sort();
        let (bare, built) = (secs(bare[7]), secs(built[7]));
        let peak = child_peak_rss(&path);
        println!(
            "| {file} | {mb:.2} | {elements} | {bare:.3} | {:.1} | {:.2} | {built:.3} | {:.1} | {:.2} | {:.2} | {:.1} | {:.1} |",
            mb / bare,
            elements as f64 / bare / 1e6,
            mb / built,
            elements as f64 / built / 1e6,
            bare / built,
            peak / 1e6,
            peak / 1e6 / mb,
        );
    }
    println!(
        "\nPeak RSS: a child process running one full import (read, build, contract) without cache.\n"
    );
}

fn count_elements(path: &Path) -> u64 {
    osmpbf::ElementReader::from_path(path)
        .expect("readable")
        .par_map_reduce(|_| 1u64, || 0, |a, b| a + b)
        .expect("decodable")
}

/// Runs one import in a child process and returns its peak resident memory in bytes.
fn child_peak_rss(path: &Path) -> f64 {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD, path)
        .output()
        .expect("child runs");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(f64::NAN)
}

/// In the child: one import, then print the peak RSS (VmHWM) in bytes.
fn import_once(path: &Path) {
    let (router, _) = import_profile(
        path,
        &Profile::new(ProfileKind::Car),
        &CachePolicy::Disabled,
        &Silent,
    )
    .expect("import");
    black_box(router);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    println!("{}", kb * 1024.0);
}

/// Read + build + contraction, the preparation a matrix query needs.
fn preprocessing(shared: &Path) {
    println!("## Preparation: read + build + contraction (car, median of 5)\n");
    println!("| extract | nodes | arcs (shortcuts) | read + build s | contraction s | total s |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (file, _) in AREAS {
        let path = shared.join(file);
        let mut read_build = Vec::new();
        let mut contract = Vec::new();
        let mut shape = (0, 0, 0);
        for _ in 0..5 {
            let started = Instant::now();
            let extract = OsmExtract::read(&path, &Silent).expect("readable");
            let graph = RoadGraph::build(&extract, &Profile::new(ProfileKind::Car), &Silent)
                .expect("roads");
            read_build.push(started.elapsed());
            let started = Instant::now();
            let router = Router::new(graph, &Silent);
            contract.push(started.elapsed());
            let h = router.hierarchy();
            shape = (h.node_count(), h.arc_count(), h.shortcut_count());
        }
        read_build.sort();
        contract.sort();
        let (rb, c) = (secs(read_build[2]), secs(contract[2]));
        println!(
            "| {file} | {} | {} ({}) | {rb:.3} | {c:.3} | {:.3} |",
            shape.0,
            shape.1,
            shape.2,
            rb + c
        );
    }
    println!();
}

/// Uniform random points (fixed seed) in `area`, redrawn when farther than the snapping limit
/// from a road; returns the snaps and the number of redraws.
fn points(router: &Router, area: [f64; 4], n: usize) -> (Vec<Snap>, usize) {
    let mut rng = StdRng::seed_from_u64(2_026);
    let mut snaps = Vec::with_capacity(n);
    let mut redrawn = 0;
    while snaps.len() < n {
        let at = Coord::new(
            rng.random_range(area[0]..area[1]),
            rng.random_range(area[2]..area[3]),
        );
        match router.snap(&[at], DEFAULT_SNAP_LIMIT_M) {
            Ok(mut snap) => snaps.append(&mut snap),
            Err(_) => redrawn += 1,
        }
    }
    (snaps, redrawn)
}

/// Many-to-many through the hierarchy against one-to-all Dijkstra from every source.
fn matrices(shared: &Path) {
    println!(
        "## Matrices: hierarchy buckets vs. one Dijkstra per source (car, both on every core)\n"
    );
    println!(
        "| extract | points | redrawn | hierarchy s (median of 5) | same, 1 thread | Dijkstra s (median of 3) | Dijkstra / hierarchy | same results |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    for (file, area) in AREAS {
        let path = shared.join(file);
        let (router, _) = import_profile(
            &path,
            &Profile::new(ProfileKind::Car),
            &CachePolicy::Disabled,
            &Silent,
        )
        .expect("import");
        for n in [100, 500, 1_000, 2_000] {
            let (snaps, redrawn) = points(&router, area, n);
            let fast = median(5, || {
                black_box(router.matrix(&snaps, &snaps).expect("matrix"));
            });
            let single = one_thread.install(|| {
                median(5, || {
                    black_box(router.matrix(&snaps, &snaps).expect("matrix"));
                })
            });
            let slow = median(3, || {
                black_box(one_to_all_matrix(router.graph(), &snaps, &snaps).expect("matrix"));
            });
            let same = router.matrix(&snaps, &snaps).ok()
                == one_to_all_matrix(router.graph(), &snaps, &snaps).ok();
            println!(
                "| {file} | {n} | {redrawn} | {:.4} | {:.4} | {:.3} | {:.0}× | {} |",
                secs(fast),
                secs(single),
                secs(slow),
                secs(slow) / secs(fast),
                if same { "yes" } else { "NO" }
            );
        }
    }
    println!();
}

/// Loading a cached graph against importing it.
fn cache_load(shared: &Path) {
    println!("## Cache: load vs. import (car, median of 5)\n");
    println!("| extract | cache file MB | import s | load s | import / load |");
    println!("|---|---:|---:|---:|---:|");
    let dir = std::env::temp_dir().join(format!("tournee-bench-cache-{}", std::process::id()));
    for (file, _) in AREAS {
        let path = shared.join(file);
        let profile = Profile::new(ProfileKind::Car);
        let import = median(5, || {
            black_box(
                import_profile(&path, &profile, &CachePolicy::Disabled, &Silent).expect("import"),
            );
        });
        let cache = CachePolicy::Directory(dir.clone());
        let (_, report) = import_profile(&path, &profile, &cache, &Silent).expect("import");
        let size = match &report.cache {
            osm_data::import::CacheStatus::Built { path, .. } => {
                std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
            }
            _ => 0,
        };
        let load = median(5, || {
            black_box(import_profile(&path, &profile, &cache, &Silent).expect("load"));
        });
        println!(
            "| {file} | {:.1} | {:.3} | {:.3} | {:.0}× |",
            size as f64 / 1e6,
            secs(import),
            secs(load),
            secs(import) / secs(load)
        );
    }
    let _ = std::fs::remove_dir_all(dir);
    println!("\nLoading includes hashing the extract to check the cache key.");
}
