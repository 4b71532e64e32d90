//! Contraction: nodes are removed one by one, least important first, adding a shortcut wherever
//! a shortest path ran through the removed node. Node order comes from a priority (edge
//! difference, contracted neighbours, depth) kept up to date lazily.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::graph::RoadGraph;
use crate::progress::{Progress, Stage};
use crate::weight::Weight;

use super::witness::WitnessSearch;
use super::{ArcOrigin, Hierarchy, QueryArcs};

/// Nodes a witness search may settle. Larger finds more witnesses (fewer shortcuts) but costs
/// preprocessing time; road graphs saturate well below this.
const SETTLE_LIMIT: usize = 300;
/// Nodes a witness search may settle while only estimating a node's priority: the estimate is
/// redone at every lazy update, so it must be cheap; a turn graph (three times the nodes of a
/// junction graph, its U-turn arcs giving long search bounds) made the full limit dominate
/// preparation.
const PRIORITY_SETTLE_LIMIT: usize = 40;

/// An arc of the graph being contracted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arc {
    pub head: u32,
    pub weight: Weight,
    pub origin: ArcOrigin,
}

/// The uncontracted part of the graph: out-arcs and in-arcs (an in-arc's `head` is its tail).
pub(crate) struct Adjacency {
    out: Vec<Vec<Arc>>,
    into: Vec<Vec<Arc>>,
}

impl Adjacency {
    /// The turns of the graph's turn-aware search graph, without self-loops, keeping the
    /// lightest of parallel arcs. An arc stands for the road edge it turns onto.
    fn from_graph(graph: &RoadGraph) -> Self {
        let turns = graph.turns();
        let n = turns.node_count();
        let mut adjacency = Adjacency {
            out: vec![Vec::new(); n],
            into: vec![Vec::new(); n],
        };
        for tail in 0..n as u32 {
            for arc in turns.arcs(graph, tail) {
                if arc.head != tail {
                    let origin = ArcOrigin::Edge(turns.base(arc.head));
                    adjacency.insert(tail, arc.head, arc.weight, origin);
                }
            }
        }
        adjacency
    }

    pub fn out_arcs(&self, node: u32) -> &[Arc] {
        &self.out[node as usize]
    }

    /// Adds `tail → head`, or lowers the weight of the existing arc between them.
    fn insert(&mut self, tail: u32, head: u32, weight: Weight, origin: ArcOrigin) {
        let out = &mut self.out[tail as usize];
        match out.iter_mut().find(|a| a.head == head) {
            Some(existing) if existing.weight <= weight => return,
            Some(existing) => {
                existing.weight = weight;
                existing.origin = origin;
            }
            None => out.push(Arc {
                head,
                weight,
                origin,
            }),
        }
        let into = &mut self.into[head as usize];
        let reverse = Arc {
            head: tail,
            weight,
            origin,
        };
        match into.iter_mut().find(|a| a.head == tail) {
            Some(existing) => *existing = reverse,
            None => into.push(reverse),
        }
    }

    /// Detaches a node from its neighbours' lists.
    fn remove(&mut self, node: u32) {
        for arc in std::mem::take(&mut self.out[node as usize]) {
            self.into[arc.head as usize].retain(|a| a.head != node);
        }
        for arc in std::mem::take(&mut self.into[node as usize]) {
            self.out[arc.head as usize].retain(|a| a.head != node);
        }
    }
}

/// The shortcuts `(tail, head, weight)` that contracting `node` requires.
fn shortcuts(
    graph: &Adjacency,
    search: &mut WitnessSearch,
    node: u32,
    settle_limit: usize,
) -> Vec<(u32, u32, Weight)> {
    let outs = &graph.out[node as usize];
    let mut needed = Vec::new();
    for incoming in &graph.into[node as usize] {
        let u = incoming.head;
        let Some(longest) = outs.iter().filter(|o| o.head != u).map(|o| o.weight).max() else {
            continue;
        };
        search.run(graph, u, node, incoming.weight + longest, settle_limit);
        for outgoing in outs.iter().filter(|o| o.head != u) {
            let through = incoming.weight + outgoing.weight;
            if search.distance(outgoing.head) > through {
                needed.push((u, outgoing.head, through));
            }
        }
    }
    needed
}

/// Per-node importance bookkeeping.
struct Importance {
    contracted_neighbours: Vec<i32>,
    depth: Vec<i32>,
}

impl Importance {
    /// Lower is contracted first: nodes whose removal adds few shortcuts, away from already
    /// contracted areas, low in the hierarchy.
    fn priority(&self, graph: &Adjacency, search: &mut WitnessSearch, node: u32) -> i32 {
        let added = shortcuts(graph, search, node, PRIORITY_SETTLE_LIMIT).len() as i32;
        let removed = (graph.out[node as usize].len() + graph.into[node as usize].len()) as i32;
        let n = node as usize;
        4 * (added - removed) + 2 * self.contracted_neighbours[n] + self.depth[n]
    }
}

/// Builds the hierarchy of `graph`.
pub(crate) fn contract(graph: &RoadGraph, progress: &dyn Progress) -> Hierarchy {
    let n = graph.turns().node_count();
    progress.start(Stage::Contracting, n as u64);
    let mut adjacency = Adjacency::from_graph(graph);
    let mut importance = Importance {
        contracted_neighbours: vec![0; n],
        depth: vec![0; n],
    };
    let initial: Vec<i32> = (0..n as u32)
        .into_par_iter()
        .map_init(
            || WitnessSearch::new(n),
            |search, v| importance.priority(&adjacency, search, v),
        )
        .collect();
    let mut queue: BinaryHeap<Reverse<(i32, u32)>> =
        initial.into_iter().zip(0..).map(Reverse).collect();

    let mut search = WitnessSearch::new(n);
    let mut rank = vec![u32::MAX; n];
    let mut up: Vec<Vec<Arc>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<Arc>> = vec![Vec::new(); n];
    let mut next_rank = 0u32;
    while let Some(Reverse((_, node))) = queue.pop() {
        if rank[node as usize] != u32::MAX {
            continue;
        }
        let current = importance.priority(&adjacency, &mut search, node);
        if queue
            .peek()
            .is_some_and(|Reverse((next, _))| current > *next)
        {
            queue.push(Reverse((current, node)));
            continue;
        }
        let added = shortcuts(&adjacency, &mut search, node, SETTLE_LIMIT);
        up[node as usize] = adjacency.out[node as usize].clone();
        down[node as usize] = adjacency.into[node as usize].clone();
        rank[node as usize] = next_rank;
        next_rank += 1;
        adjacency.remove(node);
        for (tail, head, weight) in added {
            adjacency.insert(tail, head, weight, ArcOrigin::Shortcut { via: node });
        }
        let neighbours: Vec<u32> = up[node as usize]
            .iter()
            .chain(&down[node as usize])
            .map(|a| a.head)
            .collect();
        for neighbour in neighbours {
            let i = neighbour as usize;
            importance.contracted_neighbours[i] += 1;
            importance.depth[i] = importance.depth[i].max(importance.depth[node as usize] + 1);
        }
        if next_rank.is_multiple_of(1024) {
            progress.advance(1024);
        }
    }
    progress.advance(u64::from(next_rank % 1024));
    let node_of_rank = rank_order(&rank);
    Hierarchy {
        up: QueryArcs::by_rank(&up, &node_of_rank),
        down: QueryArcs::by_rank(&down, &node_of_rank),
        rank,
    }
}

/// For each node: its rank; turned around: the node of each rank.
fn rank_order(rank: &[u32]) -> Vec<u32> {
    let mut node_of_rank = vec![0u32; rank.len()];
    for (node, r) in rank.iter().enumerate() {
        node_of_rank[*r as usize] = node as u32;
    }
    node_of_rank
}
