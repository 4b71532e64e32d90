//! Realistic planning problems built from an extract's own points of interest, so the planner
//! can be tried on any territory.
//!
//! Stops are the extract's markets (on a market day, mornings, weekly), libraries, town halls,
//! community and social centres, and the squares of its towns, villages and hamlets; their
//! opening hours and frequencies are typical of French rural outreach, drawn with the seed.
//! Homes are points on the car network near inhabited places. Every place is kept only if each
//! unit kind can reach it.

use std::path::PathBuf;

use chrono::NaiveDate;
use optimizer::planning::problem::{PlanningProblem, Position, UnitKind};
use osm_data::geo::Coord;
use osm_data::import::CachePolicy;
use osm_data::pois::{Poi, PoiKind};
use osm_data::profile::Profile;
use osm_data::progress::Progress;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::extract::Territory;
use crate::profiles::profile_kind;
use crate::sites::{stop_kind, typical_hours};

const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// The longest cycle a scenario may have, weeks.
pub const MAX_WEEKS: u8 = 6;

/// The most recurring stops a scenario takes when none is asked for.
pub const DEFAULT_MAX_STOPS: usize = 200;

/// Homes are drawn within this many degrees of latitude of an inhabited place (about 1.5 km).
const HOME_SPREAD_LAT_DEG: f64 = 0.0135;

/// … and this many degrees of longitude (about 1.5 km at the latitudes of France).
const HOME_SPREAD_LON_DEG: f64 = 0.018;

/// A drawn home is kept only within this distance of a car road, metres.
const HOME_SNAP_LIMIT_M: f64 = 150.0;

/// Draws tried per home asked for before giving up (a territory with few roads near places).
const HOME_DRAWS_PER_VISIT: usize = 50;

/// The kinds of the first units, in order; more units alternate buses and cars.
fn unit_kinds(count: usize) -> Vec<UnitKind> {
    let first = [
        UnitKind::Bus,
        UnitKind::Car,
        UnitKind::CampingCar,
        UnitKind::Car,
    ];
    (0..count)
        .map(|i| {
            first.get(i).copied().unwrap_or(if i % 2 == 0 {
                UnitKind::Bus
            } else {
                UnitKind::Car
            })
        })
        .collect()
}

/// What scenario to build.
#[derive(Clone, Debug)]
pub struct ScenarioOptions {
    /// The extract.
    pub extract: PathBuf,
    /// Number of units.
    pub units: usize,
    /// Weeks in the cycle.
    pub weeks: u8,
    /// Number of recurring stops (every site found, at most [`DEFAULT_MAX_STOPS`], when
    /// `None`).
    pub stops: Option<usize>,
    /// Number of home visits.
    pub home_visits: usize,
    /// Seed of the random choices.
    pub seed: u64,
    /// First day of the cycle.
    pub start: NaiveDate,
    /// Time limit written into the problem, seconds.
    pub time_limit: f64,
}

/// Builds the scenario.
///
/// # Errors
/// [`Error::Argument`] for out-of-range options or an extract with no reachable site; the
/// errors of reading the extract; [`Error::Scenario`] should the problem built not read as one
/// (a defect of this builder).
pub fn build(
    args: &ScenarioOptions,
    cache: &CachePolicy,
    progress: &dyn Progress,
) -> Result<PlanningProblem> {
    if !(1..=MAX_WEEKS).contains(&args.weeks) || args.units == 0 {
        return Err(Error::Argument(format!(
            "--weeks must be 1 to {MAX_WEEKS} and --units at least 1"
        )));
    }
    let mut rng = Pcg64Mcg::seed_from_u64(args.seed);
    let extract = std::fs::canonicalize(&args.extract).map_err(|source| Error::Read {
        path: args.extract.clone(),
        source,
    })?;
    let kinds = unit_kinds(args.units);
    let mut distinct = kinds.clone();
    distinct.sort();
    distinct.dedup();
    let profiles: Vec<Profile> = distinct
        .iter()
        .map(|k| Profile::new(profile_kind(*k)))
        .collect();
    let territory = Territory::open(&extract);
    let routers = territory.routers(&profiles, cache, progress);
    let pois = territory.pois(progress);
    let routers = routers?;
    let reachable = |at: Coord| {
        routers
            .iter()
            .all(|r| r.snap(&[at], DEFAULT_SNAP_LIMIT_M).is_ok())
    };
    let mut sites: Vec<Poi> = pois?
        .iter()
        .filter(|p| p.kind != PoiKind::Parking && reachable(p.coord))
        .cloned()
        .collect();
    if sites.is_empty() {
        return Err(Error::Argument(format!(
            "{} has no reachable stop site",
            extract.display()
        )));
    }
    let depot = sites
        .iter()
        .filter(|p| p.kind.is_place())
        .max_by_key(|p| p.population.unwrap_or(0))
        .unwrap_or(&sites[0])
        .coord;
    sites.shuffle(&mut rng);
    // Markets and public buildings first, places after.
    sites.sort_by_key(|p| p.kind.is_place());
    // Homes are drawn near every inhabited place, stops or not.
    let places: Vec<Poi> = sites
        .iter()
        .filter(|p| p.kind.is_place())
        .cloned()
        .collect();
    sites.truncate(args.stops.unwrap_or(DEFAULT_MAX_STOPS));
    let stops: Vec<Value> = sites
        .iter()
        .enumerate()
        .map(|(i, p)| stop(i, p, args.weeks, &mut rng))
        .collect();
    let car = routers.get(
        distinct
            .iter()
            .position(|k| *k == UnitKind::Car)
            .unwrap_or(0),
    );
    let homes = home_visits(args, car.map(AsRef::as_ref), &places, &mut rng);
    let start = args.start;
    let units: Vec<Value> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| unit(i, *k, depot))
        .collect();
    let problem = json!({
        "name": format!("Scénario {} ({} semaine(s), graine {})", file_stem(&extract), args.weeks, args.seed),
        "horizon": { "start": start, "weeks": args.weeks },
        "territory": { "extract": extract },
        "units": units,
        "stops": stops,
        "home_visits": homes,
        "solver": { "time_limit_s": args.time_limit, "seed": args.seed },
    });
    into_problem(problem)
}

/// Reads the JSON built through the model, so that the result is a valid problem by
/// construction.
///
/// # Errors
/// [`Error::Scenario`] when it does not read (a defect of this builder, not of the input).
fn into_problem(built: Value) -> Result<PlanningProblem> {
    serde_json::from_value(built).map_err(Error::Scenario)
}

fn file_stem(path: &std::path::Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .map_or_else(String::new, |n| n.trim_end_matches(".osm.pbf").to_owned())
}

fn position(c: Coord) -> Position {
    Position::new(c.lat, c.lon)
}

fn unit(index: usize, kind: UnitKind, depot: Coord) -> Value {
    let day = json!([{ "start": "08:30", "end": "17:30" }]);
    let hours: serde_json::Map<String, Value> = WEEKDAYS
        .iter()
        .map(|d| (d.to_string(), day.clone()))
        .collect();
    let (name, per_km, driving) = match kind {
        UnitKind::Bus => ("Bus France Services", 0.6, 240),
        UnitKind::CampingCar => ("Camping-car", 0.4, 240),
        UnitKind::Car => ("Voiture conseiller numérique", 0.3, 300),
        UnitKind::Triporteur => ("Triporteur", 0.05, 240),
    };
    json!({
        "id": format!("{}-{}", kind.name(), index + 1),
        "name": format!("{name} {}", index + 1),
        "kind": kind,
        "depot": position(depot),
        "hours": hours,
        "lunch": { "window": { "start": "12:00", "end": "14:00" }, "duration_min": 60 },
        "max_driving_min": driving,
        "cost_per_hour": 32.0,
        "cost_per_km": per_km,
    })
}

/// Frequencies that divide a cycle of `weeks` weeks.
fn frequencies(weeks: u8, rare: bool) -> Vec<Value> {
    let mut options = vec![json!({ "visits": 1 })];
    if weeks.is_multiple_of(2) {
        options.push(json!({ "visits": 1, "per_weeks": 2 }));
    }
    if weeks.is_multiple_of(3) {
        options.push(json!({ "visits": 2, "per_weeks": 3, "min_gap_days": 5 }));
        options.push(json!({ "visits": 1, "per_weeks": 3 }));
    }
    if weeks.is_multiple_of(4) && rare {
        options.push(json!({ "visits": 1, "per_weeks": 4 }));
    }
    options
}

fn stop(index: usize, poi: &Poi, weeks: u8, rng: &mut Pcg64Mcg) -> Value {
    let range = |start: &str, end: &str| json!({ "start": start, "end": end });
    let typical = serde_json::to_value(typical_hours(poi.kind)).unwrap_or_default();
    let named = |fallback: &str| poi.name.clone().unwrap_or_else(|| fallback.to_owned());
    // Markets open on one (drawn) morning; other sites keep the typical hours of their kind.
    let (hours, name, duration, frequency, allowed, priority) = match poi.kind {
        PoiKind::Marketplace => {
            let day = WEEKDAYS[rng.random_range(0..5)];
            let hours: serde_json::Map<String, Value> =
                std::iter::once((day.to_owned(), json!([range("08:00", "12:30")]))).collect();
            (
                Value::Object(hours),
                named("Marché"),
                json!("whole_opening"),
                json!({ "visits": 1 }),
                json!(["bus", "camping_car"]),
                80,
            )
        }
        PoiKind::Library => {
            let options = frequencies(weeks, false);
            let freq = options[rng.random_range(0..options.len())].clone();
            (
                typical,
                named("Médiathèque"),
                json!({ "minutes": 150 }),
                freq,
                json!([]),
                60,
            )
        }
        PoiKind::Townhall => {
            let options = frequencies(weeks, true);
            let freq = options[rng.random_range(0..options.len())].clone();
            (
                typical,
                named("Mairie"),
                json!({ "minutes": 150 }),
                freq,
                json!([]),
                70,
            )
        }
        PoiKind::CommunityCentre | PoiKind::SocialFacility => {
            let options = frequencies(weeks, false);
            let freq = options[rng.random_range(0..options.len())].clone();
            (
                typical,
                named("Centre social"),
                json!({ "minutes": 120 }),
                freq,
                json!([]),
                60,
            )
        }
        kind => {
            let options = frequencies(weeks, true);
            let freq = if kind == PoiKind::Town || kind == PoiKind::City {
                json!({ "visits": 1 })
            } else {
                options[rng.random_range(0..options.len())].clone()
            };
            let name = format!("Place de {}", named("la commune"));
            let minutes = if kind == PoiKind::Hamlet { 90 } else { 120 };
            (
                typical,
                name,
                json!({ "minutes": minutes }),
                freq,
                json!([]),
                50,
            )
        }
    };
    json!({
        "id": format!("s{:03}-{}", index + 1, poi.id.to_string().replace('/', "-")),
        "name": name,
        "kind": stop_kind(poi.kind),
        "location": position(poi.coord),
        "opening_hours": hours,
        "duration": duration,
        "frequency": frequency,
        "allowed_units": allowed,
        "priority": priority,
    })
}

/// Homes on the car network within about 1.5 km of an inhabited place.
fn home_visits(
    args: &ScenarioOptions,
    car: Option<&Router>,
    places: &[Poi],
    rng: &mut Pcg64Mcg,
) -> Vec<Value> {
    let (Some(router), false) = (car, places.is_empty()) else {
        return Vec::new();
    };
    let mut homes = Vec::new();
    let mut attempts = 0;
    while homes.len() < args.home_visits && attempts < args.home_visits * HOME_DRAWS_PER_VISIT {
        attempts += 1;
        let place = &places[rng.random_range(0..places.len())];
        let (dlat, dlon) = (
            rng.random_range(-HOME_SPREAD_LAT_DEG..HOME_SPREAD_LAT_DEG),
            rng.random_range(-HOME_SPREAD_LON_DEG..HOME_SPREAD_LON_DEG),
        );
        let Ok(snapped) = router.snap(
            &[Coord::new(place.coord.lat + dlat, place.coord.lon + dlon)],
            HOME_SNAP_LIMIT_M,
        ) else {
            continue;
        };
        let day = WEEKDAYS[rng.random_range(0..5)];
        let other = WEEKDAYS[rng.random_range(0..5)];
        let (start, end) = if rng.random_bool(0.5) {
            ("09:00", "12:00")
        } else {
            ("14:00", "17:00")
        };
        let mut slots = vec![json!({ "weekday": day, "start": start, "end": end })];
        if other != day {
            slots.push(json!({ "weekday": other, "start": "09:30", "end": "16:30" }));
        }
        let duration = [45, 60, 75, 90][rng.random_range(0..4)];
        homes.push(json!({
            "id": format!("hv-{:03}", homes.len() + 1),
            "location": position(snapped[0].point),
            "duration_min": duration,
            "slots": slots,
            "priority": rng.random_range(30..=90),
            "allowed_units": ["car"],
        }));
    }
    homes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_that_does_not_read_is_a_builder_fault_not_an_output_one() {
        let error = into_problem(json!({ "name": "no units" })).unwrap_err();
        assert!(matches!(error, Error::Scenario(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.contains("scenario built"), "{message}");
        assert!(!message.contains("output"), "{message}");
    }
}
