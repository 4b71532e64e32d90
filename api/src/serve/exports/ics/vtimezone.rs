//! The `VTIMEZONE` a calendar's local times refer to, written from the IANA rules (chrono-tz)
//! so that calendar applications place every occurrence right across daylight-saving changes.

use std::fmt::Write as _;

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// The `VTIMEZONE` of `tz`: one observance per offset change from the cycle's year on, for
/// ten years (a zone without changes gets a single `STANDARD`).
pub fn vtimezone(tz: Tz, year: i32) -> String {
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
