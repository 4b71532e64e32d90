//! The upward searches every hierarchy query is made of, with stall-on-demand: a node reached
//! more cheaply from a more important node is not expanded, since no shortest path climbs
//! through it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, PoisonError};

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

/// Upward searches lent to the rows of one many-to-many query. A search holds two arrays the
/// size of the hierarchy (56 MB for a region's car network); rayon calls a per-task
/// initialiser once per piece of work it splits off, dozens of times per matrix, so searches
/// are taken from here and given back instead: each worker thread allocates at most one.
pub(crate) struct SearchPool {
    nodes: usize,
    idle: Mutex<Vec<UpwardSearch>>,
}

impl SearchPool {
    /// An empty pool of searches over `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        SearchPool {
            nodes,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// An idle search, or a new one when every search is lent.
    pub fn take(&self) -> PooledSearch<'_> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        PooledSearch {
            search: Some(idle.unwrap_or_else(|| UpwardSearch::new(self.nodes))),
            pool: self,
        }
    }
}

/// A search lent by a [`SearchPool`], given back when dropped.
pub(crate) struct PooledSearch<'a> {
    search: Option<UpwardSearch>,
    pool: &'a SearchPool,
}

impl Deref for PooledSearch<'_> {
    type Target = UpwardSearch;
    fn deref(&self) -> &UpwardSearch {
        self.search.as_ref().expect("present until dropped")
    }
}

impl DerefMut for PooledSearch<'_> {
    fn deref_mut(&mut self) -> &mut UpwardSearch {
        self.search.as_mut().expect("present until dropped")
    }
}

impl Drop for PooledSearch<'_> {
    fn drop(&mut self) {
        if let Some(search) = self.search.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(search);
        }
    }
}
