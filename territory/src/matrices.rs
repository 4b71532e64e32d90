//! Where the road network meets the planner: the travel-time and distance matrices of a
//! planning problem's territory, one per kind of unit, built on the extract by `osm-data`, and
//! the places no network reaches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use optimizer::model::{Profile as Travel, TravelTable};
use optimizer::planning::instance::place_field;
use optimizer::planning::matrices::Matrices;
use optimizer::planning::problem::{
    PlanningProblem, Position, Territory as ProblemTerritory, UnitKind,
};
use optimizer::planning::unserved::{RoadTried, roads_message};
use osm_data::geo::Coord;
use osm_data::import::CachePolicy;
use osm_data::progress::Progress;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use osm_data::snap::Snap;

use crate::error::{Error, Result, Violation};
use crate::extract::Territory;
use crate::too_far::TooFar;

/// The extract a territory names, relative paths read from the problem file's folder.
pub fn extract_path(problem: &PlanningProblem, problem_file: &Path) -> Option<PathBuf> {
    match &problem.territory {
        ProblemTerritory::Extract(path) if path.is_relative() => {
            Some(problem_file.parent().unwrap_or(Path::new(".")).join(path))
        }
        ProblemTerritory::Extract(path) => Some(path.clone()),
        ProblemTerritory::Matrices(_) => None,
    }
}

/// Every location of the problem in matrix order (each unit's depot, each stop, each home
/// visit), with the unit kinds that may go there.
fn locations(problem: &PlanningProblem) -> Vec<(Position, Vec<UnitKind>)> {
    let all = |allowed: &[UnitKind]| -> Vec<UnitKind> {
        let kinds = problem.units.iter().map(|u| u.kind);
        kinds
            .filter(|k| allowed.is_empty() || allowed.contains(k))
            .collect()
    };
    let units = problem
        .units
        .iter()
        .map(|u| (u.depot.clone(), vec![u.kind]));
    let stops = (problem.stops.iter()).map(|s| (s.location.clone(), all(&s.allowed_units)));
    let homes = (problem.home_visits.iter()).map(|h| (h.location.clone(), all(&h.allowed_units)));
    units.chain(stops).chain(homes).collect()
}

/// The matrices of `problem`'s territory: given ones as they are, or computed on its extract.
///
/// Each kind's matrix covers the places units of that kind may serve; the others, and places
/// farther than the snapping limit from its roads, are unreachable for it (see
/// [`road_matrices`]).
pub fn territory_matrices(
    problem: &PlanningProblem,
    problem_file: &Path,
    cache: &CachePolicy,
    progress: &dyn Progress,
) -> Result<Matrices> {
    match extract_path(problem, problem_file) {
        Some(extract) => Territory::open(&extract).matrices(problem, cache, progress),
        None => given_matrices(problem),
    }
}

/// The matrices a problem brings itself (none when it names an extract).
///
/// # Errors
/// A matrix that is not square (validation reports it first, with its row).
pub fn given_matrices(problem: &PlanningProblem) -> Result<Matrices> {
    Ok(match &problem.territory {
        ProblemTerritory::Matrices(matrices) => Matrices::given(matrices)?,
        ProblemTerritory::Extract(_) => Matrices::new(),
    })
}

/// Each place of a problem on the network of each kind of unit allowed there.
struct Placement {
    /// Per router, each place's position on its network: none where the kind is not allowed
    /// or the place is off its roads.
    snaps: Vec<Vec<Option<Snap>>>,
    /// The networks that could not take each place, with their nearest roads.
    off_road: BTreeMap<usize, Vec<RoadTried>>,
}

/// Puts every place of `problem` on the networks allowed there.
///
/// # Errors
/// A snapping error other than a place too far from the roads (a coordinate validation let
/// through).
fn place_on_roads(problem: &PlanningProblem, routers: &[(UnitKind, &Router)]) -> Result<Placement> {
    let places = locations(problem);
    let mut off_road: BTreeMap<usize, Vec<RoadTried>> = BTreeMap::new();
    let mut snaps = Vec::with_capacity(routers.len());
    for &(kind, router) in routers {
        let mut on_network = Vec::with_capacity(places.len());
        for (i, (at, allowed)) in places.iter().enumerate() {
            if !allowed.contains(&kind) {
                on_network.push(None);
                continue;
            }
            match router.snap(&[Coord::new(at.lat, at.lon)], DEFAULT_SNAP_LIMIT_M) {
                Ok(snap) => on_network.push(snap.into_iter().next()),
                Err(error) => {
                    let far = TooFar::of(&error).ok_or(error)?;
                    off_road.entry(i).or_default().push(far.tried(kind));
                    on_network.push(None);
                }
            }
        }
        snaps.push(on_network);
    }
    Ok(Placement { snaps, off_road })
}

/// Every place of `problem` that no network of a kind allowed to serve it reaches within the
/// snapping limit, as the field at fault and why: the refusal asked for by `strict` callers,
/// who want a slip in a coordinate refused rather than planned as an unserved item.
///
/// # Errors
/// As [`place_on_roads`].
pub fn off_road_places(
    problem: &PlanningProblem,
    routers: &[(UnitKind, &Router)],
) -> Result<Vec<Violation>> {
    let placement = place_on_roads(problem, routers)?;
    let tried = placement.off_road.iter().map(|(p, t)| (*p, t.as_slice()));
    Ok(unreachable(problem, tried, |place| {
        placement.snaps.iter().any(|on| on[place].is_some())
    }))
}

/// The refusal `tournee plan --strict` asks for: [`off_road_places`] on matrices already
/// built.
///
/// # Errors
/// [`Error::Invalid`] listing every place off the roads.
pub fn refuse_off_road(problem: &PlanningProblem, matrices: &Matrices) -> Result<()> {
    let faults = unreachable(problem, matrices.off_road_places(), |place| {
        matrices.kinds().any(|kind| matrices.reaches(kind, place))
    });
    if faults.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(faults))
    }
}

/// The places some network could not take that no network reaches, as violations.
fn unreachable<'a>(
    problem: &PlanningProblem,
    off_road: impl Iterator<Item = (usize, &'a [RoadTried])>,
    reached: impl Fn(usize) -> bool,
) -> Vec<Violation> {
    off_road
        .filter(|(place, _)| !reached(*place))
        .map(|(place, tried)| Violation::new(place_field(problem, place), roads_message(tried)))
        .collect()
}

/// The matrices of `problem` on prepared road networks, one router per kind of unit it uses
/// (see [`territory_matrices`] and [`Territory::matrices`]).
///
/// Each kind's table holds only the places its units may serve and its roads reach: the others
/// stay out of it rather than filling rows of unreachable cells, and the places off its roads
/// are recorded with their nearest road, for the plan to give as the reason they are not
/// served.
///
/// # Errors
/// Routing errors.
pub fn road_matrices(
    problem: &PlanningProblem,
    routers: &[(UnitKind, &Router)],
) -> Result<Matrices> {
    let Placement { snaps, off_road } = place_on_roads(problem, routers)?;
    let mut matrices = Matrices::new();
    for (&(kind, router), on_network) in routers.iter().zip(snaps) {
        let mut rows = Vec::with_capacity(on_network.len());
        let mut held = Vec::new();
        for snap in on_network {
            rows.push(snap.is_some().then_some(held.len()));
            held.extend(snap);
        }
        let (durations, distances) = router.matrix(&held, &held)?.into_tables();
        let table = TravelTable::new(held.len(), durations, distances)?;
        matrices.insert(kind, Travel::mapped(table, &rows)?);
    }
    for (place, tried) in off_road {
        for road in tried {
            matrices.mark_off_road(place, road);
        }
    }
    Ok(matrices)
}
