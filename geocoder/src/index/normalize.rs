//! How names and queries are compared: both are cut into the same normalised words.
//!
//! - case and accents are dropped (`Émile` → `emile`; `ß` → `ss`, `œ` → `oe`, `ħ` → `h`);
//! - apostrophes, hyphens and every other punctuation separate words (`d'Arinsal` → `d arinsal`,
//!   `Saint-Jean` → `saint jean`);
//! - a number followed by `bis`, `ter`, `quater` or `quinquies`, or by a single letter, is one
//!   house number, written with the suffix's first letter (`12 bis`, `12bis`, `12 B` and `12b`
//!   all become `12b`);
//! - the usual abbreviations of French (and German) street names are written out, see
//!   [`ABBREVIATIONS`]; a word ending in `str` (`Landstr.`) ends in `strasse`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Abbreviations written out before comparing: `(abbreviation, word)`.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("all", "allee"),
    ("av", "avenue"),
    ("ave", "avenue"),
    ("bd", "boulevard"),
    ("bld", "boulevard"),
    ("bvd", "boulevard"),
    ("ch", "chemin"),
    ("chem", "chemin"),
    ("crs", "cours"),
    ("dr", "docteur"),
    ("fbg", "faubourg"),
    ("fg", "faubourg"),
    ("gal", "general"),
    ("gen", "general"),
    ("ham", "hameau"),
    ("imp", "impasse"),
    ("lt", "lieutenant"),
    ("mal", "marechal"),
    ("mgr", "monseigneur"),
    ("pass", "passage"),
    ("pl", "place"),
    ("pdt", "president"),
    ("prof", "professeur"),
    ("qu", "quai"),
    ("r", "rue"),
    ("res", "residence"),
    ("rte", "route"),
    ("sq", "square"),
    ("st", "saint"),
    ("ste", "sainte"),
    ("str", "strasse"),
    ("vla", "villa"),
];

/// Suffixes of a house number (`12 bis`), written as their first letter.
const NUMBER_SUFFIXES: &[&str] = &["bis", "ter", "quater", "quinquies"];

/// Words that say little about which street is meant: they count for less in a score.
pub const STOPWORDS: &[&str] = &[
    "a", "au", "aux", "d", "de", "del", "dels", "der", "des", "di", "du", "el", "en", "et", "il",
    "l", "la", "le", "les", "sur", "ta", "tal", "tas", "tat",
];

/// The normalised words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for raw in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        if let Some(previous) = out.last_mut()
            && is_number(previous)
            && (NUMBER_SUFFIXES.contains(&raw) || is_letter(raw))
        {
            previous.push_str(&raw[..1]);
            continue;
        }
        out.push(attached_suffix(raw).unwrap_or_else(|| expand(raw)));
    }
    out
}

/// `12bis` as `12b`: a number with its suffix written on it.
fn attached_suffix(word: &str) -> Option<String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &word[digits..];
    (digits > 0 && NUMBER_SUFFIXES.contains(&suffix))
        .then(|| format!("{}{}", &word[..digits], &suffix[..1]))
}

/// `text` in lower-case ASCII letters and digits, other characters kept as separators.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ħ' | 'Ħ' => out.push('h'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            // The period of `l.` of Catalan `l·l` joins its letters.
            '·' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A word with its abbreviation written out.
fn expand(word: &str) -> String {
    if let Some((_, full)) = ABBREVIATIONS.iter().find(|(short, _)| *short == word) {
        return (*full).to_owned();
    }
    if word.len() > 4 && word.ends_with("str") {
        return format!("{word}asse");
    }
    word.to_owned()
}

/// Whether a word is one letter (`12 B`).
fn is_letter(word: &str) -> bool {
    word.len() == 1 && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether a word is a bare number (a house number before its suffix).
fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a word starts with a digit: a house number or a postcode, never typo-corrected.
pub fn is_numeric(word: &str) -> bool {
    word.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// Whether a word is a [`STOPWORDS`] one.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// The house numbers of an `addr:housenumber` value (`12`, `12 bis`, `12B`, or a list or range
/// such as `4-6` or `36;38`, which gives each number written), normalised as a query writes
/// them.
pub fn housenumbers(tagged: &str) -> Vec<String> {
    tagged
        .split(['-', ';', ',', '/'])
        .map(|part| words(part).concat())
        .filter(|key| is_numeric(key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_punctuation_and_abbreviations() {
        assert_eq!(
            words("12 Av. de l'Église-Saint-Étienne"),
            ["12", "avenue", "de", "l", "eglise", "saint", "etienne"]
        );
        assert_eq!(
            words("R. du Fbg St-Jean"),
            ["rue", "du", "faubourg", "saint", "jean"]
        );
        assert_eq!(
            words("Triq Santa Luċija, Ħamrun"),
            ["triq", "santa", "lucija", "hamrun"]
        );
        assert_eq!(
            words("Landstr. 12, Schaan"),
            ["landstrasse", "12", "schaan"]
        );
        assert_eq!(words("Großstraße"), ["grossstrasse"]);
    }

    #[test]
    fn bis_and_ter_belong_to_the_number() {
        assert_eq!(words("12 bis rue X"), ["12b", "rue", "x"]);
        assert_eq!(words("3ter, imp. Y"), ["3t", "impasse", "y"]);
        assert_eq!(words("34 b Quai"), ["34b", "quai"]);
        assert_eq!(housenumbers("12 bis"), ["12b"]);
        assert_eq!(housenumbers("12B"), ["12b"]);
        assert_eq!(housenumbers("4-6"), ["4", "6"]);
        assert_eq!(housenumbers("36;38"), ["36", "38"]);
        assert!(housenumbers("Ta' Xbiex").is_empty());
    }
}
