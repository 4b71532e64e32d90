//! A customized hierarchy's arcs before they become query arrays: laid out in memory, or
//! streamed straight into a cache file section by section.
//!
//! Streaming is what an import does: the customized weights already sit in memory in rank
//! order, and laying the arrays out first would hold them beside those weights (440 MB for
//! Malta 8 × 8's car) or write them twice through scratch files.

use std::io::{self, Write};

use crate::cache::SectionWriter;
use crate::ids::EdgeIdx;
use crate::weight::Weight;

use super::chordal::{Chordal, NO_VIA, Needed};
use super::{ArcOrigin, Hierarchy, QueryArcs};

/// The arcs queries need of a customized supergraph, with what names their nodes and
/// origins.
pub(crate) struct CustomArcs {
    supergraph: Chordal,
    needed: Needed,
    /// The rank of each turn node.
    rank: Vec<u32>,
    /// The road edge of the turn node of each rank.
    base_of_rank: Vec<EdgeIdx>,
}

/// One direction of the hierarchy's arcs.
#[derive(Clone, Copy)]
enum Direction {
    /// To more important nodes, in their direction of travel.
    Up,
    /// From more important nodes.
    Down,
}

impl Direction {
    fn upward(self) -> bool {
        matches!(self, Direction::Up)
    }
}

impl CustomArcs {
    /// The arcs of `supergraph` that `needed` keeps, for turn nodes of these ranks and road
    /// edges (`base`, by node).
    pub fn new(supergraph: Chordal, needed: Needed, rank: Vec<u32>, base: &[EdgeIdx]) -> Self {
        let mut base_of_rank = vec![EdgeIdx(0); rank.len()];
        for (&r, &edge) in rank.iter().zip(base) {
            base_of_rank[r as usize] = edge;
        }
        CustomArcs {
            supergraph,
            needed,
            rank,
            base_of_rank,
        }
    }

    /// Number of shortcut arcs, both directions.
    pub fn shortcut_count(&self) -> usize {
        self.needed.shortcut_count()
    }

    /// The hierarchy, its arrays built in memory.
    pub fn into_hierarchy(self) -> Hierarchy {
        let [up, down] = [Direction::Up, Direction::Down].map(|direction| {
            let upward = direction.upward();
            QueryArcs {
                first: self.firsts(direction).collect::<Vec<u32>>().into(),
                other: self.others(direction).collect::<Vec<u32>>().into(),
                weight: (self.needed.weights(upward).iter())
                    .map(|&bits| Weight::from_bits(bits))
                    .collect::<Vec<Weight>>()
                    .into(),
                origin: self.origins(direction).collect::<Vec<u32>>().into(),
            }
        });
        Hierarchy {
            rank: self.rank.into(),
            up,
            down,
        }
    }

    /// Writes the sections [`Hierarchy::write_sections`] writes for the hierarchy
    /// [`CustomArcs::into_hierarchy`] builds, each array computed as it is written.
    pub fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        out.slice(&self.rank)?;
        for direction in [Direction::Up, Direction::Down] {
            let upward = direction.upward();
            let count = self.needed.count(upward);
            out.array_from(self.rank.len() + 1, self.firsts(direction))?;
            out.array_from(count, self.others(direction))?;
            out.slice(self.needed.weights(upward))?;
            out.array_from(count, self.origins(direction))?;
        }
        Ok(())
    }

    /// Where each rank's arcs start in `direction`, and one past the last rank's end.
    fn firsts(&self, direction: Direction) -> impl Iterator<Item = u32> + '_ {
        let upward = direction.upward();
        (0..self.rank.len() as u32)
            .map(move |r| self.needed.before(upward, self.supergraph.arcs_of(r).start) as u32)
            .chain(std::iter::once(self.needed.count(upward) as u32))
    }

    /// The rank of each arc's more important end, rank by rank.
    fn others(&self, direction: Direction) -> impl Iterator<Item = u32> + '_ {
        let upward = direction.upward();
        self.needed
            .arcs_in(upward, 0..self.supergraph.arcs())
            .map(|arc| self.supergraph.head(arc))
    }

    /// Each arc's origin, [`ArcOrigin::pack`]ed: a shortcut's via node as a rank, or the
    /// road edge a turn leads onto.
    fn origins(&self, direction: Direction) -> impl Iterator<Item = u32> + '_ {
        let upward = direction.upward();
        let arcs = (0..self.rank.len() as u32).flat_map(move |r| {
            self.needed
                .arcs_in(upward, self.supergraph.arcs_of(r))
                .map(move |arc| (r, arc))
        });
        arcs.zip(self.needed.vias(upward))
            .map(move |((r, arc), via)| {
                let origin = if via != NO_VIA {
                    ArcOrigin::Shortcut { via }
                } else if upward {
                    ArcOrigin::Edge(self.base_of_rank[self.supergraph.head(arc) as usize])
                } else {
                    ArcOrigin::Edge(self.base_of_rank[r as usize])
                };
                origin.pack()
            })
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand::seq::SliceRandom;

    use super::*;
    use crate::cache::{self, CacheKey, SectionReader};
    use crate::ch::{QueryArcs, SHORTCUT_BIT, chordal};
    use crate::profile::{Profile, ProfileKind};

    fn arrays(arcs: &QueryArcs) -> [Vec<u64>; 4] {
        [
            arcs.first.iter().map(|&f| u64::from(f)).collect(),
            arcs.other.iter().map(|&o| u64::from(o)).collect(),
            arcs.weight.iter().map(|w| w.to_bits()).collect(),
            arcs.origin.iter().map(|&o| u64::from(o)).collect(),
        ]
    }

    /// What an import writes to the cache file, read back in place, is the hierarchy built in
    /// memory, array for array, shortcuts and turns alike.
    #[test]
    fn streamed_sections_read_back_as_the_hierarchy_built_in_memory() {
        for seed in 0..4 {
            let n = 400;
            let (_, supergraph, needed) = chordal::tests::customized(seed, n);
            let mut rank: Vec<u32> = (0..n as u32).collect();
            rank.shuffle(&mut StdRng::seed_from_u64(seed));
            let base: Vec<EdgeIdx> = (0..n as u32).map(|node| EdgeIdx(7 * node + 3)).collect();
            let arcs = CustomArcs::new(supergraph, needed, rank, &base);

            let key = CacheKey::of_digest(0, &Profile::new(ProfileKind::Car));
            let mut draft = cache::temporary_graph_draft(key).expect("temporary draft");
            let at = draft.position();
            arcs.write_sections(&mut draft.sections()).expect("written");
            let map = draft.map().expect("mapped");
            let streamed = Hierarchy::read_sections(&mut SectionReader::new(&map, at)).unwrap();
            let shortcuts = arcs.shortcut_count();
            let built = arcs.into_hierarchy();

            assert_eq!(streamed.rank.to_vec(), built.rank.to_vec());
            assert_eq!(arrays(&streamed.up), arrays(&built.up), "seed {seed}");
            assert_eq!(arrays(&streamed.down), arrays(&built.down), "seed {seed}");
            assert_eq!(built.shortcut_count(), shortcuts);
            let origins = || built.up.origin.iter().chain(built.down.origin.iter());
            assert!(shortcuts > 0, "seed {seed}: no shortcut");
            assert!(
                origins().any(|&o| o & SHORTCUT_BIT == 0),
                "seed {seed}: no turn"
            );
        }
    }
}
