//! Typo tolerance: the words of the index within one edit (a letter missing, added, changed, or
//! two neighbours swapped) of a query word, for words of [`MIN_TYPO_LEN`] letters or more.
//!
//! A deletion neighbourhood (as SymSpell does): every indexed word is filed under itself and
//! each of its one-letter deletions; a query word looks up itself and its own deletions, and the
//! words found are checked with the optimal-string-alignment distance. A lookup costs a few
//! hash probes, whatever the size of the vocabulary.

use std::collections::HashMap;

/// Shortest word that a typo may hit: shorter words must be written right.
pub const MIN_TYPO_LEN: usize = 5;

/// Indexed words by their deletion variants.
#[derive(Debug, Default)]
pub struct TypoIndex {
    by_variant: HashMap<String, Vec<u32>>,
}

impl TypoIndex {
    /// The neighbourhood of `vocabulary` (word ids are positions in it).
    pub fn new(vocabulary: &[String]) -> Self {
        let mut by_variant: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, word) in vocabulary.iter().enumerate() {
            if word.chars().count() < MIN_TYPO_LEN || super::normalize::is_numeric(word) {
                continue;
            }
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            for variant in variants(word) {
                let ids = by_variant.entry(variant).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        }
        TypoIndex { by_variant }
    }

    /// The words of `vocabulary` one edit away from `word` (not `word` itself).
    pub fn near(&self, word: &str, vocabulary: &[String]) -> Vec<u32> {
        if word.chars().count() + 1 < MIN_TYPO_LEN || super::normalize::is_numeric(word) {
            return Vec::new();
        }
        let mut found: Vec<u32> = variants(word)
            .iter()
            .filter_map(|v| self.by_variant.get(v))
            .flatten()
            .copied()
            .filter(|&id| {
                let candidate = &vocabulary[id as usize];
                candidate != word && strsim::osa_distance(candidate, word) == 1
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// A word and each of its one-letter deletions.
fn variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::with_capacity(chars.len() + 1);
    out.push(word.to_owned());
    for skip in 0..chars.len() {
        out.push(
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_of_a_long_word_is_found_and_short_words_are_not_guessed() {
        let vocabulary: Vec<String> = ["landstrasse", "gare", "dorfstrasse", "kirchstrasse"]
            .map(String::from)
            .to_vec();
        let typos = TypoIndex::new(&vocabulary);
        let near = |w: &str| typos.near(w, &vocabulary);
        assert_eq!(near("landstrase"), [0], "a letter missing");
        assert_eq!(near("landstrassse"), [0], "a letter added");
        assert_eq!(near("lendstrasse"), [0], "a letter changed");
        assert_eq!(near("ladnstrasse"), [0], "two letters swapped");
        assert!(near("lndstrase").is_empty(), "two edits are too many");
        assert!(near("gere").is_empty(), "gare has four letters");
        assert!(
            near("landstrasse").is_empty(),
            "the word itself is not a typo"
        );
    }
}
