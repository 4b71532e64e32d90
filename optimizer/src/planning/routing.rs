//! The cycle as one routing problem for the core: each unit's day is a vehicle on a time axis
//! shifted by its day (day `d` runs from `d × 86 400` seconds), so that a visit that may happen
//! on several days gets one time window per day and the search itself picks the day; a visit
//! held to a day or a unit and time gets only that.

use crate::model::{
    Break, Cost, Distance, Duration, Job, JobIdx, LocationIdx, Objective, Problem, ProfileIdx,
    RouteLimits, TimeWindow, Vehicle, VehicleCosts, VehicleIdx,
};
use crate::search::last_pass;
use crate::solution::StopKind;
use crate::{Control, SolverConfig, solve_from};

use super::ids::{DayIdx, ItemIdx, UnitIdx};
use super::instance::Instance;
use super::left_out;
use super::matrices::Matrices;
use super::problem::{Lunch, PlanningProblem, UnitKind};
use super::time::TimeRange;
use super::unserved::Reason;

/// Core cost units per euro: the routing of a weekly plan prices time and distance in integers
/// of 1/100,000 euro, the unit of the costs its progress reports.
pub const COST_UNITS_PER_EURO: f64 = 100_000.0;
/// Penalty of leaving a visit out, per point of priority: above any cycle's driving cost.
const MISSED_VISIT_PENALTY: i64 = 1_000_000_000;
/// Added to the priority of a stop with pinned slots: an announced slot is the last thing left
/// out, after any visit merely held from the plan in force (priorities are 1 to 100).
const PINNED_PRIORITY: u32 = 1_000;
/// Added to the priority of a visit of a stop that keeps a weekly slot: the search never gives it
/// up to fit other visits in (the slot is what the public was told), below an announced pin.
const HELD_PRIORITY: u32 = 500;
/// Hourly cost used to share work among units that have no cost per hour, euros.
const FAIRNESS_HOURLY_EUR: f64 = 0.5;
/// How many times its hourly cost an hour of driving costs a unit in the search, on top of
/// the span of its day (which already counts it once): an hour spent waiting and an hour spent
/// driving cost the crew the same, but driving is what the public and the fleet pay for twice
/// (fuel, wear, time the unit is not on site elsewhere). Priced through the kilometres at the
/// kind's mean speed, so that the core's O(1) insertion pricing stays as it is. Chosen by
/// `benches/weekly_vs_vroom.py` (0, 1, 2, 4, then 4 against 8 and 16; `benches/README.md`).
const DRIVING_WEIGHT: f64 = 8.0;
/// Seconds in a day of the time axis.
pub const DAY_S: u32 = 86_400;

/// A unit at work on one day of the time axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crew {
    /// The unit.
    pub unit: UnitIdx,
    /// The service day it works (or a template's pseudo-day).
    pub day: DayIdx,
    /// Position of that day on the time axis, in days.
    pub slot: u32,
    /// Its working hours.
    pub shift: TimeRange,
    /// Its lunch break.
    pub lunch: Option<Lunch>,
}

impl Crew {
    fn offset(&self) -> u32 {
        self.slot * DAY_S
    }
}

/// When a visit may start on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Timing {
    /// Within its candidate's windows, with any compatible unit.
    Free,
    /// Within these windows (a weekly slot must fit every week), with any compatible unit.
    Within(Vec<TimeRange>),
    /// With this unit, at this start (seconds after midnight): an announced slot.
    Fixed(UnitIdx, u32),
}

/// A day a visit may happen on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitOption {
    /// The crews' day it applies to.
    pub day: DayIdx,
    /// The item's candidate for that day.
    pub candidate: usize,
    /// When and with whom.
    pub timing: Timing,
}

/// A visit to route on one of its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The item.
    pub item: ItemIdx,
    /// The days it may happen on.
    pub options: Vec<VisitOption>,
}

/// A step of a routed day, in seconds after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutedStep {
    /// A visit, by index in the visits routed.
    Visit {
        /// Index in the visits given.
        visit: usize,
        /// Arrival.
        arrival: u32,
        /// Start of the visit.
        start: u32,
        /// End of the visit.
        end: u32,
        /// Driving from the previous place, seconds.
        drive: u32,
        /// Distance from the previous place, metres.
        distance: u32,
    },
    /// The lunch break.
    Break {
        /// Start.
        start: u32,
        /// End.
        end: u32,
    },
}

/// A crew's routed day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutedCrew {
    /// The crew.
    pub crew: Crew,
    /// Leaving the depot, seconds after local midnight.
    pub departure: u32,
    /// Back at the depot.
    pub arrival: u32,
    /// Its steps.
    pub steps: Vec<RoutedStep>,
    /// Driving back to the depot, seconds.
    pub return_drive: u32,
    /// Metres driven back to the depot.
    pub return_distance: u32,
}

/// A solved routing problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routed {
    /// The crews that went out.
    pub crews: Vec<RoutedCrew>,
    /// Visits left out, by index in the visits given, with the reason.
    pub unserved: Vec<(usize, Reason)>,
    /// Cost of the routes, in core units (1/100,000 euro, [`COST_UNITS_PER_EURO`]).
    pub cost: i64,
}

/// What routing problems are made of.
pub struct RoutingContext<'a> {
    /// The dispatcher's problem.
    pub problem: &'a PlanningProblem,
    /// The prepared instance.
    pub instance: &'a Instance,
    /// The matrices per unit kind.
    pub matrices: &'a Matrices,
    /// A price factor on each unit's time (1 by default), raised to even out work.
    pub time_price: Vec<f64>,
}

/// How long and how hard the core searches.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    /// Wall-clock limit.
    pub time_limit: std::time::Duration,
    /// Ruin-and-recreate steps per thread.
    pub iterations: u64,
    /// Seed.
    pub seed: u64,
    /// Independent searches side by side.
    pub threads: usize,
}

impl RoutingContext<'_> {
    /// Seconds `unit` drives from location `from` to location `to` (indices of the matrices).
    pub fn drive_s(&self, unit: UnitIdx, from: LocationIdx, to: LocationIdx) -> u32 {
        self.matrices
            .seconds(self.problem.units[unit.get()].kind, from.get(), to.get())
            .unwrap_or(0)
    }

    /// Routes `visits` with `crews`.
    pub fn route(
        &self,
        crews: &[Crew],
        visits: &[Visit],
        effort: Effort,
        control: &Control<'_>,
    ) -> Routed {
        let problem = self.core_problem(crews, visits);
        let config = SolverConfig {
            time_limit: Some(effort.time_limit),
            iterations: Some(effort.iterations),
            seed: effort.seed,
            threads: effort.threads,
        };
        let start = held_start(crews, visits);
        let Ok(found) = solve_from(&problem, &start, &config, control) else {
            // The core refuses only malformed problems, which this translation does not build.
            return Routed {
                crews: Vec::new(),
                unserved: (0..visits.len()).map(|v| (v, Reason::NoCapacity)).collect(),
                cost: 0,
            };
        };
        let solution = last_pass(&problem, found);
        let mut routed = Vec::new();
        for route in &solution.routes {
            let crew = crews[route.vehicle.get()];
            let offset = i64::from(crew.offset());
            let matrix = &problem.profiles[problem.vehicles[route.vehicle.get()].profile.get()];
            let home = crew.unit.depot();
            let mut at = home;
            // When the unit can leave its current place: arrivals are recomputed from it, as a
            // break is taken where the unit is and the drive to the next place follows it.
            let mut ready = route.departure.0;
            let mut steps = Vec::new();
            for stop in &route.stops {
                match stop.kind {
                    StopKind::Job(job) => {
                        let j = &problem.jobs[job.get()];
                        let drive = matrix.duration(at, j.location).0;
                        let end = stop.start.0 + j.service.0;
                        steps.push(RoutedStep::Visit {
                            visit: job.get(),
                            arrival: (ready + drive - offset) as u32,
                            start: (stop.start.0 - offset) as u32,
                            end: (end - offset) as u32,
                            drive: drive as u32,
                            distance: matrix.distance(at, j.location).0 as u32,
                        });
                        at = j.location;
                        ready = end;
                    }
                    StopKind::Break(b) => {
                        let vehicle = &problem.vehicles[route.vehicle.get()];
                        let length = vehicle.breaks[b as usize].duration.0;
                        steps.push(RoutedStep::Break {
                            start: (stop.start.0 - offset) as u32,
                            end: (stop.start.0 + length - offset) as u32,
                        });
                        ready = stop.start.0 + length;
                    }
                }
            }
            routed.push(RoutedCrew {
                crew,
                departure: (route.departure.0 - offset) as u32,
                arrival: (route.arrival.0 - offset) as u32,
                steps,
                return_drive: matrix.duration(at, home).0 as u32,
                return_distance: matrix.distance(at, home).0 as u32,
            });
        }
        let unserved = solution
            .unserved
            .iter()
            .map(|u| (u.job.get(), left_out::reason(&problem, &solution, u)))
            .collect();
        Routed {
            crews: routed,
            unserved,
            cost: solution.routes.iter().map(|r| r.cost.0).sum(),
        }
    }

    /// The core problem over the problem's own locations (its units' depots, stops and home
    /// visits), so that every kind's matrix is shared with the core rather than copied.
    fn core_problem(&self, crews: &[Crew], visits: &[Visit]) -> Problem {
        let units = &self.problem.units;
        let mut kinds: Vec<UnitKind> = crews.iter().map(|c| units[c.unit.get()].kind).collect();
        kinds.sort();
        kinds.dedup();
        // `plan` checked that every kind of unit has its matrix.
        let profiles = kinds
            .iter()
            .filter_map(|&kind| self.matrices.get(kind).cloned())
            .collect();
        let speeds: Vec<Option<f64>> = kinds
            .iter()
            .map(|&kind| self.matrices.mean_speed_mps(kind))
            .collect();
        let vehicles = crews
            .iter()
            .map(|crew| self.vehicle(crew, &kinds, &speeds))
            .collect();
        let jobs = visits.iter().map(|visit| self.job(crews, visit)).collect();
        Problem {
            profiles,
            jobs,
            vehicles,
            objective: Objective::Cost,
        }
    }

    fn vehicle(&self, crew: &Crew, kinds: &[UnitKind], speeds: &[Option<f64>]) -> Vehicle {
        let unit = &self.problem.units[crew.unit.get()];
        let offset = i64::from(crew.offset());
        let profile = kinds.iter().position(|k| *k == unit.kind).unwrap_or(0);
        let zero_costs = unit.cost_per_hour == 0.0 && unit.cost_per_km == 0.0;
        // Without costs, kilometres decide (one cent each).
        let per_km = if zero_costs { 0.01 } else { unit.cost_per_km };
        let price = self.time_price.get(crew.unit.get()).copied().unwrap_or(1.0);
        // Sharing work needs a price on time; without one, an hour counts as a kilometre does.
        let hourly = if unit.cost_per_hour == 0.0 && price != 1.0 {
            FAIRNESS_HOURLY_EUR
        } else {
            unit.cost_per_hour
        };
        let per_hour = hourly * price;
        // Driving is priced on top of the day's span, through the kilometres it takes at the
        // kind's mean speed (see `DRIVING_WEIGHT`).
        let per_km = per_km
            + speeds.get(profile).copied().flatten().map_or(0.0, |speed| {
                DRIVING_WEIGHT * hourly * 1_000.0 / (3_600.0 * speed)
            });
        Vehicle {
            start: Some(crew.unit.depot()),
            end: Some(crew.unit.depot()),
            shift: window(crew.shift, offset),
            capacity: Vec::new(),
            skills: Vec::new(),
            profile: ProfileIdx(profile as u32),
            breaks: crew
                .lunch
                .map(|l| lunch_break(l, offset))
                .into_iter()
                .collect(),
            limits: RouteLimits {
                max_travel_time: unit.max_driving_min.map(|m| Duration(i64::from(m) * 60)),
                max_duration: None,
                max_distance: unit
                    .battery_range_km
                    .map(|km| Distance((km * 1_000.0) as i64)),
                max_tasks: None,
            },
            costs: VehicleCosts {
                fixed: Cost(0),
                per_distance: Cost((per_km * COST_UNITS_PER_EURO / 1_000.0).round() as i64),
                per_duration: Cost((per_hour * COST_UNITS_PER_EURO / 3_600.0).round() as i64),
            },
        }
    }

    fn job(&self, crews: &[Crew], visit: &Visit) -> Job {
        let item = &self.instance.items[visit.item.get()];
        let mut allowed = Vec::new();
        let mut time_windows = Vec::new();
        let mut service = 0;
        for option in &visit.options {
            let candidate = &item.candidates[option.candidate];
            service = candidate.service_min;
            for (c, crew) in crews
                .iter()
                .enumerate()
                .filter(|(_, crew)| crew.day == option.day)
            {
                let ok = match option.timing {
                    Timing::Fixed(unit, _) => crew.unit == unit,
                    _ => item.units.contains(&crew.unit),
                };
                if ok {
                    allowed.push(VehicleIdx(c as u32));
                }
            }
            let offset = crews
                .iter()
                .find(|crew| crew.day == option.day)
                .map_or(0, |crew| i64::from(crew.offset()));
            match &option.timing {
                Timing::Fixed(_, start) => {
                    // An announced "13:20" is any start within that minute: plans show times
                    // to the minute, so a slot read back from a plan can always be kept.
                    let at = offset + i64::from(*start);
                    time_windows.push(TimeWindow {
                        start: Duration(at),
                        end: Duration(at + 59),
                    });
                }
                Timing::Within(ranges) => {
                    time_windows.extend(ranges.iter().map(|r| window(*r, offset)))
                }
                Timing::Free => {
                    time_windows.extend(candidate.starts.iter().map(|r| window(*r, offset)))
                }
            }
        }
        time_windows.sort_by_key(|w| w.start);
        let priority = u32::from(item.priority)
            + if !item.pins.is_empty() {
                PINNED_PRIORITY
            } else if item.keeps_slot() && visit.options.len() == 1 {
                HELD_PRIORITY
            } else {
                0
            };
        Job {
            location: item.location,
            service: Duration(i64::from(service) * 60),
            time_windows,
            demand: Vec::new(),
            skills: Vec::new(),
            priority,
            penalty: Some(Cost(i64::from(priority) * MISSED_VISIT_PENALTY)),
            allowed_vehicles: Some(allowed),
        }
    }
}

/// The day, unit and start a visit is held to, when it has exactly one option and that is a
/// fixed slot.
fn held(visit: &Visit) -> Option<(DayIdx, UnitIdx, u32)> {
    match visit.options.as_slice() {
        [only] => match only.timing {
            Timing::Fixed(unit, start) => Some((only.day, unit, start)),
            _ => None,
        },
        _ => None,
    }
}

/// The core's start: on each crew, its held visits in the order of their starts. They are
/// placed before anything else, so that the visits the search adds fit around them rather
/// than the other way round (a held slot the search's order happened to block would move).
fn held_start(crews: &[Crew], visits: &[Visit]) -> Vec<(VehicleIdx, Vec<JobIdx>)> {
    let mut start: Vec<(VehicleIdx, Vec<(u32, JobIdx)>)> = Vec::new();
    for (v, visit) in visits.iter().enumerate() {
        let Some((day, unit, at)) = held(visit) else {
            continue;
        };
        let Some(c) = crews.iter().position(|c| c.day == day && c.unit == unit) else {
            continue;
        };
        let vehicle = VehicleIdx(c as u32);
        let job = (at, JobIdx(v as u32));
        match start.iter_mut().find(|(x, _)| *x == vehicle) {
            Some((_, jobs)) => jobs.push(job),
            None => start.push((vehicle, vec![job])),
        }
    }
    start
        .into_iter()
        .map(|(vehicle, mut jobs)| {
            jobs.sort_unstable();
            (vehicle, jobs.into_iter().map(|(_, job)| job).collect())
        })
        .collect()
}

fn window(range: TimeRange, offset: i64) -> TimeWindow {
    TimeWindow {
        start: Duration(offset + i64::from(range.start.seconds())),
        end: Duration(offset + i64::from(range.end.seconds())),
    }
}

fn lunch_break(lunch: Lunch, offset: i64) -> Break {
    let duration = i64::from(lunch.duration_min) * 60;
    Break {
        time_windows: vec![TimeWindow {
            start: Duration(offset + i64::from(lunch.window.start.seconds())),
            end: Duration(offset + i64::from(lunch.window.end.seconds()) - duration),
        }],
        duration: Duration(duration),
    }
}
