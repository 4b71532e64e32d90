//! Where people live, for territorial coverage: the inhabited places of an extract
//! (`place=city|town|village|hamlet` nodes), each with a population and a commune.
//!
//! # Population
//!
//! A place's `population` tag is used when present. Otherwise it is estimated from the homes
//! mapped around it: every building within [`catchment_m`] of the place (a city 3 km, a town
//! 1.5 km, a village 800 m, a hamlet 300 m; a building within reach of several places goes to
//! the one it is relatively nearest to, distance over catchment) counts its dwellings —
//! `building:flats` when tagged; otherwise an apartment block 2 per level (`building:levels`,
//! 3 when untagged), a row of terraced houses 4, a house, farm, bungalow or residential building
//! 1, and a building of unknown use (`building=yes`, most rural French buildings) ½, since
//! about half of those are homes; shops, barns, churches and the like count nothing. Dwellings
//! times [`PERSONS_PER_DWELLING`] (INSEE's mean household, 2.2) gives the estimate. A place
//! with no building mapped around it gets the typical figure of its rank
//! ([`typical_population`]), and the report says which source each figure comes from.
//!
//! # Communes
//!
//! The fairness model compares communes. A city, town or village is its own commune; a hamlet
//! belongs to the nearest city, town or village within [`HAMLET_COMMUNE_M`] (as the crow flies:
//! this groups places, it measures no access), or is its own commune when none is that near.
//! `is_in` and boundary relations are too unevenly mapped to rely on.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use osmpbf::PrimitiveBlock;
use serde::Serialize;

use crate::error::Result;
use crate::geo::{Coord, short_distance_m};
use crate::pbf::decode_blocks;
use crate::pois::{Poi, PoiKind, read_pois};
use crate::progress::Progress;

/// Mean number of people per dwelling in France (INSEE, 2020 census: 2.19).
pub const PERSONS_PER_DWELLING: f64 = 2.2;
/// Farthest a hamlet joins a city, town or village as its commune, metres.
pub const HAMLET_COMMUNE_M: f64 = 10_000.0;
/// Levels of an apartment block without `building:levels`.
const DEFAULT_APARTMENT_LEVELS: f64 = 3.0;

/// Radius around a place whose buildings count towards its population, metres.
pub fn catchment_m(kind: PoiKind) -> f64 {
    match kind {
        PoiKind::City => 3_000.0,
        PoiKind::Town => 1_500.0,
        PoiKind::Village => 800.0,
        _ => 300.0,
    }
}

/// Population of a place of this rank when nothing else is known.
pub fn typical_population(kind: PoiKind) -> f64 {
    match kind {
        PoiKind::City => 30_000.0,
        PoiKind::Town => 3_000.0,
        PoiKind::Village => 300.0,
        _ => 30.0,
    }
}

/// Where a population figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum PopulationSource {
    /// The place's `population` tag.
    Tagged,
    /// Estimated from the dwellings of the buildings around it.
    Buildings {
        /// Buildings counted.
        buildings: u32,
        /// Dwellings they hold (estimated).
        dwellings: f64,
    },
    /// No building mapped around it: the typical figure of its rank.
    Typical,
}

/// An inhabited place with its population and commune.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DemandPlace {
    /// The place node.
    pub place: Poi,
    /// Inhabitants (tagged or estimated).
    pub population: f64,
    /// How the population was found.
    pub source: PopulationSource,
    /// Index (in the returned list) of the place that names its commune.
    pub commune: usize,
}

/// The inhabited places of an extract, with populations and communes, in the order of
/// [`read_pois`] (by rank, then id).
///
/// # Errors
/// As [`read_pois`]: missing, non-PBF, corrupt or empty files.
pub fn read_demand(path: &Path, progress: &dyn Progress) -> Result<Vec<DemandPlace>> {
    let places: Vec<Poi> = read_pois(path, progress)?
        .into_iter()
        .filter(|p| p.kind.is_place())
        .collect();
    let untagged = places.iter().any(|p| p.population.is_none());
    let buildings = if untagged {
        read_buildings(path, progress)?
    } else {
        Vec::new()
    };
    Ok(estimate(places, &buildings))
}

/// Populations and communes of places, given the buildings of the extract.
pub fn estimate(places: Vec<Poi>, buildings: &[Building]) -> Vec<DemandPlace> {
    let mut counted = vec![(0u32, 0.0f64); places.len()];
    for building in buildings.iter().filter(|b| b.dwellings > 0.0) {
        let nearest = places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.population.is_none())
            .map(|(i, p)| {
                (
                    i,
                    short_distance_m(p.coord, building.coord) / catchment_m(p.kind),
                )
            })
            .filter(|(_, relative)| *relative <= 1.0)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = nearest {
            counted[i].0 += 1;
            counted[i].1 += building.dwellings;
        }
    }
    let communes: Vec<usize> = (0..places.len()).map(|i| commune(&places, i)).collect();
    places
        .into_iter()
        .zip(counted)
        .zip(communes)
        .map(|((place, (buildings, dwellings)), commune)| {
            let (population, source) = match place.population {
                Some(tagged) => (tagged as f64, PopulationSource::Tagged),
                None if dwellings > 0.0 => (
                    (dwellings * PERSONS_PER_DWELLING).round(),
                    PopulationSource::Buildings {
                        buildings,
                        dwellings,
                    },
                ),
                None => (typical_population(place.kind), PopulationSource::Typical),
            };
            DemandPlace {
                place,
                population,
                source,
                commune,
            }
        })
        .collect()
}

/// The commune of place `i`: itself, or for a hamlet the nearest larger place close enough.
fn commune(places: &[Poi], i: usize) -> usize {
    if places[i].kind != PoiKind::Hamlet {
        return i;
    }
    places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind.is_place() && p.kind != PoiKind::Hamlet)
        .map(|(j, p)| (j, short_distance_m(p.coord, places[i].coord)))
        .filter(|(_, d)| *d <= HAMLET_COMMUNE_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(i, |(j, _)| j)
}

/// A building that may hold homes: one point of it and its estimated dwellings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Building {
    /// Its first node (ways) or its node.
    pub coord: Coord,
    /// Estimated dwellings (0 for buildings that are not homes).
    pub dwellings: f64,
}

/// Dwellings of a building from its tags (see the module docs); 0 when it is not a home.
pub fn dwellings<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> f64 {
    let (mut kind, mut flats, mut levels) = (None, None, None);
    for (key, value) in tags {
        match key {
            "building" => kind = Some(value),
            "building:flats" => flats = value.trim().parse::<f64>().ok(),
            "building:levels" => levels = value.trim().parse::<f64>().ok(),
            _ => {}
        }
    }
    let Some(kind) = kind else { return 0.0 };
    let sane = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0 && *v < 1_000.0);
    if let Some(flats) = sane(flats) {
        return flats;
    }
    match kind {
        "apartments" => 2.0 * sane(levels).unwrap_or(DEFAULT_APARTMENT_LEVELS),
        "terrace" => 4.0,
        "house" | "detached" | "semidetached_house" | "bungalow" | "farm" | "residential"
        | "cabin" | "static_caravan" | "dormitory" => 1.0,
        "yes" => 0.5,
        _ => 0.0,
    }
}

/// Every building of the extract that may hold homes, at its first node.
fn read_buildings(path: &Path, progress: &dyn Progress) -> Result<Vec<Building>> {
    let (_, blocks) = decode_blocks(path, progress, building_elements)?;
    let mut found = Vec::new();
    let mut pending: Vec<(i64, f64)> = Vec::new();
    for (nodes, ways) in blocks {
        found.extend(nodes);
        pending.extend(ways);
    }
    let wanted: HashSet<i64> = pending.iter().map(|(n, _)| *n).collect();
    if wanted.is_empty() {
        return Ok(found);
    }
    let (_, blocks) = decode_blocks(path, progress, |block| positions(block, &wanted))?;
    let at: HashMap<i64, Coord> = blocks.into_iter().flatten().collect();
    found.extend(pending.iter().filter_map(|(node, dwellings)| {
        at.get(node).map(|coord| Building {
            coord: *coord,
            dwellings: *dwellings,
        })
    }));
    Ok(found)
}

/// Building nodes (complete) and building ways (first node, dwellings) of one block.
fn building_elements(block: &PrimitiveBlock) -> (Vec<Building>, Vec<(i64, f64)>) {
    let mut nodes = Vec::new();
    let mut ways = Vec::new();
    for group in block.groups() {
        for node in group.dense_nodes() {
            let d = dwellings(node.tags());
            if d > 0.0 {
                nodes.push(Building {
                    coord: Coord::new(node.lat(), node.lon()),
                    dwellings: d,
                });
            }
        }
        for way in group.ways() {
            let d = dwellings(way.tags());
            if let (true, Some(first)) = (d > 0.0, way.refs().next()) {
                ways.push((first, d));
            }
        }
    }
    (nodes, ways)
}

/// Positions of the wanted nodes of one block.
fn positions(block: &PrimitiveBlock, wanted: &HashSet<i64>) -> Vec<(i64, Coord)> {
    block
        .groups()
        .flat_map(|g| {
            g.dense_nodes()
                .filter(|n| wanted.contains(&n.id()))
                .map(|n| (n.id(), Coord::new(n.lat(), n.lon())))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pois::ElementId;

    fn place(id: i64, kind: PoiKind, population: Option<u64>, lat: f64, lon: f64) -> Poi {
        Poi {
            id: ElementId::Node(id),
            kind,
            name: Some(format!("p{id}")),
            population,
            opening_hours: None,
            coord: Coord::new(lat, lon),
        }
    }

    #[test]
    fn dwellings_follow_building_tags() {
        let d = |tags: &[(&'static str, &'static str)]| dwellings(tags.iter().copied());
        assert_eq!(d(&[("building", "house")]), 1.0);
        assert_eq!(d(&[("building", "apartments")]), 6.0);
        assert_eq!(
            d(&[("building", "apartments"), ("building:levels", "5")]),
            10.0
        );
        assert_eq!(
            d(&[("building", "apartments"), ("building:flats", "24")]),
            24.0
        );
        assert_eq!(d(&[("building", "yes")]), 0.5);
        assert_eq!(d(&[("building", "church")]), 0.0);
        assert_eq!(d(&[("amenity", "townhall")]), 0.0);
        assert_eq!(d(&[("building", "house"), ("building:levels", "NaN")]), 1.0);
    }

    #[test]
    fn populations_come_from_tags_then_buildings_then_rank() {
        let places = vec![
            place(1, PoiKind::Town, Some(4_200), 45.0, 5.0),
            place(2, PoiKind::Village, None, 45.05, 5.0),
            place(3, PoiKind::Hamlet, None, 45.3, 5.0),
            place(4, PoiKind::Hamlet, None, 45.051, 5.0),
        ];
        // Ten houses 22 m from the hamlet, one 55 m: all 130–170 m from the village.
        let mut buildings: Vec<Building> = (0..10)
            .map(|_| Building {
                coord: Coord::new(45.0512, 5.0),
                dwellings: 1.0,
            })
            .collect();
        buildings.push(Building {
            coord: Coord::new(45.0515, 5.0),
            dwellings: 1.0,
        });
        let demand = estimate(places, &buildings);
        assert_eq!(demand[0].population, 4_200.0);
        assert_eq!(demand[0].source, PopulationSource::Tagged);
        // Relative to the catchments (hamlet 300 m, village 800 m) the houses are nearer the
        // hamlet, so the village has none and gets the typical figure.
        assert_eq!(demand[3].population, (11.0 * PERSONS_PER_DWELLING).round());
        assert_eq!(demand[1].source, PopulationSource::Typical);
        assert_eq!(demand[2].population, typical_population(PoiKind::Hamlet));
        // The far hamlet (28 km) is its own commune; the near one joins the village.
        assert_eq!(
            demand.iter().map(|d| d.commune).collect::<Vec<_>>(),
            [0, 1, 2, 1]
        );
    }
}
