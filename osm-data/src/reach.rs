//! The roads from which a point is reached within a time limit: the area a stop serves, drawn
//! as road segments (an isochrone on the network rather than a polygon around it).
//!
//! One Dijkstra search per point over the reversed edges, stopped at the limit, so the times
//! are those of travelling *to* the point, as people do to reach a stop.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::RoadGraph;
use crate::ids::{NodeIdx, SegmentIdx};
use crate::snap::Snap;

/// The edges entering each junction, built once per graph.
pub struct ReverseIndex {
    first_in: Vec<u32>,
    edges: Vec<u32>,
}

impl ReverseIndex {
    /// Indexes the edges of `graph` by their head.
    pub fn new(graph: &RoadGraph) -> Self {
        let mut first_in = vec![0u32; graph.node_count() + 1];
        for edge in graph.edges() {
            first_in[edge.head.index() + 1] += 1;
        }
        for i in 1..first_in.len() {
            first_in[i] += first_in[i - 1];
        }
        let mut next = first_in.clone();
        let mut edges = vec![0u32; graph.edges().len()];
        for (e, edge) in graph.edges().iter().enumerate() {
            let slot = &mut next[edge.head.index()];
            edges[*slot as usize] = e as u32;
            *slot += 1;
        }
        ReverseIndex { first_in, edges }
    }

    fn incoming(&self, node: NodeIdx) -> &[u32] {
        &self.edges[self.first_in[node.index()] as usize..self.first_in[node.index() + 1] as usize]
    }
}

/// The segments whose both ends reach `target` within `limit_s` seconds, and the one it lies
/// on; sorted. A point inside such a segment may lie up to half the segment's own time beyond
/// the limit, which is fine for drawing and never used for counting coverage.
pub fn segments_reaching(
    graph: &RoadGraph,
    index: &ReverseIndex,
    target: &Snap,
    limit_s: u32,
) -> Vec<SegmentIdx> {
    let limit_ms = u64::from(limit_s) * 1000;
    let mut time_ms = vec![u64::MAX; graph.node_count()];
    let mut heap = BinaryHeap::new();
    for seed in target.arrivals(graph) {
        let t = u64::from(seed.weight.time_ms());
        if t <= limit_ms && t < time_ms[seed.node.index()] {
            time_ms[seed.node.index()] = t;
            heap.push(Reverse((t, seed.node)));
        }
    }
    while let Some(Reverse((t, node))) = heap.pop() {
        if t > time_ms[node.index()] {
            continue;
        }
        for &e in index.incoming(node) {
            let edge = &graph.edges()[e as usize];
            let candidate = t + u64::from(edge.weight.time_ms());
            if candidate <= limit_ms && candidate < time_ms[edge.tail.index()] {
                time_ms[edge.tail.index()] = candidate;
                heap.push(Reverse((candidate, edge.tail)));
            }
        }
    }
    let within = |n: NodeIdx| time_ms[n.index()] <= limit_ms;
    (0..graph.segments().len() as u32)
        .map(SegmentIdx)
        .filter(|s| {
            let segment = graph.segment(*s);
            *s == target.segment || (within(segment.from) && within(segment.to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Coord;
    use crate::import::{CachePolicy, import_profile};
    use crate::profile::{Profile, ProfileKind};
    use crate::progress::Silent;

    #[test]
    fn a_longer_limit_reaches_more_roads_and_every_reached_end_is_within_it() {
        let extract = std::path::Path::new("../tests/fixtures/village.osm.pbf");
        let car = Profile::new(ProfileKind::Car);
        let (router, _) = import_profile(extract, &car, &CachePolicy::Disabled, &Silent).unwrap();
        let graph = router.graph();
        let index = ReverseIndex::new(graph);
        let target = router.snap(&[Coord::new(45.0, 5.0)], 500.0).unwrap()[0];
        let near = segments_reaching(graph, &index, &target, 10);
        let far = segments_reaching(graph, &index, &target, 600);
        assert!(near.contains(&target.segment));
        assert!(near.len() < far.len(), "{} vs {}", near.len(), far.len());
        // Check the ends of the reached segments against the matrix.
        let ends: Vec<Coord> = far
            .iter()
            .map(|s| graph.node_coord(graph.segment(*s).from))
            .collect();
        let snaps = router.snap(&ends, 1.0).unwrap();
        let m = router.matrix(&snaps, &[target]).unwrap();
        for i in 0..snaps.len() {
            assert!(m.duration_s(i, 0) <= 601, "{}", m.duration_s(i, 0));
        }
    }
}
