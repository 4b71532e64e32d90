//! Contracted nodes' arcs kept in a scratch file until the contraction ends: they are only
//! read once every rank is known, and at region scale they are the largest thing the
//! contraction would otherwise hold beside the graph it is still contracting.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use bytemuck::{Pod, Zeroable};

use crate::weight::Weight;

use super::adjacency::Arc;
use super::{ArcStore, QueryArcs, to_ranks};

/// Arcs gathered before one write: 1 MiB.
const CHUNK: usize = 1 << 16;

/// An arc as the scratch file holds it, its other end and origin still node indices.
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
#[repr(C)]
struct StoredArc {
    weight: Weight,
    other: u32,
    origin: u32,
}

/// Arcs appended in rank order, written to a file a chunk at a time.
pub(crate) struct SpilledArcs {
    file: File,
    /// Arcs written whole to the file, from its start.
    written: usize,
    /// Arcs not written yet: the chunk being filled or, once a write failed, every arc since.
    pending: Vec<StoredArc>,
    /// Set when a write failed: the file is left as it is and the rest stays in memory.
    in_memory: bool,
    first: Vec<u32>,
}

impl SpilledArcs {
    /// Arcs kept in `file`, an empty scratch file.
    pub fn new(file: File) -> Self {
        SpilledArcs {
            file,
            written: 0,
            pending: Vec::with_capacity(CHUNK),
            in_memory: false,
            first: vec![0],
        }
    }

    fn write_pending(&mut self) {
        match self.file.write_all(bytemuck::cast_slice(&self.pending)) {
            Ok(()) => {
                self.written += self.pending.len();
                self.pending.clear();
            }
            // A full or failing disk: nothing is lost, the arcs just stay in memory.
            Err(_) => self.in_memory = true,
        }
    }
}

impl ArcStore for SpilledArcs {
    type Error = io::Error;

    fn push_node(&mut self, arcs: &[Arc]) {
        for arc in arcs {
            self.pending.push(StoredArc {
                weight: arc.weight(),
                other: arc.head,
                origin: arc.packed_origin(),
            });
        }
        let count = self.first.last().copied().unwrap_or(0) as usize + arcs.len();
        self.first.push(count as u32);
        if !self.in_memory && self.pending.len() >= CHUNK {
            self.write_pending();
        }
    }

    fn into_ranks(mut self, rank: &[u32]) -> io::Result<QueryArcs> {
        let total = self.written + self.pending.len();
        let mut other = Vec::with_capacity(total);
        let mut weight = Vec::with_capacity(total);
        let mut origin = Vec::with_capacity(total);
        let mut add = |arcs: &[StoredArc]| {
            for arc in arcs {
                let (to, from) = to_ranks(rank, arc.other, arc.origin);
                other.push(to);
                weight.push(arc.weight);
                origin.push(from);
            }
        };
        self.file.seek(SeekFrom::Start(0))?;
        let mut chunk = vec![StoredArc::zeroed(); CHUNK];
        let mut left = self.written;
        while left > 0 {
            let part = &mut chunk[..left.min(CHUNK)];
            self.file.read_exact(bytemuck::cast_slice_mut(part))?;
            add(part);
            left -= part.len();
        }
        add(&self.pending);
        Ok(QueryArcs {
            first: self.first.into(),
            other: other.into(),
            weight: weight.into(),
            origin: origin.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch::{ArcOrigin, QueryArcsBuilder};
    use crate::ids::EdgeIdx;

    /// Nodes with 0 to 4 arcs each, some shortcuts, as a contraction appends them.
    fn nodes() -> Vec<Vec<Arc>> {
        (0..3 * CHUNK as u32 / 2)
            .map(|node| {
                (0..node % 5)
                    .map(|i| {
                        let origin = if i % 2 == 0 {
                            ArcOrigin::Edge(EdgeIdx(node + i))
                        } else {
                            ArcOrigin::Shortcut { via: node / 2 }
                        };
                        let other = (node * 7 + i) % (3 * CHUNK as u32 / 2);
                        Arc::new(other, Weight::new(node, i), origin, i + 1)
                    })
                    .collect()
            })
            .collect()
    }

    fn query_arcs(mut store: impl ArcStore<Error: std::fmt::Debug>) -> QueryArcs {
        let nodes = nodes();
        for arcs in &nodes {
            store.push_node(arcs);
        }
        let rank: Vec<u32> = (0..nodes.len() as u32).rev().collect();
        store.into_ranks(&rank).expect("read back")
    }

    fn arrays(arcs: &QueryArcs) -> (Vec<u32>, Vec<u32>, Vec<Weight>, Vec<u32>) {
        (
            arcs.first.to_vec(),
            arcs.other.to_vec(),
            arcs.weight.to_vec(),
            arcs.origin.to_vec(),
        )
    }

    #[test]
    fn spilled_arcs_come_back_as_arcs_kept_in_memory() {
        let file = tempfile::tempfile().expect("scratch file");
        let spilled = query_arcs(SpilledArcs::new(file));
        let kept = query_arcs(QueryArcsBuilder::new());
        assert!(spilled.len() > 2 * CHUNK, "more than one chunk written");
        assert_eq!(arrays(&spilled), arrays(&kept));
    }

    #[test]
    fn arcs_that_cannot_be_written_stay_in_memory() {
        let dir = tempfile::tempdir().expect("directory");
        let path = dir.path().join("read-only");
        File::create(&path).expect("file");
        let read_only = File::open(&path).expect("opened for reading only");
        let spilled = query_arcs(SpilledArcs::new(read_only));
        let kept = query_arcs(QueryArcsBuilder::new());
        assert_eq!(arrays(&spilled), arrays(&kept));
    }
}
