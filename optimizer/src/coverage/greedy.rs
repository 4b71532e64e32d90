//! Greedy answers, available at once: they seed the mixed-integer models and are what the
//! caller gets first.
//!
//! - Set covering: repeatedly open the site that covers the most still-uncovered demand points
//!   (Chvátal's rule, within a factor ln n of the optimum), then close any site made redundant.
//! - Maximal covering: repeatedly open the site that adds the most covered weight (within
//!   1 − 1/e of the optimum, Nemhauser–Wolsey–Fisher), at most `budget` sites.
//! - Fairness: repeatedly open the site that raises the worst commune's share most, then the
//!   covered weight.
//!
//! Ties go to the site with the higher attendance score, then the lower index.

use super::instance::{CoverageInstance, SiteIdx};

/// A comparable gain: primary, secondary, attendance score.
type Gain = (f64, f64, f64);

/// Picks the site with the best gain among those not chosen; `None` when no gain is positive
/// in its primary or secondary part.
fn best_site(
    instance: &CoverageInstance,
    chosen: &[bool],
    gain: impl Fn(SiteIdx) -> (f64, f64),
) -> Option<SiteIdx> {
    let mut best: Option<(Gain, SiteIdx)> = None;
    for s in instance.site_indices().filter(|s| !chosen[s.index()]) {
        let (primary, secondary) = gain(s);
        if primary <= 0.0 && secondary <= 0.0 {
            continue;
        }
        let key = (primary, secondary, instance.score(s));
        if best.is_none_or(|(b, _)| key > b) {
            best = Some((key, s));
        }
    }
    best.map(|(_, s)| s)
}

/// The fewest sites (greedily) that cover every coverable demand point.
pub fn set_cover(instance: &CoverageInstance) -> Vec<SiteIdx> {
    let mut covered: Vec<bool> = instance
        .demand_indices()
        .map(|d| !instance.coverable(d))
        .collect();
    let mut chosen = vec![false; instance.site_count()];
    let mut order = Vec::new();
    while let Some(s) = best_site(instance, &chosen, |s| {
        let new = instance
            .reached_by(s)
            .iter()
            .filter(|d| !covered[d.index()]);
        let (count, weight) = new.fold((0.0, 0.0), |(c, w), d| {
            (c + 1.0, w + instance.demand()[d.index()].weight)
        });
        (count, if count > 0.0 { weight } else { 0.0 })
    }) {
        chosen[s.index()] = true;
        order.push(s);
        for d in instance.reached_by(s) {
            covered[d.index()] = true;
        }
    }
    drop_redundant(instance, &mut chosen, &order);
    instance
        .site_indices()
        .filter(|s| chosen[s.index()])
        .collect()
}

/// Closes sites whose every demand point another open site also covers, trying the sites
/// opened last (which added least) first.
fn drop_redundant(instance: &CoverageInstance, chosen: &mut [bool], order: &[SiteIdx]) {
    let mut cover_count = vec![0u32; instance.demand().len()];
    for s in order {
        for d in instance.reached_by(*s) {
            cover_count[d.index()] += 1;
        }
    }
    for s in order.iter().rev() {
        let redundant = instance
            .reached_by(*s)
            .iter()
            .all(|d| cover_count[d.index()] > 1);
        if redundant {
            chosen[s.index()] = false;
            for d in instance.reached_by(*s) {
                cover_count[d.index()] -= 1;
            }
        }
    }
}

/// At most `budget` sites (greedily) covering the most weight.
pub fn max_cover(instance: &CoverageInstance, budget: usize) -> Vec<SiteIdx> {
    let mut covered = vec![false; instance.demand().len()];
    let mut chosen = vec![false; instance.site_count()];
    let mut picked = Vec::new();
    while picked.len() < budget {
        let Some(s) = best_site(instance, &chosen, |s| {
            let weight = new_weight(instance, &covered, s);
            (weight, 0.0)
        }) else {
            break;
        };
        chosen[s.index()] = true;
        picked.push(s);
        for d in instance.reached_by(s) {
            covered[d.index()] = true;
        }
    }
    picked.sort();
    picked
}

/// At most `budget` sites (greedily) raising the worst commune's share of coverable weight,
/// then the covered weight.
pub fn fairness(instance: &CoverageInstance, budget: usize) -> Vec<SiteIdx> {
    let coverable = instance.coverable_weight_by_group();
    let mut covered_by_group = vec![0.0; instance.group_count()];
    let mut covered = vec![false; instance.demand().len()];
    let mut chosen = vec![false; instance.site_count()];
    let mut picked = Vec::new();
    let min_share = |by_group: &[f64]| {
        by_group
            .iter()
            .zip(&coverable)
            .filter(|(_, c)| **c > 0.0)
            .map(|(w, c)| w / c)
            .fold(1.0, f64::min)
    };
    while picked.len() < budget {
        let current = min_share(&covered_by_group);
        let Some(s) = best_site(instance, &chosen, |s| {
            let mut by_group = covered_by_group.clone();
            for d in instance
                .reached_by(s)
                .iter()
                .filter(|d| !covered[d.index()])
            {
                let demand = instance.demand()[d.index()];
                by_group[demand.group.index()] += demand.weight;
            }
            (
                min_share(&by_group) - current,
                new_weight(instance, &covered, s),
            )
        }) else {
            break;
        };
        chosen[s.index()] = true;
        picked.push(s);
        for d in instance.reached_by(s) {
            if !covered[d.index()] {
                covered[d.index()] = true;
                let demand = instance.demand()[d.index()];
                covered_by_group[demand.group.index()] += demand.weight;
            }
        }
    }
    picked.sort();
    picked
}

fn new_weight(instance: &CoverageInstance, covered: &[bool], s: SiteIdx) -> f64 {
    instance
        .reached_by(s)
        .iter()
        .filter(|d| !covered[d.index()])
        .map(|d| instance.demand()[d.index()].weight)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::instance::{AccessTimes, Demand, GroupIdx};

    /// Sites 0..3 over 4 points: site 0 covers {0,1}, site 1 {1,2}, site 2 {2,3}, site 3 {0}.
    fn chain(weights: [f64; 4], groups: [u32; 4]) -> CoverageInstance {
        let u = AccessTimes::UNREACHABLE;
        let rows = [[0, u, u, 0], [0, 0, u, u], [u, 0, 0, u], [u, u, 0, u]];
        let times = AccessTimes::new(4, rows.concat()).unwrap();
        let demand = weights
            .iter()
            .zip(groups)
            .map(|(w, g)| Demand {
                weight: *w,
                group: GroupIdx(g),
            })
            .collect();
        let groups = groups.iter().max().map_or(0, |g| *g as usize + 1);
        CoverageInstance::new(demand, groups, &times, 0, Vec::new()).unwrap()
    }

    #[test]
    fn set_cover_covers_everything_without_redundant_sites() {
        let instance = chain([1.0; 4], [0; 4]);
        assert_eq!(set_cover(&instance), vec![SiteIdx(0), SiteIdx(2)]);
    }

    #[test]
    fn max_cover_takes_the_heaviest_first() {
        let instance = chain([1.0, 1.0, 10.0, 1.0], [0; 4]);
        assert_eq!(max_cover(&instance, 1), vec![SiteIdx(1)]);
        // Greedy keeps site 1 and adds one point (12); sites 0 and 2 would cover 13: the
        // integer model's job, not the greedy's.
        assert_eq!(max_cover(&instance, 2), vec![SiteIdx(0), SiteIdx(1)]);
    }

    #[test]
    fn fairness_reaches_the_worst_commune_first() {
        // Group 1 holds only point 3, light: the fair greedy still opens site 2 first.
        let instance = chain([5.0, 5.0, 5.0, 1.0], [0, 0, 0, 1]);
        assert_eq!(fairness(&instance, 1), vec![SiteIdx(2)]);
        assert_eq!(max_cover(&instance, 1), vec![SiteIdx(0)]);
    }
}
