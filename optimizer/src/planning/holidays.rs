//! French public holidays (jours fériés), computed for any year from the date of Easter.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which public holidays close the units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicHolidays {
    /// The eleven holidays of metropolitan France.
    #[default]
    France,
    /// Those of France plus Good Friday and 26 December (Alsace and Moselle).
    AlsaceMoselle,
    /// None: only the listed closed dates.
    None,
}

/// The public holidays of `year`, with their French names, in date order.
pub fn public_holidays(kind: PublicHolidays, year: i32) -> Vec<(NaiveDate, &'static str)> {
    if kind == PublicHolidays::None {
        return Vec::new();
    }
    let Ok(easter) = computus::gregorian_naive(year) else {
        return Vec::new();
    };
    let fixed = |month, day, name| NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, name));
    let after_easter = |days, name| easter.checked_add_days(Days::new(days)).map(|d| (d, name));
    let mut dates: Vec<(NaiveDate, &'static str)> = [
        fixed(1, 1, "Jour de l'an"),
        after_easter(1, "Lundi de Pâques"),
        fixed(5, 1, "Fête du Travail"),
        fixed(5, 8, "Victoire 1945"),
        after_easter(39, "Ascension"),
        after_easter(50, "Lundi de Pentecôte"),
        fixed(7, 14, "Fête nationale"),
        fixed(8, 15, "Assomption"),
        fixed(11, 1, "Toussaint"),
        fixed(11, 11, "Armistice 1918"),
        fixed(12, 25, "Noël"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if kind == PublicHolidays::AlsaceMoselle {
        dates.extend(
            easter
                .checked_sub_days(Days::new(2))
                .map(|d| (d, "Vendredi saint")),
        );
        dates.extend(fixed(12, 26, "Saint-Étienne"));
    }
    dates.sort();
    debug_assert!(dates.iter().all(|(d, _)| d.year() == year));
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_of_2026_match_the_official_calendar() {
        // calendrier.api.gouv.fr, métropole, 2026.
        let expected = [
            date(2026, 1, 1),
            date(2026, 4, 6),
            date(2026, 5, 1),
            date(2026, 5, 8),
            date(2026, 5, 14),
            date(2026, 5, 25),
            date(2026, 7, 14),
            date(2026, 8, 15),
            date(2026, 11, 1),
            date(2026, 11, 11),
            date(2026, 12, 25),
        ];
        let got: Vec<NaiveDate> = public_holidays(PublicHolidays::France, 2026)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn alsace_moselle_adds_two_days_and_none_has_none() {
        let alsace = public_holidays(PublicHolidays::AlsaceMoselle, 2027);
        assert_eq!(alsace.len(), 13);
        assert!(alsace.contains(&(date(2027, 3, 26), "Vendredi saint")));
        assert!(public_holidays(PublicHolidays::None, 2027).is_empty());
    }
}
