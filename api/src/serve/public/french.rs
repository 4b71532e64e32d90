//! French wording of the public page and posters: dates, times, weekdays, and HTML escaping.

use chrono::{Datelike, NaiveDate};
use optimizer::planning::time::{LocalTime, Weekday};

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A text as one URL path segment: unreserved characters kept, anything else percent-encoded.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The weekday's French name (`mardi`).
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// A clock time as French notices write it: `9 h 30`, `12 h`.
pub fn time(at: LocalTime) -> String {
    let minutes = at.minutes();
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

/// A date in full: `mardi 17 mars 2026`.
pub fn date(day: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS[usize::try_from(day.month0()).unwrap_or(0) % 12];
    let first = if day.day() == 1 {
        "1er".to_owned()
    } else {
        day.day().to_string()
    };
    format!(
        "{} {first} {month} {}",
        weekday(Weekday::of(day)),
        day.year()
    )
}

/// How often a slot comes back: `tous les mardis`, `un mardi sur deux`, `un mardi toutes les
/// 3 semaines`.
pub fn every(day: Weekday, weeks: u8) -> String {
    let name = weekday(day);
    match weeks {
        0 | 1 => format!("tous les {name}s"),
        2 => format!("un {name} sur deux"),
        n => format!("un {name} toutes les {n} semaines"),
    }
}

/// Folds a name for searching: lower case, accents and punctuation dropped (`Saint-Étienne` →
/// `saint etienne`), as the page's search box folds what is typed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        let plain = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'ñ' => 'n',
            'œ' => {
                out.push_str("oe");
                continue;
            }
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(plain);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_as_in_french() {
        let at = |t: &str| t.parse::<LocalTime>().expect("a time");
        assert_eq!(time(at("09:30")), "9 h 30");
        assert_eq!(time(at("12:00")), "12 h");
        assert_eq!(
            date("2026-05-01".parse().expect("a date")),
            "vendredi 1er mai 2026"
        );
        assert_eq!(every(Weekday::Tue, 1), "tous les mardis");
        assert_eq!(every(Weekday::Tue, 2), "un mardi sur deux");
        assert_eq!(fold("  Saint-Étienne d'Œ "), "saint etienne d oe");
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(path_segment("marché/1 a"), "march%C3%A9%2F1%20a");
    }
}
