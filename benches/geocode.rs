//! `cargo bench --bench geocode`: the offline geocoder's quality and speed (issue 15) on four
//! whole extracts, printed as Markdown tables.
//!
//! Ground truth is the extract itself: every object with `addr:housenumber` and `addr:street`
//! (or `addr:place`), asked three ways — "<number> <street>, <postcode> <city>" from its own
//! tags; the same with one random typo in the street name (a letter dropped, added, changed or
//! two swapped, seeded); and "<number> <street>" alone. An answer is right when the top
//! candidate lies within 25 m of the object. For each way the table gives the top-1 share, what
//! [`geocoder::resolve::resolve`] makes of the answers (found / ambiguous / low confidence) and
//! how many were taken (`Found`) yet wrong, which is the acceptance threshold's precision.
//! Every named `place=*` node is then asked by its name alone. Speed: exact queries on one
//! thread; build time against the import of the car graph alone and of the four unit kinds'
//! graphs a territory loads; the index file's size and the resident memory the loaded index
//! adds.
//!
//! Needs `../shared/osm/`; says so and exits when it is absent.

use std::time::{Duration, Instant};

use geocoder::index::read::{RawAddress, read};
use geocoder::index::store::load_or_build;
use geocoder::resolve::{ACCEPT_SCORE, Resolution, SAME_PLACE_M, resolve};
use geocoder::{Geocode, Index, Query};
use osm_data::geo::haversine_m;
use osm_data::import::{CachePolicy, import};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[path = "../tests/support/shared.rs"]
mod shared;

const EXTRACTS: [&str; 4] = [
    "liechtenstein-2021.osm.pbf",
    "monaco-2020.osm.pbf",
    "andorra-2021.osm.pbf",
    "malta-2016.osm.pbf",
];

/// What one way of asking gave.
#[derive(Default)]
struct Tally {
    asked: usize,
    top1: usize,
    found: usize,
    ambiguous: usize,
    low: usize,
    not_found: usize,
    /// Taken (`Found`) but more than 25 m from the object.
    found_wrong: usize,
}

impl Tally {
    fn add(&mut self, index: &Index, text: &str, truth: osm_data::geo::Coord) {
        let candidates = index.search(&Query::new(text, 5)).unwrap_or_default();
        self.asked += 1;
        let near = |c: &geocoder::Candidate| haversine_m(c.position, truth) <= SAME_PLACE_M;
        if candidates.first().is_some_and(near) {
            self.top1 += 1;
        }
        match resolve(candidates) {
            Resolution::Found(c) => {
                self.found += 1;
                if !near(&c) {
                    self.found_wrong += 1;
                }
            }
            Resolution::Ambiguous(_) => self.ambiguous += 1,
            Resolution::LowConfidence(_) => self.low += 1,
            Resolution::NotFound => self.not_found += 1,
        }
    }

    fn row(&self, extract: &str, way: &str) -> String {
        let pct = |n: usize| 100.0 * n as f64 / self.asked.max(1) as f64;
        format!(
            "| {extract} | {way} | {} | {:.1} % | {:.1} % | {:.1} % | {:.1} % | {:.1} % | {} |",
            self.asked,
            pct(self.top1),
            pct(self.found),
            pct(self.ambiguous),
            pct(self.low),
            pct(self.not_found),
            self.found_wrong,
        )
    }
}

fn main() {
    let cache_dir =
        std::env::temp_dir().join(format!("tournee-geocode-bench-{}", std::process::id()));
    let mut quality = Vec::new();
    let mut places_rows = Vec::new();
    let mut cost_rows = Vec::new();
    for file in EXTRACTS {
        let Some(extract) = shared::shared(&format!("osm/{file}")) else {
            continue;
        };
        let name = file.trim_end_matches(".osm.pbf");
        let build = median_time(3, || {
            Index::build(&extract, &Silent).expect("the index builds");
        });
        let car = Profile::new(ProfileKind::Car);
        let import_time = median_time(3, || {
            import(
                &extract,
                std::slice::from_ref(&car),
                &CachePolicy::Disabled,
                &Silent,
            )
            .expect("the car graph builds");
        });
        let all: Vec<Profile> = [
            ProfileKind::Car,
            ProfileKind::Bus,
            ProfileKind::CampingCar,
            ProfileKind::Triporteur,
        ]
        .map(Profile::new)
        .to_vec();
        let territory_import = median_time(1, || {
            import(&extract, &all, &CachePolicy::Disabled, &Silent).expect("the graphs build");
        });
        let policy = CachePolicy::Directory(cache_dir.clone());
        let (_, built) = load_or_build(&extract, &policy, &Silent).expect("the index is saved");
        let rss_start = resident_bytes();
        let (index, loaded) = load_or_build(&extract, &policy, &Silent).expect("it loads");
        let rss_loaded = resident_bytes();
        let disk = match &built.cache {
            osm_data::import::CacheStatus::Built { path, .. } => {
                std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
            }
            _ => 0,
        };

        let read = read(&extract, &Silent).expect("the extract reads");
        let mut rng = StdRng::seed_from_u64(15);
        let (mut exact, mut typo, mut bare) =
            (Tally::default(), Tally::default(), Tally::default());
        let mut exact_texts = Vec::new();
        for address in &read.addresses {
            let text = full_text(address, &address.street);
            exact.add(&index, &text, address.position);
            let misspelt = with_typo(&address.street, &mut rng);
            typo.add(&index, &full_text(address, &misspelt), address.position);
            let alone = format!("{} {}", address.number, address.street);
            bare.add(&index, &alone, address.position);
            exact_texts.push(text);
        }
        quality.push(exact.row(name, "exact"));
        quality.push(typo.row(name, "one typo in the street"));
        quality.push(bare.row(name, "no postcode, no city"));

        let mut places = Tally::default();
        let mut places_top5 = 0;
        for place in read.places.iter().filter(|p| p.node) {
            places.add(&index, &place.name, place.position);
            let candidates = index
                .search(&Query::new(&place.name, 5))
                .unwrap_or_default();
            if candidates
                .iter()
                .any(|c| haversine_m(c.position, place.position) <= SAME_PLACE_M)
            {
                places_top5 += 1;
            }
        }
        places_rows.push(format!(
            "| {name} | {} | {:.1} % | {:.1} % | {:.1} % |",
            places.asked,
            100.0 * places.top1 as f64 / places.asked.max(1) as f64,
            100.0 * places_top5 as f64 / places.asked.max(1) as f64,
            100.0 * places.found as f64 / places.asked.max(1) as f64,
        ));

        let per_second = queries_per_second(&index, &exact_texts);
        let stats = index.stats();
        cost_rows.push(format!(
            "| {name} | {} | {} | {} | {} | {:.3} | {:.3} | {:.0} % | {:.3} | {:.0} % | {:.3} | {:.1} | {:.1} | {:.0} |",
            stats.addresses,
            stats.streets,
            stats.places,
            stats.pois,
            build.as_secs_f64(),
            import_time.as_secs_f64(),
            100.0 * build.as_secs_f64() / import_time.as_secs_f64(),
            territory_import.as_secs_f64(),
            100.0 * build.as_secs_f64() / territory_import.as_secs_f64(),
            loaded.load_time.as_secs_f64(),
            disk as f64 / 1e6,
            rss_loaded.saturating_sub(rss_start) as f64 / 1e6,
            per_second,
        ));
    }
    println!(
        "Acceptance: score ≥ {ACCEPT_SCORE}, taken when no other candidate more than {SAME_PLACE_M} m away scores within the margin.\n"
    );
    println!(
        "| extract | query | asked | top-1 within 25 m | found | ambiguous | low confidence | not found | found but wrong |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in quality {
        println!("{row}");
    }
    println!();
    println!("| extract | named place nodes | top-1 within 25 m | in the top 5 | found |");
    println!("|---|---:|---:|---:|---:|");
    for row in places_rows {
        println!("{row}");
    }
    println!();
    println!(
        "| extract | addresses | streets | places | POI names | build (s) | car import (s) | build / car import | 4-profile import (s) | build / 4-profile import | load (s) | file (MB) | RSS added (MB) | exact queries/s, 1 thread |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in cost_rows {
        println!("{row}");
    }
    let _ = std::fs::remove_dir_all(&cache_dir);
}

/// "<number> <street>, <postcode> <city>" with what the object has.
fn full_text(address: &RawAddress, street: &str) -> String {
    let place: Vec<&str> = [address.postcode.as_deref(), address.city.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if place.is_empty() {
        format!("{} {street}", address.number)
    } else {
        format!("{} {street}, {}", address.number, place.join(" "))
    }
}

/// `name` with one letter dropped, added, changed, or swapped with the next.
fn with_typo(name: &str, rng: &mut StdRng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return name.to_owned();
    }
    let at = letters[rng.random_range(0..letters.len())];
    let letter = (b'a' + rng.random_range(0..26u8)) as char;
    match rng.random_range(0..4) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, letter),
        2 => chars[at] = if chars[at] == letter { 'x' } else { letter },
        _ => {
            if at + 1 < chars.len() {
                chars.swap(at, at + 1);
            } else {
                chars.swap(at - 1, at);
            }
        }
    }
    chars.into_iter().collect()
}

/// Exact queries answered per second on this thread, over at least one second.
fn queries_per_second(index: &Index, texts: &[String]) -> f64 {
    let started = Instant::now();
    let mut asked = 0usize;
    while started.elapsed() < Duration::from_secs(1) {
        for text in texts {
            let answer = index.search(&Query::new(text.as_str(), 5));
            std::hint::black_box(answer.ok());
            asked += 1;
        }
    }
    asked as f64 / started.elapsed().as_secs_f64()
}

/// The median duration of `runs` runs of `work`.
fn median_time(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// This process's resident memory, bytes (0 where /proc is absent).
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}
