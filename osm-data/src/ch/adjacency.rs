//! The part of the graph not contracted yet: per node, its out-arcs and in-arcs, edited in
//! place as nodes are removed and shortcuts added.

use rayon::prelude::*;

use crate::graph::RoadGraph;
use crate::weight::Weight;

use super::ArcOrigin;
use super::locality::Numbering;

/// An arc of the graph being contracted, in 20 bytes: its origin packed in a `u32` as the
/// query arrays store it ([`ArcOrigin::pack`]) and no padding before the `u32` fields. Witness
/// searches and estimates are bound by reading neighbours' arc lists, so the size of an arc is
/// memory traffic; with `ArcOrigin` (8 bytes) and the `u64` weight's alignment it took 24.
#[derive(Clone, Copy, Debug)]
#[repr(C, packed(4))]
pub(crate) struct Arc {
    /// The other end: the head of an out-arc, the tail of an in-arc.
    pub head: u32,
    weight: Weight,
    /// [`ArcOrigin::pack`]ed.
    origin: u32,
    /// Turns of the search graph the arc stands for (1 for a turn, more for a shortcut): the
    /// node order keeps it low, so that shortcuts stay short and unpacking cheap.
    pub hops: u32,
}

impl Arc {
    /// An arc to (or, in an in-list, from) `head`, its origin packed.
    pub fn new(head: u32, weight: Weight, origin: ArcOrigin, hops: u32) -> Self {
        Arc {
            head,
            weight,
            origin: origin.pack(),
            hops,
        }
    }

    /// The weight, copied out of the packed struct (a reference to it could be unaligned).
    #[inline]
    pub fn weight(&self) -> Weight {
        self.weight
    }

    /// Where the arc comes from, [`ArcOrigin::pack`]ed as the query arrays store it.
    pub fn packed_origin(&self) -> u32 {
        self.origin
    }

    /// Where the arc comes from, unpacked.
    #[cfg(test)]
    pub fn origin(&self) -> ArcOrigin {
        ArcOrigin::unpack(self.origin)
    }
}

/// A removed node's (out-arcs, in-arcs).
pub(crate) type RemovedArcs = (Vec<Arc>, Vec<Arc>);

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
        let arcs = |tail: usize| {
            let node = numbering.node[tail];
            turns
                .arcs(graph, node)
                .filter(move |arc| arc.head != node)
                .map(|arc| (numbering.new[arc.head as usize], arc))
        };
        // Each list sized to its arcs before it is filled: grown by doubling, the lists of
        // Malta 8 × 8 had room for 28.1 M arcs and held 19.1 M (172 MB spare), and shrinking
        // them afterwards freed blocks the allocator kept.
        let mut out_degree = vec![0u32; n];
        let mut in_degree = vec![0u32; n];
        for (tail, degree) in out_degree.iter_mut().enumerate() {
            for (head, _) in arcs(tail) {
                *degree += 1;
                in_degree[head as usize] += 1;
            }
        }
        let lists = |degree: Vec<u32>| {
            degree
                .into_par_iter()
                .map(|d| Vec::with_capacity(d as usize))
                .collect()
        };
        let mut adjacency = Adjacency {
            out: lists(out_degree),
            into: lists(in_degree),
        };
        for tail in 0..n {
            for (head, arc) in arcs(tail) {
                let origin = ArcOrigin::Edge(turns.base(arc.head));
                adjacency.insert(tail as u32, head, arc.weight, origin, 1);
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
        let arc = Arc::new(head, weight, origin, hops);
        if merge(&mut self.out[tail as usize], arc) {
            merge(&mut self.into[head as usize], Arc { head: tail, ..arc });
        }
    }

    /// Removes the nodes of one round, none adjacent to another, and adds `shortcuts` (tail,
    /// arc) between their neighbours. Returns each removed node's (out-arcs, in-arcs), in round
    /// order, and the nodes whose lists changed (their neighbours), sorted.
    ///
    /// Every list edited is a neighbour's, so the lists are taken out and edited on every
    /// core: removing arcs to the round's nodes, then merging the shortcuts in round order
    /// (the lightest of parallel arcs kept, the first of equal ones, as [`Adjacency::insert`]
    /// one by one would).
    pub fn remove_round(
        &mut self,
        round: &[u32],
        in_round: &[bool],
        shortcuts: Vec<(u32, Arc)>,
    ) -> (Vec<RemovedArcs>, Vec<u32>) {
        let removed: Vec<RemovedArcs> = round
            .iter()
            .map(|&v| {
                let v = v as usize;
                (
                    std::mem::take(&mut self.out[v]),
                    std::mem::take(&mut self.into[v]),
                )
            })
            .collect();
        let mut touched: Vec<u32> = removed
            .iter()
            .flat_map(|(out, into)| out.iter().chain(into).map(|a| a.head))
            .collect();
        touched.par_sort_unstable();
        touched.dedup();
        let mut added_into: Vec<(u32, Arc)> = shortcuts
            .iter()
            .map(|&(tail, arc)| (arc.head, Arc { head: tail, ..arc }))
            .collect();
        let mut added_out = shortcuts;
        // Stable sorts: shortcuts to the same node stay in round order.
        added_out.par_sort_by_key(|&(node, _)| node);
        added_into.par_sort_by_key(|&(node, _)| node);
        let mut lists: Vec<(u32, Vec<Arc>, Vec<Arc>)> = touched
            .iter()
            .map(|&x| {
                let lists = (&mut self.out[x as usize], &mut self.into[x as usize]);
                (x, std::mem::take(lists.0), std::mem::take(lists.1))
            })
            .collect();
        lists.par_iter_mut().for_each(|(x, out, into)| {
            for (list, added) in [(out, &added_out), (into, &added_into)] {
                list.retain(|a| !in_round[a.head as usize]);
                let first = added.partition_point(|&(node, _)| node < *x);
                for &(_, arc) in added[first..].iter().take_while(|&&(node, _)| node == *x) {
                    merge(list, arc);
                }
            }
        });
        for (x, out, into) in lists {
            self.out[x as usize] = out;
            self.into[x as usize] = into;
        }
        (removed, touched)
    }
}

/// Adds `arc` to `list`, or lowers the weight of the arc to the same node; whether `list`
/// changed.
fn merge(list: &mut Vec<Arc>, arc: Arc) -> bool {
    match list.iter_mut().find(|a| a.head == arc.head) {
        Some(existing) if existing.weight() <= arc.weight() => false,
        Some(existing) => {
            *existing = arc;
            true
        }
        None => {
            list.push(arc);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EdgeIdx;

    fn seconds(s: u32) -> Weight {
        Weight::new(s * 1000, 0)
    }

    fn shortcut(tail: u32, head: u32, weight: Weight, via: u32) -> (u32, Arc) {
        let arc = Arc::new(head, weight, ArcOrigin::Shortcut { via }, 2);
        (tail, arc)
    }

    /// (other end, weight, origin) of a list, in order.
    fn ends(arcs: &[Arc]) -> Vec<(u32, Weight, ArcOrigin)> {
        arcs.iter()
            .map(|a| (a.head, a.weight(), a.origin()))
            .collect()
    }

    #[test]
    fn an_arc_takes_20_bytes() {
        assert_eq!(std::mem::size_of::<Arc>(), 20);
    }

    #[test]
    fn a_round_leaves_the_lists_that_inserting_its_shortcuts_one_by_one_would() {
        // 0 → 2 through 1 or through 3, 4 → 2 through 3; 1 and 3 are contracted in one round.
        let mut graph = Adjacency::empty(5);
        for (i, (tail, head)) in [(0, 1), (1, 2), (0, 3), (3, 2), (4, 3)]
            .into_iter()
            .enumerate()
        {
            graph.insert(
                tail,
                head,
                seconds(1),
                ArcOrigin::Edge(EdgeIdx(i as u32)),
                1,
            );
        }
        let mut in_round = vec![false; 5];
        in_round[1] = true;
        in_round[3] = true;
        // Through 1 and through 3 weigh the same: the first in round order stays.
        let shortcuts = vec![
            shortcut(0, 2, seconds(2), 1),
            shortcut(0, 2, seconds(2), 3),
            shortcut(4, 2, seconds(2), 3),
        ];
        let (removed, touched) = graph.remove_round(&[1, 3], &in_round, shortcuts);

        assert_eq!(touched, [0, 2, 4]);
        let removed_ends: Vec<_> = removed
            .iter()
            .map(|(out, into)| (ends(out), ends(into)))
            .collect();
        let edge = |i| ArcOrigin::Edge(EdgeIdx(i));
        assert_eq!(
            removed_ends[0],
            (
                vec![(2, seconds(1), edge(1))],
                vec![(0, seconds(1), edge(0))]
            )
        );
        assert_eq!(removed_ends[1].0, [(2, seconds(1), edge(3))]);
        assert_eq!(removed_ends[1].1.len(), 2);
        let via = |via| ArcOrigin::Shortcut { via };
        assert_eq!(ends(graph.out_arcs(0)), [(2, seconds(2), via(1))]);
        assert_eq!(ends(graph.out_arcs(4)), [(2, seconds(2), via(3))]);
        assert_eq!(
            ends(graph.in_arcs(2)),
            [(0, seconds(2), via(1)), (4, seconds(2), via(3))]
        );
        for removed in [1, 3] {
            assert!(graph.out_arcs(removed).is_empty() && graph.in_arcs(removed).is_empty());
        }
    }

    #[test]
    fn a_lighter_shortcut_later_in_the_round_replaces_a_heavier_one() {
        let mut graph = Adjacency::empty(4);
        let mut in_round = vec![false; 4];
        in_round[1] = true;
        in_round[3] = true;
        for (i, (tail, head)) in [(0, 1), (1, 2), (0, 3), (3, 2)].into_iter().enumerate() {
            graph.insert(
                tail,
                head,
                seconds(1),
                ArcOrigin::Edge(EdgeIdx(i as u32)),
                1,
            );
        }
        let shortcuts = vec![shortcut(0, 2, seconds(5), 1), shortcut(0, 2, seconds(2), 3)];
        graph.remove_round(&[1, 3], &in_round, shortcuts);
        let via = ArcOrigin::Shortcut { via: 3 };
        assert_eq!(ends(graph.out_arcs(0)), [(2, seconds(2), via)]);
        assert_eq!(ends(graph.in_arcs(2)), [(0, seconds(2), via)]);
    }
}
