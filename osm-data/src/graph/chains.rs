//! Merge chains of pieces through junctions of degree two, so the search graph holds only real
//! junctions while the full geometry is kept for display.

use super::split::Piece;

/// A piece as used in a chain, possibly walked against its own direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OrientedPiece {
    pub piece: u32,
    pub reversed: bool,
}

/// Chains of pieces from one kept junction to another, in flat arrays.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chains {
    ends: Vec<(u32, u32)>,
    first_piece: Vec<u32>,
    pieces: Vec<OrientedPiece>,
}

impl Chains {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The junctions a chain starts and ends at.
    pub fn ends(&self, chain: usize) -> (u32, u32) {
        self.ends[chain]
    }

    /// The pieces of a chain, in order.
    pub fn pieces(&self, chain: usize) -> &[OrientedPiece] {
        &self.pieces[self.first_piece[chain] as usize..self.first_piece[chain + 1] as usize]
    }

    /// Total number of pieces in all chains.
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }
}

impl OrientedPiece {
    fn ends(self, pieces: &[Piece]) -> (u32, u32) {
        let p = &pieces[self.piece as usize];
        if self.reversed {
            (p.to, p.from)
        } else {
            (p.from, p.to)
        }
    }

    /// Which directions are open, seen along the orientation.
    fn directions(self, pieces: &[Piece]) -> (bool, bool) {
        let p = &pieces[self.piece as usize];
        let (f, b) = (p.forward_kmh.is_some(), p.backward_kmh.is_some());
        if self.reversed { (b, f) } else { (f, b) }
    }
}

/// Groups the kept pieces into chains. A junction disappears inside a chain when exactly two
/// piece ends meet there, from two different pieces, and both allow the same directions, so
/// that merging changes no route. `kept` tells which pieces survive the component filter.
pub(crate) fn build_chains(junctions: usize, pieces: &[Piece], kept: &[bool]) -> Chains {
    let incident = Incidence::new(junctions, pieces, kept);
    let mergeable: Vec<bool> = (0..junctions as u32)
        .map(|j| is_mergeable(j, incident.ends(j), pieces))
        .collect();
    let other_piece = |junction: u32, piece: u32| -> u32 {
        let ends = incident.ends(junction);
        if ends[0] == piece { ends[1] } else { ends[0] }
    };
    let orient_from = |piece: u32, junction: u32| OrientedPiece {
        piece,
        reversed: pieces[piece as usize].from != junction,
    };

    let mut visited = vec![false; pieces.len()];
    let mut chains = Chains {
        first_piece: vec![0],
        ..Chains::default()
    };
    for seed in (0..pieces.len() as u32).filter(|&p| kept[p as usize]) {
        if visited[seed as usize] {
            continue;
        }
        // Walk back to the start of the chain (or once around a ring of mergeable junctions).
        let mut first = OrientedPiece {
            piece: seed,
            reversed: false,
        };
        let mut start = first.ends(pieces).0;
        while mergeable[start as usize] {
            let previous = other_piece(start, first.piece);
            if previous == seed {
                break;
            }
            let towards_start = orient_from(previous, start);
            first = OrientedPiece {
                piece: previous,
                reversed: !towards_start.reversed,
            };
            start = first.ends(pieces).0;
        }
        // Walk forward, collecting pieces.
        chains.pieces.push(first);
        visited[first.piece as usize] = true;
        let mut last = first;
        let mut end = first.ends(pieces).1;
        while mergeable[end as usize] && end != start {
            let next = orient_from(other_piece(end, last.piece), end);
            if next.piece == first.piece {
                break;
            }
            visited[next.piece as usize] = true;
            chains.pieces.push(next);
            last = next;
            end = next.ends(pieces).1;
        }
        chains.ends.push((start, end));
        chains.first_piece.push(chains.pieces.len() as u32);
    }
    chains
}

/// The kept pieces ending at each junction, in flat arrays (a self-loop is listed twice).
struct Incidence {
    first: Vec<u32>,
    pieces: Vec<u32>,
}

impl Incidence {
    fn new(junctions: usize, pieces: &[Piece], kept: &[bool]) -> Self {
        let kept_pieces = || pieces.iter().enumerate().filter(|(i, _)| kept[*i]);
        let mut first = vec![0u32; junctions + 1];
        for (_, p) in kept_pieces() {
            first[p.from as usize + 1] += 1;
            first[p.to as usize + 1] += 1;
        }
        for j in 1..first.len() {
            first[j] += first[j - 1];
        }
        let mut next = first.clone();
        let mut ends = vec![0u32; first[junctions] as usize];
        for (i, p) in kept_pieces() {
            for junction in [p.from, p.to] {
                ends[next[junction as usize] as usize] = i as u32;
                next[junction as usize] += 1;
            }
        }
        Incidence {
            first,
            pieces: ends,
        }
    }

    fn ends(&self, junction: u32) -> &[u32] {
        let j = junction as usize;
        &self.pieces[self.first[j] as usize..self.first[j + 1] as usize]
    }
}

/// Two piece ends from two different pieces that open the same directions through `junction`.
fn is_mergeable(junction: u32, ends: &[u32], pieces: &[Piece]) -> bool {
    let [a, b] = ends else {
        return false;
    };
    if a == b {
        return false;
    }
    let into = OrientedPiece {
        piece: *a,
        reversed: pieces[*a as usize].to != junction,
    };
    let out_of = OrientedPiece {
        piece: *b,
        reversed: pieces[*b as usize].from != junction,
    };
    into.directions(pieces) == out_of.directions(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OsmWayId;

    fn piece(from: u32, to: u32, forward: bool, backward: bool) -> Piece {
        Piece {
            from,
            to,
            first_point: 0,
            point_count: 2,
            forward_kmh: forward.then_some(10.0),
            backward_kmh: backward.then_some(10.0),
            way: OsmWayId(1),
        }
    }

    fn summary(chains: &Chains) -> Vec<(u32, u32, usize)> {
        let mut s: Vec<_> = (0..chains.len())
            .map(|c| (chains.ends(c).0, chains.ends(c).1, chains.pieces(c).len()))
            .collect();
        s.sort();
        s
    }

    #[test]
    fn two_way_chain_through_degree_two_nodes_merges() {
        // 0 - 1 - 2 - 3 with 3 also linked to 4 and 5: 1 and 2 disappear; piece 1-2 is
        // stored reversed (2 -> 1) to check orientation handling.
        let pieces = [
            piece(0, 1, true, true),
            piece(2, 1, true, true),
            piece(2, 3, true, true),
            piece(3, 4, true, true),
            piece(3, 5, true, true),
        ];
        let chains = build_chains(6, &pieces, &[true; 5]);
        let long = (0..chains.len())
            .find(|c| chains.pieces(*c).len() == 3)
            .unwrap();
        let (from, to) = chains.ends(long);
        assert_eq!((from.min(to), from.max(to)), (0, 3));
        assert_eq!(summary(&chains).len(), 3);
    }

    #[test]
    fn direction_changes_keep_the_junction() {
        // 0 <-> 1 -> 2: node 1 joins a two-way and a one-way piece, so it stays.
        let pieces = [piece(0, 1, true, true), piece(1, 2, true, false)];
        assert_eq!(
            summary(&build_chains(3, &pieces, &[true; 2])),
            vec![(0, 1, 1), (1, 2, 1)]
        );
        // 0 -> 1 and 2 -> 1 both point into 1: opposite directions, so it stays too.
        let pieces = [piece(0, 1, true, false), piece(2, 1, true, false)];
        assert_eq!(
            summary(&build_chains(3, &pieces, &[true; 2])),
            vec![(0, 1, 1), (2, 1, 1)]
        );
        // 0 -> 1 and 1 <- 2 stored as (2, 1, backward only) = 1 -> 2: a one-way chain merges.
        let pieces = [piece(0, 1, true, false), piece(2, 1, false, true)];
        assert_eq!(
            summary(&build_chains(3, &pieces, &[true; 2])),
            vec![(0, 2, 2)]
        );
    }

    #[test]
    fn a_ring_of_degree_two_nodes_becomes_one_loop() {
        let pieces = [
            piece(0, 1, true, true),
            piece(1, 2, true, true),
            piece(2, 0, true, true),
        ];
        let chains = build_chains(3, &pieces, &[true; 3]);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains.ends(0).0, chains.ends(0).1);
        assert_eq!(chains.pieces(0).len(), 3);
    }

    #[test]
    fn dropped_pieces_are_ignored() {
        let pieces = [
            piece(0, 1, true, true),
            piece(1, 2, true, true),
            piece(1, 3, true, true),
        ];
        // Without piece 2, junction 1 has degree two and merges.
        assert_eq!(
            summary(&build_chains(4, &pieces, &[true, true, false])),
            vec![(0, 2, 2)]
        );
    }
}
