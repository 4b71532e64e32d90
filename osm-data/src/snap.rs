//! Snapping: the nearest point on a road the profile may use, found with an R-tree over every
//! straight piece of road geometry.

use std::io::{self, Write};

use geo_index::rtree::sort::HilbertSort;
use geo_index::rtree::{NeighborsOptions, RTreeBuilder, RTreeIndex, RTreeRef};

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
const NODE_SIZE: u16 = 16;

/// The spatial index of a graph's road geometry: a packed Hilbert R-tree (`geo-index`, the
/// flatbush layout) over the projected boxes of every straight piece of road. It is one flat
/// buffer of plain numbers, so a cached graph uses its index in place instead of building it on
/// every start (the `rstar` bulk load this replaces was a sixth of a whole `tournee matrix`
/// process on Malta). A piece is stored as its segment and the index of its first point: its
/// geometry is the graph's.
pub struct SnapIndex {
    /// Latitude at which the projection is exact in scale.
    reference_lat: f64,
    projection: LocalProjection,
    /// Pieces in the order they were added to the tree, which is how the tree names them:
    /// [segment, index of the piece's first point].
    pieces: Array<[u32; 2]>,
    /// The tree's buffer, in 8-byte words so that its boxes (`f64`) are aligned wherever the
    /// words lie, a vector or the mapped cache file; the last word may be padded.
    tree: Array<u64>,
    /// Length of the tree's buffer in bytes.
    tree_len: u64,
}

impl SnapIndex {
    /// Indexes every straight piece of every segment that a unit can both leave and reach
    /// from everywhere on the turn-aware graph (restrictions can trap a one-way end).
    pub fn new(graph: &RoadGraph) -> Self {
        let bbox = BoundingBox::around(
            (0..graph.node_count() as u32).map(|n| graph.node_coord(NodeIdx(n))),
        );
        let reference_lat = bbox.map_or(0.0, |b| (b.min_lat + b.max_lat) / 2.0);
        let projection = LocalProjection::new(reference_lat);
        let turns = graph.turns();
        let indexed = |index: &u32| {
            let segment = graph.segment(SegmentIdx(*index));
            let mut open = segment.forward.into_iter().chain(segment.backward);
            open.any(|e| turns.in_core(e.0))
        };
        let segments = 0..graph.segments().len() as u32;
        let count: usize = segments
            .clone()
            .filter(indexed)
            .map(|index| {
                graph
                    .segment_points(SegmentIdx(index))
                    .len()
                    .saturating_sub(1)
            })
            .sum();
        // The tree names its items with `u32`, as the graph names its points: a graph whose
        // pieces do not fit could not have been built, so nothing is cut in practice.
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        // Each piece's box goes straight into the tree's buffer, counted first: collected
        // beside it, the boxes held 224 MB more at Malta 8 × 8.
        let mut builder = RTreeBuilder::<f64>::new_with_node_size(count, NODE_SIZE);
        let mut pieces: Vec<[u32; 2]> = Vec::with_capacity(count as usize);
        for index in segments.filter(indexed) {
            let mut points = graph
                .segment_points(SegmentIdx(index))
                .map(|c| projection.project(c));
            let Some(mut from) = points.next() else {
                continue;
            };
            for (k, to) in points.enumerate() {
                if pieces.len() == count as usize {
                    break;
                }
                let b = line_box(from, to);
                builder.add(b[0], b[1], b[2], b[3]);
                pieces.push([index, k as u32]);
                from = to;
            }
        }
        let buffer = builder.finish::<HilbertSort>().into_inner();
        let tree_len = buffer.len() as u64;
        let tree = into_words(buffer);
        SnapIndex {
            reference_lat,
            projection,
            pieces: pieces.into(),
            tree: tree.into(),
            tree_len,
        }
    }

    /// Writes the index to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.value(&self.reference_lat)?;
        out.array(&self.pieces)?;
        out.value(&self.tree_len)?;
        out.array(&self.tree)
    }

    /// Reads what [`SnapIndex::write_sections`] wrote, checking that the tree's header fits
    /// its buffer and its pieces (a search follows the tree without further checks).
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        let reference_lat: f64 = input.value()?;
        let pieces = input.array()?;
        let tree_len: u64 = input.value()?;
        let index = SnapIndex {
            reference_lat,
            projection: LocalProjection::new(reference_lat),
            pieces,
            tree: input.array()?,
            tree_len,
        };
        let corrupt = |why: String| CacheMiss::Corrupt(format!("the snapping index {why}"));
        let bytes = index
            .tree_bytes()
            .ok_or_else(|| corrupt("is shorter than its stated length".into()))?;
        // `geo-index` asserts a node size of at least 2 while it reads the header.
        let node_size = bytes.get(2..4).map(|b| u16::from_le_bytes([b[0], b[1]]));
        if node_size.is_none_or(|n| n < 2) {
            return Err(corrupt("has no valid node size".into()));
        }
        let tree = RTreeRef::<f64>::try_new(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if tree.num_items() as usize != index.pieces.len() {
            return Err(corrupt(format!(
                "holds {} items for {} pieces",
                tree.num_items(),
                index.pieces.len()
            )));
        }
        Ok(index)
    }

    /// The tree's buffer, `None` if the words are shorter than the stated length.
    fn tree_bytes(&self) -> Option<&[u8]> {
        let len = usize::try_from(self.tree_len).ok()?;
        bytemuck::cast_slice::<u64, u8>(&self.tree).get(..len)
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
    /// its line. The tree's best-first search with the exact distance to each piece, keeping
    /// every piece as near as the nearest (a point whose nearest road point is a junction,
    /// where several pieces end); of those, [`SnapIndex::preferred`].
    fn nearest_piece(
        &self,
        graph: &RoadGraph,
        query: [f64; 2],
    ) -> Option<(u32, u32, [[f64; 2]; 2])> {
        let bytes = self.tree_bytes()?;
        let tree = RTreeRef::<f64>::try_new(&bytes).ok()?;
        let nearest = tree.neighbors_with_callbacks(
            NeighborsOptions::k(1).include_tie_breakers(true),
            |b| box_distance2(&b, query),
            |item, _| {
                let piece = *self.pieces.get(item as usize)?;
                Some(line_distance2(&self.line(graph, piece), query))
            },
        );
        let [segment, piece] = nearest
            .iter()
            .filter_map(|&(item, _)| self.pieces.get(item as usize).copied())
            .reduce(|a, b| self.preferred(graph, a, b))?;
        Some((segment, piece, self.line(graph, [segment, piece])))
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

/// How many bytes of the tree [`into_words`] copies at a time.
const COPY_CHUNK: usize = 16 << 20;

/// `bytes` as 8-byte words (the last one padded with zeros), so that the tree's boxes are
/// aligned wherever the words lie. Copied from the end a chunk at a time, the copied bytes
/// handed back as it goes: the tree and its copy are never both whole in memory (a fresh
/// zeroed vector takes no memory until it is written).
fn into_words(mut bytes: Vec<u8>) -> Vec<u64> {
    let mut words = vec![0u64; bytes.len().div_ceil(8)];
    let out = bytemuck::cast_slice_mut::<u64, u8>(&mut words);
    while !bytes.is_empty() {
        let from = bytes.len().saturating_sub(COPY_CHUNK);
        out[from..bytes.len()].copy_from_slice(&bytes[from..]);
        bytes.truncate(from);
        bytes.shrink_to_fit();
    }
    words
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
                let bytes = index.tree_bytes().unwrap();
                let tree = RTreeRef::<f64>::try_new(&bytes).unwrap();
                assert!(tree.level_bounds().len() > 3, "a tree of several levels");
            }
        }
    }

    #[test]
    fn bytes_copied_into_words_keep_their_order_and_pad_with_zeros() {
        for len in [0, 5, 8, COPY_CHUNK - 1, COPY_CHUNK + 3, 2 * COPY_CHUNK + 8] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let words = into_words(bytes.clone());
            assert_eq!(words.len(), len.div_ceil(8));
            let copied = bytemuck::cast_slice::<u64, u8>(&words);
            assert_eq!(&copied[..len], &bytes[..], "{len} bytes");
            assert!(copied[len..].iter().all(|&b| b == 0));
        }
    }
}
