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
    /// Room for an arc in a list's span, not an arc of the graph.
    const EMPTY: Arc = Arc {
        head: 0,
        weight: Weight::ZERO,
        origin: 0,
        hops: 0,
    };

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

/// Out-arcs and in-arcs of every uncontracted node (an in-arc's `head` is its tail).
pub(crate) struct Adjacency {
    out: Lists,
    into: Lists,
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
        // Each list's room is its degree, counted before the arena is filled.
        let mut out_degree = vec![0u32; n];
        let mut in_degree = vec![0u32; n];
        for (tail, degree) in out_degree.iter_mut().enumerate() {
            for (head, _) in arcs(tail) {
                *degree += 1;
                in_degree[head as usize] += 1;
            }
        }
        let mut adjacency = Adjacency {
            out: Lists::with_room(&out_degree),
            into: Lists::with_room(&in_degree),
        };
        drop((out_degree, in_degree));
        for tail in 0..n {
            for (head, arc) in arcs(tail) {
                let origin = ArcOrigin::Edge(turns.base(arc.head));
                adjacency.insert(tail as u32, head, arc.weight, origin, 1);
            }
        }
        adjacency
    }

    /// A graph of `n` nodes and no arc, for tests that build their own, its arenas compacted
    /// as soon as an eighth of them is garbage.
    #[cfg(test)]
    pub fn empty(n: usize) -> Self {
        let lists = || Lists {
            compact_after: 0,
            ..Lists::with_room(&vec![0; n])
        };
        Adjacency {
            out: lists(),
            into: lists(),
        }
    }

    pub fn out_arcs(&self, node: u32) -> &[Arc] {
        self.out.list(node)
    }

    pub fn in_arcs(&self, node: u32) -> &[Arc] {
        self.into.list(node)
    }

    /// Adds `tail → head`, or lowers the weight of the existing arc between them.
    pub fn insert(&mut self, tail: u32, head: u32, weight: Weight, origin: ArcOrigin, hops: u32) {
        let arc = Arc::new(head, weight, origin, hops);
        if self.out.merge(tail, arc) {
            self.into.merge(head, Arc { head: tail, ..arc });
        }
    }

    /// Removes the nodes of one round, none adjacent to another, and adds `shortcuts` (tail,
    /// arc) between their neighbours. `removed` is shown each removed node's out-arcs and
    /// in-arcs, in round order, before they go. Returns the nodes whose lists changed (their
    /// neighbours), sorted.
    ///
    /// Every list edited is a neighbour's, so the lists are edited in place on every core:
    /// removing arcs to the round's nodes, then merging the shortcuts in round order (the
    /// lightest of parallel arcs kept, the first of equal ones, as [`Adjacency::insert`] one by
    /// one would).
    pub fn remove_round(
        &mut self,
        round: &[u32],
        in_round: &[bool],
        shortcuts: Vec<(u32, Arc)>,
        mut removed: impl FnMut(u32, &[Arc], &[Arc]),
    ) -> Vec<u32> {
        let mut touched: Vec<u32> = round
            .iter()
            .flat_map(|&v| self.out.list(v).iter().chain(self.into.list(v)))
            .map(|a| a.head)
            .collect();
        touched.par_sort_unstable();
        touched.dedup();
        for &v in round {
            removed(v, self.out.list(v), self.into.list(v));
            self.out.remove(v);
            self.into.remove(v);
        }
        let mut added_into: Vec<(u32, Arc)> = shortcuts
            .iter()
            .map(|&(tail, arc)| (arc.head, Arc { head: tail, ..arc }))
            .collect();
        let mut added_out = shortcuts;
        // Stable sorts: shortcuts to the same node stay in round order.
        added_out.par_sort_by_key(|&(node, _)| node);
        added_into.par_sort_by_key(|&(node, _)| node);
        self.out.edit(&touched, in_round, &added_out);
        self.into.edit(&touched, in_round, &added_into);
        touched
    }
}

/// Where a node's list lies in its arena: `len` arcs from `start`, in room for `room`.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: usize,
    len: u32,
    room: u32,
}

/// Touched lists edited per batch: bounds the batch's own memory (per list, its slice of the
/// arena, its new length and the arcs that overflow its room) in the first rounds, which touch
/// millions of lists.
const EDIT_BATCH: usize = 1 << 16;

/// Arcs no list holds that an arena may keep at the least before it is compacted: a
/// compaction walks every node's span, which only pays once that much is gained.
const COMPACT_AFTER: usize = 1 << 20;

/// Every node's arcs in one direction, each list a span of one arena.
///
/// One vector per list cost Malta 8 × 8 a 24-byte header and the allocator's own header and
/// rounding for each of 7 M lists (about 280 MB beside 380 MB of arcs), and the blocks that
/// lists outgrew were kept by the allocator. Here a list that outgrows its room moves to the
/// end of the arena, and the arena is compacted once an eighth of it (and at least
/// [`COMPACT_AFTER`] arcs) is lists moved or removed.
struct Lists {
    arena: Vec<Arc>,
    span: Vec<Span>,
    /// Arcs of the arena that no list holds any more.
    garbage: usize,
    /// The least garbage compacted ([`COMPACT_AFTER`], but none in tests of small graphs).
    compact_after: usize,
}

impl Lists {
    /// Empty lists, node `v`'s with room for `room[v]` arcs.
    fn with_room(room: &[u32]) -> Self {
        let mut start = 0usize;
        let span = room
            .iter()
            .map(|&room| {
                let span = Span {
                    start,
                    len: 0,
                    room,
                };
                start += room as usize;
                span
            })
            .collect();
        Lists {
            arena: vec![Arc::EMPTY; start],
            span,
            garbage: 0,
            compact_after: COMPACT_AFTER,
        }
    }

    fn list(&self, node: u32) -> &[Arc] {
        let span = self.span[node as usize];
        &self.arena[span.start..span.start + span.len as usize]
    }

    /// Adds `arc` to `node`'s list, or lowers the weight of its arc to the same node; whether
    /// the list changed.
    fn merge(&mut self, node: u32, arc: Arc) -> bool {
        let span = self.span[node as usize];
        let list = &mut self.arena[span.start..span.start + span.room as usize];
        let mut len = span.len as usize;
        let mut overflow = Vec::new();
        let changed = merge(list, &mut len, &mut overflow, arc);
        self.span[node as usize].len = len as u32;
        if !overflow.is_empty() {
            self.relocate(node, &overflow);
        }
        changed
    }

    fn remove(&mut self, node: u32) {
        let span = std::mem::take(&mut self.span[node as usize]);
        self.garbage += span.room as usize;
    }

    /// Removes from the lists of `touched` (sorted) their arcs to nodes of the round, then
    /// merges `added` (sorted by node, round order kept within a node) into them.
    fn edit(&mut self, touched: &[u32], in_round: &[bool], added: &[(u32, Arc)]) {
        let mut by_start = touched.to_vec();
        // Lists with no room may share their start with the next list: they go first.
        by_start.par_sort_unstable_by_key(|&x| {
            let span = self.span[x as usize];
            (span.start, span.room)
        });
        for batch in by_start.chunks(EDIT_BATCH) {
            let mut rest: &mut [Arc] = &mut self.arena;
            let mut offset = 0;
            let mut lists = Vec::with_capacity(batch.len());
            for &x in batch {
                let span = self.span[x as usize];
                let (_, from_start) = std::mem::take(&mut rest).split_at_mut(span.start - offset);
                let (list, after) = from_start.split_at_mut(span.room as usize);
                lists.push((x, span.len as usize, list));
                rest = after;
                offset = span.start + span.room as usize;
            }
            let edited: Vec<(u32, Vec<Arc>)> = lists
                .into_par_iter()
                .map(|(x, len, list)| {
                    let mut kept = 0;
                    for i in 0..len {
                        if !in_round[list[i].head as usize] {
                            list[kept] = list[i];
                            kept += 1;
                        }
                    }
                    let mut overflow = Vec::new();
                    let first = added.partition_point(|&(node, _)| node < x);
                    let own = added[first..].iter().take_while(|&&(node, _)| node == x);
                    for &(_, arc) in own {
                        merge(list, &mut kept, &mut overflow, arc);
                    }
                    (kept as u32, overflow)
                })
                .collect();
            for (&x, (len, overflow)) in batch.iter().zip(edited) {
                self.span[x as usize].len = len;
                if !overflow.is_empty() {
                    self.relocate(x, &overflow);
                }
            }
        }
        if self.garbage > (self.arena.len() / 8).max(self.compact_after) {
            self.compact();
        }
    }

    /// Moves `node`'s list to the end of the arena with `extra` after it, in room for a
    /// quarter as much again, so that a list growing one arc at a time moves a logarithmic number of times.
    fn relocate(&mut self, node: u32, extra: &[Arc]) {
        let span = self.span[node as usize];
        let len = span.len as usize + extra.len();
        let room = len + len / 4 + 1;
        let start = self.arena.len();
        self.arena
            .extend_from_within(span.start..span.start + span.len as usize);
        self.arena.extend_from_slice(extra);
        self.arena.resize(start + room, Arc::EMPTY);
        self.garbage += span.room as usize;
        self.span[node as usize] = Span {
            start,
            len: len as u32,
            room: room as u32,
        };
    }

    /// Slides every list to the front of the arena, in arena order, with no room to spare,
    /// and returns the rest of the arena to the allocator.
    fn compact(&mut self) {
        for span in self.span.iter_mut().filter(|span| span.room == 0) {
            // Past the end of the compacted arena, even an empty span would not be in it.
            *span = Span::default();
        }
        let mut by_start: Vec<u32> = (0..self.span.len() as u32)
            .filter(|&v| self.span[v as usize].room > 0)
            .collect();
        by_start.par_sort_unstable_by_key(|&x| self.span[x as usize].start);
        let mut end = 0;
        for x in by_start {
            let span = &mut self.span[x as usize];
            let len = span.len as usize;
            self.arena.copy_within(span.start..span.start + len, end);
            *span = Span {
                start: end,
                len: len as u32,
                room: len as u32,
            };
            end += len;
        }
        self.arena.truncate(end);
        self.arena.shrink_to_fit();
        self.garbage = 0;
    }
}

/// Adds `arc` to the list `list[..*len]`, continued by `overflow` once `list` is full, or
/// lowers the weight of its arc to the same node; whether the list changed.
fn merge(list: &mut [Arc], len: &mut usize, overflow: &mut Vec<Arc>, arc: Arc) -> bool {
    let room = list.len();
    let existing = list[..*len]
        .iter_mut()
        .chain(overflow.iter_mut())
        .find(|a| a.head == arc.head);
    match existing {
        Some(existing) if existing.weight() <= arc.weight() => false,
        Some(existing) => {
            *existing = arc;
            true
        }
        None if *len < room => {
            list[*len] = arc;
            *len += 1;
            true
        }
        None => {
            overflow.push(arc);
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
        let mut removed = Vec::new();
        let touched = graph.remove_round(&[1, 3], &in_round, shortcuts, |v, out, into| {
            removed.push((v, out.to_vec(), into.to_vec()));
        });

        assert_eq!(touched, [0, 2, 4]);
        let removed_ends: Vec<_> = removed
            .iter()
            .map(|(_, out, into)| (ends(out), ends(into)))
            .collect();
        assert_eq!(removed.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 3]);
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
        graph.remove_round(&[1, 3], &in_round, shortcuts, |_, _, _| {});
        let via = ArcOrigin::Shortcut { via: 3 };
        assert_eq!(ends(graph.out_arcs(0)), [(2, seconds(2), via)]);
        assert_eq!(ends(graph.in_arcs(2)), [(0, seconds(2), via)]);
    }

    /// The lists as one vector per node, edited as the arena's must be.
    struct Model {
        out: Vec<Vec<Arc>>,
        into: Vec<Vec<Arc>>,
    }

    fn model_merge(list: &mut Vec<Arc>, arc: Arc) -> bool {
        let mut len = list.len();
        let mut overflow = Vec::new();
        let changed = merge(list, &mut len, &mut overflow, arc);
        list.extend(overflow);
        changed
    }

    #[test]
    fn lists_edited_over_many_rounds_match_one_vector_per_node() {
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};

        let n = 400;
        let mut rng = StdRng::seed_from_u64(7);
        let mut graph = Adjacency::empty(n);
        let mut model = Model {
            out: vec![Vec::new(); n],
            into: vec![Vec::new(); n],
        };
        for i in 0..1500u32 {
            let (tail, head) = (rng.random_range(0..n as u32), rng.random_range(0..n as u32));
            let weight = seconds(rng.random_range(1..20));
            let origin = ArcOrigin::Edge(EdgeIdx(i));
            graph.insert(tail, head, weight, origin, 1);
            let arc = Arc::new(head, weight, origin, 1);
            if model_merge(&mut model.out[tail as usize], arc) {
                model_merge(&mut model.into[head as usize], Arc { head: tail, ..arc });
            }
        }
        let mut alive: Vec<u32> = (0..n as u32).collect();
        let mut compactions = 0;
        while !alive.is_empty() {
            // An independent set of about a tenth of the nodes left, in increasing order.
            let mut in_round = vec![false; n];
            let mut blocked = vec![false; n];
            let mut round = Vec::new();
            for &v in &alive {
                if !blocked[v as usize] && rng.random_bool(0.1) {
                    in_round[v as usize] = true;
                    round.push(v);
                    let ends = model.out[v as usize].iter().chain(&model.into[v as usize]);
                    for a in ends {
                        blocked[a.head as usize] = true;
                    }
                }
            }
            // Shortcuts between some in-neighbour and out-neighbour of each removed node.
            let mut shortcuts = Vec::new();
            for &v in &round {
                for u in &model.into[v as usize] {
                    for w in &model.out[v as usize] {
                        if u.head != w.head && rng.random_bool(0.5) {
                            let weight = u.weight() + w.weight();
                            let arc = Arc::new(w.head, weight, ArcOrigin::Shortcut { via: v }, 2);
                            shortcuts.push((u.head, arc));
                        }
                    }
                }
            }
            let garbage_before = graph.out.garbage;
            let mut removed = Vec::new();
            let touched =
                graph.remove_round(&round, &in_round, shortcuts.clone(), |v, out, into| {
                    removed.push((v, ends(out), ends(into)));
                });
            if graph.out.garbage < garbage_before {
                compactions += 1;
            }
            let mut expected_touched = Vec::new();
            for &v in &round {
                let (out, into) = (
                    std::mem::take(&mut model.out[v as usize]),
                    std::mem::take(&mut model.into[v as usize]),
                );
                expected_touched.extend(out.iter().chain(&into).map(|a| a.head));
                assert!(removed.contains(&(v, ends(&out), ends(&into))));
            }
            expected_touched.sort_unstable();
            expected_touched.dedup();
            assert_eq!(touched, expected_touched);
            for list in model.out.iter_mut().chain(model.into.iter_mut()) {
                list.retain(|a| !in_round[a.head as usize]);
            }
            for (tail, arc) in shortcuts {
                model_merge(&mut model.out[tail as usize], arc);
                model_merge(
                    &mut model.into[arc.head as usize],
                    Arc { head: tail, ..arc },
                );
            }
            for v in 0..n as u32 {
                assert_eq!(
                    ends(graph.out_arcs(v)),
                    ends(&model.out[v as usize]),
                    "out {v}"
                );
                assert_eq!(
                    ends(graph.in_arcs(v)),
                    ends(&model.into[v as usize]),
                    "in {v}"
                );
            }
            alive.retain(|&v| !in_round[v as usize]);
        }
        assert!(compactions > 3, "{compactions} compactions");
    }
}
