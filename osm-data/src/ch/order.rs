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
    /// Turn-node keys, sorted, each once.
    keys: Vec<u64>,
    /// The rank of the node of each key (the lowest where copies share it).
    rank: Vec<u32>,
}

impl SharedOrder {
    /// The order of `hierarchy`, contracted from `graph`.
    pub fn of(graph: &RoadGraph, hierarchy: &Hierarchy) -> Self {
        let turns = graph.turns();
        let mut keyed: Vec<(u64, u32)> = (0..turns.node_count() as u32)
            .into_par_iter()
            .map(|node| (node_key(graph, node), hierarchy.rank(node)))
            .collect();
        keyed.par_sort_unstable();
        keyed.dedup_by_key(|&mut (key, _)| key);
        let (keys, rank) = keyed.into_iter().unzip();
        SharedOrder {
            profile: graph.profile().kind,
            keys,
            rank,
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
                let key = node_key(graph, node);
                self.keys
                    .binary_search(&key)
                    .map_or(0, |i| u64::from(self.rank[i]) + 1)
            })
            .collect();
        let matched = priorities.iter().filter(|&&p| p > 0).count();
        let larger = self.keys.len().max(nodes as usize);
        (matched as f64 >= LEAST_MATCHED * larger as f64).then_some(priorities)
    }
}

/// Where a turn node's road edge starts: its tail junction's OSM node and its second point,
/// hashed. Two nodes of one graph share a key only when they travel the same edge (a via-way
/// restriction's copies); a collision between different edges would misplace one node in the
/// order, never change a distance.
fn node_key(graph: &RoadGraph, node: u32) -> u64 {
    let edge = graph.edge(graph.turns().base(node));
    let [lat, lon] = graph.second_point(edge);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&graph.node_osm_id(edge.tail).0.to_le_bytes());
    bytes[8..12].copy_from_slice(&lat.to_le_bytes());
    bytes[12..].copy_from_slice(&lon.to_le_bytes());
    xxh3_64(&bytes)
}
