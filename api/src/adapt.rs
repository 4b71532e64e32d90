//! Where the road network meets the planner: the travel-time and distance matrices of a
//! planning problem's territory, one per kind of unit, built on the extract by `osm-data`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use optimizer::model::{Profile as Travel, TravelTable};
use optimizer::planning::matrices::Matrices;
use optimizer::planning::problem::{PlanningProblem, Position, Territory, Unit, UnitKind};
use osm_data::geo::Coord;
use osm_data::import::{CachePolicy, import};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Progress;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};

use crate::error::{Error, Result, Violation, json_pointer};

/// The routing profile of a kind of unit.
pub fn profile_kind(kind: UnitKind) -> ProfileKind {
    match kind {
        UnitKind::Bus => ProfileKind::Bus,
        UnitKind::CampingCar => ProfileKind::CampingCar,
        UnitKind::Triporteur => ProfileKind::Triporteur,
        UnitKind::Car => ProfileKind::Car,
    }
}

/// One road network per kind of unit, for the largest (and slowest) of them: units of a kind
/// share their matrices, so a road must suit them all.
pub fn profiles(units: &[Unit]) -> BTreeMap<UnitKind, Profile> {
    let mut profiles: BTreeMap<UnitKind, Profile> = BTreeMap::new();
    for unit in units {
        let profile = profiles
            .entry(unit.kind)
            .or_insert_with(|| Profile::new(profile_kind(unit.kind)));
        let size = &unit.vehicle;
        let larger = |current: &mut f64, wanted: Option<f64>| {
            if let Some(v) = wanted {
                *current = current.max(v);
            }
        };
        larger(&mut profile.height_m, size.height_m);
        larger(&mut profile.width_m, size.width_m);
        larger(&mut profile.length_m, size.length_m);
        larger(&mut profile.weight_t, size.weight_t);
        if let Some(speed) = size.max_speed_kmh {
            profile.max_speed_kmh = profile.max_speed_kmh.min(speed);
        }
        if let (Some(speed), Some(current)) = (size.cruising_speed_kmh, profile.cruising_speed_kmh)
        {
            profile.cruising_speed_kmh = Some(current.min(speed));
        }
    }
    profiles
}

/// The extract a territory names, relative paths read from the problem file's folder.
pub fn extract_path(problem: &PlanningProblem, problem_file: &Path) -> Option<PathBuf> {
    match &problem.territory {
        Territory::Extract(path) if path.is_relative() => {
            Some(problem_file.parent().unwrap_or(Path::new(".")).join(path))
        }
        Territory::Extract(path) => Some(path.clone()),
        Territory::Matrices(_) => None,
    }
}

/// Every location of the problem in matrix order (each unit's depot, each stop, each home
/// visit), with the field that gives it and the unit kinds that may go there.
pub fn locations(problem: &PlanningProblem) -> Vec<(String, Position, Vec<UnitKind>)> {
    let all = |allowed: &[UnitKind]| -> Vec<UnitKind> {
        let kinds = problem.units.iter().map(|u| u.kind);
        kinds
            .filter(|k| allowed.is_empty() || allowed.contains(k))
            .collect()
    };
    let units = problem
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (format!("units[{i}].depot"), u.depot, vec![u.kind]));
    let stops = problem.stops.iter().enumerate().map(|(i, s)| {
        (
            format!("stops[{i}].location"),
            s.location,
            all(&s.allowed_units),
        )
    });
    let homes = problem.home_visits.iter().enumerate().map(|(i, h)| {
        (
            format!("home_visits[{i}].location"),
            h.location,
            all(&h.allowed_units),
        )
    });
    units.chain(stops).chain(homes).collect()
}

/// The matrices of `problem`'s territory: given ones as they are, or computed on its extract.
///
/// Each kind's matrix covers the places units of that kind may serve; the others, and places
/// farther than the snapping limit from its roads, are marked unreachable for it. A place no
/// kind can reach is an error naming its field.
pub fn territory_matrices(
    problem: &PlanningProblem,
    problem_file: &Path,
    cache: &CachePolicy,
    progress: &dyn Progress,
) -> Result<Matrices> {
    let Some(extract) = extract_path(problem, problem_file) else {
        return given_matrices(problem);
    };
    let profiles = profiles(&problem.units);
    let wanted: Vec<Profile> = profiles.values().cloned().collect();
    let routers = import(&extract, &wanted, cache, progress)?;
    let by_kind: Vec<(UnitKind, &Router)> = profiles
        .keys()
        .copied()
        .zip(routers.iter().map(|(router, _)| router))
        .collect();
    road_matrices(problem, &by_kind)
}

/// The matrices a problem brings itself (none when it names an extract).
///
/// # Errors
/// A matrix that is not square (validation reports it first, with its row).
pub fn given_matrices(problem: &PlanningProblem) -> Result<Matrices> {
    Ok(match &problem.territory {
        Territory::Matrices(matrices) => Matrices::given(matrices)?,
        Territory::Extract(_) => Matrices::new(),
    })
}

/// Every place of `problem` that no network of a kind allowed to serve it reaches within the
/// snapping limit, as the field at fault and why: checked when a problem is submitted, so that
/// a typing slip in a coordinate is refused at once rather than failing the job later.
pub fn off_road_places(
    problem: &PlanningProblem,
    routers: &[(UnitKind, &Router)],
) -> Vec<Violation> {
    locations(problem)
        .into_iter()
        .filter_map(|(field, at, allowed)| {
            let mut reason = None;
            for (kind, router) in routers {
                if !allowed.contains(kind) {
                    continue;
                }
                match router.snap(&[Coord::new(at.lat, at.lon)], DEFAULT_SNAP_LIMIT_M) {
                    Ok(_) => return None,
                    Err(e) => reason = reason.or(Some(e)),
                }
            }
            reason.map(|e| Violation::new(json_pointer(&field), off_road_message(&e)))
        })
        .collect()
}

/// Why a place could not be put on a network, without the snapper's point index (always 0
/// here: places are snapped one at a time).
fn off_road_message(error: &osm_data::Error) -> String {
    match error {
        osm_data::Error::TooFarFromRoad {
            distance_m,
            limit_m,
            profile,
            ..
        } if distance_m.is_finite() => format!(
            "no road usable by the {profile} profile within {limit_m:.0} m (nearest at \
             {distance_m:.0} m)"
        ),
        osm_data::Error::TooFarFromRoad { profile, .. } => {
            format!("no road usable by the {profile} profile")
        }
        other => other.to_string(),
    }
}

/// The matrices of `problem` on prepared road networks, one router per kind of unit it uses
/// (see [`territory_matrices`]); the HTTP service calls it with the routers it keeps loaded.
///
/// # Errors
/// [`Error::Location`] naming the field of a place no kind can reach; routing errors.
pub fn road_matrices(
    problem: &PlanningProblem,
    routers: &[(UnitKind, &Router)],
) -> Result<Matrices> {
    let places = locations(problem);
    let n = places.len();
    let mut reached: Vec<Option<std::result::Result<(), osm_data::Error>>> =
        (0..n).map(|_| None).collect();
    let mut matrices = Matrices::new();
    for &(kind, router) in routers {
        // Each kind's table holds only the places its units may serve: the others stay out
        // of it rather than filling rows of unreachable cells.
        let mut rows = vec![None; n];
        let mut snaps = Vec::new();
        for (i, (_, at, allowed)) in places.iter().enumerate() {
            if !allowed.contains(&kind) {
                continue;
            }
            match router.snap(&[Coord::new(at.lat, at.lon)], DEFAULT_SNAP_LIMIT_M) {
                Ok(mut snap) => {
                    rows[i] = Some(snaps.len());
                    snaps.append(&mut snap);
                    reached[i] = Some(Ok(()));
                }
                Err(e) => {
                    reached[i].get_or_insert(Err(e));
                }
            }
        }
        let (durations, distances) = router.matrix(&snaps, &snaps)?.into_tables();
        let table = TravelTable::new(snaps.len(), durations, distances)?;
        matrices.insert(kind, Travel::mapped(Arc::new(table), &rows)?);
    }
    for (i, outcome) in reached.into_iter().enumerate() {
        if let Some(Err(source)) = outcome {
            return Err(Error::Location {
                field: places[i].0.clone(),
                source,
            });
        }
    }
    Ok(matrices)
}
