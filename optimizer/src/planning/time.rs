//! Local clock times, weekdays and weekly opening hours, as a dispatcher writes them.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the week (`"mon"` … `"sun"` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Days since Monday (0 for Monday).
    pub fn index(self) -> u32 {
        self as u32
    }

    /// The weekday of a calendar date.
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Weekday::ALL[date.weekday().num_days_from_monday() as usize]
    }

    /// The JSON name (`"mon"`).
    pub fn name(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }
}

/// A local clock time in minutes since midnight, written `"HH:MM"` (`"24:00"` is the end of the
/// day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(u16);

impl LocalTime {
    /// Midnight at the start of the day.
    pub const MIDNIGHT: LocalTime = LocalTime(0);
    /// Midnight at the end of the day.
    pub const END_OF_DAY: LocalTime = LocalTime(24 * 60);
    /// Noon, where mornings end and afternoons begin.
    pub const NOON: LocalTime = LocalTime(12 * 60);
    /// The last minute of the morning.
    pub const LAST_MORNING_MINUTE: LocalTime = LocalTime(12 * 60 - 1);

    /// The time `hours:minutes`, if valid.
    pub fn hm(hours: u16, minutes: u16) -> Option<Self> {
        let total = hours.checked_mul(60)?.checked_add(minutes)?;
        (minutes < 60 && total <= 24 * 60).then_some(LocalTime(total))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// Seconds since midnight.
    pub fn seconds(self) -> u32 {
        u32::from(self.0) * 60
    }

    /// The time of day `seconds` after midnight, rounded down to the minute.
    pub fn from_seconds(seconds: u32) -> Option<Self> {
        u16::try_from(seconds / 60)
            .ok()
            .filter(|m| *m <= 24 * 60)
            .map(LocalTime)
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for LocalTime {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let invalid = || format!("{s:?} is not a time of day HH:MM");
        let (h, m) = s.split_once(':').ok_or_else(invalid)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(invalid());
        }
        let hours = h.parse().map_err(|_| invalid())?;
        let minutes = m.parse().map_err(|_| invalid())?;
        LocalTime::hm(hours, minutes).ok_or_else(invalid)
    }
}

impl Serialize for LocalTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A span of a day, from `start` to `end` local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimeRange {
    /// First minute.
    pub start: LocalTime,
    /// End (exclusive).
    pub end: LocalTime,
}

impl TimeRange {
    /// Length in minutes (zero when the range is empty or reversed).
    pub fn minutes(&self) -> u32 {
        self.end.minutes().saturating_sub(self.start.minutes())
    }
}

/// Hours per weekday: each day lists its time ranges (none, or an absent day, means closed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WeeklyHours(pub BTreeMap<Weekday, Vec<TimeRange>>);

impl WeeklyHours {
    /// The ranges of one weekday (empty when closed).
    pub fn on(&self, day: Weekday) -> &[TimeRange] {
        self.0.get(&day).map_or(&[], Vec::as_slice)
    }

    /// Whether any day has hours.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_print() {
        let t: LocalTime = "08:30".parse().unwrap();
        assert_eq!((t.minutes(), t.to_string()), (510, "08:30".to_string()));
        assert_eq!("9:05".parse::<LocalTime>().unwrap().minutes(), 545);
        assert_eq!("24:00".parse::<LocalTime>().unwrap(), LocalTime::END_OF_DAY);
        for bad in ["24:01", "12:60", "12", "ab:cd", "12:5", "-1:00", ""] {
            assert!(bad.parse::<LocalTime>().is_err(), "{bad}");
        }
    }

    #[test]
    fn weekly_hours_read_from_json() {
        let hours: WeeklyHours =
            serde_json::from_str(r#"{"thu": [{"start": "08:00", "end": "12:30"}]}"#).unwrap();
        assert_eq!(hours.on(Weekday::Thu)[0].minutes(), 270);
        assert!(hours.on(Weekday::Mon).is_empty());
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(Weekday::of(date), Weekday::Thu);
    }
}
