//! The plan: per unit and date, the ordered timetable; what is unserved and why; totals,
//! per-unit figures, changes against the plan in force, warnings. The documented JSON output of
//! `tournee plan` and `GET /v1/plans/{id}`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::time::{LocalTime, Weekday};
use super::unserved::Reason;

/// How the days were chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolvedBy {
    /// The greedy assignment (the model found nothing better in time).
    Greedy,
    /// The model, proven optimal.
    ModelOptimal,
    /// The model's best within its time limit.
    ModelTimeLimit,
}

/// What a visit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// A recurring public stop.
    Stop,
    /// A home visit.
    HomeVisit,
}

/// One step of a unit's day after leaving the depot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Step {
    /// A stop or home visit.
    Visit {
        /// Stop or home visit.
        kind: VisitKind,
        /// Its id.
        id: String,
        /// Arrival on site.
        arrive: LocalTime,
        /// Opening to the public (or start of the home visit).
        start: LocalTime,
        /// Departure.
        end: LocalTime,
        /// Driving from the previous place, minutes.
        drive_min: u32,
        /// Distance from the previous place, km.
        distance_km: f64,
    },
    /// The crew's break.
    Break {
        /// Start.
        start: LocalTime,
        /// End.
        end: LocalTime,
    },
}

/// A unit's day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitDayPlan {
    /// The unit's id.
    pub unit: String,
    /// The date.
    pub date: NaiveDate,
    /// Its weekday.
    pub weekday: Weekday,
    /// Week of the cycle, from 1.
    pub week: u8,
    /// Leaving the depot, local time.
    pub leave: LocalTime,
    /// Back at the depot, local time.
    pub back: LocalTime,
    /// Leaving the depot, with the UTC offset of that date.
    pub leave_at: DateTime<FixedOffset>,
    /// Back at the depot, with the UTC offset of that date.
    pub back_at: DateTime<FixedOffset>,
    /// Visits and break, in order.
    pub steps: Vec<Step>,
    /// The drive back to the depot, minutes.
    pub return_drive_min: u32,
    /// Driving, minutes.
    pub driving_min: u32,
    /// On site, minutes.
    pub on_site_min: u32,
    /// Kilometres driven.
    pub distance_km: f64,
}

/// A visit left out, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnservedVisit {
    /// Stop or home visit.
    pub kind: VisitKind,
    /// Its id.
    pub id: String,
    /// The date of the missing occurrence, when it is known.
    pub date: Option<NaiveDate>,
    /// Why.
    pub reason: Reason,
    /// The reason in a sentence.
    pub message: String,
}

/// One unit's share of the work over the cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// The unit's id.
    pub unit: String,
    /// Days out.
    pub days: u32,
    /// From leaving the depot to coming back, minutes.
    pub working_min: u32,
    /// Driving, minutes.
    pub driving_min: u32,
    /// On site, minutes.
    pub on_site_min: u32,
    /// Kilometres.
    pub distance_km: f64,
    /// What its days cost: the hours from leaving the depot to coming back at its
    /// `cost_per_hour`, plus its kilometres at its `cost_per_km`, euros. Absent in plans
    /// written before it was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_eur: Option<f64>,
}

/// Figures for the whole cycle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Stop visits the frequencies ask for.
    pub stop_visits_required: u32,
    /// Stop visits planned.
    pub stop_visits_planned: u32,
    /// Home visits requested.
    pub home_visits_requested: u32,
    /// Home visits planned.
    pub home_visits_planned: u32,
    /// Planned visits over requested visits (stops and homes), 0 to 1.
    pub share_served: f64,
    /// Driving, minutes.
    pub driving_min: u32,
    /// On site, minutes.
    pub on_site_min: u32,
    /// Kilometres.
    pub distance_km: f64,
    /// Cost of the units' time and kilometres, euros.
    pub cost_eur: f64,
    /// Difference between the most and the least working unit, minutes.
    pub working_spread_min: u32,
}

/// A slot that moved against the plan in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The stop's id.
    pub stop: String,
    /// Its slot before (`"thu 09:30 bus-1"`), if it was planned.
    pub before: Option<String>,
    /// Its slot now, if it is planned.
    pub after: Option<String>,
}

/// Something the dispatcher should know that is not an unserved visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable code (`market_day_not_worked`, `time_changed`…).
    pub code: String,
    /// The stop, home visit or unit concerned.
    pub id: String,
    /// The warning in a sentence.
    pub message: String,
    /// The date concerned, if one (a `slot_moved` visit's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Why a `slot_moved` visit is not at its usual slot; none when nothing in the problem
    /// explains it (the routing found no room for it there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<SlotCause>,
}

/// Why a stop that keeps a weekly slot is not at it on some date: the problem makes the usual
/// slot impossible that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SlotCause {
    /// The stop keeps other hours that day or on its usual days, those of this period: the
    /// usual slot is not within them.
    Period {
        /// The horizon period's id.
        period: String,
    },
    /// An announced pin sets another unit or start that day.
    Pin {
        /// The pin's unit.
        unit: String,
        /// The pin's start.
        start: LocalTime,
    },
    /// The usual unit does not work that day.
    UnitOff {
        /// The unit's id.
        unit: String,
    },
}

impl SlotCause {
    /// The cause in words, to end a sentence.
    pub fn describe(&self) -> String {
        match self {
            SlotCause::Period { period } => {
                format!("the stop has other opening hours in period {period:?}")
            }
            SlotCause::Pin { unit, start } => format!("a pin sets {start} with {unit} that day"),
            SlotCause::UnitOff { unit } => format!("{unit} does not work that day"),
        }
    }
}

/// How the plan was computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolveReport {
    /// How the visit days were chosen.
    pub days_chosen_by: SolvedBy,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The seed used.
    pub seed: u64,
}

/// The weekly plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The problem's title.
    pub name: Option<String>,
    /// First day of the cycle.
    pub start: NaiveDate,
    /// Weeks in the cycle.
    pub weeks: u8,
    /// The time zone of every local time.
    pub time_zone: String,
    /// Every unit's day out, by date then unit.
    pub routes: Vec<UnitDayPlan>,
    /// Visits left out, with their reason.
    pub unserved: Vec<UnservedVisit>,
    /// Figures for the cycle.
    pub totals: Totals,
    /// Figures per unit.
    pub units: Vec<UnitSummary>,
    /// Changes against the plan in force.
    pub changes: Vec<Change>,
    /// Things to know.
    pub warnings: Vec<Warning>,
    /// How it was computed.
    pub solver: SolveReport,
}
