//! Whether the best candidate of a search may be taken without asking: the rule both back ends
//! share, so that a planning request resolves the same way whichever answers it.

use crate::candidate::Candidate;
use osm_data::geo::Coord;

/// The lowest score at which the best candidate is taken without asking.
pub const ACCEPT_SCORE: f64 = 0.5;

/// How far below the best score a second candidate must be for the best to be unambiguous.
pub const AMBIGUITY_MARGIN: f64 = 0.1;

/// Candidates closer than this to the best one are the same place written twice (an address
/// node and its building, say), never an ambiguity.
pub const SAME_PLACE_M: f64 = 25.0;

/// What a search's candidates allow.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// The best candidate, safe to take.
    Found(Candidate),
    /// Several candidates score alike at different places: the dispatcher must choose.
    Ambiguous(Vec<Candidate>),
    /// The best candidate scores below [`ACCEPT_SCORE`]: shown, not taken.
    LowConfidence(Vec<Candidate>),
    /// Nothing matched.
    NotFound,
}

/// Decides on `candidates` (best first, as [`crate::Geocode::search`] returns them).
pub fn resolve(candidates: Vec<Candidate>) -> Resolution {
    let Some(best) = candidates.first() else {
        return Resolution::NotFound;
    };
    if best.score < ACCEPT_SCORE {
        return Resolution::LowConfidence(candidates);
    }
    let rival = candidates[1..].iter().any(|other| {
        other.score > best.score - AMBIGUITY_MARGIN
            && distance_m(best.position, other.position) > SAME_PLACE_M
    });
    if rival {
        Resolution::Ambiguous(candidates)
    } else {
        Resolution::Found(best.clone())
    }
}

fn distance_m(a: Coord, b: Coord) -> f64 {
    osm_data::geo::haversine_m(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::Kind;

    fn candidate(score: f64, lat: f64) -> Candidate {
        Candidate {
            label: format!("at {lat}"),
            kind: Kind::Housenumber,
            score,
            position: Coord::new(lat, 5.0),
            city: None,
            citycode: None,
            postcode: None,
        }
    }

    #[test]
    fn a_clear_winner_is_found() {
        let found = resolve(vec![candidate(0.9, 45.0), candidate(0.6, 45.1)]);
        assert_eq!(found, Resolution::Found(candidate(0.9, 45.0)));
    }

    #[test]
    fn two_close_scores_at_different_places_are_ambiguous() {
        let answer = resolve(vec![candidate(0.9, 45.0), candidate(0.85, 45.1)]);
        assert!(matches!(answer, Resolution::Ambiguous(ref c) if c.len() == 2));
    }

    #[test]
    fn the_same_place_twice_is_not_ambiguous() {
        let answer = resolve(vec![candidate(0.9, 45.0), candidate(0.9, 45.0001)]);
        assert!(matches!(answer, Resolution::Found(_)));
    }

    #[test]
    fn a_weak_best_is_not_taken_and_nothing_is_not_found() {
        assert!(matches!(
            resolve(vec![candidate(0.3, 45.0)]),
            Resolution::LowConfidence(_)
        ));
        assert_eq!(resolve(Vec::new()), Resolution::NotFound);
    }
}
