//! Witness searches: is there a path from `u` to `x` that avoids the node being contracted and
//! is no longer than the path through it? If so, no shortcut is needed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::weight::Weight;

use super::contract::Adjacency;

/// A bounded Dijkstra with reusable memory.
pub(crate) struct WitnessSearch {
    distance: Vec<Weight>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl WitnessSearch {
    pub fn new(nodes: usize) -> Self {
        WitnessSearch {
            distance: vec![Weight::INFINITY; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Distances from `source` in the uncontracted graph without `avoid`, exact up to `bound`
    /// and for at most `settle_limit` settled nodes; read them with [`WitnessSearch::distance`].
    /// A node not settled in time reads as unreachable, which can only add shortcuts, never
    /// drop a needed one.
    pub fn run(
        &mut self,
        graph: &Adjacency,
        source: u32,
        avoid: u32,
        bound: Weight,
        settle_limit: usize,
    ) {
        for &node in &self.touched {
            self.distance[node as usize] = Weight::INFINITY;
        }
        self.touched.clear();
        self.heap.clear();
        self.set(source, Weight::ZERO);
        self.heap.push(Reverse((Weight::ZERO, source)));
        let mut settled = 0;
        while let Some(Reverse((d, node))) = self.heap.pop() {
            if d > self.distance[node as usize] {
                continue;
            }
            if d > bound || settled >= settle_limit {
                break;
            }
            settled += 1;
            for arc in graph.out_arcs(node) {
                if arc.head == avoid {
                    continue;
                }
                let candidate = d + arc.weight;
                if candidate < self.distance[arc.head as usize] {
                    self.set(arc.head, candidate);
                    self.heap.push(Reverse((candidate, arc.head)));
                }
            }
        }
    }

    /// The distance found to `node` by the last run (infinite if not reached).
    pub fn distance(&self, node: u32) -> Weight {
        self.distance[node as usize]
    }

    fn set(&mut self, node: u32, d: Weight) {
        if self.distance[node as usize] == Weight::INFINITY {
            self.touched.push(node);
        }
        self.distance[node as usize] = d;
    }
}
