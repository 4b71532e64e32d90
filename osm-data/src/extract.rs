//! The part of an extract that routing needs: highway ways with parsed tags, the coordinates of
//! every node, and the nodes that can stop a vehicle. Read once, shared by every profile.

use std::path::{Path, PathBuf};

use osmpbf::PrimitiveBlock;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::geo::Coord;
use crate::ids::{OsmNodeId, OsmWayId};
use crate::pbf::{PbfHeader, decode_blocks};
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

/// A routable highway way: its id, parsed tags, and nodes (indices into the extract's nodes).
#[derive(Clone, Debug)]
pub struct HighwayWay {
    /// The OSM way id.
    pub id: OsmWayId,
    /// Its parsed tags.
    pub tags: WayTags,
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
    way_nodes: Vec<u32>,
}

/// What one data block contributes, before merging.
#[derive(Default)]
struct BlockContent {
    counts: ElementCounts,
    node_ids: Vec<i64>,
    node_positions: Vec<[i32; 2]>,
    restricting_nodes: Vec<(i64, NodeTags)>,
    controls: Vec<(i64, Control)>,
    restrictions: Vec<RawRestriction>,
    ways: Vec<(OsmWayId, WayTags, u32)>,
    way_refs: Vec<i64>,
}

impl OsmExtract {
    /// Reads `path`, decoding blocks on every core.
    ///
    /// # Errors
    /// See [`crate::pbf::decode_blocks`]: missing, non-PBF, corrupt, truncated or empty files.
    pub fn read(path: &Path, progress: &dyn Progress) -> Result<Self> {
        let (header, blocks) = decode_blocks(path, progress, block_content)?;
        Ok(Self::merge(path, header, blocks))
    }

    fn merge(path: &Path, header: PbfHeader, blocks: Vec<BlockContent>) -> Self {
        let mut counts = ElementCounts::default();
        let node_total: usize = blocks.iter().map(|b| b.node_ids.len()).sum();
        let ref_total: usize = blocks.iter().map(|b| b.way_refs.len()).sum();
        let mut node_ids = Vec::with_capacity(node_total);
        let mut node_positions = Vec::with_capacity(node_total);
        let mut restricting = Vec::new();
        let mut controls = Vec::new();
        let mut restrictions = Vec::new();
        let mut ways = Vec::new();
        let mut way_refs = Vec::with_capacity(ref_total);
        for block in blocks {
            counts.add(&block.counts);
            node_ids.extend_from_slice(&block.node_ids);
            node_positions.extend_from_slice(&block.node_positions);
            restricting.extend(block.restricting_nodes);
            controls.extend(block.controls);
            restrictions.extend(block.restrictions);
            let mut first_node = way_refs.len() as u32;
            for (id, tags, node_count) in block.ways {
                ways.push(HighwayWay {
                    id,
                    tags,
                    first_node,
                    node_count,
                });
                first_node += node_count;
            }
            way_refs.extend_from_slice(&block.way_refs);
        }
        sort_nodes_by_id(&mut node_ids, &mut node_positions);
        let id_index = IdIndex::new(&node_ids);
        let index_of = |id: &i64| id_index.find(&node_ids, *id);
        let way_nodes: Vec<u32> = way_refs
            .par_iter()
            .map(|id| index_of(id).unwrap_or(MISSING_NODE))
            .collect();
        counts.missing_node_refs = way_nodes.iter().filter(|n| **n == MISSING_NODE).count() as u64;
        let restricting_nodes = restricting
            .into_iter()
            .filter_map(|(id, tags)| index_of(&id).map(|index| (index, tags)))
            .collect();
        let controls = controls
            .into_iter()
            .filter_map(|(id, control)| index_of(&id).map(|index| (index, control)))
            .collect();
        OsmExtract {
            path: path.to_owned(),
            header,
            counts,
            node_ids,
            node_positions,
            restricting_nodes,
            controls,
            restrictions,
            ways,
            way_nodes,
        }
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

    /// Number of nodes in the file.
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

/// Sorts nodes by id (PBF files are normally sorted already, so this is usually a check) and
/// drops duplicate ids, keeping the first occurrence.
fn sort_nodes_by_id(ids: &mut Vec<i64>, positions: &mut Vec<[i32; 2]>) {
    if ids.windows(2).all(|w| w[0] < w[1]) {
        return;
    }
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i]);
    order.dedup_by_key(|i| ids[*i]);
    *positions = order.iter().map(|&i| positions[i]).collect();
    *ids = order.iter().map(|&i| ids[i]).collect();
}

impl BlockContent {
    /// Keeps what routing needs of a node's tags: restrictions on passing, traffic control.
    fn node_tags<'a>(&mut self, id: i64, tags: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
        if let Some(control) = Control::parse(tags.clone()) {
            self.controls.push((id, control));
        }
        if let Some(parsed) = NodeTags::parse(tags) {
            self.restricting_nodes.push((id, parsed));
        }
    }
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

fn block_content(block: &PrimitiveBlock) -> BlockContent {
    // Validate each string of the block once, instead of at every tag access.
    let strings: Vec<&str> = block
        .raw_stringtable()
        .iter()
        .map(|s| std::str::from_utf8(s).unwrap_or(""))
        .collect();
    let text = |index: usize| strings.get(index).copied().unwrap_or("");
    let mut out = BlockContent::default();
    for group in block.groups() {
        let dense = group.dense_nodes();
        out.node_ids.reserve(dense.len() + group.nodes().len());
        out.node_positions
            .reserve(dense.len() + group.nodes().len());
        for node in dense {
            out.node_ids.push(node.id());
            out.node_positions
                .push([node.decimicro_lat(), node.decimicro_lon()]);
            let mut tags = node.raw_tags().peekable();
            if tags.peek().is_some() {
                let tags = tags.map(|(k, v)| (text(k as usize), text(v as usize)));
                out.node_tags(node.id(), tags);
            }
        }
        for node in group.nodes() {
            out.node_ids.push(node.id());
            out.node_positions
                .push([node.decimicro_lat(), node.decimicro_lon()]);
            let tags = node
                .raw_tags()
                .map(|(k, v)| (text(k as usize), text(v as usize)));
            out.node_tags(node.id(), tags);
        }
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
    out.counts.nodes = out.node_ids.len() as u64;
    out
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
    fn unsorted_nodes_are_sorted_and_deduplicated() {
        let mut ids = vec![5, 3, 9, 3];
        let mut positions = vec![[5, 5], [3, 3], [9, 9], [4, 4]];
        sort_nodes_by_id(&mut ids, &mut positions);
        assert_eq!(ids, vec![3, 5, 9]);
        assert_eq!(positions, vec![[3, 3], [5, 5], [9, 9]]);
    }
}
