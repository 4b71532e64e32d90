//! The planning problem prepared for solving: service days, unit-days with their shifts, and
//! every stop and home visit as an item with its candidate days, time windows and compatible
//! units. What cannot be served at all is set aside here with its reason: each day of the cycle
//! is refused for the first reason that applies to it, and the item gets the reason furthest in
//! the precedence of [`super::unserved`].
//!
//! [`items`] makes the items and their candidate days; [`reach`] decides whether a unit at work
//! can serve a visit on a day, or why not.

mod items;
mod reach;

use std::collections::BTreeMap;

use super::calendar::{Calendar, CycleDay};
use super::ids::{DayIdx, UnitIdx};
use super::matrices::Matrices;
use super::problem::{Lunch, PeriodHours, PlanningProblem, Preference, Stop, Unit};
use super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};
use super::unserved::{OffRoad, Refusal};
use crate::model::LocationIdx;

/// A unit at work on a service day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitDay {
    /// The unit.
    pub unit: UnitIdx,
    /// The service day.
    pub day: DayIdx,
    /// Working hours that day.
    pub shift: TimeRange,
    /// Its lunch break.
    pub lunch: Option<Lunch>,
}

impl UnitDay {
    /// Minutes available for driving and visits.
    pub fn capacity_min(&self) -> u32 {
        self.shift.minutes() - self.lunch.map_or(0, |l| u32::from(l.duration_min))
    }
}

/// Where an item comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A recurring stop, by index.
    Stop(usize),
    /// A home visit, by index.
    HomeVisit(usize),
}

/// A day an item can be served on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The service day.
    pub day: DayIdx,
    /// When the visit may start (one range per opening or slot).
    pub starts: Vec<TimeRange>,
    /// Time on site that day, minutes.
    pub service_min: u32,
}

/// A stop or home visit, ready for the day assignment and the routing.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// What it is.
    pub source: Source,
    /// Its location in the matrices.
    pub location: LocationIdx,
    /// Visits wanted over the cycle.
    pub required: u32,
    /// Days it can be served on.
    pub candidates: Vec<Candidate>,
    /// Units that may serve it.
    pub units: Vec<UnitIdx>,
    /// 1 to 100.
    pub priority: u8,
    /// Visits per week when they must fall on the same weekdays and times every week.
    pub weekly: Option<u8>,
    /// For a stop served in some weeks only ("every other week"), which keeps one weekday and
    /// time in the weeks it is served.
    pub pattern: Option<WeekPattern>,
    /// Fewest days between consecutive visits.
    pub min_gap_days: u8,
    /// Most days between consecutive visits.
    pub max_gap_days: Option<u8>,
    /// The dispatcher's wish.
    pub preferred: Option<Preference>,
    /// Minutes of driving a visit adds to a day, estimated as the half round trip from the
    /// nearest compatible depot.
    pub travel_min: u32,
    /// Weekdays (with weeks of the cycle, all when empty) already announced, and by which unit.
    pub pins: Vec<PinnedSlot>,
    /// Its slots in the plan in force, kept where they still fit.
    pub previous: Vec<PinnedSlot>,
    /// Why the days it is open on, on a working day, but cannot be served on are refused (none
    /// when there are no such days): the reason of the visits it lacks days for.
    pub lost: Option<Refusal>,
}

/// A stop served once in `visits` weeks of every `per_weeks` (fewer visits than weeks): the
/// same weeks of every span, on one weekday at one time ("1st and 3rd Tuesday").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekPattern {
    /// Weeks served in each span.
    pub visits: u8,
    /// Weeks in a span.
    pub per_weeks: u8,
}

/// A slot a stop is pinned to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedSlot {
    /// The weekday.
    pub weekday: Weekday,
    /// Weeks of the cycle, from 1 (every week when empty).
    pub weeks: Vec<u8>,
    /// The unit.
    pub unit: UnitIdx,
    /// The announced start.
    pub start: LocalTime,
}

impl Item {
    /// Load of a visit on a candidate, minutes: time on site plus the travel estimate.
    pub fn load_min(&self, candidate: &Candidate) -> u32 {
        candidate.service_min + self.travel_min
    }

    /// Whether the item keeps one slot on each of its weekdays over the cycle.
    pub fn keeps_slot(&self) -> bool {
        (self.weekly.is_some() || self.pattern.is_some()) && self.required > 1
    }
}

/// The prepared problem.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The cycle.
    pub calendar: Calendar,
    /// Indices (into the calendar's days) of the days units can serve.
    pub service_days: Vec<usize>,
    /// Units left out of the plan, by index: their depot is off their road network.
    pub left_out: BTreeMap<UnitIdx, OffRoad>,
    /// Every unit at work on a service day.
    pub unit_days: Vec<UnitDay>,
    /// Items with at least one candidate day.
    pub items: Vec<Item>,
    /// Items that cannot be served at all, with the reason.
    pub impossible: Vec<(Source, Refusal)>,
}

impl Instance {
    /// Prepares a validated problem with its matrices.
    ///
    /// # Errors
    /// The time zone's name when it is unknown (validation reports it first).
    pub fn new(problem: &PlanningProblem, matrices: &Matrices) -> Result<Self, String> {
        let calendar = Calendar::new(&problem.horizon)?;
        let service_days: Vec<usize> = (0..calendar.days().len())
            .filter(|&i| calendar.days()[i].is_service_day())
            .collect();
        // A unit whose depot its own network does not reach cannot leave it: it is left out.
        let left_out: BTreeMap<UnitIdx, OffRoad> = (problem.units.iter().enumerate())
            .filter(|(unit, u)| !matrices.reaches(u.kind, *unit))
            .map(|(unit, u)| {
                let tried = matrices.roads_tried(unit).iter();
                let place = OffRoad {
                    field: place_field(problem, unit),
                    tried: tried.filter(|road| road.kind == u.kind).copied().collect(),
                };
                (UnitIdx::at(unit), place)
            })
            .collect();
        let mut unit_days = Vec::new();
        for (day, &index) in service_days.iter().enumerate() {
            let cycle_day = &calendar.days()[index];
            for (unit, u) in problem.units.iter().enumerate() {
                let unit = UnitIdx::at(unit);
                if left_out.contains_key(&unit) {
                    continue;
                }
                if let Some(shift) = shift_on(u, cycle_day) {
                    let lunch = u.lunch.and_then(|l| lunch_within(l, shift));
                    unit_days.push(UnitDay {
                        unit,
                        day: DayIdx::at(day),
                        shift,
                        lunch,
                    });
                }
            }
        }
        let mut instance = Instance {
            calendar,
            service_days,
            left_out,
            unit_days,
            items: Vec::new(),
            impossible: Vec::new(),
        };
        let units = problem.units.len();
        for (s, stop) in problem.stops.iter().enumerate() {
            let location = LocationIdx((units + s) as u32);
            let item = instance.stop_item(problem, matrices, s, stop, location);
            instance.keep(Source::Stop(s), item);
        }
        for (h, visit) in problem.home_visits.iter().enumerate() {
            let location = LocationIdx((units + problem.stops.len() + h) as u32);
            let item = instance.home_visit_item(problem, matrices, h, visit, location);
            instance.keep(Source::HomeVisit(h), item);
        }
        Ok(instance)
    }

    fn keep(&mut self, source: Source, item: Result<Item, Refusal>) {
        match item {
            Ok(item) => self.items.push(item),
            Err(reason) => self.impossible.push((source, reason)),
        }
    }

    /// The calendar day of a service day.
    pub fn day(&self, day: DayIdx) -> &CycleDay {
        &self.calendar.days()[self.service_days[day.get()]]
    }

    /// Number of days in the cycle (the period spacing is counted over).
    pub fn cycle_days(&self) -> u16 {
        self.calendar.days().len() as u16
    }
}

/// The lunch break of a day whose hours are `shift`: its window cut to the shift, if the break
/// still fits; none when the day ends before lunch (or starts after it).
fn lunch_within(lunch: Lunch, shift: TimeRange) -> Option<Lunch> {
    let window = TimeRange {
        start: lunch.window.start.max(shift.start),
        end: lunch.window.end.min(shift.end),
    };
    (window.minutes() >= u32::from(lunch.duration_min)).then_some(Lunch { window, ..lunch })
}

/// A unit's working hours on a cycle day, if it works that day.
fn shift_on(unit: &Unit, day: &CycleDay) -> Option<TimeRange> {
    let week = day.week + 1;
    let hours: &WeeklyHours = unit
        .hours_by_week
        .iter()
        .find(|w| w.weeks.contains(&week))
        .map_or(&unit.hours, |w| &w.hours);
    hours
        .on(day.weekday)
        .first()
        .copied()
        .filter(|r| r.start < r.end)
}

/// The first period a cycle day falls in that the stop keeps other hours for, if any.
pub fn period_hours_on<'a>(
    problem: &PlanningProblem,
    stop: &'a Stop,
    day: &CycleDay,
) -> Option<&'a PeriodHours> {
    stop.period_hours.iter().find(|ph| {
        day.periods
            .iter()
            .any(|&p| problem.horizon.periods[p].id == ph.period)
    })
}

/// The field of `problem` that gives place `place` of the matrices, as a JSON pointer.
pub fn place_field(problem: &PlanningProblem, place: usize) -> String {
    let (units, stops) = (problem.units.len(), problem.stops.len());
    if place < units {
        format!("/units/{place}/depot")
    } else if place < units + stops {
        format!("/stops/{}/location", place - units)
    } else {
        format!("/home_visits/{}/location", place - units - stops)
    }
}
