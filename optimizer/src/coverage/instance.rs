//! A coverage instance: weighted demand points grouped by commune, candidate sites, and which
//! sites each demand point reaches within the time threshold.

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Result};

/// Index of a demand point in its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DemandIdx(pub u32);

/// Index of a candidate site in its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SiteIdx(pub u32);

/// Index of a group of demand points (a commune) in its instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupIdx(pub u32);

impl DemandIdx {
    /// As a slice index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl SiteIdx {
    /// As a slice index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl GroupIdx {
    /// As a slice index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A place where people live: how many (or any non-negative weight) and its commune.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    /// Population or other weight, at least 0.
    pub weight: f64,
    /// The commune (or district) it belongs to, for the fairness model.
    pub group: GroupIdx,
}

/// Access times from every demand point to every site, whole seconds, row-major
/// (`demand × sites`); [`AccessTimes::UNREACHABLE`] where no route exists (a demand point
/// with no road within reach has a whole row of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessTimes {
    sites: usize,
    seconds: Vec<u32>,
}

impl AccessTimes {
    /// Marks a pair with no route.
    pub const UNREACHABLE: u32 = u32::MAX;

    /// Times from row-major seconds.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the length is not a multiple of `sites`.
    pub fn new(sites: usize, seconds: Vec<u32>) -> Result<Self> {
        if (sites == 0 && !seconds.is_empty())
            || (sites > 0 && !seconds.len().is_multiple_of(sites))
        {
            return Err(invalid(
                "access_times",
                format!("{} values do not fill rows of {sites} sites", seconds.len()),
            ));
        }
        Ok(AccessTimes { sites, seconds })
    }

    /// Number of rows (demand points).
    pub fn demand_count(&self) -> usize {
        self.seconds.len().checked_div(self.sites).unwrap_or(0)
    }

    /// Seconds from demand point `d` to site `s`.
    pub fn seconds(&self, d: DemandIdx, s: SiteIdx) -> u32 {
        self.seconds[d.index() * self.sites + s.index()]
    }

    /// The row of demand point `d`.
    pub fn row(&self, d: DemandIdx) -> &[u32] {
        let start = d.index() * self.sites;
        &self.seconds[start..start + self.sites]
    }
}

/// A validated instance with its coverage lists built once.
#[derive(Clone, Debug)]
pub struct CoverageInstance {
    demand: Vec<Demand>,
    group_count: usize,
    site_count: usize,
    /// Attendance score of each site in [0, 1] (higher: people come more).
    scores: Vec<f64>,
    threshold_s: u32,
    reach: Vec<Vec<SiteIdx>>,
    reached_by: Vec<Vec<DemandIdx>>,
}

impl CoverageInstance {
    /// Builds the instance: demand point `d` is covered by site `s` when
    /// `times.seconds(d, s) <= threshold_s`. `scores` (one per site, in [0, 1]) break ties in
    /// favour of sites people attend more; pass an empty vector for none.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming every offending field: a negative or non-finite weight, a
    /// group out of range, a score outside [0, 1], or sizes that do not match.
    pub fn new(
        demand: Vec<Demand>,
        group_count: usize,
        times: &AccessTimes,
        threshold_s: u32,
        scores: Vec<f64>,
    ) -> Result<Self> {
        let mut errors = Vec::new();
        let site_count = times.sites;
        for (i, d) in demand.iter().enumerate() {
            if !d.weight.is_finite() || d.weight < 0.0 {
                errors.push(field(
                    format!("demand[{i}].weight"),
                    format!("{} is not a non-negative number", d.weight),
                ));
            }
            if d.group.index() >= group_count {
                errors.push(field(
                    format!("demand[{i}].group"),
                    format!("{} is not below the {group_count} groups", d.group.0),
                ));
            }
        }
        if times.demand_count() != demand.len() && site_count > 0 {
            errors.push(field(
                "access_times".into(),
                format!(
                    "{} rows for {} demand points",
                    times.demand_count(),
                    demand.len()
                ),
            ));
        }
        let scores = if scores.is_empty() {
            vec![0.0; site_count]
        } else {
            scores
        };
        if scores.len() != site_count {
            errors.push(field(
                "scores".into(),
                format!("{} scores for {site_count} sites", scores.len()),
            ));
        }
        for (s, score) in scores.iter().enumerate() {
            if !(0.0..=1.0).contains(score) {
                errors.push(field(
                    format!("scores[{s}]"),
                    format!("{score} is not in [0, 1]"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let mut reach = vec![Vec::new(); demand.len()];
        let mut reached_by = vec![Vec::new(); site_count];
        if site_count > 0 {
            for (d, sites) in reach.iter_mut().enumerate() {
                let d = DemandIdx(d as u32);
                for (s, &t) in times.row(d).iter().enumerate() {
                    if t <= threshold_s {
                        sites.push(SiteIdx(s as u32));
                        reached_by[s].push(d);
                    }
                }
            }
        }
        Ok(CoverageInstance {
            demand,
            group_count,
            site_count,
            scores,
            threshold_s,
            reach,
            reached_by,
        })
    }

    /// The demand points.
    pub fn demand(&self) -> &[Demand] {
        &self.demand
    }

    /// Number of groups (communes).
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// Number of candidate sites.
    pub fn site_count(&self) -> usize {
        self.site_count
    }

    /// The time threshold, seconds.
    pub fn threshold_s(&self) -> u32 {
        self.threshold_s
    }

    /// Attendance score of a site, in [0, 1].
    pub fn score(&self, s: SiteIdx) -> f64 {
        self.scores[s.index()]
    }

    /// The sites demand point `d` reaches within the threshold.
    pub fn reach(&self, d: DemandIdx) -> &[SiteIdx] {
        &self.reach[d.index()]
    }

    /// The demand points that reach site `s` within the threshold.
    pub fn reached_by(&self, s: SiteIdx) -> &[DemandIdx] {
        &self.reached_by[s.index()]
    }

    /// Whether some site is within reach of demand point `d`.
    pub fn coverable(&self, d: DemandIdx) -> bool {
        !self.reach[d.index()].is_empty()
    }

    /// Every demand index.
    pub fn demand_indices(&self) -> impl Iterator<Item = DemandIdx> + '_ {
        (0..self.demand.len() as u32).map(DemandIdx)
    }

    /// Every site index.
    pub fn site_indices(&self) -> impl Iterator<Item = SiteIdx> + '_ {
        (0..self.site_count as u32).map(SiteIdx)
    }

    /// Per group, the weight of its demand points that some site can cover.
    pub fn coverable_weight_by_group(&self) -> Vec<f64> {
        let mut weights = vec![0.0; self.group_count];
        for d in self.demand_indices() {
            if self.coverable(d) {
                let demand = self.demand[d.index()];
                weights[demand.group.index()] += demand.weight;
            }
        }
        weights
    }

    /// Coverable demand points merged by identical reach: each distinct set of sites once,
    /// with the total weight of its points. Models get one row per class instead of per point.
    pub fn reach_classes(&self) -> Vec<ReachClass> {
        self.classes(|_| 0)
    }

    /// As [`CoverageInstance::reach_classes`], but points of different groups never share a
    /// class (the fairness model counts each group apart).
    pub fn reach_classes_by_group(&self) -> Vec<ReachClass> {
        self.classes(|d| self.demand[d.index()].group.0)
    }

    fn classes(&self, key: impl Fn(DemandIdx) -> u32) -> Vec<ReachClass> {
        let mut order: Vec<DemandIdx> = self
            .demand_indices()
            .filter(|d| self.coverable(*d))
            .collect();
        order.sort_by(|a, b| (key(*a), self.reach(*a)).cmp(&(key(*b), self.reach(*b))));
        let mut classes: Vec<ReachClass> = Vec::new();
        let mut last_key = None;
        for d in order {
            let demand = self.demand[d.index()];
            match classes.last_mut() {
                Some(last)
                    if last_key == Some(key(d)) && last.sites.as_slice() == self.reach(d) =>
                {
                    last.weight += demand.weight;
                    last.members.push(d);
                }
                _ => {
                    last_key = Some(key(d));
                    classes.push(ReachClass {
                        sites: self.reach(d).to_vec(),
                        weight: demand.weight,
                        members: vec![d],
                    });
                }
            }
        }
        classes
    }
}

/// Demand points that reach exactly the same sites.
#[derive(Clone, Debug, PartialEq)]
pub struct ReachClass {
    /// The sites they reach.
    pub sites: Vec<SiteIdx>,
    /// Their total weight.
    pub weight: f64,
    /// The points.
    pub members: Vec<DemandIdx>,
}

fn field(path: String, message: String) -> FieldError {
    FieldError { path, message }
}

fn invalid(path: &str, message: String) -> Error {
    Error::Invalid(vec![field(path.into(), message)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_lists_follow_the_threshold() {
        let times = AccessTimes::new(2, vec![100, 700, AccessTimes::UNREACHABLE, 600]).unwrap();
        let demand = vec![
            Demand {
                weight: 10.0,
                group: GroupIdx(0),
            },
            Demand {
                weight: 5.0,
                group: GroupIdx(0),
            },
        ];
        let instance = CoverageInstance::new(demand, 1, &times, 600, Vec::new()).unwrap();
        assert_eq!(instance.reach(DemandIdx(0)), &[SiteIdx(0)]);
        assert_eq!(instance.reach(DemandIdx(1)), &[SiteIdx(1)]);
        assert_eq!(instance.reached_by(SiteIdx(1)), &[DemandIdx(1)]);
        assert_eq!(instance.coverable_weight_by_group(), vec![15.0]);
    }

    #[test]
    fn invalid_inputs_name_every_field() {
        let times = AccessTimes::new(1, vec![0]).unwrap();
        let demand = vec![Demand {
            weight: -1.0,
            group: GroupIdx(3),
        }];
        let Err(Error::Invalid(errors)) = CoverageInstance::new(demand, 1, &times, 60, vec![2.0])
        else {
            panic!("accepted");
        };
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["demand[0].weight", "demand[0].group", "scores[0]"]);
        assert!(AccessTimes::new(2, vec![1, 2, 3]).is_err());
    }

    #[test]
    fn identical_reaches_merge_into_one_class() {
        let times = AccessTimes::new(2, vec![0, 0, 0, 0, 900, 0]).unwrap();
        let demand = (0..3)
            .map(|i| Demand {
                weight: f64::from(i + 1),
                group: GroupIdx(0),
            })
            .collect();
        let instance = CoverageInstance::new(demand, 1, &times, 600, Vec::new()).unwrap();
        let classes = instance.reach_classes();
        assert_eq!(classes.len(), 2);
        let both = classes.iter().find(|c| c.sites.len() == 2).unwrap();
        assert_eq!(both.weight, 3.0);
    }
}
