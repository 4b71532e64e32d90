//! Witness searches: is there a path from `u` to `x` that avoids the node being contracted and
//! is no longer than the path through it? If so, no shortcut is needed.
//!
//! Searches run per in-neighbour of every node contracted or estimated, so this is where
//! preparation spends its time: first a heap-free pass over the paths of one or two arcs
//! ([`WitnessSearch::run_two_arcs`]), which settles most pairs, then, for a real contraction
//! and only the pairs still without a witness, a bounded Dijkstra ([`WitnessSearch::run`]).
//! The memory is reused from search to search (distances are valid only when stamped with the
//! current search's number, so nothing is cleared), and a Dijkstra search stops as soon as
//! every target is settled, or when it reaches its bound, its settle limit or its hop limit.

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

    /// Distances from `source` over paths of one or two arcs no longer than `bound`, avoiding
    /// the nodes `avoid` accepts; read them with [`WitnessSearch::distance`]. No heap: the
    /// shortest such path to each node is the least of its one-arc and two-arc paths.
    pub fn run_two_arcs(
        &mut self,
        graph: &Adjacency,
        source: u32,
        avoid: impl Fn(u32) -> bool,
        bound: Weight,
    ) {
        self.next_search();
        self.reach(source, Weight::ZERO, 0);
        let first = || {
            graph
                .out_arcs(source)
                .iter()
                .filter(|a| a.weight() <= bound && !avoid(a.head))
        };
        for arc in first() {
            if arc.weight() < self.distance(arc.head) {
                self.reach(arc.head, arc.weight(), 1);
            }
        }
        for arc in first() {
            for onward in graph.out_arcs(arc.head) {
                let candidate = arc.weight() + onward.weight();
                if candidate <= bound
                    && candidate < self.distance(onward.head)
                    && !avoid(onward.head)
                {
                    self.reach(onward.head, candidate, 2);
                }
            }
        }
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

    #[test]
    fn two_arc_witnesses_are_found_and_longer_ones_are_not() {
        let graph = path(5);
        let mut search = WitnessSearch::new(5);
        search.run_two_arcs(&graph, 0, |_| false, Weight::new(10_000, 0));
        assert_eq!(search.distance(1), Weight::new(1000, 0));
        assert_eq!(search.distance(2), Weight::new(2000, 0));
        assert_eq!(search.distance(3), Weight::INFINITY);
    }

    #[test]
    fn a_shorter_two_arc_path_beats_a_direct_arc() {
        // 0 → 2 directly in 5 s, or 0 → 1 → 2 in 2 s.
        let mut graph = path(3);
        graph.insert(0, 2, Weight::new(5000, 0), ArcOrigin::Edge(EdgeIdx(9)), 1);
        let mut search = WitnessSearch::new(3);
        search.run_two_arcs(&graph, 0, |_| false, Weight::new(10_000, 0));
        assert_eq!(search.distance(2), Weight::new(2000, 0));
        // Without node 1, only the direct arc is left.
        search.run_two_arcs(&graph, 0, |x| x == 1, Weight::new(10_000, 0));
        assert_eq!(search.distance(2), Weight::new(5000, 0));
    }

    #[test]
    fn two_arc_paths_beyond_the_bound_are_not_kept() {
        let graph = path(4);
        let mut search = WitnessSearch::new(4);
        search.run_two_arcs(&graph, 0, |_| false, Weight::new(1500, 0));
        assert_eq!(search.distance(1), Weight::new(1000, 0));
        assert_eq!(search.distance(2), Weight::INFINITY);
    }
}
