//! The coverage promise of a plan's stops: which inhabitants each stop serves within N
//! minutes, so that a poorly attended stop is dropped only when everyone it serves keeps
//! another stop within reach (issue 19). The same demand, placing and access times as
//! [`super::run`], with the plan's stops as the only candidates.

use std::collections::HashMap;

use optimizer::coverage::{DemandIdx, SiteIdx};
use osm_data::import::CachePolicy;
use osm_data::progress::Progress;

use super::CoverageRequest;
use super::placed::Placed;
use crate::error::Result;
use crate::extract::Territory;

/// Who each stop serves within the promise.
#[derive(Clone, Debug, PartialEq)]
pub struct Promise {
    /// Demand points: name and weight (people).
    pub demand: Vec<(String, f64)>,
    /// Per stop id, the demand points within the threshold of it; a stop the unit cannot
    /// reach serves nobody.
    pub reach: HashMap<String, Vec<usize>>,
}

impl Promise {
    /// Evaluates `request` (its `candidates` being the plan's stops; the extract's own sites are
    /// ignored) on `territory`.
    ///
    /// # Errors
    /// [`crate::Error::Invalid`] for an invalid request; the errors of reading the extract.
    pub fn evaluate(
        territory: &Territory,
        request: &CoverageRequest,
        cache: &CachePolicy,
        progress: &dyn Progress,
    ) -> Result<Promise> {
        request.coverage_model()?;
        let request = CoverageRequest {
            osm_candidates: false,
            ..request.clone()
        };
        let placed = Placed::load(territory, &request, cache, progress)?;
        let times = placed.access_times()?;
        let threshold_s = (request.minutes * 60.0).round() as u32;
        let mut reach: HashMap<String, Vec<usize>> = request
            .candidates
            .iter()
            .map(|c| (c.id.clone(), Vec::new()))
            .collect();
        for (s, site) in placed.sites.iter().enumerate() {
            let within = (0..placed.demand.len())
                .filter(|&d| times.seconds(DemandIdx(d as u32), SiteIdx(s as u32)) <= threshold_s)
                .collect();
            reach.insert(site.id.clone(), within);
        }
        Ok(Promise {
            demand: placed
                .demand
                .iter()
                .map(|d| (d.name.clone(), d.weight))
                .collect(),
            reach,
        })
    }

    /// People within the threshold of at least one of `open`.
    pub fn covered_weight<'a>(&self, open: impl IntoIterator<Item = &'a str>) -> f64 {
        let mut covered = vec![false; self.demand.len()];
        for stop in open {
            for &d in self.reach.get(stop).into_iter().flatten() {
                covered[d] = true;
            }
        }
        covered
            .iter()
            .zip(&self.demand)
            .filter(|(c, _)| **c)
            .map(|(_, (_, weight))| weight)
            .sum()
    }

    /// Everyone, reached or not.
    pub fn total_weight(&self) -> f64 {
        self.demand.iter().map(|(_, weight)| weight).sum()
    }

    /// Demand points `stop` serves that no other stop of `open` reaches: the people who would
    /// lose their stop were it dropped.
    pub fn orphans(&self, stop: &str, open: &[&str]) -> Vec<usize> {
        let others: Vec<&Vec<usize>> = open
            .iter()
            .filter(|s| **s != stop)
            .filter_map(|s| self.reach.get(*s))
            .collect();
        self.reach
            .get(stop)
            .into_iter()
            .flatten()
            .copied()
            .filter(|d| !others.iter().any(|list| list.contains(d)))
            .collect()
    }
}
