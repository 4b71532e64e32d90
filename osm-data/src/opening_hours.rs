//! The common forms of OSM's `opening_hours` tag, as weekly hours.
//!
//! Understood: `24/7`; rules separated by `;`, each an optional list of days and day ranges
//! (`Mo-Fr`, `Tu,Th`, `Mo-We,Sa`) followed by a list of time ranges (`09:00-12:00,14:00-18:00`)
//! or `off`/`closed`; a rule without days applies every day; a later rule replaces the hours of
//! the days it names, as the specification says. Rules for public or school holidays (`PH`,
//! `SH`) are skipped: the planner knows French holidays itself. Anything else — months, weeks,
//! `sunrise`, open-ended `10:00+`, comments — is refused with the part not understood, and the
//! caller falls back to typical hours for the kind of site.

use serde::{Deserialize, Serialize};

/// The day names of the tag, Monday first.
const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// Opening hours per weekday (Monday first): minutes after midnight, `(open, close)` with
/// `open < close <= 1440`, sorted and not overlapping.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyOpening(pub [Vec<(u16, u16)>; 7]);

impl WeeklyOpening {
    /// Whether no day has any hour.
    pub fn is_closed(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }
}

/// Parses an `opening_hours` value.
///
/// # Errors
/// A message quoting the part of the value that is not one of the common forms.
pub fn parse_opening_hours(value: &str) -> Result<WeeklyOpening, String> {
    let value = value.trim();
    let mut week = WeeklyOpening::default();
    if value == "24/7" {
        week.0 = std::array::from_fn(|_| vec![(0, 1440)]);
        return Ok(week);
    }
    for rule in value.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        if rule.starts_with("PH") || rule.starts_with("SH") {
            continue;
        }
        let (days, times) = match rule.split_once(' ') {
            Some((days, times)) if days.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                (parse_days(days)?, times.trim())
            }
            _ => ([true; 7], rule),
        };
        let hours = parse_times(times)?;
        for (d, open) in days.iter().enumerate() {
            if *open {
                week.0[d] = hours.clone();
            }
        }
    }
    Ok(week)
}

/// `Mo-Fr,Sa` → which weekdays.
fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    for part in text.split(',') {
        let day = |name: &str| {
            DAYS.iter()
                .position(|d| *d == name)
                .ok_or_else(|| format!("{name:?} is not a day (Mo, Tu, We, Th, Fr, Sa, Su)"))
        };
        let (first, last) = match part.split_once('-') {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(part)?, day(part)?),
        };
        // Ranges may wrap round the week end (`Sa-Mo`).
        let mut d = first;
        loop {
            days[d] = true;
            if d == last {
                break;
            }
            d = (d + 1) % 7;
        }
    }
    Ok(days)
}

/// `09:00-12:00,14:00-18:00` (or `off`) → sorted, merged ranges in minutes.
fn parse_times(text: &str) -> Result<Vec<(u16, u16)>, String> {
    if matches!(text, "off" | "closed") {
        return Ok(Vec::new());
    }
    let mut ranges = Vec::new();
    for part in text.split(',').map(str::trim) {
        let (open, close) = part
            .split_once('-')
            .ok_or_else(|| format!("{part:?} is not a time range like 09:00-12:00"))?;
        let (open, close) = (minutes(open)?, minutes(close)?);
        // A range past midnight (`18:00-02:00`) is cut at midnight.
        let close = if close <= open { 1440 } else { close };
        if open < close {
            ranges.push((open, close));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (open, close) in ranges {
        match merged.last_mut() {
            Some(last) if open <= last.1 => last.1 = last.1.max(close),
            _ => merged.push((open, close)),
        }
    }
    Ok(merged)
}

/// `09:30` → 570.
fn minutes(text: &str) -> Result<u16, String> {
    let bad = || format!("{text:?} is not a time like 09:30");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_are_read() {
        let week = parse_opening_hours("Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00").unwrap();
        assert_eq!(week.0[0], vec![(540, 720), (840, 1050)]);
        assert_eq!(week.0[5], vec![(540, 720)]);
        assert!(week.0[6].is_empty());
        let all = parse_opening_hours("24/7").unwrap();
        assert_eq!(all.0[3], vec![(0, 1440)]);
        let plain = parse_opening_hours("08:00-19:00").unwrap();
        assert!(plain.0.iter().all(|d| d == &vec![(480, 1140)]));
    }

    #[test]
    fn later_rules_replace_earlier_days() {
        let week = parse_opening_hours("Mo-Sa 10:00-18:00; We off; PH off").unwrap();
        assert!(week.0[2].is_empty());
        assert_eq!(week.0[1], vec![(600, 1080)]);
        let wrap = parse_opening_hours("Sa-Mo 08:00-12:00").unwrap();
        assert_eq!(
            wrap.0.iter().map(|d| !d.is_empty()).collect::<Vec<_>>(),
            [true, false, false, false, false, true, true]
        );
    }

    #[test]
    fn unusual_forms_are_refused_with_the_part_not_understood() {
        for (value, part) in [
            ("Jan-Mar Mo 10:00-12:00", "Jan"),
            ("Mo sunrise-sunset", "sunrise"),
            ("Mo 25:00-26:00", "25:00"),
            ("Mo 10:00+", "10:00+"),
        ] {
            let error = parse_opening_hours(value).unwrap_err();
            assert!(error.contains(part), "{value}: {error}");
        }
    }
}
