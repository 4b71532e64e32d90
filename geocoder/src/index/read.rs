//! What the index needs of an extract: addresses, named streets, places, interpolation lines and
//! the points of interest Tournée plans with, each with its position.
//!
//! Read with `osm-data`'s PBF reader in one pass, every block decoded on every core: the tagged
//! elements, and the position of every node and the nodes of every way (as the road import
//! keeps them), so that ways and relations are placed without reading the file again. A
//! building or a relation is placed at the mean of its nodes; a street keeps all of its nodes
//! (a point on it, and the nearest street for reverse lookups).

use std::collections::HashMap;
use std::path::Path;

use osm_data::geo::Coord;
use osm_data::pbf::decode_blocks;
use osm_data::pois::mean;
use osm_data::progress::Progress;
use osmpbf::{PrimitiveBlock, RelMemberType};
use serde::{Deserialize, Serialize};

use super::commune::Commune;
use crate::error::Result;

/// An address as tagged: `addr:housenumber` with `addr:street` (or `addr:place`).
#[derive(Clone, Debug, PartialEq)]
pub struct RawAddress {
    /// `addr:housenumber` as written.
    pub number: String,
    /// `addr:street`, else `addr:place`.
    pub street: String,
    /// `addr:postcode`.
    pub postcode: Option<String>,
    /// `addr:city`.
    pub city: Option<String>,
    /// The node, or the mean of the way's or relation's nodes.
    pub position: Coord,
}

/// A named highway way with its nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct RawStreet {
    /// Its `name`.
    pub name: String,
    /// Its nodes' positions, in order.
    pub points: Vec<Coord>,
}

/// A named `place=*` node (or way, placed at the mean of its nodes).
#[derive(Clone, Debug, PartialEq)]
pub struct RawPlace {
    /// Its `name`.
    pub name: String,
    /// Its `place` value: `city`, `village`, `locality`, …
    pub rank: String,
    /// Where it is.
    pub position: Coord,
    /// Whether it is a node (the benchmark's ground truth counts nodes only).
    pub node: bool,
}

/// The kinds of points of interest indexed, with the words a dispatcher uses for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoiCategory {
    /// `amenity=townhall`: "Mairie de X".
    Townhall,
    /// `amenity=library`.
    Library,
    /// `amenity=marketplace`.
    Marketplace,
    /// `amenity=community_centre`.
    CommunityCentre,
    /// `amenity=social_centre` or `amenity=social_facility`.
    SocialCentre,
    /// `amenity=school`.
    School,
    /// `amenity=post_office`.
    PostOffice,
}

impl PoiCategory {
    fn of(amenity: &str) -> Option<Self> {
        Some(match amenity {
            "townhall" => PoiCategory::Townhall,
            "library" => PoiCategory::Library,
            "marketplace" => PoiCategory::Marketplace,
            "community_centre" => PoiCategory::CommunityCentre,
            "social_centre" | "social_facility" => PoiCategory::SocialCentre,
            "school" => PoiCategory::School,
            "post_office" => PoiCategory::PostOffice,
            _ => return None,
        })
    }

    /// How a dispatcher names such a place in a commune, in French: "Mairie de Felletin".
    pub fn common_names(self) -> &'static [&'static str] {
        match self {
            PoiCategory::Townhall => &["Mairie de", "Hôtel de ville de"],
            PoiCategory::Library => &["Bibliothèque de", "Médiathèque de"],
            PoiCategory::Marketplace => &["Marché de", "Place du marché de"],
            PoiCategory::CommunityCentre => &["Salle des fêtes de", "Centre social de"],
            PoiCategory::SocialCentre => &["Centre social de"],
            PoiCategory::School => &["École de"],
            PoiCategory::PostOffice => &["Poste de", "Bureau de poste de"],
        }
    }
}

/// A point of interest of an indexed category.
#[derive(Clone, Debug, PartialEq)]
pub struct RawPoi {
    /// What it is.
    pub category: PoiCategory,
    /// Its `name`, if any.
    pub name: Option<String>,
    /// Its `addr:city`, if any.
    pub city: Option<String>,
    /// Its `addr:postcode`, if any.
    pub postcode: Option<String>,
    /// Where it is.
    pub position: Coord,
}

/// An `addr:interpolation` line: house numbers between its two numbered ends.
#[derive(Clone, Debug, PartialEq)]
pub struct RawInterpolation {
    /// 2 for `odd` and `even`, 1 for `all`.
    pub step: u32,
    /// The line's nodes, with the address of those that carry one.
    pub nodes: Vec<(Coord, Option<RawAddress>)>,
}

/// Everything the index is built from.
#[derive(Clone, Debug, Default)]
pub struct Extracted {
    /// Addresses of nodes, ways and relations.
    pub addresses: Vec<RawAddress>,
    /// Named highway ways.
    pub streets: Vec<RawStreet>,
    /// Named places.
    pub places: Vec<RawPlace>,
    /// Points of interest.
    pub pois: Vec<RawPoi>,
    /// Interpolation lines.
    pub interpolations: Vec<RawInterpolation>,
    /// Communes bounded by an `admin_level=8` relation whose rings close.
    pub communes: Vec<Commune>,
}

/// What a way or relation will become once its nodes are placed.
enum Becomes {
    Address(AddressTags),
    Street(String),
    Place(String, String),
    Poi(PoiTags),
    Interpolation(u32),
    Commune(String),
}

/// An address without its position.
#[derive(Clone)]
struct AddressTags {
    number: String,
    street: String,
    postcode: Option<String>,
    city: Option<String>,
}

impl AddressTags {
    fn at(&self, position: Coord) -> RawAddress {
        RawAddress {
            number: self.number.clone(),
            street: self.street.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            position,
        }
    }
}

/// A point of interest without its position.
struct PoiTags {
    category: PoiCategory,
    name: Option<String>,
    city: Option<String>,
    postcode: Option<String>,
}

impl PoiTags {
    fn at(&self, position: Coord) -> RawPoi {
        RawPoi {
            category: self.category,
            name: self.name.clone(),
            city: self.city.clone(),
            postcode: self.postcode.clone(),
            position,
        }
    }
}

/// A way or relation waiting for positions.
struct Pending {
    becomes: Becomes,
    nodes: Vec<i64>,
    ways: Vec<i64>,
}

/// What one block holds: complete node records, node addresses by id (for interpolation
/// ends), pending ways and relations, and every node's position and way's nodes.
#[derive(Default)]
struct BlockContent {
    found: Extracted,
    node_addresses: Vec<(i64, RawAddress)>,
    pending: Vec<Pending>,
    positions: Vec<(i64, Coord)>,
    way_nodes: Vec<(i64, Vec<i64>)>,
}

/// The tags the reader looks at, gathered from one element.
#[derive(Default)]
struct Tags<'a> {
    name: Option<&'a str>,
    housenumber: Option<&'a str>,
    street: Option<&'a str>,
    addr_place: Option<&'a str>,
    postcode: Option<&'a str>,
    city: Option<&'a str>,
    place: Option<&'a str>,
    highway: bool,
    amenity: Option<PoiCategory>,
    interpolation: Option<&'a str>,
    /// `boundary=administrative` with `admin_level=8`: a commune's boundary.
    administrative: bool,
    commune_level: bool,
}

impl<'a> Tags<'a> {
    fn of(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut out = Tags::default();
        for (key, value) in tags {
            match key {
                "name" => out.name = Some(value),
                "addr:housenumber" => out.housenumber = Some(value),
                "addr:street" => out.street = Some(value),
                "addr:place" => out.addr_place = Some(value),
                "addr:postcode" => out.postcode = Some(value),
                "addr:city" => out.city = Some(value),
                "place" => out.place = Some(value),
                "highway" => out.highway = true,
                "amenity" => out.amenity = PoiCategory::of(value),
                "addr:interpolation" => out.interpolation = Some(value),
                "boundary" => out.administrative = value == "administrative",
                "admin_level" => out.commune_level = value == COMMUNE_LEVEL,
                _ => {}
            }
        }
        out
    }

    fn address(&self) -> Option<AddressTags> {
        Some(AddressTags {
            number: self.housenumber?.to_owned(),
            street: self.street.or(self.addr_place)?.to_owned(),
            postcode: self.postcode.map(str::to_owned),
            city: self.city.map(str::to_owned),
        })
    }

    fn poi(&self) -> Option<PoiTags> {
        Some(PoiTags {
            category: self.amenity?,
            name: self.name.map(str::to_owned),
            city: self.city.map(str::to_owned),
            postcode: self.postcode.map(str::to_owned),
        })
    }

    fn place(&self) -> Option<(String, String)> {
        Some((self.name?.to_owned(), self.place?.to_owned()))
    }

    /// What a way or relation with these tags becomes (several things at once: a school may
    /// carry its address).
    fn pending(&self, is_way: bool) -> Vec<Becomes> {
        let mut out = Vec::new();
        if let Some(address) = self.address() {
            out.push(Becomes::Address(address));
        }
        if let Some(poi) = self.poi() {
            out.push(Becomes::Poi(poi));
        }
        if is_way {
            if let (true, Some(name)) = (self.highway, self.name) {
                out.push(Becomes::Street(name.to_owned()));
            }
            if let Some((name, rank)) = self.place() {
                out.push(Becomes::Place(name, rank));
            }
            if let Some(step) = self.interpolation.and_then(interpolation_step) {
                out.push(Becomes::Interpolation(step));
            }
        } else if let (true, true, Some(name)) =
            (self.administrative, self.commune_level, self.name)
        {
            out.push(Becomes::Commune(name.to_owned()));
        }
        out
    }
}

/// The `admin_level` of a commune's boundary (a French commune, a Liechtenstein Gemeinde).
const COMMUNE_LEVEL: &str = "8";

/// The step of an `addr:interpolation` value (`odd`, `even`, `all`, or a number).
fn interpolation_step(value: &str) -> Option<u32> {
    match value {
        "odd" | "even" => Some(2),
        "all" => Some(1),
        other => other.parse().ok().filter(|&s| s > 0),
    }
}

/// Reads what the index is built from.
///
/// # Errors
/// As [`osm_data::pois::read_pois`]: missing, non-PBF, corrupt or empty files.
pub fn read(path: &Path, progress: &dyn Progress) -> Result<Extracted> {
    let (_, blocks) = decode_blocks(path, progress, block_content)?;
    let mut found = Extracted::default();
    let mut node_addresses: HashMap<i64, RawAddress> = HashMap::new();
    let mut pending = Vec::new();
    let mut positions: Vec<(i64, Coord)> = Vec::new();
    let mut way_nodes: Vec<(i64, Vec<i64>)> = Vec::new();
    for block in blocks {
        found.addresses.extend(block.found.addresses);
        found.places.extend(block.found.places);
        found.pois.extend(block.found.pois);
        node_addresses.extend(block.node_addresses);
        pending.extend(block.pending);
        positions.extend(block.positions);
        way_nodes.extend(block.way_nodes);
    }
    // Files are sorted by id (the usual case) or sorted here, then searched by halves.
    if !positions.is_sorted_by_key(|(id, _)| *id) {
        positions.sort_unstable_by_key(|(id, _)| *id);
    }
    if !way_nodes.is_sorted_by_key(|(id, _)| *id) {
        way_nodes.sort_unstable_by_key(|(id, _)| *id);
    }
    let position = |node: &i64| {
        let at = positions.binary_search_by_key(node, |(id, _)| *id).ok()?;
        Some(positions[at].1)
    };
    let nodes_of_way = |way: &i64| -> &[i64] {
        way_nodes
            .binary_search_by_key(way, |(id, _)| *id)
            .map_or(&[], |at| way_nodes[at].1.as_slice())
    };
    let nodes_of = |p: &Pending| -> Vec<i64> {
        let members = p.ways.iter().flat_map(|w| nodes_of_way(w).iter());
        p.nodes.iter().chain(members).copied().collect()
    };

    for p in &pending {
        if let Becomes::Commune(name) = &p.becomes {
            let ways: Vec<Vec<i64>> = p.ways.iter().map(|w| nodes_of_way(w).to_vec()).collect();
            found
                .communes
                .extend(Commune::assemble(name.clone(), &ways, position));
            continue;
        }
        let ids = nodes_of(p);
        let points: Vec<Coord> = ids.iter().filter_map(position).collect();
        let Some(centre) = mean(&points) else {
            continue;
        };
        match &p.becomes {
            Becomes::Address(tags) => found.addresses.push(tags.at(centre)),
            Becomes::Poi(tags) => found.pois.push(tags.at(centre)),
            Becomes::Street(name) => found.streets.push(RawStreet {
                name: name.clone(),
                points,
            }),
            Becomes::Place(name, rank) => found.places.push(RawPlace {
                name: name.clone(),
                rank: rank.clone(),
                position: centre,
                node: false,
            }),
            Becomes::Interpolation(step) => found.interpolations.push(RawInterpolation {
                step: *step,
                nodes: ids
                    .iter()
                    .filter_map(|n| Some((position(n)?, node_addresses.get(n).cloned())))
                    .collect(),
            }),
            Becomes::Commune(_) => {}
        }
    }
    Ok(found)
}

/// The records of one block: nodes complete, ways and relations pending.
fn block_content(block: &PrimitiveBlock) -> BlockContent {
    let mut content = BlockContent::default();
    for group in block.groups() {
        let dense = group.dense_nodes().map(|n| {
            (
                n.id(),
                Coord::new(n.lat(), n.lon()),
                n.tags().collect::<Vec<_>>(),
            )
        });
        let plain = group
            .nodes()
            .map(|n| (n.id(), Coord::new(n.lat(), n.lon()), n.tags().collect()));
        for (id, position, tags) in dense.chain(plain) {
            content.positions.push((id, position));
            if tags.is_empty() {
                continue;
            }
            let tags = Tags::of(tags.into_iter());
            if let Some(address) = tags.address() {
                let address = address.at(position);
                content.node_addresses.push((id, address.clone()));
                content.found.addresses.push(address);
            }
            if let Some(poi) = tags.poi() {
                content.found.pois.push(poi.at(position));
            }
            if let Some((name, rank)) = tags.place() {
                content.found.places.push(RawPlace {
                    name,
                    rank,
                    position,
                    node: true,
                });
            }
        }
        for way in group.ways() {
            let nodes: Vec<i64> = way.refs().collect();
            let becomes = Tags::of(way.tags()).pending(true);
            if becomes.is_empty() {
                content.way_nodes.push((way.id(), nodes));
                continue;
            }
            for becomes in becomes {
                content.pending.push(Pending {
                    becomes,
                    nodes: nodes.clone(),
                    ways: Vec::new(),
                });
            }
            content.way_nodes.push((way.id(), nodes));
        }
        for relation in group.relations() {
            let becomes = Tags::of(relation.tags()).pending(false);
            if becomes.is_empty() {
                continue;
            }
            let mut nodes = Vec::new();
            let mut ways = Vec::new();
            for member in relation.members() {
                match member.member_type {
                    RelMemberType::Node => nodes.push(member.member_id),
                    RelMemberType::Way => ways.push(member.member_id),
                    RelMemberType::Relation => {}
                }
            }
            for becomes in becomes {
                content.pending.push(Pending {
                    becomes,
                    nodes: nodes.clone(),
                    ways: ways.clone(),
                });
            }
        }
    }
    content
}
