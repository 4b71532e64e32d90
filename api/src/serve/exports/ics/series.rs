//! Which calendar events a plan's visits become.
//!
//! A home visit is an appointment: one event. The visits of a stop by one unit on one weekday at
//! one time form a slot, written as series: every `interval` weeks (the shortest interval, a
//! divisor of the cycle, that the visits follow without visiting more often than the stop's
//! frequency asks), each missing week of it being a day on which the stop could not be served
//! (a public holiday, a closed date, a period in which the stop keeps other hours): an exception.
//! A slot whose visits all fall in weeks where a larger slot of the stop has an exception only
//! stands in for it (the visit moved to another day or time): its visits happen once each.
//!
//! Over the cycle, the events' occurrences are exactly the plan's visits. After it the series
//! go on, since the plan repeats (docs/planning-format.md), and the exceptions do not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use optimizer::planning::calendar::Calendar;
use optimizer::planning::plan::{Step, VisitKind};
use optimizer::planning::problem::Stop;
use optimizer::planning::time::{LocalTime, Weekday};

use super::super::Documents;

/// How an event repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recurrence {
    /// It happens once.
    Once,
    /// Every `interval` weeks from its date, except on `skipped` dates.
    Weekly {
        /// Weeks between occurrences.
        interval: u8,
        /// Week of the cycle (from 0) of its first occurrence, modulo `interval`.
        phase: u8,
        /// Dates of the cycle, after the first, on which it does not happen (closed days).
        skipped: Vec<NaiveDate>,
    },
}

/// One calendar event: a visit, or a series of visits at the same weekday and times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The unit's id.
    pub unit: String,
    /// Stop or home visit.
    pub kind: VisitKind,
    /// The stop's or the home visit's id.
    pub id: String,
    /// The (first) occurrence's date.
    pub date: NaiveDate,
    /// Start, local time.
    pub start: LocalTime,
    /// End, local time.
    pub end: LocalTime,
    /// How it repeats.
    pub recurrence: Recurrence,
}

/// The visits of a stop by one unit on one weekday at one time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    unit: String,
    weekday: Weekday,
    start: LocalTime,
    end: LocalTime,
}

/// Every event of the plan, all units together, by date and time.
pub fn events(docs: &Documents) -> Vec<Event> {
    let plan = &docs.plan;
    let mut events = Vec::new();
    let mut stops: BTreeMap<&str, BTreeMap<Slot, BTreeSet<NaiveDate>>> = BTreeMap::new();
    for route in &plan.routes {
        for step in &route.steps {
            let Step::Visit {
                kind,
                id,
                start,
                end,
                ..
            } = step
            else {
                continue;
            };
            match kind {
                VisitKind::HomeVisit => events.push(Event {
                    unit: route.unit.clone(),
                    kind: VisitKind::HomeVisit,
                    id: id.clone(),
                    date: route.date,
                    start: *start,
                    end: *end,
                    recurrence: Recurrence::Once,
                }),
                VisitKind::Stop => {
                    let slot = Slot {
                        unit: route.unit.clone(),
                        weekday: route.weekday,
                        start: *start,
                        end: *end,
                    };
                    stops
                        .entry(id)
                        .or_default()
                        .entry(slot)
                        .or_default()
                        .insert(route.date);
                }
            }
        }
    }
    let cycle = Cycle {
        start: plan.start,
        weeks: plan.weeks.max(1),
    };
    let closures = Closures::of(docs);
    for (id, slots) in stops {
        let stop = docs.stop(id);
        let frequency = stop.map(|s| (s.frequency.visits, s.frequency.per_weeks.max(1)));
        let closed = |date| stop.is_some_and(|s| closures.close(s, date));
        events.extend(stop_events(cycle, id, slots, frequency, &closed));
    }
    events.sort_by_key(|e| (e.date, e.start, e.unit.clone(), e.id.clone()));
    events
}

/// The cycle's first day and length.
#[derive(Clone, Copy, Debug)]
struct Cycle {
    start: NaiveDate,
    weeks: u8,
}

impl Cycle {
    /// Week of the cycle (from 0) of a date.
    fn week(self, date: NaiveDate) -> u8 {
        let days = date.signed_duration_since(self.start).num_days().max(0);
        u8::try_from(days / 7).unwrap_or(u8::MAX)
    }
}

/// A stop's events, its most visited slots first: a slot is a series unless each of its visits
/// falls in a week where an earlier slot has an exception, when its visits happen once each.
fn stop_events(
    cycle: Cycle,
    id: &str,
    slots: BTreeMap<Slot, BTreeSet<NaiveDate>>,
    frequency: Option<(u8, u8)>,
    closed: &impl Fn(NaiveDate) -> bool,
) -> Vec<Event> {
    let mut slots: Vec<(Slot, BTreeSet<NaiveDate>)> = slots.into_iter().collect();
    slots.sort_by_key(|(_, dates)| std::cmp::Reverse(dates.len()));
    let mut excepted_weeks = BTreeSet::new();
    let mut events = Vec::new();
    for (slot, dates) in slots {
        let event = |date, recurrence| Event {
            unit: slot.unit.clone(),
            kind: VisitKind::Stop,
            id: id.to_owned(),
            date,
            start: slot.start,
            end: slot.end,
            recurrence,
        };
        if dates
            .iter()
            .all(|&d| excepted_weeks.contains(&cycle.week(d)))
        {
            events.extend(dates.iter().map(|&d| event(d, Recurrence::Once)));
            continue;
        }
        let (interval, exceptions) = fit(cycle, &dates, frequency, closed);
        excepted_weeks.extend(exceptions.iter().map(|&d| cycle.week(d)));
        let mut phases = BTreeSet::new();
        for &first in &dates {
            let phase = cycle.week(first) % interval;
            if !phases.insert(phase) {
                continue;
            }
            let skipped = exceptions
                .iter()
                .copied()
                .filter(|&d| d > first && cycle.week(d) % interval == phase)
                .collect();
            events.push(event(
                first,
                Recurrence::Weekly {
                    interval,
                    phase,
                    skipped,
                },
            ));
        }
    }
    events
}

/// The slot's interval, the shortest divisor of the cycle such that every week of the cycle in
/// the phases of its visits is visited or closed, and that visits the stop no more often than
/// its frequency (`visits` per `per_weeks` weeks) asks; and the dates of the closed weeks. The
/// whole cycle always fits.
fn fit(
    cycle: Cycle,
    dates: &BTreeSet<NaiveDate>,
    frequency: Option<(u8, u8)>,
    closed: &impl Fn(NaiveDate) -> bool,
) -> (u8, Vec<NaiveDate>) {
    let Some(&first) = dates.first() else {
        return (cycle.weeks, Vec::new());
    };
    let visited: BTreeSet<u8> = dates.iter().map(|&d| cycle.week(d)).collect();
    let on_week = |week: u8| {
        let weeks = i64::from(week) - i64::from(cycle.week(first));
        first.checked_add_signed(Duration::weeks(weeks))
    };
    for interval in (1..cycle.weeks).filter(|i| cycle.weeks.is_multiple_of(*i)) {
        let phases: BTreeSet<u8> = visited.iter().map(|w| w % interval).collect();
        let too_often = frequency.is_some_and(|(visits, per_weeks)| {
            phases.len() * usize::from(per_weeks) > usize::from(visits) * usize::from(interval)
        });
        if too_often {
            continue;
        }
        let missing: Option<Vec<NaiveDate>> = (0..cycle.weeks)
            .filter(|w| phases.contains(&(w % interval)) && !visited.contains(w))
            .map(on_week)
            .collect();
        if let Some(missing) = missing
            && missing.iter().all(|&d| closed(d))
        {
            return (interval, missing);
        }
    }
    (cycle.weeks, Vec::new())
}

/// The cycle's days on which a stop may miss its usual slot for a reason of that date only:
/// closed days (public holidays, closed dates) and the periods in which it keeps other hours.
struct Closures {
    /// Per date: whether it is closed, and the ids of the periods it falls in.
    days: BTreeMap<NaiveDate, (bool, Vec<String>)>,
}

impl Closures {
    /// The closures of the problem's cycle (none if its horizon does not lay out).
    fn of(docs: &Documents) -> Closures {
        let horizon = &docs.problem.horizon;
        let days = Calendar::new(horizon)
            .map(|calendar| {
                calendar
                    .days()
                    .iter()
                    .map(|day| {
                        let periods = day
                            .periods
                            .iter()
                            .filter_map(|&i| horizon.periods.get(i).map(|p| p.id.clone()))
                            .collect();
                        (day.date, (day.closed.is_some(), periods))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Closures { days }
    }

    /// Whether `stop` may miss its usual slot on `date` for a reason of that date.
    fn close(&self, stop: &Stop, date: NaiveDate) -> bool {
        self.days.get(&date).is_some_and(|(closed, periods)| {
            *closed
                || stop
                    .period_hours
                    .iter()
                    .any(|other| periods.contains(&other.period))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn time(text: &str) -> LocalTime {
        text.parse().expect("a time")
    }

    fn slot(unit: &str, weekday: Weekday, start: &str, end: &str) -> Slot {
        Slot {
            unit: unit.to_owned(),
            weekday,
            start: time(start),
            end: time(end),
        }
    }

    fn dates(texts: &[&str]) -> BTreeSet<NaiveDate> {
        texts.iter().map(|t| date(t)).collect()
    }

    /// Four weeks from Monday 16 March 2026.
    const FOUR_WEEKS: Cycle = Cycle {
        start: NaiveDate::from_ymd_opt(2026, 3, 16).expect("a date"),
        weeks: 4,
    };

    fn weekly(interval: u8, phase: u8, skipped: &[&str]) -> Recurrence {
        Recurrence::Weekly {
            interval,
            phase,
            skipped: skipped.iter().map(|t| date(t)).collect(),
        }
    }

    #[test]
    fn a_weekly_stop_skipping_a_closed_day_is_one_series_with_an_exception() {
        let slots = BTreeMap::from([(
            slot("bus", Weekday::Wed, "09:30", "12:00"),
            dates(&["2026-03-18", "2026-04-01", "2026-04-08"]),
        )]);
        let closed = |d: NaiveDate| d == date("2026-03-25");
        let events = stop_events(FOUR_WEEKS, "s", slots, Some((1, 1)), &closed);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].date, date("2026-03-18"));
        assert_eq!(events[0].recurrence, weekly(1, 0, &["2026-03-25"]));
    }

    #[test]
    fn a_missing_week_that_is_not_closed_keeps_the_visits_apart() {
        // Weeks 1, 2 and 4 without a closure in week 3: the cycle repeats as it is.
        let slots = BTreeMap::from([(
            slot("bus", Weekday::Wed, "09:30", "12:00"),
            dates(&["2026-03-18", "2026-03-25", "2026-04-08"]),
        )]);
        let events = stop_events(FOUR_WEEKS, "s", slots, Some((1, 1)), &|_| false);
        let recurrences: Vec<_> = events.iter().map(|e| e.recurrence.clone()).collect();
        assert_eq!(
            recurrences,
            vec![weekly(4, 0, &[]), weekly(4, 1, &[]), weekly(4, 3, &[])]
        );
    }

    #[test]
    fn every_other_week_is_an_interval_of_two_and_frequency_bounds_it() {
        let fortnight = BTreeMap::from([(
            slot("bus", Weekday::Thu, "14:00", "16:30"),
            dates(&["2026-03-19", "2026-04-02"]),
        )]);
        let events = stop_events(FOUR_WEEKS, "s", fortnight, Some((1, 2)), &|_| false);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].recurrence, weekly(2, 0, &[]));
        // Two weeks in four, the others closed: still not weekly, which would visit too often.
        let two_in_four = BTreeMap::from([(
            slot("bus", Weekday::Thu, "14:00", "16:30"),
            dates(&["2026-03-19", "2026-03-26"]),
        )]);
        let events = stop_events(FOUR_WEEKS, "s", two_in_four, Some((2, 4)), &|_| true);
        let recurrences: Vec<_> = events.iter().map(|e| e.recurrence.clone()).collect();
        assert_eq!(recurrences, vec![weekly(4, 0, &[]), weekly(4, 1, &[])]);
    }

    #[test]
    fn a_visit_moved_off_a_closed_day_happens_once() {
        // Wednesdays at 09:30, but Wednesday 25 March is closed: that week's visit is on
        // Thursday 26 at 14:00 instead.
        let slots = BTreeMap::from([
            (
                slot("bus", Weekday::Wed, "09:30", "12:00"),
                dates(&["2026-03-18", "2026-04-01", "2026-04-08"]),
            ),
            (
                slot("bus", Weekday::Thu, "14:00", "16:30"),
                dates(&["2026-03-26"]),
            ),
        ]);
        let closed = |d: NaiveDate| d == date("2026-03-25");
        let events = stop_events(FOUR_WEEKS, "s", slots, Some((1, 1)), &closed);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].recurrence, weekly(1, 0, &["2026-03-25"]));
        assert_eq!(events[1].date, date("2026-03-26"));
        assert_eq!(events[1].recurrence, Recurrence::Once);
    }

    #[test]
    fn a_closed_first_week_starts_the_series_at_the_first_visit() {
        // Mondays, the first one a holiday: the series starts on the second, nothing to except.
        let slots = BTreeMap::from([(
            slot("bus", Weekday::Mon, "09:30", "12:00"),
            dates(&["2026-03-23", "2026-03-30", "2026-04-06"]),
        )]);
        let closed = |d: NaiveDate| d == date("2026-03-16");
        let events = stop_events(FOUR_WEEKS, "s", slots, Some((1, 1)), &closed);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].date, date("2026-03-23"));
        assert_eq!(events[0].recurrence, weekly(1, 0, &[]));
    }
}
