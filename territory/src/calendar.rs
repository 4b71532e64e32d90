//! The default first day of a cycle.

use chrono::{Datelike, Days, NaiveDate};

/// The first Monday strictly after `day`.
pub fn next_monday_after(day: NaiveDate) -> NaiveDate {
    let ahead = 7 - u64::from(day.weekday().num_days_from_monday());
    day.checked_add_days(Days::new(ahead)).unwrap_or(day)
}

/// The Monday after today (the default first day of a cycle).
pub fn next_monday() -> NaiveDate {
    next_monday_after(chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monday_is_followed_by_the_next_one() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(next_monday_after(day(6)), day(7));
        assert_eq!(next_monday_after(day(7)), day(14));
    }
}
