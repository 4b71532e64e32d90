//! The offline geocoder: an index of a territory's addresses, streets, places and points of
//! interest, built from its own OpenStreetMap extract and cached next to its road graphs.
//!
//! - [`read`] takes from the extract what is searched;
//! - [`build`] groups addresses by street and commune and gives everything a commune (the
//!   [`commune`] boundary it lies in, else the nearest commune place);
//! - [`normalize`] cuts names and queries into the same words, [`typo`] finds words one edit
//!   away;
//! - [`search`] scores entries against a query, [`reverse`] finds the nearest address or
//!   street;
//! - [`store`] saves and loads the index in the graph cache.

pub mod build;
pub mod commune;
pub mod normalize;
pub mod read;
pub mod reverse;
pub mod search;
pub mod store;
pub mod typo;

use std::collections::HashMap;
use std::path::Path;

use osm_data::geo::Coord;
use osm_data::progress::Progress;
use serde::{Deserialize, Serialize};

use crate::Geocode;
use crate::candidate::{Candidate, Kind, Query};
use crate::error::Result;
use normalize::words;
use reverse::Reverse;
use typo::TypoIndex;

/// A house number of a street.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Number {
    /// Normalised as a query writes it (`12b`).
    pub key: String,
    /// As tagged (`12 bis`).
    pub written: String,
    /// Where it is.
    pub position: Coord,
    /// Its `addr:postcode`.
    pub postcode: Option<String>,
}

/// One searchable thing: a street of a commune (with its house numbers), a place, or a point of
/// interest (under its own name, or as "Mairie de X").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// [`Kind::Street`], [`Kind::Place`], [`Kind::Poi`], or [`Kind::Housenumber`] for an
    /// address whose "number" is a house name.
    pub kind: Kind,
    /// Its name as shown.
    pub name: String,
    /// The normalised words it is found by.
    pub words: Vec<String>,
    /// The normalised words of its commune and postcodes, which narrow a search.
    pub context: Vec<String>,
    /// Its commune.
    pub city: Option<String>,
    /// Its postcode (a street's most common one).
    pub postcode: Option<String>,
    /// Where it is (for a street, one of its nodes).
    pub position: Coord,
    /// A street's house numbers, sorted by key.
    pub numbers: Vec<Number>,
    /// A street's ways, for reverse lookups.
    pub lines: Vec<Vec<Coord>>,
}

impl Entry {
    /// An entry found by the words of `text`, in `city` with `postcode`.
    pub fn new(
        kind: Kind,
        name: String,
        text: &str,
        city: Option<&str>,
        postcode: Option<&str>,
        position: Coord,
    ) -> Self {
        let mut entry = Entry {
            kind,
            name,
            words: words(text),
            context: Vec::new(),
            city: city.map(str::to_owned),
            postcode: postcode.map(str::to_owned),
            position,
            numbers: Vec::new(),
            lines: Vec::new(),
        };
        entry.add_context(city.into_iter().chain(postcode).flat_map(words));
        entry
    }

    /// Adds narrowing words (each once).
    pub fn add_context(&mut self, more: impl IntoIterator<Item = String>) {
        for word in more {
            if !self.context.contains(&word) {
                self.context.push(word);
            }
        }
    }

    /// How the entry, or its house number `number`, is written for a person, BAN-style:
    /// "12 Rue de la Gare 23400 Bourganeuf".
    pub fn label(&self, number: Option<&Number>) -> String {
        let postcode = number
            .and_then(|n| n.postcode.as_deref())
            .or(self.postcode.as_deref());
        let parts = [
            number.map(|n| n.written.as_str()),
            Some(self.name.as_str()),
            postcode,
            self.city.as_deref().filter(|c| *c != self.name),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
    }
}

/// What is saved: the entries (everything else is derived from them when loaded).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexData {
    /// Every entry.
    pub entries: Vec<Entry>,
}

impl IndexData {
    /// The data of these entries.
    pub fn new(entries: Vec<Entry>) -> Self {
        IndexData { entries }
    }
}

/// How many things an index holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    /// Addresses (interpolated ones and house names included).
    pub addresses: usize,
    /// Streets of a commune.
    pub streets: usize,
    /// Places.
    pub places: usize,
    /// Entries of points of interest (one per name a point is found by).
    pub pois: usize,
    /// Distinct words.
    pub words: usize,
}

/// The offline geocoder of one extract.
#[derive(Debug)]
pub struct Index {
    data: IndexData,
    vocabulary: Vec<String>,
    word_ids: HashMap<String, u32>,
    /// How much finding each word says: rarer words say more.
    weights: Vec<f64>,
    /// Entries by word (in their name or context).
    postings: Vec<Vec<u32>>,
    /// Each entry's name words and context words, as ids.
    entry_words: Vec<(Vec<u32>, Vec<u32>)>,
    typos: TypoIndex,
    reverse: Reverse,
}

impl Index {
    /// Reads `extract` and builds its index.
    ///
    /// # Errors
    /// The errors of reading the extract.
    pub fn build(extract: &Path, progress: &dyn Progress) -> Result<Index> {
        let extracted = read::read(extract, progress)?;
        Ok(Index::new(build::build(extracted)))
    }

    /// The index of saved data: words, weights, typo neighbourhood and reverse trees derived.
    pub fn new(data: IndexData) -> Index {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut entry_words = Vec::with_capacity(data.entries.len());
        for (e, entry) in data.entries.iter().enumerate() {
            let e = u32::try_from(e).unwrap_or(u32::MAX);
            let mut ids = |list: &[String]| -> Vec<u32> {
                list.iter()
                    .map(|w| {
                        let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                        let id = *word_ids.entry(w.clone()).or_insert_with(|| {
                            vocabulary.push(w.clone());
                            postings.push(Vec::new());
                            next
                        });
                        let posting = &mut postings[id as usize];
                        if posting.last() != Some(&e) {
                            posting.push(e);
                        }
                        id
                    })
                    .collect()
            };
            let name = ids(&entry.words);
            let context = ids(&entry.context);
            entry_words.push((name, context));
        }
        let total = data.entries.len().max(1) as f64;
        let weights = vocabulary
            .iter()
            .zip(&postings)
            .map(|(word, posting)| {
                let rarity = (1.0 + total / posting.len().max(1) as f64).ln();
                if normalize::is_stopword(word) {
                    rarity * search::STOPWORD_FACTOR
                } else {
                    rarity
                }
            })
            .collect();
        let typos = TypoIndex::new(&vocabulary);
        let reverse = Reverse::new(&data.entries);
        Index {
            data,
            vocabulary,
            word_ids,
            weights,
            postings,
            entry_words,
            typos,
            reverse,
        }
    }

    /// The saved part of the index.
    pub fn data(&self) -> &IndexData {
        &self.data
    }

    /// How many addresses, streets, places and points of interest it holds.
    pub fn stats(&self) -> IndexStats {
        let mut stats = IndexStats {
            words: self.vocabulary.len(),
            ..IndexStats::default()
        };
        for entry in &self.data.entries {
            match entry.kind {
                Kind::Street => {
                    stats.streets += 1;
                    stats.addresses += entry.numbers.len();
                }
                Kind::Housenumber => stats.addresses += 1,
                Kind::Place => stats.places += 1,
                Kind::Poi => stats.pois += 1,
            }
        }
        stats
    }
}

impl Geocode for Index {
    fn search(&self, query: &Query) -> Result<Vec<Candidate>> {
        search::search(self, query)
    }

    fn reverse(&self, at: Coord) -> Result<Option<Candidate>> {
        reverse::reverse(self, at)
    }
}
