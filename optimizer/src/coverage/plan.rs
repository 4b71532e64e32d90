//! From chosen sites to a weekly planning problem: each site becomes a recurring stop with
//! its opening hours and a frequency proportional to the population it serves.
//!
//! The cycle is four weeks, so that a stop can be served twice a week, weekly, every other
//! week or monthly (8, 4, 2 or 1 half-days per cycle). The half-days of the cycle are shared
//! out in proportion to the population each stop serves, and each share is rounded to the
//! nearest of those frequencies (on a logarithmic scale, at least monthly); attendance advice
//! then moves a stop one step up ([`Advice::ServeMoreOften`]) or down ([`Advice::Drop`]).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::attendance::Advice;
use crate::planning::calendar::{DEFAULT_TIME_ZONE, Horizon};
use crate::planning::problem::{
    Commitments, Fairness, Frequency, Lunch, PlanningProblem, Position, SolverSettings, Stop,
    StopDuration, StopKind, Territory, Unit, UnitKind, VehicleSize,
};
use crate::planning::time::{LocalTime, TimeRange, Weekday, WeeklyHours};

/// Weeks of the cycle the plan is written for.
pub const CYCLE_WEEKS: u8 = 4;
/// Half-days per cycle of each frequency step, from rarest to most frequent.
const STEPS: [u32; 4] = [1, 2, 4, 8];

/// A chosen site, ready to become a stop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChosenSite {
    /// Stop id.
    pub id: String,
    /// Name shown to the public.
    pub name: String,
    /// What it is.
    pub kind: StopKind,
    /// Where the unit parks.
    pub location: Position,
    /// When the unit may be there.
    pub opening_hours: WeeklyHours,
    /// Population served (demand points for which it is the nearest chosen stop).
    pub population: f64,
    /// Attendance advice, when the site has a history.
    pub advice: Option<Advice>,
}

/// The unit and cycle the problem is written for.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanOptions {
    /// First day of the cycle.
    pub start: NaiveDate,
    /// Kind of unit that serves the stops.
    pub unit: UnitKind,
    /// Where its days start and end.
    pub depot: Position,
    /// Half-days to share out over the cycle (at least one per stop is kept).
    pub half_days: u32,
    /// Time on site of each visit, minutes.
    pub visit_minutes: u16,
    /// The extract the planner routes on.
    pub extract: PathBuf,
}

/// Visits per cycle of a stop serving `population` out of `total`.
pub fn visits_per_cycle(
    population: f64,
    total: f64,
    half_days: u32,
    advice: Option<Advice>,
) -> u32 {
    let target = if total > 0.0 {
        f64::from(half_days) * population / total
    } else {
        1.0
    };
    let mut step = STEPS
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            let distance = |v: u32| (f64::from(v).ln() - target.max(1.0).ln()).abs();
            distance(**a).total_cmp(&distance(**b))
        })
        .map_or(0, |(i, _)| i);
    match advice {
        Some(Advice::ServeMoreOften) => step = (step + 1).min(STEPS.len() - 1),
        Some(Advice::Drop) => step = step.saturating_sub(1),
        _ => {}
    }
    STEPS[step]
}

/// The frequency of `visits` half-days per four-week cycle.
fn frequency(visits: u32) -> Frequency {
    let (visits, per_weeks) = match visits {
        8 => (2, 1),
        4 => (1, 1),
        2 => (1, 2),
        _ => (1, 4),
    };
    Frequency {
        visits,
        per_weeks,
        min_gap_days: None,
        max_gap_days: None,
    }
}

/// The recurring stops of the chosen sites.
pub fn recurring_stops(sites: &[ChosenSite], half_days: u32, visit_minutes: u16) -> Vec<Stop> {
    let total: f64 = sites.iter().map(|s| s.population).sum();
    sites
        .iter()
        .map(|site| Stop {
            id: site.id.clone(),
            name: site.name.clone(),
            kind: site.kind,
            location: site.location.clone(),
            opening_hours: site.opening_hours.clone(),
            period_hours: Vec::new(),
            duration: StopDuration::Minutes(visit_minutes),
            frequency: frequency(
                visits_per_cycle(site.population, total, half_days, site.advice)
                    .min(most_visits(&site.opening_hours)),
            ),
            allowed_units: Vec::new(),
            equipment: Vec::new(),
            priority: priority(site.population, total / sites.len().max(1) as f64),
            preferred: None,
            flexible_time: false,
        })
        .collect()
}

/// Visits per cycle a stop's hours allow: at most one a day it is open (any day when its
/// hours are unknown).
fn most_visits(hours: &WeeklyHours) -> u32 {
    let open_days = Weekday::ALL
        .iter()
        .filter(|d| !hours.on(**d).is_empty())
        .count() as u32;
    let per_week = if hours.is_empty() { 5 } else { open_days };
    STEPS
        .iter()
        .copied()
        .filter(|v| *v <= u32::from(CYCLE_WEEKS) * per_week.max(1))
        .max()
        .unwrap_or(1)
}

/// 10 to 100, growing with the population served: 50 for a stop serving the mean, so that
/// the planner leaves out the stops serving fewest people first when not everything fits.
fn priority(population: f64, mean: f64) -> u8 {
    if mean <= 0.0 {
        return 50;
    }
    (50.0 * population / mean).round().clamp(10.0, 100.0) as u8
}

/// A complete planning problem: one unit of the given kind working Monday to Friday
/// 08:30–17:30 with an hour's lunch, and the chosen sites as recurring stops.
pub fn planning_problem(sites: &[ChosenSite], options: &PlanOptions) -> PlanningProblem {
    let hm = |h, m| LocalTime::hm(h, m).unwrap_or(LocalTime::MIDNIGHT);
    let day = vec![TimeRange {
        start: hm(8, 30),
        end: hm(17, 30),
    }];
    let working: Vec<Weekday> = Weekday::ALL[..5].to_vec();
    let hours = WeeklyHours(working.iter().map(|d| (*d, day.clone())).collect());
    PlanningProblem {
        name: Some(format!("Coverage stops ({} sites)", sites.len())),
        horizon: Horizon {
            start: options.start,
            weeks: CYCLE_WEEKS,
            working_days: working,
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            public_holidays: Default::default(),
            closed_dates: Vec::new(),
            periods: Vec::new(),
        },
        territory: Territory::Extract(options.extract.clone()),
        units: vec![Unit {
            id: format!("{}-1", options.unit.name()),
            name: None,
            kind: options.unit,
            vehicle: VehicleSize::default(),
            depot: options.depot.clone(),
            hours,
            hours_by_week: Vec::new(),
            lunch: Some(Lunch {
                window: TimeRange {
                    start: hm(12, 0),
                    end: hm(14, 0),
                },
                duration_min: 60,
            }),
            max_driving_min: None,
            battery_range_km: None,
            equipment: Vec::new(),
            cost_per_hour: 0.0,
            cost_per_km: 0.0,
        }],
        stops: recurring_stops(sites, options.half_days, options.visit_minutes),
        home_visits: Vec::new(),
        commitments: Commitments::default(),
        fairness: Fairness::default(),
        solver: SolverSettings::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_grows_with_population_served() {
        // 40 half-days over stops serving 5 000, 2 000, 600 and 100 people.
        let total = 7_700.0;
        let visits: Vec<u32> = [5_000.0, 2_000.0, 600.0, 100.0]
            .iter()
            .map(|p| visits_per_cycle(*p, total, 40, None))
            .collect();
        assert_eq!(visits, vec![8, 8, 4, 1]);
        assert_eq!(
            visits_per_cycle(600.0, total, 40, Some(Advice::ServeMoreOften)),
            8
        );
        assert_eq!(visits_per_cycle(600.0, total, 40, Some(Advice::Drop)), 2);
        assert_eq!(visits_per_cycle(0.0, 0.0, 10, None), 1);
    }

    #[test]
    fn the_problem_is_valid_for_the_planner() {
        let position = Position::new(42.5, 1.5);
        let open = WeeklyHours(
            [(
                Weekday::Tue,
                vec![TimeRange {
                    start: LocalTime::hm(9, 0).unwrap(),
                    end: LocalTime::hm(12, 0).unwrap(),
                }],
            )]
            .into_iter()
            .collect(),
        );
        let sites: Vec<ChosenSite> = [("mairie", 900.0), ("bibliotheque", 100.0)]
            .iter()
            .map(|(id, population)| ChosenSite {
                id: (*id).into(),
                name: (*id).into(),
                kind: StopKind::TownHall,
                location: position.clone(),
                opening_hours: open.clone(),
                population: *population,
                advice: None,
            })
            .collect();
        let options = PlanOptions {
            start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            unit: UnitKind::Bus,
            depot: position,
            half_days: 10,
            visit_minutes: 150,
            extract: PathBuf::from("territory.osm.pbf"),
        };
        let problem = planning_problem(&sites, &options);
        assert_eq!(problem.stops.len(), 2);
        // Twice a week would need two open days: the Tuesday-only stop is served weekly.
        assert_eq!(problem.stops[0].frequency.visits_over(CYCLE_WEEKS), 4);
        assert_eq!(problem.stops[1].frequency.visits_over(CYCLE_WEEKS), 1);
        crate::planning::validate::validate_planning(&problem).unwrap();
    }
}
