//! What a selection of sites achieves, computed from the instance alone (no solver value is
//! trusted): who is covered, the weight covered, every commune's share.

use serde::{Deserialize, Serialize};

use super::instance::{CoverageInstance, DemandIdx, SiteIdx};

/// The figures of one selection of sites.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The chosen sites, sorted.
    pub sites: Vec<SiteIdx>,
    /// Per demand point, the nearest chosen site within the threshold (by time), if any.
    pub served_by: Vec<Option<SiteIdx>>,
    /// Total weight of the covered demand points.
    pub covered_weight: f64,
    /// Total weight of all demand points.
    pub total_weight: f64,
    /// Weight of the demand points that some candidate could cover.
    pub coverable_weight: f64,
    /// Covered demand points whose group can be covered at all: covered weight over coverable
    /// weight, per group (`None` for a group no candidate reaches).
    pub group_shares: Vec<Option<f64>>,
    /// The smallest of the group shares (1 when no group can be covered).
    pub min_group_share: f64,
    /// Number of coverable demand points left uncovered.
    pub uncovered_coverable: usize,
}

impl Evaluation {
    /// Evaluates `sites` (duplicates ignored). `nearest` orders the sites a demand point may
    /// be served by: pass the access time so that `served_by` names the closest one.
    pub fn of(
        instance: &CoverageInstance,
        sites: &[SiteIdx],
        time: impl Fn(DemandIdx, SiteIdx) -> u32,
    ) -> Self {
        let mut chosen = vec![false; instance.site_count()];
        for s in sites {
            chosen[s.index()] = true;
        }
        let sorted: Vec<SiteIdx> = instance
            .site_indices()
            .filter(|s| chosen[s.index()])
            .collect();
        let groups = instance.group_count();
        let mut covered_by_group = vec![0.0; groups];
        let coverable_by_group = instance.coverable_weight_by_group();
        let (mut covered_weight, mut total_weight, mut uncovered_coverable) = (0.0, 0.0, 0);
        let served_by: Vec<Option<SiteIdx>> = instance
            .demand_indices()
            .map(|d| {
                let demand = instance.demand()[d.index()];
                total_weight += demand.weight;
                let best = instance
                    .reach(d)
                    .iter()
                    .filter(|s| chosen[s.index()])
                    .min_by_key(|s| (time(d, **s), **s))
                    .copied();
                match best {
                    Some(_) => {
                        covered_weight += demand.weight;
                        covered_by_group[demand.group.index()] += demand.weight;
                    }
                    None if instance.coverable(d) => uncovered_coverable += 1,
                    None => {}
                }
                best
            })
            .collect();
        let group_shares: Vec<Option<f64>> = covered_by_group
            .iter()
            .zip(&coverable_by_group)
            .map(|(covered, coverable)| (*coverable > 0.0).then(|| covered / coverable))
            .collect();
        let min_group_share = group_shares.iter().flatten().copied().fold(1.0, f64::min);
        Evaluation {
            sites: sorted,
            served_by,
            covered_weight,
            total_weight,
            coverable_weight: coverable_by_group.iter().sum(),
            group_shares,
            min_group_share,
            uncovered_coverable,
        }
    }

    /// Number of chosen sites.
    pub fn stops(&self) -> usize {
        self.sites.len()
    }

    /// Whether every demand point that some candidate reaches is covered.
    pub fn covers_all_coverable(&self) -> bool {
        self.uncovered_coverable == 0
    }

    /// Weight served by each site (each demand point counted at its nearest chosen site).
    pub fn weight_by_site(&self, instance: &CoverageInstance) -> Vec<f64> {
        let mut weights = vec![0.0; instance.site_count()];
        for (d, site) in self.served_by.iter().enumerate() {
            if let Some(s) = site {
                weights[s.index()] += instance.demand()[d].weight;
            }
        }
        weights
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::instance::{AccessTimes, Demand, GroupIdx};

    #[test]
    fn shares_count_only_what_can_be_covered() {
        // Point 0 (group 0) reaches site 0; point 1 (group 0) reaches nothing; point 2
        // (group 1) reaches sites 0 and 1, nearer to 1.
        let u = AccessTimes::UNREACHABLE;
        let times = AccessTimes::new(2, vec![60, u, u, u, 300, 120]).unwrap();
        let weights = [10.0, 5.0, 20.0];
        let groups = [0, 0, 1];
        let demand = weights
            .iter()
            .zip(groups)
            .map(|(w, g)| Demand {
                weight: *w,
                group: GroupIdx(g),
            })
            .collect();
        let instance = CoverageInstance::new(demand, 2, &times, 600, Vec::new()).unwrap();
        let time = |d: DemandIdx, s: SiteIdx| times.seconds(d, s);
        let both = Evaluation::of(&instance, &[SiteIdx(1), SiteIdx(0)], time);
        assert_eq!(
            both.served_by,
            vec![Some(SiteIdx(0)), None, Some(SiteIdx(1))]
        );
        assert_eq!((both.covered_weight, both.total_weight), (30.0, 35.0));
        assert_eq!(both.group_shares, vec![Some(1.0), Some(1.0)]);
        assert!(both.covers_all_coverable());
        let one = Evaluation::of(&instance, &[SiteIdx(1)], time);
        assert_eq!(one.min_group_share, 0.0);
        assert_eq!(one.uncovered_coverable, 1);
        assert_eq!(one.weight_by_site(&instance), vec![0.0, 20.0]);
    }
}
