//! The part of an extract that routing needs: highway ways with parsed tags, the coordinates of
//! the nodes they use (and of restrictions' via nodes), and the nodes that can stop a vehicle.
//! Read once, shared by every profile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use osmpbf::PrimitiveBlock;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::geo::Coord;
use crate::ids::{OsmNodeId, OsmWayId};
use crate::pbf::{PbfHeader, decode_selected};
use crate::progress::Progress;
use crate::tags::{Control, NodeTags, RestrictionTags, Role, WayTags};

/// Marks a way node whose id is absent from the extract.
pub const MISSING_NODE: u32 = u32::MAX;

/// How many elements the file holds, counted while decoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementCounts {
    /// Nodes, dense or not.
    pub nodes: u64,
    /// Ways.
    pub ways: u64,
    /// Relations.
    pub relations: u64,
    /// Ways with any `highway=*` tag.
    pub highway_ways: u64,
    /// Ways whose `highway=*` value is a routable class.
    pub routable_ways: u64,
    /// Way node references to nodes absent from the file.
    pub missing_node_refs: u64,
}

impl ElementCounts {
    fn add(&mut self, other: &ElementCounts) {
        self.nodes += other.nodes;
        self.ways += other.ways;
        self.relations += other.relations;
        self.highway_ways += other.highway_ways;
        self.routable_ways += other.routable_ways;
    }

    /// All elements: nodes, ways and relations.
    pub fn elements(&self) -> u64 {
        self.nodes + self.ways + self.relations
    }
}

/// A routable highway way: its id, parsed tags (see [`OsmExtract::way_tags`]), and nodes
/// (indices into the extract's nodes).
#[derive(Clone, Debug)]
pub struct HighwayWay {
    /// The OSM way id.
    pub id: OsmWayId,
    /// Index of its tags among the extract's distinct tag sets.
    tags: u32,
    first_node: u32,
    node_count: u32,
}

/// What a relation member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    /// A node.
    Node,
    /// A way.
    Way,
    /// A relation.
    Relation,
}

/// One member of a restriction relation, as written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictionMember {
    /// `from`, `via` or `to`; `None` for any other role.
    pub role: Option<Role>,
    /// The member's element type.
    pub kind: MemberKind,
    /// The member's OSM id.
    pub id: i64,
}

/// A `type=restriction` relation as found in the file, before it is matched to a graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawRestriction {
    /// The relation id.
    pub id: i64,
    /// Its parsed tags.
    pub tags: RestrictionTags,
    /// Its members, in order.
    pub members: Vec<RestrictionMember>,
    /// Whether the member list could not be decoded (an unknown member type).
    pub unreadable: bool,
}

/// The routing content of one PBF file.
#[derive(Debug)]
pub struct OsmExtract {
    path: PathBuf,
    header: PbfHeader,
    counts: ElementCounts,
    node_ids: Vec<i64>,
    node_positions: Vec<[i32; 2]>,
    restricting_nodes: Vec<(u32, NodeTags)>,
    controls: Vec<(u32, Control)>,
    restrictions: Vec<RawRestriction>,
    ways: Vec<HighwayWay>,
    /// The distinct tag sets of the ways, each stored once (a region has over a million roads
    /// but a few thousand combinations of the tags routing reads).
    way_tags: Vec<WayTags>,
    way_nodes: Vec<u32>,
}

/// What one data block holds of the ways and relations (first pass).
#[derive(Default)]
struct WayBlock {
    counts: ElementCounts,
    has_nodes: bool,
    restrictions: Vec<RawRestriction>,
    ways: Vec<(OsmWayId, WayTags, u32)>,
    way_refs: Vec<i64>,
}

/// What one data block holds of the nodes routing needs (second pass), by index into the sorted
/// ids of the wanted nodes.
#[derive(Default)]
struct NodeBlock {
    nodes: u64,
    found: Vec<(u32, [i32; 2])>,
    restricting_nodes: Vec<(u32, NodeTags)>,
    controls: Vec<(u32, Control)>,
}

/// The ways and restrictions of a file, merged in file order, with the blobs that hold nodes.
struct WayPass {
    header: PbfHeader,
    counts: ElementCounts,
    restrictions: Vec<RawRestriction>,
    ways: Vec<HighwayWay>,
    way_tags: Vec<WayTags>,
    way_refs: Vec<i64>,
    node_blobs: Vec<usize>,
}

impl OsmExtract {
    /// Reads `path` in two passes, decoding blocks on every core: first the ways and relations,
    /// then only the nodes that routable ways and restrictions refer to (a region's file holds
    /// several times more nodes than its roads use, and their ids and positions were most of
    /// the memory an import held).
    ///
    /// # Errors
    /// See [`crate::pbf::decode_blocks`]: missing, non-PBF, corrupt, truncated or empty files.
    pub fn read(path: &Path, progress: &dyn Progress) -> Result<Self> {
        let WayPass {
            header,
            mut counts,
            restrictions,
            ways,
            way_tags,
            way_refs,
            node_blobs,
        } = read_ways(path, progress)?;
        let mut wanted = wanted_nodes(&way_refs, &restrictions);
        let wanted_index = IdIndex::new(&wanted);
        let mut way_nodes: Vec<u32> = way_refs
            .par_iter()
            .map(|id| wanted_index.find(&wanted, *id).unwrap_or(MISSING_NODE))
            .collect();
        drop(way_refs);
        let blocks = if node_blobs.is_empty() {
            Vec::new()
        } else {
            let select = |blob: usize| node_blobs.binary_search(&blob).is_ok();
            decode_selected(path, progress, select, |block| {
                node_block(block, &wanted, &wanted_index)
            })?
            .1
        };
        drop(wanted_index);
        let WantedNodes {
            mut positions,
            found,
            mut restricting_nodes,
            mut controls,
        } = gather_nodes(blocks, wanted.len(), &mut counts);
        let index_of = keep_found(&mut wanted, &mut positions, &found);
        drop(found);
        way_nodes
            .par_iter_mut()
            .for_each(|node| *node = index_of(*node));
        counts.missing_node_refs = way_nodes.iter().filter(|n| **n == MISSING_NODE).count() as u64;
        for (node, _) in &mut restricting_nodes {
            *node = index_of(*node);
        }
        for (node, _) in &mut controls {
            *node = index_of(*node);
        }
        Ok(OsmExtract {
            path: path.to_owned(),
            header,
            counts,
            node_ids: wanted,
            node_positions: positions,
            restricting_nodes,
            controls,
            restrictions,
            ways,
            way_tags,
            way_nodes,
        })
    }

    /// The file this was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the file header declares.
    pub fn header(&self) -> &PbfHeader {
        &self.header
    }

    /// Element counts of the whole file.
    pub fn counts(&self) -> &ElementCounts {
        &self.counts
    }

    /// Number of nodes held: those of routable ways and restrictions that the file has (see
    /// [`ElementCounts::nodes`] for all of the file's).
    pub fn node_count(&self) -> usize {
        self.node_ids.len()
    }

    /// The OSM id of a node, by index.
    pub fn node_id(&self, node: u32) -> OsmNodeId {
        OsmNodeId(self.node_ids[node as usize])
    }

    /// The position of a node, by index.
    pub fn node_coord(&self, node: u32) -> Coord {
        Coord::from_fixed(self.node_positions[node as usize])
    }

    /// The position of a node in OSM's fixed-point units (`[lat, lon]`, 1e-7 degree).
    pub fn node_position(&self, node: u32) -> [i32; 2] {
        self.node_positions[node as usize]
    }

    /// The nodes with restricting tags (barriers, height restrictors), by node index.
    pub fn restricting_nodes(&self) -> &[(u32, NodeTags)] {
        &self.restricting_nodes
    }

    /// The nodes with a traffic control (signals, stop and give-way signs, level crossings),
    /// by node index.
    pub fn controls(&self) -> &[(u32, Control)] {
        &self.controls
    }

    /// Every `type=restriction` relation of the file.
    pub fn restrictions(&self) -> &[RawRestriction] {
        &self.restrictions
    }

    /// The index of a node from its OSM id, if the file holds it.
    pub fn node_index(&self, id: OsmNodeId) -> Option<u32> {
        self.node_ids.binary_search(&id.0).ok().map(|i| i as u32)
    }

    /// Every routable highway way.
    pub fn ways(&self) -> &[HighwayWay] {
        &self.ways
    }

    /// The parsed tags of a way.
    pub fn way_tags(&self, way: &HighwayWay) -> &WayTags {
        &self.way_tags[way.tags as usize]
    }

    /// The nodes of a way, as node indices ([`MISSING_NODE`] where the file lacks the node).
    pub fn way_nodes(&self, way: &HighwayWay) -> &[u32] {
        let start = way.first_node as usize;
        &self.way_nodes[start..start + way.node_count as usize]
    }
}

/// Finds a node index from its id in the sorted id array with one table lookup and a search in
/// a small bucket, instead of a binary search over the whole array (ids are spread fairly evenly,
/// so buckets of equal id span hold a few nodes each).
struct IdIndex {
    min_id: i64,
    shift: u32,
    bucket_start: Vec<u32>,
}

impl IdIndex {
    fn new(sorted_ids: &[i64]) -> Self {
        let (Some(&min_id), Some(&max_id)) = (sorted_ids.first(), sorted_ids.last()) else {
            return IdIndex {
                min_id: 0,
                shift: 0,
                bucket_start: vec![0],
            };
        };
        let span = (max_id - min_id) as u64 + 1;
        let wanted = (sorted_ids.len() as u64).next_power_of_two();
        let shift = (span / wanted).max(1).ilog2();
        let buckets = (span >> shift) as usize + 1;
        let mut bucket_start = vec![0u32; buckets + 1];
        for id in sorted_ids {
            bucket_start[((id - min_id) >> shift) as usize + 1] += 1;
        }
        for b in 1..bucket_start.len() {
            bucket_start[b] += bucket_start[b - 1];
        }
        IdIndex {
            min_id,
            shift,
            bucket_start,
        }
    }

    fn find(&self, sorted_ids: &[i64], id: i64) -> Option<u32> {
        let bucket = usize::try_from((id.checked_sub(self.min_id)?) >> self.shift).ok()?;
        let start = *self.bucket_start.get(bucket)? as usize;
        let end = *self.bucket_start.get(bucket + 1)? as usize;
        let position = sorted_ids[start..end].binary_search(&id).ok()?;
        Some((start + position) as u32)
    }
}

/// First pass: decodes the ways and relations of every block (not their nodes) and merges them
/// in file order, noting which blobs hold nodes for the second pass.
fn read_ways(path: &Path, progress: &dyn Progress) -> Result<WayPass> {
    let (header, blocks) = decode_selected(path, progress, |_| true, way_block)?;
    let mut counts = ElementCounts::default();
    let way_total: usize = blocks.iter().map(|(_, b)| b.ways.len()).sum();
    let ref_total: usize = blocks.iter().map(|(_, b)| b.way_refs.len()).sum();
    let mut ways = Vec::with_capacity(way_total);
    let mut way_refs = Vec::with_capacity(ref_total);
    let mut restrictions = Vec::new();
    let mut node_blobs = Vec::new();
    let mut distinct = DistinctTags::default();
    for (blob, block) in blocks {
        counts.add(&block.counts);
        if block.has_nodes {
            node_blobs.push(blob);
        }
        restrictions.extend(block.restrictions);
        let mut first_node = way_refs.len() as u32;
        for (id, tags, node_count) in block.ways {
            ways.push(HighwayWay {
                id,
                tags: distinct.index_of(tags),
                first_node,
                node_count,
            });
            first_node += node_count;
        }
        way_refs.extend_from_slice(&block.way_refs);
    }
    Ok(WayPass {
        header,
        counts,
        restrictions,
        ways,
        way_tags: distinct.tags,
        way_refs,
        node_blobs,
    })
}

/// The wanted nodes found by the second pass, by index into their sorted ids.
struct WantedNodes {
    positions: Vec<[i32; 2]>,
    found: Vec<bool>,
    restricting_nodes: Vec<(u32, NodeTags)>,
    controls: Vec<(u32, Control)>,
}

/// Puts the second pass's blocks together, in file order, for `wanted` nodes in all; adds the
/// file's nodes to `counts`.
fn gather_nodes(
    blocks: Vec<(usize, NodeBlock)>,
    wanted: usize,
    counts: &mut ElementCounts,
) -> WantedNodes {
    let mut out = WantedNodes {
        positions: vec![[0i32; 2]; wanted],
        found: vec![false; wanted],
        restricting_nodes: Vec::new(),
        controls: Vec::new(),
    };
    for (_, block) in blocks {
        counts.nodes += block.nodes;
        for (index, position) in block.found {
            // A node id written twice keeps its first position, as in file order.
            if !std::mem::replace(&mut out.found[index as usize], true) {
                out.positions[index as usize] = position;
            }
        }
        out.restricting_nodes.extend(block.restricting_nodes);
        out.controls.extend(block.controls);
    }
    out
}

/// Tag sets numbered in order of first appearance, each kept once.
#[derive(Default)]
struct DistinctTags {
    tags: Vec<WayTags>,
    /// Each set's index, by its serialised bytes (equal bytes, equal values: floats included).
    index: HashMap<Vec<u8>, u32>,
}

impl DistinctTags {
    /// The index of `tags`, added if new.
    fn index_of(&mut self, tags: WayTags) -> u32 {
        let mut buffer = [0u8; 256];
        let Ok(bytes) = postcard::to_slice(&tags, &mut buffer) else {
            // Cannot happen (a tag set serialises to well under 256 bytes); stored apart.
            self.tags.push(tags);
            return (self.tags.len() - 1) as u32;
        };
        if let Some(index) = self.index.get(&bytes[..]) {
            return *index;
        }
        let index = self.tags.len() as u32;
        self.index.insert(bytes.to_vec(), index);
        self.tags.push(tags);
        index
    }
}

/// The ids of the nodes routing needs, sorted and unique: every node of a routable way, and
/// the via nodes of restrictions (so that a restriction through a node off the roads is told
/// apart from one through a node absent from the file).
fn wanted_nodes(way_refs: &[i64], restrictions: &[RawRestriction]) -> Vec<i64> {
    let via_nodes = restrictions
        .iter()
        .flat_map(|r| &r.members)
        .filter(|m| m.role == Some(Role::Via) && m.kind == MemberKind::Node)
        .map(|m| m.id);
    let mut ids: Vec<i64> = way_refs.iter().copied().chain(via_nodes).collect();
    ids.par_sort_unstable();
    ids.dedup();
    ids.shrink_to_fit();
    ids
}

/// Drops, in place, the wanted nodes the file does not hold (`found` is false), keeping the
/// others in id order; returns the new index of each old one ([`MISSING_NODE`] for the dropped,
/// and for [`MISSING_NODE`] itself).
fn keep_found(
    ids: &mut Vec<i64>,
    positions: &mut Vec<[i32; 2]>,
    found: &[bool],
) -> impl Fn(u32) -> u32 + Sync + use<> {
    let mut new_index = Vec::with_capacity(ids.len());
    let mut kept = 0;
    for old in 0..ids.len() {
        if found[old] {
            ids[kept] = ids[old];
            positions[kept] = positions[old];
            new_index.push(kept as u32);
            kept += 1;
        } else {
            new_index.push(MISSING_NODE);
        }
    }
    ids.truncate(kept);
    positions.truncate(kept);
    move |old: u32| new_index.get(old as usize).copied().unwrap_or(MISSING_NODE)
}

/// The members of a relation, and whether decoding them failed: `osmpbf` panics on a member
/// type outside the PBF specification, and no OSM input may stop an import.
fn restriction_members(relation: &osmpbf::Relation<'_>) -> (Vec<RestrictionMember>, bool) {
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        relation
            .members()
            .map(|m| RestrictionMember {
                role: m.role().ok().and_then(Role::parse),
                kind: match m.member_type {
                    osmpbf::RelMemberType::Node => MemberKind::Node,
                    osmpbf::RelMemberType::Way => MemberKind::Way,
                    osmpbf::RelMemberType::Relation => MemberKind::Relation,
                },
                id: m.member_id,
            })
            .collect()
    }));
    match decoded {
        Ok(members) => (members, false),
        Err(_) => (Vec::new(), true),
    }
}

/// The block's string table, each string validated once instead of at every tag access (an
/// invalid one reads as empty).
fn block_strings(block: &PrimitiveBlock) -> Vec<&str> {
    block
        .raw_stringtable()
        .iter()
        .map(|s| std::str::from_utf8(s).unwrap_or(""))
        .collect()
}

/// First pass over one block: its routable ways with their node ids, its restrictions, its
/// element counts but for nodes, and whether it holds nodes at all.
fn way_block(block: &PrimitiveBlock) -> WayBlock {
    let strings = block_strings(block);
    let text = |index: usize| strings.get(index).copied().unwrap_or("");
    let mut out = WayBlock::default();
    for group in block.groups() {
        out.has_nodes |= group.dense_nodes().len() > 0 || group.nodes().len() > 0;
        for way in group.ways() {
            out.counts.ways += 1;
            let tags = way
                .raw_tags()
                .map(|(k, v)| (text(k as usize), text(v as usize)));
            if !tags.clone().any(|(k, _)| k == "highway") {
                continue;
            }
            out.counts.highway_ways += 1;
            if let Some(tags) = WayTags::parse(tags) {
                out.counts.routable_ways += 1;
                let before = out.way_refs.len();
                out.way_refs.extend(way.refs());
                out.ways.push((
                    OsmWayId(way.id()),
                    tags,
                    (out.way_refs.len() - before) as u32,
                ));
            }
        }
        out.counts.relations += group.relations().len() as u64;
        for relation in group.relations() {
            let tags = relation
                .raw_tags()
                .map(|(k, v)| (text(k as usize), text(v as usize)));
            if let Some(tags) = RestrictionTags::parse(tags) {
                let (members, unreadable) = restriction_members(&relation);
                out.restrictions.push(RawRestriction {
                    id: relation.id(),
                    tags,
                    members,
                    unreadable,
                });
            }
        }
    }
    out
}

/// Second pass over one block: counts its nodes and keeps the position and routing tags of
/// those among `wanted` (sorted ids, indexed by `index`).
fn node_block(block: &PrimitiveBlock, wanted: &[i64], index: &IdIndex) -> NodeBlock {
    let strings = block_strings(block);
    let text = |index: usize| strings.get(index).copied().unwrap_or("");
    let mut out = NodeBlock::default();
    for group in block.groups() {
        for node in group.dense_nodes() {
            let tags = node
                .raw_tags()
                .map(|(k, v)| (text(k as usize), text(v as usize)));
            let position = [node.decimicro_lat(), node.decimicro_lon()];
            out.node(wanted, index, node.id(), position, tags);
        }
        for node in group.nodes() {
            let tags = node
                .raw_tags()
                .map(|(k, v)| (text(k as usize), text(v as usize)));
            let position = [node.decimicro_lat(), node.decimicro_lon()];
            out.node(wanted, index, node.id(), position, tags);
        }
    }
    out
}

impl NodeBlock {
    /// Counts one node of the block, dense or not, and keeps its position and routing tags
    /// when it is among `wanted` (sorted ids, indexed by `index`).
    fn node<'a>(
        &mut self,
        wanted: &[i64],
        index: &IdIndex,
        id: i64,
        position: [i32; 2],
        tags: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) {
        self.nodes += 1;
        let Some(at) = index.find(wanted, id) else {
            return;
        };
        self.found.push((at, position));
        // Most nodes have no tags: skip the parsers for them.
        if tags.clone().next().is_some() {
            self.node_tags(at, tags);
        }
    }

    /// Keeps what routing needs of a node's tags: restrictions on passing, traffic control.
    fn node_tags<'a>(&mut self, at: u32, tags: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
        if let Some(control) = Control::parse(tags.clone()) {
            self.controls.push((at, control));
        }
        if let Some(parsed) = NodeTags::parse(tags) {
            self.restricting_nodes.push((at, parsed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_index_finds_every_id_and_nothing_else() {
        let ids: Vec<i64> = (0..5_000).map(|i| 10 + i * i * 7 + (i % 13)).collect();
        let index = IdIndex::new(&ids);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.find(&ids, *id), Some(i as u32));
        }
        for absent in [-5, 0, 9, 12, ids[4_999] + 1, i64::MIN, i64::MAX] {
            assert_eq!(index.find(&ids, absent), None, "{absent}");
        }
        assert_eq!(IdIndex::new(&[]).find(&[], 3), None);
        assert_eq!(IdIndex::new(&[42]).find(&[42], 42), Some(0));
    }

    #[test]
    fn wanted_nodes_are_the_way_nodes_and_via_nodes_sorted_once_each() {
        let member = |role, kind, id| RestrictionMember {
            role: Some(role),
            kind,
            id,
        };
        let restriction = RawRestriction {
            id: 1,
            tags: RestrictionTags::default(),
            members: vec![
                member(Role::From, MemberKind::Way, 100),
                member(Role::Via, MemberKind::Node, 7),
                member(Role::To, MemberKind::Way, 101),
                member(Role::From, MemberKind::Node, 11),
            ],
            unreadable: false,
        };
        assert_eq!(
            wanted_nodes(&[9, 3, 5, 3, 9], &[restriction]),
            vec![3, 5, 7, 9]
        );
    }

    #[test]
    fn nodes_absent_from_the_file_are_dropped_and_the_rest_renumbered() {
        let mut ids = vec![3, 5, 7, 9];
        let mut positions = vec![[3, 3], [5, 5], [7, 7], [9, 9]];
        let index_of = keep_found(&mut ids, &mut positions, &[true, false, true, true]);
        assert_eq!(ids, vec![3, 7, 9]);
        assert_eq!(positions, vec![[3, 3], [7, 7], [9, 9]]);
        let renumbered: Vec<u32> = [0, 1, 2, 3, MISSING_NODE].map(index_of).to_vec();
        assert_eq!(renumbered, vec![0, MISSING_NODE, 1, 2, MISSING_NODE]);
    }
}
