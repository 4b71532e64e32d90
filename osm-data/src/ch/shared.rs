//! A nested dissection order handed from one profile's network to another's in the same
//! import.
//!
//! The car, the bus and the camping-car drive mostly the same roads, and a separator of the
//! car's network separates theirs too: customizing the bus in the car's order skips its own
//! nested dissection (most of a customizable hierarchy's work). Distances are exact whatever
//! the order; an order only decides how many arcs the supergraph gets.
//!
//! Turn nodes are matched by where their road edge starts: the OSM node of its tail junction
//! and the position of the edge's second point, which two profiles' graphs share wherever
//! they share the road, whatever junctions the other roads make along it.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::graph::RoadGraph;

/// Least share of the larger of two networks that the nodes matched between them must make
/// for one to take the other's order. Malta 2 × 2 (turn nodes matched over the car's): the
/// camping-car 0.997, the bus 0.826, the triporteur 0.231.
const LEAST_MATCHED: f64 = 0.75;

/// One network's order, by turn-node key.
pub(crate) struct SharedOrder {
    /// Per key, the key in the high half and the rank of its node in the low half (the
    /// lowest where copies share a key), sorted: 8 bytes a node.
    entries: Vec<u64>,
}

impl SharedOrder {
    /// The order `rank` of `graph`'s turn nodes.
    pub fn of(graph: &RoadGraph, rank: &[u32]) -> Self {
        let mut entries: Vec<u64> = (0..graph.turns().node_count() as u32)
            .into_par_iter()
            .map(|node| u64::from(node_key(graph, node)) << 32 | u64::from(rank[node as usize]))
            .collect();
        entries.par_sort_unstable();
        entries.dedup_by_key(|&mut entry| entry >> 32);
        SharedOrder { entries }
    }

    /// The ranks of `graph`'s turn nodes in this order: nodes without a counterpart first,
    /// then the others as their counterparts; `None` when the nodes with a counterpart are
    /// fewer than [`LEAST_MATCHED`] of the larger network's.
    pub fn ranks(&self, graph: &RoadGraph) -> Option<Vec<u32>> {
        let nodes = graph.turns().node_count() as u32;
        let priorities: Vec<u64> = (0..nodes)
            .into_par_iter()
            .map(|node| {
                let key = u64::from(node_key(graph, node));
                let i = self.entries.partition_point(|&entry| entry >> 32 < key);
                match self.entries.get(i) {
                    Some(&entry) if entry >> 32 == key => (entry & u64::from(u32::MAX)) + 1,
                    _ => 0,
                }
            })
            .collect();
        let matched = priorities.iter().filter(|&&p| p > 0).count();
        let larger = self.entries.len().max(nodes as usize);
        if (matched as f64) < LEAST_MATCHED * larger as f64 {
            return None;
        }
        let mut order: Vec<u32> = (0..nodes).collect();
        order.par_sort_unstable_by_key(|&node| (priorities[node as usize], node));
        let mut rank = vec![0u32; nodes as usize];
        for (r, &node) in order.iter().enumerate() {
            rank[node as usize] = r as u32;
        }
        Some(rank)
    }
}

/// Where a turn node's road edge starts: its tail junction's OSM node and its second point,
/// hashed to 32 bits. Two nodes of one graph share a key when they travel the same edge (a
/// via-way restriction's copies), or by a collision between different edges (about one node
/// in 2,500 at 3.5 M nodes), which gives a node the place of another in the order and never
/// changes a distance.
fn node_key(graph: &RoadGraph, node: u32) -> u32 {
    let edge = graph.edge(graph.turns().base(node));
    let [lat, lon] = graph.second_point(edge);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&graph.node_osm_id(edge.tail).0.to_le_bytes());
    bytes[8..12].copy_from_slice(&lat.to_le_bytes());
    bytes[12..].copy_from_slice(&lon.to_le_bytes());
    (xxh3_64(&bytes) >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch::{Hierarchy, QueryArcsBuilder, order};
    use crate::extract::OsmExtract;
    use crate::geo::Coord;
    use crate::profile::{Profile, ProfileKind};
    use crate::progress::Silent;
    use crate::router::Router;

    /// The bus customized in the car's order on the real Malta network: it takes the order
    /// (its roads match), and its matrix is the one of its own contraction, entry for entry.
    #[test]
    fn the_bus_in_the_cars_order_keeps_every_distance() {
        let manifest = env!("CARGO_MANIFEST_DIR");
        let path = format!("{manifest}/../../shared/osm/malta-2016.osm.pbf");
        let path = std::path::Path::new(&path);
        if !path.exists() {
            eprintln!("skipped: {} not found", path.display());
            return;
        }
        let extract = OsmExtract::read(path, &Silent).unwrap();
        let car = RoadGraph::build(&extract, &Profile::new(ProfileKind::Car), &Silent).unwrap();
        let bus = RoadGraph::build(&extract, &Profile::new(ProfileKind::Bus), &Silent).unwrap();
        let car_turns = car.turns();
        let mut pairs: Vec<(u32, u32)> = (0..car_turns.node_count() as u32)
            .flat_map(|tail| car_turns.arcs(&car, tail).map(move |arc| (tail, arc.head)))
            .filter(|(tail, head)| tail != head)
            .map(|(tail, head)| (tail.min(head), tail.max(head)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let rank = order::nested_dissection(car_turns.node_count(), &pairs).unwrap();
        let shared = SharedOrder::of(&car, &rank);
        let inherited = shared.ranks(&bus).expect("the bus drives the car's roads");

        let customization = Hierarchy::customize(
            &bus,
            std::slice::from_ref(&shared),
            false,
            &Silent,
            QueryArcsBuilder::new(),
            QueryArcsBuilder::new(),
        )
        .expect("customized");
        let customized = customization.hierarchy;
        assert!(
            customization.order.is_none(),
            "an inherited order is not offered again"
        );
        for node in 0..bus.turns().node_count() as u32 {
            assert_eq!(customized.rank(node), inherited[node as usize]);
        }
        let points: Vec<Coord> = (0..60)
            .map(|k| Coord::new(35.83 + 0.002 * f64::from(k), 14.40 + 0.002 * f64::from(k)))
            .collect();
        let contracted = Router::new(bus.clone(), &Silent);
        let snaps = contracted.snap(&points, 5000.0).unwrap();
        let in_cars_order = Router::from_parts(bus, customized);
        let expected = contracted.matrix(&snaps, &snaps).unwrap();
        let got = in_cars_order.matrix(&snaps, &snaps).unwrap();
        assert_eq!(got.durations(), expected.durations());
        assert_eq!(got.distances(), expected.distances());
    }
}
