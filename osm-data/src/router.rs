//! The routing entry point: a profile's road graph with its hierarchy and its spatial index,
//! built together and cached together.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::cache::{CacheMiss, SectionReader, SectionWriter};
use crate::ch::Hierarchy;
use crate::error::{Error, Result};
use crate::geo::Coord;
use crate::graph::RoadGraph;
use crate::matrix::{TravelMatrix, many_to_many};
use crate::progress::Progress;
use crate::route::{Route, route};
use crate::snap::{Snap, SnapIndex};

/// Points snapped by one parallel task: a few microseconds each, so a handful of points (a
/// request of the service) stays on the calling thread.
const SNAPS_PER_TASK: usize = 64;

/// Default farthest distance from a road a point may be snapped from, metres.
pub const DEFAULT_SNAP_LIMIT_M: f64 = 500.0;

/// Snapping, matrices and routes on one profile's network.
pub struct Router {
    graph: RoadGraph,
    hierarchy: Hierarchy,
    snap_index: SnapIndex,
}

impl Router {
    /// Prepares a graph for queries (contracts it).
    pub fn new(graph: RoadGraph, progress: &dyn Progress) -> Self {
        let hierarchy = Hierarchy::build(&graph, progress);
        let snap_index = SnapIndex::new(&graph);
        Router {
            graph,
            hierarchy,
            snap_index,
        }
    }

    /// Writes the router to a cache file.
    pub(crate) fn write_sections<W: Write>(&self, out: &mut SectionWriter<W>) -> io::Result<()> {
        self.graph.write_sections(out)?;
        self.hierarchy.write_sections(out)?;
        self.snap_index.write_sections(out)
    }

    /// Reads what [`Router::write_sections`] wrote.
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        Ok(Router {
            graph: RoadGraph::read_sections(input)?,
            hierarchy: Hierarchy::read_sections(input)?,
            snap_index: SnapIndex::read_sections(input)?,
        })
    }

    /// The road graph.
    pub fn graph(&self) -> &RoadGraph {
        &self.graph
    }

    /// The contraction hierarchy.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// Places each coordinate on the nearest usable road, on every core for many points.
    ///
    /// # Errors
    /// [`Error::InvalidCoordinate`] for a position that is not a number or out of range;
    /// [`Error::TooFarFromRoad`] for one farther than `limit_m` from every usable road; the
    /// first such point in order is the one reported.
    pub fn snap(&self, points: &[Coord], limit_m: f64) -> Result<Vec<Snap>> {
        let index = &self.snap_index;
        let snaps: Vec<Result<Snap>> = points
            .par_iter()
            .with_min_len(SNAPS_PER_TASK)
            .enumerate()
            .map(|(i, &p)| {
                if let Some(reason) = p.problem() {
                    return Err(Error::InvalidCoordinate { index: i, reason });
                }
                let snap = index.nearest(&self.graph, p);
                match snap {
                    Some(snap) if snap.distance_m <= limit_m => Ok(snap),
                    _ => Err(Error::TooFarFromRoad {
                        index: i,
                        lat: p.lat,
                        lon: p.lon,
                        distance_m: snap.map_or(f64::INFINITY, |s| s.distance_m),
                        limit_m,
                        profile: self.graph.profile().kind,
                    }),
                }
            })
            .collect();
        snaps.into_iter().collect()
    }

    /// Travel times and distances from every source to every target.
    ///
    /// # Errors
    /// [`Error::Unreachable`] if a pair has no route (cannot happen on a graph built by this
    /// crate, which keeps only its largest strongly connected component).
    pub fn matrix(&self, sources: &[Snap], targets: &[Snap]) -> Result<TravelMatrix> {
        many_to_many(&self.graph, &self.hierarchy, sources, targets)
    }

    /// The fastest route between two snapped points, with its geometry.
    ///
    /// # Errors
    /// [`Error::Unreachable`] as for [`Router::matrix`].
    pub fn route(&self, from: &Snap, to: &Snap) -> Result<Route> {
        route(&self.graph, &self.hierarchy, from, to)
    }
}
