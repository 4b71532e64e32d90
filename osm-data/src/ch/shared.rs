//! A nested dissection order handed from one profile's network to another's in the same
//! import.
//!
//! The car, the bus and the camping-car drive mostly the same roads, and a separator of the
//! car's network separates theirs too: customizing the bus in the car's order skips its own
//! nested dissection (most of a customizable hierarchy's work). Distances are exact whatever
//! the order; an order only decides how many arcs the supergraph gets.
//!
//! Turn nodes are matched by the first stretch of their road edge: the positions of its first
//! two points, which two profiles' graphs share wherever they share the road. Where a profile
//! keeps fewer junctions (the bus may not take every road the car takes), one of its edges runs along
//! several of the larger network's; it takes the place of the most important of them, so that
//! an edge crossing a separator of the larger network lies in that separator, as its own
//! nested dissection would have put it.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::graph::RoadGraph;

/// Least share of the larger of two networks that the nodes matched between them must make
/// for one to take the other's order. Malta 2 × 2 (turn nodes matched over the car's): the
/// camping-car 0.997, the bus 0.826, the triporteur 0.231.
const LEAST_MATCHED: f64 = 0.75;

/// Keys are looked up by their top bits first: 2²⁰ buckets, about 3 keys each for a region
/// (Malta 8 × 8's car: 3.5 M turn nodes).
const BUCKET_BITS: u32 = 20;

/// One network's order, by turn-node key.
pub(crate) struct SharedOrder {
    /// Per key, by bucket: the key's bits below the bucket's in the high bits, the rank of its
    /// node (the lowest where copies share a key) in the low `rank_bits`: 8 bytes a node.
    /// At 3.5 M nodes 62 bits of a key are compared: the tens of millions of stretches looked
    /// up in an import find another stretch's key about once in 50,000 imports.
    entries: Vec<u64>,
    /// Per bucket, where its entries start; one more entry than buckets.
    buckets: Vec<u32>,
    /// Bits of an entry that hold a rank: as many as the largest rank needs.
    rank_bits: u32,
}

impl SharedOrder {
    /// The order `rank` of `graph`'s turn nodes.
    pub fn of(graph: &RoadGraph, rank: &[u32]) -> Self {
        let mut keyed: Vec<(u64, u32)> = (0..graph.turns().node_count() as u32)
            .into_par_iter()
            .map(|node| (first_stretch_key(graph, node), rank[node as usize]))
            .collect();
        keyed.par_sort_unstable();
        keyed.dedup_by_key(|&mut (key, _)| key);
        let mut buckets = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(key, _) in &keyed {
            buckets[bucket(key) + 1] += 1;
        }
        for b in 1..buckets.len() {
            buckets[b] += buckets[b - 1];
        }
        let rank_bits = u32::BITS - (rank.len() as u32).leading_zeros();
        let entries = keyed
            .into_iter()
            .map(|(key, r)| key_bits(key, rank_bits) | u64::from(r))
            .collect();
        SharedOrder {
            entries,
            buckets,
            rank_bits,
        }
    }

    /// The rank of the node whose first stretch has key `key`, if this order has one.
    fn rank_of(&self, key: u64) -> Option<u32> {
        let bucket = bucket(key);
        let range = self.buckets[bucket] as usize..self.buckets[bucket + 1] as usize;
        let bits = key_bits(key, self.rank_bits);
        let rank_mask = (1u64 << self.rank_bits) - 1;
        self.entries[range]
            .iter()
            .find(|&&entry| entry & !rank_mask == bits)
            .map(|&entry| (entry & rank_mask) as u32)
    }

    /// The ranks of `graph`'s turn nodes in this order: nodes without a counterpart first,
    /// then the others as the most important node of this order their road runs along;
    /// `None` when the nodes with a counterpart are fewer than [`LEAST_MATCHED`] of the
    /// larger network's.
    pub fn ranks(&self, graph: &RoadGraph) -> Option<Vec<u32>> {
        let nodes = graph.turns().node_count() as u32;
        let priorities: Vec<u64> = (0..nodes)
            .into_par_iter()
            .map(|node| {
                let mut points = node_points(graph, node);
                let Some(mut from) = points.next() else {
                    return 0;
                };
                let mut priority = 0;
                for to in points {
                    if let Some(rank) = self.rank_of(stretch_key(from, to)) {
                        priority = priority.max(u64::from(rank) + 1);
                    }
                    from = to;
                }
                priority
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

/// The bucket of a key: its top [`BUCKET_BITS`].
fn bucket(key: u64) -> usize {
    (key >> (u64::BITS - BUCKET_BITS)) as usize
}

/// The bits of a key an entry keeps: those below its bucket's, moved up, the low
/// `rank_bits` cleared for the rank.
fn key_bits(key: u64, rank_bits: u32) -> u64 {
    (key << BUCKET_BITS) & !((1u64 << rank_bits) - 1)
}

/// The key of a turn node's first stretch of road.
fn first_stretch_key(graph: &RoadGraph, node: u32) -> u64 {
    let mut points = node_points(graph, node);
    match (points.next(), points.next()) {
        (Some(from), Some(to)) => stretch_key(from, to),
        // An edge has at least its two junctions as points.
        (from, _) => from.map_or(0, |p| stretch_key(p, p)),
    }
}

/// The geometry of a turn node's road edge, in its direction of travel.
fn node_points(graph: &RoadGraph, node: u32) -> impl Iterator<Item = [i32; 2]> + '_ {
    graph.edge_fixed_points(graph.edge(graph.turns().base(node)))
}

/// A stretch of road from point `from` to the next point `to`, hashed to 64 bits. Two nodes
/// of one graph share a key when they travel the same edge (a via-way restriction's copies).
/// Every stretch of a road is looked up, not only the first, so 32 bits would not do: with
/// tens of millions of lookups among 3.5 M keys, thousands of stretches would find another
/// road's key and drag their node to a random place (on Malta 8 × 8, twice the camping-car's
/// triangles). A collision only misplaces a node and never changes a distance.
fn stretch_key(from: [i32; 2], to: [i32; 2]) -> u64 {
    let mut bytes = [0u8; 16];
    for (chunk, value) in bytes
        .chunks_exact_mut(4)
        .zip([from[0], from[1], to[0], to[1]])
    {
        chunk.copy_from_slice(&value.to_le_bytes());
    }
    xxh3_64(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch::{Hierarchy, chordal, order, turn_pairs};
    use crate::extract::OsmExtract;
    use crate::geo::Coord;
    use crate::profile::{Profile, ProfileKind};
    use crate::progress::Silent;
    use crate::router::Router;

    fn malta() -> Option<OsmExtract> {
        let manifest = env!("CARGO_MANIFEST_DIR");
        let path = format!("{manifest}/../../shared/osm/malta-2016.osm.pbf");
        let path = std::path::Path::new(&path);
        if !path.exists() {
            eprintln!("skipped: {} not found", path.display());
            return None;
        }
        Some(OsmExtract::read(path, &Silent).unwrap())
    }

    /// The car and the bus of real Malta: the bus's graph, the car's order and the bus's
    /// ranks in it.
    fn bus_in_cars_order() -> Option<(RoadGraph, SharedOrder, Vec<u32>)> {
        let extract = malta()?;
        let car = RoadGraph::build(&extract, &Profile::new(ProfileKind::Car), &Silent).unwrap();
        let bus = RoadGraph::build(&extract, &Profile::new(ProfileKind::Bus), &Silent).unwrap();
        let rank = order::nested_dissection(car.turns().node_count(), turn_pairs(&car)).unwrap();
        let shared = SharedOrder::of(&car, &rank);
        let inherited = shared.ranks(&bus).expect("the bus drives the car's roads");
        Some((bus, shared, inherited))
    }

    /// Arcs of the chordal supergraph of `pairs` in the order `rank`.
    fn supergraph_arcs(rank: &[u32], pairs: &[(u32, u32)]) -> usize {
        let ranked = || {
            pairs
                .iter()
                .map(|&(a, b)| (rank[a as usize], rank[b as usize]))
        };
        chordal::Chordal::new(rank.len(), ranked).arcs()
    }

    /// The bus customized in the car's order on the real Malta network: it takes the order
    /// (its roads match), and its matrix is the one of its own contraction, entry for entry.
    #[test]
    fn the_bus_in_the_cars_order_keeps_every_distance() {
        let Some((bus, shared, inherited)) = bus_in_cars_order() else {
            return;
        };

        let customization =
            Hierarchy::customize(&bus, std::slice::from_ref(&shared), false, &Silent)
                .expect("customized");
        assert!(
            customization.order.is_none(),
            "an inherited order is not offered again"
        );
        let customized = customization.arcs.into_hierarchy();
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

    /// Where the bus keeps fewer junctions than the car, one of its edges runs along several
    /// of the car's; placed as the most important of them, the bus's supergraph in the car's
    /// order is about as small as in its own nested dissection order. Placed as the first of
    /// them, Malta 8 × 8's bus got 36.3 M arcs instead of 26.2 M.
    #[test]
    fn the_bus_in_the_cars_order_is_about_as_sparse_as_in_its_own() {
        let Some((bus, _, inherited)) = bus_in_cars_order() else {
            return;
        };
        let bus_pairs = turn_pairs(&bus);
        let own = order::nested_dissection(bus.turns().node_count(), bus_pairs.clone()).unwrap();
        let (in_cars, in_own) = (
            supergraph_arcs(&inherited, &bus_pairs),
            supergraph_arcs(&own, &bus_pairs),
        );
        eprintln!("bus supergraph: {in_cars} arcs in the car's order, {in_own} in its own");
        assert!(
            (in_cars as f64) < 1.15 * in_own as f64,
            "{in_cars} arcs in the car's order against {in_own} in its own"
        );
    }
}
