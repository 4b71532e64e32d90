//! Large arrays in the graph cache as one block of fixed-width little-endian records.
//!
//! A region's car graph holds tens of millions of array elements; encoded one by one (postcard's
//! variable-length integers) a cache of 800 MB took 16 s to decode. As one byte string each,
//! decoding is a loop over fixed-size chunks with no per-element branching on the format, so
//! loading costs little more than reading the file. Used through `#[serde(with = "crate::flat")]`
//! on `Vec` fields; the record layout of each type is [`Flat`]'s.

use std::fmt;
use std::marker::PhantomData;

use serde::de::Visitor;
use serde::{Deserializer, Serializer};

use crate::ch::ArcOrigin;
use crate::ids::{EdgeIdx, NodeIdx, OsmWayId, SegmentIdx};
use crate::weight::Weight;

/// A value stored as a record of `WIDTH` bytes.
pub(crate) trait Flat: Sized {
    /// Bytes per record.
    const WIDTH: usize;
    /// Appends the record of `self`.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one record of exactly `WIDTH` bytes; `None` when it holds no valid value.
    fn get(record: &[u8]) -> Option<Self>;
}

/// Writes `values` as one byte string of records.
pub(crate) fn serialize<T: Flat, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(values.len() * T::WIDTH);
    for value in values {
        value.put(&mut bytes);
    }
    s.serialize_bytes(&bytes)
}

/// Reads a byte string written by [`serialize`].
pub(crate) fn deserialize<'de, T: Flat, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_bytes(Records(PhantomData))
}

/// The visitor of [`deserialize`].
struct Records<T>(PhantomData<T>);

impl<T: Flat> Visitor<'_> for Records<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a byte string of {}-byte records", T::WIDTH)
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
        if !bytes.len().is_multiple_of(T::WIDTH) {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        bytes
            .chunks_exact(T::WIDTH)
            .map(|record| T::get(record).ok_or_else(|| E::custom("invalid record")))
            .collect()
    }
}

/// `N` bytes of `record` from `at` (callers read within `WIDTH`).
fn at<const N: usize>(record: &[u8], from: usize) -> [u8; N] {
    std::array::from_fn(|i| record[from + i])
}

impl Flat for u32 {
    const WIDTH: usize = 4;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(record: &[u8]) -> Option<Self> {
        Some(u32::from_le_bytes(at(record, 0)))
    }
}

impl Flat for i64 {
    const WIDTH: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(record: &[u8]) -> Option<Self> {
        Some(i64::from_le_bytes(at(record, 0)))
    }
}

impl Flat for bool {
    const WIDTH: usize = 1;
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(record: &[u8]) -> Option<Self> {
        match record[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Flat for [i32; 2] {
    const WIDTH: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self[0].to_le_bytes());
        out.extend_from_slice(&self[1].to_le_bytes());
    }
    fn get(record: &[u8]) -> Option<Self> {
        Some([
            i32::from_le_bytes(at(record, 0)),
            i32::from_le_bytes(at(record, 4)),
        ])
    }
}

impl Flat for (u32, u32) {
    const WIDTH: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(record: &[u8]) -> Option<Self> {
        Some((u32::get(&record[..4])?, u32::get(&record[4..])?))
    }
}

impl Flat for Weight {
    const WIDTH: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        self.time_ms().put(out);
        self.length_cm().put(out);
    }
    fn get(record: &[u8]) -> Option<Self> {
        Some(Weight::new(
            u32::get(&record[..4])?,
            u32::get(&record[4..])?,
        ))
    }
}

impl Flat for OsmWayId {
    const WIDTH: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
    }
    fn get(record: &[u8]) -> Option<Self> {
        i64::get(record).map(OsmWayId)
    }
}

/// No edge, in an optional edge index.
const NO_EDGE: u32 = u32::MAX;

/// An optional edge index as one `u32` (`u32::MAX` for none: no graph has that many edges,
/// since edge indices are `u32` positions in a vector).
pub(crate) fn put_edge(edge: Option<EdgeIdx>, out: &mut Vec<u8>) {
    edge.map_or(NO_EDGE, |e| e.0).put(out);
}

/// Reads an optional edge index written by [`put_edge`].
pub(crate) fn get_edge(record: &[u8]) -> Option<Option<EdgeIdx>> {
    let raw = u32::get(record)?;
    Some((raw != NO_EDGE).then_some(EdgeIdx(raw)))
}

impl Flat for crate::graph::Edge {
    const WIDTH: usize = 4 + 4 + 8 + 4 + 1;
    fn put(&self, out: &mut Vec<u8>) {
        self.tail.0.put(out);
        self.head.0.put(out);
        self.weight.put(out);
        self.segment.0.put(out);
        self.reversed.put(out);
    }
    fn get(r: &[u8]) -> Option<Self> {
        Some(crate::graph::Edge {
            tail: NodeIdx(u32::get(&r[0..4])?),
            head: NodeIdx(u32::get(&r[4..8])?),
            weight: Weight::get(&r[8..16])?,
            segment: SegmentIdx(u32::get(&r[16..20])?),
            reversed: bool::get(&r[20..21])?,
        })
    }
}

/// Tag of an arc that is a road edge's turn.
const EDGE_ARC: u8 = 0;
/// Tag of a shortcut.
const SHORTCUT_ARC: u8 = 1;

impl Flat for ArcOrigin {
    const WIDTH: usize = 5;
    fn put(&self, out: &mut Vec<u8>) {
        match *self {
            ArcOrigin::Edge(edge) => {
                out.push(EDGE_ARC);
                edge.0.put(out);
            }
            ArcOrigin::Shortcut { via } => {
                out.push(SHORTCUT_ARC);
                via.put(out);
            }
        }
    }
    fn get(r: &[u8]) -> Option<Self> {
        let value = u32::get(&r[1..5])?;
        match r[0] {
            EDGE_ARC => Some(ArcOrigin::Edge(EdgeIdx(value))),
            SHORTCUT_ARC => Some(ArcOrigin::Shortcut { via: value }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "crate::flat")]
        origins: Vec<ArcOrigin>,
        #[serde(with = "crate::flat")]
        weights: Vec<Weight>,
        #[serde(with = "crate::flat")]
        flags: Vec<bool>,
    }

    #[test]
    fn records_round_trip_through_postcard() {
        let holder = Holder {
            origins: vec![
                ArcOrigin::Edge(EdgeIdx(7)),
                ArcOrigin::Shortcut { via: u32::MAX - 1 },
            ],
            weights: vec![Weight::new(123_456, 789), Weight::INFINITY],
            flags: vec![true, false, true],
        };
        let bytes = postcard::to_stdvec(&holder).expect("encodes");
        assert_eq!(postcard::from_bytes::<Holder>(&bytes).ok(), Some(holder));
    }

    #[test]
    fn a_record_with_an_unknown_tag_or_a_cut_string_is_refused() {
        let holder = Holder {
            origins: vec![ArcOrigin::Edge(EdgeIdx(1))],
            weights: vec![],
            flags: vec![true],
        };
        let bytes = postcard::to_stdvec(&holder).expect("encodes");
        // The first record's tag follows the string's length byte.
        let mut bad_tag = bytes.clone();
        bad_tag[1] = 9;
        assert!(postcard::from_bytes::<Holder>(&bad_tag).is_err());
        let mut bad_flag = bytes.clone();
        *bad_flag.last_mut().expect("a byte") = 2;
        assert!(postcard::from_bytes::<Holder>(&bad_flag).is_err());
        // A length that is not a whole number of records.
        let mut cut = bytes;
        cut[0] = 4;
        cut.remove(5);
        assert!(postcard::from_bytes::<Holder>(&cut).is_err());
    }
}
