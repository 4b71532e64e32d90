//! Plain one-to-all Dijkstra on the road graph: the baseline the hierarchy is measured against,
//! and a second, independent way to compute a matrix.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::error::Result;
use crate::graph::RoadGraph;
use crate::matrix::{TravelMatrix, apply_direct, targets_by_segment};
use crate::snap::Snap;
use crate::weight::Weight;

/// The matrix between snapped points by one full Dijkstra search per source.
pub fn one_to_all_matrix(
    graph: &RoadGraph,
    sources: &[Snap],
    targets: &[Snap],
) -> Result<TravelMatrix> {
    let by_segment = targets_by_segment(targets);
    let arrivals: Vec<_> = targets.iter().map(|t| t.arrivals(graph)).collect();
    TravelMatrix::from_rows(
        sources.len(),
        targets.len(),
        || vec![Weight::INFINITY; graph.node_count()],
        |distance, i, weights| {
            search(graph, &sources[i], distance);
            for (j, arrive) in arrivals.iter().enumerate() {
                for seed in arrive {
                    weights[j] = weights[j].min(distance[seed.node.index()] + seed.weight);
                }
            }
            apply_direct(graph, &sources[i], targets, &by_segment, weights);
        },
    )
}

/// Fills `distance` with the weight of the best path from `source` to every junction.
fn search(graph: &RoadGraph, source: &Snap, distance: &mut [Weight]) {
    distance.fill(Weight::INFINITY);
    let mut heap = BinaryHeap::new();
    for seed in source.departures(graph) {
        if seed.weight < distance[seed.node.index()] {
            distance[seed.node.index()] = seed.weight;
            heap.push(Reverse((seed.weight, seed.node)));
        }
    }
    while let Some(Reverse((d, node))) = heap.pop() {
        if d > distance[node.index()] {
            continue;
        }
        for (_, edge) in graph.out_edges(node) {
            let candidate = d + edge.weight;
            if candidate < distance[edge.head.index()] {
                distance[edge.head.index()] = candidate;
                heap.push(Reverse((candidate, edge.head)));
            }
        }
    }
}
