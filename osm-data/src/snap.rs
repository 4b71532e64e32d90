//! Snapping: the nearest point on a road the profile may use, found with an R-tree over every
//! straight piece of road geometry.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::geo::{BoundingBox, Coord, LocalProjection, haversine_m};
use crate::graph::{RoadGraph, SegmentOffset};
use crate::ids::{NodeIdx, SegmentIdx};
use crate::weight::Weight;

/// A straight piece of road: projected line, with (segment, index of its first point).
type RoadPiece = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// A coordinate placed on the road network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    /// The segment it lies on.
    pub segment: SegmentIdx,
    /// Its position along the segment, in the units of the segment's cumulative arrays.
    pub offset: SegmentOffset,
    /// The point on the road.
    pub point: Coord,
    /// Distance from the given coordinate to the road, metres.
    pub distance_m: f64,
    /// Index of the geometry point that starts the straight piece it lies on.
    pub piece: u32,
    /// Position within that piece, 0 at its start, 1 at its end.
    pub fraction: f64,
}

/// A junction next to a snapped point: where a unit leaving the point first arrives (or,
/// for an arrival, where it comes from), with the cost of that part of the segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seed {
    /// The junction.
    pub node: NodeIdx,
    /// Cost between the junction and the point.
    pub weight: Weight,
    /// Whether that part is travelled in the segment's own direction.
    pub along: bool,
}

impl Snap {
    /// Where a unit leaving this point first reaches a junction, and at what cost: the end of
    /// the segment if the segment is open forward, its start if open backward.
    pub fn departures(&self, graph: &RoadGraph) -> Vec<Seed> {
        let segment = graph.segment(self.segment);
        let end = graph.segment_end(self.segment);
        let at = self.offset;
        let mut seeds = Vec::with_capacity(2);
        if segment.forward.is_some() {
            let weight = Weight::new(end.forward_ms - at.forward_ms, end.length_cm - at.length_cm);
            seeds.push(Seed {
                node: segment.to,
                weight,
                along: true,
            });
        }
        if segment.backward.is_some() {
            let weight = Weight::new(at.backward_ms, at.length_cm);
            seeds.push(Seed {
                node: segment.from,
                weight,
                along: false,
            });
        }
        seeds
    }

    /// The junctions from which a unit reaches this point, and at what cost.
    pub fn arrivals(&self, graph: &RoadGraph) -> Vec<Seed> {
        let segment = graph.segment(self.segment);
        let end = graph.segment_end(self.segment);
        let at = self.offset;
        let mut seeds = Vec::with_capacity(2);
        if segment.forward.is_some() {
            let weight = Weight::new(at.forward_ms, at.length_cm);
            seeds.push(Seed {
                node: segment.from,
                weight,
                along: true,
            });
        }
        if segment.backward.is_some() {
            let weight = Weight::new(
                end.backward_ms - at.backward_ms,
                end.length_cm - at.length_cm,
            );
            seeds.push(Seed {
                node: segment.to,
                weight,
                along: false,
            });
        }
        seeds
    }

    /// The cost of driving straight from `self` to `to` along their common segment, if they
    /// share one and its direction allows it.
    pub fn direct_to(&self, graph: &RoadGraph, to: &Snap) -> Option<Weight> {
        if self.segment != to.segment {
            return None;
        }
        let segment = graph.segment(self.segment);
        let (a, b) = (self.offset, to.offset);
        let forward = segment.forward.is_some() && self.position() <= to.position();
        let backward = segment.backward.is_some() && self.position() >= to.position();
        let along =
            forward.then(|| Weight::new(b.forward_ms - a.forward_ms, b.length_cm - a.length_cm));
        let against =
            backward.then(|| Weight::new(a.backward_ms - b.backward_ms, a.length_cm - b.length_cm));
        along.into_iter().chain(against).min()
    }

    /// Position along the segment, for ordering two snaps on the same segment.
    fn position(&self) -> (u32, f64) {
        (self.piece, self.fraction)
    }
}

/// The spatial index of a graph's road geometry.
pub struct SnapIndex {
    projection: LocalProjection,
    tree: RTree<RoadPiece>,
}

impl SnapIndex {
    /// Indexes every straight piece of every segment that a unit can both leave and reach
    /// from everywhere on the turn-aware graph (restrictions can trap a one-way end).
    pub fn new(graph: &RoadGraph) -> Self {
        let bbox = BoundingBox::around(
            (0..graph.node_count() as u32).map(|n| graph.node_coord(NodeIdx(n))),
        );
        let projection = LocalProjection::new(bbox.map_or(0.0, |b| (b.min_lat + b.max_lat) / 2.0));
        let mut pieces = Vec::new();
        let turns = graph.turns();
        for index in 0..graph.segments().len() as u32 {
            let segment = graph.segment(SegmentIdx(index));
            let open = segment.forward.into_iter().chain(segment.backward);
            if !open.clone().any(|e| turns.in_core(e.0)) {
                continue;
            }
            let points: Vec<[f64; 2]> = graph
                .segment_points(SegmentIdx(index))
                .map(|c| projection.project(c))
                .collect();
            for (k, pair) in points.windows(2).enumerate() {
                pieces.push(RoadPiece::new(
                    Line::new(pair[0], pair[1]),
                    (index, k as u32),
                ));
            }
        }
        SnapIndex {
            projection,
            tree: RTree::bulk_load(pieces),
        }
    }

    /// The nearest point on any road of the graph, or `None` for an empty graph.
    pub fn nearest(&self, graph: &RoadGraph, at: Coord) -> Option<Snap> {
        let query = self.projection.project(at);
        let nearest = self.tree.nearest_neighbor(query)?;
        let (segment, piece) = nearest.data;
        let line = nearest.geom();
        let fraction = fraction_along(line, query);
        let from = self.projection.unproject(line.from);
        let to = self.projection.unproject(line.to);
        let point = Coord::new(
            from.lat + (to.lat - from.lat) * fraction,
            from.lon + (to.lon - from.lon) * fraction,
        );
        let segment = SegmentIdx(segment);
        let offset = interpolate(
            graph.point_offset(segment, piece as usize),
            graph.point_offset(segment, piece as usize + 1),
            fraction,
        );
        Some(Snap {
            segment,
            offset,
            point,
            distance_m: haversine_m(at, point),
            piece,
            fraction,
        })
    }
}

/// Position of the foot of the perpendicular from `p` on `line`, clamped to the line (0..=1).
fn fraction_along(line: &Line<[f64; 2]>, p: [f64; 2]) -> f64 {
    let (dx, dy) = (line.to[0] - line.from[0], line.to[1] - line.from[1]);
    let length2 = dx * dx + dy * dy;
    if length2 == 0.0 {
        return 0.0;
    }
    (((p[0] - line.from[0]) * dx + (p[1] - line.from[1]) * dy) / length2).clamp(0.0, 1.0)
}

/// The offset a fraction of the way between two consecutive points, rounded so that the
/// parts before and after a snap sum exactly to the piece.
fn interpolate(a: SegmentOffset, b: SegmentOffset, fraction: f64) -> SegmentOffset {
    let part = |x: u32, y: u32| x + ((f64::from(y - x) * fraction) + 0.5) as u32;
    SegmentOffset {
        length_cm: part(a.length_cm, b.length_cm),
        forward_ms: part(a.forward_ms, b.forward_ms),
        backward_ms: part(a.backward_ms, b.backward_ms),
    }
}
