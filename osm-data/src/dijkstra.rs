//! Plain one-to-all Dijkstra on the turn-aware search graph: the baseline the hierarchy is
//! measured against, and a second, independent way to compute a matrix.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::error::Result;
use crate::graph::RoadGraph;
use crate::matrix::{TravelMatrix, apply_direct, targets_by_segment};
use crate::snap::Snap;
use crate::turns::seeds;
use crate::weight::Weight;

/// The matrix between snapped points by one full Dijkstra search per source.
pub fn one_to_all_matrix(
    graph: &RoadGraph,
    sources: &[Snap],
    targets: &[Snap],
) -> Result<TravelMatrix> {
    let by_segment = targets_by_segment(targets);
    let arrivals: Vec<_> = targets.iter().map(|t| seeds::arrivals(graph, t)).collect();
    TravelMatrix::from_rows(
        sources.len(),
        targets.len(),
        || vec![Weight::INFINITY; graph.turns().node_count()],
        |distance, i, weights| {
            search(graph, &sources[i], distance);
            for (j, arrive) in arrivals.iter().enumerate() {
                for seed in arrive {
                    weights[j] = weights[j].min(distance[seed.node as usize] + seed.weight);
                }
            }
            apply_direct(graph, &sources[i], targets, &by_segment, weights);
        },
    )
}

/// Fills `distance` with the weight of the best path from `source` to the end of every turn
/// node's edge.
fn search(graph: &RoadGraph, source: &Snap, distance: &mut [Weight]) {
    distance.fill(Weight::INFINITY);
    let turns = graph.turns();
    let mut heap = BinaryHeap::new();
    for seed in seeds::departures(graph, source) {
        if seed.weight < distance[seed.node as usize] {
            distance[seed.node as usize] = seed.weight;
            heap.push(Reverse((seed.weight, seed.node)));
        }
    }
    while let Some(Reverse((d, node))) = heap.pop() {
        if d > distance[node as usize] {
            continue;
        }
        for arc in turns.arcs(graph, node) {
            let candidate = d + arc.weight;
            if candidate < distance[arc.head as usize] {
                distance[arc.head as usize] = candidate;
                heap.push(Reverse((candidate, arc.head)));
            }
        }
    }
}
