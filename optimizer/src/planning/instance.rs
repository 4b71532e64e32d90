//! The planning problem prepared for solving: service days, unit-days with their shifts, and
//! every stop and home visit as an item with its candidate days, time windows and compatible
//! units. What cannot be served at all is set aside here with its reason: each day of the cycle
//! is refused for the first reason that applies to it, and the item gets the reason furthest in
//! the precedence of [`super::unserved`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::calendar::{Calendar, CycleDay};
use super::ids::{DayIdx, UnitIdx};
use super::matrices::Matrices;
use super::problem::{
    HalfDay, HomeVisit, Lunch, PeriodHours, PlanningProblem, Preference, Stop, StopDuration, Unit,
    UnitKind,
};
use super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};
use super::unserved::{OffRoad, Reason, Refusal, ShortWindow};
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

    fn stop_item(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        index: usize,
        stop: &Stop,
        location: LocationIdx,
    ) -> Result<Item, Refusal> {
        let item = (stop.allowed_units.as_slice(), stop.equipment.as_slice());
        let units = compatible_units(problem, matrices, &self.left_out, item, location)?;
        let mut candidates = Vec::new();
        let mut refused = Vec::new();
        for (i, day) in self.calendar.days().iter().enumerate() {
            match self.stop_day(problem, matrices, &units, stop, location, i) {
                Ok(candidate) => candidates.push(candidate),
                Err(reason) => refused.push((reason, Some(day.date))),
            }
        }
        let lost = refusal(&candidates, refused)?;
        let frequency = stop.frequency;
        let required = frequency.visits_over(problem.horizon.weeks);
        let pins = problem
            .commitments
            .pinned
            .iter()
            .filter(|p| p.stop == stop.id)
            .filter_map(|p| {
                let unit = UnitIdx::at(problem.units.iter().position(|u| u.id == p.unit)?);
                Some(PinnedSlot {
                    weekday: p.weekday,
                    weeks: p.weeks.clone(),
                    unit,
                    start: p.start,
                })
            })
            .collect();
        let weekly = (!stop.flexible_time && frequency.is_weekly())
            .then(|| frequency.visits / frequency.per_weeks);
        let pattern =
            (!stop.flexible_time && frequency.visits < frequency.per_weeks && required > 1)
                .then_some(WeekPattern {
                    visits: frequency.visits,
                    per_weeks: frequency.per_weeks,
                });
        Ok(Item {
            source: Source::Stop(index),
            location,
            required,
            candidates,
            travel_min: travel_estimate(problem, matrices, &units, location),
            units,
            priority: stop.priority,
            weekly,
            pattern,
            min_gap_days: frequency.min_gap(),
            max_gap_days: frequency.max_gap_days,
            preferred: stop.preferred,
            pins,
            previous: previous_slots(problem, &stop.id),
            lost,
        })
    }

    /// A stop on a day of the cycle (by index in the calendar): its candidate, or the first
    /// reason in precedence that refuses the day.
    fn stop_day(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        units: &[UnitIdx],
        stop: &Stop,
        location: LocationIdx,
        calendar_day: usize,
    ) -> Result<Candidate, Reason> {
        let day = &self.calendar.days()[calendar_day];
        let period = period_hours_on(problem, stop, day);
        let hours = period
            .map_or(&stop.opening_hours, |ph| &ph.hours)
            .on(day.weekday);
        let usually_open = !stop.opening_hours.on(day.weekday).is_empty();
        if !worked(problem, units, day) || (hours.is_empty() && !usually_open) {
            return Err(Reason::ClosedOnWorkingDays);
        }
        if let (true, Some(closing)) = (hours.is_empty(), period) {
            return Err(Reason::ClosedInPeriod(closing.period.clone()));
        }
        // A visit has one length: "the whole opening" is the longest opening of the day.
        let service_min = match stop.duration {
            StopDuration::Minutes(m) => u32::from(m),
            StopDuration::WholeOpening => hours.iter().map(TimeRange::minutes).max().unwrap_or(0),
        };
        let half = stop.preferred.and_then(|p| p.half_day);
        self.fit_on(
            problem,
            matrices,
            units,
            location,
            calendar_day,
            hours,
            service_min,
            half,
        )
    }

    fn home_visit_item(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        index: usize,
        visit: &HomeVisit,
        location: LocationIdx,
    ) -> Result<Item, Refusal> {
        let item = (visit.allowed_units.as_slice(), visit.equipment.as_slice());
        let units = compatible_units(problem, matrices, &self.left_out, item, location)?;
        let duration = u32::from(visit.duration_min);
        let mut candidates = Vec::new();
        let mut refused = Vec::new();
        for (i, day) in self.calendar.days().iter().enumerate() {
            let slots: Vec<TimeRange> = visit
                .slots
                .iter()
                .filter(|s| slot_on(s.date, s.weekday, day.date, day.weekday))
                .map(|s| TimeRange {
                    start: s.start,
                    end: s.end,
                })
                .collect();
            let in_time = visit.deadline.is_none_or(|deadline| day.date <= deadline);
            let attempt = if !in_time || slots.is_empty() || !worked(problem, &units, day) {
                Err(Reason::NoSlotInCycle)
            } else {
                self.fit_on(
                    problem, matrices, &units, location, i, &slots, duration, None,
                )
            };
            match attempt {
                Ok(candidate) => candidates.push(candidate),
                Err(reason) => refused.push((reason, Some(day.date))),
            }
        }
        let lost = refusal(&candidates, refused)?;
        Ok(Item {
            source: Source::HomeVisit(index),
            location,
            required: 1,
            candidates,
            travel_min: travel_estimate(problem, matrices, &units, location),
            units,
            priority: visit.priority,
            weekly: None,
            pattern: None,
            min_gap_days: 1,
            max_gap_days: None,
            preferred: None,
            pins: Vec::new(),
            previous: Vec::new(),
            lost,
        })
    }

    /// An item open within `ranges` on a working day of the cycle (by index in the calendar),
    /// for visits of `service_min`: its candidate (start windows in the preferred half-day when
    /// some unit can serve them), or the first reason in precedence that refuses the day: the
    /// day is closed, or no compatible unit at work can serve it.
    #[allow(clippy::too_many_arguments)]
    fn fit_on(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        units: &[UnitIdx],
        location: LocationIdx,
        calendar_day: usize,
        ranges: &[TimeRange],
        service_min: u32,
        half: Option<HalfDay>,
    ) -> Result<Candidate, Reason> {
        if let Some(name) = &self.calendar.days()[calendar_day].closed {
            return Err(Reason::ClosedDate(name.clone()));
        }
        let Some(day) = self.service_days.iter().position(|&d| d == calendar_day) else {
            return Err(Reason::ClosedOnWorkingDays);
        };
        let day = DayIdx::at(day);
        let crews: Vec<(&UnitDay, Trip)> = self
            .unit_days
            .iter()
            .filter(|ud| ud.day == day && units.contains(&ud.unit))
            .filter_map(|ud| Some((ud, trip(problem, matrices, ud.unit, location)?)))
            .collect();
        let windows = start_windows(ranges, service_min);
        let preferred = half.map(|h| in_half_day(&windows, h));
        for starts in preferred.into_iter().chain([windows]) {
            let served = crews
                .iter()
                .any(|(ud, trip)| serves(ud, *trip, &starts, service_min));
            if served {
                return Ok(Candidate {
                    day,
                    starts,
                    service_min,
                });
            }
        }
        let refusals = crews
            .iter()
            .map(|(ud, trip)| (why_not(ud, *trip, ranges, service_min), None));
        Err(Refusal::strongest(refusals).map_or(Reason::OutOfReach, |r| r.reason))
    }
}

/// Driving between a unit's depot and a place, seconds.
#[derive(Clone, Copy, Debug)]
struct Trip {
    to: u32,
    back: u32,
}

/// The trip of `unit` to `location` on its kind's matrix.
fn trip(
    problem: &PlanningProblem,
    matrices: &Matrices,
    unit: UnitIdx,
    location: LocationIdx,
) -> Option<Trip> {
    let kind = problem.units[unit.get()].kind;
    let (depot, place) = (unit.depot().get(), location.get());
    Some(Trip {
        to: matrices.seconds(kind, depot, place)?,
        back: matrices.seconds(kind, place, depot)?,
    })
}

/// When a visit of `service_min` may start within each range long enough to hold it.
fn start_windows(ranges: &[TimeRange], service_min: u32) -> Vec<TimeRange> {
    ranges
        .iter()
        .filter(|range| service_min > 0 && range.minutes() >= service_min)
        .filter_map(|range| {
            let latest = LocalTime::from_seconds((range.end.minutes() - service_min) * 60)?;
            Some(TimeRange {
                start: range.start,
                end: latest,
            })
        })
        .collect()
}

/// Whether the unit at work `ud` can drive from its depot, start the visit within one of
/// `starts`, and drive back within its shift.
fn serves(ud: &UnitDay, trip: Trip, starts: &[TimeRange], service_min: u32) -> bool {
    starts.iter().any(|window| {
        let earliest = window
            .start
            .seconds()
            .max(ud.shift.start.seconds() + trip.to);
        earliest <= window.end.seconds()
            && earliest + service_min * 60 + trip.back <= ud.shift.end.seconds()
    })
}

/// Why the unit at work `ud` cannot serve a visit of `service_min` within `ranges`, in order of
/// precedence: the trip and the visit do not fit in its day at all (out of reach); the ranges
/// are shorter than the visit; what is left of them between arriving and leaving in time to
/// drive back is (the one that comes closest, with the numbers).
fn why_not(ud: &UnitDay, trip: Trip, ranges: &[TimeRange], service_min: u32) -> Reason {
    let shift = ud.shift;
    if trip.to + service_min * 60 + trip.back > shift.minutes() * 60 {
        return Reason::OutOfReach;
    }
    let longest = ranges.iter().copied().max_by_key(TimeRange::minutes);
    let long_enough = ranges.iter().filter(|r| r.minutes() >= service_min);
    let within_hours = long_enough
        .map(|&open| {
            let arrive = open.start.seconds().max(shift.start.seconds() + trip.to);
            let leave = open
                .end
                .seconds()
                .min(shift.end.seconds().saturating_sub(trip.back));
            ShortWindow {
                open,
                unit_hours: Some(shift),
                drive_min: Some(trip.to.div_ceil(60)),
                needed_min: service_min,
                available_min: leave.saturating_sub(arrive) / 60,
            }
        })
        .max_by_key(|w| w.available_min);
    let window = within_hours.or_else(|| {
        longest.map(|open| ShortWindow {
            open,
            unit_hours: None,
            drive_min: None,
            needed_min: service_min,
            available_min: open.minutes(),
        })
    });
    Reason::SlotTooShort(window)
}

/// Why an item is refused, from the reason each day of the cycle it has no candidate on was
/// refused for: `Err` with the strongest reason when it has no candidate at all; otherwise the
/// reason for the days it is open on a working day but cannot be served on, if any.
fn refusal(
    candidates: &[Candidate],
    refused: Vec<(Reason, Option<chrono::NaiveDate>)>,
) -> Result<Option<Refusal>, Refusal> {
    let strongest = Refusal::strongest(refused);
    if candidates.is_empty() {
        return Err(strongest.unwrap_or_else(|| Reason::ClosedOnWorkingDays.into()));
    }
    Ok(strongest.filter(|r| r.reason.precedence() > Reason::ClosedOnWorkingDays.precedence()))
}

/// Whether some of `units` works on `day` (closed or not), on a working day of the service.
fn worked(problem: &PlanningProblem, units: &[UnitIdx], day: &CycleDay) -> bool {
    day.working_day
        && units
            .iter()
            .any(|&u| shift_on(&problem.units[u.get()], day).is_some())
}

/// A stop's slots in the plan in force (units that still exist, weeks still in the cycle).
fn previous_slots(problem: &PlanningProblem, stop: &str) -> Vec<PinnedSlot> {
    let Some(previous) = &problem.commitments.previous_plan else {
        return Vec::new();
    };
    let mut slots = Vec::new();
    for route in previous
        .routes
        .iter()
        .filter(|r| r.week <= problem.horizon.weeks)
    {
        let Some(unit) = problem.units.iter().position(|u| u.id == route.unit) else {
            continue;
        };
        let unit = UnitIdx::at(unit);
        for step in &route.steps {
            if let super::plan::Step::Visit {
                kind: super::plan::VisitKind::Stop,
                id,
                start,
                ..
            } = step
                && id == stop
            {
                slots.push(PinnedSlot {
                    weekday: route.weekday,
                    weeks: vec![route.week],
                    unit,
                    start: *start,
                });
            }
        }
    }
    slots
}

/// Half the round trip from the nearest compatible depot, in minutes.
fn travel_estimate(
    problem: &PlanningProblem,
    matrices: &Matrices,
    units: &[UnitIdx],
    location: LocationIdx,
) -> u32 {
    units
        .iter()
        .filter_map(|&u| {
            let trip = trip(problem, matrices, u, location)?;
            Some((trip.to + trip.back) / 2)
        })
        .min()
        .map_or(0, |seconds| seconds.div_ceil(60))
}

/// The parts of start windows in a half-day (starts before noon, or from noon).
fn in_half_day(starts: &[TimeRange], half: HalfDay) -> Vec<TimeRange> {
    starts
        .iter()
        .filter_map(|r| {
            let clipped = match half {
                HalfDay::Am => TimeRange {
                    start: r.start,
                    end: r.end.min(LocalTime::LAST_MORNING_MINUTE),
                },
                HalfDay::Pm => TimeRange {
                    start: r.start.max(LocalTime::NOON),
                    end: r.end,
                },
            };
            (clipped.start <= clipped.end).then_some(clipped)
        })
        .collect()
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

fn slot_on(
    date: Option<NaiveDate>,
    weekday: Option<Weekday>,
    on: NaiveDate,
    on_weekday: Weekday,
) -> bool {
    date == Some(on) || weekday == Some(on_weekday)
}

/// The units that may serve an item at `location`: in service, of an allowed kind, carrying
/// the equipment, on a network that reaches the place; the reason when there are none, in the
/// order of precedence.
fn compatible_units(
    problem: &PlanningProblem,
    matrices: &Matrices,
    left_out: &BTreeMap<UnitIdx, OffRoad>,
    item: (&[UnitKind], &[String]),
    location: LocationIdx,
) -> Result<Vec<UnitIdx>, Refusal> {
    let (allowed, equipment) = item;
    let units = &problem.units;
    let of_kind: Vec<UnitIdx> = (0..units.len())
        .map(UnitIdx::at)
        .filter(|u| !left_out.contains_key(u))
        .filter(|&u| allowed.is_empty() || allowed.contains(&units[u.get()].kind))
        .collect();
    if of_kind.is_empty() {
        return Err(Reason::NoAllowedUnit.into());
    }
    let equipped: Vec<UnitIdx> = of_kind
        .into_iter()
        .filter(|&u| {
            equipment
                .iter()
                .all(|e| units[u.get()].equipment.contains(e))
        })
        .collect();
    if equipped.is_empty() {
        return Err(Reason::MissingEquipment.into());
    }
    let on_road: Vec<UnitIdx> = equipped
        .iter()
        .copied()
        .filter(|&u| matrices.reaches(units[u.get()].kind, location.get()))
        .collect();
    if on_road.is_empty() {
        let kinds: Vec<UnitKind> = equipped.iter().map(|&u| units[u.get()].kind).collect();
        let tried = matrices
            .roads_tried(location.get())
            .iter()
            .filter(|road| kinds.contains(&road.kind))
            .copied()
            .collect();
        return Err(Reason::OffRoad(OffRoad {
            field: place_field(problem, location.get()),
            tried,
        })
        .into());
    }
    Ok(on_road)
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
