//! Calendars (RFC 5545) of a plan: a unit's (its stops and home visits) or the public one
//! (every unit's public stops, never a home visit). A visit that comes back at the same
//! weekday and time every week of the cycle is one event with `RRULE:FREQ=WEEKLY`; any other
//! visit repeats with the cycle (`INTERVAL=` its weeks). Times are local, with the time zone
//! described in a `VTIMEZONE`, so that they stay put across daylight-saving changes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use optimizer::planning::plan::{Step, VisitKind};
use optimizer::planning::time::LocalTime;

use super::Documents;

/// Whose calendar.
#[derive(Clone, Copy, Debug)]
pub enum Audience<'a> {
    /// One unit's crew: its stops and home visits.
    Unit(&'a str),
    /// The public: every public stop.
    Public,
}

/// One visit slot repeated over the cycle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    unit: String,
    kind: u8,
    id: String,
    weekday: u32,
    start: LocalTime,
    end: LocalTime,
}

/// The calendar text, or `None` when the unit is not in the problem.
pub fn calendar(docs: &Documents, audience: Audience<'_>, job: &str) -> Option<String> {
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
    };
    let mut slots: BTreeMap<Slot, Vec<(NaiveDate, u8)>> = BTreeMap::new();
    for route in &plan.routes {
        if let Audience::Unit(unit) = audience
            && route.unit != unit
        {
            continue;
        }
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
            if matches!(audience, Audience::Public) && *kind != VisitKind::Stop {
                continue;
            }
            let slot = Slot {
                unit: route.unit.clone(),
                kind: u8::from(*kind == VisitKind::HomeVisit),
                id: id.clone(),
                weekday: route.date.weekday().num_days_from_monday(),
                start: *start,
                end: *end,
            };
            slots
                .entry(slot)
                .or_default()
                .push((route.date, route.week));
        }
    }
    let mut calendar = Calendar::new();
    calendar.name(&title).timezone(tz.name());
    for (slot, dates) in &slots {
        let mut weeks: Vec<u8> = dates.iter().map(|(_, w)| *w).collect();
        weeks.sort_unstable();
        weeks.dedup();
        let every_week = weeks.len() == usize::from(plan.weeks);
        let occurrences: Vec<NaiveDate> = if every_week {
            dates.iter().map(|(d, _)| *d).min().into_iter().collect()
        } else {
            dates.iter().map(|(d, _)| *d).collect()
        };
        let interval = if every_week { 1 } else { plan.weeks.max(1) };
        for date in occurrences {
            calendar.push(event(docs, slot, date, interval, tz, job));
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

fn local(date: NaiveDate, time: LocalTime) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(i64::from(time.minutes()))
}

fn event(docs: &Documents, slot: &Slot, date: NaiveDate, interval: u8, tz: Tz, job: &str) -> Event {
    let kind = if slot.kind == 0 {
        VisitKind::Stop
    } else {
        VisitKind::HomeVisit
    };
    let place = docs.place(kind, &slot.id);
    let unit = docs.unit_name(&slot.unit);
    let summary = match (kind, place.and_then(|(_, name)| name)) {
        (VisitKind::Stop, Some(name)) => format!("{name} — {unit}"),
        (VisitKind::Stop, None) => format!("{} — {unit}", slot.id),
        (VisitKind::HomeVisit, _) => format!("Visite à domicile {}", slot.id),
    };
    let when = |time: LocalTime| CalendarDateTime::WithTimezone {
        date_time: local(date, time),
        tzid: tz.name().to_owned(),
    };
    let mut event = Event::new();
    event
        .uid(&format!(
            "{job}-{}-{}-{}@tournee",
            slot.unit,
            slot.id,
            date.format("%Y%m%d")
        ))
        .summary(&summary)
        .description(&format!(
            "Unité : {unit} ({}). {} – {}.",
            slot.unit, slot.start, slot.end
        ))
        .starts(when(slot.start))
        .ends(when(slot.end))
        .add_property("RRULE", rrule(interval));
    if let Some((at, name)) = place {
        event
            .location(name.unwrap_or(&slot.id))
            .add_property("GEO", format!("{:.6};{:.6}", at.lat, at.lon));
    }
    event.done()
}

fn rrule(interval: u8) -> String {
    if interval <= 1 {
        "FREQ=WEEKLY".to_owned()
    } else {
        format!("FREQ=WEEKLY;INTERVAL={interval}")
    }
}

/// The `VTIMEZONE` of `tz`: one observance per offset change from the cycle's year on, for
/// ten years (a zone without changes gets a single `STANDARD`).
fn vtimezone(tz: Tz, year: i32) -> String {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let start = Utc
        .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let offset_at = |t: chrono::DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc());
    let mut previous = offset_at(start);
    let mut changes = 0;
    // Offsets change on whole minutes: scan in steps of six hours, then bisect in minutes.
    let minute = |m: i64| start + Duration::minutes(m);
    let (step, last) = (6 * 60, 3653 * 24 * 60);
    let mut t = 0;
    while t < last {
        let offset = offset_at(minute(t + step));
        if offset != previous {
            let (mut lo, mut hi) = (t, t + step);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(minute(mid)) == previous {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            observance(&mut out, minute(hi), previous, offset);
            changes += 1;
            previous = offset;
        }
        t += step;
    }
    if changes == 0 {
        observance(&mut out, start, previous, previous);
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

fn observance(
    out: &mut String,
    at: chrono::DateTime<Utc>,
    from: chrono_tz::TzOffset,
    to: chrono_tz::TzOffset,
) {
    let kind = if to.dst_offset().is_zero() {
        "STANDARD"
    } else {
        "DAYLIGHT"
    };
    let from_fixed = from.base_utc_offset() + from.dst_offset();
    let to_fixed = to.base_utc_offset() + to.dst_offset();
    let local_before = at.naive_utc() + from_fixed;
    let _ = write!(
        out,
        "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
        local_before.format("%Y%m%dT%H%M%S"),
        utc_offset(from_fixed),
        utc_offset(to_fixed),
    );
    if let Some(name) = to.abbreviation() {
        let _ = write!(out, "TZNAME:{name}\r\n");
    }
    let _ = write!(out, "END:{kind}\r\n");
}

fn utc_offset(offset: Duration) -> String {
    let minutes = offset.num_minutes();
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_changes_twice_a_year() {
        let zone = vtimezone(chrono_tz::Europe::Paris, 2026);
        assert_eq!(zone.matches("BEGIN:DAYLIGHT").count(), 10);
        assert_eq!(zone.matches("BEGIN:STANDARD").count(), 10);
        // 29 March 2026, 02:00 local (01:00 UTC): clocks go forward.
        assert!(zone.contains("DTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"));
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let zone = vtimezone(chrono_tz::Indian::Reunion, 2026);
        assert_eq!(zone.matches("BEGIN:STANDARD").count(), 1);
        assert!(zone.contains("TZOFFSETTO:+0400"));
    }
}
