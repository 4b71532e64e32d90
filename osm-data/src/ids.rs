//! Typed identifiers, so a node index can never be passed where an edge index is expected.

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[derive(Pod, Zeroable)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for slicing.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// A junction of a road graph: a node where roads meet, end or are cut by a barrier.
    NodeIdx
);
index_type!(
    /// A directed edge of a road graph: one way of travelling along one segment.
    EdgeIdx
);
index_type!(
    /// A road segment of a road graph: the stretch of road between two junctions, with its
    /// full geometry. It carries one or two directed edges.
    SegmentIdx
);

/// An OpenStreetMap node id, as found in the extract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OsmNodeId(pub i64);

/// An OpenStreetMap way id, as found in the extract.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Pod, Zeroable,
)]
#[repr(transparent)]
pub struct OsmWayId(pub i64);
