//! Each stop and home visit as an item: its compatible units, its candidate days (or the
//! reason each day is refused), its pins and the slots it had in the plan in force.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::super::calendar::CycleDay;
use super::super::ids::UnitIdx;
use super::super::matrices::Matrices;
use super::super::plan::{Step, VisitKind};
use super::super::problem::{HomeVisit, PlanningProblem, Stop, StopDuration, UnitKind};
use super::super::time::{TimeRange, Weekday};
use super::super::unserved::{OffRoad, Reason, Refusal};
use super::reach::travel_estimate;
use super::{
    Candidate, Instance, Item, PinnedSlot, Source, WeekPattern, period_hours_on, place_field,
    shift_on,
};
use crate::model::LocationIdx;

impl Instance {
    pub(super) fn stop_item(
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

    pub(super) fn home_visit_item(
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
            if let Step::Visit {
                kind: VisitKind::Stop,
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
