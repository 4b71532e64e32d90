//! Calendars (RFC 5545) of a plan: a unit's (its stops and home visits) or the public one
//! (every unit's public stops, never a home visit). A home visit is a single event; a stop's
//! visits are weekly series (`RRULE:FREQ=WEEKLY`, `INTERVAL=` the weeks between them) with an
//! `EXDATE` for each closed day the plan skips (the `series` module says how). The series have
//! no end, since the plan repeats after its cycle, except in a published plan's calendars: there
//! they start and end (`UNTIL`) within its validity and skip its closed days. Times are local, with the time zone described
//! in a `VTIMEZONE`, so that they stay put across daylight-saving changes. Event ids (`UID`) are
//! made of the plan's own identifiers, so that planning the same problem again gives the same
//! ids and a calendar application updates its events rather than adding copies.

pub mod series;
mod vtimezone;

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, CalendarDateTime, Class, Component, EventLike};
use optimizer::planning::plan::VisitKind;
use optimizer::planning::time::{LocalTime, Weekday};

use self::series::{Event, Recurrence};
use self::vtimezone::vtimezone;
use super::Documents;
use super::validity::Validity;

/// Whose calendar.
#[derive(Clone, Copy, Debug)]
pub enum Audience<'a> {
    /// One unit's crew: its stops and home visits.
    Unit(&'a str),
    /// The public: every public stop.
    Public,
    /// The public, for one stop (by id).
    PublicStop(&'a str),
}

/// The calendar text, or `None` when the unit or stop is not in the problem; with a validity,
/// only what falls within it.
pub fn calendar(
    docs: &Documents,
    audience: Audience<'_>,
    validity: Option<&Validity>,
) -> Option<String> {
    let plan = &docs.plan;
    let tz: Tz = plan.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    let title = match audience {
        Audience::Unit(unit) => {
            docs.unit(unit)?;
            format!("Tournée — {}", docs.unit_name(unit))
        }
        Audience::Public => match &plan.name {
            Some(name) => format!("Tournée — {name}"),
            None => "Tournée — passages".to_owned(),
        },
        Audience::PublicStop(stop) => format!("Tournée — {}", docs.stop(stop)?.name),
    };
    let mut calendar = Calendar::new();
    calendar.name(&title).timezone(tz.name());
    let mut uids = HashSet::new();
    for event in series::events(docs) {
        let shown = match audience {
            Audience::Unit(unit) => event.unit == unit,
            Audience::Public => event.kind == VisitKind::Stop,
            Audience::PublicStop(stop) => event.kind == VisitKind::Stop && event.id == stop,
        };
        let bounded = match validity {
            Some(validity) => validity.bound(&event, &docs.problem.horizon),
            None => Some(event),
        };
        if let Some(event) = bounded.filter(|_| shown) {
            let uid = unique(&mut uids, uid(&event, plan.start));
            let until = validity.map(|v| until_utc(v.until, tz));
            calendar.push(vevent(docs, &event, &uid, tz, until.as_deref()));
        }
    }
    let text = calendar.to_string();
    let zone = vtimezone(tz, plan.start.year());
    let at = text
        .find("BEGIN:VEVENT")
        .or_else(|| text.find("END:VCALENDAR"))
        .unwrap_or(text.len());
    Some(format!("{}{zone}{}", &text[..at], &text[at..]))
}

/// The event's id: the unit, the stop or home visit, and what tells its events apart. A home
/// visit is planned once per cycle: the cycle's first day; a series: its weekday, and its phase
/// when it is not weekly; a visit standing in for a closed day: its date.
fn uid(event: &Event, cycle_start: NaiveDate) -> String {
    let what = match event.kind {
        VisitKind::Stop => "stop",
        VisitKind::HomeVisit => "home-visit",
    };
    let which = match (&event.recurrence, event.kind) {
        (Recurrence::Once, VisitKind::HomeVisit) => cycle_start.format("%Y%m%d").to_string(),
        (Recurrence::Once, VisitKind::Stop) => event.date.format("%Y%m%d").to_string(),
        (Recurrence::Weekly { interval: 1, .. }, _) => Weekday::of(event.date).name().to_owned(),
        (
            Recurrence::Weekly {
                interval, phase, ..
            },
            _,
        ) => format!(
            "{}/week-{}-of-{interval}",
            Weekday::of(event.date).name(),
            phase + 1
        ),
    };
    format!(
        "{what}/{}/{}/{which}",
        uid_text(&event.unit),
        uid_text(&event.id)
    )
}

/// `uid@tournee`, numbered when another event of the calendar already has that id (a unit at a
/// stop twice on the same weekday).
fn unique(taken: &mut HashSet<String>, uid: String) -> String {
    let mut candidate = format!("{uid}@tournee");
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{uid}/{n}@tournee");
    }
    candidate
}

/// An identifier as a part of a `UID`: letters, digits, `-`, `_` and `.` kept, anything else
/// percent-encoded, so that the parts stay apart.
fn uid_text(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn local(date: NaiveDate, time: LocalTime) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(i64::from(time.minutes()))
}

/// The end of a validity's last day as an RRULE `UNTIL` (UTC, as RFC 5545 wants with a
/// `TZID` start).
fn until_utc(until: NaiveDate, tz: Tz) -> String {
    let end = until.and_hms_opt(23, 59, 59).unwrap_or_default();
    let instant = tz
        .from_local_datetime(&end)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&end), |t| t.with_timezone(&Utc));
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

fn vevent(
    docs: &Documents,
    event: &Event,
    uid: &str,
    tz: Tz,
    until: Option<&str>,
) -> icalendar::Event {
    let place = docs.place(event.kind, &event.id);
    let unit = docs.unit_name(&event.unit);
    let summary = match (event.kind, place.and_then(|(_, name)| name)) {
        (VisitKind::Stop, Some(name)) => format!("{name} — {unit}"),
        (VisitKind::Stop, None) => format!("{} — {unit}", event.id),
        (VisitKind::HomeVisit, _) => format!("Visite à domicile {}", event.id),
    };
    let at = |date: NaiveDate, time: LocalTime| CalendarDateTime::WithTimezone {
        date_time: local(date, time),
        tzid: tz.name().to_owned(),
    };
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(uid)
        .sequence(0)
        .summary(&summary)
        .description(&format!(
            "Unité : {unit} ({}). {} – {}.",
            event.unit, event.start, event.end
        ))
        .starts(at(event.date, event.start))
        .ends(at(event.date, event.end));
    if event.kind == VisitKind::HomeVisit {
        vevent.class(Class::Private);
    }
    if let Recurrence::Weekly {
        interval, skipped, ..
    } = &event.recurrence
    {
        vevent.add_property("RRULE", rrule(*interval, until));
        for &date in skipped {
            vevent.exdate(at(date, event.start));
        }
    }
    if let Some((position, name)) = place {
        vevent
            .location(name.unwrap_or(&event.id))
            .add_property("GEO", format!("{:.6};{:.6}", position.lat, position.lon));
    }
    vevent.done()
}

fn rrule(interval: u8, until: Option<&str>) -> String {
    let mut rule = "FREQ=WEEKLY".to_owned();
    if interval > 1 {
        rule.push_str(&format!(";INTERVAL={interval}"));
    }
    if let Some(until) = until {
        rule.push_str(&format!(";UNTIL={until}"));
    }
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: VisitKind, id: &str, date: &str, recurrence: Recurrence) -> Event {
        Event {
            unit: "bus/1".into(),
            kind,
            id: id.into(),
            date: date.parse().expect("a date"),
            start: "09:30".parse().expect("a time"),
            end: "12:00".parse().expect("a time"),
            recurrence,
        }
    }

    fn weekly(interval: u8, phase: u8) -> Recurrence {
        Recurrence::Weekly {
            interval,
            phase,
            skipped: Vec::new(),
        }
    }

    #[test]
    fn event_ids_are_made_of_the_plans_identifiers_and_kept_apart() {
        let cycle: NaiveDate = "2026-03-16".parse().expect("a date");
        let home = event(
            VisitKind::HomeVisit,
            "dom a@x",
            "2026-03-24",
            Recurrence::Once,
        );
        assert_eq!(uid(&home, cycle), "home-visit/bus%2F1/dom%20a%40x/20260316");
        let weekly_stop = event(VisitKind::Stop, "marché", "2026-03-19", weekly(1, 0));
        assert_eq!(uid(&weekly_stop, cycle), "stop/bus%2F1/march%C3%A9/thu");
        let fortnight = event(VisitKind::Stop, "marché", "2026-03-26", weekly(2, 1));
        assert_eq!(
            uid(&fortnight, cycle),
            "stop/bus%2F1/march%C3%A9/thu/week-2-of-2"
        );
        let moved = event(VisitKind::Stop, "marché", "2026-03-26", Recurrence::Once);
        assert_eq!(uid(&moved, cycle), "stop/bus%2F1/march%C3%A9/20260326");
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "stop/a".into()), "stop/a@tournee");
        assert_eq!(unique(&mut taken, "stop/a".into()), "stop/a/2@tournee");
    }
}
