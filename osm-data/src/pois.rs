//! Points of interest for planning: where a unit can stop (markets, libraries, town halls,
//! community and social centres, car parks) and where people live (cities to hamlets).
//!
//! Ways and relations are reduced to one representative point, the mean of their nodes. That
//! takes up to three passes over the file (the elements, then the ways of relations, then the
//! nodes), each decoded on every core.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use osmpbf::{PrimitiveBlock, RelMemberType};
use serde::Serialize;

use crate::error::Result;
use crate::geo::Coord;
use crate::pbf::decode_blocks;
use crate::progress::Progress;

/// What a point of interest is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum PoiKind {
    Marketplace,
    Library,
    Townhall,
    CommunityCentre,
    SocialFacility,
    Parking,
    City,
    Town,
    Village,
    Hamlet,
}

impl PoiKind {
    /// The kind named by an element's tags, if any (amenities first, then places).
    fn of<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Self> {
        let mut place = None;
        for (key, value) in tags {
            match (key, value) {
                ("amenity", "marketplace") => return Some(PoiKind::Marketplace),
                ("amenity", "library") => return Some(PoiKind::Library),
                ("amenity", "townhall") => return Some(PoiKind::Townhall),
                ("amenity", "community_centre") => return Some(PoiKind::CommunityCentre),
                ("amenity", "social_facility") => return Some(PoiKind::SocialFacility),
                ("amenity", "parking") => return Some(PoiKind::Parking),
                ("place", "city") => place = Some(PoiKind::City),
                ("place", "town") => place = Some(PoiKind::Town),
                ("place", "village") => place = Some(PoiKind::Village),
                ("place", "hamlet") => place = Some(PoiKind::Hamlet),
                _ => {}
            }
        }
        place
    }

    /// Whether the kind is an inhabited place (counted on nodes only, where places are mapped).
    pub fn is_place(self) -> bool {
        matches!(
            self,
            PoiKind::City | PoiKind::Town | PoiKind::Village | PoiKind::Hamlet
        )
    }

    /// The name used in files and URLs.
    pub fn name(self) -> &'static str {
        match self {
            PoiKind::Marketplace => "marketplace",
            PoiKind::Library => "library",
            PoiKind::Townhall => "townhall",
            PoiKind::CommunityCentre => "community_centre",
            PoiKind::SocialFacility => "social_facility",
            PoiKind::Parking => "parking",
            PoiKind::City => "city",
            PoiKind::Town => "town",
            PoiKind::Village => "village",
            PoiKind::Hamlet => "hamlet",
        }
    }
}

/// The OSM element a point of interest comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
#[allow(missing_docs)]
pub enum ElementId {
    Node(i64),
    Way(i64),
    Relation(i64),
}

impl fmt::Display for ElementId {
    /// `node/123`, as in openstreetmap.org URLs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementId::Node(id) => write!(f, "node/{id}"),
            ElementId::Way(id) => write!(f, "way/{id}"),
            ElementId::Relation(id) => write!(f, "relation/{id}"),
        }
    }
}

/// A point of interest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Poi {
    /// Where it comes from.
    pub id: ElementId,
    /// What it is.
    pub kind: PoiKind,
    /// Its `name` tag.
    pub name: Option<String>,
    /// Its `population` tag, for places.
    pub population: Option<u64>,
    /// Its `opening_hours` tag as written (see [`crate::opening_hours`] to read it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// Its position (for ways and relations, the mean of their nodes).
    pub coord: Coord,
}

/// A point of interest before its position is known.
struct Pending {
    id: ElementId,
    kind: PoiKind,
    name: Option<String>,
    population: Option<u64>,
    opening_hours: Option<String>,
    nodes: Vec<i64>,
    ways: Vec<i64>,
}

impl Pending {
    fn new<'a>(
        id: ElementId,
        kind: PoiKind,
        tags: impl Iterator<Item = (&'a str, &'a str)>,
        nodes: Vec<i64>,
        ways: Vec<i64>,
    ) -> Self {
        let Described {
            name,
            population,
            opening_hours,
        } = describe(tags);
        Pending {
            id,
            kind,
            name,
            population,
            opening_hours,
            nodes,
            ways,
        }
    }
}

/// Reads every point of interest of an extract, sorted by kind then id.
///
/// # Errors
/// As [`crate::extract::OsmExtract::read`]: missing, non-PBF, corrupt or empty files.
pub fn read_pois(path: &Path, progress: &dyn Progress) -> Result<Vec<Poi>> {
    let (_, blocks) = decode_blocks(path, progress, tagged_elements)?;
    let (mut found, pending): (Vec<Poi>, Vec<Pending>) = blocks.into_iter().fold(
        (Vec::new(), Vec::new()),
        |(mut found, mut pending), (f, p)| {
            found.extend(f);
            pending.extend(p);
            (found, pending)
        },
    );

    let wanted_ways: HashSet<i64> = pending
        .iter()
        .flat_map(|p| p.ways.iter().copied())
        .collect();
    let way_nodes: HashMap<i64, Vec<i64>> = if wanted_ways.is_empty() {
        HashMap::new()
    } else {
        let (_, blocks) = decode_blocks(path, progress, |block| ways_among(block, &wanted_ways))?;
        blocks.into_iter().flatten().collect()
    };
    let nodes_of = |p: &Pending| -> Vec<i64> {
        let members = p.ways.iter().filter_map(|w| way_nodes.get(w)).flatten();
        p.nodes.iter().chain(members).copied().collect()
    };
    let wanted_nodes: HashSet<i64> = pending.iter().flat_map(nodes_of).collect();
    let positions: HashMap<i64, Coord> = if wanted_nodes.is_empty() {
        HashMap::new()
    } else {
        let (_, blocks) = decode_blocks(path, progress, |block| nodes_among(block, &wanted_nodes))?;
        blocks.into_iter().flatten().collect()
    };
    for p in &pending {
        let points: Vec<Coord> = nodes_of(p)
            .iter()
            .filter_map(|n| positions.get(n))
            .copied()
            .collect();
        if let Some(coord) = mean(&points) {
            found.push(Poi {
                id: p.id,
                kind: p.kind,
                name: p.name.clone(),
                population: p.population,
                opening_hours: p.opening_hours.clone(),
                coord,
            });
        }
    }
    found.sort_by_key(|p| (p.kind, p.id));
    Ok(found)
}

/// The mean of positions; `None` for none. A closed ring's repeated last node counts twice,
/// which moves the point by a negligible fraction of the ring's size.
pub fn mean(points: &[Coord]) -> Option<Coord> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    let (lat, lon) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.lat, b + p.lon));
    Some(Coord::new(lat / n, lon / n))
}

/// The descriptive tags of an element.
struct Described {
    name: Option<String>,
    population: Option<u64>,
    opening_hours: Option<String>,
}

/// Name, population and opening hours from an element's tags.
fn describe<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Described {
    let mut described = Described {
        name: None,
        population: None,
        opening_hours: None,
    };
    for (key, value) in tags {
        match key {
            "name" => described.name = Some(value.to_owned()),
            "population" => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                described.population = digits.parse().ok();
            }
            "opening_hours" => described.opening_hours = Some(value.to_owned()),
            _ => {}
        }
    }
    described
}

/// Points of interest of one block: nodes are complete; ways and relations wait for positions.
fn tagged_elements(block: &PrimitiveBlock) -> (Vec<Poi>, Vec<Pending>) {
    let mut found = Vec::new();
    let mut pending = Vec::new();
    for group in block.groups() {
        let nodes = group
            .dense_nodes()
            .map(|n| {
                (
                    n.id(),
                    Coord::new(n.lat(), n.lon()),
                    n.tags().collect::<Vec<_>>(),
                )
            })
            .chain(
                group
                    .nodes()
                    .map(|n| (n.id(), Coord::new(n.lat(), n.lon()), n.tags().collect())),
            );
        for (id, coord, tags) in nodes {
            if tags.is_empty() {
                continue;
            }
            if let Some(kind) = PoiKind::of(tags.iter().copied()) {
                let Described {
                    name,
                    population,
                    opening_hours,
                } = describe(tags.into_iter());
                found.push(Poi {
                    id: ElementId::Node(id),
                    kind,
                    name,
                    population,
                    opening_hours,
                    coord,
                });
            }
        }
        for way in group.ways() {
            if let Some(kind) = PoiKind::of(way.tags()).filter(|k| !k.is_place()) {
                let id = ElementId::Way(way.id());
                let nodes = way.refs().collect();
                pending.push(Pending::new(id, kind, way.tags(), nodes, Vec::new()));
            }
        }
        for relation in group.relations() {
            if let Some(kind) = PoiKind::of(relation.tags()).filter(|k| !k.is_place()) {
                let mut nodes = Vec::new();
                let mut ways = Vec::new();
                for member in relation.members() {
                    match member.member_type {
                        RelMemberType::Node => nodes.push(member.member_id),
                        RelMemberType::Way => ways.push(member.member_id),
                        RelMemberType::Relation => {}
                    }
                }
                let id = ElementId::Relation(relation.id());
                pending.push(Pending::new(id, kind, relation.tags(), nodes, ways));
            }
        }
    }
    (found, pending)
}

/// The node lists of the wanted ways found in one block.
fn ways_among(block: &PrimitiveBlock, wanted: &HashSet<i64>) -> Vec<(i64, Vec<i64>)> {
    block
        .groups()
        .flat_map(|g| {
            g.ways()
                .filter(|w| wanted.contains(&w.id()))
                .map(|w| (w.id(), w.refs().collect()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The positions of the wanted nodes found in one block.
fn nodes_among(block: &PrimitiveBlock, wanted: &HashSet<i64>) -> Vec<(i64, Coord)> {
    let mut out = Vec::new();
    for group in block.groups() {
        for n in group.dense_nodes().filter(|n| wanted.contains(&n.id())) {
            out.push((n.id(), Coord::new(n.lat(), n.lon())));
        }
        for n in group.nodes().filter(|n| wanted.contains(&n.id())) {
            out.push((n.id(), Coord::new(n.lat(), n.lon())));
        }
    }
    out
}
