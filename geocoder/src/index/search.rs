//! Scoring entries against a query.
//!
//! The query's words are matched to the index's words, exactly or (five letters or more) one
//! edit away, which counts [`TYPO_QUALITY`] of a match. Entries sharing a word are gathered,
//! roughly ranked by the weight of the words they share, and the best [`SHORTLIST`] are scored:
//!
//! - a word of the query that starts with a digit and is one of a street's house numbers makes
//!   the answer that address; an entry lacking the number asked for answers as itself, its
//!   score times [`NUMBER_MISSING`];
//! - `covered` is the weighted share of the query's other words found in the entry (its name,
//!   commune or postcode); `named` the weighted share of the entry's name words the query has;
//! - score = `covered` × (½ + ½ `named`): 1 when the query and the name agree word for word,
//!   ½ when only the commune matches;
//! - when a place scores 1 (the query is its name), every other kind of entry counts
//!   [`PLACE_NAMED`] of its score.
//!
//! A word's weight is its rarity, ln(1 + entries / entries having it); stopwords (`de`, `la`,
//! …) count [`STOPWORD_FACTOR`] of that, and a word the index does not know counts
//! [`UNKNOWN_WEIGHT`].

use std::collections::HashMap;

use super::normalize::{is_numeric, words};
use super::{Entry, Index, Number};
use crate::candidate::{Candidate, Kind, Query};
use crate::error::{Error, Result};

/// The most candidates a search returns.
pub const MAX_LIMIT: usize = 100;
/// How many entries are scored in full, after a rough ranking.
pub const SHORTLIST: usize = 64;
/// A word in more entries than this only adds weight to the entries rarer words gathered.
pub const COMMON_POSTING: usize = 256;
/// What a word one edit away counts, against 1 for the word itself.
pub const TYPO_QUALITY: f64 = 0.8;
/// The weight of a stopword relative to its rarity.
pub const STOPWORD_FACTOR: f64 = 0.1;
/// The weight of a query word the index does not know.
pub const UNKNOWN_WEIGHT: f64 = 1.0;
/// The factor of an entry that lacks the house number asked for: below
/// [`crate::resolve::ACCEPT_SCORE`] whatever the rest, so that the street (or a place) is shown
/// for a number the extract does not know, never taken for it.
pub const NUMBER_MISSING: f64 = 0.45;
/// The factor of every other kind of entry when a place's name is the whole query: "Gżira"
/// means the town, not "Triq il-Gżira" nor a street named after the hamlet it crosses. Below
/// 1 − [`crate::resolve::AMBIGUITY_MARGIN`], so that the place is taken.
pub const PLACE_NAMED: f64 = 0.85;

/// A query word with the index words it may be.
struct QueryWord {
    text: String,
    /// (index word, quality) pairs.
    matches: Vec<(u32, f64)>,
    weight: f64,
}

/// Up to `query.limit` candidates, best first.
///
/// # Errors
/// [`Error::InvalidQuery`] for an empty text, a limit of 0 or above [`MAX_LIMIT`], or an invalid
/// `near` position.
pub fn search(index: &Index, query: &Query) -> Result<Vec<Candidate>> {
    if query.limit == 0 || query.limit > MAX_LIMIT {
        return Err(Error::InvalidQuery(format!(
            "limit must be between 1 and {MAX_LIMIT}, not {}",
            query.limit
        )));
    }
    if let Some(problem) = query.near.and_then(|p| p.problem()) {
        return Err(Error::InvalidQuery(format!("near: {problem}")));
    }
    let asked = query_words(index, &query.text);
    if asked.is_empty() {
        return Err(Error::InvalidQuery(
            "the text has no letter or digit to search for".into(),
        ));
    }
    let postcode = query.postcode.as_deref().map(compact);
    let city = query.city.as_deref().map(words);

    let mut scored: Vec<(f64, Candidate)> = Vec::new();
    let mut place_named = false;
    for e in shortlist(index, &asked) {
        let entry = &index.data.entries[e as usize];
        if city.as_ref().is_some_and(|c| !in_city(entry, c)) {
            continue;
        }
        let (score, numbers) = score(index, e, &asked);
        place_named |= entry.kind == Kind::Place && score >= 1.0;
        let answers: Vec<Candidate> = if numbers.is_empty() {
            vec![candidate(entry, None, score)]
        } else {
            numbers
                .iter()
                .map(|n| candidate(entry, Some(n), score))
                .collect()
        };
        for answer in answers {
            if postcode
                .as_ref()
                .is_none_or(|p| has_postcode(entry, &answer, p))
            {
                scored.push((distance_to(query, &answer), answer));
            }
        }
    }
    if place_named {
        for (_, candidate) in &mut scored {
            if candidate.kind != Kind::Place {
                candidate.score = rounded(candidate.score * PLACE_NAMED);
            }
        }
    }
    scored.sort_by(|(da, a), (db, b)| b.score.total_cmp(&a.score).then(da.total_cmp(db)));
    let mut out: Vec<Candidate> = Vec::with_capacity(query.limit);
    for (_, candidate) in scored {
        if out.len() == query.limit {
            break;
        }
        let twice = out.iter().any(|c| {
            c.label == candidate.label
                && c.kind == candidate.kind
                && c.position == candidate.position
        });
        if !twice {
            out.push(candidate);
        }
    }
    Ok(out)
}

/// The query's words, each with what it may be in the index.
fn query_words(index: &Index, text: &str) -> Vec<QueryWord> {
    words(text)
        .into_iter()
        .map(|text| {
            let mut matches = Vec::new();
            if let Some(&id) = index.word_ids.get(&text) {
                matches.push((id, 1.0));
            }
            matches.extend(
                index
                    .typos
                    .near(&text, &index.vocabulary)
                    .into_iter()
                    .map(|id| (id, TYPO_QUALITY)),
            );
            let weight = matches
                .iter()
                .map(|(id, _)| index.weights[*id as usize])
                .fold(None, |best: Option<f64>, w| {
                    Some(best.map_or(w, |b| b.max(w)))
                })
                .unwrap_or(UNKNOWN_WEIGHT);
            QueryWord {
                text,
                matches,
                weight,
            }
        })
        .collect()
}

/// The entries sharing a word with the query, the [`SHORTLIST`] sharing the most weight.
///
/// Rarest words first: a word of more than [`COMMON_POSTING`] entries adds its weight to the
/// entries rarer words gathered, and gathers entries itself only when no word of the query
/// itself (a typo's neighbour does not count) gathered any: `Triq`, on most of Malta's
/// streets, does not gather thousands of entries to rank.
fn shortlist(index: &Index, asked: &[QueryWord]) -> Vec<u32> {
    let mut matched: Vec<(u32, f64)> = asked
        .iter()
        .flat_map(|word| word.matches.iter().copied())
        .collect();
    matched.sort_by_key(|(id, _)| index.postings[*id as usize].len());
    let mut shared: HashMap<u32, f64> = HashMap::new();
    let mut gathered_exact = false;
    for (id, quality) in matched {
        let weight = index.weights[id as usize] * quality;
        let posting = &index.postings[id as usize];
        if posting.len() <= COMMON_POSTING || !gathered_exact {
            gathered_exact |= quality >= 1.0 && !posting.is_empty();
            for &entry in posting {
                *shared.entry(entry).or_default() += weight;
            }
        } else if shared.len() < posting.len() {
            for (entry, sum) in &mut shared {
                let (name, context) = &index.entry_words[*entry as usize];
                if name.contains(&id) || context.contains(&id) {
                    *sum += weight;
                }
            }
        } else {
            for entry in posting {
                if let Some(sum) = shared.get_mut(entry) {
                    *sum += weight;
                }
            }
        }
    }
    let mut ranked: Vec<(u32, f64)> = shared.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(SHORTLIST);
    ranked.into_iter().map(|(e, _)| e).collect()
}

/// An entry's score for the query, with the house numbers the query asks for when the entry
/// has them (one number may be at several places).
fn score<'a>(index: &'a Index, e: u32, asked: &[QueryWord]) -> (f64, &'a [Number]) {
    let entry = &index.data.entries[e as usize];
    let (name, context) = &index.entry_words[e as usize];
    let quality_in = |word: &QueryWord, ids: &[u32]| {
        word.matches
            .iter()
            .filter(|(id, _)| ids.contains(id))
            .map(|(_, q)| *q)
            .fold(0.0, f64::max)
    };
    let mut number: &[Number] = &[];
    let mut number_word = None;
    let mut number_asked = false;
    // A number the entry has is its house number ("98000" on Monaco's Avenue John F. Kennedy),
    // else a number of its context is its postcode, else it is a house number it lacks.
    for (i, word) in asked.iter().enumerate() {
        if !is_numeric(&word.text) {
            continue;
        }
        let found = find_number(entry, &word.text);
        if !found.is_empty() {
            number = found;
            number_word = Some(i);
            break;
        }
        number_asked |= quality_in(word, context) == 0.0;
    }
    let (mut found, mut total) = (0.0, 0.0);
    let mut name_found = vec![0.0f64; name.len()];
    for (i, word) in asked.iter().enumerate() {
        if Some(i) == number_word {
            continue;
        }
        total += word.weight;
        let mut best = quality_in(word, context);
        for (slot, id) in name.iter().enumerate() {
            if let Some((_, q)) = word.matches.iter().find(|(m, _)| m == id) {
                name_found[slot] = name_found[slot].max(*q);
                best = best.max(*q);
            }
        }
        found += word.weight * best;
    }
    let covered = if total > 0.0 { found / total } else { 1.0 };
    let name_total: f64 = name.iter().map(|id| index.weights[*id as usize]).sum();
    let name_weight: f64 = name
        .iter()
        .zip(&name_found)
        .map(|(id, q)| index.weights[*id as usize] * q)
        .sum();
    let named = if name_total > 0.0 {
        name_weight / name_total
    } else {
        0.0
    };
    let mut score = covered * (0.5 + 0.5 * named);
    if number_asked && number.is_empty() {
        score *= NUMBER_MISSING;
    }
    (score.clamp(0.0, 1.0), number)
}

/// The house number `key` of a street, once for each place it is at (none when it lacks it).
fn find_number<'a>(entry: &'a Entry, key: &str) -> &'a [Number] {
    let from = entry.numbers.partition_point(|n| n.key.as_str() < key);
    let to = entry.numbers.partition_point(|n| n.key.as_str() <= key);
    &entry.numbers[from..to]
}

/// The candidate an entry (or its house number) answers.
fn candidate(entry: &Entry, number: Option<&Number>, score: f64) -> Candidate {
    let kind = match (number, entry.kind) {
        (Some(_), _) => Kind::Housenumber,
        (None, kind) => kind,
    };
    Candidate {
        label: entry.label(number),
        kind,
        score: rounded(score),
        position: number.map_or(entry.position, |n| n.position),
        city: entry.city.clone(),
        citycode: None,
        postcode: number
            .and_then(|n| n.postcode.clone())
            .or_else(|| entry.postcode.clone()),
    }
}

/// A score to four decimals, as answers give it.
fn rounded(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// A postcode without spaces, in capitals.
fn compact(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether the candidate (or, for a street, one of its addresses) has the postcode.
fn has_postcode(entry: &Entry, candidate: &Candidate, postcode: &str) -> bool {
    let is = |p: &Option<String>| p.as_deref().is_some_and(|p| compact(p) == postcode);
    is(&candidate.postcode)
        || (candidate.kind == Kind::Street && entry.numbers.iter().any(|n| is(&n.postcode)))
}

/// Whether the entry lies in the commune whose words are `city` (a place by its own name).
fn in_city(entry: &Entry, city: &[String]) -> bool {
    let of_entry = entry.city.as_deref().map(words);
    let named = entry.kind == Kind::Place && entry.words == city;
    named || of_entry.as_deref() == Some(city)
}

/// Distance to the query's `near` position, for ordering equal scores (0 without one).
fn distance_to(query: &Query, candidate: &Candidate) -> f64 {
    query.near.map_or(0.0, |near| {
        osm_data::geo::haversine_m(near, candidate.position)
    })
}
