//! Why something could not be planned, in terms a dispatcher can act on.
//!
//! # Precedence
//!
//! An item can be kept out for several reasons at once (a market that needs a ramp no unit
//! carries, on a public holiday). The plan gives one: the first of the list below that holds for
//! the item **as a whole**. Each day of the cycle is examined in this order and stops at the
//! first reason that refuses it; the item's reason is the one furthest down the list that some
//! day reached ([`Refusal::strongest`]). So an earlier reason is given only when it blocks every
//! day: a market open on a holiday Thursday and on a Tuesday too short for the units' hours is
//! `slot_too_short`, because Tuesday got past the calendar and the hours are what the
//! dispatcher can change.
//!
//! 1. `no_allowed_unit`: no unit is of a kind the item allows. The fleet against the item,
//!    whatever the day: it blocks every cycle, so it is named before anything transient.
//! 2. `missing_equipment`: no unit of an allowed kind carries the equipment. Same reason to
//!    come first; judged only among allowed kinds.
//! 3. `off_road`: the place is farther than the snapping limit from every road an allowed,
//!    equipped unit may use (judged only for those units, hence after the two above; the days,
//!    hours and reach below assume the place can be reached by road at all).
//! 4. `closed_on_working_days` (a stop) or `no_slot_in_cycle` (a home visit): the stop's weekly
//!    hours open it (the person's slots fall) only on days no unit able to serve it works in
//!    the cycle. The weekly pattern, before the dated closures of this cycle.
//! 5. `closed_in_period`: the stop's own hours for a period (summer, school holidays) close it
//!    on every day it would otherwise be served.
//! 6. `closed_date`: every day left is a public holiday or a listed closed date (their names).
//!    Nothing to fix: the visit comes back next cycle. After the stop's own closures, because
//!    the service's calendar is the wider cause.
//! 7. `out_of_reach`: on every day left, no unit can drive there, stay for the visit and drive
//!    back within its working hours (and daily limits), even if the place were open all day.
//!    Distance is the cause, so changing the opening hours would not help: it comes before
//!    them.
//! 8. `slot_too_short`: a unit could make the trip, but the opening (or the person's slot) is
//!    shorter than the visit, or the part of it left inside the units' hours once they have
//!    driven there is: the hours are the cause, and the detail gives the numbers.
//! 9. `no_capacity`: each visit could be made on its own; the units' days could not hold them
//!    all at the required spacing.
//! 10. `not_worth_it`: there was room, but even the cheapest way to add the visit to the plan
//!     costs more than its priority weighs (only with costs far above the usual).
//!
//! Reasons 1 to 8 are decided for the item before the search; a visit lost to a closed day of
//! an item otherwise planned is also `closed_date`, with its date. Reasons 9 and 10 are decided
//! for each visit the day assignment or the routing left out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::time::TimeRange;
use super::unit_kind::UnitKind;

/// The reason a stop visit or a home visit is not in the plan. On the wire, `{"code": …}` with
/// a `"detail"` for the reasons that carry one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code", content = "detail")]
pub enum Reason {
    /// No unit is of a kind the item allows.
    NoAllowedUnit,
    /// No unit of an allowed kind carries the required equipment.
    MissingEquipment,
    /// The place is farther than the snapping limit from every road the units allowed to serve
    /// it may use (a slip in a coordinate, an island reached by ferry).
    OffRoad(OffRoad),
    /// The stop opens only on days no unit able to serve it works (a market on a day off).
    ClosedOnWorkingDays,
    /// No slot of the home visit falls, before its deadline, on a day of the cycle a unit able
    /// to serve it works.
    NoSlotInCycle,
    /// The stop's hours for a period close it on every day it could be served: the period's id.
    ClosedInPeriod(String),
    /// The visit's day is closed (a public holiday, a listed closure): its name (names, comma
    /// separated, when several days are).
    ClosedDate(String),
    /// No unit can drive there, stay, and drive back within its working hours and limits.
    OutOfReach,
    /// Every opening or slot is shorter than the visit, or is once cut to the units' hours: the
    /// one that came closest (absent in plans written before it was given).
    SlotTooShort(Option<ShortWindow>),
    /// The visits could not all fit in the units' days with the required spacing.
    NoCapacity,
    /// Left out by the search as not worth its cost although there was room.
    NotWorthIt,
}

/// A place no network of the units allowed there reaches.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OffRoad {
    /// The problem's field that gives the place, as a JSON pointer (`/home_visits/3/location`).
    pub field: String,
    /// Each network tried (one per kind of unit allowed there) and its nearest road.
    pub tried: Vec<RoadTried>,
}

/// The nearest road of one network to a place that is off it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoadTried {
    /// The kind of unit whose network it is.
    pub kind: UnitKind,
    /// Metres to its nearest road; absent when the network has none at all.
    pub nearest_m: Option<u32>,
    /// The farthest a place may be from the road and still be served, metres.
    pub limit_m: u32,
}

impl OffRoad {
    /// `/home_visits/3/location: no road the car may use within 500 m (nearest at 70214 m)`.
    pub fn message(&self) -> String {
        format!("{}: {}", self.field, roads_message(&self.tried))
    }
}

/// `no road the car may use within 500 m (nearest at 70214 m)`, for each network tried.
pub fn roads_message(tried: &[RoadTried]) -> String {
    let roads: Vec<String> = tried
        .iter()
        .map(|road| {
            let nearest = road
                .nearest_m
                .map_or("none on the network".to_owned(), |m| {
                    format!("nearest at {m} m")
                });
            format!(
                "no road the {} may use within {} m ({nearest})",
                road.kind.name(),
                road.limit_m
            )
        })
        .collect();
    roads.join("; ")
}

/// The window that came closest to holding a visit when every one was too short.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShortWindow {
    /// The opening hours (or the person's slot).
    pub open: TimeRange,
    /// The working hours of the unit that came closest, when they are what cuts the window
    /// short; absent when the opening itself is shorter than the visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_hours: Option<TimeRange>,
    /// That unit's drive from its depot to the place, minutes (with `unit_hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_min: Option<u32>,
    /// Minutes the visit needs on site.
    pub needed_min: u32,
    /// Minutes the window leaves for it: the opening, or the part of it the unit can spend on
    /// site between arriving and leaving in time to drive back.
    pub available_min: u32,
}

impl Reason {
    /// A sentence for the dispatcher.
    pub fn message(&self) -> String {
        match self {
            Reason::NoAllowedUnit => "no unit is of a kind allowed to serve it".into(),
            Reason::MissingEquipment => "no allowed unit carries the required equipment".into(),
            Reason::OffRoad(place) => place.message(),
            Reason::ClosedOnWorkingDays => {
                "it is open only on days no unit able to serve it works".into()
            }
            Reason::NoSlotInCycle => {
                "no slot falls on a day of the cycle, before the deadline, that a unit works".into()
            }
            Reason::ClosedInPeriod(period) => {
                format!("the stop is closed during the period {period}")
            }
            Reason::ClosedDate(name) => format!("the day is closed ({name})"),
            Reason::OutOfReach => "no unit can get there, stay and return within its working \
                                   hours and daily limits, even were it open all day"
                .into(),
            Reason::SlotTooShort(Some(window)) => window.message(),
            Reason::SlotTooShort(None) => "every slot is shorter than the visit".into(),
            Reason::NoCapacity => "the units' days are full at the required spacing".into(),
            Reason::NotWorthIt => {
                "left out as not worth its cost: even the cheapest way to add it to the plan \
                 costs more than its priority weighs"
                    .into()
            }
        }
    }

    /// Its place in the precedence (module docs): the reason an item gets is the one with the
    /// highest place that holds for it as a whole.
    pub fn precedence(&self) -> u8 {
        match self {
            Reason::NoAllowedUnit => 1,
            Reason::MissingEquipment => 2,
            Reason::OffRoad(_) => 3,
            Reason::ClosedOnWorkingDays | Reason::NoSlotInCycle => 4,
            Reason::ClosedInPeriod(_) => 5,
            Reason::ClosedDate(_) => 6,
            Reason::OutOfReach => 7,
            Reason::SlotTooShort(_) => 8,
            Reason::NoCapacity => 9,
            Reason::NotWorthIt => 10,
        }
    }

    /// The same reason with `other`'s detail added (names of closed days or periods), or the
    /// detail that came closer to fitting (short windows).
    fn merged(self, other: Reason) -> Reason {
        match (self, other) {
            (Reason::ClosedDate(names), Reason::ClosedDate(name)) => {
                Reason::ClosedDate(with_name(names, &name))
            }
            (Reason::ClosedInPeriod(names), Reason::ClosedInPeriod(name)) => {
                Reason::ClosedInPeriod(with_name(names, &name))
            }
            (Reason::SlotTooShort(Some(best)), Reason::SlotTooShort(Some(window)))
                if window.available_min > best.available_min =>
            {
                Reason::SlotTooShort(Some(window))
            }
            (Reason::SlotTooShort(None), Reason::SlotTooShort(window)) => {
                Reason::SlotTooShort(window)
            }
            (kept, _) => kept,
        }
    }
}

/// A comma-separated list of names with `name` added once.
fn with_name(mut names: String, name: &str) -> String {
    if !names.split(", ").any(|n| n == name) {
        names.push_str(", ");
        names.push_str(name);
    }
    names
}

impl ShortWindow {
    fn message(&self) -> String {
        let numbers = format!(
            "{} min needed, {} available",
            self.needed_min, self.available_min
        );
        let Some(hours) = self.unit_hours else {
            return format!(
                "the longest window ({}) is shorter than the visit: {numbers}",
                span(self.open)
            );
        };
        let drive = self.drive_min.unwrap_or(0);
        let starts_late = hours.start.minutes() + drive > self.open.start.minutes();
        let ends_early = hours.end.minutes() < self.open.end.minutes() + drive;
        let work = match (starts_late, ends_early) {
            (true, false) => format!("from {}", hours.start),
            (false, true) => format!("until {}", hours.end),
            _ => span(hours),
        };
        format!(
            "open {} but units work {work} and are {drive} min away: {numbers}",
            span(self.open)
        )
    }
}

/// `07:30–12:30`.
fn span(range: TimeRange) -> String {
    format!("{}–{}", range.start, range.end)
}

/// Why an item is refused some days of the cycle or all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The reason that holds for the item as a whole.
    pub reason: Reason,
    /// The closed days it loses, in order, when the reason is `closed_date` (empty otherwise).
    pub dates: Vec<NaiveDate>,
}

impl Refusal {
    /// The refusal of an item as a whole from the reason each of its days (or units) refused
    /// it for: the highest in precedence, with the details of the days that reached it merged.
    /// None when there are no reasons.
    pub fn strongest(
        reasons: impl IntoIterator<Item = (Reason, Option<NaiveDate>)>,
    ) -> Option<Refusal> {
        let mut strongest: Option<Refusal> = None;
        for (reason, date) in reasons {
            strongest = Some(match strongest {
                Some(kept) if kept.reason.precedence() > reason.precedence() => kept,
                Some(kept) if kept.reason.precedence() == reason.precedence() => Refusal {
                    reason: kept.reason.merged(reason),
                    dates: kept.dates.into_iter().chain(date).collect(),
                },
                _ => Refusal {
                    reason,
                    dates: date.into_iter().collect(),
                },
            });
        }
        strongest.map(|mut refusal| {
            if !matches!(refusal.reason, Reason::ClosedDate(_)) {
                refusal.dates.clear();
            }
            refusal
        })
    }

    /// The dates of `visits` missed visits: the closed days in order when there are as many,
    /// none otherwise (which visit a closure took is not known then).
    pub fn dates_of(&self, visits: usize) -> Vec<Option<NaiveDate>> {
        if self.dates.len() == visits {
            self.dates.iter().copied().map(Some).collect()
        } else {
            vec![None; visits]
        }
    }
}

impl From<Reason> for Refusal {
    fn from(reason: Reason) -> Self {
        Refusal {
            reason,
            dates: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_too_short_from_a_plan_written_before_its_detail_still_reads() {
        let old: Reason = serde_json::from_str(r#"{"code": "slot_too_short"}"#).expect("reads");
        assert_eq!(old, Reason::SlotTooShort(None));
        let closed: Reason =
            serde_json::from_str(r#"{"code": "closed_date", "detail": "Ascension"}"#)
                .expect("reads");
        assert_eq!(closed, Reason::ClosedDate("Ascension".into()));
    }

    #[test]
    fn the_format_documents_every_code_in_the_order_of_precedence() {
        let docs = include_str!("../../../docs/planning-format.md");
        let table = docs
            .split("### Unserved reasons")
            .nth(1)
            .expect("the reasons section");
        // Codes in the order the table lists them: the second column of each numbered row.
        let documented: Vec<&str> = table
            .lines()
            .take_while(|line| !line.starts_with("##"))
            .filter_map(|line| line.strip_prefix("| ")?.split(" | ").nth(1))
            .filter(|column| column.starts_with('`'))
            .flat_map(|column| column.split('`').skip(1).step_by(2))
            .collect();
        let window = ShortWindow {
            open: TimeRange {
                start: "07:30".parse().expect("a time"),
                end: "12:30".parse().expect("a time"),
            },
            unit_hours: None,
            drive_min: None,
            needed_min: 240,
            available_min: 120,
        };
        let every = [
            Reason::NoAllowedUnit,
            Reason::MissingEquipment,
            Reason::ClosedOnWorkingDays,
            Reason::NoSlotInCycle,
            Reason::ClosedInPeriod("summer".into()),
            Reason::ClosedDate("Ascension".into()),
            Reason::OutOfReach,
            Reason::SlotTooShort(Some(window)),
            Reason::NoCapacity,
            Reason::NotWorthIt,
        ];
        let code = |r: &Reason| serde_json::to_value(r).expect("serialises")["code"].clone();
        let place = |documented: &str| {
            every
                .iter()
                .find(|r| code(r) == documented)
                .map(Reason::precedence)
        };
        for reason in &every {
            assert!(
                documented.iter().any(|d| code(reason) == *d),
                "{reason:?} is not in {documented:?}"
            );
        }
        let places: Vec<u8> = documented.iter().filter_map(|d| place(d)).collect();
        assert!(
            places.is_sorted(),
            "documented {documented:?}, precedence {places:?}"
        );
    }

    #[test]
    fn the_strongest_refusal_merges_the_days_that_reached_it() {
        let date = |d| NaiveDate::from_ymd_opt(2026, 5, d);
        let refusal = Refusal::strongest([
            (Reason::ClosedOnWorkingDays, date(9)),
            (Reason::ClosedDate("Ascension".into()), date(14)),
            (Reason::ClosedDate("closed date".into()), date(19)),
            (Reason::ClosedDate("Ascension".into()), date(21)),
        ])
        .expect("some reason");
        assert_eq!(
            refusal.reason,
            Reason::ClosedDate("Ascension, closed date".into())
        );
        assert_eq!(
            refusal.dates,
            vec![date(14), date(19), date(21)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
        );
        let later = Refusal::strongest([
            (Reason::ClosedDate("Ascension".into()), date(14)),
            (Reason::OutOfReach, date(15)),
        ])
        .expect("some reason");
        assert_eq!(later, Refusal::from(Reason::OutOfReach));
    }
}
