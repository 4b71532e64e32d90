//! Many-to-many travel times and distances: one backward search per target fills "buckets" at
//! the nodes it settles, then one forward search per source scans the buckets of the nodes it
//! settles (Knopp et al., 2007). Both phases run on every core.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::ch::Hierarchy;
use crate::ch::search::{Direction, SearchPool};
use crate::error::{Error, Result};
use crate::graph::RoadGraph;
use crate::ids::SegmentIdx;
use crate::snap::Snap;
use crate::turns::seeds::{self, TurnSeed};
use crate::weight::Weight;

/// Travel times and distances from each source to each target, row-major. The tables are
/// shared slices, so that a caller can keep them (they are the largest thing it holds) without
/// a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TravelMatrix {
    sources: usize,
    targets: usize,
    durations_s: Arc<[u32]>,
    distances_m: Arc<[u32]>,
}

impl TravelMatrix {
    /// Number of rows.
    pub fn sources(&self) -> usize {
        self.sources
    }

    /// Number of columns.
    pub fn targets(&self) -> usize {
        self.targets
    }

    /// Travel time from source `i` to target `j`, whole seconds rounded up.
    pub fn duration_s(&self, i: usize, j: usize) -> u32 {
        self.durations_s[i * self.targets + j]
    }

    /// Distance from source `i` to target `j` along the fastest route, whole metres rounded up.
    pub fn distance_m(&self, i: usize, j: usize) -> u32 {
        self.distances_m[i * self.targets + j]
    }

    /// All travel times, row-major.
    pub fn durations(&self) -> &[u32] {
        &self.durations_s
    }

    /// All distances, row-major.
    pub fn distances(&self) -> &[u32] {
        &self.distances_m
    }

    /// The travel times and distances, row-major, without copying them: a matrix over many
    /// points is the largest thing a caller holds, so it should be held once.
    pub fn into_tables(self) -> (Arc<[u32]>, Arc<[u32]>) {
        (self.durations_s, self.distances_m)
    }

    /// Builds the matrix from exact path weights computed row by row by `row` (one call per
    /// source, on every core), checking that every target was reached.
    pub(crate) fn from_rows<S: Send>(
        sources: usize,
        targets: usize,
        init: impl Fn() -> S + Sync + Send,
        row: impl Fn(&mut S, usize, &mut [Weight]) + Sync + Send,
    ) -> Result<Self> {
        // Allocated once, as the shared slices they are handed out as, and filled in place.
        let mut durations_s: Arc<[u32]> = std::iter::repeat_n(0, sources * targets).collect();
        let mut distances_m: Arc<[u32]> = std::iter::repeat_n(0, sources * targets).collect();
        if targets > 0 {
            let durations = Arc::get_mut(&mut durations_s).expect("a new slice has one owner");
            let distances = Arc::get_mut(&mut distances_m).expect("a new slice has one owner");
            durations
                .par_chunks_mut(targets)
                .zip(distances.par_chunks_mut(targets))
                .enumerate()
                .try_for_each_init(
                    || (init(), vec![Weight::INFINITY; targets]),
                    |(state, weights), (i, (durations, distances))| {
                        weights.fill(Weight::INFINITY);
                        row(state, i, weights);
                        for (j, w) in weights.iter().enumerate() {
                            if *w == Weight::INFINITY {
                                return Err(Error::Unreachable { from: i, to: j });
                            }
                            durations[j] = w.seconds();
                            distances[j] = w.metres();
                        }
                        Ok(())
                    },
                )?;
        }
        Ok(TravelMatrix {
            sources,
            targets,
            durations_s,
            distances_m,
        })
    }
}

/// Targets grouped by the segment they lie on, for the direct same-segment candidates.
pub(crate) fn targets_by_segment(targets: &[Snap]) -> HashMap<SegmentIdx, Vec<usize>> {
    let mut by_segment: HashMap<SegmentIdx, Vec<usize>> = HashMap::new();
    for (j, t) in targets.iter().enumerate() {
        by_segment.entry(t.segment).or_default().push(j);
    }
    by_segment
}

/// Lowers each target's weight to the direct same-segment cost from `source`, where shorter.
pub(crate) fn apply_direct(
    graph: &RoadGraph,
    source: &Snap,
    targets: &[Snap],
    by_segment: &HashMap<SegmentIdx, Vec<usize>>,
    weights: &mut [Weight],
) {
    for &j in by_segment.get(&source.segment).into_iter().flatten() {
        if let Some(direct) = source.direct_to(graph, &targets[j]) {
            weights[j] = weights[j].min(direct);
        }
    }
}

/// Seeds of a hierarchy search: turn-node ranks and starting weights.
pub(crate) fn ranked(hierarchy: &Hierarchy, seeds: &[TurnSeed]) -> Vec<(u32, Weight)> {
    seeds
        .iter()
        .map(|s| (hierarchy.rank(s.node), s.weight))
        .collect()
}

/// The bucket entries left by the targets' backward searches, grouped by node rank.
struct Buckets {
    first: Vec<u32>,
    target: Vec<u32>,
    weight: Vec<Weight>,
}

impl Buckets {
    fn fill(graph: &RoadGraph, hierarchy: &Hierarchy, pool: &SearchPool, targets: &[Snap]) -> Self {
        let n = hierarchy.node_count();
        let spaces: Vec<Vec<(u32, Weight)>> = targets
            .par_iter()
            .map_init(
                || pool.take(),
                |search, t| {
                    let seeds = ranked(hierarchy, &seeds::arrivals(graph, t));
                    search.run(hierarchy, Direction::Backward, &seeds).to_vec()
                },
            )
            .collect();
        let mut first = vec![0u32; n + 1];
        for &(rank, _) in spaces.iter().flatten() {
            first[rank as usize + 1] += 1;
        }
        for i in 1..first.len() {
            first[i] += first[i - 1];
        }
        let total = first[n] as usize;
        let mut next = first.clone();
        let mut target = vec![0u32; total];
        let mut weight = vec![Weight::ZERO; total];
        for (j, space) in spaces.iter().enumerate() {
            for &(rank, w) in space {
                let slot = next[rank as usize] as usize;
                target[slot] = j as u32;
                weight[slot] = w;
                next[rank as usize] += 1;
            }
        }
        Buckets {
            first,
            target,
            weight,
        }
    }
}

/// The matrix between snapped points, through the hierarchy.
pub(crate) fn many_to_many(
    graph: &RoadGraph,
    hierarchy: &Hierarchy,
    sources: &[Snap],
    targets: &[Snap],
) -> Result<TravelMatrix> {
    let pool = SearchPool::new(hierarchy.node_count());
    let buckets = Buckets::fill(graph, hierarchy, &pool, targets);
    let by_segment = targets_by_segment(targets);
    TravelMatrix::from_rows(
        sources.len(),
        targets.len(),
        || pool.take(),
        |search, i, weights| {
            let seeds = ranked(hierarchy, &seeds::departures(graph, &sources[i]));
            for &(rank, d) in search.run(hierarchy, Direction::Forward, &seeds) {
                let range = buckets.first[rank as usize] as usize
                    ..buckets.first[rank as usize + 1] as usize;
                for b in range {
                    let j = buckets.target[b] as usize;
                    let through = d + buckets.weight[b];
                    if through < weights[j] {
                        weights[j] = through;
                    }
                }
            }
            apply_direct(graph, &sources[i], targets, &by_segment, weights);
        },
    )
}
