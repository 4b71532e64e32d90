//! The turn-aware search graph: one node per direction of travel along a road segment (a road
//! edge), one arc per turn a unit may make from one edge onto the next, weighted by the turn's
//! cost plus the time and length of the edge turned onto.
//!
//! Turn restrictions remove arcs; a restriction through one or more via ways copies the via
//! edges, so that the copies (entered only from the `from` edge) lack the forbidden exit while
//! the originals keep it. Snapping, matrices and routes all search this graph, so every
//! travel time includes the turns of its route, and a route's geometry is the path the matrix
//! entry measured.

pub mod cost;
mod lists;
pub mod restrict;
pub(crate) mod seeds;

use std::collections::HashMap;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::array::Array;
use crate::cache::{CacheMiss, SectionReader, SectionWriter};
use crate::extract::OsmExtract;
use crate::graph::RoadGraph;
use crate::ids::{EdgeIdx, NodeIdx};
use crate::profile::Profile;
use crate::tags::{Control, TurnRule};
use crate::weight::Weight;

use cost::{DrivingSide, TurnCosts};
use lists::TurnLists;
use restrict::{EdgeRule, RestrictionReport};

/// The turn graph of one profile's road graph.
#[derive(Clone, Debug, Default)]
pub struct TurnGraph {
    /// The road edge each turn node travels (the first `edges` nodes are the edges
    /// themselves, in order; copies made for via-way restrictions follow).
    base: Array<u32>,
    first_out: Array<u32>,
    head: Array<u32>,
    /// The turn's own cost, ms (the head edge's weight is added when the arc is read).
    cost_ms: Array<u32>,
    /// Per road edge: the arcs entering any node that travels it, as [tail node, arc].
    first_in: Array<u32>,
    in_arcs: Array<[u32; 2]>,
    /// Whether a node lies in the largest strongly connected part of the turn graph: from
    /// such a node every other one is reachable, and back.
    core: Array<bool>,
    side: Option<DrivingSide>,
}

/// One arc of the turn graph, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TurnArc {
    /// The node turned onto.
    pub head: u32,
    /// The turn's cost plus the head edge's time and length.
    pub weight: Weight,
}

impl TurnGraph {
    /// Builds the turn graph of `graph`: every turn the profile allows at every junction, its
    /// cost, and the restrictions of `extract` that apply to the profile.
    pub(crate) fn build(
        extract: &OsmExtract,
        graph: &RoadGraph,
        profile: &Profile,
    ) -> (Self, RestrictionReport) {
        let costs = TurnCosts::of(profile);
        let side = driving_side(graph);
        let edges = graph.edges();
        let mut in_edges: Vec<Vec<EdgeIdx>> = vec![Vec::new(); graph.node_count()];
        for (i, edge) in edges.iter().enumerate() {
            in_edges[edge.head.index()].push(EdgeIdx(i as u32));
        }
        let controls = junction_controls(extract, graph);
        let bearings: Vec<(f64, f64)> = (0..edges.len() as u32)
            .into_par_iter()
            .map(|e| edge_bearings(graph, EdgeIdx(e)))
            .collect();
        let roads = roads_at_junctions(graph);
        let mut out = TurnLists::collect(edges.len(), |e| {
            let edge = &edges[e];
            let at = edge.head;
            let counts = roads[at.index()] > 2;
            let is_u =
                |o: &crate::graph::Edge| o.segment == edge.segment && o.reversed != edge.reversed;
            let dead_end = graph.out_edges(at).all(|(_, o)| is_u(o));
            graph
                .out_edges(at)
                .filter_map(|(next, o)| {
                    let angle = turn_angle(bearings[e].1, bearings[next.index()].0);
                    let cost = costs.turn_ms(
                        angle,
                        side,
                        is_u(o),
                        dead_end,
                        counts,
                        controls.get(&at).copied(),
                    )?;
                    Some((next.0, cost))
                })
                .collect()
        });
        let (rules, report) = restrict::resolve(extract, graph, profile, &in_edges);
        drop((bearings, controls));
        let mut base: Vec<u32> = (0..edges.len() as u32).collect();
        apply_rules(&mut out, &mut base, &rules);
        drop((in_edges, rules));
        out.compact();
        let mut turns = TurnGraph::from_lists(out, base, edges.len());
        crate::memory::release_free_memory();
        turns.side = Some(side);
        turns.core = turns.largest_component().into();
        (turns, report)
    }

    fn from_lists(out: TurnLists, base: Vec<u32>, edge_count: usize) -> Self {
        let TurnLists {
            first_out,
            head,
            cost_ms,
        } = out;
        let mut first_in = vec![0u32; edge_count + 1];
        for &h in &head {
            first_in[base[h as usize] as usize + 1] += 1;
        }
        for i in 1..first_in.len() {
            first_in[i] += first_in[i - 1];
        }
        let mut next = first_in.clone();
        let mut in_arcs = vec![[0u32; 2]; head.len()];
        for tail in 0..first_out.len() - 1 {
            for arc in first_out[tail] as usize..first_out[tail + 1] as usize {
                let slot = &mut next[base[head[arc] as usize] as usize];
                in_arcs[*slot as usize] = [tail as u32, arc as u32];
                *slot += 1;
            }
        }
        TurnGraph {
            base: base.into(),
            first_out: first_out.into(),
            head: head.into(),
            cost_ms: cost_ms.into(),
            first_in: first_in.into(),
            in_arcs: in_arcs.into(),
            core: Array::default(),
            side: None,
        }
    }

    fn largest_component(&self) -> Vec<bool> {
        crate::graph::largest_of_array(&self.first_out, &self.head)
    }

    /// Number of turn nodes (road edges and their copies).
    pub fn node_count(&self) -> usize {
        self.base.len()
    }

    /// Number of arcs (allowed turns).
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// The road edge a turn node travels.
    pub fn base(&self, node: u32) -> EdgeIdx {
        EdgeIdx(self.base[node as usize])
    }

    /// Whether a via-way restriction copied `edge`: a unit on it is then bound by where it
    /// came from, which a stop in the middle of it forgets.
    pub fn has_copies(&self, edge: EdgeIdx) -> bool {
        let edges = self.first_in.len().saturating_sub(1);
        self.base
            .get(edges..)
            .is_some_and(|copies| copies.contains(&edge.0))
    }

    /// Whether every other node of the core is reachable from `node` and back.
    pub fn in_core(&self, node: u32) -> bool {
        self.core.get(node as usize).copied().unwrap_or(false)
    }

    /// The side traffic keeps to, found from the network's position.
    pub fn driving_side(&self) -> Option<DrivingSide> {
        self.side
    }

    /// The turns out of a node, with their weights on `graph`.
    pub fn arcs<'a>(
        &'a self,
        graph: &'a RoadGraph,
        node: u32,
    ) -> impl Iterator<Item = TurnArc> + 'a {
        let range =
            self.first_out[node as usize] as usize..self.first_out[node as usize + 1] as usize;
        range.map(move |a| self.arc(graph, a))
    }

    /// Turn `a` (of [`TurnGraph::arc_count`]) with its tail node, found by a binary search:
    /// for visiting every turn on every core.
    pub fn arc_at(&self, graph: &RoadGraph, a: usize) -> (u32, TurnArc) {
        let tail = self.first_out.partition_point(|&first| first as usize <= a) - 1;
        (tail as u32, self.arc(graph, a))
    }

    fn arc(&self, graph: &RoadGraph, a: usize) -> TurnArc {
        let head = self.head[a];
        TurnArc {
            head,
            weight: Weight::new(self.cost_ms[a], 0) + graph.edge(self.base(head)).weight,
        }
    }

    /// The turns onto road edge `edge` (onto any of its nodes): (tail node, turn cost alone).
    pub fn turns_onto(&self, edge: EdgeIdx) -> impl Iterator<Item = (u32, Weight)> + '_ {
        let range = self.first_in[edge.index()] as usize..self.first_in[edge.index() + 1] as usize;
        self.in_arcs[range]
            .iter()
            .map(|&[tail, arc]| (tail, Weight::new(self.cost_ms[arc as usize], 0)))
    }

    /// Writes the turn graph to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.value(&self.side)?;
        out.array(&self.base)?;
        out.array(&self.first_out)?;
        out.array(&self.head)?;
        out.array(&self.cost_ms)?;
        out.array(&self.first_in)?;
        out.array(&self.in_arcs)?;
        out.array(&self.core)
    }

    /// Reads what [`TurnGraph::write_sections`] wrote.
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        Ok(TurnGraph {
            side: input.value()?,
            base: input.array()?,
            first_out: input.array()?,
            head: input.array()?,
            cost_ms: input.array()?,
            first_in: input.array()?,
            in_arcs: input.array()?,
            core: input.array()?,
        })
    }
}

/// Applies the restrictions: first every via-node rule (removing arcs of the edges
/// themselves), then every via-way rule (copying via edges, so that copies inherit the
/// via-node rules).
fn apply_rules(out: &mut TurnLists, base: &mut Vec<u32>, rules: &[EdgeRule]) {
    let keep = |rule: &EdgeRule, head: u32, base: &[u32]| {
        let target = rule.targets.iter().any(|t| t.0 == base[head as usize]);
        match rule.rule {
            TurnRule::No => !target,
            TurnRule::Only => target,
        }
    };
    for rule in rules.iter().filter(|r| r.prefix.len() == 1) {
        out.retain(rule.prefix[0].0, |h| keep(rule, h, base));
    }
    for rule in rules.iter().filter(|r| r.prefix.len() > 1) {
        let mut at = rule.prefix[0].0;
        let mut complete = true;
        for (step, via) in rule.prefix.iter().enumerate().skip(1) {
            let Some(slot) = out.arcs(at).find(|&a| base[out.head[a] as usize] == via.0) else {
                // The turn into the via is already forbidden: nothing left to restrict.
                complete = false;
                break;
            };
            let original = out.head[slot];
            let next = rule.prefix.get(step + 1).map(|e| e.0);
            let copy = out.push_copy(original, |h| match next {
                Some(next) if rule.rule == TurnRule::Only => base[h as usize] == next,
                _ => true,
            });
            base.push(via.0);
            out.head[slot] = copy;
            at = copy;
        }
        if complete {
            out.retain(at, |h| keep(rule, h, base));
        }
    }
}

/// The control at each junction (a signal or sign on the node where roads meet).
fn junction_controls(extract: &OsmExtract, graph: &RoadGraph) -> HashMap<NodeIdx, Control> {
    let by_id: HashMap<i64, Control> = extract
        .controls()
        .iter()
        .map(|&(node, control)| (extract.node_id(node).0, control))
        .collect();
    (0..graph.node_count() as u32)
        .filter_map(|n| {
            let node = NodeIdx(n);
            by_id
                .get(&graph.node_osm_id(node).0)
                .map(|control| (node, *control))
        })
        .collect()
}

/// Per junction, the road segments that meet there (a loop counted once): a junction of two
/// is a bend of one road, where no turn costs anything.
fn roads_at_junctions(graph: &RoadGraph) -> Vec<u32> {
    let mut roads = vec![0u32; graph.node_count()];
    for segment in graph.segments() {
        if segment.forward.is_some() || segment.backward.is_some() {
            roads[segment.from.index()] += 1;
            if segment.to != segment.from {
                roads[segment.to.index()] += 1;
            }
        }
    }
    roads
}

/// The side traffic keeps to at the network's mean position.
fn driving_side(graph: &RoadGraph) -> DrivingSide {
    let n = graph.node_count().max(1) as f64;
    let (lat, lon) = (0..graph.node_count() as u32)
        .map(|i| graph.node_coord(NodeIdx(i)))
        .fold((0.0, 0.0), |(a, b), c| (a + c.lat / n, b + c.lon / n));
    DrivingSide::at(lat, lon)
}

/// Compass bearings of an edge as it leaves its tail and as it arrives at its head, degrees.
fn edge_bearings(graph: &RoadGraph, edge: EdgeIdx) -> (f64, f64) {
    let e = graph.edge(edge);
    let points: Vec<_> = graph.segment_points(e.segment).collect();
    let ordered = |i: usize| {
        if e.reversed {
            points[points.len() - 1 - i]
        } else {
            points[i]
        }
    };
    let n = points.len();
    if n < 2 {
        return (0.0, 0.0);
    }
    let bearing = |a: crate::geo::Coord, b: crate::geo::Coord| {
        let dx = (b.lon - a.lon) * a.lat.to_radians().cos();
        let dy = b.lat - a.lat;
        dx.atan2(dy).to_degrees()
    };
    (
        bearing(ordered(0), ordered(1)),
        bearing(ordered(n - 2), ordered(n - 1)),
    )
}

/// The turn from arriving on bearing `arrive` to leaving on bearing `leave`: degrees in
/// (-180, 180], positive to the right, 0 straight on.
fn turn_angle(arrive: f64, leave: f64) -> f64 {
    let mut angle = leave - arrive;
    while angle > 180.0 {
        angle -= 360.0;
    }
    while angle <= -180.0 {
        angle += 360.0;
    }
    angle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_are_signed_to_the_right() {
        assert_eq!(turn_angle(0.0, 90.0), 90.0);
        assert_eq!(turn_angle(0.0, -90.0), -90.0);
        assert_eq!(turn_angle(170.0, -170.0), 20.0);
        assert_eq!(turn_angle(90.0, -90.0), 180.0);
    }

    #[test]
    fn via_way_rules_copy_the_via_edges() {
        // Edges 0 -> 1 -> 2 (a via way), and 1 -> 3: "no 0 via 1 to 2" keeps 0 -> 1 -> 3 only,
        // while 4 -> 1 -> 2 stays open.
        let lists = [
            vec![(1, 0)],
            vec![(2, 0), (3, 0)],
            vec![],
            vec![],
            vec![(1, 0)],
        ];
        let mut out = TurnLists::collect(lists.len(), |e| lists[e].clone());
        let mut base = vec![0, 1, 2, 3, 4];
        let rule = EdgeRule {
            prefix: vec![EdgeIdx(0), EdgeIdx(1)],
            targets: vec![EdgeIdx(2)],
            rule: TurnRule::No,
        };
        apply_rules(&mut out, &mut base, &[rule]);
        out.compact();
        let turns = |node: u32| -> Vec<(u32, u32)> {
            out.arcs(node)
                .map(|a| (out.head[a], out.cost_ms[a]))
                .collect()
        };
        assert_eq!(base, vec![0, 1, 2, 3, 4, 1]);
        assert_eq!(turns(0), [(5, 0)]);
        assert_eq!(turns(5), [(3, 0)]);
        assert_eq!(turns(4), [(1, 0)]);
        assert_eq!(turns(1), [(2, 0), (3, 0)]);
    }
}
