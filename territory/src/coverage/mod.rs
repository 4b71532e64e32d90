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
pub mod report;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use optimizer::coverage::plan::{CYCLE_WEEKS, ChosenSite, PlanOptions, planning_problem};
use optimizer::coverage::{
    AttendanceRates, AttendanceRecord, CoverageConfig, CoverageInstance, CoverageModel, Demand,
    GroupIdx, solve,
};
use optimizer::planning::problem::{PlanningProblem, Position, UnitKind};
use osm_data::import::CachePolicy;
use osm_data::progress::Progress;
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Violation};
use crate::extract::Territory;
use crate::position::position_faults;
use inputs::{CandidateInput, DemandInput};
use placed::Placed;
use report::CoverageReport;

/// How people travel to a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum AccessMode {
    /// By car (rural communes).
    Car,
    /// On foot (city districts).
    Foot,
}

/// Which question to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum ModelChoice {
    /// The fewest stops so that every coverable place is within N minutes of one.
    Cover,
    /// At most `budget` stops, the most population within N minutes.
    Max,
    /// At most `budget` stops, the worst-covered commune's share as high as possible.
    Fair,
}

impl ModelChoice {
    /// The name requests and the command line use.
    pub fn name(self) -> &'static str {
        match self {
            ModelChoice::Cover => "cover",
            ModelChoice::Max => "max",
            ModelChoice::Fair => "fair",
        }
    }
}

/// What to plan: the whole input of a coverage run, ready to be a JSON request body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageRequest {
    /// The OpenStreetMap extract.
    pub extract: PathBuf,
    /// The access threshold, minutes (0 < N ≤ 240).
    pub minutes: f64,
    /// How people reach a stop.
    pub mode: AccessMode,
    /// The unit that will serve the stops: candidates must be reachable on its network.
    #[serde(default = "default_unit")]
    pub unit: UnitKind,
    /// The model (default: `cover`, or `max` when a budget is given).
    #[serde(default)]
    pub model: Option<ModelChoice>,
    /// Most stops (half-days per cycle) for `max` and `fair`.
    #[serde(default)]
    pub budget: Option<usize>,
    /// The user's demand points; the extract's places when absent.
    #[serde(default)]
    pub demand: Option<Vec<DemandInput>>,
    /// The user's candidate sites, added to the extract's.
    #[serde(default)]
    pub candidates: Vec<CandidateInput>,
    /// Whether the extract's own sites are candidates too.
    #[serde(default = "yes")]
    pub osm_candidates: bool,
    /// Attendance history.
    #[serde(default)]
    pub attendance: Vec<AttendanceRecord>,
    /// Time limit of the LP bound and the MIP together, seconds.
    #[serde(default = "default_time_limit")]
    pub time_limit_s: f64,
    /// Farthest a demand point or site may lie from a road, metres.
    #[serde(default = "default_snap_limit")]
    pub snap_limit_m: f64,
    /// First day of the weekly plan's cycle.
    pub start: NaiveDate,
    /// Half-days per four-week cycle shared among the chosen stops (default: the budget, or one
    /// unit's 40).
    #[serde(default)]
    pub half_days: Option<u32>,
    /// Time on site of each visit, minutes.
    #[serde(default = "default_visit_minutes")]
    pub visit_minutes: u16,
    /// Whether the GeoJSON map draws the roads each chosen stop serves (slower on large
    /// extracts).
    #[serde(default = "yes")]
    pub reach_roads: bool,
}

fn default_unit() -> UnitKind {
    UnitKind::Bus
}
fn yes() -> bool {
    true
}
fn default_time_limit() -> f64 {
    10.0
}
fn default_snap_limit() -> f64 {
    DEFAULT_SNAP_LIMIT_M
}
fn default_visit_minutes() -> u16 {
    150
}

impl CoverageRequest {
    /// The model to solve, once every field is checked: the threshold, time and snapping
    /// limits in range, a budget for `max`/`fair`, the user's points on the globe with weights
    /// ≥ 0 and ids given once.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every field at fault as a JSON pointer (`/demand/3/weight`).
    pub fn coverage_model(&self) -> Result<CoverageModel> {
        let mut faults = Vec::new();
        let mut fault =
            |field: String, message: String| faults.push(Violation::new(field, message));
        let ranges = [
            ("/minutes", self.minutes, 240.0),
            ("/time_limit_s", self.time_limit_s, 86_400.0),
            ("/snap_limit_m", self.snap_limit_m, 10_000.0),
        ];
        for (field, value, most) in ranges {
            if !(value > 0.0 && value <= most) {
                fault(field.into(), format!("{value} is outside (0, {most}]"));
            }
        }
        if self.visit_minutes == 0 {
            fault("/visit_minutes".into(), "must be at least 1 minute".into());
        }
        if self.half_days == Some(0) {
            fault("/half_days".into(), "must be at least 1 half-day".into());
        }
        let mut demand_ids = HashSet::new();
        for (i, point) in self.demand.iter().flatten().enumerate() {
            check_position(&mut fault, &format!("/demand/{i}"), point.lat, point.lon);
            if !(point.weight.is_finite() && point.weight >= 0.0) {
                fault(
                    format!("/demand/{i}/weight"),
                    format!("{} is not a number ≥ 0", point.weight),
                );
            }
            if !demand_ids.insert(point.id.as_str()) {
                fault(
                    format!("/demand/{i}/id"),
                    format!("{:?} appears twice", point.id),
                );
            }
        }
        if self.demand.as_ref().is_some_and(Vec::is_empty) {
            fault(
                "/demand".into(),
                "give at least one point, or leave it out".into(),
            );
        }
        let mut site_ids = HashSet::new();
        for (i, site) in self.candidates.iter().enumerate() {
            check_position(&mut fault, &format!("/candidates/{i}"), site.lat, site.lon);
            if !site_ids.insert(site.id.as_str()) {
                fault(
                    format!("/candidates/{i}/id"),
                    format!("{:?} appears twice", site.id),
                );
            }
        }
        let choice = self.model.unwrap_or(match self.budget {
            Some(_) => ModelChoice::Max,
            None => ModelChoice::Cover,
        });
        let budget = match (choice, self.budget) {
            (ModelChoice::Cover, _) => 0,
            (_, Some(0)) => {
                fault("/budget".into(), "must be at least 1 stop".into());
                0
            }
            (_, Some(b)) => b,
            (_, None) => {
                // Missing: the request itself lacks it (a pointer names what exists).
                fault(
                    String::new(),
                    format!(
                        "the `{}` model needs a `budget`: the most stops to choose",
                        choice.name()
                    ),
                );
                0
            }
        };
        if !faults.is_empty() {
            return Err(Error::Invalid(faults));
        }
        Ok(match choice {
            ModelChoice::Cover => CoverageModel::SetCover,
            ModelChoice::Max => CoverageModel::MaxCover { budget },
            ModelChoice::Fair => CoverageModel::Fairness { budget },
        })
    }
}

/// Latitude and longitude in range.
fn check_position(fault: &mut impl FnMut(String, String), at: &str, lat: f64, lon: f64) {
    for (member, message) in position_faults(lat, lon) {
        fault(format!("{at}/{member}"), message);
    }
}

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
                location: Position {
                    lat: site.parking.lat,
                    lon: site.parking.lon,
                },
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
        .map(|s| s.location)
        .or_else(|| {
            placed.sites.first().map(|s| Position {
                lat: s.parking.lat,
                lon: s.parking.lon,
            })
        })
        .unwrap_or(Position { lat: 0.0, lon: 0.0 })
}
