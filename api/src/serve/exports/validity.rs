//! A published plan's validity: the dates between which its calendars and public page announce
//! its visits. The plan repeats after its cycle; within the validity, each repetition skips
//! the public holidays and closed dates of its own dates (the cycle's exceptions only cover the
//! cycle itself).

use chrono::{Datelike, Duration, NaiveDate};
use optimizer::planning::calendar::Horizon;
use optimizer::planning::holidays::public_holidays;

use super::ics::series::{Event, Recurrence};

/// From which day to which day (both included) a published plan holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub until: NaiveDate,
}

/// The dates of an event within a validity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dates {
    /// When the unit comes.
    pub happens: Vec<NaiveDate>,
    /// When it would have come but does not, with why (a holiday's name, or `None` for a
    /// closure the problem does not name).
    pub closed: Vec<(NaiveDate, Option<String>)>,
}

/// Why the service is closed on `date`, if it is: a public holiday of the horizon's kind (its
/// French name) or one of its closed dates.
pub fn closed_reason(horizon: &Horizon, date: NaiveDate) -> Option<String> {
    public_holidays(horizon.public_holidays, date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name.to_owned())
        .or_else(|| {
            horizon
                .closed_dates
                .contains(&date)
                .then(|| "fermeture".to_owned())
        })
}

impl Validity {
    /// The event's dates within the validity: each occurrence of its series (or its one date),
    /// less the cycle's exceptions and, after the cycle, the closed days.
    pub fn dates(&self, event: &Event, horizon: &Horizon) -> Dates {
        let mut dates = Dates::default();
        let cycle_end = horizon.start + Duration::weeks(i64::from(horizon.weeks.max(1)));
        let (step, skipped) = match &event.recurrence {
            Recurrence::Once => {
                if self.from <= event.date && event.date <= self.until {
                    dates.happens.push(event.date);
                }
                return dates;
            }
            Recurrence::Weekly {
                interval, skipped, ..
            } => (Duration::weeks(i64::from((*interval).max(1))), skipped),
        };
        let mut date = event.date;
        while date <= self.until {
            if date >= self.from {
                if skipped.contains(&date) {
                    dates.closed.push((date, closed_reason(horizon, date)));
                } else if date >= cycle_end
                    && let Some(reason) = closed_reason(horizon, date)
                {
                    dates.closed.push((date, Some(reason)));
                } else {
                    dates.happens.push(date);
                }
            }
            date += step;
        }
        dates
    }

    /// The event as the validity bounds it: a series starts at its first occurrence within
    /// the validity and skips its closed days there; `None` when nothing of it falls within.
    pub fn bound(&self, event: &Event, horizon: &Horizon) -> Option<Event> {
        let dates = self.dates(event, horizon);
        let first = dates
            .happens
            .iter()
            .chain(dates.closed.iter().map(|(d, _)| d))
            .min()
            .copied()?;
        let recurrence = match &event.recurrence {
            Recurrence::Once => Recurrence::Once,
            Recurrence::Weekly {
                interval, phase, ..
            } => Recurrence::Weekly {
                interval: *interval,
                phase: *phase,
                skipped: dates.closed.iter().map(|(d, _)| *d).collect(),
            },
        };
        Some(Event {
            date: first,
            recurrence,
            ..event.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use optimizer::planning::plan::VisitKind;

    use super::*;

    fn horizon(start: &str, weeks: u8) -> Horizon {
        serde_json::from_value(serde_json::json!({"start": start, "weeks": weeks}))
            .expect("a horizon")
    }

    fn weekly(date: &str, interval: u8, skipped: &[&str]) -> Event {
        Event {
            unit: "bus-1".into(),
            kind: VisitKind::Stop,
            id: "marche".into(),
            date: date.parse().expect("a date"),
            start: "09:30".parse().expect("a time"),
            end: "12:00".parse().expect("a time"),
            recurrence: Recurrence::Weekly {
                interval,
                phase: 0,
                skipped: skipped.iter().map(|d| d.parse().expect("a date")).collect(),
            },
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    /// A Monday series of a one-week cycle in March, published into May: Easter Monday and
    /// Whit Monday fall after the cycle, and are announced as days without a visit.
    #[test]
    fn holidays_after_the_cycle_are_closed_days_of_the_validity() {
        let validity = Validity {
            from: day("2026-03-16"),
            until: day("2026-05-31"),
        };
        let dates = validity.dates(&weekly("2026-03-16", 1, &[]), &horizon("2026-03-16", 1));
        assert_eq!(
            dates.closed,
            vec![
                (day("2026-04-06"), Some("Lundi de Pâques".to_owned())),
                (day("2026-05-25"), Some("Lundi de Pentecôte".to_owned())),
            ]
        );
        assert_eq!(dates.happens.len(), 11 - 2);
        assert_eq!(dates.happens.last(), Some(&day("2026-05-18")));
    }

    /// A fortnightly series published from a later date starts at its first visit in the
    /// validity, in its own weeks; a cycle exception before it is forgotten.
    #[test]
    fn a_series_starts_at_its_first_visit_within_the_validity() {
        let validity = Validity {
            from: day("2026-03-24"),
            until: day("2026-04-30"),
        };
        let event = weekly("2026-03-17", 2, &["2026-03-17"]);
        let bounded = validity
            .bound(&event, &horizon("2026-03-16", 2))
            .expect("visits within");
        assert_eq!(bounded.date, day("2026-03-31"));
        assert_eq!(
            bounded.recurrence,
            Recurrence::Weekly {
                interval: 2,
                phase: 0,
                skipped: Vec::new()
            }
        );
        let before = Validity {
            from: day("2026-01-01"),
            until: day("2026-03-01"),
        };
        assert_eq!(before.bound(&event, &horizon("2026-03-16", 2)), None);
    }
}
