//! Snapping: the nearest point on a road the profile may use, found with an R-tree over every
//! straight piece of road geometry.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, Write};

use crate::array::Array;
use crate::cache::{CacheMiss, SectionReader, SectionWriter};
use crate::geo::{BoundingBox, Coord, LocalProjection, haversine_m};
use crate::graph::{RoadGraph, SegmentOffset};
use crate::ids::{NodeIdx, SegmentIdx};
use crate::weight::Weight;

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

/// Pieces under one leaf of the spatial index, and children of one of its inner nodes.
const NODE_SIZE: usize = 16;

/// The spatial index of a graph's road geometry: a packed R-tree, that is the road pieces sorted
/// along a Hilbert curve and grouped [`NODE_SIZE`] by [`NODE_SIZE`] into boxes, the boxes
/// grouped the same way level by level up to one root. Flat arrays of plain numbers, so a cached
/// graph uses its index in place instead of building it on every start (the `rstar` bulk load
/// this replaces was a sixth of a whole `tournee matrix` process on Malta). A piece is stored
/// as its segment and the index of its first point: its geometry is the graph's.
pub struct SnapIndex {
    /// Latitude at which the projection is exact in scale.
    reference_lat: f64,
    projection: LocalProjection,
    /// Pieces in tree order: [segment, index of the piece's first point].
    pieces: Array<[u32; 2]>,
    /// Boxes of the tree's nodes, projected, [min x, min y, max x, max y]: the leaves' first
    /// (box `i` covers pieces `NODE_SIZE * i ..`), then each level up to the root.
    boxes: Array<[f64; 4]>,
    /// Where each level starts in `boxes`, leaves first, then where the root level ends.
    levels: Array<u32>,
}

/// A candidate of the nearest-piece search: a node of the tree or a piece, by its squared
/// distance's bits (ordered as the distance, which is never negative), nodes before pieces at
/// the same distance, and pieces by (segment, point) so that ties are broken the same way on
/// every run.
type Candidate = Reverse<(u64, bool, u32, u32)>;

impl SnapIndex {
    /// Indexes every straight piece of every segment that a unit can both leave and reach
    /// from everywhere on the turn-aware graph (restrictions can trap a one-way end).
    pub fn new(graph: &RoadGraph) -> Self {
        let bbox = BoundingBox::around(
            (0..graph.node_count() as u32).map(|n| graph.node_coord(NodeIdx(n))),
        );
        let reference_lat = bbox.map_or(0.0, |b| (b.min_lat + b.max_lat) / 2.0);
        let projection = LocalProjection::new(reference_lat);
        let mut pieces: Vec<([u32; 2], [f64; 4])> = Vec::new();
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
                pieces.push(([index, k as u32], line_box(pair[0], pair[1])));
            }
        }
        let all = pieces.iter().map(|(_, b)| *b).reduce(union);
        let all = all.unwrap_or([0.0; 4]);
        let scale = |v: f64, min: f64, max: f64| {
            (((v - min) / (max - min).max(f64::MIN_POSITIVE)) * 65_535.0) as u32
        };
        pieces.sort_by_cached_key(|(piece, b)| {
            let x = scale((b[0] + b[2]) / 2.0, all[0], all[2]);
            let y = scale((b[1] + b[3]) / 2.0, all[1], all[3]);
            (hilbert(x, y), *piece)
        });
        let mut boxes: Vec<[f64; 4]> = pieces
            .chunks(NODE_SIZE)
            .map(|group| group.iter().map(|(_, b)| *b).reduce(union).unwrap_or(all))
            .collect();
        let mut levels = vec![0u32];
        while boxes.len() - *levels.last().unwrap_or(&0) as usize > 1 {
            let below = *levels.last().unwrap_or(&0) as usize;
            levels.push(boxes.len() as u32);
            let parents: Vec<[f64; 4]> = boxes[below..]
                .chunks(NODE_SIZE)
                .map(|group| group.iter().copied().reduce(union).unwrap_or(all))
                .collect();
            boxes.extend(parents);
        }
        levels.push(boxes.len() as u32);
        SnapIndex {
            reference_lat,
            projection,
            pieces: pieces
                .into_iter()
                .map(|(piece, _)| piece)
                .collect::<Vec<_>>()
                .into(),
            boxes: boxes.into(),
            levels: levels.into(),
        }
    }

    /// Writes the index to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.value(&self.reference_lat)?;
        out.array(&self.pieces)?;
        out.array(&self.boxes)?;
        out.array(&self.levels)
    }

    /// Reads what [`SnapIndex::write_sections`] wrote, checking that its levels fit its boxes
    /// (a search follows them without further checks).
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        let reference_lat: f64 = input.value()?;
        let index = SnapIndex {
            reference_lat,
            projection: LocalProjection::new(reference_lat),
            pieces: input.array()?,
            boxes: input.array()?,
            levels: input.array()?,
        };
        let levels_fit = index.levels.first() == Some(&0)
            && index.levels.windows(2).all(|w| w[0] <= w[1])
            && index.levels.last().map(|&l| l as usize) == Some(index.boxes.len())
            && index.boxes.len() >= index.pieces.len().div_ceil(NODE_SIZE);
        if !levels_fit {
            return Err(CacheMiss::Corrupt(
                "the snapping index's levels do not fit its boxes".into(),
            ));
        }
        Ok(index)
    }

    /// The nearest point on any road of the graph, or `None` for an empty graph.
    pub fn nearest(&self, graph: &RoadGraph, at: Coord) -> Option<Snap> {
        let query = self.projection.project(at);
        let (segment, piece, line) = self.nearest_piece(graph, query)?;
        let fraction = fraction_along(&line, query);
        let from = self.projection.unproject(line[0]);
        let to = self.projection.unproject(line[1]);
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

    /// The piece nearest `query` (projected): its segment, the index of its first point, and
    /// its line. A best-first search: the candidate nearest the query is expanded first, so
    /// the first piece taken from the queue is the nearest; the search goes on while the queue
    /// holds candidates as near, and among pieces at the same distance (a point whose nearest
    /// road point is a junction, where several pieces end) takes [`SnapIndex::preferred`].
    fn nearest_piece(
        &self,
        graph: &RoadGraph,
        query: [f64; 2],
    ) -> Option<(u32, u32, [[f64; 2]; 2])> {
        let levels = &self.levels;
        let top = levels.len().checked_sub(2)?;
        let mut queue: BinaryHeap<Candidate> = BinaryHeap::new();
        for node in levels[top]..levels[top + 1] {
            let distance = box_distance2(&self.boxes[node as usize], query);
            queue.push(Reverse((
                distance.to_bits(),
                false,
                top as u32,
                node - levels[top],
            )));
        }
        let mut nearest: Option<(u64, [u32; 2])> = None;
        while let Some(Reverse((distance, is_piece, a, b))) = queue.pop() {
            if let Some((best, piece)) = nearest {
                if distance > best {
                    break;
                }
                if is_piece {
                    nearest = Some((best, self.preferred(graph, piece, [a, b])));
                    continue;
                }
            } else if is_piece {
                nearest = Some((distance, [a, b]));
                continue;
            }
            let (level, node) = (a as usize, b as usize);
            let children = NODE_SIZE * node..NODE_SIZE * (node + 1);
            if level == 0 {
                for &[segment, piece] in self
                    .pieces
                    .get(children.start..)
                    .unwrap_or_default()
                    .iter()
                    .take(NODE_SIZE)
                {
                    let line = self.line(graph, [segment, piece]);
                    let distance = line_distance2(&line, query);
                    queue.push(Reverse((distance.to_bits(), true, segment, piece)));
                }
            } else {
                let below = levels[level - 1] as usize;
                let end = levels[level] as usize;
                for child in children.map(|c| below + c).take_while(|&c| c < end) {
                    let distance = box_distance2(&self.boxes[child], query);
                    let index = (child - below) as u32;
                    queue.push(Reverse((
                        distance.to_bits(),
                        false,
                        level as u32 - 1,
                        index,
                    )));
                }
            }
        }
        nearest.map(|(_, [segment, piece])| (segment, piece, self.line(graph, [segment, piece])))
    }

    /// Of two pieces as near a point, the one of the faster segment (least time per length,
    /// in its faster open direction), then the lower (segment, point): a stop placed exactly
    /// at a junction is on the main road there, and the same one on every run.
    fn preferred(&self, graph: &RoadGraph, a: [u32; 2], b: [u32; 2]) -> [u32; 2] {
        let pace = |[segment, _]: [u32; 2]| {
            let index = SegmentIdx(segment);
            let s = graph.segment(index);
            let end = graph.segment_end(index);
            let forward = s.forward.map(|_| end.forward_ms);
            let backward = s.backward.map(|_| end.backward_ms);
            let time = forward
                .into_iter()
                .chain(backward)
                .min()
                .unwrap_or(u32::MAX);
            (u64::from(time), u64::from(end.length_cm.max(1)))
        };
        let ((time_a, length_a), (time_b, length_b)) = (pace(a), pace(b));
        // a is faster when time_a / length_a < time_b / length_b.
        match (time_a * length_b).cmp(&(time_b * length_a)) {
            std::cmp::Ordering::Less => a,
            std::cmp::Ordering::Greater => b,
            std::cmp::Ordering::Equal => a.min(b),
        }
    }

    /// The projected line of a piece.
    fn line(&self, graph: &RoadGraph, [segment, piece]: [u32; 2]) -> [[f64; 2]; 2] {
        let mut points = graph
            .segment_points(SegmentIdx(segment))
            .skip(piece as usize);
        let mut next = || {
            points
                .next()
                .map_or([0.0; 2], |c| self.projection.project(c))
        };
        [next(), next()]
    }
}

/// The box of a line: [min x, min y, max x, max y].
fn line_box(a: [f64; 2], b: [f64; 2]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ]
}

/// The smallest box holding both.
fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Squared distance from `p` to the nearest point of a box (0 inside it).
fn box_distance2(b: &[f64; 4], p: [f64; 2]) -> f64 {
    let dx = (b[0] - p[0]).max(p[0] - b[2]).max(0.0);
    let dy = (b[1] - p[1]).max(p[1] - b[3]).max(0.0);
    dx * dx + dy * dy
}

/// Squared distance from `p` to the nearest point of a line.
fn line_distance2(line: &[[f64; 2]; 2], p: [f64; 2]) -> f64 {
    let t = fraction_along(line, p);
    let x = line[0][0] + (line[1][0] - line[0][0]) * t - p[0];
    let y = line[0][1] + (line[1][1] - line[0][1]) * t - p[1];
    x * x + y * y
}

/// Position of `(x, y)` (each below 2¹⁶) along a Hilbert curve filling the square: nearby
/// positions are mostly near on the curve, so consecutive pieces make small boxes.
fn hilbert(mut x: u32, mut y: u32) -> u64 {
    const SIDE: u32 = 1 << 16;
    let mut position = 0u64;
    let mut half = SIDE / 2;
    while half > 0 {
        let rx = u32::from(x & half != 0);
        let ry = u32::from(y & half != 0);
        position += u64::from(half) * u64::from(half) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = SIDE - 1 - x;
                y = SIDE - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        half /= 2;
    }
    position
}

/// Position of the foot of the perpendicular from `p` on `line`, clamped to the line (0..=1).
fn fraction_along(line: &[[f64; 2]; 2], p: [f64; 2]) -> f64 {
    let [from, to] = line;
    let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
    let length2 = dx * dx + dy * dy;
    if length2 == 0.0 {
        return 0.0;
    }
    (((p[0] - from[0]) * dx + (p[1] - from[1]) * dy) / length2).clamp(0.0, 1.0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{CachePolicy, import_profile};
    use crate::profile::{Profile, ProfileKind};
    use crate::progress::Silent;

    /// The tree's best-first search against a scan of every piece, on points around and
    /// between the roads (and far outside them): the same piece, the same distance.
    #[test]
    fn the_tree_finds_the_piece_a_full_scan_finds() {
        let manifest = env!("CARGO_MANIFEST_DIR");
        let extracts = [
            format!("{manifest}/../tests/fixtures/village.osm.pbf"),
            format!("{manifest}/../../shared/osm/monaco-2020.osm.pbf"),
        ];
        for extract in extracts.iter().map(std::path::Path::new) {
            if !extract.exists() {
                eprintln!("skipped: {} not found", extract.display());
                continue;
            }
            let car = Profile::new(ProfileKind::Car);
            let (router, _) =
                import_profile(extract, &car, &CachePolicy::Disabled, &Silent).unwrap();
            let graph = router.graph();
            let index = SnapIndex::new(graph);
            let coords: Vec<Coord> = (0..graph.node_count() as u32)
                .map(|n| graph.node_coord(NodeIdx(n)))
                .collect();
            let bbox = BoundingBox::around(coords.iter().copied()).unwrap();
            let (height, width) = (bbox.max_lat - bbox.min_lat, bbox.max_lon - bbox.min_lon);
            // A 20 × 20 grid over the box and a margin of half its size, shifted a little by a
            // hash so that points do not line up with the roads' own grid; then junctions,
            // where the pieces that end there are all at distance 0.
            let grid = (0..400u32).map(|k| {
                let jitter = f64::from(k.wrapping_mul(2_654_435_761) % 1000) / 1000.0;
                let lat = bbox.min_lat + height * ((f64::from(k / 20) + jitter) / 10.0 - 0.5);
                let lon = bbox.min_lon + width * ((f64::from(k % 20) + jitter) / 10.0 - 0.5);
                Coord::new(lat, lon)
            });
            for at in grid.chain(coords.iter().copied().take(300)) {
                let (lat, lon) = (at.lat, at.lon);
                let query = index.projection.project(at);
                let (segment, piece, line) = index.nearest_piece(graph, query).unwrap();
                let found = (line_distance2(&line, query).to_bits(), [segment, piece]);
                let distances: Vec<(u64, [u32; 2])> = index
                    .pieces
                    .iter()
                    .map(|&p| (line_distance2(&index.line(graph, p), query).to_bits(), p))
                    .collect();
                let least = distances.iter().map(|(d, _)| *d).min().unwrap();
                let scanned = distances
                    .iter()
                    .filter(|(d, _)| *d == least)
                    .map(|(_, p)| *p)
                    .reduce(|a, b| index.preferred(graph, a, b))
                    .unwrap();
                assert_eq!(
                    found,
                    (least, scanned),
                    "{} at {lat}, {lon}",
                    extract.display()
                );
            }
            if extract.ends_with("monaco-2020.osm.pbf") {
                assert!(index.levels.len() > 3, "a tree of several levels");
            }
        }
    }
}
