//! The chordal supergraph of a node order, and its customization to one metric.
//!
//! Contracting nodes in a given order without witness searches joins every pair of a node's
//! more important neighbours: the result is a chordal graph whose arcs depend on the order
//! alone (built once, in `Chordal::new`). A metric then costs two passes over its triangles:
//! bottom up, each arc gets the shortest path through less important nodes (the basic
//! customization); top down, the shortest path of all (the perfect customization). An arc whose
//! weight a more important node beat is not needed by any query and is left out of the
//! hierarchy, which leaves about as many arcs as a witness-search contraction (12 % more on
//! Malta tiled 8 × 8).

use std::ops::Range;
use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

use crate::weight::Weight;

/// Marks an arc whose weight a path through a more important node beat, upwards.
const BEATEN_UP: u8 = 1;
/// The same downwards.
const BEATEN_DOWN: u8 = 2;
/// No via node: the arc is a turn of the search graph, or unreachable.
pub(crate) const NO_VIA: u32 = u32::MAX;

/// Each node's more important neighbours in the chordal supergraph, by rank.
pub(crate) struct Chordal {
    /// Per rank, where its arcs start in `upper` (one more entry than nodes).
    first: Vec<u32>,
    /// The upper neighbours of each rank, sorted.
    upper: Vec<u32>,
}

impl Chordal {
    /// The chordal supergraph of the graph on `nodes` ranks whose edges `edges` yields, each
    /// as two ranks in any order (duplicates and loops are ignored); `edges` is called twice.
    ///
    /// A node's upper neighbours are its own plus those of its children in the elimination
    /// tree (the nodes whose lowest upper neighbour it is), which are complete by then: the
    /// supergraph is written once, in rank order, with no list per node.
    pub fn new<I: Iterator<Item = (u32, u32)>>(nodes: usize, edges: impl Fn() -> I) -> Self {
        let (own_first, own) = own_upper(nodes, edges);
        let mut first = Vec::with_capacity(nodes + 1);
        let mut upper: Vec<u32> = Vec::with_capacity(3 * own.len());
        first.push(0u32);
        let mut first_child = vec![NONE; nodes];
        let mut next_sibling = vec![NONE; nodes];
        let mut seen_by = vec![NONE; nodes];
        for v in 0..nodes as u32 {
            let start = upper.len();
            let mut add = |w: u32, upper: &mut Vec<u32>| {
                if w != v && seen_by[w as usize] != v {
                    seen_by[w as usize] = v;
                    upper.push(w);
                }
            };
            for &w in &own[own_first[v as usize] as usize..own_first[v as usize + 1] as usize] {
                add(w, &mut upper);
            }
            let mut child = first_child[v as usize];
            while child != NONE {
                let range = first[child as usize] as usize..first[child as usize + 1] as usize;
                for i in range {
                    add(upper[i], &mut upper);
                }
                child = next_sibling[child as usize];
            }
            upper[start..].sort_unstable();
            first.push(upper.len() as u32);
            if let Some(&parent) = upper.get(start) {
                next_sibling[v as usize] = first_child[parent as usize];
                first_child[parent as usize] = v;
            }
        }
        upper.shrink_to_fit();
        Chordal { first, upper }
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.first.len() - 1
    }

    /// Number of arcs, each counted once (it carries a weight in each direction).
    pub fn arcs(&self) -> usize {
        self.upper.len()
    }

    /// The positions of the arcs of `rank`.
    pub fn arcs_of(&self, rank: u32) -> std::ops::Range<usize> {
        self.first[rank as usize] as usize..self.first[rank as usize + 1] as usize
    }

    /// The upper end of arc `arc`.
    pub fn head(&self, arc: usize) -> u32 {
        self.upper[arc]
    }

    /// The arc between `lower` and `higher`, if the supergraph has it.
    pub fn find(&self, lower: u32, higher: u32) -> Option<usize> {
        let range = self.arcs_of(lower);
        self.upper[range.clone()]
            .binary_search(&higher)
            .ok()
            .map(|i| range.start + i)
    }

    /// Groups of ranks that may be customized together: bottom up, every node after all its
    /// less important neighbours (its descendants in the elimination tree).
    fn levels_from_bottom(&self) -> Vec<Vec<u32>> {
        let n = self.nodes();
        let mut height = vec![0u32; n];
        for r in 0..n as u32 {
            if let Some(arc) = self.arcs_of(r).next() {
                let parent = self.upper[arc] as usize;
                height[parent] = height[parent].max(height[r as usize] + 1);
            }
        }
        group_by(&height)
    }

    /// Groups of ranks that may be refined together: top down, every node after all its
    /// more important neighbours (its ancestors in the elimination tree).
    fn levels_from_top(&self) -> Vec<Vec<u32>> {
        let n = self.nodes();
        let mut depth = vec![0u32; n];
        for r in (0..n as u32).rev() {
            if let Some(arc) = self.arcs_of(r).next() {
                depth[r as usize] = depth[self.upper[arc] as usize] + 1;
            }
        }
        group_by(&depth)
    }

    /// Calls `triangle(i, j, k)` for each pair of arcs i = (v, u), j = (v, w) of `v` with
    /// u < w, where k is the arc (u, w).
    #[inline]
    fn triangles_of(&self, v: u32, mut triangle: impl FnMut(usize, usize, usize)) {
        let range = self.arcs_of(v);
        for i in range.clone() {
            let u = self.upper[i];
            let mut k = self.first[u as usize] as usize;
            for j in i + 1..range.end {
                let w = self.upper[j];
                // Both lists are sorted and u's holds every w (the graph is chordal).
                while self.upper[k] < w {
                    k += 1;
                }
                triangle(i, j, k);
            }
        }
    }
}

/// No node.
const NONE: u32 = u32::MAX;

/// Each rank's upper neighbours in the original graph (with repeats), grouped by rank.
fn own_upper<I: Iterator<Item = (u32, u32)>>(
    nodes: usize,
    edges: impl Fn() -> I,
) -> (Vec<u32>, Vec<u32>) {
    let mut first = vec![0u32; nodes + 1];
    for (a, b) in edges() {
        if a != b {
            first[a.min(b) as usize + 1] += 1;
        }
    }
    for i in 0..nodes {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut own = vec![0u32; first[nodes] as usize];
    for (a, b) in edges() {
        if a != b {
            let lower = a.min(b) as usize;
            own[fill[lower] as usize] = a.max(b);
            fill[lower] += 1;
        }
    }
    (first, own)
}

/// Ranks grouped by `level`, lowest level first.
fn group_by(level: &[u32]) -> Vec<Vec<u32>> {
    let levels = level.iter().max().map_or(0, |&m| m as usize + 1);
    let mut groups = vec![Vec::new(); levels];
    for (r, &l) in level.iter().enumerate() {
        groups[l as usize].push(r as u32);
    }
    groups
}

/// The chordal supergraph's weights for one metric: per arc, upwards (lower → higher rank)
/// and downwards (higher → lower).
pub(crate) struct Customized {
    up: Vec<AtomicU64>,
    down: Vec<AtomicU64>,
    beaten: Vec<AtomicU8>,
}

impl Customized {
    /// The direct weights of `chordal`'s arcs in the metric `input` gives: for each arc of
    /// the original graph, (tail rank, head rank, weight). One direction's array is filled
    /// before the other is made, with the input's entries for it dropped in between.
    pub fn weights(chordal: &Chordal, mut input: Vec<(u32, u32, Weight)>) -> Self {
        let directed = |input: &[(u32, u32, Weight)], upward: bool| {
            let weights: Vec<AtomicU64> = (0..chordal.arcs())
                .into_par_iter()
                .map(|_| AtomicU64::new(Weight::INFINITY.to_bits()))
                .collect();
            input.par_iter().for_each(|&(tail, head, weight)| {
                let (lower, higher) = if upward { (tail, head) } else { (head, tail) };
                if lower < higher
                    && let Some(arc) = chordal.find(lower, higher)
                {
                    weights[arc].fetch_min(weight.to_bits(), Relaxed);
                }
            });
            weights
        };
        let up = directed(&input, true);
        input.retain(|(tail, head, _)| tail > head);
        input.shrink_to_fit();
        let down = directed(&input, false);
        Customized {
            up,
            down,
            beaten: Vec::new(),
        }
    }

    /// Every arc's shortest path; returns the arcs queries need, with their weights and the
    /// nodes their shortcuts go through.
    pub fn customize(mut self, chordal: &Chordal) -> Needed {
        self.beaten = (0..chordal.arcs()).map(|_| AtomicU8::new(0)).collect();
        self.basic(chordal);
        self.perfect(chordal);
        let Customized { up, down, beaten } = self;
        let up = Direction::needed(up, |arc| beaten[arc].load(Relaxed) & BEATEN_UP == 0);
        let down = Direction::needed(down, |arc| beaten[arc].load(Relaxed) & BEATEN_DOWN == 0);
        drop(beaten);
        let needed = Needed { up, down };
        needed.find_vias(chordal);
        needed
    }

    /// Bottom up: each arc gets its shortest path through less important nodes.
    fn basic(&self, chordal: &Chordal) {
        for level in chordal.levels_from_bottom() {
            level.par_iter().for_each(|&v| {
                chordal.triangles_of(v, |i, j, k| {
                    // i = (v, u), j = (v, w), k = (u, w): u → v → w and w → v → u.
                    let through = add(self.down[i].load(Relaxed), self.up[j].load(Relaxed));
                    lower(&self.up[k], through);
                    let back = add(self.down[j].load(Relaxed), self.up[i].load(Relaxed));
                    lower(&self.down[k], back);
                });
            });
        }
    }

    /// Top down: each arc gets its shortest path of all; an arc a more important node beat is
    /// marked, since a query finds that path without it.
    fn perfect(&self, chordal: &Chordal) {
        for level in chordal.levels_from_top() {
            level.par_iter().for_each(|&v| {
                chordal.triangles_of(v, |i, j, k| {
                    // Arcs i = (v, u), j = (v, w) and k = (u, w), v < u < w; k is final.
                    let (uw, wu) = (self.up[k].load(Relaxed), self.down[k].load(Relaxed));
                    self.improve(&self.up, i, add(self.up[j].load(Relaxed), wu), BEATEN_UP);
                    self.improve(&self.up, j, add(self.up[i].load(Relaxed), uw), BEATEN_UP);
                    self.improve(
                        &self.down,
                        i,
                        add(uw, self.down[j].load(Relaxed)),
                        BEATEN_DOWN,
                    );
                    self.improve(
                        &self.down,
                        j,
                        add(wu, self.down[i].load(Relaxed)),
                        BEATEN_DOWN,
                    );
                });
            });
        }
    }

    fn improve(&self, weights: &[AtomicU64], arc: usize, through: u64, mark: u8) {
        if through < weights[arc].load(Relaxed) {
            weights[arc].store(through, Relaxed);
            self.beaten[arc].fetch_or(mark, Relaxed);
        }
    }
}

/// The arcs of one direction a query needs (reachable, and no path through a more important
/// node beat them): a bit per arc of the supergraph, and the weight and via node of each
/// needed arc only (at region scale about half of each direction's arcs are not needed).
struct Direction {
    words: Vec<NeededWord>,
    weight: Vec<u64>,
    via: Vec<AtomicU32>,
}

/// 64 arcs of the supergraph: which are needed, and how many needed arcs come before them;
/// together, so that numbering an arc reads one cache line.
#[derive(Clone, Copy)]
struct NeededWord {
    bits: u64,
    before: u32,
}

impl NeededWord {
    /// The needed arcs before bit `bit` of this word, those of the words before included.
    #[inline]
    fn before(self, bit: usize) -> usize {
        self.before as usize + (self.bits & ((1u64 << bit) - 1)).count_ones() as usize
    }
}

impl Direction {
    /// The needed arcs among `weights`: the reachable ones for which `kept` holds.
    fn needed(weights: Vec<AtomicU64>, kept: impl Fn(usize) -> bool + Sync) -> Self {
        let arcs = weights.len();
        let bits: Vec<u64> = (0..arcs.div_ceil(64))
            .into_par_iter()
            .map(|word| {
                (0..64)
                    .map(|bit| (bit, word * 64 + bit))
                    .filter(|&(_, arc)| {
                        arc < arcs
                            && weights[arc].load(Relaxed) != Weight::INFINITY.to_bits()
                            && kept(arc)
                    })
                    .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
            })
            .collect();
        let mut count = 0u32;
        let words: Vec<NeededWord> = bits
            .iter()
            .map(|&bits| {
                let word = NeededWord {
                    bits,
                    before: count,
                };
                count += bits.count_ones();
                word
            })
            .collect();
        drop(bits);
        let mut weight: Vec<u64> = weights
            .into_iter()
            .enumerate()
            .filter(|&(arc, _)| words[arc / 64].bits >> (arc % 64) & 1 == 1)
            .map(|(_, w)| w.into_inner())
            .collect();
        // Collected in place, in the whole array's allocation: give the rest back.
        weight.shrink_to_fit();
        let via = (0..weight.len()).map(|_| AtomicU32::new(NO_VIA)).collect();
        Direction { words, weight, via }
    }

    /// The number of `arc` among the needed arcs, if it is one.
    #[inline]
    fn index(&self, arc: usize) -> Option<usize> {
        let (word, bit) = (self.words[arc / 64], arc % 64);
        (word.bits >> bit & 1 == 1).then(|| word.before(bit))
    }

    /// Arc `arc`, if a query needs it: its weight and the node it goes through ([`NO_VIA`]
    /// for a turn of the graph).
    #[cfg(test)]
    fn get(&self, arc: usize) -> Option<(Weight, u32)> {
        let at = self.index(arc)?;
        Some((
            Weight::from_bits(self.weight[at]),
            self.via[at].load(Relaxed),
        ))
    }
}

/// The customized arcs queries need, both directions.
pub(crate) struct Needed {
    up: Direction,
    down: Direction,
}

impl Needed {
    /// For each needed arc, the least important node through which two needed arcs make up
    /// its weight ([`NO_VIA`] if none: a turn of the graph): how a route unpacks it.
    fn find_vias(&self, chordal: &Chordal) {
        let (up, down) = (&self.up, &self.down);
        (0..chordal.nodes() as u32).into_par_iter().for_each(|v| {
            chordal.triangles_of(v, |i, j, k| {
                // u → v → w for k upwards, w → v → u for k downwards, through needed arcs.
                if let Some(at) = up.index(k)
                    && let Some(vu) = down.index(i)
                    && let Some(vw) = up.index(j)
                    && add(down.weight[vu], up.weight[vw]) == up.weight[at]
                {
                    lower_via(&up.via[at], v);
                }
                if let Some(at) = down.index(k)
                    && let Some(wv) = down.index(j)
                    && let Some(vu) = up.index(i)
                    && add(down.weight[wv], up.weight[vu]) == down.weight[at]
                {
                    lower_via(&down.via[at], v);
                }
            });
        });
    }

    fn direction(&self, upward: bool) -> &Direction {
        if upward { &self.up } else { &self.down }
    }

    /// Number of needed arcs upwards (`upward`) or downwards.
    pub fn count(&self, upward: bool) -> usize {
        self.direction(upward).weight.len()
    }

    /// Number of needed arcs in one direction among the supergraph's arcs before `arc`.
    pub fn before(&self, upward: bool, arc: usize) -> usize {
        match self.direction(upward).words.get(arc / 64) {
            Some(word) => word.before(arc % 64),
            None => self.count(upward),
        }
    }

    /// The needed arcs in one direction among the supergraph's arcs `arcs`, in order.
    pub fn arcs_in(&self, upward: bool, arcs: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let words = &self.direction(upward).words;
        (arcs.start / 64..arcs.end.div_ceil(64)).flat_map(move |word| {
            let arcs = arcs.clone();
            let mut set = words[word].bits;
            std::iter::from_fn(move || {
                let bit = set.trailing_zeros();
                (bit < 64).then(|| {
                    set &= set - 1;
                    word * 64 + bit as usize
                })
            })
            .filter(move |arc| arcs.contains(arc))
        })
    }

    /// The weights of the needed arcs in one direction, in the supergraph's order, as bits.
    pub fn weights(&self, upward: bool) -> &[u64] {
        &self.direction(upward).weight
    }

    /// The via nodes of the needed arcs in one direction, in the supergraph's order.
    pub fn vias(&self, upward: bool) -> impl Iterator<Item = u32> + '_ {
        self.direction(upward)
            .via
            .iter()
            .map(|via| via.load(Relaxed))
    }

    /// Number of needed arcs that are shortcuts, both directions.
    pub fn shortcut_count(&self) -> usize {
        [&self.up, &self.down]
            .iter()
            .flat_map(|direction| &direction.via)
            .filter(|via| via.load(Relaxed) != NO_VIA)
            .count()
    }

    /// Arc `arc` upwards, if a query needs it: its weight and the node it goes through
    /// ([`NO_VIA`] for a turn of the graph).
    #[cfg(test)]
    pub fn up(&self, arc: usize) -> Option<(Weight, u32)> {
        self.up.get(arc)
    }

    /// Arc `arc` downwards, if a query needs it.
    #[cfg(test)]
    pub fn down(&self, arc: usize) -> Option<(Weight, u32)> {
        self.down.get(arc)
    }
}

/// Lowers `weight` to `to` if that is less; most candidates are not, and a plain load is
/// much cheaper than the locked instruction of `fetch_min`.
#[inline]
fn lower(weight: &AtomicU64, to: u64) {
    if to < weight.load(Relaxed) {
        weight.fetch_min(to, Relaxed);
    }
}

/// Lowers `via` to `to` if that is less.
#[inline]
fn lower_via(via: &AtomicU32, to: u32) {
    if to < via.load(Relaxed) {
        via.fetch_min(to, Relaxed);
    }
}

/// Adds two weights' bits, saturating as [`Weight`]'s addition does.
#[inline]
fn add(a: u64, b: u64) -> u64 {
    a.saturating_add(b)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use rand::rngs::StdRng;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};

    use super::*;

    /// Dijkstra over `arcs` (tail, head, weight) from `source`.
    fn dijkstra(n: usize, arcs: &[(u32, u32, Weight)], source: u32) -> Vec<Weight> {
        let mut dist = vec![Weight::INFINITY; n];
        let mut heap = BinaryHeap::from([Reverse((Weight::ZERO, source))]);
        dist[source as usize] = Weight::ZERO;
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for &(tail, head, w) in arcs {
                if tail == v && d + w < dist[head as usize] {
                    dist[head as usize] = d + w;
                    heap.push(Reverse((d + w, head)));
                }
            }
        }
        dist
    }

    /// A random graph on ranks `0..n` (the order itself random), customized: its input arcs,
    /// the supergraph and the needed arcs.
    pub(crate) fn customized(seed: u64, n: usize) -> (Vec<(u32, u32, Weight)>, Chordal, Needed) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut position: Vec<u32> = (0..n as u32).collect();
        position.shuffle(&mut rng);
        // A ring both ways, plus random chords: connected, with many shortest-path ties
        // (weights drawn from few values) to exercise the via choice.
        let mut input = Vec::new();
        for i in 0..n as u32 {
            let j = (i + 1) % n as u32;
            for (a, b) in [(i, j), (j, i)] {
                let w = Weight::new(rng.random_range(1..5) * 1000, rng.random_range(1..3) * 100);
                input.push((position[a as usize], position[b as usize], w));
            }
        }
        for _ in 0..2 * n {
            let (a, b) = (rng.random_range(0..n as u32), rng.random_range(0..n as u32));
            let w = Weight::new(rng.random_range(1..9) * 1000, rng.random_range(1..3) * 100);
            input.push((a, b, w));
        }
        let chordal = Chordal::new(n, || input.iter().map(|&(a, b, _)| (a, b)));
        let needed = Customized::weights(&chordal, input.clone()).customize(&chordal);
        (input, chordal, needed)
    }

    /// Distance from `s` to `t` by the needed arcs: up from `s`, down into `t`.
    fn query(n: usize, chordal: &Chordal, needed: &Needed, s: u32, t: u32) -> Weight {
        let mut up_arcs = Vec::new();
        let mut down_arcs = Vec::new();
        for v in 0..n as u32 {
            for arc in chordal.arcs_of(v) {
                let u = chordal.head(arc);
                if let Some((w, _)) = needed.up(arc) {
                    up_arcs.push((v, u, w));
                }
                if let Some((w, _)) = needed.down(arc) {
                    // Searched backwards from t: reversed.
                    down_arcs.push((v, u, w));
                }
            }
        }
        let forward = dijkstra(n, &up_arcs, s);
        let backward = dijkstra(n, &down_arcs, t);
        (0..n)
            .map(|v| forward[v] + backward[v])
            .min()
            .unwrap_or(Weight::INFINITY)
    }

    #[test]
    fn needed_arcs_give_every_shortest_distance() {
        for seed in 0..20 {
            let n = 40;
            let (input, chordal, needed) = customized(seed, n);
            for s in 0..n as u32 {
                let expected = dijkstra(n, &input, s);
                for t in 0..n as u32 {
                    assert_eq!(
                        query(n, &chordal, &needed, s, t),
                        expected[t as usize],
                        "seed {seed}: {s} -> {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_needed_shortcut_unpacks_into_two_needed_arcs_of_its_weight() {
        for seed in 0..20 {
            let n = 60;
            let (input, chordal, needed) = customized(seed, n);
            for lower in 0..n as u32 {
                for arc in chordal.arcs_of(lower) {
                    let higher = chordal.head(arc);
                    let directions = [(needed.up(arc), true), (needed.down(arc), false)];
                    for (found, upward) in directions {
                        let Some((weight, via)) = found else { continue };
                        let (tail, head) = if upward {
                            (lower, higher)
                        } else {
                            (higher, lower)
                        };
                        if via == NO_VIA {
                            // A turn of the graph, at its own weight.
                            assert!(
                                input.contains(&(tail, head, weight)),
                                "seed {seed}: {tail} -> {head}"
                            );
                            continue;
                        }
                        // tail → via is a downward arc (via, tail) or ... via is below both.
                        assert!(via < lower, "seed {seed}: via {via} under {lower}");
                        let first = chordal.find(via, tail).and_then(|a| needed.down(a));
                        let second = chordal.find(via, head).and_then(|a| needed.up(a));
                        let (Some((w1, _)), Some((w2, _))) = (first, second) else {
                            panic!("seed {seed}: {tail} -> {via} -> {head} not both needed");
                        };
                        assert_eq!(w1 + w2, weight, "seed {seed}: {tail} -> {via} -> {head}");
                    }
                }
            }
        }
    }
}
