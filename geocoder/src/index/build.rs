//! From what was read to what is searched: addresses grouped by street and commune, streets
//! with a point on them, places and points of interest with their commune, every name cut into
//! normalised words.
//!
//! A commune is the `addr:city` of an address or point of interest when tagged, else the
//! `admin_level=8` boundary it lies in when the extract has one there, else the nearest
//! `place=city|town|village` node (places themselves included).

use std::collections::HashMap;

use osm_data::geo::{Coord, LocalProjection};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::commune::Commune;
use super::normalize::{housenumbers, words};
use super::read::{Extracted, RawAddress, RawInterpolation};
use super::{Entry, IndexData, Number};
use crate::candidate::Kind;

/// Objects carrying the same address closer than this are one address (a building and the
/// shop inside it), placed at the first of them read: a node (nodes come first in a file), the
/// entrance or the shop rather than a building's middle. Not at their mean, which may lie
/// farther than [`crate::resolve::SAME_PLACE_M`] from every one of them.
pub const SAME_ADDRESS_M: f64 = 100.0;

/// Places that are communes, for what carries no `addr:city`.
const COMMUNE_RANKS: &[&str] = &["city", "town", "village"];

/// Builds the searchable data from what was read.
pub fn build(mut extracted: Extracted) -> IndexData {
    let areas = std::mem::take(&mut extracted.communes);
    let mut builder = Builder::new(&extracted, areas);
    let addresses = extracted
        .addresses
        .iter()
        .cloned()
        .chain(extracted.interpolations.iter().flat_map(interpolated));
    for address in addresses {
        builder.add_address(address);
    }
    for street in &extracted.streets {
        let Some(first) = street.points.first() else {
            continue;
        };
        let city = builder.commune_at(*first);
        let id = builder.street(&street.name, city);
        builder.streets[id].points.push(street.points.clone());
    }
    for place in &extracted.places {
        let commune = builder.commune_at(place.position);
        let city = commune.filter(|c| c != &place.name);
        builder.push(Entry::new(
            Kind::Place,
            place.name.clone(),
            &place.name,
            city.as_deref(),
            None,
            place.position,
        ));
    }
    for poi in &extracted.pois {
        let city = poi
            .city
            .clone()
            .or_else(|| builder.commune_at(poi.position));
        if let Some(name) = &poi.name {
            builder.push(Entry::new(
                Kind::Poi,
                name.clone(),
                name,
                city.as_deref(),
                poi.postcode.as_deref(),
                poi.position,
            ));
        }
        // "Mairie de Felletin": the commune's town hall under the names people give it.
        if let Some(city) = &city {
            let label = poi
                .name
                .clone()
                .unwrap_or_else(|| format!("{} {city}", poi.category.common_names()[0]));
            for common in poi.category.common_names() {
                builder.push(Entry::new(
                    Kind::Poi,
                    label.clone(),
                    &format!("{common} {city}"),
                    Some(city),
                    poi.postcode.as_deref(),
                    poi.position,
                ));
            }
        }
    }
    builder.finish()
}

/// Addresses along an interpolation line between its two numbered ends (the ends excluded,
/// they are addresses already).
fn interpolated(line: &RawInterpolation) -> Vec<RawAddress> {
    let numbered: Vec<(usize, &RawAddress, u32)> = line
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, (_, a))| {
            let a = a.as_ref()?;
            Some((i, a, a.number.trim().parse().ok()?))
        })
        .collect();
    let mut out = Vec::new();
    for pair in numbered.windows(2) {
        let ((i, from, a), (j, _, b)) = (pair[0], pair[1]);
        let (low, high) = (a.min(b), a.max(b));
        let path: Vec<Coord> = line.nodes[i..=j].iter().map(|(c, _)| *c).collect();
        let mut n = low + line.step;
        while n < high {
            let mut fraction = f64::from(n - low) / f64::from(high - low);
            if a > b {
                fraction = 1.0 - fraction;
            }
            out.push(RawAddress {
                number: n.to_string(),
                position: along(&path, fraction),
                ..from.clone()
            });
            n += line.step;
        }
    }
    out
}

/// The point at `fraction` of a line's length.
fn along(path: &[Coord], fraction: f64) -> Coord {
    let lengths: Vec<f64> = path
        .windows(2)
        .map(|w| osm_data::geo::haversine_m(w[0], w[1]))
        .collect();
    let mut left = fraction * lengths.iter().sum::<f64>();
    for (w, length) in path.windows(2).zip(&lengths) {
        if left <= *length && *length > 0.0 {
            let t = left / length;
            return Coord::new(
                w[0].lat + t * (w[1].lat - w[0].lat),
                w[0].lon + t * (w[1].lon - w[0].lon),
            );
        }
        left -= length;
    }
    path.last().copied().unwrap_or(Coord::new(0.0, 0.0))
}

/// A street of a commune while it is gathered.
struct StreetDraft {
    name: String,
    city: Option<String>,
    /// House numbers, each once per place it is at.
    numbers: Vec<Number>,
    points: Vec<Vec<Coord>>,
}

/// Gathers entries, streets and their words.
struct Builder {
    projection: LocalProjection,
    communes: RTree<GeomWithData<[f64; 2], String>>,
    /// Communes bounded by their relation, which decide before the nearest commune place.
    areas: Vec<Commune>,
    streets: Vec<StreetDraft>,
    street_ids: HashMap<(Vec<String>, Vec<String>), usize>,
    entries: Vec<Entry>,
}

impl Builder {
    fn new(extracted: &Extracted, areas: Vec<Commune>) -> Self {
        let lats: Vec<f64> = extracted.places.iter().map(|p| p.position.lat).collect();
        let reference = if lats.is_empty() {
            extracted.addresses.first().map_or(0.0, |a| a.position.lat)
        } else {
            lats.iter().sum::<f64>() / lats.len() as f64
        };
        let projection = LocalProjection::new(reference);
        let communes = RTree::bulk_load(
            extracted
                .places
                .iter()
                .filter(|p| COMMUNE_RANKS.contains(&p.rank.as_str()))
                .map(|p| GeomWithData::new(projection.project(p.position), p.name.clone()))
                .collect(),
        );
        Builder {
            projection,
            communes,
            areas,
            streets: Vec::new(),
            street_ids: HashMap::new(),
            entries: Vec::new(),
        }
    }

    /// The name of the commune whose boundary holds `at`, else of the nearest commune place.
    fn commune_at(&self, at: Coord) -> Option<String> {
        if let Some(area) = self.areas.iter().find(|a| a.contains(at)) {
            return Some(area.name.clone());
        }
        self.communes
            .nearest_neighbor(self.projection.project(at))
            .map(|c| c.data.clone())
    }

    /// The id of the street `name` of commune `city`, created if new.
    fn street(&mut self, name: &str, city: Option<String>) -> usize {
        let key = (words(name), city.as_deref().map(words).unwrap_or_default());
        let next = self.streets.len();
        let id = *self.street_ids.entry(key).or_insert(next);
        if id == next {
            self.streets.push(StreetDraft {
                name: name.to_owned(),
                city,
                numbers: Vec::new(),
                points: Vec::new(),
            });
        }
        id
    }

    fn add_address(&mut self, address: RawAddress) {
        let keys = housenumbers(&address.number);
        let city = address
            .city
            .clone()
            .or_else(|| self.commune_at(address.position));
        if keys.is_empty() {
            // A house name ("Lia Buildings") instead of a number: found by its words.
            let name = format!("{} {}", address.number.trim(), address.street);
            self.push(Entry::new(
                Kind::Housenumber,
                name.clone(),
                &name,
                city.as_deref(),
                address.postcode.as_deref(),
                address.position,
            ));
            return;
        }
        let id = self.street(&address.street, city);
        let numbers = &mut self.streets[id].numbers;
        for key in keys {
            let twin = numbers.iter().any(|n| {
                n.key == key
                    && osm_data::geo::haversine_m(n.position, address.position) <= SAME_ADDRESS_M
            });
            if !twin {
                numbers.push(Number {
                    key,
                    written: address.number.trim().to_owned(),
                    position: address.position,
                    postcode: address.postcode.clone(),
                });
            }
        }
    }

    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    fn finish(mut self) -> IndexData {
        let streets = std::mem::take(&mut self.streets);
        for draft in streets {
            let numbers = draft.numbers;
            let postcode = most_common(numbers.iter().filter_map(|n| n.postcode.clone()));
            let Some(position) = point_on(&draft.points, &numbers) else {
                continue;
            };
            let mut entry = Entry::new(
                Kind::Street,
                draft.name.clone(),
                &draft.name,
                draft.city.as_deref(),
                postcode.as_deref(),
                position,
            );
            let postcodes: Vec<&str> = numbers
                .iter()
                .filter_map(|n| n.postcode.as_deref())
                .collect();
            entry.add_context(postcodes.iter().flat_map(|p| words(p)));
            entry.numbers = numbers;
            entry.numbers.sort_by(|a, b| a.key.cmp(&b.key));
            entry.lines = draft.points;
            self.entries.push(entry);
        }
        IndexData::new(self.entries)
    }
}

/// A point on the street: its node nearest to the middle of its nodes, else (a street known
/// only from addresses) its middle address.
fn point_on(lines: &[Vec<Coord>], numbers: &[Number]) -> Option<Coord> {
    let nodes: Vec<Coord> = lines.iter().flatten().copied().collect();
    if let Some(centre) = osm_data::pois::mean(&nodes) {
        return nodes.iter().copied().min_by(|a, b| {
            let da = osm_data::geo::haversine_m(*a, centre);
            let db = osm_data::geo::haversine_m(*b, centre);
            da.total_cmp(&db)
        });
    }
    let mut numbers: Vec<&Number> = numbers.iter().collect();
    numbers.sort_by_key(|n| n.key.parse::<u32>().unwrap_or(u32::MAX));
    numbers.get(numbers.len() / 2).map(|n| n.position)
}

/// The value seen most often (the first of equals).
fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(v, _)| v)
}
