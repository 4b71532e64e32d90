//! Last step of a graph build: number the kept junctions, concatenate each chain's geometry with
//! cumulative lengths and times (on every core), and store the directed edges grouped by tail.

use std::collections::HashMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::extract::OsmExtract;
use crate::geo::{Coord, short_distance_m};
use crate::ids::{EdgeIdx, NodeIdx, SegmentIdx};
use crate::profile::Profile;
use crate::turns::cost::TurnCosts;
use crate::weight::Weight;

use super::chains::{Chains, OrientedPiece};
use super::split::Pieces;
use super::{Edge, GraphStats, RoadGraph, Segment};

/// Chains handled by one parallel task: large enough to amortise scheduling.
const CHAINS_PER_TASK: usize = 2_048;

/// Milliseconds to travel `metres` at `kmh`, rounded to the nearest.
fn travel_ms(metres: f64, kmh: f32) -> u32 {
    round_to_u32(metres * 3_600.0 / f64::from(kmh))
}

/// Rounds a non-negative value to the nearest integer (saturating); cheaper than `f64::round`,
/// which is a library call on baseline x86-64.
fn round_to_u32(value: f64) -> u32 {
    (value + 0.5) as u32
}

/// What a chain's geometry adds up to.
#[derive(Clone, Copy, Default)]
struct ChainTotals {
    length_cm: u32,
    forward_ms: u32,
    backward_ms: u32,
    forward_open: bool,
    backward_open: bool,
}

/// The output arrays of one task: the points of a run of consecutive chains.
struct PointSlices<'a> {
    coords: &'a mut [[i32; 2]],
    length_cm: &'a mut [u32],
    forward_ms: &'a mut [u32],
    backward_ms: &'a mut [u32],
}

pub(crate) fn lay_out(
    extract: &OsmExtract,
    profile: &Profile,
    pieces: &Pieces,
    chains: &Chains,
) -> RoadGraph {
    let (node_of, node_positions, node_osm_ids) = number_junctions(extract, pieces, chains);
    let costs = TurnCosts::of(profile);
    // Signals, signs and crossings inside a chain delay the unit on its way along it.
    let delays: HashMap<u32, u32> = extract
        .controls()
        .iter()
        .map(|&(node, control)| (node, costs.control_ms(control)))
        .filter(|(_, ms)| *ms > 0)
        .collect();

    // Each chain holds one point per piece point, minus the junction shared by consecutive pieces.
    let mut first_point = Vec::with_capacity(chains.len() + 1);
    first_point.push(0u32);
    for c in 0..chains.len() {
        let points: u32 = chains
            .pieces(c)
            .iter()
            .map(|p| pieces.pieces[p.piece as usize].point_count - 1)
            .sum();
        first_point.push(first_point[first_point.len() - 1] + points + 1);
    }
    let total_points = first_point[chains.len()] as usize;
    let mut coords = vec![[0i32; 2]; total_points];
    let mut length_cm = vec![0u32; total_points];
    let mut forward_ms = vec![0u32; total_points];
    let mut backward_ms = vec![0u32; total_points];

    let mut tasks = Vec::new();
    {
        let mut rest = PointSlices {
            coords: &mut coords,
            length_cm: &mut length_cm,
            forward_ms: &mut forward_ms,
            backward_ms: &mut backward_ms,
        };
        for start in (0..chains.len()).step_by(CHAINS_PER_TASK) {
            let end = (start + CHAINS_PER_TASK).min(chains.len());
            let len = (first_point[end] - first_point[start]) as usize;
            let (head, tail) = rest.split_at(len);
            tasks.push((start..end, head));
            rest = tail;
        }
    }
    let totals: Vec<ChainTotals> = tasks
        .into_par_iter()
        .flat_map_iter(|(range, mut out)| {
            let offset = first_point[range.start];
            range
                .map(|c| {
                    let at = (first_point[c] - offset) as usize;
                    let len = (first_point[c + 1] - first_point[c]) as usize;
                    measure_chain(
                        extract,
                        pieces,
                        chains.pieces(c),
                        &delays,
                        out.window(at, len),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();

    let mut graph = RoadGraph {
        profile: profile.clone(),
        stats: GraphStats {
            source: Default::default(),
            nodes: node_positions.len(),
            edges: 0,
            segments: chains.len(),
            road_km: 0.0,
            usable_km: 0.0,
            dropped_nodes: 0,
            usable_ways: 0,
            turn_nodes: 0,
            turns: 0,
            restrictions: Default::default(),
            build_time: Duration::ZERO,
            turn_time: Duration::ZERO,
        },
        node_positions: node_positions.into(),
        first_out: Default::default(),
        edges: Vec::with_capacity(chains.len() * 2),
        segments: Vec::with_capacity(chains.len()),
        points: coords.into(),
        cum_length_cm: length_cm.into(),
        cum_forward_ms: forward_ms.into(),
        cum_backward_ms: backward_ms.into(),
        segment_ways: Default::default(),
        node_osm_ids: node_osm_ids.into(),
        turns: Default::default(),
    };
    let mut total_cm = 0u64;
    let mut segment_ways = Vec::with_capacity(chains.piece_count());
    for (index, t) in totals.iter().enumerate() {
        let (from, to) = chains.ends(index);
        let (from, to) = (node_of[from as usize], node_of[to as usize]);
        let segment = SegmentIdx(index as u32);
        let first_way = segment_ways.len() as u32;
        for oriented in chains.pieces(index) {
            let way = pieces.pieces[oriented.piece as usize].way;
            if segment_ways.len() == first_way as usize || segment_ways.last() != Some(&way) {
                segment_ways.push(way);
            }
        }
        total_cm += u64::from(t.length_cm);
        if t.forward_open {
            graph.edges.push(Edge {
                tail: from,
                head: to,
                weight: Weight::new(t.forward_ms, t.length_cm),
                segment,
                reversed: false,
            });
        }
        if t.backward_open {
            graph.edges.push(Edge {
                tail: to,
                head: from,
                weight: Weight::new(t.backward_ms, t.length_cm),
                segment,
                reversed: true,
            });
        }
        graph.segments.push(Segment {
            from,
            to,
            forward: None,
            backward: None,
            first_point: first_point[index],
            point_count: first_point[index + 1] - first_point[index],
            first_way,
            way_count: segment_ways.len() as u32 - first_way,
        });
    }
    graph.segment_ways = segment_ways.into();
    graph.index_edges();
    graph.stats.edges = graph.edges.len();
    graph.stats.road_km = total_cm as f64 / 100_000.0;
    graph
}

/// Gives each junction at a chain end a node index, in order of first appearance; returns the
/// index of each junction, and the position and OSM id of each node.
fn number_junctions(
    extract: &OsmExtract,
    pieces: &Pieces,
    chains: &Chains,
) -> (Vec<NodeIdx>, Vec<[i32; 2]>, Vec<i64>) {
    let mut node_of = vec![NodeIdx(u32::MAX); pieces.junction_nodes.len()];
    let mut coords = Vec::new();
    let mut ids = Vec::new();
    for c in 0..chains.len() {
        let (from, to) = chains.ends(c);
        for junction in [from, to] {
            let slot = &mut node_of[junction as usize];
            if slot.0 == u32::MAX {
                *slot = NodeIdx(coords.len() as u32);
                let node = pieces.junction_nodes[junction as usize];
                coords.push(extract.node_position(node));
                ids.push(extract.node_id(node).0);
            }
        }
    }
    (node_of, coords, ids)
}

/// Writes a chain's points with cumulative length and times (with the delay, ms, of each
/// controlled node passed inside the chain); returns its totals.
fn measure_chain(
    extract: &OsmExtract,
    pieces: &Pieces,
    chain: &[OrientedPiece],
    delays: &HashMap<u32, u32>,
    out: PointSlices<'_>,
) -> ChainTotals {
    let mut t = ChainTotals::default();
    let mut written = 0;
    for (i, oriented) in chain.iter().enumerate() {
        let piece = &pieces.pieces[oriented.piece as usize];
        let range = piece.first_point as usize..(piece.first_point + piece.point_count) as usize;
        let nodes = &pieces.points[range];
        let (mut along, mut against) = (piece.forward_kmh, piece.backward_kmh);
        if oriented.reversed {
            std::mem::swap(&mut along, &mut against);
        }
        let in_order = |k: usize| {
            let k = if oriented.reversed {
                nodes.len() - 1 - k
            } else {
                k
            };
            extract.node_position(nodes[k])
        };
        let mut previous_fixed = in_order(0);
        let mut previous = Coord::from_fixed(previous_fixed);
        if i == 0 {
            out.coords[0] = previous_fixed;
            written = 1;
            (t.forward_open, t.backward_open) = (along.is_some(), against.is_some());
        }
        for k in 1..nodes.len() {
            let next_fixed = in_order(k);
            let next = Coord::from_fixed(next_fixed);
            let metres = short_distance_m(previous, next);
            t.length_cm += round_to_u32(metres * 100.0);
            t.forward_ms += along.map_or(0, |kmh| travel_ms(metres, kmh));
            t.backward_ms += against.map_or(0, |kmh| travel_ms(metres, kmh));
            let inside = i + 1 < chain.len() || k + 1 < nodes.len();
            let node = nodes[if oriented.reversed {
                nodes.len() - 1 - k
            } else {
                k
            }];
            if let Some(delay) = delays.get(&node).filter(|_| inside) {
                t.forward_ms += along.map_or(0, |_| *delay);
                t.backward_ms += against.map_or(0, |_| *delay);
            }
            out.coords[written] = next_fixed;
            out.length_cm[written] = t.length_cm;
            out.forward_ms[written] = t.forward_ms;
            out.backward_ms[written] = t.backward_ms;
            written += 1;
            previous = next;
            previous_fixed = next_fixed;
        }
    }
    t
}

impl<'a> PointSlices<'a> {
    fn split_at(self, mid: usize) -> (PointSlices<'a>, PointSlices<'a>) {
        let (c0, c1) = self.coords.split_at_mut(mid);
        let (l0, l1) = self.length_cm.split_at_mut(mid);
        let (f0, f1) = self.forward_ms.split_at_mut(mid);
        let (b0, b1) = self.backward_ms.split_at_mut(mid);
        (
            PointSlices {
                coords: c0,
                length_cm: l0,
                forward_ms: f0,
                backward_ms: b0,
            },
            PointSlices {
                coords: c1,
                length_cm: l1,
                forward_ms: f1,
                backward_ms: b1,
            },
        )
    }

    fn window(&mut self, at: usize, len: usize) -> PointSlices<'_> {
        PointSlices {
            coords: &mut self.coords[at..at + len],
            length_cm: &mut self.length_cm[at..at + len],
            forward_ms: &mut self.forward_ms[at..at + len],
            backward_ms: &mut self.backward_ms[at..at + len],
        }
    }
}

impl RoadGraph {
    /// Groups edges by tail (CSR, by a counting sort) and records each segment's edge indices.
    fn index_edges(&mut self) {
        let mut first_out = vec![0; self.node_positions.len() + 1];
        for edge in &self.edges {
            first_out[edge.tail.index() + 1] += 1;
        }
        for i in 1..first_out.len() {
            first_out[i] += first_out[i - 1];
        }
        let mut next = first_out.clone();
        self.first_out = first_out.into();
        let mut grouped = self.edges.clone();
        for edge in &self.edges {
            let slot = &mut next[edge.tail.index()];
            grouped[*slot as usize] = *edge;
            *slot += 1;
        }
        self.edges = grouped;
        for (i, edge) in self.edges.iter().enumerate() {
            let segment = &mut self.segments[edge.segment.index()];
            let slot = if edge.reversed {
                &mut segment.backward
            } else {
                &mut segment.forward
            };
            *slot = Some(EdgeIdx(i as u32));
        }
    }
}
