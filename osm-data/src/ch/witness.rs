//! Witness searches: is there a path from `u` to `x` that avoids the node being contracted and
//! is no longer than the path through it? If so, no shortcut is needed.
//!
//! Searches run per in-neighbour of every node contracted or estimated, so this is where
//! preparation spends its time: first the paths of one or two arcs, without a heap
//! ([`WitnessSearch::first_arcs`], then [`WitnessSearch::two_arc_distance`] per target),
//! which settle most pairs, then, for a real contraction and only the pairs still without a
//! witness, a bounded Dijkstra ([`WitnessSearch::run`]).
//! The memory is reused from search to search (distances are valid only when stamped with the
//! current search's number, so nothing is cleared), and a Dijkstra search stops as soon as
//! every target is settled, or when it reaches its bound, its settle limit or its hop limit.
//!
//! The two-arc paths are met in the middle: the source's first arcs are marked, then each
//! target's in-arcs are read back to them. Relaxing every path forward from the source (as
//! this did until issue 14's second round) read the out-arcs of every node one arc away,
//! one list per node and a fresh one for each in-neighbour; the targets' lists are read
//! again from each in-neighbour of the node and stay in the cache. Same witnesses, so the
//! same shortcuts; Malta 8 × 8's car contraction −16 % of CPU (see `benches/README.md`,
//! "Region scale").

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::weight::Weight;

use super::adjacency::Adjacency;

/// How far a witness search may go before it gives up (a node it did not settle reads as
/// unreachable, which can only add shortcuts, never drop a needed one).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Nodes the search may settle.
    pub settled: u32,
    /// Arcs a witness path may have.
    pub hops: u8,
}

/// What a search knows of a node, in one 16-byte entry: the reads of a search's relaxation
/// then hit one cache line per node instead of one per array.
#[derive(Clone, Copy, Debug)]
struct Reached {
    distance: Weight,
    /// The search that wrote `distance` and `hops`.
    search: u32,
    hops: u8,
}

/// A bounded Dijkstra with reusable, timestamped memory.
pub(crate) struct WitnessSearch {
    reached: Vec<Reached>,
    /// The search in which each node is a target not yet settled.
    target_in: Vec<u32>,
    current: u32,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl WitnessSearch {
    pub fn new(nodes: usize) -> Self {
        WitnessSearch {
            reached: vec![
                Reached {
                    distance: Weight::INFINITY,
                    search: 0,
                    hops: 0,
                };
                nodes
            ],
            target_in: vec![0; nodes],
            current: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Distances from `source` in the uncontracted graph without the nodes `avoid` accepts,
    /// exact for `targets` up to `bound` within `limits`; read them with
    /// [`WitnessSearch::distance`].
    pub fn run(
        &mut self,
        graph: &Adjacency,
        source: u32,
        avoid: impl Fn(u32) -> bool,
        targets: impl Iterator<Item = u32>,
        bound: Weight,
        limits: Limits,
    ) {
        self.next_search();
        let mut remaining = 0u32;
        for target in targets {
            if self.target_in[target as usize] != self.current {
                self.target_in[target as usize] = self.current;
                remaining += 1;
            }
        }
        self.heap.clear();
        self.reach(source, Weight::ZERO, 0);
        self.heap.push(Reverse((Weight::ZERO, source)));
        let mut settled = 0;
        while let Some(Reverse((d, node))) = self.heap.pop() {
            if d > self.distance(node) {
                continue;
            }
            if d > bound || settled >= limits.settled {
                break;
            }
            settled += 1;
            if self.target_in[node as usize] == self.current {
                self.target_in[node as usize] = 0;
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
            let hops = self.reached[node as usize].hops;
            if hops >= limits.hops {
                continue;
            }
            for arc in graph.out_arcs(node) {
                if avoid(arc.head) {
                    continue;
                }
                let candidate = d + arc.weight();
                if candidate < self.distance(arc.head) {
                    self.reach(arc.head, candidate, hops + 1);
                    self.heap.push(Reverse((candidate, arc.head)));
                }
            }
        }
    }

    /// Marks the ends of `source`'s out-arcs that `avoid` does not accept (and `source`
    /// itself, at zero), for [`WitnessSearch::two_arc_distance`].
    pub fn first_arcs(&mut self, graph: &Adjacency, source: u32, avoid: impl Fn(u32) -> bool) {
        self.next_search();
        self.reach(source, Weight::ZERO, 0);
        for arc in graph.out_arcs(source) {
            if arc.weight() < self.distance(arc.head) && !avoid(arc.head) {
                self.reach(arc.head, arc.weight(), 1);
            }
        }
    }

    /// The shortest path of one or two arcs from the last [`WitnessSearch::first_arcs`]'
    /// source to `target` through marked nodes (infinite if none): the path's last arc is one
    /// of `target`'s in-arcs, so only `target`'s list is read, not the out-arcs of every
    /// node one arc away. A node's few targets are looked up from each of its in-neighbours
    /// in turn, so their lists stay in the cache; the source's own out-arcs are the only
    /// other list read.
    pub fn two_arc_distance(&self, graph: &Adjacency, target: u32) -> Weight {
        graph
            .in_arcs(target)
            .iter()
            .map(|arc| self.distance(arc.head) + arc.weight())
            .fold(self.distance(target), Weight::min)
    }

    /// The distance found to `node` by the last run (infinite if not reached).
    #[inline]
    pub fn distance(&self, node: u32) -> Weight {
        let reached = self.reached[node as usize];
        if reached.search == self.current {
            reached.distance
        } else {
            Weight::INFINITY
        }
    }

    /// Starts a new search number, clearing the stamps once the numbers run out.
    fn next_search(&mut self) {
        if self.current == u32::MAX {
            self.reached.iter_mut().for_each(|r| r.search = 0);
            self.target_in.fill(0);
            self.current = 0;
        }
        self.current += 1;
    }

    fn reach(&mut self, node: u32, d: Weight, hops: u8) {
        self.reached[node as usize] = Reached {
            distance: d,
            search: self.current,
            hops,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch::ArcOrigin;
    use crate::ids::EdgeIdx;

    /// A path 0 → 1 → … → n-1, every arc of one second.
    fn path(n: u32) -> Adjacency {
        let mut graph = Adjacency::empty(n as usize);
        for tail in 0..n - 1 {
            let origin = ArcOrigin::Edge(EdgeIdx(tail));
            graph.insert(tail, tail + 1, Weight::new(1000, 0), origin, 1);
        }
        graph
    }

    const FAR: Limits = Limits {
        settled: 1000,
        hops: u8::MAX,
    };

    #[test]
    fn a_witness_longer_than_the_hop_limit_is_not_found() {
        let graph = path(6);
        let mut search = WitnessSearch::new(6);
        let bound = Weight::new(10_000, 0);
        search.run(&graph, 0, |_| false, [4].into_iter(), bound, FAR);
        assert_eq!(search.distance(4), Weight::new(4000, 0));
        let three = Limits { hops: 3, ..FAR };
        search.run(&graph, 0, |_| false, [4].into_iter(), bound, three);
        assert_eq!(search.distance(3), Weight::new(3000, 0));
        assert_eq!(search.distance(4), Weight::INFINITY);
    }

    #[test]
    fn the_search_stops_once_every_target_is_settled() {
        let graph = path(6);
        let mut search = WitnessSearch::new(6);
        search.run(
            &graph,
            0,
            |_| false,
            [1].into_iter(),
            Weight::new(10_000, 0),
            FAR,
        );
        assert_eq!(search.distance(1), Weight::new(1000, 0));
        // Within the bound, but the search stopped at its only target before going on.
        assert_eq!(search.distance(2), Weight::INFINITY);
    }

    #[test]
    fn distances_of_an_earlier_search_do_not_leak_into_the_next() {
        let graph = path(4);
        let mut search = WitnessSearch::new(4);
        search.run(
            &graph,
            0,
            |_| false,
            [3].into_iter(),
            Weight::new(10_000, 0),
            FAR,
        );
        assert_eq!(search.distance(2), Weight::new(2000, 0));
        search.run(
            &graph,
            2,
            |_| false,
            [3].into_iter(),
            Weight::new(10_000, 0),
            FAR,
        );
        assert_eq!(search.distance(0), Weight::INFINITY);
        assert_eq!(search.distance(3), Weight::new(1000, 0));
    }

    #[test]
    fn avoided_nodes_block_the_witness() {
        let graph = path(4);
        let mut search = WitnessSearch::new(4);
        search.run(
            &graph,
            0,
            |x| x == 2,
            [3].into_iter(),
            Weight::new(10_000, 0),
            FAR,
        );
        assert_eq!(search.distance(3), Weight::INFINITY);
    }

    /// The two-arc distance from `source` to every node of `graph`, of `n` nodes.
    fn two_arc_distances(
        graph: &Adjacency,
        n: u32,
        source: u32,
        avoid: impl Fn(u32) -> bool,
    ) -> Vec<Weight> {
        let mut search = WitnessSearch::new(n as usize);
        search.first_arcs(graph, source, avoid);
        (0..n).map(|x| search.two_arc_distance(graph, x)).collect()
    }

    #[test]
    fn two_arc_witnesses_are_found_and_longer_ones_are_not() {
        let distances = two_arc_distances(&path(5), 5, 0, |_| false);
        let s = |s: u32| Weight::new(s * 1000, 0);
        assert_eq!(
            distances,
            [s(0), s(1), s(2), Weight::INFINITY, Weight::INFINITY]
        );
    }

    #[test]
    fn a_shorter_two_arc_path_beats_a_direct_arc() {
        // 0 → 2 directly in 5 s, or 0 → 1 → 2 in 2 s.
        let mut graph = path(3);
        graph.insert(0, 2, Weight::new(5000, 0), ArcOrigin::Edge(EdgeIdx(9)), 1);
        assert_eq!(
            two_arc_distances(&graph, 3, 0, |_| false)[2],
            Weight::new(2000, 0)
        );
        // Without node 1, only the direct arc is left.
        assert_eq!(
            two_arc_distances(&graph, 3, 0, |x| x == 1)[2],
            Weight::new(5000, 0)
        );
    }

    #[test]
    fn a_direct_arc_shorter_than_every_two_arc_path_is_kept() {
        // 0 → 2 directly in 1 s, or 0 → 1 → 2 in 2 s.
        let mut graph = path(3);
        graph.insert(0, 2, Weight::new(1000, 0), ArcOrigin::Edge(EdgeIdx(9)), 1);
        assert_eq!(
            two_arc_distances(&graph, 3, 0, |_| false)[2],
            Weight::new(1000, 0)
        );
    }
}
