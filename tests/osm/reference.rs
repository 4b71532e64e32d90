//! Every matrix entry equals a plain Dijkstra search on an independent copy of the turn-aware
//! graph: a `petgraph` graph with one node per turn node, one arc per allowed turn (read from
//! the turn graph's public arcs), and for each snapped point a departure node (leaving along
//! either open direction of its road) and an arrival node (reached by every turn onto its
//! road, then the part of the road up to it). A search may not pass through a point: the two
//! nodes are apart, so no free U-turn happens there.

use std::ops::Add;

use osm_data::graph::RoadGraph;
use osm_data::ids::SegmentIdx;
use osm_data::router::Router;
use osm_data::snap::Snap;
use osm_data::weight::Weight;
use petgraph::algo::dijkstra;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::support::{customized_router, for_each_shared_router, sample_snaps, shared_router};

/// Time (ms) then length (cm), compared in that order: the order osm-data optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
struct Cost(u64, u64);

impl Add for Cost {
    type Output = Cost;
    fn add(self, other: Cost) -> Cost {
        Cost(self.0 + other.0, self.1 + other.1)
    }
}

fn cost(w: Weight) -> Cost {
    Cost(w.time_ms().into(), w.length_cm().into())
}

/// The turn graph with a departure and an arrival node per snapped point.
fn reference_graph(
    graph: &RoadGraph,
    snaps: &[Snap],
) -> (DiGraph<(), Cost>, Vec<NodeIndex>, Vec<NodeIndex>) {
    let turns = graph.turns();
    let mut g = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..turns.node_count()).map(|_| g.add_node(())).collect();
    for tail in 0..turns.node_count() as u32 {
        for arc in turns.arcs(graph, tail) {
            g.add_edge(
                nodes[tail as usize],
                nodes[arc.head as usize],
                cost(arc.weight),
            );
        }
    }
    let departs: Vec<NodeIndex> = snaps.iter().map(|_| g.add_node(())).collect();
    let arrives: Vec<NodeIndex> = snaps.iter().map(|_| g.add_node(())).collect();
    for (p, snap) in snaps.iter().enumerate() {
        let segment = graph.segment(snap.segment);
        let end = graph.segment_end(snap.segment);
        let at = snap.offset;
        let part = |ms: u32, cm: u32| Cost(ms.into(), cm.into());
        let directions = [
            (
                segment.forward,
                part(end.forward_ms - at.forward_ms, end.length_cm - at.length_cm),
                part(at.forward_ms, at.length_cm),
            ),
            (
                segment.backward,
                part(at.backward_ms, at.length_cm),
                part(
                    end.backward_ms - at.backward_ms,
                    end.length_cm - at.length_cm,
                ),
            ),
        ];
        for (edge, leave, reach) in directions {
            let Some(edge) = edge else { continue };
            g.add_edge(departs[p], nodes[edge.index()], leave);
            let edge_weight = graph.edge(edge).weight;
            for tail in 0..turns.node_count() as u32 {
                for arc in turns.arcs(graph, tail) {
                    if turns.base(arc.head) == edge {
                        let turn = arc.weight.checked_sub(edge_weight).expect("turn cost");
                        g.add_edge(nodes[tail as usize], arrives[p], cost(turn) + reach);
                    }
                }
            }
        }
    }
    // Points on the same segment are joined directly, in the directions the road allows.
    for (i, a) in snaps.iter().enumerate() {
        for (j, b) in snaps.iter().enumerate() {
            let segment = graph.segment(a.segment);
            if a.segment != b.segment {
                continue;
            }
            let (a_at, b_at) = ((a.piece, a.fraction), (b.piece, b.fraction));
            let (x, y) = (a.offset, b.offset);
            if segment.forward.is_some() && a_at <= b_at {
                let c = Cost(
                    (y.forward_ms - x.forward_ms).into(),
                    (y.length_cm - x.length_cm).into(),
                );
                g.add_edge(departs[i], arrives[j], c);
            }
            if segment.backward.is_some() && a_at >= b_at {
                let c = Cost(
                    (x.backward_ms - y.backward_ms).into(),
                    (x.length_cm - y.length_cm).into(),
                );
                g.add_edge(departs[i], arrives[j], c);
            }
        }
    }
    (g, departs, arrives)
}

/// Adds pairs of points on the same segment, so that direct same-road trips are exercised.
fn with_same_segment_pairs(router: &Router, mut snaps: Vec<Snap>) -> Vec<Snap> {
    let graph = router.graph();
    for s in (0..graph.segments().len() as u32).step_by(997).take(5) {
        let points: Vec<_> = graph.segment_points(SegmentIdx(s)).collect();
        if points.len() >= 4 {
            let pair = [points[1], points[points.len() - 2]];
            if let Ok(mut extra) = router.snap(&pair, 1.0) {
                snaps.append(&mut extra);
            }
        }
    }
    snaps
}

/// Every entry of `router`'s matrix on sampled points against the reference Dijkstra.
fn check_against_dijkstra(router: &Router, context: &str) {
    let snaps = with_same_segment_pairs(router, sample_snaps(router, 25, 3));
    let matrix = router.matrix(&snaps, &snaps).unwrap();
    let (g, departs, arrives) = reference_graph(router.graph(), &snaps);
    for (i, &source) in departs.iter().enumerate() {
        let costs = dijkstra(&g, source, None, |e| *e.weight());
        for (j, target) in arrives.iter().enumerate() {
            let Cost(ms, cm) = costs[target];
            let expected = (ms.div_ceil(1000) as u32, cm.div_ceil(100) as u32);
            let got = (matrix.duration_s(i, j), matrix.distance_m(i, j));
            assert_eq!(got, expected, "{context}: {i} -> {j}");
        }
    }
}

#[test]
fn every_matrix_entry_equals_a_turn_aware_dijkstra_on_petgraph() {
    for_each_shared_router(shared_router, check_against_dijkstra);
}

/// The same with a customizable hierarchy (nested dissection, customization), which
/// `Router::new` chooses from a million turn nodes up.
#[test]
fn every_matrix_entry_of_a_customized_hierarchy_equals_the_same_dijkstra() {
    for_each_shared_router(customized_router, |router, context| {
        check_against_dijkstra(router, &format!("{context}, customized"));
    });
}
