//! The planning problem prepared for solving: service days, unit-days with their shifts, and
//! every stop and home visit as an item with its candidate days, time windows and compatible
//! units. What cannot be served at all is set aside here with its reason.

use chrono::NaiveDate;

use super::calendar::{Calendar, CycleDay};
use super::problem::{
    HalfDay, HomeVisit, Lunch, PeriodHours, PlanningProblem, Preference, Stop, StopDuration,
    TerritoryMatrix, Unit, UnitKind,
};
use super::time::{LocalTime, TimeRange, Weekday, WeeklyHours};
use super::unserved::Reason;

/// Travel times and distances per unit kind over the problem's locations: each unit's depot,
/// then each stop, then each home visit.
pub type Matrices = std::collections::BTreeMap<UnitKind, TerritoryMatrix>;

/// A unit at work on a service day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitDay {
    /// Index of the unit.
    pub unit: usize,
    /// Index of the service day.
    pub day: usize,
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
    /// Index of the service day.
    pub day: usize,
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
    pub location: usize,
    /// Visits wanted over the cycle.
    pub required: u32,
    /// Days it can be served on.
    pub candidates: Vec<Candidate>,
    /// Units that may serve it.
    pub units: Vec<usize>,
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
    /// The unit, by index.
    pub unit: usize,
    /// The announced start.
    pub start: LocalTime,
}

impl Item {
    /// Load of a visit on a candidate, minutes: time on site plus the travel estimate.
    pub fn load_min(&self, candidate: &Candidate) -> u32 {
        candidate.service_min + self.travel_min
    }
}

/// The prepared problem.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The cycle.
    pub calendar: Calendar,
    /// Indices (into the calendar's days) of the days units can serve.
    pub service_days: Vec<usize>,
    /// Every unit at work on a service day.
    pub unit_days: Vec<UnitDay>,
    /// Items with at least one candidate day.
    pub items: Vec<Item>,
    /// Items that cannot be served at all, with the reason.
    pub impossible: Vec<(Source, Reason)>,
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
        let mut unit_days = Vec::new();
        for (day, &index) in service_days.iter().enumerate() {
            let cycle_day = &calendar.days()[index];
            for (unit, u) in problem.units.iter().enumerate() {
                if let Some(shift) = shift_on(u, cycle_day) {
                    let lunch = u.lunch.and_then(|l| lunch_within(l, shift));
                    unit_days.push(UnitDay {
                        unit,
                        day,
                        shift,
                        lunch,
                    });
                }
            }
        }
        let mut instance = Instance {
            calendar,
            service_days,
            unit_days,
            items: Vec::new(),
            impossible: Vec::new(),
        };
        let units = problem.units.len();
        for (s, stop) in problem.stops.iter().enumerate() {
            let location = units + s;
            let item = instance.stop_item(problem, matrices, s, stop, location);
            instance.keep(Source::Stop(s), item);
        }
        for (h, visit) in problem.home_visits.iter().enumerate() {
            let location = units + problem.stops.len() + h;
            let item = instance.home_visit_item(problem, matrices, h, visit, location);
            instance.keep(Source::HomeVisit(h), item);
        }
        Ok(instance)
    }

    fn keep(&mut self, source: Source, item: Result<Item, Reason>) {
        match item {
            Ok(item) => self.items.push(item),
            Err(reason) => self.impossible.push((source, reason)),
        }
    }

    /// The calendar day of a service day.
    pub fn day(&self, day: usize) -> &CycleDay {
        &self.calendar.days()[self.service_days[day]]
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
        location: usize,
    ) -> Result<Item, Reason> {
        let units = compatible_units(&problem.units, &stop.allowed_units, &stop.equipment)?;
        let mut candidates = Vec::new();
        for day in 0..self.service_days.len() {
            let cycle_day = self.day(day);
            let hours = opening_on(problem, stop, cycle_day);
            // A visit has one length: "the whole opening" is the longest opening of the day.
            let service_min = match stop.duration {
                StopDuration::Minutes(m) => u32::from(m),
                StopDuration::WholeOpening => {
                    hours.iter().map(TimeRange::minutes).max().unwrap_or(0)
                }
            };
            let mut starts: Vec<TimeRange> = hours
                .iter()
                .filter(|range| service_min > 0 && range.minutes() >= service_min)
                .filter_map(|range| {
                    let latest = LocalTime::from_seconds((range.end.minutes() - service_min) * 60)?;
                    Some(TimeRange {
                        start: range.start,
                        end: latest,
                    })
                })
                .collect();
            if let Some(half) = stop.preferred.and_then(|p| p.half_day) {
                let preferred = in_half_day(&starts, half);
                if !preferred.is_empty() {
                    starts = preferred;
                }
            }
            if !starts.is_empty()
                && self.reachable(
                    problem,
                    matrices,
                    &units,
                    day,
                    location,
                    &starts,
                    service_min,
                )
            {
                candidates.push(Candidate {
                    day,
                    starts,
                    service_min,
                });
            }
        }
        if candidates.is_empty() {
            let opens_on_working_day = Weekday::ALL.iter().any(|d| {
                problem.horizon.working_days.contains(d) && !stop.opening_hours.on(*d).is_empty()
            });
            return Err(if opens_on_working_day {
                Reason::OutOfReach
            } else {
                Reason::ClosedOnWorkingDays
            });
        }
        let frequency = stop.frequency;
        let required = frequency.visits_over(problem.horizon.weeks);
        let pins = problem
            .commitments
            .pinned
            .iter()
            .filter(|p| p.stop == stop.id)
            .filter_map(|p| {
                let unit = problem.units.iter().position(|u| u.id == p.unit)?;
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
        })
    }

    fn home_visit_item(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        index: usize,
        visit: &HomeVisit,
        location: usize,
    ) -> Result<Item, Reason> {
        let units = compatible_units(&problem.units, &visit.allowed_units, &visit.equipment)?;
        let duration = u32::from(visit.duration_min);
        let mut candidates = Vec::new();
        let mut any_slot_in_cycle = false;
        let mut any_slot_long_enough = false;
        for day in 0..self.service_days.len() {
            let cycle_day = self.day(day);
            if visit
                .deadline
                .is_some_and(|deadline| cycle_day.date > deadline)
            {
                continue;
            }
            let mut starts = Vec::new();
            for slot in visit
                .slots
                .iter()
                .filter(|s| slot_on(s.date, s.weekday, cycle_day.date, cycle_day.weekday))
            {
                any_slot_in_cycle = true;
                let range = TimeRange {
                    start: slot.start,
                    end: slot.end,
                };
                if range.minutes() < duration {
                    continue;
                }
                any_slot_long_enough = true;
                if let Some(latest) = LocalTime::from_seconds((slot.end.minutes() - duration) * 60)
                {
                    starts.push(TimeRange {
                        start: slot.start,
                        end: latest,
                    });
                }
            }
            if !starts.is_empty()
                && self.reachable(problem, matrices, &units, day, location, &starts, duration)
            {
                candidates.push(Candidate {
                    day,
                    starts,
                    service_min: duration,
                });
            }
        }
        if candidates.is_empty() {
            return Err(match (any_slot_in_cycle, any_slot_long_enough) {
                (false, _) => Reason::NoSlotInCycle,
                (true, false) => Reason::SlotTooShort,
                (true, true) => Reason::OutOfReach,
            });
        }
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
        })
    }

    /// Whether some compatible unit working that day can drive from its depot, serve within
    /// one of the windows, and drive back within its shift.
    #[allow(clippy::too_many_arguments)]
    fn reachable(
        &self,
        problem: &PlanningProblem,
        matrices: &Matrices,
        units: &[usize],
        day: usize,
        location: usize,
        starts: &[TimeRange],
        service_min: u32,
    ) -> bool {
        self.unit_days
            .iter()
            .filter(|ud| ud.day == day && units.contains(&ud.unit))
            .any(|ud| {
                let Some(matrix) = matrices.get(&problem.units[ud.unit].kind) else {
                    return false;
                };
                let to = matrix.durations_s[ud.unit][location];
                let back = matrix.durations_s[location][ud.unit];
                starts.iter().any(|window| {
                    let earliest = window.start.seconds().max(ud.shift.start.seconds() + to);
                    earliest <= window.end.seconds()
                        && earliest + service_min * 60 + back <= ud.shift.end.seconds()
                })
            })
    }
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
    units: &[usize],
    location: usize,
) -> u32 {
    units
        .iter()
        .filter_map(|&u| {
            let m = matrices.get(&problem.units[u].kind)?;
            Some((m.durations_s[u][location] + m.durations_s[location][u]) / 2)
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

/// A stop's opening hours on a cycle day: those of the first period it falls in that the stop
/// lists, its usual hours otherwise.
fn opening_on<'a>(problem: &PlanningProblem, stop: &'a Stop, day: &CycleDay) -> &'a [TimeRange] {
    period_hours_on(problem, stop, day)
        .map_or(&stop.opening_hours, |ph| &ph.hours)
        .on(day.weekday)
}

/// The period hours a stop keeps on a cycle day, if the day falls in a period the stop lists.
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

/// Units of an allowed kind carrying the equipment; the reason when there are none.
fn compatible_units(
    units: &[Unit],
    allowed: &[UnitKind],
    equipment: &[String],
) -> Result<Vec<usize>, Reason> {
    let of_kind: Vec<usize> = (0..units.len())
        .filter(|&u| allowed.is_empty() || allowed.contains(&units[u].kind))
        .collect();
    if of_kind.is_empty() {
        return Err(Reason::NoAllowedUnit);
    }
    let equipped: Vec<usize> = of_kind
        .into_iter()
        .filter(|&u| equipment.iter().all(|e| units[u].equipment.contains(e)))
        .collect();
    if equipped.is_empty() {
        return Err(Reason::MissingEquipment);
    }
    Ok(equipped)
}
