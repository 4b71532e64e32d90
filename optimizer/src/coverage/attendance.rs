//! Attendance history: visitors per visit at each stop, the scores that favour well-attended
//! sites in the models, and advice on which stops to drop or to serve more often.
//!
//! A stop's rate is its visitors per visit, pulled towards the mean of all stops as if it had
//! [`PRIOR_VISITS`] more visits at that mean (so that two lucky visits do not outweigh a year of
//! steady figures). Scores are rates over the best rate, in [0, 1]; a site with no history
//! scores as the mean.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::evaluate::Evaluation;
use super::instance::{CoverageInstance, SiteIdx};

/// Visits at the mean rate added to every stop's history.
pub const PRIOR_VISITS: f64 = 3.0;
/// A rate at least this multiple of the mean asks for more visits.
pub const HIGH_RATE: f64 = 1.5;
/// A rate at most this multiple of the mean asks to drop the stop where coverage allows.
pub const LOW_RATE: f64 = 0.5;

/// One visit of a stop: how many people came.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRecord {
    /// The stop's id (a candidate site's id).
    pub stop: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// People who came.
    pub visitors: u32,
}

/// The history of one site.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteRate {
    /// Visits recorded.
    pub visits: u32,
    /// Visitors over those visits.
    pub visitors: u64,
    /// Visitors per visit, pulled towards the mean.
    pub rate: f64,
}

/// Rates of every site, by site index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRates {
    /// Per site, its history (`None` without one).
    pub by_site: Vec<Option<SiteRate>>,
    /// Visitors per visit over every record.
    pub mean: f64,
    /// Stops of the history that match no candidate site, each once.
    pub unknown_stops: Vec<String>,
}

impl AttendanceRates {
    /// Rates from records, matching stops to `site_ids` (the id of each site, by index).
    pub fn new(records: &[AttendanceRecord], site_ids: &[String]) -> Self {
        let index: HashMap<&str, usize> = site_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut totals: Vec<(u32, u64)> = vec![(0, 0); site_ids.len()];
        let mut unknown_stops: Vec<String> = Vec::new();
        let (mut visits, mut visitors) = (0u64, 0u64);
        for record in records {
            visits += 1;
            visitors += u64::from(record.visitors);
            match index.get(record.stop.as_str()) {
                Some(&s) => {
                    totals[s].0 += 1;
                    totals[s].1 += u64::from(record.visitors);
                }
                None if !unknown_stops.contains(&record.stop) => {
                    unknown_stops.push(record.stop.clone())
                }
                None => {}
            }
        }
        let mean = if visits == 0 {
            0.0
        } else {
            visitors as f64 / visits as f64
        };
        let by_site: Vec<Option<SiteRate>> = totals
            .iter()
            .map(|&(v, people)| {
                (v > 0).then(|| SiteRate {
                    visits: v,
                    visitors: people,
                    rate: (people as f64 + PRIOR_VISITS * mean) / (f64::from(v) + PRIOR_VISITS),
                })
            })
            .collect();
        AttendanceRates {
            by_site,
            mean,
            unknown_stops,
        }
    }

    /// Per site, its rate over the best rate, in [0, 1]; the mean's score without a history.
    pub fn scores(&self) -> Vec<f64> {
        let best = self
            .by_site
            .iter()
            .flatten()
            .map(|r| r.rate)
            .fold(self.mean, f64::max);
        if best <= 0.0 {
            return vec![0.0; self.by_site.len()];
        }
        self.by_site
            .iter()
            .map(|r| (r.map_or(self.mean, |r| r.rate) / best).clamp(0.0, 1.0))
            .collect()
    }

    /// Advice for every site with a history, given the chosen answer.
    pub fn advise(&self, instance: &CoverageInstance, answer: &Evaluation) -> Vec<Recommendation> {
        let mut open = vec![false; instance.site_count()];
        for s in &answer.sites {
            open[s.index()] = true;
        }
        self.by_site
            .iter()
            .enumerate()
            .filter_map(|(s, rate)| rate.map(|r| (SiteIdx(s as u32), r)))
            .map(|(site, rate)| {
                let high = rate.rate >= HIGH_RATE * self.mean;
                let low = rate.rate <= LOW_RATE * self.mean;
                let sole = sole_cover(instance, &open, site);
                let (advice, reason) = match (open[site.index()], high, low) {
                    (true, true, _) => (
                        Advice::ServeMoreOften,
                        format!("{:.1} visitors per visit, well above the mean {:.1}", rate.rate, self.mean),
                    ),
                    (true, _, true) if sole > 0 => (
                        Advice::KeepForCoverage,
                        format!(
                            "few visitors ({:.1} per visit) but the only stop within reach for {sole} demand point(s)",
                            rate.rate
                        ),
                    ),
                    (true, _, true) => (
                        Advice::Drop,
                        format!("{:.1} visitors per visit, and other chosen stops cover its people", rate.rate),
                    ),
                    (true, false, false) => (Advice::Keep, "attendance near the mean".to_owned()),
                    (false, true, _) => (
                        Advice::Add,
                        format!("not needed for coverage, but {:.1} visitors per visit: worth adding", rate.rate),
                    ),
                    (false, false, _) => (
                        Advice::Drop,
                        "not needed for coverage and not well attended".to_owned(),
                    ),
                };
                Recommendation {
                    site,
                    rate,
                    advice,
                    reason,
                }
            })
            .collect()
    }
}

/// Demand points that only `site` covers among the open sites.
fn sole_cover(instance: &CoverageInstance, open: &[bool], site: SiteIdx) -> usize {
    instance
        .reached_by(site)
        .iter()
        .filter(|d| {
            instance
                .reach(**d)
                .iter()
                .filter(|s| open[s.index()])
                .all(|s| *s == site)
        })
        .count()
}

/// What to do with a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// Well attended: give it more half-days.
    ServeMoreOften,
    /// Keep it as it is.
    Keep,
    /// Not in the answer, but well attended: worth adding beyond what coverage needs.
    Add,
    /// Poorly attended, but some people have no other stop within reach.
    KeepForCoverage,
    /// Drop it: poorly attended or not needed, and its people are covered otherwise.
    Drop,
}

/// Advice on one stop, with the figures behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The site.
    pub site: SiteIdx,
    /// Its history.
    pub rate: SiteRate,
    /// What to do.
    pub advice: Advice,
    /// Why, for people.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::instance::{AccessTimes, Demand, DemandIdx, GroupIdx};

    fn record(stop: &str, day: u32, visitors: u32) -> AttendanceRecord {
        AttendanceRecord {
            stop: stop.into(),
            date: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
            visitors,
        }
    }

    #[test]
    fn rates_are_pulled_towards_the_mean() {
        let ids = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let records = [
            record("a", 1, 20),
            record("b", 1, 0),
            record("b", 8, 4),
            record("x", 2, 6),
        ];
        let rates = AttendanceRates::new(&records, &ids);
        assert_eq!(rates.mean, 7.5);
        let a = rates.by_site[0].unwrap();
        assert_eq!((a.visits, a.visitors), (1, 20));
        assert!((a.rate - (20.0 + 3.0 * 7.5) / 4.0).abs() < 1e-9);
        assert!(rates.by_site[2].is_none());
        assert_eq!(rates.unknown_stops, vec!["x".to_owned()]);
        let scores = rates.scores();
        assert_eq!(scores[0], 1.0);
        assert!(scores[1] < scores[2], "a poor history scores below none");
    }

    #[test]
    fn advice_follows_rates_and_coverage() {
        // Sites 0 and 1 both cover point 0; site 2 alone covers point 1.
        let u = AccessTimes::UNREACHABLE;
        let times = AccessTimes::new(3, vec![0, 0, u, u, u, 0]).unwrap();
        let demand = vec![
            Demand {
                weight: 1.0,
                group: GroupIdx(0)
            };
            2
        ];
        let instance = CoverageInstance::new(demand, 1, &times, 0, Vec::new()).unwrap();
        let ids: Vec<String> = ["busy", "quiet", "lonely"].map(String::from).to_vec();
        let mut records = Vec::new();
        for day in 1..=20 {
            records.push(record("busy", day, 30));
            records.push(record("quiet", day, 1));
            records.push(record("lonely", day, 1));
        }
        let rates = AttendanceRates::new(&records, &ids);
        let all = [SiteIdx(0), SiteIdx(1), SiteIdx(2)];
        let answer = Evaluation::of(&instance, &all, |_: DemandIdx, _| 0);
        let advice: Vec<Advice> = rates
            .advise(&instance, &answer)
            .iter()
            .map(|r| r.advice)
            .collect();
        assert_eq!(
            advice,
            [
                Advice::ServeMoreOften,
                Advice::Drop,
                Advice::KeepForCoverage
            ]
        );
    }
}
