//! `cargo bench --bench geocode`: the offline geocoder's quality and speed (issue 15) on four
//! whole extracts, printed as Markdown tables.
//!
//! Ground truth is the extract itself: every object with `addr:housenumber` and `addr:street`
//! (or `addr:place`), asked three ways — "<number> <street>, <postcode> <city>" from its own
//! tags; the same with one random typo in the street name (a letter dropped, added, changed or
//! two swapped, seeded); and "<number> <street>" alone. An answer is right when the top
//! candidate lies within 25 m of the object, or of another object the extract gives the same
//! number and street (as the index reads them: case, accents and abbreviations folded, each
//! number of a range such as `44-46`) less than 100 m away ([`SAME_ADDRESS_M`]: one address drawn twice, a
//! building and the shop in it, which the index answers as one). For each way the table gives the top-1 share, what
//! [`geocoder::resolve::resolve`] makes of the answers (found / ambiguous / low confidence) and
//! how many were taken (`Found`) yet wrong, which is the acceptance threshold's precision.
//! Every named `place=*` node is then asked by its name alone (right within 25 m of a place node of that name). Speed: exact queries on one
//! thread; build time against the import of the car graph alone and of the four unit kinds'
//! graphs a territory loads; the index file's size and the resident memory the loaded index
//! adds.
//!
//! With `TOURNEE_TEST_ADDOK` (an addok loaded with monaco-2020 and andorra-2021, as
//! `benches/geocode_addok.sh` starts one), the same questions are asked of it for those two
//! extracts. `GEOCODE_BENCH_SHOW=1` prints every ambiguous and wrongly taken answer, with the
//! best candidates, on stderr.
//!
//! Needs `../shared/osm/`; says so and exits when it is absent.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use geocoder::ban::BanClient;
use geocoder::index::build::SAME_ADDRESS_M;
use geocoder::index::normalize::{housenumbers, words};
use geocoder::index::read::{RawAddress, read};
use geocoder::index::store::load_or_build;
use geocoder::resolve::{ACCEPT_SCORE, Resolution, SAME_PLACE_M, resolve};
use geocoder::{Candidate, Coord, Geocode, Index, Query};
use osm_data::geo::haversine_m;
use osm_data::import::{CachePolicy, import};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[path = "../tests/support/shared.rs"]
mod shared;

/// The extracts `benches/geocode_addok.sh` loads into addok (as scripts/test does).
const ADDOK_EXTRACTS: [&str; 2] = ["monaco-2020.osm.pbf", "andorra-2021.osm.pbf"];

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
    /// Asks `text`; right when the answer lies within 25 m of one of `truths` (the objects
    /// that are the address, or the place, asked for).
    fn add(&mut self, geocoder: &dyn Geocode, text: &str, truths: &[Coord]) {
        let candidates = geocoder.search(&Query::new(text, 5)).unwrap_or_default();
        self.asked += 1;
        let off = |c: &Candidate| {
            truths
                .iter()
                .map(|t| haversine_m(c.position, *t))
                .fold(f64::INFINITY, f64::min)
        };
        let near = |c: &Candidate| off(c) <= SAME_PLACE_M;
        if candidates.first().is_some_and(near) {
            self.top1 += 1;
        }
        let show = std::env::var_os("GEOCODE_BENCH_SHOW").is_some();
        match resolve(candidates.clone()) {
            Resolution::Found(c) => {
                self.found += 1;
                if !near(&c) {
                    self.found_wrong += 1;
                    if show {
                        eprintln!("found but wrong: {text:?}");
                    }
                }
            }
            Resolution::Ambiguous(_) => {
                self.ambiguous += 1;
                if show {
                    eprintln!("ambiguous: {text:?}");
                }
            }
            Resolution::LowConfidence(_) => self.low += 1,
            Resolution::NotFound => self.not_found += 1,
        }
        if show {
            for c in candidates.iter().take(3) {
                eprintln!(
                    "    {:.4} {:?} {} ({:.0} m)",
                    c.score,
                    c.kind,
                    c.label,
                    off(c)
                );
            }
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
    let mut addok_speed = Vec::new();
    let addok = std::env::var("TOURNEE_TEST_ADDOK").ok().map(|url| {
        BanClient::new(&url, Duration::from_secs(10)).expect("TOURNEE_TEST_ADDOK is a URL")
    });
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
        let exact_texts = ask_addresses(&index, &read.addresses, name, &mut quality);
        if let Some(addok) = addok.as_ref().filter(|_| ADDOK_EXTRACTS.contains(&file)) {
            let label = format!("{name} (addok)");
            let texts = ask_addresses(addok, &read.addresses, &label, &mut quality);
            addok_speed.push(format!(
                "| {name} | {:.0} |",
                queries_per_second(addok, &texts)
            ));
        }

        let mut places = Tally::default();
        let mut places_top5 = 0;
        let place_nodes: Vec<_> = read.places.iter().filter(|p| p.node).collect();
        for place in &place_nodes {
            let truths: Vec<Coord> = place_nodes
                .iter()
                .filter(|p| p.name == place.name)
                .map(|p| p.position)
                .collect();
            places.add(&index, &place.name, &truths);
            let candidates = index
                .search(&Query::new(&place.name, 5))
                .unwrap_or_default();
            if candidates.iter().any(|c| {
                truths
                    .iter()
                    .any(|t| haversine_m(c.position, *t) <= SAME_PLACE_M)
            }) {
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
    if !addok_speed.is_empty() {
        println!();
        println!("| extract | addok exact queries/s, 1 thread, over HTTP on loopback |");
        println!("|---|---:|");
        for row in addok_speed {
            println!("{row}");
        }
    }
    let _ = std::fs::remove_dir_all(&cache_dir);
}

/// Asks `geocoder` every address three ways, adds the three rows to `quality`, and returns the
/// exact queries' texts.
fn ask_addresses(
    geocoder: &dyn Geocode,
    addresses: &[RawAddress],
    name: &str,
    quality: &mut Vec<String>,
) -> Vec<String> {
    let mut objects: HashMap<(String, String), Vec<Coord>> = HashMap::new();
    for address in addresses {
        for key in address_keys(address) {
            objects.entry(key).or_default().push(address.position);
        }
    }
    let mut rng = StdRng::seed_from_u64(15);
    let (mut exact, mut typo, mut bare) = (Tally::default(), Tally::default(), Tally::default());
    let mut exact_texts = Vec::new();
    for address in addresses {
        let text = full_text(address, &address.street);
        let truths: Vec<Coord> = address_keys(address)
            .iter()
            .flat_map(|key| objects[key].iter().copied())
            .filter(|p| haversine_m(*p, address.position) <= SAME_ADDRESS_M)
            .collect();
        let truths = &truths;
        exact.add(geocoder, &text, truths);
        let misspelt = with_typo(&address.street, &mut rng);
        typo.add(geocoder, &full_text(address, &misspelt), truths);
        let alone = format!("{} {}", address.number, address.street);
        bare.add(geocoder, &alone, truths);
        exact_texts.push(text);
    }
    quality.push(exact.row(name, "exact"));
    quality.push(typo.row(name, "one typo in the street"));
    quality.push(bare.row(name, "no postcode, no city"));
    exact_texts
}

/// The addresses an object bears as the index reads them: each of its house numbers (a range
/// or a list gives several) with its street, both normalised (case, accents, abbreviations).
fn address_keys(address: &RawAddress) -> Vec<(String, String)> {
    let street = words(&address.street).join(" ");
    let numbers = housenumbers(&address.number);
    if numbers.is_empty() {
        // Not a number the index reads (a house name): the object is its own address.
        return vec![(address.number.clone(), street)];
    }
    numbers
        .into_iter()
        .map(|number| (number, street.clone()))
        .collect()
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
fn queries_per_second(geocoder: &dyn Geocode, texts: &[String]) -> f64 {
    let started = Instant::now();
    let mut asked = 0usize;
    while started.elapsed() < Duration::from_secs(1) {
        for text in texts {
            if started.elapsed() >= Duration::from_secs(1) && asked > 0 {
                break;
            }
            let answer = geocoder.search(&Query::new(text.as_str(), 5));
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
