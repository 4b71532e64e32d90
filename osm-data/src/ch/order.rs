//! A contraction order handed from one profile's network to another's in the same import.
//!
//! The car, the bus and the camping-car drive mostly the same roads, and a node's place in a
//! hierarchy depends far more on the network around it than on the speeds: contracting the
//! bus in the car's order skips every importance estimate (a third of a contraction's work),
//! at the price of a few more shortcuts than its own order would make. Distances are exact
//! whatever the order: an order only decides how much work queries do.
//!
//! Turn nodes are matched by where their road edge starts: the OSM node of its tail junction
//! and the position of the edge's second point, which two profiles' graphs share wherever
//! they share the road, whatever junctions the other roads make along it.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::graph::RoadGraph;
use crate::profile::ProfileKind;

use super::Hierarchy;

/// Least share of the larger of two networks that the nodes matched between them must make
/// for one to take the other's order. Malta 2 × 2 (turn nodes matched over the car's): the
/// camping-car 0.997, the bus 0.826, the triporteur 0.231, whose streets are nearly all the
/// car's but a fifth of them, and which the car's order served badly (17 % more shortcuts
/// than its own, for a contraction of under half a second).
pub(crate) const LEAST_MATCHED: f64 = 0.75;

/// One profile's contraction order, by turn-node key: the ranks of a contracted network,
/// to give a similar network's nodes the place of their counterparts.
pub(crate) struct SharedOrder {
    /// The kind of profile the order was estimated for.
    profile: ProfileKind,
    /// Per key, the key in the high half and the rank of its node in the low half (the
    /// lowest where copies share a key), sorted: 8 bytes a node, held while the later
    /// profiles contract (28 MB for Malta 8 × 8's car).
    entries: Vec<u64>,
}

impl SharedOrder {
    /// The order of `hierarchy`, contracted from `graph`.
    pub fn of(graph: &RoadGraph, hierarchy: &Hierarchy) -> Self {
        let turns = graph.turns();
        let mut entries: Vec<u64> = (0..turns.node_count() as u32)
            .into_par_iter()
            .map(|node| u64::from(node_key(graph, node)) << 32 | u64::from(hierarchy.rank(node)))
            .collect();
        entries.par_sort_unstable();
        entries.dedup_by_key(|&mut entry| entry >> 32);
        SharedOrder {
            profile: graph.profile().kind,
            entries,
        }
    }

    /// The kind of profile the order was estimated for.
    pub fn profile(&self) -> ProfileKind {
        self.profile
    }

    /// A priority per turn node of `graph` (lower is contracted first): one more than its
    /// counterpart's rank, or zero, first of all, where it has none; `None` when the nodes
    /// with a counterpart are fewer than [`LEAST_MATCHED`] of the larger network's.
    pub fn priorities(&self, graph: &RoadGraph) -> Option<Vec<u64>> {
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
        (matched as f64 >= LEAST_MATCHED * larger as f64).then_some(priorities)
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
