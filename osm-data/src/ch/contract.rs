//! Contraction: nodes are removed least important first, adding a shortcut wherever a shortest
//! path ran through a removed node.
//!
//! The order follows RoutingKit's: a node's importance is its level in the hierarchy so far,
//! plus the arcs and the turns (hops) its removal would add, each relative to what it removes.
//! Nodes are contracted in rounds: every node less important than all its neighbours is
//! contracted in the same round, their witness searches running in parallel (they share no
//! arc, and no witness path may cross another node of the round), then their arcs are removed
//! and the shortcuts added, each neighbour's lists edited on its own core (once a sequential
//! loop, 17 % of the wall time at region scale), then the importance of their neighbours, the
//! only ones that changed, is estimated again, in parallel too. Every such neighbour: estimating
//! only the nodes a round would pick (a stale estimate elsewhere) gave Malta 8 × 8 44 % more
//! shortcuts and cost 31 % more CPU, the worse order outweighing the saved estimates; only the
//! neighbours that gained a shortcut, +3.2 % shortcuts for −4 % CPU (`benches/README.md`).
//! Nodes are numbered along a Hilbert curve meanwhile ([`Numbering::spatial`]): at region
//! scale, neighbours numbered far apart made most of the searches' memory reads miss the cache.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::graph::RoadGraph;
use crate::memory;
use crate::progress::{Progress, Stage};
use crate::weight::Weight;

use super::adjacency::{Adjacency, Arc};
use super::locality::Numbering;
use super::witness::{Limits, WitnessSearch};
use super::{ArcOrigin, ArcStore, Hierarchy};

/// Witness searches of a real contraction: a missed witness adds a shortcut for good.
const CONTRACT_LIMITS: Limits = Limits {
    settled: 500,
    hops: u8::MAX,
};

/// Most nodes of one round contracted together (see [`contract`]).
const ROUND_SLICE: usize = 1 << 16;

/// Where [`Worker::shortcuts`] looks for witness paths.
#[derive(Clone, Copy, Debug)]
enum Witnesses {
    /// A real contraction: a bounded Dijkstra search within these limits.
    Search(Limits),
    /// An importance estimate, redone for every neighbour of every contracted node, which
    /// only needs to rank nodes: every path of one or two arcs, relaxed directly without a
    /// heap. On Malta's turn graph this replaced a Dijkstra search of 10 settled nodes and 2
    /// hops (which found a subset of those paths, ordered by a heap): contraction CPU −22 to
    /// −31 %, and 1.5 % fewer shortcuts, since every two-arc witness now counts. A Dijkstra of
    /// 40 settled nodes without a hop limit cost twice the CPU for 10 % fewer shortcuts; one-arc
    /// witnesses only gave a worse order (24 % more shortcuts).
    TwoArcs,
}

/// A shortcut that contracting a node requires.
#[derive(Clone, Copy, Debug)]
struct Shortcut {
    tail: u32,
    head: u32,
    weight: Weight,
    hops: u32,
}

/// Reusable memory of one thread: a witness search and a shortcut list.
struct Worker {
    search: WitnessSearch,
    needed: Vec<Shortcut>,
}

impl Worker {
    fn new(nodes: usize) -> Self {
        Worker {
            search: WitnessSearch::new(nodes),
            needed: Vec::new(),
        }
    }

    /// Puts in `self.needed` the shortcuts that contracting `node` requires, witness paths
    /// avoiding every node `avoid` accepts.
    ///
    /// Paths of one or two arcs are tried first, without a heap; a real contraction then
    /// searches further, with Dijkstra, only for the pairs they left without a witness, and
    /// only as far as the longest of those pairs.
    fn shortcuts(
        &mut self,
        graph: &Adjacency,
        node: u32,
        avoid: impl Fn(u32) -> bool + Copy,
        witnesses: Witnesses,
    ) {
        self.needed.clear();
        let outs = graph.out_arcs(node);
        let avoid = |x| x == node || avoid(x);
        for incoming in graph.in_arcs(node) {
            let u = incoming.head;
            let onward = || outs.iter().filter(move |o| o.head != u);
            if onward().next().is_none() {
                continue;
            }
            self.search.first_arcs(graph, u, avoid);
            let first = self.needed.len();
            for outgoing in onward() {
                let through = incoming.weight() + outgoing.weight();
                if self.search.two_arc_distance(graph, outgoing.head) > through {
                    self.needed.push(Shortcut {
                        tail: u,
                        head: outgoing.head,
                        weight: through,
                        hops: incoming.hops + outgoing.hops,
                    });
                }
            }
            let Witnesses::Search(limits) = witnesses else {
                continue;
            };
            let unwitnessed = &self.needed[first..];
            let Some(bound) = unwitnessed.iter().map(|s| s.weight).max() else {
                continue;
            };
            let targets = unwitnessed.iter().map(|s| s.head);
            self.search.run(graph, u, avoid, targets, bound, limits);
            let search = &self.search;
            let mut kept = first;
            for i in first..self.needed.len() {
                let shortcut = self.needed[i];
                if search.distance(shortcut.head) > shortcut.weight {
                    self.needed[kept] = shortcut;
                    kept += 1;
                }
            }
            self.needed.truncate(kept);
        }
    }

    /// Lower is contracted first: low in the hierarchy so far, and adding few arcs and few
    /// turns per arc and turn removed.
    fn importance(&mut self, graph: &Adjacency, level: u32, node: u32) -> u64 {
        self.shortcuts(graph, node, |_| false, Witnesses::TwoArcs);
        let arcs = graph.out_arcs(node).iter().chain(graph.in_arcs(node));
        let removed = arcs.clone().count().max(1) as u64;
        let removed_hops = arcs.map(|a| u64::from(a.hops)).sum::<u64>().max(1);
        let added = self.needed.len() as u64;
        let added_hops: u64 = self.needed.iter().map(|s| u64::from(s.hops)).sum();
        1 + 1000 * u64::from(level) + 1000 * added / removed + 1000 * added_hops / removed_hops
    }
}

/// One worker per thread of the pool, taken by the thread that runs a task.
struct Workers(Vec<Mutex<Worker>>);

impl Workers {
    fn new(nodes: usize) -> Self {
        let threads = rayon::current_num_threads().max(1);
        Workers(
            (0..threads)
                .map(|_| Mutex::new(Worker::new(nodes)))
                .collect(),
        )
    }

    fn with<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> T {
        let i = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        // A worker is only ever taken by its own thread; a poisoned one still holds memory
        // that is valid to reuse.
        let mut worker = self.0[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut worker)
    }
}

/// Importance, with the node's id breaking ties so that every round has a least node.
fn key(importance: &[u64], node: u32) -> (u64, u32) {
    (importance[node as usize], node)
}

/// A graph's turns as the contraction reads them: all it needs of the graph, so that the
/// graph itself (edges, segments, the pages of its file read to build this) can be dropped
/// before contraction starts.
pub(crate) struct Contraction {
    numbering: Numbering,
    adjacency: Adjacency,
}

impl Contraction {
    /// The turns of `graph`, numbered along a Hilbert curve.
    pub fn of(graph: &RoadGraph) -> Self {
        let numbering = Numbering::spatial(graph);
        let adjacency = Adjacency::from_graph(graph, &numbering);
        Contraction {
            numbering,
            adjacency,
        }
    }

    /// Builds the hierarchy, keeping the arcs of contracted nodes in `up` and `down` until
    /// every rank is known.
    pub fn run<S: ArcStore>(
        self,
        progress: &dyn Progress,
        up: S,
        down: S,
    ) -> Result<Hierarchy, S::Error> {
        contract(self, progress, up, down)
    }
}

fn contract<S: ArcStore>(
    contraction: Contraction,
    progress: &dyn Progress,
    mut up: S,
    mut down: S,
) -> Result<Hierarchy, S::Error> {
    let Contraction {
        numbering,
        mut adjacency,
    } = contraction;
    let n = numbering.node.len();
    progress.start(Stage::Contracting, n as u64);
    let workers = Workers::new(n);
    let mut level = vec![0u32; n];
    let mut importance: Vec<u64> = (0..n as u32)
        .into_par_iter()
        .map(|v| workers.with(|w| w.importance(&adjacency, 0, v)))
        .collect();

    let mut rank = vec![u32::MAX; n];
    let mut in_round = vec![false; n];
    // Contraction order is rank order: each contracted node's arcs go straight to their
    // store, instead of one list per node copied into the query arrays at the end.
    let mut remaining: Vec<u32> = (0..n as u32).collect();
    let mut next_rank = 0u32;
    while !remaining.is_empty() {
        let round: Vec<u32> = remaining
            .par_iter()
            .copied()
            .filter(|&v| {
                let own = key(&importance, v);
                let arcs = adjacency.out_arcs(v).iter().chain(adjacency.in_arcs(v));
                arcs.into_iter().all(|a| own < key(&importance, a.head))
            })
            .collect();
        // The first rounds take a fifth of the network at once (672,859 turn nodes of Malta
        // 8 × 8's 3.49 M): contracted a slice at a time, their shortcuts and list edits hold
        // a slice's worth of memory. Nodes of one round are never adjacent, so a slice's
        // shortcuts never touch another slice's nodes.
        for slice in round.chunks(ROUND_SLICE) {
            for &v in slice {
                in_round[v as usize] = true;
            }
            let shortcuts: Vec<(u32, Arc)> = slice
                .par_iter()
                .flat_map_iter(|&v| {
                    let needed = workers.with(|w| {
                        w.shortcuts(
                            &adjacency,
                            v,
                            |x| in_round[x as usize],
                            Witnesses::Search(CONTRACT_LIMITS),
                        );
                        w.needed.clone()
                    });
                    needed.into_iter().map(move |s| {
                        let origin = ArcOrigin::Shortcut { via: v };
                        (s.tail, Arc::new(s.head, s.weight, origin, s.hops))
                    })
                })
                .collect();
            let neighbours =
                adjacency.remove_round(slice, &in_round, shortcuts, |node, out, into| {
                    for arc in out.iter().chain(into) {
                        let i = arc.head as usize;
                        level[i] = level[i].max(level[node as usize] + 1);
                    }
                    up.push_node(out);
                    down.push_node(into);
                    rank[node as usize] = next_rank;
                    next_rank += 1;
                });
            for &v in slice {
                in_round[v as usize] = false;
            }
            let updated: Vec<u64> = neighbours
                .par_iter()
                .map(|&v| workers.with(|w| w.importance(&adjacency, level[v as usize], v)))
                .collect();
            for (&v, value) in neighbours.iter().zip(updated) {
                importance[v as usize] = value;
            }
            progress.advance(slice.len() as u64);
        }
        remaining.retain(|&v| rank[v as usize] == u32::MAX);
    }
    drop((adjacency, workers, importance, level, in_round, remaining));
    memory::release_free_memory();
    let up = up.into_ranks(&rank)?;
    let down = down.into_ranks(&rank)?;
    let rank: Vec<u32> = numbering
        .new
        .iter()
        .map(|&new| rank[new as usize])
        .collect();
    Ok(Hierarchy {
        up,
        down,
        rank: rank.into(),
    })
}
