//! A road graph in a cache file: its profile and statistics in postcard, its arrays as they lie
//! in memory (used in place when loaded), and its edges and segments as fixed-width records of
//! `u32`s, turned back into [`Edge`]s and [`Segment`]s when loaded (a few tens of thousands
//! each: well under a millisecond).

use std::io::{self, Write};

use super::{Edge, RoadGraph, Segment};
use crate::array::Array;
use crate::cache::{CacheMiss, SectionReader, SectionWriter};
use crate::ids::{EdgeIdx, NodeIdx, SegmentIdx};
use crate::turns::TurnGraph;
use crate::weight::Weight;

/// An edge stored: tail, head, time (ms), length (cm), segment, reversed (0 or 1).
type EdgeRecord = [u32; 6];
/// A segment stored: from, to, forward and backward edges ([`NO_EDGE`] for none), first point,
/// point count, first way, way count.
type SegmentRecord = [u32; 8];
/// A closed direction of a segment in a [`SegmentRecord`].
const NO_EDGE: u32 = u32::MAX;

impl RoadGraph {
    /// Writes the graph to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.value(&(&self.profile, &self.stats))?;
        out.array(&self.node_positions)?;
        out.array(&self.first_out)?;
        let edges: Vec<EdgeRecord> = self.edges.iter().map(edge_record).collect();
        out.array(&Array::from(edges))?;
        let segments: Vec<SegmentRecord> = self.segments.iter().map(segment_record).collect();
        out.array(&Array::from(segments))?;
        out.array(&self.points)?;
        out.array(&self.cum_length_cm)?;
        out.array(&self.cum_forward_ms)?;
        out.array(&self.cum_backward_ms)?;
        out.array(&self.segment_ways)?;
        out.array(&self.node_osm_ids)?;
        self.turns.write_sections(out)
    }

    /// Reads what [`RoadGraph::write_sections`] wrote.
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        let (profile, stats) = input.value()?;
        let node_positions = input.array()?;
        let first_out = input.array()?;
        let edges = input
            .array::<EdgeRecord>()?
            .iter()
            .map(edge_from)
            .collect::<Result<_, _>>()?;
        let segments = input
            .array::<SegmentRecord>()?
            .iter()
            .map(segment_from)
            .collect();
        Ok(RoadGraph {
            profile,
            stats,
            node_positions,
            first_out,
            edges,
            segments,
            points: input.array()?,
            cum_length_cm: input.array()?,
            cum_forward_ms: input.array()?,
            cum_backward_ms: input.array()?,
            segment_ways: input.array()?,
            node_osm_ids: input.array()?,
            turns: TurnGraph::read_sections(input)?,
        })
    }
}

fn edge_record(edge: &Edge) -> EdgeRecord {
    [
        edge.tail.0,
        edge.head.0,
        edge.weight.time_ms(),
        edge.weight.length_cm(),
        edge.segment.0,
        u32::from(edge.reversed),
    ]
}

fn edge_from(record: &EdgeRecord) -> Result<Edge, CacheMiss> {
    let [tail, head, time_ms, length_cm, segment, reversed] = *record;
    let reversed = match reversed {
        0 => false,
        1 => true,
        other => {
            return Err(CacheMiss::Corrupt(format!(
                "an edge's direction is {other}, not 0 or 1"
            )));
        }
    };
    Ok(Edge {
        tail: NodeIdx(tail),
        head: NodeIdx(head),
        weight: Weight::new(time_ms, length_cm),
        segment: SegmentIdx(segment),
        reversed,
    })
}

fn segment_record(segment: &Segment) -> SegmentRecord {
    let edge = |e: Option<EdgeIdx>| e.map_or(NO_EDGE, |e| e.0);
    [
        segment.from.0,
        segment.to.0,
        edge(segment.forward),
        edge(segment.backward),
        segment.first_point,
        segment.point_count,
        segment.first_way,
        segment.way_count,
    ]
}

fn segment_from(record: &SegmentRecord) -> Segment {
    let [
        from,
        to,
        forward,
        backward,
        first_point,
        point_count,
        first_way,
        way_count,
    ] = *record;
    let edge = |e: u32| (e != NO_EDGE).then_some(EdgeIdx(e));
    Segment {
        from: NodeIdx(from),
        to: NodeIdx(to),
        forward: edge(forward),
        backward: edge(backward),
        first_point,
        point_count,
        first_way,
        way_count,
    }
}
