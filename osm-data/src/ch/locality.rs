//! The numbering the contraction works in: turn nodes sorted along a Hilbert curve over the
//! position where their road edge starts, so that nodes near each other on the map are near
//! each other in memory.
//!
//! Witness searches and importance estimates read the arcs and the search state of a node's
//! neighbours; in the extract's own numbering those are scattered over arrays of millions of
//! nodes at region scale, and most reads miss the cache.

use rayon::prelude::*;

use crate::graph::RoadGraph;

/// Cells per side of the grid the curve runs through (2¹⁶: a few metres over a region).
const SIDE: u32 = 1 << 16;

/// Position of cell (`x`, `y`) along a Hilbert curve over a `SIDE` × `SIDE` grid: cells close
/// along the curve are close on the grid.
fn hilbert(mut x: u32, mut y: u32) -> u64 {
    let mut position = 0u64;
    let mut s = SIDE / 2;
    while s > 0 {
        let rx = u32::from(x & s != 0);
        let ry = u32::from(y & s != 0);
        position += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = SIDE - 1 - x;
                y = SIDE - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    position
}

/// A renumbering of the turn nodes: `node[new]` is the turn node numbered `new`, `new[node]`
/// the number of a turn node.
pub(crate) struct Numbering {
    pub node: Vec<u32>,
    pub new: Vec<u32>,
}

impl Numbering {
    /// Turn nodes in Hilbert order of their road edge's tail (ties in their own order).
    pub fn spatial(graph: &RoadGraph) -> Self {
        let turns = graph.turns();
        let position = |node: u32| {
            let edge = graph.edge(turns.base(node));
            graph.node_coord(edge.tail)
        };
        let n = turns.node_count() as u32;
        let [south, north, west, east] = (0..n).map(position).fold(
            [f64::MAX, f64::MIN, f64::MAX, f64::MIN],
            |[s, n, w, e], c| [s.min(c.lat), n.max(c.lat), w.min(c.lon), e.max(c.lon)],
        );
        let cell = |value: f64, low: f64, high: f64| {
            let scaled = (value - low) / (high - low).max(f64::MIN_POSITIVE);
            // In [0, SIDE): the casts saturate, and a NaN (empty box) becomes 0.
            ((scaled * f64::from(SIDE)) as u32).min(SIDE - 1)
        };
        let mut keyed: Vec<(u64, u32)> = (0..n)
            .into_par_iter()
            .map(|node| {
                let at = position(node);
                let key = hilbert(cell(at.lon, west, east), cell(at.lat, south, north));
                (key, node)
            })
            .collect();
        keyed.par_sort_unstable();
        let node: Vec<u32> = keyed.into_iter().map(|(_, node)| node).collect();
        let mut new = vec![0u32; node.len()];
        for (number, &old) in node.iter().enumerate() {
            new[old as usize] = number as u32;
        }
        Numbering { node, new }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_visits_every_cell_once_moving_to_a_neighbouring_cell_each_step() {
        // On the corner of 64 × 64 cells the curve covers first (its first 4,096 positions).
        let mut cell_at = vec![None; 64 * 64];
        for x in 0..64 {
            for y in 0..64 {
                let position = hilbert(x, y) as usize;
                assert!(position < cell_at.len(), "({x}, {y}) at {position}");
                assert!(cell_at[position].is_none(), "two cells at {position}");
                cell_at[position] = Some((x, y));
            }
        }
        for step in cell_at.windows(2) {
            let (Some((x0, y0)), Some((x1, y1))) = (step[0], step[1]) else {
                unreachable!("every position is filled");
            };
            assert_eq!(x0.abs_diff(x1) + y0.abs_diff(y1), 1, "{step:?}");
        }
    }
}
