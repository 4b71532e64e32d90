//! A route between two snapped points: the fastest path, unpacked from the hierarchy into road
//! edges, with its full geometry.

use serde::Serialize;

use crate::ch::Hierarchy;
use crate::ch::search::{Direction, UpwardSearch};
use crate::error::{Error, Result};
use crate::geo::Coord;
use crate::graph::RoadGraph;
use crate::ids::EdgeIdx;
use crate::matrix::ranked;
use crate::snap::Snap;
use crate::turns::seeds::{self, TurnSeed};
use crate::weight::Weight;

/// A route along the roads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Route {
    /// The polyline from the first snapped point to the second.
    pub coordinates: Vec<Coord>,
    /// Travel time, whole seconds rounded up (the matrix entry for the same pair).
    pub duration_s: u32,
    /// Length, whole metres rounded up (the matrix entry for the same pair).
    pub distance_m: u32,
    /// The road edges travelled, in order, the first and last only in part (from and to the
    /// snapped points): the sequence of turns the travel time includes.
    #[serde(skip)]
    pub edges: Vec<EdgeIdx>,
}

/// The fastest route from `from` to `to`.
pub(crate) fn route(
    graph: &RoadGraph,
    hierarchy: &Hierarchy,
    from: &Snap,
    to: &Snap,
) -> Result<Route> {
    let n = hierarchy.node_count();
    let departures = seeds::departures(graph, from);
    let arrivals = seeds::arrivals(graph, to);
    let mut forward = UpwardSearch::new(n);
    let mut backward = UpwardSearch::new(n);
    backward.run(
        hierarchy,
        Direction::Backward,
        &ranked(hierarchy, &arrivals),
    );
    let meeting = forward
        .run(
            hierarchy,
            Direction::Forward,
            &ranked(hierarchy, &departures),
        )
        .iter()
        .map(|&(rank, d)| (d + backward.distance(rank), rank))
        .min();
    let direct = from.direct_to(graph, to);
    let through = meeting.filter(|(w, _)| *w != Weight::INFINITY && direct.is_none_or(|d| *w < d));

    let direction = |snap: &Snap, along: bool| {
        let segment = graph.segment(snap.segment);
        if along {
            segment.forward
        } else {
            segment.backward
        }
    };
    let (weight, coordinates, travelled) = match (through, direct) {
        (Some((weight, meeting)), _) => {
            let (start, mut up_arcs) = forward.path_back_from(meeting);
            up_arcs.reverse();
            let (end, down_arcs) = backward.path_back_from(meeting);
            let mut edges = Vec::new();
            for arc in up_arcs {
                hierarchy.unpack(true, arc, &mut edges);
            }
            for arc in down_arcs {
                hierarchy.unpack(false, arc, &mut edges);
            }
            // The seed a search settled from is the cheapest one at that junction.
            let used = |seeds: &[TurnSeed], rank: u32| {
                seeds
                    .iter()
                    .filter(|s| hierarchy.rank(s.node) == rank)
                    .min_by_key(|s| s.weight)
                    .copied()
            };
            let (Some(start), Some(end)) = (used(&departures, start), used(&arrivals, end)) else {
                return Err(Error::Unreachable { from: 0, to: 1 });
            };
            let travelled = direction(from, start.along)
                .into_iter()
                .chain(edges.iter().copied())
                .chain(direction(to, end.along))
                .collect();
            (
                weight,
                geometry(graph, from, start, &edges, end, to),
                travelled,
            )
        }
        (None, Some(direct)) => {
            let along = (from.piece, from.fraction) <= (to.piece, to.fraction);
            let travelled = direction(from, along).into_iter().collect();
            (direct, along_one_segment(graph, from, to), travelled)
        }
        (None, None) => return Err(Error::Unreachable { from: 0, to: 1 }),
    };
    Ok(Route {
        coordinates,
        duration_s: weight.seconds(),
        distance_m: weight.metres(),
        edges: travelled,
    })
}

/// Polyline: from the snap to the junction it departs by, the edges, then from the arrival
/// junction to the destination snap.
fn geometry(
    graph: &RoadGraph,
    from: &Snap,
    start: TurnSeed,
    edges: &[EdgeIdx],
    end: TurnSeed,
    to: &Snap,
) -> Vec<Coord> {
    let mut line = vec![from.point];
    let points: Vec<Coord> = graph.segment_points(from.segment).collect();
    let cut = from.piece as usize + 1;
    if start.along {
        line.extend_from_slice(&points[cut..]);
    } else {
        line.extend(points[..cut].iter().rev());
    }
    for &edge in edges {
        let edge = graph.edge(edge);
        let points: Vec<Coord> = graph.segment_points(edge.segment).collect();
        if edge.reversed {
            line.extend(points.iter().rev().skip(1));
        } else {
            line.extend(points.iter().skip(1));
        }
    }
    let points: Vec<Coord> = graph.segment_points(to.segment).collect();
    let cut = to.piece as usize + 1;
    if end.along {
        line.extend_from_slice(&points[1..cut]);
    } else {
        line.extend(points[cut..points.len() - 1].iter().rev());
    }
    line.push(to.point);
    line
}

/// Polyline between two snaps on the same segment, driven directly.
fn along_one_segment(graph: &RoadGraph, from: &Snap, to: &Snap) -> Vec<Coord> {
    let points: Vec<Coord> = graph.segment_points(from.segment).collect();
    let (a, b) = (from.piece as usize + 1, to.piece as usize + 1);
    let mut line = vec![from.point];
    if (from.piece, from.fraction) <= (to.piece, to.fraction) {
        line.extend_from_slice(&points[a..b]);
    } else {
        line.extend(points[b..a].iter().rev());
    }
    line.push(to.point);
    line
}
