//! The territories the service routes on: each extract given at start, with the road network
//! of every kind of unit (through the graph cache), its points of interest and its bounding
//! box. Units larger than a kind's defaults get their own network, built once and kept.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use optimizer::planning::matrices::Matrices;
use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory, UnitKind};
use osm_data::geo::{BoundingBox, Coord};
use osm_data::ids::NodeIdx;
use osm_data::import::{CachePolicy, import, import_profile};
use osm_data::pois::{Poi, read_pois};
use osm_data::profile::Profile;
use osm_data::progress::Silent;
use osm_data::router::Router;

use crate::adapt::{given_matrices, profile_kind, profiles, road_matrices};
use crate::error::{Error, Result};

/// Every kind of unit, in the order networks are built.
pub const KINDS: [UnitKind; 4] = [
    UnitKind::Bus,
    UnitKind::CampingCar,
    UnitKind::Triporteur,
    UnitKind::Car,
];

/// One loaded extract.
pub struct Territory {
    /// Its id: the file name without `.osm.pbf`.
    pub id: String,
    /// The extract.
    pub path: PathBuf,
    /// The default network of each kind of unit.
    pub routers: BTreeMap<UnitKind, Arc<Router>>,
    /// Candidate stop sites.
    pub pois: Vec<Poi>,
    /// The extent of its road network.
    pub bbox: Option<BoundingBox>,
    /// Networks built for non-default vehicle sizes, by profile fingerprint.
    custom: Mutex<HashMap<Vec<u8>, Arc<Router>>>,
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
    /// Loads an extract: every kind's network (from the cache when it can), its points of
    /// interest and its extent.
    ///
    /// # Errors
    /// The errors of reading the extract or building its graphs.
    pub fn load(path: &Path, cache: &CachePolicy) -> Result<Territory> {
        let defaults: Vec<Profile> = KINDS
            .iter()
            .map(|k| Profile::new(profile_kind(*k)))
            .collect();
        let imported = import(path, &defaults, cache, &Silent)?;
        let routers: BTreeMap<UnitKind, Arc<Router>> = KINDS
            .iter()
            .copied()
            .zip(imported.into_iter().map(|(router, _)| Arc::new(router)))
            .collect();
        let bbox = routers.get(&UnitKind::Car).and_then(|router| {
            let graph = router.graph();
            BoundingBox::around(
                (0..graph.node_count())
                    .map(|i| graph.node_coord(NodeIdx(u32::try_from(i).unwrap_or(u32::MAX)))),
            )
        });
        Ok(Territory {
            id: territory_id(path),
            path: path.to_owned(),
            routers,
            pois: read_pois(path, &Silent)?,
            bbox,
            custom: Mutex::new(HashMap::new()),
        })
    }

    /// The network for `profile`: the default one of its kind when the numbers match, else one
    /// built (or loaded from the cache) for it and kept.
    ///
    /// # Errors
    /// The errors of building a graph (an invalid profile).
    pub fn router(&self, profile: &Profile, cache: &CachePolicy) -> Result<Arc<Router>> {
        let fingerprint = profile.fingerprint();
        if let Some(router) = self
            .routers
            .values()
            .find(|r| r.graph().profile().fingerprint() == fingerprint)
        {
            return Ok(router.clone());
        }
        let mut custom = self
            .custom
            .lock()
            .map_err(|_| Error::Internal("a graph build panicked".into()))?;
        if let Some(router) = custom.get(&fingerprint) {
            return Ok(router.clone());
        }
        let (router, _) = import_profile(&self.path, profile, cache, &Silent)?;
        let router = Arc::new(router);
        custom.insert(fingerprint, router.clone());
        Ok(router)
    }

    /// Whether a position lies in the territory's extent.
    pub fn covers(&self, at: Coord) -> bool {
        self.bbox.is_some_and(|b| b.contains(at))
    }
}

/// Every loaded territory and the cache they came from.
pub struct Territories {
    /// The territories, in the order given.
    pub list: Vec<Territory>,
    /// The graph cache, for networks of non-default sizes.
    pub cache: CachePolicy,
}

impl Territories {
    /// The territory with this id.
    pub fn get(&self, id: &str) -> Option<&Territory> {
        self.list.iter().find(|t| t.id == id)
    }

    /// The territory a problem names: `{"extract": "andorra-2021"}` (its id, or the file name
    /// or path it was loaded from). `None` for problems that bring their own matrices.
    ///
    /// # Errors
    /// [`Error::Invalid`] at `/territory/extract` when no loaded territory has that name: the
    /// service never reads files a client names.
    pub fn of_problem(&self, problem: &PlanningProblem) -> Result<Option<&Territory>> {
        let ProblemTerritory::Extract(name) = &problem.territory else {
            return Ok(None);
        };
        let wanted = territory_id(name);
        self.list
            .iter()
            .find(|t| t.id == wanted || t.path == *name)
            .map(Some)
            .ok_or_else(|| {
                let known: Vec<&str> = self.list.iter().map(|t| t.id.as_str()).collect();
                Error::Invalid(vec![crate::error::Violation::new(
                    "/territory/extract",
                    format!(
                        "no territory {:?} is loaded; loaded: {}",
                        name.display(),
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                )])
            })
    }

    /// The matrices of a problem: its own, or computed on its territory's networks.
    ///
    /// # Errors
    /// As [`Territories::of_problem`] and [`road_matrices`].
    pub fn matrices(&self, problem: &PlanningProblem) -> Result<Matrices> {
        let Some(territory) = self.of_problem(problem)? else {
            return given_matrices(problem);
        };
        let routers = self.routers_for(territory, problem)?;
        let by_kind: Vec<(UnitKind, &Router)> =
            routers.iter().map(|(k, r)| (*k, r.as_ref())).collect();
        road_matrices(problem, &by_kind)
    }

    /// The network of each kind of unit a problem uses, sized for its largest unit.
    ///
    /// # Errors
    /// As [`Territory::router`].
    pub fn routers_for(
        &self,
        territory: &Territory,
        problem: &PlanningProblem,
    ) -> Result<Vec<(UnitKind, Arc<Router>)>> {
        profiles(&problem.units)
            .into_iter()
            .map(|(kind, profile)| Ok((kind, territory.router(&profile, &self.cache)?)))
            .collect()
    }
}
