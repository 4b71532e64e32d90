//! The territories the service routes on: each extract given at start, loaded once (every
//! kind's network, its points of interest) and kept for every request and job; networks for
//! larger units, the foot network and the demand are added on first use and kept too.

use std::path::Path;
use std::sync::Arc;

use optimizer::planning::matrices::Matrices;
use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory, UnitKind};
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use osm_data::router::Router;
use territory::Territory;
use territory::extract::territory_id;
use territory::matrices::given_matrices;

use crate::error::{Error, Result, Violation};

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
        self.named(name).map(Some)
    }

    /// The loaded territory a problem's extract names: its id, or the file name or path it
    /// was loaded from.
    pub fn find(&self, name: &Path) -> Option<&Territory> {
        let wanted = territory_id(name);
        self.list.iter().find(|t| t.id == wanted || t.path == *name)
    }

    /// The loaded territory called `name` in a problem, as [`Territories::find`].
    ///
    /// # Errors
    /// [`Error::Invalid`] at `/territory/extract` when no loaded territory has that name.
    pub fn named(&self, name: &Path) -> Result<&Territory> {
        self.find(name).ok_or_else(|| {
            let known: Vec<&str> = self.list.iter().map(|t| t.id.as_str()).collect();
            Error::Invalid(vec![Violation::new(
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
    /// As [`Territories::of_problem`] and [`Territory::matrices`].
    pub fn matrices(&self, problem: &PlanningProblem) -> Result<Matrices> {
        Ok(match self.of_problem(problem)? {
            Some(territory) => territory.matrices(problem, &self.cache, &Silent)?,
            None => given_matrices(problem)?,
        })
    }

    /// The network of each kind of unit a problem uses, sized for its largest unit.
    ///
    /// # Errors
    /// As [`Territory::routers_for`].
    pub fn routers_for(
        &self,
        territory: &Territory,
        problem: &PlanningProblem,
    ) -> Result<Vec<(UnitKind, Arc<Router>)>> {
        Ok(territory.routers_for(problem, &self.cache, &Silent)?)
    }
}
