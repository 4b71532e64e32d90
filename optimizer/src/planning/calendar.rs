//! The days of a planning cycle: which are worked, which are closed and why, which periods
//! (school holidays…) they fall in, and their offset from UTC in the territory's time zone.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::holidays::{PublicHolidays, public_holidays};
use super::time::{LocalTime, Weekday};

/// The time zone used when none is given.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

/// A named span of dates during which stops may keep other hours (school holidays, summer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// How stops refer to it.
    pub id: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (included).
    pub to: NaiveDate,
}

/// The planning cycle: when it starts, how many weeks it lasts, which days are worked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Horizon {
    /// First day of the cycle (any weekday).
    pub start: NaiveDate,
    /// Length of the cycle in weeks, 1 to 6; the plan repeats after it.
    pub weeks: u8,
    /// Days of the week the service works (default Monday to Friday).
    #[serde(default = "monday_to_friday")]
    pub working_days: Vec<Weekday>,
    /// IANA time zone of the territory (default `Europe/Paris`).
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Public holidays closing the service (default: France's).
    #[serde(default)]
    pub public_holidays: PublicHolidays,
    /// Further closed dates (bridges, local holidays, staff training).
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
    /// Named periods stops can have other hours in.
    #[serde(default)]
    pub periods: Vec<Period>,
}

fn monday_to_friday() -> Vec<Weekday> {
    Weekday::ALL[..5].to_vec()
}

fn default_time_zone() -> String {
    DEFAULT_TIME_ZONE.to_owned()
}

/// One day of the cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleDay {
    /// The date.
    pub date: NaiveDate,
    /// Its weekday.
    pub weekday: Weekday,
    /// Week of the cycle, from 0.
    pub week: u8,
    /// Days since the start of the cycle.
    pub offset: u16,
    /// Whether the service works that weekday.
    pub working_day: bool,
    /// Why the day is closed (a holiday's name, or "closed date"), if it is.
    pub closed: Option<String>,
    /// Indices of the horizon's periods the day falls in.
    pub periods: Vec<usize>,
}

impl CycleDay {
    /// Whether units can serve on this day.
    pub fn is_service_day(&self) -> bool {
        self.working_day && self.closed.is_none()
    }
}

/// The days of a cycle in their time zone.
#[derive(Clone, Debug)]
pub struct Calendar {
    time_zone: Tz,
    days: Vec<CycleDay>,
}

impl Calendar {
    /// Lays out the days of `horizon`.
    ///
    /// # Errors
    /// The time zone's name when it is not an IANA zone.
    pub fn new(horizon: &Horizon) -> Result<Self, String> {
        let time_zone: Tz = horizon
            .time_zone
            .parse()
            .map_err(|_| format!("unknown time zone {:?}", horizon.time_zone))?;
        let length = u64::from(horizon.weeks) * 7;
        let mut holidays = Vec::new();
        let last = horizon
            .start
            .checked_add_days(Days::new(length))
            .unwrap_or(horizon.start);
        for year in horizon.start.year()..=last.year() {
            holidays.extend(public_holidays(horizon.public_holidays, year));
        }
        let days = (0..length)
            .filter_map(|offset| {
                let date = horizon.start.checked_add_days(Days::new(offset))?;
                let weekday = Weekday::of(date);
                let closed = holidays
                    .iter()
                    .find(|(d, _)| *d == date)
                    .map(|(_, name)| (*name).to_owned())
                    .or_else(|| {
                        horizon
                            .closed_dates
                            .contains(&date)
                            .then(|| "closed date".to_owned())
                    });
                let periods = horizon
                    .periods
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.from <= date && date <= p.to)
                    .map(|(i, _)| i)
                    .collect();
                Some(CycleDay {
                    date,
                    weekday,
                    week: (offset / 7) as u8,
                    offset: offset as u16,
                    working_day: horizon.working_days.contains(&weekday),
                    closed,
                    periods,
                })
            })
            .collect();
        Ok(Calendar { time_zone, days })
    }

    /// Every day of the cycle, in order.
    pub fn days(&self) -> &[CycleDay] {
        &self.days
    }

    /// The days units can serve.
    pub fn service_days(&self) -> impl Iterator<Item = &CycleDay> {
        self.days.iter().filter(|d| d.is_service_day())
    }

    /// The instant of a local time on a date, with its UTC offset on that date.
    ///
    /// Each day is planned in local clock time, so a cycle that crosses a daylight-saving change
    /// keeps its announced times; only the offset changes. A time that does not exist (the hour
    /// skipped in spring) is moved forward by the skipped hour; an ambiguous one (autumn) takes
    /// the first occurrence.
    pub fn instant(&self, date: NaiveDate, time: LocalTime) -> DateTime<FixedOffset> {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let local = midnight + chrono::Duration::seconds(i64::from(time.seconds()));
        let zoned = self
            .time_zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                self.time_zone
                    .from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            });
        match zoned {
            Some(t) => t.with_timezone(&t.offset().fix()),
            None => local.and_utc().fixed_offset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn horizon(start: NaiveDate, weeks: u8) -> Horizon {
        serde_json::from_value(serde_json::json!({ "start": start, "weeks": weeks })).unwrap()
    }

    #[test]
    fn a_cycle_lists_its_days_with_closures_and_periods() {
        let mut h = horizon(date(2026, 5, 4), 2);
        h.closed_dates.push(date(2026, 5, 15));
        h.periods.push(Period {
            id: "pont".into(),
            from: date(2026, 5, 13),
            to: date(2026, 5, 17),
        });
        let calendar = Calendar::new(&h).unwrap();
        assert_eq!(calendar.days().len(), 14);
        let service: Vec<u32> = calendar.service_days().map(|d| d.date.day()).collect();
        // Friday 8 May (Victoire 1945) and Thursday 14 May (Ascension) are holidays, Friday 15
        // is a listed closure, weekends are not worked.
        assert_eq!(service, vec![4, 5, 6, 7, 11, 12, 13]);
        let ascension = &calendar.days()[10];
        assert_eq!((ascension.week, ascension.weekday), (1, Weekday::Thu));
        assert_eq!(ascension.closed.as_deref(), Some("Ascension"));
        assert_eq!(ascension.periods, vec![0]);
    }

    #[test]
    fn local_times_keep_across_daylight_saving() {
        // The clocks go forward on Sunday 29 March 2026 in Paris.
        let calendar = Calendar::new(&horizon(date(2026, 3, 23), 2)).unwrap();
        let nine: LocalTime = "09:00".parse().unwrap();
        let before = calendar.instant(date(2026, 3, 23), nine);
        let after = calendar.instant(date(2026, 3, 30), nine);
        assert_eq!(before.to_rfc3339(), "2026-03-23T09:00:00+01:00");
        assert_eq!(after.to_rfc3339(), "2026-03-30T09:00:00+02:00");
        let skipped = calendar.instant(date(2026, 3, 29), "02:30".parse().unwrap());
        assert_eq!(skipped.to_rfc3339(), "2026-03-29T03:30:00+02:00");
    }

    #[test]
    fn unknown_time_zones_are_refused() {
        let mut h = horizon(date(2026, 1, 5), 1);
        h.time_zone = "Europe/Lutece".into();
        assert!(Calendar::new(&h).unwrap_err().contains("Europe/Lutece"));
    }
}
