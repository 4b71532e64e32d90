//! The coverage report: the chosen sites, who they cover, who they do not and why, how good
//! the answer is proven to be, and the attendance advice.

use optimizer::coverage::plan::CYCLE_WEEKS;
use optimizer::coverage::{
    AccessTimes, Advice, AttendanceRates, CoverageInstance, CoverageModel, CoverageOutcome,
    DemandIdx, Evaluation, FoundBy, MipStatus, Recommendation, SiteIdx,
};
use optimizer::planning::problem::{PlanningProblem, StopKind, UnitKind};
use optimizer::planning::time::WeeklyHours;
use serde::Serialize;

use super::placed::{Placed, RejectedSite, SiteOrigin};
use super::{AccessMode, CoverageRequest};
use crate::sites::HoursSource;

/// Everything a coverage run found, as printed by `tournee coverage`.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageReport {
    /// The extract.
    pub extract: String,
    /// How people reach a stop.
    pub mode: AccessMode,
    /// The unit serving the stops.
    pub unit: UnitKind,
    /// The threshold, minutes.
    pub minutes: f64,
    /// The model solved, with its budget.
    pub model: CoverageModel,
    /// Whether the answer is proven optimal.
    pub status: MipStatus,
    /// Which answer was kept: the greedy one or the model's.
    pub found_by: FoundBy,
    /// What the model optimises: `stops`, `covered_population` or `worst_commune_share`.
    pub objective: &'static str,
    /// Its value at the answer.
    pub value: f64,
    /// The LP relaxation's bound on it.
    pub lp_bound: Option<f64>,
    /// The best proven bound on it.
    pub best_bound: Option<f64>,
    /// Relative gap between value and bound (0 when optimal).
    pub gap: Option<f64>,
    /// Seconds to the greedy answer.
    pub time_to_greedy_s: f64,
    /// Seconds of the whole solve.
    pub time_total_s: f64,
    /// Seconds to the proven optimum, when proven.
    pub time_to_optimum_s: Option<f64>,
    /// Figures of the greedy answer.
    pub greedy: Figures,
    /// Figures of the answer.
    pub answer: Figures,
    /// The demand.
    pub demand: DemandSummary,
    /// The chosen sites.
    pub chosen: Vec<ChosenReport>,
    /// Demand points left uncovered, each with its reason.
    pub uncovered: Vec<UncoveredReport>,
    /// Each commune's coverage.
    pub communes: Vec<CommuneReport>,
    /// The candidates.
    pub candidates: CandidateSummary,
    /// Attendance rates and advice, when a history was given.
    pub attendance: Option<AttendanceReport>,
    /// Why the model gave no answer, when it gave none.
    pub note: Option<String>,
    /// Data licence.
    pub attribution: &'static str,
}

/// The figures of one selection of sites.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    /// Sites chosen.
    pub stops: usize,
    /// People within the threshold of a chosen site.
    pub covered_population: f64,
    /// Their share of all demand.
    pub covered_share: f64,
    /// The worst commune's share of its coverable population.
    pub worst_commune_share: f64,
}

/// The demand.
#[derive(Clone, Debug, Serialize)]
pub struct DemandSummary {
    /// Demand points.
    pub points: usize,
    /// Their population.
    pub population: f64,
    /// Population that some candidate covers.
    pub coverable_population: f64,
    /// Places whose population is tagged / estimated from buildings / typical of the rank.
    pub population_sources: PopulationSources,
}

/// How many populations come from each source.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PopulationSources {
    /// `population` tags.
    pub tagged: usize,
    /// Estimates from buildings.
    pub buildings: usize,
    /// Typical figures of the place's rank.
    pub typical: usize,
    /// The user's weights.
    pub user: usize,
}

/// A chosen site.
#[derive(Clone, Debug, Serialize)]
pub struct ChosenReport {
    /// Its id (the stop id in the plan).
    pub id: String,
    /// Its name.
    pub name: String,
    /// What kind of stop it is.
    pub kind: StopKind,
    /// The extract's or the user's.
    pub origin: SiteOrigin,
    /// Where the unit parks, latitude.
    pub lat: f64,
    /// Where the unit parks, longitude.
    pub lon: f64,
    /// People for whom it is the nearest chosen site within the threshold.
    pub population_served: f64,
    /// Their demand points.
    pub demand_points: usize,
    /// Visits per four-week cycle in the produced plan.
    pub visits_per_cycle: u32,
    /// When it is open.
    pub opening_hours: WeeklyHours,
    /// Where the hours come from.
    pub hours_source: HoursSource,
    /// Why the tagged hours were not used, if they were not.
    pub hours_note: Option<String>,
    /// Attendance advice, with a history.
    pub advice: Option<Advice>,
}

/// A demand point left uncovered.
#[derive(Clone, Debug, Serialize)]
pub struct UncoveredReport {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its population.
    pub population: f64,
    /// Why it is not covered.
    pub reason: String,
}

/// One commune's coverage.
#[derive(Clone, Debug, Serialize)]
pub struct CommuneReport {
    /// Its name.
    pub name: String,
    /// Its population.
    pub population: f64,
    /// Of which some candidate can cover.
    pub coverable_population: f64,
    /// Of which a chosen site covers.
    pub covered_population: f64,
}

/// The candidates.
#[derive(Clone, Debug, Serialize)]
pub struct CandidateSummary {
    /// Usable sites from the extract.
    pub osm: usize,
    /// Usable sites from the user.
    pub user: usize,
    /// Candidates left out, each with its reason.
    pub rejected: Vec<RejectedSite>,
}

/// Attendance rates and advice.
#[derive(Clone, Debug, Serialize)]
pub struct AttendanceReport {
    /// Visitors per visit over the whole history.
    pub mean: f64,
    /// Stops of the history that are no candidate.
    pub unknown_stops: Vec<String>,
    /// Advice per site with a history.
    pub advice: Vec<AdviceReport>,
}

/// Advice on one site.
#[derive(Clone, Debug, Serialize)]
pub struct AdviceReport {
    /// The stop.
    pub stop: String,
    /// Visits recorded.
    pub visits: u32,
    /// Visitors per visit, pulled towards the mean.
    pub rate: f64,
    /// What to do.
    pub advice: Advice,
    /// Why.
    pub reason: String,
}

/// Builds the report.
#[allow(clippy::too_many_arguments)]
pub fn build(
    request: &CoverageRequest,
    model: CoverageModel,
    placed: &Placed,
    instance: &CoverageInstance,
    times: &AccessTimes,
    outcome: &CoverageOutcome,
    rates: Option<&AttendanceRates>,
    advice: &[Recommendation],
    problem: &PlanningProblem,
) -> CoverageReport {
    let best = &outcome.best;
    let served = best.weight_by_site(instance);
    let chosen = best
        .sites
        .iter()
        .map(|s| {
            let site = &placed.sites[s.index()];
            ChosenReport {
                id: site.id.clone(),
                name: site.name.clone(),
                kind: site.stop_kind,
                origin: site.origin,
                lat: site.parking.lat,
                lon: site.parking.lon,
                population_served: served[s.index()],
                demand_points: best.served_by.iter().filter(|b| **b == Some(*s)).count(),
                visits_per_cycle: problem
                    .stops
                    .iter()
                    .find(|stop| stop.id == site.id)
                    .map_or(0, |stop| stop.frequency.visits_over(CYCLE_WEEKS)),
                opening_hours: site.hours.clone(),
                hours_source: site.hours_source,
                hours_note: site.hours_note.clone(),
                advice: advice.iter().find(|a| a.site == *s).map(|a| a.advice),
            }
        })
        .collect();
    let minutes = request.minutes;
    let uncovered = instance
        .demand_indices()
        .filter(|d| best.served_by[d.index()].is_none())
        .map(|d| {
            let entry = &placed.demand[d.index()];
            UncoveredReport {
                id: entry.id.clone(),
                name: entry.name.clone(),
                population: entry.weight,
                reason: uncovered_reason(placed, instance, times, best, d, minutes),
            }
        })
        .collect();
    let mut communes: Vec<CommuneReport> = placed
        .groups
        .iter()
        .map(|name| CommuneReport {
            name: name.clone(),
            population: 0.0,
            coverable_population: 0.0,
            covered_population: 0.0,
        })
        .collect();
    let mut sources = PopulationSources::default();
    for d in instance.demand_indices() {
        let entry = &placed.demand[d.index()];
        let commune = &mut communes[entry.group];
        commune.population += entry.weight;
        if instance.coverable(d) {
            commune.coverable_population += entry.weight;
        }
        if best.served_by[d.index()].is_some() {
            commune.covered_population += entry.weight;
        }
        match entry.source {
            Some(osm_data::demand::PopulationSource::Tagged) => sources.tagged += 1,
            Some(osm_data::demand::PopulationSource::Buildings { .. }) => sources.buildings += 1,
            Some(osm_data::demand::PopulationSource::Typical) => sources.typical += 1,
            None => sources.user += 1,
        }
    }
    let count = |origin| placed.sites.iter().filter(|s| s.origin == origin).count();
    let attendance = rates.map(|r| AttendanceReport {
        mean: r.mean,
        unknown_stops: r.unknown_stops.clone(),
        advice: advice
            .iter()
            .map(|a| AdviceReport {
                stop: placed.sites[a.site.index()].id.clone(),
                visits: a.rate.visits,
                rate: a.rate.rate,
                advice: a.advice,
                reason: a.reason.clone(),
            })
            .collect(),
    });
    let seconds = |d: std::time::Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    CoverageReport {
        extract: request.extract.display().to_string(),
        mode: request.mode,
        unit: request.unit,
        minutes,
        model,
        status: outcome.status,
        found_by: outcome.found_by,
        objective: match model {
            CoverageModel::SetCover => "stops",
            CoverageModel::MaxCover { .. } => "covered_population",
            CoverageModel::Fairness { .. } => "worst_commune_share",
        },
        value: outcome.figure,
        lp_bound: outcome.lp_bound,
        best_bound: outcome.best_bound,
        gap: outcome.gap,
        time_to_greedy_s: seconds(outcome.greedy_time),
        time_total_s: seconds(outcome.total_time),
        time_to_optimum_s: (outcome.status == MipStatus::Optimal)
            .then(|| seconds(outcome.total_time)),
        greedy: figures(&outcome.greedy),
        answer: figures(best),
        demand: DemandSummary {
            points: placed.demand.len(),
            population: best.total_weight,
            coverable_population: best.coverable_weight,
            population_sources: sources,
        },
        chosen,
        uncovered,
        communes,
        candidates: CandidateSummary {
            osm: count(SiteOrigin::Osm),
            user: count(SiteOrigin::User),
            rejected: placed.rejected.clone(),
        },
        attendance,
        note: outcome.note.clone(),
        attribution: "© OpenStreetMap contributors (ODbL)",
    }
}

fn figures(e: &Evaluation) -> Figures {
    Figures {
        stops: e.stops(),
        covered_population: e.covered_weight,
        covered_share: if e.total_weight > 0.0 {
            e.covered_weight / e.total_weight
        } else {
            1.0
        },
        worst_commune_share: e.min_group_share,
    }
}

/// Why demand point `d` is not covered: off the access network, out of reach of every
/// candidate, or out of reach of the chosen ones (naming the nearest and its time).
fn uncovered_reason(
    placed: &Placed,
    instance: &CoverageInstance,
    times: &AccessTimes,
    best: &Evaluation,
    d: DemandIdx,
    minutes: f64,
) -> String {
    if let Err(reason) = &placed.demand[d.index()].access {
        return reason.clone();
    }
    let nearest = |sites: &mut dyn Iterator<Item = SiteIdx>| {
        sites
            .map(|s| (times.seconds(d, s), s))
            .filter(|(t, _)| *t != AccessTimes::UNREACHABLE)
            .min()
            .map(|(t, s)| {
                format!(
                    "{} at {:.1} min",
                    placed.sites[s.index()].name,
                    f64::from(t) / 60.0
                )
            })
    };
    if !instance.coverable(d) {
        let near = nearest(&mut instance.site_indices());
        return match near {
            Some(near) => format!("no candidate within {minutes} min (nearest: {near})"),
            None => "no candidate site at all".to_owned(),
        };
    }
    let near = nearest(&mut best.sites.iter().copied()).unwrap_or_else(|| "none".into());
    format!("not within {minutes} min of a chosen stop under the budget (nearest chosen: {near})")
}
