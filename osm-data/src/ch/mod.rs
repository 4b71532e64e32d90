//! A contraction hierarchy over a [`RoadGraph`]'s turn-aware search graph
//! ([`crate::turns::TurnGraph`]): its shortest paths, precomputed as shortcuts, so that a
//! query only climbs from each end towards more important nodes.
//!
//! Two ways to build one, with the same query arrays: a contraction with witness searches in
//! an order of estimated importance (`contract`, `witness`), and, from [`CUSTOMIZE_FROM`] turn
//! nodes up, a customizable hierarchy: a nested dissection order (`order`, METIS), shared by
//! the similar networks of one import (`shared`), its chordal supergraph customized to the
//! profile's weights, the arcs no query needs left out (`chordal`).
//!
//! Query arrays are indexed by rank (contraction order), which keeps the nodes a search
//! touches close together in memory.

mod adjacency;
mod chordal;
mod contract;
mod custom;
mod locality;
mod order;
pub(crate) mod search;
mod shared;
mod spill;
mod witness;

use std::io::{self, Write};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::array::Array;
use crate::cache::{CacheMiss, SectionReader, SectionWriter};
use crate::graph::RoadGraph;
use crate::ids::EdgeIdx;
use crate::progress::Progress;
use crate::weight::Weight;

pub(crate) use contract::Contraction;
pub(crate) use custom::CustomArcs;
pub use order::OrderError;
pub(crate) use shared::SharedOrder;

/// Turn graphs from this many nodes up get a customizable hierarchy: a nested dissection
/// order (METIS), shared by the profiles of one import whose roads match, then a
/// customization per profile. Below, a contraction with witness searches: it takes a few
/// seconds there and its queries are faster (Malta, 54,568 turn nodes: 1,000 × 1,000 matrix
/// 0.053 s against 0.085 s customized), while at region scale its cost grows faster than the
/// network (Malta 8 × 8, 3.5 M turn nodes: the car's contraction 39 s against 24 s
/// customized, the bus and the camping-car 7–9 s in the car's order) and the queries of
/// both are alike (0.085 and 0.089 s).
pub const CUSTOMIZE_FROM: usize = 1 << 20;

/// Lends a road graph for a while: one held in memory, or one read from a file each time
/// and dropped after.
pub(crate) trait GraphSource {
    /// Why the graph could not be lent.
    type Error;

    /// Calls `f` with the graph.
    fn lend(&self, f: &mut dyn FnMut(&RoadGraph)) -> Result<(), Self::Error>;
}

impl GraphSource for RoadGraph {
    type Error = std::convert::Infallible;

    fn lend(&self, f: &mut dyn FnMut(&RoadGraph)) -> Result<(), Self::Error> {
        f(self);
        Ok(())
    }
}

/// Every turn of `graph`'s turn graph as (tail rank, head rank, weight) in the order `rank`,
/// and the road edge of each turn node.
fn ranked_turns(graph: &RoadGraph, rank: &[u32]) -> (Vec<(u32, u32, Weight)>, Vec<EdgeIdx>) {
    let turns = graph.turns();
    let mut ranked = Vec::with_capacity(turns.arc_count());
    ranked.par_extend((0..turns.arc_count()).into_par_iter().map(|arc| {
        let (tail, turn) = turns.arc_at(graph, arc);
        (rank[tail as usize], rank[turn.head as usize], turn.weight)
    }));
    let base = (0..turns.node_count() as u32)
        .map(|node| turns.base(node))
        .collect();
    (ranked, base)
}

/// Every turn of `graph`'s turn graph as an undirected pair (smaller, larger), loops left
/// out: the graph a nested dissection orders.
fn turn_pairs(graph: &RoadGraph) -> Vec<(u32, u32)> {
    let turns = graph.turns();
    (0..turns.node_count() as u32)
        .flat_map(|tail| turns.arcs(graph, tail).map(move |arc| (tail, arc.head)))
        .filter(|&(tail, head)| tail != head)
        .map(|(tail, head)| (tail.min(head), tail.max(head)))
        .collect()
}

/// A customized hierarchy's arcs, and its order for the networks customized after it.
pub(crate) struct Customization {
    /// The arcs, to lay out in memory or write to a cache file.
    pub arcs: CustomArcs,
    /// Its nested dissection order, when asked to share it and it was computed here.
    pub order: Option<SharedOrder>,
}

/// Why a customized hierarchy could not be built.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CustomizeError<G> {
    /// The graph could not be lent.
    #[error("graph: {0}")]
    Graph(G),
    /// No nested dissection order.
    #[error("node order: {0}")]
    Order(order::OrderError),
}

/// Where an arc of the hierarchy comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArcOrigin {
    /// A turn of the search graph, onto this road edge.
    Edge(EdgeIdx),
    /// Two arcs through a less important node: the arc from the higher end down to `via`
    /// and the arc from `via` up to the other end. `via` is a rank once the hierarchy is built.
    Shortcut {
        /// The node the shortcut bypasses.
        via: u32,
    },
}

/// Marks a packed [`ArcOrigin`] as a shortcut (its other bits are `via`); without it, the bits
/// are the road edge. Edge indices and ranks stay below 2³¹: a graph of 2³¹ edges would need
/// hundreds of gigabytes before its hierarchy.
const SHORTCUT_BIT: u32 = 1 << 31;

impl ArcOrigin {
    /// The origin in one `u32`, as the query arrays (and the cache) store it.
    fn pack(self) -> u32 {
        match self {
            ArcOrigin::Edge(edge) => edge.0,
            ArcOrigin::Shortcut { via } => via | SHORTCUT_BIT,
        }
    }

    /// Inverse of [`ArcOrigin::pack`].
    fn unpack(packed: u32) -> Self {
        if packed & SHORTCUT_BIT == 0 {
            ArcOrigin::Edge(EdgeIdx(packed))
        } else {
            ArcOrigin::Shortcut {
                via: packed & !SHORTCUT_BIT,
            }
        }
    }
}

/// Where the contraction keeps each contracted node's arcs, appended in rank order, until it
/// knows every rank and they become [`QueryArcs`].
pub(crate) trait ArcStore {
    /// What may stop the arcs from being given back.
    type Error;

    /// Appends the arcs of the next node in rank order, their other ends (and the nodes their
    /// shortcuts bypass) as node indices until [`ArcStore::into_ranks`].
    fn push_node(&mut self, arcs: &[adjacency::Arc]);

    /// The query arrays, with the node indices [`ArcStore::push_node`] stored translated to
    /// ranks.
    fn into_ranks(self, rank: &[u32]) -> Result<QueryArcs, Self::Error>;
}

/// An arc's other end and packed origin, stored with node indices, as ranks.
fn to_ranks(rank: &[u32], other: u32, origin: u32) -> (u32, u32) {
    let origin = match ArcOrigin::unpack(origin) {
        ArcOrigin::Shortcut { via } => ArcOrigin::Shortcut {
            via: rank[via as usize],
        }
        .pack(),
        ArcOrigin::Edge(_) => origin,
    };
    (rank[other as usize], origin)
}

/// The contraction's arcs in memory: what [`Hierarchy::build`] uses.
struct QueryArcsBuilder {
    first: Vec<u32>,
    other: Vec<u32>,
    weight: Vec<Weight>,
    /// [`ArcOrigin::pack`]ed, shortcuts' `via` a node index until [`ArcStore::into_ranks`].
    origin: Vec<u32>,
}

impl QueryArcsBuilder {
    /// No node yet.
    fn new() -> Self {
        QueryArcsBuilder {
            first: vec![0],
            other: Vec::new(),
            weight: Vec::new(),
            origin: Vec::new(),
        }
    }
}

impl ArcStore for QueryArcsBuilder {
    type Error = std::convert::Infallible;

    fn push_node(&mut self, arcs: &[adjacency::Arc]) {
        for arc in arcs {
            self.other.push(arc.head);
            self.weight.push(arc.weight());
            self.origin.push(arc.packed_origin());
        }
        self.first.push(self.other.len() as u32);
    }

    fn into_ranks(mut self, rank: &[u32]) -> Result<QueryArcs, Self::Error> {
        self.other
            .par_iter_mut()
            .zip(self.origin.par_iter_mut())
            .for_each(|(other, origin)| (*other, *origin) = to_ranks(rank, *other, *origin));
        self.origin.shrink_to_fit();
        self.other.shrink_to_fit();
        self.weight.shrink_to_fit();
        Ok(QueryArcs {
            first: self.first.into(),
            other: self.other.into(),
            weight: self.weight.into(),
            origin: self.origin.into(),
        })
    }
}

/// Arcs grouped by the rank of the node they are attached to.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueryArcs {
    first: Array<u32>,
    other: Array<u32>,
    weight: Array<Weight>,
    /// [`ArcOrigin::pack`]ed.
    origin: Array<u32>,
}

impl QueryArcs {
    /// The arcs of the node of rank `rank`: (other end's rank, weight), by position.
    #[inline]
    pub fn of(&self, rank: u32) -> std::ops::Range<usize> {
        self.first[rank as usize] as usize..self.first[rank as usize + 1] as usize
    }

    #[inline]
    pub fn other(&self, arc: usize) -> u32 {
        self.other[arc]
    }

    #[inline]
    pub fn weight(&self, arc: usize) -> Weight {
        self.weight[arc]
    }

    pub fn origin(&self, arc: usize) -> ArcOrigin {
        ArcOrigin::unpack(self.origin[arc])
    }

    /// The arc of `rank` whose other end is `other`.
    pub fn find(&self, rank: u32, other: u32) -> Option<usize> {
        self.of(rank).find(|&a| self.other[a] == other)
    }

    fn len(&self) -> usize {
        self.other.len()
    }

    fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.array(&self.first)?;
        out.array(&self.other)?;
        out.array(&self.weight)?;
        out.array(&self.origin)
    }

    fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        Ok(QueryArcs {
            first: input.array()?,
            other: input.array()?,
            weight: input.array()?,
            origin: input.array()?,
        })
    }
}

/// The contraction hierarchy of one road graph.
#[derive(Clone, Debug)]
pub struct Hierarchy {
    /// The rank of each turn node.
    rank: Array<u32>,
    /// For each rank: arcs to more important nodes, in their direction of travel.
    up: QueryArcs,
    /// For each rank: arcs from more important nodes into it (`other` is the arc's tail).
    down: QueryArcs,
}

impl Hierarchy {
    /// The hierarchy of `graph`, reporting progress in nodes: customized from a nested
    /// dissection order from [`CUSTOMIZE_FROM`] turn nodes up (contracted if METIS fails),
    /// contracted with witness searches below.
    pub fn build(graph: &RoadGraph, progress: &dyn Progress) -> Self {
        if graph.turns().node_count() >= CUSTOMIZE_FROM
            && let Ok(hierarchy) = Hierarchy::build_customized(graph, progress)
        {
            return hierarchy;
        }
        Hierarchy::contract(Contraction::of(graph), progress)
    }

    /// The hierarchy of `graph` by nested dissection and customization whatever its size (see
    /// [`Hierarchy::build`]).
    ///
    /// # Errors
    /// [`OrderError`] if METIS finds no order (out of memory, or a graph beyond its 32-bit
    /// indices).
    pub fn build_customized(
        graph: &RoadGraph,
        progress: &dyn Progress,
    ) -> Result<Self, OrderError> {
        match Hierarchy::customize(graph, &[], false, progress) {
            Ok(customization) => Ok(customization.arcs.into_hierarchy()),
            Err(CustomizeError::Order(error)) => Err(error),
            Err(CustomizeError::Graph(never)) => match never {},
        }
    }

    /// Contracts what [`Contraction::of`] took from a graph, the arcs kept in memory.
    pub(crate) fn contract(contraction: Contraction, progress: &dyn Progress) -> Self {
        let Ok(hierarchy) =
            contraction.run(progress, QueryArcsBuilder::new(), QueryArcsBuilder::new());
        hierarchy
    }

    /// The hierarchy of the graph `source` lends by nested dissection and customization (a
    /// customizable contraction hierarchy, its unneeded arcs left out): no witness search,
    /// and an order that depends on the network alone. The graph is borrowed once for the
    /// order (taken from `orders` or the pairs METIS needs) and, when METIS orders it, once
    /// more for the turns by rank and the road edges, so that a graph read from a file need
    /// not stay decoded while METIS and the customization hold their own arrays.
    pub(crate) fn customize<S: GraphSource>(
        source: &S,
        orders: &[SharedOrder],
        share: bool,
        progress: &dyn Progress,
    ) -> Result<Customization, CustomizeError<S::Error>> {
        let lend = |f: &mut dyn FnMut(&RoadGraph)| source.lend(f).map_err(CustomizeError::Graph);
        let mut n = 0;
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut inherited = None;
        // The turns by rank, so that the graph is not held beside the supergraph and its
        // weights (at region scale it would set the import's peak).
        let mut ranked: Vec<(u32, u32, Weight)> = Vec::new();
        let mut base = Vec::new();
        lend(&mut |graph| {
            n = graph.turns().node_count();
            inherited = orders.iter().find_map(|order| order.ranks(graph));
            match &inherited {
                Some(rank) => (ranked, base) = ranked_turns(graph, rank),
                None => pairs = turn_pairs(graph),
            }
        })?;
        progress.start(crate::progress::Stage::Contracting, n as u64);
        let mut shared = None;
        let rank = match inherited {
            Some(rank) => rank,
            None => {
                let rank = order::nested_dissection(n, std::mem::take(&mut pairs))
                    .map_err(CustomizeError::Order)?;
                // METIS' freed working memory would otherwise stay with the allocator.
                crate::memory::release_free_memory();
                lend(&mut |graph| {
                    if share {
                        shared = Some(SharedOrder::of(graph, &rank));
                    }
                    (ranked, base) = ranked_turns(graph, &rank);
                })?;
                rank
            }
        };
        let supergraph =
            chordal::Chordal::new(n, || ranked.iter().map(|&(tail, head, _)| (tail, head)));
        // Its working lists, freed, would otherwise stay with the allocator beside the
        // weights.
        crate::memory::release_free_memory();
        let customized = chordal::Customized::weights(&supergraph, ranked);
        crate::memory::release_free_memory();
        let customized = customized.customize(&supergraph);
        progress.advance(n as u64);
        Ok(Customization {
            arcs: CustomArcs::new(supergraph, customized, rank, &base),
            order: shared,
        })
    }

    /// Contracts what [`Contraction::of`] took from a graph as [`Hierarchy::contract`] does,
    /// keeping the arcs of contracted nodes in the files `up` and `down` (empty scratch files)
    /// instead of memory until the contraction ends: at region scale they would be a third
    /// of its peak memory (Malta 8 × 8: 24 M arcs, up to 780 MB with the vectors' spare
    /// capacity), and they are only read once it is over.
    ///
    /// # Errors
    /// The error of reading the files back; a failed write only keeps the arcs in memory.
    pub(crate) fn contract_spilled(
        contraction: Contraction,
        progress: &dyn Progress,
        up: std::fs::File,
        down: std::fs::File,
    ) -> io::Result<Self> {
        contraction.run(
            progress,
            spill::SpilledArcs::new(up),
            spill::SpilledArcs::new(down),
        )
    }

    /// The rank of a turn node (see [`crate::turns::TurnGraph`]).
    pub fn rank(&self, node: u32) -> u32 {
        self.rank[node as usize]
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of arcs, shortcuts included, over both directions.
    pub fn arc_count(&self) -> usize {
        self.up.len() + self.down.len()
    }

    /// Takes the pages of the mapping the hierarchy lies in out of the resident set, if it
    /// was read from a file.
    pub(crate) fn forget_mapped_pages(&self) {
        self.rank.forget_mapped_pages();
    }

    /// Number of shortcut arcs.
    pub fn shortcut_count(&self) -> usize {
        [&self.up, &self.down]
            .iter()
            .flat_map(|arcs| arcs.origin.iter())
            .filter(|&&o| o & SHORTCUT_BIT != 0)
            .count()
    }

    /// Writes the hierarchy's arrays to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.array(&self.rank)?;
        self.up.write_sections(out)?;
        self.down.write_sections(out)
    }

    /// Reads what [`Hierarchy::write_sections`] wrote.
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        Ok(Hierarchy {
            rank: input.array()?,
            up: QueryArcs::read_sections(input)?,
            down: QueryArcs::read_sections(input)?,
        })
    }

    pub(crate) fn up(&self) -> &QueryArcs {
        &self.up
    }

    pub(crate) fn down(&self) -> &QueryArcs {
        &self.down
    }

    /// The road edges an up arc (`upward = true`, attached to `rank`) or a down arc
    /// stands for, in travel order.
    pub(crate) fn unpack(&self, upward: bool, arc: usize, out: &mut Vec<EdgeIdx>) {
        let arcs = if upward { &self.up } else { &self.down };
        match arcs.origin(arc) {
            ArcOrigin::Edge(edge) => out.push(edge),
            ArcOrigin::Shortcut { via } => {
                // The arc joins `low` (its owner) and `high`; as a shortcut it is
                // tail → via → head, where tail → via is a down arc of `via` and
                // via → head an up arc of `via`.
                let (tail, head) = self.ends(upward, arc);
                // Both halves were attached to `via` when it was contracted and never change.
                let first = self.down.find(via, tail);
                let second = self.up.find(via, head);
                debug_assert!(first.is_some() && second.is_some(), "shortcut halves exist");
                if let (Some(first), Some(second)) = (first, second) {
                    self.unpack(false, first, out);
                    self.unpack(true, second, out);
                }
            }
        }
    }

    /// Tail and head ranks of an arc.
    fn ends(&self, upward: bool, arc: usize) -> (u32, u32) {
        let arcs = if upward { &self.up } else { &self.down };
        let owner = arcs.first.partition_point(|&f| f as usize <= arc) as u32 - 1;
        if upward {
            (owner, arcs.other(arc))
        } else {
            (arcs.other(arc), owner)
        }
    }
}
