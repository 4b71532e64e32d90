//! The public timetable of a published plan: per stop, its units, weekly slots, next dates
//! and the days without a visit within the validity. Built from the problem's stops and the
//! plan's stop visits only: home visits, depots and routes never enter it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use optimizer::planning::plan::VisitKind;
use optimizer::planning::time::{LocalTime, Weekday};
use serde::Serialize;

use super::colours::mark;
use super::french;
use crate::serve::exports::Documents;
use crate::serve::exports::ics::series::{Recurrence, events};
use crate::serve::exports::validity::Validity;

/// How many next dates a stop lists.
pub const NEXT_DATES: usize = 4;

/// What the public sees of a published plan.
#[derive(Clone, Debug, Serialize)]
pub struct Timetable {
    /// The plan's title.
    pub title: String,
    /// What the units offer, in the dispatcher's words.
    pub description: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity.
    pub valid_until: NaiveDate,
    /// The units that serve a public stop.
    pub units: Vec<PublicUnit>,
    /// The stops, by commune then name.
    pub stops: Vec<PublicStop>,
}

/// A unit as the public sees it.
#[derive(Clone, Debug, Serialize)]
pub struct PublicUnit {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its letter on the map and in the list.
    pub letter: char,
    /// Its colour class (`unit-N`).
    pub class: String,
    /// What it carries.
    pub equipment: Vec<String>,
}

/// A public stop.
#[derive(Clone, Debug, Serialize)]
pub struct PublicStop {
    /// Its id in the plan.
    pub id: String,
    /// The id of its entry on the page (`arret-…`).
    pub anchor: String,
    /// Its public name.
    pub name: String,
    /// The commune: the name up to its first comma.
    pub commune: String,
    /// The commune folded for searching.
    pub search: String,
    /// Where the unit parks.
    pub lat: f64,
    /// Where the unit parks.
    pub lon: f64,
    /// Its weekly slots.
    pub slots: Vec<PublicSlot>,
    /// The next visits, from today.
    pub next: Vec<PublicVisit>,
    /// Days of the validity, from today, on which a slot has no visit.
    pub closed: Vec<ClosedDay>,
}

/// A unit's recurring slot at a stop.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PublicSlot {
    /// Index of the unit in [`Timetable::units`].
    pub unit: usize,
    /// The weekday.
    pub weekday: Weekday,
    /// Start.
    pub start: LocalTime,
    /// End.
    pub end: LocalTime,
    /// Weeks between visits.
    pub every_weeks: u8,
}

/// One visit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PublicVisit {
    /// Its date.
    pub date: NaiveDate,
    /// Start.
    pub start: LocalTime,
    /// End.
    pub end: LocalTime,
    /// Index of the unit in [`Timetable::units`].
    pub unit: usize,
}

/// A day without a visit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ClosedDay {
    /// The date.
    pub date: NaiveDate,
    /// Why (a holiday's name), when the problem says.
    pub reason: Option<String>,
}

impl PublicSlot {
    /// `tous les mardis de 9 h 30 à 12 h`.
    pub fn wording(&self) -> String {
        format!(
            "{} de {} à {}",
            french::every(self.weekday, self.every_weeks),
            french::time(self.start),
            french::time(self.end)
        )
    }
}

/// The entry's id of a stop on the page: letters and digits of its id, anything else `-`.
pub fn anchor(stop_id: &str) -> String {
    let slug: String = stop_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("arret-{slug}")
}

/// The timetable of `docs` within `validity`, its next dates counted from `today`.
pub fn timetable(
    docs: &Documents,
    validity: Validity,
    description: &str,
    today: NaiveDate,
) -> Timetable {
    let horizon = &docs.problem.horizon;
    let stop_events: Vec<_> = events(docs)
        .into_iter()
        .filter(|e| e.kind == VisitKind::Stop)
        .collect();
    let serving: BTreeSet<&str> = stop_events.iter().map(|e| e.unit.as_str()).collect();
    let units: Vec<PublicUnit> = docs
        .problem
        .units
        .iter()
        .filter(|u| serving.contains(u.id.as_str()))
        .enumerate()
        .map(|(i, u)| {
            let (letter, class) = mark(i);
            PublicUnit {
                id: u.id.clone(),
                name: docs.unit_name(&u.id).to_owned(),
                letter,
                class,
                equipment: u.equipment.clone(),
            }
        })
        .collect();
    let unit_index = |id: &str| units.iter().position(|u| u.id == id).unwrap_or(0);
    let mut stops = Vec::new();
    for stop in &docs.problem.stops {
        let mut slots = BTreeSet::new();
        let mut next = BTreeSet::new();
        let mut closed = BTreeSet::new();
        for event in stop_events.iter().filter(|e| e.id == stop.id) {
            let unit = unit_index(&event.unit);
            if let Recurrence::Weekly { interval, .. } = event.recurrence {
                slots.insert(PublicSlot {
                    unit,
                    weekday: Weekday::of(event.date),
                    start: event.start,
                    end: event.end,
                    every_weeks: interval,
                });
            }
            let dates = validity.dates(event, horizon);
            next.extend(
                dates
                    .happens
                    .into_iter()
                    .filter(|&d| d >= today)
                    .map(|date| PublicVisit {
                        date,
                        start: event.start,
                        end: event.end,
                        unit,
                    }),
            );
            closed.extend(
                dates
                    .closed
                    .into_iter()
                    .filter(|(d, _)| *d >= today)
                    .map(|(date, reason)| ClosedDay { date, reason }),
            );
        }
        if slots.is_empty() && next.is_empty() {
            continue;
        }
        let commune = stop
            .name
            .split(',')
            .next()
            .map_or_else(|| stop.name.clone(), |c| c.trim().to_owned());
        stops.push(PublicStop {
            id: stop.id.clone(),
            anchor: anchor(&stop.id),
            search: french::fold(&commune),
            commune,
            name: stop.name.clone(),
            lat: stop.location.lat,
            lon: stop.location.lon,
            slots: slots.into_iter().collect(),
            next: next.into_iter().take(NEXT_DATES).collect(),
            closed: closed.into_iter().collect(),
        });
    }
    stops.sort_by(|a, b| {
        (french::fold(&a.commune), french::fold(&a.name))
            .cmp(&(french::fold(&b.commune), french::fold(&b.name)))
    });
    Timetable {
        title: docs
            .plan
            .name
            .clone()
            .or_else(|| docs.problem.name.clone())
            .unwrap_or_else(|| "Les passages des services publics itinérants".to_owned()),
        description: description.to_owned(),
        valid_from: validity.from,
        valid_until: validity.until,
        units,
        stops,
    }
}
