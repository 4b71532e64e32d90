//! The part of the graph not contracted yet: per node, its out-arcs and in-arcs, edited in
//! place as nodes are removed and shortcuts added.

use crate::graph::RoadGraph;
use crate::weight::Weight;

use super::ArcOrigin;
use super::locality::Numbering;

/// An arc of the graph being contracted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arc {
    /// The other end: the head of an out-arc, the tail of an in-arc.
    pub head: u32,
    pub weight: Weight,
    pub origin: ArcOrigin,
    /// Turns of the search graph the arc stands for (1 for a turn, more for a shortcut): the
    /// node order keeps it low, so that shortcuts stay short and unpacking cheap.
    pub hops: u32,
}

/// Out-arcs and in-arcs of every uncontracted node (an in-arc's `head` is its tail).
pub(crate) struct Adjacency {
    out: Vec<Vec<Arc>>,
    into: Vec<Vec<Arc>>,
}

impl Adjacency {
    /// The turns of the graph's turn-aware search graph, without self-loops, keeping the
    /// lightest of parallel arcs, between nodes numbered by `numbering`. An arc stands for the
    /// road edge it turns onto.
    pub fn from_graph(graph: &RoadGraph, numbering: &Numbering) -> Self {
        let turns = graph.turns();
        let n = turns.node_count();
        let mut adjacency = Adjacency {
            out: vec![Vec::new(); n],
            into: vec![Vec::new(); n],
        };
        for (tail, &node) in numbering.node.iter().enumerate() {
            for arc in turns.arcs(graph, node) {
                if arc.head != node {
                    let origin = ArcOrigin::Edge(turns.base(arc.head));
                    let head = numbering.new[arc.head as usize];
                    adjacency.insert(tail as u32, head, arc.weight, origin, 1);
                }
            }
        }
        adjacency
    }

    /// A graph of `n` nodes and no arc, for tests that build their own.
    #[cfg(test)]
    pub fn empty(n: usize) -> Self {
        Adjacency {
            out: vec![Vec::new(); n],
            into: vec![Vec::new(); n],
        }
    }

    pub fn out_arcs(&self, node: u32) -> &[Arc] {
        &self.out[node as usize]
    }

    pub fn in_arcs(&self, node: u32) -> &[Arc] {
        &self.into[node as usize]
    }

    /// Adds `tail → head`, or lowers the weight of the existing arc between them.
    pub fn insert(&mut self, tail: u32, head: u32, weight: Weight, origin: ArcOrigin, hops: u32) {
        let arc = Arc {
            head,
            weight,
            origin,
            hops,
        };
        let reverse = Arc { head: tail, ..arc };
        let out = &mut self.out[tail as usize];
        match out.iter_mut().find(|a| a.head == head) {
            Some(existing) if existing.weight <= weight => return,
            Some(existing) => *existing = arc,
            None => out.push(arc),
        }
        let into = &mut self.into[head as usize];
        match into.iter_mut().find(|a| a.head == tail) {
            Some(existing) => *existing = reverse,
            None => into.push(reverse),
        }
    }

    /// Detaches a node from its neighbours' lists and returns its (out-arcs, in-arcs).
    pub fn remove(&mut self, node: u32) -> (Vec<Arc>, Vec<Arc>) {
        let out = std::mem::take(&mut self.out[node as usize]);
        let into = std::mem::take(&mut self.into[node as usize]);
        for arc in &out {
            self.into[arc.head as usize].retain(|a| a.head != node);
        }
        for arc in &into {
            self.out[arc.head as usize].retain(|a| a.head != node);
        }
        (out, into)
    }
}
