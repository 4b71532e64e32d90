//! Attendance read back: per stop its visits, visitors, mean and rate pulled towards the
//! territory's mean (as the coverage model does, [`optimizer::coverage::attendance`]), a
//! per-week series, per weekday; per unit and per weekday over the territory; and the advice
//! with its reason in French ("3,1 personnes par passage contre 9,4 en moyenne sur le
//! territoire, sur 12 passages").

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use optimizer::coverage::attendance::{HIGH_RATE, LOW_RATE, PRIOR_VISITS};
use optimizer::coverage::{Advice, AttendanceRates, AttendanceRecord};
use optimizer::planning::time::Weekday;
use serde::Serialize;
use utoipa::ToSchema;

use super::french;
use crate::serve::store::Visit;

/// Visits and visitors of a group of records (a unit, a weekday, a week).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Tally {
    /// What is counted: a unit id, a weekday (`thu`), a week's Monday.
    pub key: String,
    /// Visits recorded.
    pub visits: u32,
    /// People over those visits.
    pub visitors: u64,
    /// Visitors per visit.
    pub mean: f64,
}

/// One stop's attendance and what it advises.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct StopSummary {
    /// The stop's id.
    pub stop: String,
    /// Visits recorded.
    pub visits: u32,
    /// People over those visits.
    pub visitors: u64,
    /// Visitors per visit.
    pub mean: f64,
    /// Visitors per visit pulled towards the territory's mean (as if it had three more visits
    /// at the mean): what the advice is judged on.
    pub rate: f64,
    /// Per week (keyed by its Monday), oldest first.
    pub weeks: Vec<Tally>,
    /// Per weekday visited.
    pub weekdays: Vec<Tally>,
    /// The weekday whose attendance is clearly higher than the stop's other days, if one is.
    #[schema(value_type = Option<String>)]
    pub favoured_weekday: Option<Weekday>,
    /// `serve_more_often`, `keep` or `drop` (the proposal keeps a stop to drop when coverage
    /// needs it).
    #[schema(value_type = String)]
    pub advice: Advice,
    /// Why, in French, with the figures.
    pub reason: String,
}

/// The attendance of a territory (or of one plan's visits).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Summary {
    /// Visits recorded.
    pub visits: u32,
    /// People over those visits.
    pub visitors: u64,
    /// Visitors per visit over every record: the territory's mean.
    pub mean: f64,
    /// Per stop, best attended first.
    pub stops: Vec<StopSummary>,
    /// Per unit that made the visits.
    pub units: Vec<Tally>,
    /// Per weekday.
    pub weekdays: Vec<Tally>,
}

impl Summary {
    /// The summary of `visits`.
    pub fn of(visits: &[Visit]) -> Summary {
        let mut stop_ids: Vec<String> = visits.iter().map(|v| v.stop.clone()).collect();
        stop_ids.sort();
        stop_ids.dedup();
        let records: Vec<AttendanceRecord> = visits
            .iter()
            .map(|v| AttendanceRecord {
                stop: v.stop.clone(),
                date: v.date,
                visitors: v.visitors,
            })
            .collect();
        let rates = AttendanceRates::new(&records, &stop_ids);
        let mut stops: Vec<StopSummary> = stop_ids
            .iter()
            .zip(&rates.by_site)
            .filter_map(|(stop, rate)| rate.map(|r| (stop, r)))
            .map(|(stop, rate)| {
                let own: Vec<&Visit> = visits.iter().filter(|v| &v.stop == stop).collect();
                let weekdays = tallies(
                    &own,
                    |v| Weekday::of(v.date).index(),
                    |i| Weekday::ALL[*i as usize].name().to_owned(),
                );
                let mean = rate.visitors as f64 / f64::from(rate.visits);
                let favoured_weekday = favoured_weekday(&own, mean);
                let (advice, reason) = advise(rate.rate, rates.mean, rate.visits);
                StopSummary {
                    stop: stop.clone(),
                    visits: rate.visits,
                    visitors: rate.visitors,
                    mean,
                    rate: rate.rate,
                    weeks: tallies(&own, |v| monday_of(v.date), |d| d.to_string()),
                    weekdays,
                    favoured_weekday: favoured_weekday.as_ref().map(|(w, _)| *w),
                    advice,
                    reason: match favoured_weekday {
                        Some((_, why)) => format!("{reason} ; {why}"),
                        None => reason,
                    },
                }
            })
            .collect();
        stops.sort_by(|a, b| b.rate.total_cmp(&a.rate).then(a.stop.cmp(&b.stop)));
        let all: Vec<&Visit> = visits.iter().collect();
        Summary {
            visits: u32::try_from(visits.len()).unwrap_or(u32::MAX),
            visitors: visits.iter().map(|v| u64::from(v.visitors)).sum(),
            mean: rates.mean,
            stops,
            units: tallies(&all, |v| v.unit.clone(), Clone::clone),
            weekdays: tallies(
                &all,
                |v| Weekday::of(v.date).index(),
                |i| Weekday::ALL[*i as usize].name().to_owned(),
            ),
        }
    }

    /// The summary of one stop, if it has records.
    pub fn stop(&self, id: &str) -> Option<&StopSummary> {
        self.stops.iter().find(|s| s.stop == id)
    }

    /// People expected at a visit of `stop` on `weekday`: the stop's weekday rate when that
    /// weekday has records, else its rate, else the territory's mean.
    pub fn expected(&self, stop: &str, weekday: Weekday) -> f64 {
        let Some(summary) = self.stop(stop) else {
            return self.mean;
        };
        summary
            .weekdays
            .iter()
            .find(|t| t.key == weekday.name())
            .map_or(summary.rate, |t| pulled(t.visitors, t.visits, summary.mean))
    }
}

/// The advice of a rate against the territory's mean, and its reason in French.
fn advise(rate: f64, mean: f64, visits: u32) -> (Advice, String) {
    let figures = format!(
        "{} personnes par passage contre {} en moyenne sur le territoire, sur {visits} passages",
        french(rate),
        french(mean)
    );
    if rate >= HIGH_RATE * mean && mean > 0.0 {
        (
            Advice::ServeMoreOften,
            format!("{figures} : à servir plus souvent"),
        )
    } else if rate <= LOW_RATE * mean {
        (
            Advice::Drop,
            format!("{figures} : à retirer si ses habitants restent couverts"),
        )
    } else {
        (Advice::Keep, format!("{figures} : à garder"))
    }
}

/// Visitors per visit pulled towards `towards` as if there were [`PRIOR_VISITS`] more visits.
fn pulled(visitors: u64, visits: u32, towards: f64) -> f64 {
    (visitors as f64 + PRIOR_VISITS * towards) / (f64::from(visits) + PRIOR_VISITS)
}

/// The weekday whose pulled rate is at least [`HIGH_RATE`] times that of the stop's other
/// weekdays together, with at least [`PRIOR_VISITS`] visits on it; and why, in French.
fn favoured_weekday(visits: &[&Visit], stop_mean: f64) -> Option<(Weekday, String)> {
    let by_day = tallies(visits, |v| Weekday::of(v.date).index(), |i| i.to_string());
    if by_day.len() < 2 {
        return None;
    }
    let (best, best_rate) = by_day
        .iter()
        .map(|t| (t, pulled(t.visitors, t.visits, stop_mean)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let (other_visits, other_visitors) = by_day
        .iter()
        .filter(|t| t.key != best.key)
        .fold((0, 0), |(n, p), t| (n + t.visits, p + t.visitors));
    let other_rate = pulled(other_visitors, other_visits, stop_mean);
    let day = Weekday::ALL[best.key.parse::<usize>().ok()?];
    (f64::from(best.visits) >= PRIOR_VISITS && best_rate >= HIGH_RATE * other_rate).then(|| {
        (
            day,
            format!(
                "{} personnes par passage le {} contre {} les autres jours",
                french(best_rate),
                french_day(day),
                french(other_rate)
            ),
        )
    })
}

/// The weekday's name in French.
pub fn french_day(day: Weekday) -> &'static str {
    [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ][Weekday::ALL.iter().position(|d| *d == day).unwrap_or(0)]
}

/// Visits grouped by `key` (in its order), each group named by `name`.
fn tallies<K: Ord>(
    visits: &[&Visit],
    key: impl Fn(&Visit) -> K,
    name: impl Fn(&K) -> String,
) -> Vec<Tally> {
    let mut groups: BTreeMap<K, (u32, u64)> = BTreeMap::new();
    for v in visits {
        let entry = groups.entry(key(v)).or_default();
        entry.0 += 1;
        entry.1 += u64::from(v.visitors);
    }
    groups
        .iter()
        .map(|(k, &(visits, visitors))| Tally {
            key: name(k),
            visits,
            visitors,
            mean: visitors as f64 / f64::from(visits.max(1)),
        })
        .collect()
}

/// The Monday of `date`'s week.
fn monday_of(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}
