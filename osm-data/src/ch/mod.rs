//! A contraction hierarchy over a [`RoadGraph`]'s turn-aware search graph
//! ([`crate::turns::TurnGraph`]): its shortest paths, precomputed as shortcuts, so that a
//! query only climbs from each end towards more important nodes.
//!
//! Query arrays are indexed by rank (contraction order), which keeps the nodes a search
//! touches close together in memory.

mod adjacency;
mod contract;
mod locality;
pub(crate) mod search;
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

/// [`QueryArcs`] while the contraction appends nodes in rank order.
struct QueryArcsBuilder {
    first: Vec<u32>,
    other: Vec<u32>,
    weight: Vec<Weight>,
    /// [`ArcOrigin::pack`]ed, shortcuts' `via` a node index until
    /// [`QueryArcsBuilder::into_ranks`].
    origin: Vec<u32>,
}

impl QueryArcsBuilder {
    /// No node yet; nodes are appended in rank order by [`QueryArcsBuilder::push_node`].
    fn new() -> Self {
        QueryArcsBuilder {
            first: vec![0],
            other: Vec::new(),
            weight: Vec::new(),
            origin: Vec::new(),
        }
    }

    /// Appends the arcs of the next node in rank order, their other ends (and the nodes their
    /// shortcuts bypass) as node indices until [`QueryArcsBuilder::into_ranks`].
    fn push_node(&mut self, arcs: &[adjacency::Arc]) {
        for arc in arcs {
            self.other.push(arc.head);
            self.weight.push(arc.weight());
            self.origin.push(arc.packed_origin());
        }
        self.first.push(self.other.len() as u32);
    }

    /// The query arrays, with the node indices [`QueryArcsBuilder::push_node`] stored
    /// translated to ranks.
    fn into_ranks(mut self, rank: &[u32]) -> QueryArcs {
        self.other
            .par_iter_mut()
            .for_each(|other| *other = rank[*other as usize]);
        self.origin.par_iter_mut().for_each(|packed| {
            if let ArcOrigin::Shortcut { via } = ArcOrigin::unpack(*packed) {
                let via = rank[via as usize];
                *packed = ArcOrigin::Shortcut { via }.pack();
            }
        });
        self.origin.shrink_to_fit();
        self.other.shrink_to_fit();
        self.weight.shrink_to_fit();
        QueryArcs {
            first: self.first.into(),
            other: self.other.into(),
            weight: self.weight.into(),
            origin: self.origin.into(),
        }
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
    /// Contracts `graph`, reporting progress in nodes.
    pub fn build(graph: &RoadGraph, progress: &dyn Progress) -> Self {
        contract::contract(graph, progress)
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
