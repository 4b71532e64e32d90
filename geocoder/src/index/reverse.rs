//! A position to the nearest address, or street when no address is as near: what labels a
//! place the dispatcher clicked on the map.
//!
//! Two R-trees in a local plane: house numbers as points, streets as segments. The address
//! wins when it is within [`ADDRESS_SLACK_M`] of the nearest street's distance (an address
//! stands back from its street); nothing is answered beyond [`REVERSE_LIMIT_M`].

use osm_data::geo::{Coord, LocalProjection, haversine_m};
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use super::{Entry, Index};
use crate::candidate::{Candidate, Kind};
use crate::error::{Error, Result};

/// How much farther than the nearest street an address may be and still be the answer.
pub const ADDRESS_SLACK_M: f64 = 30.0;
/// Farthest answer of a reverse lookup.
pub const REVERSE_LIMIT_M: f64 = 1_000.0;

/// A house number: (entry, number) indices.
type AddressPoint = GeomWithData<[f64; 2], (u32, u32)>;
/// A piece of a street: its entry.
type StreetPiece = GeomWithData<Line<[f64; 2]>, u32>;

/// The trees of a reverse lookup.
#[derive(Debug)]
pub struct Reverse {
    projection: LocalProjection,
    addresses: RTree<AddressPoint>,
    streets: RTree<StreetPiece>,
}

impl Reverse {
    /// The trees of these entries.
    pub fn new(entries: &[Entry]) -> Self {
        let lats: Vec<f64> = entries.iter().map(|e| e.position.lat).collect();
        let reference = lats.iter().sum::<f64>() / lats.len().max(1) as f64;
        let projection = LocalProjection::new(reference);
        let mut addresses = Vec::new();
        let mut streets = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            let e = u32::try_from(e).unwrap_or(u32::MAX);
            for (n, number) in entry.numbers.iter().enumerate() {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                addresses.push(GeomWithData::new(
                    projection.project(number.position),
                    (e, n),
                ));
            }
            for line in &entry.lines {
                for pair in line.windows(2) {
                    let piece = Line::new(projection.project(pair[0]), projection.project(pair[1]));
                    streets.push(GeomWithData::new(piece, e));
                }
            }
        }
        Reverse {
            projection,
            addresses: RTree::bulk_load(addresses),
            streets: RTree::bulk_load(streets),
        }
    }
}

/// The nearest address or street to `at`, within [`REVERSE_LIMIT_M`].
///
/// # Errors
/// [`Error::InvalidQuery`] when `at` is not a valid position.
pub fn reverse(index: &Index, at: Coord) -> Result<Option<Candidate>> {
    if let Some(problem) = at.problem() {
        return Err(Error::InvalidQuery(problem));
    }
    let trees = &index.reverse;
    let point = trees.projection.project(at);
    let address = trees.addresses.nearest_neighbor(point).map(|a| {
        let (e, n) = a.data;
        let entry = &index.data.entries[e as usize];
        let number = &entry.numbers[n as usize];
        (haversine_m(at, number.position), entry, Some(number))
    });
    let street = trees.streets.nearest_neighbor(point).map(|s| {
        let entry = &index.data.entries[s.data as usize];
        (s.geom().distance_2(&point).sqrt(), entry, None)
    });
    let best = match (address, street) {
        (Some(a), Some(s)) if a.0 > s.0 + ADDRESS_SLACK_M => Some(s),
        (Some(a), _) => Some(a),
        (None, s) => s,
    };
    Ok(best
        .filter(|(distance, _, _)| *distance <= REVERSE_LIMIT_M)
        .map(|(_, entry, number)| Candidate {
            label: entry.label(number),
            kind: if number.is_some() {
                Kind::Housenumber
            } else {
                Kind::Street
            },
            score: 1.0,
            position: number.map_or_else(|| nearest_on_street(entry, at), |n| n.position),
            city: entry.city.clone(),
            citycode: None,
            postcode: number
                .and_then(|n| n.postcode.clone())
                .or_else(|| entry.postcode.clone()),
        }))
}

/// The node of a street nearest to `at`.
fn nearest_on_street(entry: &Entry, at: Coord) -> Coord {
    entry
        .lines
        .iter()
        .flatten()
        .copied()
        .min_by(|a, b| haversine_m(*a, at).total_cmp(&haversine_m(*b, at)))
        .unwrap_or(entry.position)
}
