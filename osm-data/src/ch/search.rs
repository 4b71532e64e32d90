//! The upward searches every hierarchy query is made of, with stall-on-demand: a node reached
//! more cheaply from a more important node is not expanded, since no shortest path climbs
//! through it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::weight::Weight;

use super::Hierarchy;

/// Which way a search climbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Distances from the seeds, along `up` arcs.
    Forward,
    /// Distances to the seeds, along `down` arcs travelled backwards.
    Backward,
}

/// No parent: a seed.
const SEED: u32 = u32::MAX;

/// One upward search with reusable memory (one per thread).
pub(crate) struct UpwardSearch {
    distance: Vec<Weight>,
    /// The rank and arc a node was reached from (`SEED` for seeds).
    parent: Vec<(u32, u32)>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
    settled: Vec<(u32, Weight)>,
}

impl UpwardSearch {
    pub fn new(nodes: usize) -> Self {
        UpwardSearch {
            distance: vec![Weight::INFINITY; nodes],
            parent: vec![(SEED, SEED); nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            settled: Vec::new(),
        }
    }

    /// Searches from `seeds` (rank, initial weight) to exhaustion; returns the nodes settled
    /// without being stalled, with their distances.
    pub fn run(
        &mut self,
        hierarchy: &Hierarchy,
        direction: Direction,
        seeds: &[(u32, Weight)],
    ) -> &[(u32, Weight)] {
        for &node in &self.touched {
            self.distance[node as usize] = Weight::INFINITY;
        }
        self.touched.clear();
        self.heap.clear();
        self.settled.clear();
        for &(rank, weight) in seeds {
            if weight < self.distance[rank as usize] {
                self.reach(rank, weight, (SEED, SEED));
            }
        }
        let (climb, stall) = match direction {
            Direction::Forward => (hierarchy.up(), hierarchy.down()),
            Direction::Backward => (hierarchy.down(), hierarchy.up()),
        };
        while let Some(Reverse((d, node))) = self.heap.pop() {
            if d > self.distance[node as usize] {
                continue;
            }
            let stalled = stall
                .of(node)
                .any(|a| self.distance[stall.other(a) as usize] + stall.weight(a) < d);
            if stalled {
                continue;
            }
            self.settled.push((node, d));
            for arc in climb.of(node) {
                let other = climb.other(arc);
                let candidate = d + climb.weight(arc);
                if candidate < self.distance[other as usize] {
                    self.reach(other, candidate, (node, arc as u32));
                }
            }
        }
        &self.settled
    }

    /// The distance of a node found by the last run.
    pub fn distance(&self, rank: u32) -> Weight {
        self.distance[rank as usize]
    }

    /// The path the last run found to `rank`: the seed it started from, and its arcs from
    /// `rank` back to that seed.
    pub fn path_back_from(&self, mut rank: u32) -> (u32, Vec<usize>) {
        let mut arcs = Vec::new();
        loop {
            let (parent, arc) = self.parent[rank as usize];
            if parent == SEED {
                return (rank, arcs);
            }
            arcs.push(arc as usize);
            rank = parent;
        }
    }

    fn reach(&mut self, rank: u32, weight: Weight, parent: (u32, u32)) {
        if self.distance[rank as usize] == Weight::INFINITY {
            self.touched.push(rank);
        }
        self.distance[rank as usize] = weight;
        self.parent[rank as usize] = parent;
        self.heap.push(Reverse((weight, rank)));
    }
}
