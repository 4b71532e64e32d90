//! A coverage request: what to plan, as the command line builds it and the service reads it
//! from a JSON body, and its check field by field before anything is read or solved.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use optimizer::coverage::AttendanceRecord;
use optimizer::coverage::CoverageModel;
use optimizer::planning::problem::UnitKind;
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use serde::{Deserialize, Serialize};

use super::inputs::{CandidateInput, DemandInput};
use crate::error::{Error, Result, Violation};
use crate::position::position_faults;

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
