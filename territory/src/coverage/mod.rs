//! Territorial coverage on an extract: where a unit should stop so that inhabitants have a stop
//! within N minutes, fairly spread over the communes and favouring well-attended stops
//! (issue 7). The command line and the HTTP service call [`run`] on a [`Territory`]: a
//! request in, a report, a planning problem and a GeoJSON map out.
//!
//! 1. **Demand**: the extract's inhabited places with their population (see
//!    [`osm_data::demand`] for the estimate when untagged) and commune, or the user's weighted
//!    points.
//! 2. **Candidates**: the extract's markets, libraries, town halls, community and social
//!    centres and car parks, plus the user's, each kept only where the unit can park: within
//!    the snapping limit of a road of the *unit's* network (a bus needs a bus road).
//! 3. **Access**: travel times from each demand point to each candidate on the network of the
//!    *mode* people use (`car` or `foot`), by the contraction hierarchy's many-to-many matrix.
//!    A demand point farther than the snapping limit from that network is uncovered, with that
//!    reason.
//! 4. **Models**: [`optimizer::coverage`] (greedy at once, then LP bound, then MIP within the
//!    time limit).
//! 5. **Output**: the [`report::CoverageReport`], the chosen sites as recurring stops of a
//!    weekly [`PlanningProblem`], and a GeoJSON map ([`geojson`]).

pub mod geojson;
pub mod inputs;
pub mod placed;
pub mod promise;
pub mod report;
pub mod request;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use optimizer::coverage::plan::{CYCLE_WEEKS, ChosenSite, PlanOptions, planning_problem};
use optimizer::coverage::{
    AttendanceRates, CoverageConfig, CoverageInstance, CoverageModel, Demand, GroupIdx, solve,
};
use optimizer::planning::problem::{PlanningProblem, Position};
use osm_data::import::CachePolicy;
use osm_data::progress::Progress;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::extract::Territory;
use placed::Placed;
use report::CoverageReport;
pub use request::{AccessMode, CoverageRequest, ModelChoice};

/// The greedy answer, heard as soon as it exists and before the models improve it: enough to
/// show the sites at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstAnswer {
    /// Stops chosen.
    pub stops: usize,
    /// Inhabitants within the threshold of one of them.
    pub covered_population: f64,
    /// The chosen sites.
    pub sites: Vec<SiteRef>,
}

/// A chosen site, named and placed where the unit parks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteRef {
    /// Its id (the stop id of the weekly problem).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Latitude where the unit parks.
    pub lat: f64,
    /// Longitude where the unit parks.
    pub lon: f64,
}

/// Everything a coverage run produces.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageResponse {
    /// The figures and choices, for people and programs.
    pub report: CoverageReport,
    /// The chosen stops as a weekly planning problem, ready for `tournee plan`.
    pub problem: PlanningProblem,
    /// The map: chosen sites, the roads they serve, demand points covered or not.
    pub geojson: serde_json::Value,
}

/// Runs a coverage request on `territory` (its extract, not the request's `extract`, which
/// only names it in the report and the weekly problem); `on_greedy` hears the greedy answer as
/// soon as it exists, before the models improve it. The territory's networks, points of
/// interest and demand are read only if it does not hold them yet. Setting `cancel` stops the
/// run at its next check: before reading the network, before the access times, before the
/// models and before the report and map; the models themselves run to their time limit.
///
/// # Errors
/// [`Error::Invalid`] for an invalid request; the errors of reading the extract;
/// [`Error::Cancelled`] once `cancel` is set; an [`Error::Planning`] should the produced
/// problem not validate (a bug).
pub fn run(
    territory: &Territory,
    request: &CoverageRequest,
    cache: &CachePolicy,
    progress: &dyn Progress,
    on_greedy: &mut dyn FnMut(&FirstAnswer),
    cancel: Option<&AtomicBool>,
) -> Result<CoverageResponse> {
    let go_on = || match cancel {
        Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Cancelled),
        _ => Ok(()),
    };
    let model = request.coverage_model()?;
    go_on()?;
    let placed = Placed::load(territory, request, cache, progress)?;
    go_on()?;
    let threshold_s = (request.minutes * 60.0).round() as u32;
    let times = placed.access_times()?;
    go_on()?;
    let demand: Vec<Demand> = placed
        .demand
        .iter()
        .map(|d| Demand {
            weight: d.weight,
            group: GroupIdx(d.group as u32),
        })
        .collect();
    let site_ids: Vec<String> = placed.sites.iter().map(|s| s.id.clone()).collect();
    let rates = (!request.attendance.is_empty())
        .then(|| AttendanceRates::new(&request.attendance, &site_ids));
    let scores = rates
        .as_ref()
        .map(AttendanceRates::scores)
        .unwrap_or_default();
    let instance = CoverageInstance::new(demand, placed.groups.len(), &times, threshold_s, scores)?;
    let config = CoverageConfig {
        model,
        time_limit: Duration::from_secs_f64(request.time_limit_s),
    };
    let outcome = solve(&instance, &times, &config, &mut |greedy| {
        on_greedy(&FirstAnswer {
            stops: greedy.stops(),
            covered_population: greedy.covered_weight,
            sites: greedy
                .sites
                .iter()
                .map(|s| {
                    let site = &placed.sites[s.index()];
                    SiteRef {
                        id: site.id.clone(),
                        name: site.name.clone(),
                        lat: site.parking.lat,
                        lon: site.parking.lon,
                    }
                })
                .collect(),
        })
    });
    go_on()?;
    let advice = rates
        .as_ref()
        .map(|r| r.advise(&instance, &outcome.best))
        .unwrap_or_default();
    let served = outcome.best.weight_by_site(&instance);
    let chosen: Vec<ChosenSite> = outcome
        .best
        .sites
        .iter()
        .map(|s| {
            let site = &placed.sites[s.index()];
            ChosenSite {
                id: site.id.clone(),
                name: site.name.clone(),
                kind: site.stop_kind,
                location: Position::new(site.parking.lat, site.parking.lon),
                opening_hours: site.hours.clone(),
                population: served[s.index()],
                advice: advice.iter().find(|a| a.site == *s).map(|a| a.advice),
            }
        })
        .collect();
    let depot = depot(&chosen, &placed);
    let half_days = request
        .half_days
        .or(model_budget(model).map(|b| b as u32))
        .unwrap_or(u32::from(CYCLE_WEEKS) * 10);
    let options = PlanOptions {
        start: request.start,
        unit: request.unit,
        depot,
        half_days,
        visit_minutes: request.visit_minutes,
        extract: std::fs::canonicalize(&request.extract).unwrap_or(request.extract.clone()),
    };
    let problem = planning_problem(&chosen, &options);
    optimizer::planning::validate::validate_planning(&problem)?;
    let report = report::build(
        request,
        model,
        &placed,
        &instance,
        &times,
        &outcome,
        rates.as_ref(),
        &advice,
        &problem,
    );
    let geojson = geojson::map(request, &placed, &instance, &outcome.best, threshold_s);
    Ok(CoverageResponse {
        report,
        problem,
        geojson,
    })
}

fn model_budget(model: CoverageModel) -> Option<usize> {
    match model {
        CoverageModel::SetCover => None,
        CoverageModel::MaxCover { budget } | CoverageModel::Fairness { budget } => Some(budget),
    }
}

/// Where the unit's days start: the chosen stop serving the most people (the first candidate
/// when none is chosen), which is a place its network reaches.
fn depot(chosen: &[ChosenSite], placed: &Placed) -> Position {
    chosen
        .iter()
        .max_by(|a, b| a.population.total_cmp(&b.population))
        .map(|s| s.location.clone())
        .or_else(|| {
            placed
                .sites
                .first()
                .map(|s| Position::new(s.parking.lat, s.parking.lon))
        })
        .unwrap_or_else(|| Position::new(0.0, 0.0))
}
