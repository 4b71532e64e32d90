//! The weekly planning problem as a dispatcher states it: the documented JSON format of
//! `tournee plan`, `POST /v1/plans` and the web page.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Horizon;
use super::plan::Plan;
use super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};

/// The kinds of unit, defined below the problem and the plan, which both name them.
pub use super::unit_kind::UnitKind;

/// A WGS84 position in degrees, and the address it was found from when the place was given as
/// one: `{"lat": 42.5, "lon": 1.53, "address": "15 Avinguda Doctor Mitjavila", "label": …,
/// "score": 0.95}`. A bare `{"address": …}` is resolved by the service before a problem reaches
/// the planner (docs/planning-format.md); here it is refused, so that the planner only ever sees
/// positions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PositionForm")]
pub struct Position {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
    /// The address the position was resolved from, if any.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl Position {
    /// A position given by its coordinates.
    pub fn new(lat: f64, lon: f64) -> Self {
        Position {
            lat,
            lon,
            address: None,
        }
    }
}

/// An address as the dispatcher wrote it, and what the geocoder made of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// As written: "12 rue de la Gare", "Mairie de Felletin".
    pub address: String,
    /// The postcode given with it, narrowing the search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// The commune given with it, narrowing the search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// How the geocoder labelled the place it found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How well it matched, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// Every member a location may have, before it is known to be a position.
#[derive(Deserialize)]
struct PositionForm {
    lat: Option<f64>,
    lon: Option<f64>,
    address: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    label: Option<String>,
    score: Option<f64>,
}

impl TryFrom<PositionForm> for Position {
    type Error = String;

    fn try_from(form: PositionForm) -> Result<Self, Self::Error> {
        let address = form.address.map(|address| Address {
            address,
            postcode: form.postcode,
            city: form.city,
            label: form.label,
            score: form.score,
        });
        match (form.lat, form.lon, &address) {
            (Some(lat), Some(lon), _) => Ok(Position { lat, lon, address }),
            (None, None, Some(given)) => Err(format!(
                "the address {:?} has no position yet: submit the problem to the service \
                 (POST /v1/plans), which finds it, or give `lat` and `lon`",
                given.address
            )),
            (None, _, _) => Err("missing field `lat`".into()),
            (_, None, _) => Err("missing field `lon`".into()),
        }
    }
}

/// Overrides of a unit's routing numbers (the kind's defaults otherwise).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VehicleSize {
    /// Highest speed, km/h.
    pub max_speed_kmh: Option<f64>,
    /// Height, metres.
    pub height_m: Option<f64>,
    /// Width, metres.
    pub width_m: Option<f64>,
    /// Length, metres.
    pub length_m: Option<f64>,
    /// Weight, tonnes.
    pub weight_t: Option<f64>,
    /// Triporteur only: cruising speed, km/h.
    pub cruising_speed_kmh: Option<f64>,
}

/// A lunch break: `duration_min` minutes taken within `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lunch {
    /// The break starts no earlier than `window.start` and ends no later than `window.end`.
    pub window: TimeRange,
    /// Length of the break.
    pub duration_min: u16,
}

/// Working hours that differ in some weeks of the cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekHours {
    /// Weeks of the cycle (from 1) these hours apply to.
    pub weeks: Vec<u8>,
    /// One range per working weekday.
    pub hours: WeeklyHours,
}

/// A mobile unit and its crew's working conditions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// What it is: decides the road network and which stops accept it.
    pub kind: UnitKind,
    /// Routing overrides.
    #[serde(default)]
    pub vehicle: VehicleSize,
    /// Where each day starts and ends.
    pub depot: Position,
    /// Working hours: one range per weekday worked.
    pub hours: WeeklyHours,
    /// Other hours in given weeks of the cycle.
    #[serde(default)]
    pub hours_by_week: Vec<WeekHours>,
    /// The crew's lunch break.
    #[serde(default)]
    pub lunch: Option<Lunch>,
    /// Most minutes of driving per day.
    #[serde(default)]
    pub max_driving_min: Option<u32>,
    /// Most kilometres per day (battery range of electric units).
    #[serde(default)]
    pub battery_range_km: Option<f64>,
    /// Equipment and skills on board (`"ants"`, `"wheelchair_ramp"`…).
    #[serde(default)]
    pub equipment: Vec<String>,
    /// Cost of one hour of work, euros.
    #[serde(default)]
    pub cost_per_hour: f64,
    /// Cost of one kilometre, euros.
    #[serde(default)]
    pub cost_per_km: f64,
}

/// What a recurring stop is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum StopKind {
    Market,
    Library,
    TownHall,
    PartnerSite,
    Other,
}

/// How long a unit stays at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopDuration {
    /// A fixed time on site.
    Minutes(u16),
    /// From opening to closing (a market morning).
    WholeOpening,
}

/// How often a stop is served: `visits` visits every `per_weeks` weeks, consecutive visits at
/// least `min_gap_days` and at most `max_gap_days` apart (counted across the end of the cycle,
/// which repeats).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frequency {
    /// Visits per `per_weeks` weeks.
    pub visits: u8,
    /// The span the visits are counted over; the cycle must be a multiple of it.
    #[serde(default = "one")]
    pub per_weeks: u8,
    /// Fewest days between consecutive visits.
    #[serde(default)]
    pub min_gap_days: Option<u8>,
    /// Most days between consecutive visits.
    #[serde(default)]
    pub max_gap_days: Option<u8>,
}

fn one() -> u8 {
    1
}

impl Frequency {
    /// Visits over a cycle of `weeks` weeks.
    pub fn visits_over(&self, weeks: u8) -> u32 {
        u32::from(self.visits) * u32::from(weeks) / u32::from(self.per_weeks.max(1))
    }

    /// The fewest days between visits: as given, or half the average gap (at least one day) so
    /// that visits spread over the span.
    pub fn min_gap(&self) -> u8 {
        self.min_gap_days.unwrap_or_else(|| {
            let average = 7 * u32::from(self.per_weeks) / u32::from(self.visits.max(1));
            (average / 2).clamp(1, 255) as u8
        })
    }

    /// Whether the visits repeat every week (`visits` a multiple of `per_weeks`): such a stop
    /// keeps the same weekdays and times every week unless it is flexible.
    pub fn is_weekly(&self) -> bool {
        self.visits.is_multiple_of(self.per_weeks.max(1))
    }
}

/// Morning or afternoon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum HalfDay {
    Am,
    Pm,
}

/// A dispatcher's wish for a stop's slot, honoured when it costs little.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    /// Preferred day.
    #[serde(default)]
    pub weekday: Option<Weekday>,
    /// Preferred half-day.
    #[serde(default)]
    pub half_day: Option<HalfDay>,
}

/// Other opening hours during a period (empty hours: closed during it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodHours {
    /// The horizon period's id.
    pub period: String,
    /// Hours during the period.
    pub hours: WeeklyHours,
}

/// A recurring public stop: a market square, a library, a town hall, a partner site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Unique id.
    pub id: String,
    /// Name shown to the public.
    pub name: String,
    /// What it is.
    pub kind: StopKind,
    /// Where the unit parks.
    pub location: Position,
    /// When the unit may be there, per weekday (a market: only its market day).
    pub opening_hours: WeeklyHours,
    /// Other hours during periods of the horizon.
    #[serde(default)]
    pub period_hours: Vec<PeriodHours>,
    /// Time on site.
    pub duration: StopDuration,
    /// How often.
    pub frequency: Frequency,
    /// Kinds of unit that may serve it (any when empty).
    #[serde(default)]
    pub allowed_units: Vec<UnitKind>,
    /// Equipment the unit must have.
    #[serde(default)]
    pub equipment: Vec<String>,
    /// 1 (least) to 100 (most) important.
    #[serde(default = "default_priority")]
    pub priority: u8,
    /// Preferred day and half-day.
    #[serde(default)]
    pub preferred: Option<Preference>,
    /// Allow other weekdays and times from week to week (off by default: people expect the
    /// unit on the same day at the same time).
    #[serde(default)]
    pub flexible_time: bool,
}

fn default_priority() -> u8 {
    50
}

/// When a person can receive a home visit: on a date, or on a weekday of any week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// A given date…
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// …or a weekday of any week.
    #[serde(default)]
    pub weekday: Option<Weekday>,
    /// Hours.
    pub start: LocalTime,
    /// End of the slot (the visit ends by then).
    pub end: LocalTime,
}

/// A request for a visit at someone's home. Personal data: never logged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeVisit {
    /// Unique id (not the person's name).
    pub id: String,
    /// The home.
    pub location: Position,
    /// Length of the visit.
    pub duration_min: u16,
    /// When the person is available.
    pub slots: Vec<Slot>,
    /// 1 to 100.
    #[serde(default = "default_priority")]
    pub priority: u8,
    /// Last acceptable date.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    /// Equipment needed.
    #[serde(default)]
    pub equipment: Vec<String>,
    /// Kinds of unit that may go (any when empty).
    #[serde(default)]
    pub allowed_units: Vec<UnitKind>,
}

/// A stop already announced at a weekday and time with a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// The stop's id.
    pub stop: String,
    /// The unit's id.
    pub unit: String,
    /// The weekday.
    pub weekday: Weekday,
    /// The announced start.
    pub start: LocalTime,
    /// Weeks of the cycle (from 1) the pin holds in; every week the stop is served when empty.
    #[serde(default)]
    pub weeks: Vec<u8>,
}

/// What is already promised.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Commitments {
    /// Announced slots that must stay.
    #[serde(default)]
    pub pinned: Vec<Pin>,
    /// The plan in force: its slots are kept where they still fit, and changes are reported.
    #[serde(default)]
    pub previous_plan: Option<Box<Plan>>,
}

/// How evenly work is shared between units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fairness {
    /// Cost, in euros, of each hour between the most and the least loaded unit.
    #[serde(default)]
    pub weight: f64,
    /// Most minutes of difference allowed between the most and least loaded unit.
    #[serde(default)]
    pub max_spread_min: Option<u32>,
}

/// Travel times and distances between the problem's locations, for one kind of unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryMatrix {
    /// Seconds from row to column.
    pub durations_s: Vec<Vec<u32>>,
    /// Metres from row to column.
    pub distances_m: Vec<Vec<u32>>,
}

/// Where the road network comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Territory {
    /// An OpenStreetMap extract Tournée routes on.
    Extract(PathBuf),
    /// Matrices an integrator computed: one per unit kind used, over the locations in this order:
    /// each unit's depot, each stop, each home visit.
    Matrices(BTreeMap<UnitKind, TerritoryMatrix>),
}

/// Solver limits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolverSettings {
    /// Seconds the solve may take.
    #[serde(default = "default_time_limit")]
    pub time_limit_s: f64,
    /// Seed of the randomised search (same seed, same inputs: same plan).
    #[serde(default = "one_u64")]
    pub seed: u64,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            time_limit_s: default_time_limit(),
            seed: 1,
        }
    }
}

fn default_time_limit() -> f64 {
    10.0
}

fn one_u64() -> u64 {
    1
}

/// The weekly (or multi-week) planning problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningProblem {
    /// A title for people.
    #[serde(default)]
    pub name: Option<String>,
    /// The cycle.
    pub horizon: Horizon,
    /// The road network.
    pub territory: Territory,
    /// The units.
    pub units: Vec<Unit>,
    /// The recurring stops.
    #[serde(default)]
    pub stops: Vec<Stop>,
    /// The home-visit requests.
    #[serde(default)]
    pub home_visits: Vec<HomeVisit>,
    /// Pins and the plan in force.
    #[serde(default)]
    pub commitments: Commitments,
    /// Work sharing.
    #[serde(default)]
    pub fairness: Fairness,
    /// Solver limits.
    #[serde(default)]
    pub solver: SolverSettings,
}

#[cfg(test)]
mod tests {
    use super::Position;
    use serde_json::json;

    #[test]
    fn an_address_without_a_position_is_refused_with_the_way_to_resolve_it() {
        let error = serde_json::from_value::<Position>(json!({"address": "12 rue de la Gare"}))
            .expect_err("no position yet");
        let message = error.to_string();
        assert!(
            message.contains("12 rue de la Gare") && message.contains("POST /v1/plans"),
            "{message}"
        );
        let half = serde_json::from_value::<Position>(json!({"lat": 45.0}));
        assert!(half.expect_err("no lon").to_string().contains("`lon`"));
    }

    #[test]
    fn a_resolved_address_is_kept_beside_its_position() {
        let stored = json!({
            "lat": 42.5, "lon": 1.53, "address": "15 Avinguda Doctor Mitjavila",
            "postcode": "AD500", "label": "15 Avinguda Doctor Mitjavila AD500", "score": 0.95
        });
        let position: Position = serde_json::from_value(stored.clone()).expect("a position");
        let address = position.address.as_ref().expect("its address");
        assert_eq!(
            (position.lat, address.postcode.as_deref(), address.score),
            (42.5, Some("AD500"), Some(0.95))
        );
        assert_eq!(serde_json::to_value(&position).expect("JSON"), stored);
        assert_eq!(
            serde_json::to_value(Position::new(1.0, 2.0)).expect("JSON"),
            json!({"lat": 1.0, "lon": 2.0})
        );
    }
}
