//! A coverage request placed on its territory: demand points and candidate sites on the road
//! networks of the access mode and of the unit, and the access times between them.

use std::collections::HashMap;
use std::sync::Arc;

use optimizer::coverage::AccessTimes;
use optimizer::planning::problem::StopKind;
use optimizer::planning::time::WeeklyHours;
use osm_data::demand::{DemandPlace, PopulationSource};
use osm_data::geo::Coord;
use osm_data::import::CachePolicy;
use osm_data::pois::PoiKind;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Progress;
use osm_data::router::Router;
use osm_data::snap::Snap;
use serde::Serialize;

use super::{AccessMode, CoverageRequest};
use crate::error::Result;
use crate::extract::Territory;
use crate::profiles::profile_kind;
use crate::sites::{HoursSource, site_hours, stop_kind};
use crate::too_far::TooFar;

/// A demand point placed (or not) on the access network.
pub struct DemandEntry {
    /// Its id (`node/123` for a place of the extract).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Where it is.
    pub coord: Coord,
    /// Its weight (people).
    pub weight: f64,
    /// Its group (index into [`Placed::groups`]).
    pub group: usize,
    /// How its population was found (places of the extract only).
    pub source: Option<PopulationSource>,
    /// Its position on the access network, or why it has none.
    pub access: std::result::Result<Snap, String>,
}

/// Where a candidate site comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteOrigin {
    /// A point of interest of the extract.
    Osm,
    /// The user's candidates.
    User,
}

/// A candidate site the unit can reach.
pub struct SiteEntry {
    /// Its id (`way/123` for a site of the extract, the user's id otherwise): the stop id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The kind of stop it makes.
    pub stop_kind: StopKind,
    /// Where the unit parks: the site placed on the unit's network.
    pub parking: Coord,
    /// Where the unit parks, placed on the access network (people travel there).
    pub access: Snap,
    /// When it is open.
    pub hours: WeeklyHours,
    /// Where its hours come from.
    pub hours_source: HoursSource,
    /// Why its `opening_hours` value was not used, if it was not.
    pub hours_note: Option<String>,
    /// Where it comes from.
    pub origin: SiteOrigin,
}

/// A candidate left out, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RejectedSite {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// Demand, candidates and the access network of a request.
pub struct Placed {
    /// Demand points.
    pub demand: Vec<DemandEntry>,
    /// Names of the communes (groups), by index.
    pub groups: Vec<String>,
    /// Candidate sites the unit can reach.
    pub sites: Vec<SiteEntry>,
    /// Candidates left out.
    pub rejected: Vec<RejectedSite>,
    /// The access mode's network.
    pub access: Arc<Router>,
}

impl Placed {
    /// Takes both networks, the points of interest and the demand from `territory` (which
    /// reads what it does not hold yet) and places everything on them.
    ///
    /// # Errors
    /// The errors of reading the extract or building its networks.
    pub fn load(
        territory: &Territory,
        request: &CoverageRequest,
        cache: &CachePolicy,
        progress: &dyn Progress,
    ) -> Result<Self> {
        let mode_kind = match request.mode {
            AccessMode::Car => ProfileKind::Car,
            AccessMode::Foot => ProfileKind::Foot,
        };
        let profiles = [
            Profile::new(mode_kind),
            Profile::new(profile_kind(request.unit)),
        ];
        let routers = territory.routers(&profiles, cache, progress)?;
        let (access, unit) = (routers[0].as_ref(), routers[1].as_ref());
        let limit = request.snap_limit_m;
        let place = |router: &Router, at: Coord, what: &str| {
            router.snap(&[at], limit).map(|s| s[0]).map_err(|e| {
                TooFar::of(&e)
                    .and_then(|far| far.message(what))
                    .unwrap_or_else(|| e.to_string())
            })
        };
        let way = match request.mode {
            AccessMode::Car => "usable by car",
            AccessMode::Foot => "walkable",
        };

        let (demand, groups) = match &request.demand {
            Some(points) => user_demand(points),
            None => osm_demand(territory.demand(progress)?),
        };
        let demand = demand
            .into_iter()
            .map(|(id, name, coord, weight, group, source)| DemandEntry {
                access: place(access, coord, way),
                id,
                name,
                coord,
                weight,
                group,
                source,
            })
            .collect();

        let mut sites = Vec::new();
        let mut rejected = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        if request.osm_candidates {
            for poi in territory.pois(progress)? {
                if poi.kind.is_place() {
                    continue;
                }
                let id = poi.id.to_string();
                let name = poi
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{} {id}", poi.kind.name()));
                candidates.push(Candidate {
                    id,
                    name,
                    at: poi.coord,
                    poi_kind: Some(poi.kind),
                    tagged: poi.opening_hours.clone(),
                    origin: SiteOrigin::Osm,
                });
            }
        }
        for c in &request.candidates {
            candidates.push(Candidate {
                id: c.id.clone(),
                name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                at: Coord::new(c.lat, c.lon),
                poi_kind: None,
                tagged: c.opening_hours.clone(),
                origin: SiteOrigin::User,
            });
        }
        let unit_name = request.unit.name();
        for Candidate {
            id,
            name,
            at,
            poi_kind,
            tagged,
            origin,
        } in candidates
        {
            // People travel to where the unit parks, not to the building's centre.
            let parked = place(unit, at, &format!("usable by the {unit_name}"));
            let reached = parked
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|p| place(access, p.point, way));
            match (parked, reached) {
                (Ok(parking), Ok(snap)) => {
                    let kind = poi_kind.unwrap_or(PoiKind::Parking);
                    let (hours, hours_source, hours_note) = site_hours(kind, tagged.as_deref());
                    sites.push(SiteEntry {
                        id,
                        name,
                        stop_kind: poi_kind.map_or(StopKind::Other, stop_kind),
                        parking: parking.point,
                        access: snap,
                        hours,
                        hours_source,
                        hours_note,
                        origin,
                    });
                }
                (Err(reason), _) | (_, Err(reason)) => {
                    rejected.push(RejectedSite { id, name, reason })
                }
            }
        }
        Ok(Placed {
            demand,
            groups,
            sites,
            rejected,
            access: Arc::clone(&routers[0]),
        })
    }

    /// Access times from every demand point to every site, whole seconds;
    /// [`AccessTimes::UNREACHABLE`] for demand points off the access network.
    ///
    /// # Errors
    /// The matrix's errors (none on a graph of one strongly connected component).
    pub fn access_times(&self) -> Result<AccessTimes> {
        let placed: Vec<(usize, Snap)> = self
            .demand
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.access.as_ref().ok().map(|s| (i, *s)))
            .collect();
        let sources: Vec<Snap> = placed.iter().map(|(_, s)| *s).collect();
        let targets: Vec<Snap> = self.sites.iter().map(|s| s.access).collect();
        let n = targets.len();
        let mut seconds = vec![AccessTimes::UNREACHABLE; self.demand.len() * n];
        if n > 0 && !sources.is_empty() {
            let matrix = self.access.matrix(&sources, &targets)?;
            for (row, (i, _)) in placed.iter().enumerate() {
                for j in 0..n {
                    seconds[i * n + j] = matrix.duration_s(row, j);
                }
            }
        }
        Ok(AccessTimes::new(n, seconds)?)
    }
}

/// A candidate before placing: id, name, position, kind, `opening_hours`, origin.
struct Candidate {
    id: String,
    name: String,
    at: Coord,
    poi_kind: Option<PoiKind>,
    tagged: Option<String>,
    origin: SiteOrigin,
}

/// A demand point before placing: id, name, position, weight, group, population source.
type RawDemand = (String, String, Coord, f64, usize, Option<PopulationSource>);

/// The user's demand points, grouped by their `group` column (each its own group without one).
fn user_demand(points: &[super::inputs::DemandInput]) -> (Vec<RawDemand>, Vec<String>) {
    let mut groups: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let demand = points
        .iter()
        .map(|p| {
            let key = p.group.clone().unwrap_or_else(|| p.id.clone());
            let group = *index.entry(key.clone()).or_insert_with(|| {
                groups.push(key);
                groups.len() - 1
            });
            let name = p.name.clone().unwrap_or_else(|| p.id.clone());
            (
                p.id.clone(),
                name,
                Coord::new(p.lat, p.lon),
                p.weight,
                group,
                None,
            )
        })
        .collect();
    (demand, groups)
}

/// The extract's inhabited places, grouped by commune.
fn osm_demand(places: &[DemandPlace]) -> (Vec<RawDemand>, Vec<String>) {
    let mut groups: Vec<String> = Vec::new();
    let mut index: HashMap<usize, usize> = HashMap::new();
    let name = |i: usize| {
        let p = &places[i].place;
        p.name.clone().unwrap_or_else(|| p.id.to_string())
    };
    let demand = places
        .iter()
        .map(|d| {
            let group = *index.entry(d.commune).or_insert_with(|| {
                groups.push(name(d.commune));
                groups.len() - 1
            });
            let id = d.place.id.to_string();
            let shown = d.place.name.clone().unwrap_or_else(|| id.clone());
            (
                id,
                shown,
                d.place.coord,
                d.population,
                group,
                Some(d.source),
            )
        })
        .collect();
    (demand, groups)
}
