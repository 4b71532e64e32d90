//! The routing entry point: a profile's road graph with its hierarchy and its spatial index,
//! built together and cached together.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use memmap2::Mmap;
use rayon::prelude::*;

use crate::cache::{CacheMiss, Draft, SectionReader, SectionWriter};
use crate::ch::{CUSTOMIZE_FROM, Customization, CustomizeError, GraphSource, OrderError};
use crate::ch::{Contraction, CustomArcs, Hierarchy, SharedOrder};
use crate::error::{Error, Result};
use crate::geo::Coord;
use crate::graph::RoadGraph;
use crate::matrix::{TravelMatrix, many_to_many};
use crate::memory;
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
    /// Prepares a graph for queries (builds its hierarchy: [`Hierarchy::build`]).
    pub fn new(graph: RoadGraph, progress: &dyn Progress) -> Self {
        let hierarchy = Hierarchy::build(&graph, progress);
        Router::from_parts(graph, hierarchy)
    }

    /// A router of `graph` with a hierarchy built for it (and the snapping index, built here).
    pub(crate) fn from_parts(graph: RoadGraph, hierarchy: Hierarchy) -> Self {
        let snap_index = SnapIndex::new(&graph);
        Router {
            graph,
            hierarchy,
            snap_index,
        }
    }

    /// Prepares a graph for queries with a customizable hierarchy whatever its size (see
    /// [`Hierarchy::build`] for when [`Router::new`] chooses one).
    ///
    /// # Errors
    /// [`OrderError`] if METIS finds no nested dissection order.
    pub fn customized(
        graph: RoadGraph,
        progress: &dyn Progress,
    ) -> std::result::Result<Self, OrderError> {
        let hierarchy = Hierarchy::build_customized(&graph, progress)?;
        Ok(Router::from_parts(graph, hierarchy))
    }

    /// Prepares a graph written to a cache draft as [`Router::new`] prepares one in memory,
    /// writing each part to the draft once built and dropping it: the snapping index first,
    /// then the hierarchy, so that contraction runs beside nothing of the graph but its own
    /// copy of the turns ([`Contraction`]), the arcs of contracted nodes waiting in scratch
    /// files beside the draft until it ends. The draft ends as the file
    /// [`Router::read_sections`] reads, and the router reads its parts in place from it.
    ///
    /// A turn graph of [`CUSTOMIZE_FROM`] nodes or more is customized instead
    /// ([`Hierarchy::customize`]), in the first of `orders` its roads match, else in its own
    /// nested dissection order, which it returns for the networks after it when `share`; its
    /// arcs go straight from the customized weights into the draft ([`CustomArcs`]).
    ///
    /// If a part cannot be written, the parts not written stay in memory and the draft is
    /// given up (see [`Prepared::saved`]); otherwise the router is read from the file by
    /// [`PreparedRouter::open`].
    ///
    /// # Errors
    /// [`Error::CacheWrite`] if the graph cannot be read back from the draft (it was dropped
    /// from memory once written, so nothing is left to prepare), or the contraction's arcs
    /// from their scratch files ([`Hierarchy::contract_spilled`]).
    pub(crate) fn prepare(
        staged: StagedGraph,
        orders: &[SharedOrder],
        share: bool,
        progress: &dyn Progress,
    ) -> Result<Prepared> {
        let StagedGraph {
            mut draft,
            graph_at,
            map,
            turn_nodes,
        } = staged;
        let path = draft.path();
        let unreadable = |miss| Error::CacheWrite {
            path: path.clone(),
            source: unreadable_draft(miss),
        };
        // The snapping index first, while nothing else is in memory: built after the
        // hierarchy, beside what the customization left with the allocator, it set the whole
        // import's peak (Malta 8 × 8's car: 900–950 MB).
        let graph = RoadGraph::read_sections(&mut SectionReader::new(&map, graph_at))
            .map_err(unreadable)?;
        let snap_index = SnapIndex::new(&graph);
        let mut graph = Some(graph);
        // Decoding the edges and segments, and indexing the points, read the file's pages: out
        // of the resident set.
        memory::forget_pages(&map);
        let snapping = write_part(
            &mut draft,
            snap_index,
            |s, out| s.write_sections(out),
            SnapIndex::read_sections,
            |s| s,
        );
        memory::release_free_memory();
        if turn_nodes >= CUSTOMIZE_FROM {
            // The customization borrows the graph from the draft when it needs it.
            graph = None;
            memory::release_free_memory();
            let started = Instant::now();
            let source = DraftGraph {
                map: &map,
                at: graph_at,
            };
            match Hierarchy::customize(&source, orders, share, progress) {
                Ok(Customization { arcs, order }) => {
                    let contract_time = started.elapsed();
                    let shortcuts = arcs.shortcut_count();
                    let (hierarchy, written) = match &snapping.1 {
                        Ok(()) => write_part(
                            &mut draft,
                            arcs,
                            |a, out| a.write_sections(out),
                            Hierarchy::read_sections,
                            CustomArcs::into_hierarchy,
                        ),
                        // The draft is given up: nothing more is written to it.
                        Err(_) => (arcs.into_hierarchy(), Ok(())),
                    };
                    let built = BuiltHierarchy {
                        hierarchy,
                        written,
                        shortcuts,
                        contract_time,
                    };
                    let mut prepared =
                        Self::finish_prepare(draft, graph_at, map, path, snapping, built)?;
                    prepared.order = order;
                    return Ok(prepared);
                }
                Err(CustomizeError::Graph(source)) => {
                    return Err(Error::CacheWrite { path, source });
                }
                // METIS found no order: contracted with witness searches instead.
                Err(CustomizeError::Order(_)) => {}
            }
        }
        let graph = match graph {
            Some(graph) => graph,
            None => RoadGraph::read_sections(&mut SectionReader::new(&map, graph_at))
                .map_err(unreadable)?,
        };
        let started = Instant::now();
        let contraction = Contraction::of(&graph);
        // The contraction reads nothing else of the graph: its edges and segments leave
        // memory, and the pages of the file they and the turns were read from the resident set.
        drop(graph);
        memory::forget_pages(&map);
        memory::release_free_memory();
        let hierarchy = match (draft.scratch_file(), draft.scratch_file()) {
            (Ok(up), Ok(down)) => Hierarchy::contract_spilled(contraction, progress, up, down)
                .map_err(|source| Error::CacheWrite {
                    path: path.clone(),
                    source,
                })?,
            // No room for scratch files: the arcs stay in memory.
            (_, _) => Hierarchy::contract(contraction, progress),
        };
        let contract_time = started.elapsed();
        // Counted in memory now: counting from the file later would fault in every origin of
        // the hierarchy (97 MB for Malta 8 × 8's car) while the routers are opened.
        let shortcuts = hierarchy.shortcut_count();
        let (hierarchy, written) = match &snapping.1 {
            Ok(()) => write_part(
                &mut draft,
                hierarchy,
                |h, out| h.write_sections(out),
                Hierarchy::read_sections,
                |h| h,
            ),
            Err(_) => (hierarchy, Ok(())),
        };
        let built = BuiltHierarchy {
            hierarchy,
            written,
            shortcuts,
            contract_time,
        };
        Self::finish_prepare(draft, graph_at, map, path, snapping, built)
    }

    /// What every preparation does once its snapping index and its hierarchy are written (or
    /// kept in memory, each with the error of writing it): ends the draft (see
    /// [`Router::prepare`]).
    fn finish_prepare(
        mut draft: Draft,
        graph_at: usize,
        map: Arc<Mmap>,
        path: std::path::PathBuf,
        (snap_index, snap_written): (SnapIndex, io::Result<()>),
        built: BuiltHierarchy,
    ) -> Result<Prepared> {
        let BuiltHierarchy {
            hierarchy,
            written,
            shortcuts,
            contract_time,
        } = built;
        // Every part written: the router is read from the file when it is asked for, so that
        // the routers of profiles prepared earlier hold nothing while a later one contracts.
        let (router, saved) = match snap_written.and(written).and_then(|()| draft.map()) {
            Ok(map) => {
                drop((hierarchy, snap_index));
                let router = PreparedRouter::InFile {
                    map,
                    at: graph_at,
                    path,
                };
                (router, draft.finish())
            }
            Err(error) => {
                draft.abandon();
                let graph = RoadGraph::read_sections(&mut SectionReader::new(&map, graph_at))
                    .map_err(|miss| Error::CacheWrite {
                        path,
                        source: unreadable_draft(miss),
                    })?;
                let router = Router {
                    graph,
                    hierarchy,
                    snap_index,
                };
                (PreparedRouter::InMemory(Box::new(router)), Err(error))
            }
        };
        Ok(Prepared {
            router,
            saved,
            contract_time,
            shortcuts,
            order: None,
        })
    }

    /// Reads a router's sections as [`Router::prepare`] writes them: the graph's, the
    /// snapping index's, then the hierarchy's.
    pub(crate) fn read_sections(input: &mut SectionReader) -> Result<Self, CacheMiss> {
        let graph = RoadGraph::read_sections(input)?;
        let snap_index = SnapIndex::read_sections(input)?;
        Ok(Router {
            graph,
            hierarchy: Hierarchy::read_sections(input)?,
            snap_index,
        })
    }

    /// Takes the pages of the file the router was read from out of the resident set (every
    /// array of a router read from a file lies in one mapping), so that what reading or
    /// counting touched does not stay resident; they fault back in when searches need them.
    pub(crate) fn forget_mapped_pages(&self) {
        self.hierarchy.forget_mapped_pages();
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

/// What [`Router::prepare`] made.
pub(crate) struct Prepared {
    /// The router, to open.
    pub router: PreparedRouter,
    /// What became of the draft: its name once finished (`None` for a temporary draft), or
    /// why it could not be written.
    pub saved: io::Result<Option<PathBuf>>,
    /// Time spent contracting.
    pub contract_time: Duration,
    /// Shortcut arcs of the hierarchy.
    pub shortcuts: usize,
    /// The nested dissection order computed here, for the networks prepared after it.
    pub order: Option<SharedOrder>,
}

/// A prepared router, in its file or in memory.
pub(crate) enum PreparedRouter {
    /// Every part written to a file, mapped, the graph's sections from byte `at`.
    InFile {
        map: Arc<Mmap>,
        at: usize,
        /// The file, or the temporary directory, for messages.
        path: PathBuf,
    },
    /// Kept in memory, wholly or in part: a part could not be written.
    InMemory(Box<Router>),
}

impl PreparedRouter {
    /// The router, read in place from its file (its edges and segments decoded).
    ///
    /// # Errors
    /// [`Error::CacheWrite`] if the file written cannot be read back.
    pub(crate) fn open(self) -> Result<Router> {
        match self {
            PreparedRouter::InFile { map, at, path } => {
                Router::read_sections(&mut SectionReader::new(&map, at)).map_err(|miss| {
                    Error::CacheWrite {
                        path,
                        source: io::Error::other(format!(
                            "the router written cannot be read back: {miss}"
                        )),
                    }
                })
            }
            PreparedRouter::InMemory(router) => Ok(*router),
        }
    }
}

/// Why a graph written to a draft could not be read back from it.
fn unreadable_draft(miss: CacheMiss) -> io::Error {
    io::Error::other(format!("the graph written cannot be read back: {miss}"))
}

/// A graph written to a draft, read back each time it is lent and dropped after, its file
/// pages forgotten.
struct DraftGraph<'a> {
    map: &'a Arc<Mmap>,
    at: usize,
}

impl GraphSource for DraftGraph<'_> {
    type Error = io::Error;

    fn lend(&self, f: &mut dyn FnMut(&RoadGraph)) -> io::Result<()> {
        let graph = RoadGraph::read_sections(&mut SectionReader::new(self.map, self.at))
            .map_err(unreadable_draft)?;
        f(&graph);
        drop(graph);
        memory::forget_pages(self.map);
        memory::release_free_memory();
        Ok(())
    }
}

/// A road graph written to the start of a cache draft and dropped from memory, waiting for
/// [`Router::prepare`] (an import writes every profile's graph so while the extract is held,
/// and prepares them once it is freed).
pub(crate) struct StagedGraph {
    draft: Draft,
    /// Where the graph's sections start in the draft.
    graph_at: usize,
    /// The draft as far as the graph, mapped.
    map: Arc<Mmap>,
    /// Nodes of the graph's turn graph: which kind of hierarchy it gets, and in which order
    /// an import prepares its graphs, known without decoding the graph again.
    turn_nodes: usize,
}

impl StagedGraph {
    /// Nodes of the staged graph's turn graph.
    pub(crate) fn turn_nodes(&self) -> usize {
        self.turn_nodes
    }

    /// Writes `graph` to `draft`, then drops it.
    ///
    /// # Errors
    /// The graph and the error of writing or mapping the draft, which is given up.
    pub(crate) fn write(
        graph: RoadGraph,
        mut draft: Draft,
    ) -> std::result::Result<Self, Box<(RoadGraph, io::Error)>> {
        let graph_at = draft.position();
        let turn_nodes = graph.turns().node_count();
        let written = graph
            .write_sections(&mut draft.sections())
            .and_then(|()| draft.map());
        match written {
            Ok(map) => Ok(StagedGraph {
                draft,
                graph_at,
                map,
                turn_nodes,
            }),
            Err(error) => {
                draft.abandon();
                Err(Box::new((graph, error)))
            }
        }
    }
}

/// A hierarchy built for a draft: read back from it once written, else kept in memory with
/// the error of writing it.
struct BuiltHierarchy {
    hierarchy: Hierarchy,
    written: io::Result<()>,
    shortcuts: usize,
    contract_time: Duration,
}

/// Writes `part` to `draft` and reads what it stands for back in place, dropping the part;
/// if either fails, makes it in memory from the part instead (`in_memory`), with the error.
fn write_part<P, T>(
    draft: &mut Draft,
    part: P,
    write: impl FnOnce(&P, &mut SectionWriter<&mut crate::cache::DraftWriter>) -> io::Result<()>,
    read: impl FnOnce(&mut SectionReader) -> std::result::Result<T, CacheMiss>,
    in_memory: impl FnOnce(P) -> T,
) -> (T, io::Result<()>) {
    let at = draft.position();
    let read = write(&part, &mut draft.sections())
        .and_then(|()| draft.map())
        .and_then(|map| {
            read(&mut SectionReader::new(&map, at))
                .map_err(|miss| io::Error::other(miss.to_string()))
        });
    match read {
        Ok(read) => (read, Ok(())),
        Err(error) => (in_memory(part), Err(error)),
    }
}
