//! A territory: one OpenStreetMap extract and what the planner needs of it (a road network per
//! profile, its points of interest, its demand, its geocoder), each read on first use and kept,
//! so that a long-lived caller (the HTTP service) reads the extract once for all its requests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use geocoder::Index;
use geocoder::index::store::load_or_build;
use optimizer::planning::matrices::Matrices;
use optimizer::planning::problem::{PlanningProblem, UnitKind};
use osm_data::demand::{DemandPlace, read_demand};
use osm_data::geo::{BoundingBox, Coord};
use osm_data::ids::NodeIdx;
use osm_data::import::{CachePolicy, import};
use osm_data::pois::{Poi, read_pois};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::{Progress, Silent};
use osm_data::router::Router;

use crate::error::{Error, Result, Violation};
use crate::matrices::{off_road_places, road_matrices};
use crate::profiles::{KINDS, profile_kind, profiles};

/// Routers already built, by profile fingerprint.
type Routers = HashMap<Vec<u8>, Arc<Router>>;

/// One extract with its road networks, points of interest and demand, each loaded on first
/// use and kept (shared between threads).
pub struct Territory {
    /// Its id: the file name without `.osm.pbf`.
    pub id: String,
    /// The extract.
    pub path: PathBuf,
    /// Every network built so far.
    routers: Mutex<Routers>,
    /// Held while networks are built, one build at a time.
    building: Mutex<()>,
    /// Its points of interest, once read.
    pois: OnceLock<Vec<Poi>>,
    /// Its inhabited places with their population, once estimated.
    demand: OnceLock<Vec<DemandPlace>>,
    /// The extent of its car network, once that network is loaded.
    bbox: OnceLock<Option<BoundingBox>>,
    /// Its offline geocoder, once built or loaded.
    geocoder: OnceLock<Arc<Index>>,
}

/// The id of an extract: its file name without `.osm.pbf` (or `.pbf`).
pub fn territory_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".osm.pbf")
        .or_else(|| name.strip_suffix(".pbf"))
        .unwrap_or(&name);
    stem.to_owned()
}

impl Territory {
    /// The territory of an extract, nothing read yet: each part is read when first asked for.
    pub fn open(path: &Path) -> Territory {
        Territory {
            id: territory_id(path),
            path: path.to_owned(),
            routers: Mutex::new(HashMap::new()),
            building: Mutex::new(()),
            pois: OnceLock::new(),
            demand: OnceLock::new(),
            bbox: OnceLock::new(),
            geocoder: OnceLock::new(),
        }
    }

    /// The territory of an extract with every kind of unit's default network (from the cache
    /// when it can) and its points of interest read at once: what a service needs to answer
    /// its first request without waiting.
    ///
    /// # Errors
    /// The errors of reading the extract or building its graphs.
    pub fn load(path: &Path, cache: &CachePolicy, progress: &dyn Progress) -> Result<Territory> {
        let territory = Territory::open(path);
        let defaults: Vec<Profile> = KINDS
            .iter()
            .map(|k| Profile::new(profile_kind(*k)))
            .collect();
        territory.routers(&defaults, cache, progress)?;
        territory.pois(progress)?;
        Ok(territory)
    }

    /// The network of each profile, in the order given: those already built as they are, the
    /// others built together (the extract is decoded once for all of them) and kept. Networks
    /// already built stay readable by other threads while a build runs; two builds never run
    /// at once, so a network asked for twice is built once.
    ///
    /// # Errors
    /// The errors of building a graph (an invalid profile, an unreadable extract);
    /// [`Error::Internal`] when an earlier build panicked.
    pub fn routers(
        &self,
        profiles: &[Profile],
        cache: &CachePolicy,
        progress: &dyn Progress,
    ) -> Result<Vec<Arc<Router>>> {
        if !self.missing(profiles)?.is_empty() {
            let _building = self.building.lock().map_err(|_| panicked())?;
            // Another thread may have built some while this one waited.
            let missing = self.missing(profiles)?;
            if !missing.is_empty() {
                let built = import(&self.path, &missing, cache, progress)?;
                let mut routers = self.routers.lock().map_err(|_| panicked())?;
                for (profile, (router, _)) in missing.iter().zip(built) {
                    let fingerprint = profile.fingerprint();
                    if fingerprint == car_fingerprint() {
                        let _ = self.bbox.set(extent(&router));
                    }
                    routers.insert(fingerprint, Arc::new(router));
                }
            }
        }
        let routers = self.routers.lock().map_err(|_| panicked())?;
        profiles
            .iter()
            .map(|p| {
                routers.get(&p.fingerprint()).cloned().ok_or_else(|| {
                    Error::Internal(format!("no {} network was built", p.kind.name()))
                })
            })
            .collect()
    }

    /// The profiles of `profiles` whose network is not built yet, each once.
    fn missing(&self, profiles: &[Profile]) -> Result<Vec<Profile>> {
        let routers = self.routers.lock().map_err(|_| panicked())?;
        let mut missing: Vec<Profile> = Vec::new();
        for profile in profiles {
            let fingerprint = profile.fingerprint();
            let listed = missing.iter().any(|p| p.fingerprint() == fingerprint);
            if !routers.contains_key(&fingerprint) && !listed {
                missing.push(profile.clone());
            }
        }
        Ok(missing)
    }

    /// The network for `profile`: the one already built for the same numbers, else one built
    /// (or loaded from the cache) now and kept.
    ///
    /// # Errors
    /// As [`Territory::routers`].
    pub fn router(&self, profile: &Profile, cache: &CachePolicy) -> Result<Arc<Router>> {
        let mut one = self.routers(std::slice::from_ref(profile), cache, &Silent)?;
        Ok(one.swap_remove(0))
    }

    /// The default network of a kind of unit if it is built already (never builds it).
    pub fn loaded_router(&self, kind: UnitKind) -> Option<Arc<Router>> {
        let fingerprint = Profile::new(profile_kind(kind)).fingerprint();
        self.routers.lock().ok()?.get(&fingerprint).cloned()
    }

    /// The network of each kind of unit a problem uses, sized for its largest unit of that
    /// kind.
    ///
    /// # Errors
    /// As [`Territory::routers`].
    pub fn routers_for(
        &self,
        problem: &PlanningProblem,
        cache: &CachePolicy,
        progress: &dyn Progress,
    ) -> Result<Vec<(UnitKind, Arc<Router>)>> {
        let by_kind = profiles(&problem.units);
        let wanted: Vec<Profile> = by_kind.values().cloned().collect();
        let routers = self.routers(&wanted, cache, progress)?;
        Ok(by_kind.into_keys().zip(routers).collect())
    }

    /// The matrices of `problem` on this territory's networks (see [`road_matrices`]).
    ///
    /// # Errors
    /// As [`Territory::routers`] and [`road_matrices`].
    pub fn matrices(
        &self,
        problem: &PlanningProblem,
        cache: &CachePolicy,
        progress: &dyn Progress,
    ) -> Result<Matrices> {
        let routers = self.routers_for(problem, cache, progress)?;
        road_matrices(problem, &borrowed(&routers))
    }

    /// Every place of `problem` that no network allowed there reaches (see
    /// [`off_road_places`]).
    ///
    /// # Errors
    /// As [`Territory::routers`] and [`off_road_places`].
    pub fn off_road_places(
        &self,
        problem: &PlanningProblem,
        cache: &CachePolicy,
    ) -> Result<Vec<Violation>> {
        let routers = self.routers_for(problem, cache, &Silent)?;
        off_road_places(problem, &borrowed(&routers))
    }

    /// Its points of interest (markets, public buildings, car parks, inhabited places).
    ///
    /// # Errors
    /// The errors of reading the extract.
    pub fn pois(&self, progress: &dyn Progress) -> Result<&[Poi]> {
        if let Some(pois) = self.pois.get() {
            return Ok(pois);
        }
        let read = read_pois(&self.path, progress)?;
        Ok(self.pois.get_or_init(|| read))
    }

    /// Its offline geocoder (addresses, streets, places and points of interest of the extract),
    /// loaded from the graph cache or built and saved there on first use, then shared.
    ///
    /// # Errors
    /// The errors of reading the extract.
    pub fn geocoder(&self, cache: &CachePolicy, progress: &dyn Progress) -> Result<Arc<Index>> {
        if let Some(index) = self.geocoder.get() {
            return Ok(Arc::clone(index));
        }
        let (index, _) = load_or_build(&self.path, cache, progress)?;
        Ok(Arc::clone(self.geocoder.get_or_init(|| Arc::new(index))))
    }

    /// Its inhabited places with their estimated population and commune.
    ///
    /// # Errors
    /// The errors of reading the extract.
    pub fn demand(&self, progress: &dyn Progress) -> Result<&[DemandPlace]> {
        if let Some(demand) = self.demand.get() {
            return Ok(demand);
        }
        let read = read_demand(&self.path, progress)?;
        Ok(self.demand.get_or_init(|| read))
    }

    /// The extent of its road network, once the car network is loaded.
    pub fn bbox(&self) -> Option<BoundingBox> {
        self.bbox.get().copied().flatten()
    }

    /// Whether a position lies in the territory's extent (known once the car network is
    /// loaded).
    pub fn covers(&self, at: Coord) -> bool {
        self.bbox().is_some_and(|b| b.contains(at))
    }
}

/// Routers by kind, borrowed for the matrix builders.
fn borrowed(routers: &[(UnitKind, Arc<Router>)]) -> Vec<(UnitKind, &Router)> {
    routers.iter().map(|(k, r)| (*k, r.as_ref())).collect()
}

/// The error of a lock left poisoned by a build that panicked.
fn panicked() -> Error {
    Error::Internal("a graph build panicked".into())
}

fn car_fingerprint() -> Vec<u8> {
    Profile::new(ProfileKind::Car).fingerprint()
}

/// The extent of a router's nodes.
fn extent(router: &Router) -> Option<BoundingBox> {
    let graph = router.graph();
    BoundingBox::around(
        (0..graph.node_count())
            .map(|i| graph.node_coord(NodeIdx(u32::try_from(i).unwrap_or(u32::MAX)))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/village.osm.pbf")
    }

    #[test]
    fn each_part_is_read_once_and_kept() {
        let territory = Territory::open(&village());
        assert_eq!(territory.id, "village");
        assert!(
            territory.bbox().is_none(),
            "nothing is read before it is asked for"
        );
        let car = Profile::new(ProfileKind::Car);
        let cache = CachePolicy::Disabled;
        let first = territory
            .routers(&[car.clone(), car.clone()], &cache, &Silent)
            .unwrap();
        assert!(Arc::ptr_eq(&first[0], &first[1]), "one network per profile");
        let again = territory.router(&car, &cache).unwrap();
        assert!(Arc::ptr_eq(&first[0], &again), "kept, not built again");
        assert!(territory.loaded_router(UnitKind::Car).is_some());
        assert!(territory.loaded_router(UnitKind::Bus).is_none());
        let node = first[0].graph().node_coord(NodeIdx(0));
        assert!(territory.covers(node));
        let pois = territory.pois(&Silent).unwrap().as_ptr();
        assert_eq!(territory.pois(&Silent).unwrap().as_ptr(), pois);
        let geocoder = territory.geocoder(&cache, &Silent).unwrap();
        assert!(Arc::ptr_eq(
            &geocoder,
            &territory.geocoder(&cache, &Silent).unwrap()
        ));
    }
}
