//! First step of a graph build: cut the ways a profile may use into pieces between junctions.

use crate::extract::{MISSING_NODE, OsmExtract};
use crate::geo::short_distance_m;
use crate::ids::OsmWayId;
use crate::profile::{Profile, Traversal};

/// No junction assigned to this extract node.
const NO_JUNCTION: u32 = u32::MAX;

/// A stretch of one way between two junctions, with the way's speeds.
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    pub from: u32,
    pub to: u32,
    /// Range into [`Pieces::points`] (extract node indices, `from` and `to` included).
    pub first_point: u32,
    pub point_count: u32,
    /// Speed along the piece, km/h, if that direction is open.
    pub forward_kmh: Option<f32>,
    /// Speed against the piece, km/h, if that direction is open.
    pub backward_kmh: Option<f32>,
    pub way: OsmWayId,
}

/// All pieces of a profile's network, and what each junction is.
#[derive(Debug, Default)]
pub(crate) struct Pieces {
    pub pieces: Vec<Piece>,
    pub points: Vec<u32>,
    /// The extract node under each junction (barrier junctions share their node's position).
    pub junction_nodes: Vec<u32>,
    /// Ways the profile may use.
    pub usable_ways: usize,
}

/// Cuts every usable way at its junctions: nodes shared by several usable ways, way ends, nodes
/// next to a node missing from the file, and barriers the unit cannot pass (each side of such a
/// barrier gets its own dead-end junction).
pub(crate) fn split_ways(extract: &OsmExtract, profile: &Profile) -> Pieces {
    let usable: Vec<(usize, Traversal)> = extract
        .ways()
        .iter()
        .enumerate()
        .filter_map(|(i, way)| profile.traversal(extract.way_tags(way)).map(|t| (i, t)))
        .collect();
    let uses = count_uses(extract, profile, &usable);

    let usable_refs: usize = usable
        .iter()
        .map(|(i, _)| extract.way_nodes(&extract.ways()[*i]).len())
        .sum();
    let mut out = Pieces {
        pieces: Vec::with_capacity(usable_refs / 2),
        points: Vec::with_capacity(usable_refs * 5 / 4),
        junction_nodes: Vec::with_capacity(usable_refs / 2),
        usable_ways: usable.len(),
    };
    let mut junction_of = vec![NO_JUNCTION; extract.node_count()];
    for (way_index, traversal) in usable {
        let way = &extract.ways()[way_index];
        for run in present_runs(extract.way_nodes(way)) {
            let mut start: Option<(u32, u32)> = None; // (junction, first point index)
            for (i, &node) in run.iter().enumerate() {
                let last = i + 1 == run.len();
                let use_count = uses[node as usize];
                let is_junction = i == 0 || last || use_count >= 2;
                if use_count == BLOCKED {
                    if let Some((from, first_point)) = start.take() {
                        let to = out.new_junction(node);
                        out.push_point(node);
                        out.close(from, to, first_point, way.id, traversal);
                    }
                    if !last {
                        let from = out.new_junction(node);
                        start = Some((from, out.begin(node)));
                    }
                } else if is_junction {
                    let junction = match junction_of[node as usize] {
                        NO_JUNCTION => {
                            let j = out.new_junction(node);
                            junction_of[node as usize] = j;
                            j
                        }
                        j => j,
                    };
                    if let Some((from, first_point)) = start.take() {
                        out.push_point(node);
                        out.close(from, junction, first_point, way.id, traversal);
                    }
                    if !last {
                        start = Some((junction, out.begin(node)));
                    }
                } else {
                    out.push_point(node);
                }
            }
        }
    }
    out
}

impl Pieces {
    /// Length of a piece along its geometry, metres.
    pub fn length_m(&self, extract: &OsmExtract, piece: &Piece) -> f64 {
        let range = piece.first_point as usize..(piece.first_point + piece.point_count) as usize;
        self.points[range]
            .windows(2)
            .map(|pair| short_distance_m(extract.node_coord(pair[0]), extract.node_coord(pair[1])))
            .sum()
    }

    fn new_junction(&mut self, node: u32) -> u32 {
        self.junction_nodes.push(node);
        (self.junction_nodes.len() - 1) as u32
    }

    /// Starts a piece at `node`; returns the index of its first point.
    fn begin(&mut self, node: u32) -> u32 {
        self.push_point(node);
        (self.points.len() - 1) as u32
    }

    fn push_point(&mut self, node: u32) {
        self.points.push(node);
    }

    fn close(&mut self, from: u32, to: u32, first_point: u32, way: OsmWayId, t: Traversal) {
        self.pieces.push(Piece {
            from,
            to,
            first_point,
            point_count: self.points.len() as u32 - first_point,
            forward_kmh: t.forward_kmh.map(|v| v as f32),
            backward_kmh: t.backward_kmh.map(|v| v as f32),
            way,
        });
    }
}

/// Marks, in the use counts, a node the unit cannot pass.
const BLOCKED: u8 = u8::MAX;

/// How many times each node is used by usable ways, counting the ends of every run of present
/// nodes twice so that they always become junctions; [`BLOCKED`] for barriers the unit cannot
/// pass (one array, so the walk over the ways reads one byte per node).
fn count_uses(extract: &OsmExtract, profile: &Profile, usable: &[(usize, Traversal)]) -> Vec<u8> {
    let mut uses = vec![0u8; extract.node_count()];
    for &(way_index, _) in usable {
        for run in present_runs(extract.way_nodes(&extract.ways()[way_index])) {
            for (i, &node) in run.iter().enumerate() {
                let weight = if i == 0 || i + 1 == run.len() { 2 } else { 1 };
                let count = &mut uses[node as usize];
                *count = count.saturating_add(weight).min(BLOCKED - 1);
            }
        }
    }
    for (node, tags) in extract.restricting_nodes() {
        if !profile.passes_node(tags) {
            uses[*node as usize] = BLOCKED;
        }
    }
    uses
}

/// The maximal runs of at least two nodes present in the file.
fn present_runs(nodes: &[u32]) -> impl Iterator<Item = &[u32]> {
    nodes
        .split(|&n| n == MISSING_NODE)
        .filter(|run| run.len() >= 2)
}
