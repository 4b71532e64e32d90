//! A routable road graph for one profile: junctions, directed edges, and road segments with
//! their full geometry.
//!
//! Built from an [`OsmExtract`] in four steps: [`split`] the usable ways at junctions, keep the
//! largest strongly connected [`components`], merge degree-two [`chains`], then lay the result
//! out in flat arrays ([`layout`]).

mod chains;
mod components;

pub(crate) use components::largest_of_array;
mod layout;
mod split;
mod stored;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::array::Array;
use crate::error::{Error, Result};
use crate::extract::{ElementCounts, OsmExtract};
use crate::geo::Coord;
use crate::ids::{EdgeIdx, NodeIdx, OsmNodeId, OsmWayId, SegmentIdx};
use crate::profile::Profile;
use crate::progress::{Progress, Stage};
use crate::turns::TurnGraph;
use crate::turns::restrict::RestrictionReport;
use crate::weight::Weight;

/// One way of travelling along a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// Where the edge starts.
    pub tail: NodeIdx,
    /// Where the edge ends.
    pub head: NodeIdx,
    /// Time and length of the whole segment in this direction.
    pub weight: Weight,
    /// The segment travelled.
    pub segment: SegmentIdx,
    /// Whether the edge runs against the segment's point order.
    pub reversed: bool,
}

/// A stretch of road between two junctions, with its geometry and its one or two edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Junction at the first point.
    pub from: NodeIdx,
    /// Junction at the last point.
    pub to: NodeIdx,
    /// The edge from `from` to `to`, if that direction is open.
    pub forward: Option<EdgeIdx>,
    /// The edge from `to` to `from`, if that direction is open.
    pub backward: Option<EdgeIdx>,
    first_point: u32,
    point_count: u32,
    first_way: u32,
    way_count: u32,
}

/// Size and shape of a built graph, as reported by `tournee import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GraphStats {
    /// What the extract held.
    pub source: ElementCounts,
    /// Junctions kept.
    pub nodes: usize,
    /// Directed edges.
    pub edges: usize,
    /// Road segments (one or two edges each).
    pub segments: usize,
    /// Total length of road kept, each segment counted once, km.
    pub road_km: f64,
    /// Total length of road the profile may use, islands included, km.
    pub usable_km: f64,
    /// Junctions dropped because they lie outside the largest strongly connected component.
    pub dropped_nodes: usize,
    /// Ways the profile may use.
    pub usable_ways: usize,
    /// Nodes of the turn-aware search graph: one per direction of each segment, plus the
    /// copies that via-way restrictions need.
    pub turn_nodes: usize,
    /// Turns allowed at junctions (arcs of the turn-aware search graph).
    pub turns: usize,
    /// What became of the extract's turn restrictions for this profile.
    pub restrictions: RestrictionReport,
    /// Time spent building the graph from the decoded extract.
    #[serde(with = "crate::seconds")]
    pub build_time: Duration,
    /// Part of `build_time` spent expanding the turn graph (turn costs, restrictions), which
    /// region-scale measurements need apart.
    #[serde(with = "crate::seconds")]
    pub turn_time: Duration,
}

/// A profile's road network, ready for snapping and searching.
///
/// Its arrays are [`Array`]s: a cached graph's lie in place in the mapped cache file (see
/// [`stored`]); edges and segments, whose fields are not all plain numbers, are rebuilt from
/// their stored records.
#[derive(Clone, Debug)]
pub struct RoadGraph {
    profile: Profile,
    stats: GraphStats,
    /// Junction positions, fixed point (see [`Coord::from_fixed`]).
    node_positions: Array<[i32; 2]>,
    first_out: Array<u32>,
    edges: Vec<Edge>,
    segments: Vec<Segment>,
    /// Geometry of every segment, fixed point.
    points: Array<[i32; 2]>,
    /// Per point: length from the segment's first point, cm.
    cum_length_cm: Array<u32>,
    /// Per point: time from the first point travelling forward, ms.
    cum_forward_ms: Array<u32>,
    /// Per point: time from this point back to the first point travelling backward, ms.
    cum_backward_ms: Array<u32>,
    segment_ways: Array<OsmWayId>,
    /// The OSM node under each junction.
    node_osm_ids: Array<i64>,
    /// The turn-aware search graph.
    turns: TurnGraph,
}

/// Where a position along a segment lies, in the units of the cumulative arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentOffset {
    /// Length from the segment's first point, cm.
    pub length_cm: u32,
    /// Forward travel time from the first point, ms.
    pub forward_ms: u32,
    /// Backward travel time from here to the first point, ms.
    pub backward_ms: u32,
}

impl RoadGraph {
    /// Builds the graph of `profile` from a decoded extract.
    ///
    /// # Errors
    /// [`Error::InvalidProfile`] for a profile out of range, [`Error::NoRoads`] when no way of
    /// the extract is usable by the profile.
    pub fn build(extract: &OsmExtract, profile: &Profile, progress: &dyn Progress) -> Result<Self> {
        profile.validate()?;
        let started = Instant::now();
        progress.start(Stage::Building, 3);
        let pieces = split::split_ways(extract, profile);
        progress.advance(1);
        let junctions = pieces.junction_nodes.len();
        let in_component = components::largest_component(junctions, &pieces.pieces);
        let kept_pieces: Vec<bool> = pieces
            .pieces
            .iter()
            .map(|p| in_component[p.from as usize] && in_component[p.to as usize])
            .collect();
        progress.advance(1);
        let chains = chains::build_chains(junctions, &pieces.pieces, &kept_pieces);
        if chains.is_empty() {
            return Err(Error::NoRoads {
                path: extract.path().to_owned(),
                profile: profile.kind,
            });
        }
        let mut graph = layout::lay_out(extract, profile, &pieces, &chains);
        let dropped_m: f64 = pieces
            .pieces
            .iter()
            .zip(&kept_pieces)
            .filter(|(_, kept)| !**kept)
            .map(|(piece, _)| pieces.length_m(extract, piece))
            .sum();
        graph.stats.usable_km = graph.stats.road_km + dropped_m / 1000.0;
        graph.stats.dropped_nodes = in_component.iter().filter(|kept| !**kept).count();
        graph.stats.usable_ways = pieces.usable_ways;
        // The turn graph is the build's largest step: the pieces (172 MB on Malta 8 × 8) and
        // chains are done with.
        drop((pieces, chains, kept_pieces, in_component));
        crate::memory::release_free_memory();
        let turns_started = Instant::now();
        let (turns, restrictions) = TurnGraph::build(extract, &graph, profile);
        graph.stats.turn_time = turns_started.elapsed();
        graph.stats.turn_nodes = turns.node_count();
        graph.stats.turns = turns.arc_count();
        graph.stats.restrictions = restrictions;
        graph.turns = turns;
        progress.advance(1);
        graph.stats.source = *extract.counts();
        graph.stats.build_time = started.elapsed();
        Ok(graph)
    }

    /// The profile the graph was built for.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Size, shape and build time.
    pub fn stats(&self) -> &GraphStats {
        &self.stats
    }

    /// Number of junctions.
    pub fn node_count(&self) -> usize {
        self.node_positions.len()
    }

    /// The OSM node under a junction.
    pub fn node_osm_id(&self, node: NodeIdx) -> OsmNodeId {
        OsmNodeId(self.node_osm_ids[node.index()])
    }

    /// The turn-aware search graph: turns allowed, their costs, restrictions applied.
    pub fn turns(&self) -> &TurnGraph {
        &self.turns
    }

    /// Position of a junction.
    pub fn node_coord(&self, node: NodeIdx) -> Coord {
        Coord::from_fixed(self.node_positions[node.index()])
    }

    /// Every directed edge, grouped by tail.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// One edge.
    pub fn edge(&self, edge: EdgeIdx) -> &Edge {
        &self.edges[edge.index()]
    }

    /// The edges leaving a junction, with their indices.
    pub fn out_edges(&self, node: NodeIdx) -> impl Iterator<Item = (EdgeIdx, &Edge)> {
        let range =
            self.first_out[node.index()] as usize..self.first_out[node.index() + 1] as usize;
        range.map(|i| (EdgeIdx(i as u32), &self.edges[i]))
    }

    /// Every segment.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// One segment.
    pub fn segment(&self, segment: SegmentIdx) -> &Segment {
        &self.segments[segment.index()]
    }

    /// The geometry of a segment, from `from` to `to`.
    pub fn segment_points(
        &self,
        segment: SegmentIdx,
    ) -> impl ExactSizeIterator<Item = Coord> + DoubleEndedIterator + '_ {
        self.points[self.point_range(segment)]
            .iter()
            .map(|p| Coord::from_fixed(*p))
    }

    /// The OSM ways a segment runs along, in order.
    pub fn segment_ways(&self, segment: SegmentIdx) -> &[OsmWayId] {
        let s = &self.segments[segment.index()];
        &self.segment_ways[s.first_way as usize..(s.first_way + s.way_count) as usize]
    }

    /// The offset of point `point` (an index into [`RoadGraph::segment_points`]).
    pub fn point_offset(&self, segment: SegmentIdx, point: usize) -> SegmentOffset {
        let i = self.point_range(segment).start + point;
        SegmentOffset {
            length_cm: self.cum_length_cm[i],
            forward_ms: self.cum_forward_ms[i],
            backward_ms: self.cum_backward_ms[i],
        }
    }

    /// The offset of the segment's last point: its total length and times.
    pub fn segment_end(&self, segment: SegmentIdx) -> SegmentOffset {
        let s = &self.segments[segment.index()];
        self.point_offset(segment, s.point_count as usize - 1)
    }

    /// The fixed-point geometry of an edge in its direction of travel, from its tail junction
    /// to its head junction.
    pub(crate) fn edge_fixed_points(&self, edge: &Edge) -> impl Iterator<Item = [i32; 2]> + '_ {
        let points = &self.points[self.point_range(edge.segment)];
        let last = points.len().saturating_sub(1);
        let reversed = edge.reversed;
        (0..points.len()).map(move |i| points[if reversed { last - i } else { i }])
    }

    fn point_range(&self, segment: SegmentIdx) -> std::ops::Range<usize> {
        let s = &self.segments[segment.index()];
        s.first_point as usize..(s.first_point + s.point_count) as usize
    }
}
