//! Where a search on the turn graph starts and ends for a snapped point: the direction of
//! travel the unit leaves the point by, or the turns by which it arrives at it.

use crate::graph::RoadGraph;
use crate::snap::Snap;
use crate::weight::Weight;

/// A turn node a search starts from (or, for an arrival, ends at), with the cost between it
/// and the point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TurnSeed {
    /// The turn node.
    pub node: u32,
    /// For a departure: the rest of the point's edge, up to its head. For an arrival: the
    /// turn from `node` onto the point's edge, plus that edge up to the point.
    pub weight: Weight,
    /// Whether the point's segment is travelled in its own direction.
    pub along: bool,
}

/// The directions a unit may leave `snap` by: each open direction of its segment, costed to
/// the end of the segment.
pub(crate) fn departures(graph: &RoadGraph, snap: &Snap) -> Vec<TurnSeed> {
    let segment = graph.segment(snap.segment);
    snap.departures(graph)
        .into_iter()
        .filter_map(|seed| {
            let edge = if seed.along {
                segment.forward
            } else {
                segment.backward
            }?;
            Some(TurnSeed {
                node: edge.0,
                weight: seed.weight,
                along: seed.along,
            })
        })
        .collect()
}

/// The turns by which a unit reaches `snap`: every allowed turn onto either open direction of
/// its segment, costed with the part of the segment up to the point.
pub(crate) fn arrivals(graph: &RoadGraph, snap: &Snap) -> Vec<TurnSeed> {
    let segment = graph.segment(snap.segment);
    let turns = graph.turns();
    let mut seeds = Vec::new();
    for seed in snap.arrivals(graph) {
        let Some(edge) = (if seed.along {
            segment.forward
        } else {
            segment.backward
        }) else {
            continue;
        };
        for (tail, turn) in turns.turns_onto(edge) {
            seeds.push(TurnSeed {
                node: tail,
                weight: turn + seed.weight,
                along: seed.along,
            });
        }
    }
    seeds
}
