//! Whether a unit at work can serve a visit on a day: the drive there and back within its
//! shift and a start within the item's windows, or why not, in the order of precedence.

use super::super::ids::{DayIdx, UnitIdx};
use super::super::matrices::Matrices;
use super::super::problem::{HalfDay, PlanningProblem};
use super::super::time::{LocalTime, TimeRange};
use super::super::unserved::{Reason, Refusal, ShortWindow};
use super::{Candidate, Instance, UnitDay};
use crate::model::LocationIdx;

impl Instance {
    /// An item open within `ranges` on a working day of the cycle (by index in the calendar),
    /// for visits of `service_min`: its candidate (start windows in the preferred half-day when
    /// some unit can serve them), or the first reason in precedence that refuses the day: the
    /// day is closed, or no compatible unit at work can serve it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fit_on(
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

/// Half the round trip from the nearest compatible depot, in minutes.
pub(super) fn travel_estimate(
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
