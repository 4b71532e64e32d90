//! Importing an extract for routing: load each profile's prepared graph from the cache, or
//! read the extract (once, whatever the number of profiles) and build, contract and cache it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cache::{self, CacheKey, CacheMiss};
use crate::ch::SharedOrder;
use crate::error::{Error, Result};
use crate::extract::OsmExtract;
use crate::graph::{GraphStats, RoadGraph};
use crate::memory;
use crate::profile::Profile;
use crate::progress::Progress;
use crate::router::{PreparedRouter, Router, StagedGraph};

/// Where prepared graphs are cached.
#[derive(Clone, Debug)]
pub enum CachePolicy {
    /// Read and write prepared graphs in this directory.
    Directory(PathBuf),
    /// Always build; write nothing.
    Disabled,
}

/// How a profile's graph was obtained.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CacheStatus {
    /// Loaded from this cache file.
    Loaded {
        /// The cache file read.
        path: PathBuf,
    },
    /// Built, then saved to this cache file.
    Built {
        /// Why the cache could not be used.
        miss: CacheMiss,
        /// The cache file written.
        path: PathBuf,
    },
    /// Built, but the cache file could not be written (a read-only or full disk): the graph
    /// is usable all the same, and the next import builds again.
    NotSaved {
        /// Why the cache could not be used.
        miss: CacheMiss,
        /// Why it could not be written.
        error: String,
    },
    /// Built without a cache.
    Uncached,
}

/// What an import did and how long it took.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    /// The extract.
    pub extract: PathBuf,
    /// The profile.
    pub profile: Profile,
    /// Size and shape of the graph.
    pub graph: GraphStats,
    /// Arcs of the contraction hierarchy, shortcuts included.
    pub hierarchy_arcs: usize,
    /// Shortcut arcs.
    pub shortcuts: usize,
    /// How the graph was obtained.
    pub cache: CacheStatus,
    /// Reading and decoding the extract (shared by the profiles built together; zero when
    /// every profile came from the cache).
    #[serde(with = "crate::seconds")]
    pub read_time: Duration,
    /// Contracting the graph (zero when loaded).
    #[serde(with = "crate::seconds")]
    pub contract_time: Duration,
    /// Loading the cache file (zero when built).
    #[serde(with = "crate::seconds")]
    pub load_time: Duration,
}

/// Loads or builds the router of one profile for `extract`.
///
/// # Errors
/// As [`import`].
pub fn import_profile(
    extract: &Path,
    profile: &Profile,
    cache: &CachePolicy,
    progress: &dyn Progress,
) -> Result<(Router, ImportReport)> {
    let mut imported = import(extract, std::slice::from_ref(profile), cache, progress)?;
    // `import` returns exactly one router per profile asked for.
    Ok(imported.swap_remove(0))
}

/// Loads or builds the router of each profile for `extract`, in the order given.
///
/// What must be built is built from one read of the extract: every graph first, each written
/// to its cache file (or a temporary file) and dropped as soon as it is built, then each
/// contracted in turn from that file ([`Router::prepare`]), so that at any time one profile's
/// graph in the making is in memory, beside the extract or beside its contraction, and the
/// routers returned read their arrays in place from their files.
///
/// # Errors
/// Any error of [`OsmExtract::read`] or [`RoadGraph::build`]; [`Error::Io`] when the extract
/// cannot be hashed; [`Error::CacheWrite`] when a graph written to its file cannot be read
/// back. A cache file that cannot be written is reported in the [`CacheStatus`], not as an
/// error.
pub fn import(
    extract: &Path,
    profiles: &[Profile],
    cache: &CachePolicy,
    progress: &dyn Progress,
) -> Result<Vec<(Router, ImportReport)>> {
    for profile in profiles {
        profile.validate()?;
    }
    let digest = match cache {
        CachePolicy::Directory(_) => {
            Some(cache::file_digest(extract).map_err(|source| Error::Io {
                path: extract.to_owned(),
                source,
            })?)
        }
        CachePolicy::Disabled => None,
    };
    // First every cache lookup, so that the extract is read only if something must be built.
    let mut slots: Vec<Slot> = Vec::with_capacity(profiles.len());
    for profile in profiles {
        let slot = match (cache, digest) {
            (CachePolicy::Directory(dir), Some(digest)) => {
                let key = CacheKey::of_digest(digest, profile);
                let name = key.file_name(extract, profile);
                let started = Instant::now();
                match cache::load(dir, &name, key) {
                    Ok(router) => {
                        let status = CacheStatus::Loaded {
                            path: dir.join(&name),
                        };
                        let times = Times {
                            load: started.elapsed(),
                            ..Times::default()
                        };
                        Slot::Ready(Box::new(report(extract, router, status, times)))
                    }
                    Err(miss) => Slot::Build(Some((dir.clone(), name, key, miss))),
                }
            }
            _ => Slot::Build(None),
        };
        slots.push(slot);
    }
    let needs_build = slots.iter().any(|s| matches!(s, Slot::Build(_)));
    let started = Instant::now();
    let read = needs_build
        .then(|| OsmExtract::read(extract, progress))
        .transpose()?;
    let read_time = started.elapsed();
    memory::release_free_memory();

    // Every graph first, each written to its cache file (or a temporary one) and dropped as
    // soon as it is built, so that the decoded extract (the largest thing an import holds)
    // is freed, and its memory returned, before any contraction starts, and a single graph is
    // held beside it.
    let mut pending = Vec::with_capacity(profiles.len());
    for (profile, slot) in profiles.iter().zip(&slots) {
        pending.push(match (slot, &read) {
            (Slot::Build(target), Some(read)) => {
                let graph = RoadGraph::build(read, profile, progress)?;
                Some(stage(graph, target.as_ref(), profile))
            }
            _ => None,
        });
    }
    drop(read);
    memory::release_free_memory();

    // Each graph contracted in turn; the routers are read from their files once every
    // contraction is done, so that none holds memory while another contracts.
    // The largest network first: its nested dissection order is offered to the others,
    // which take it where their roads match it (`SharedOrder`); one that matches no order so
    // far computes its own, offered to the next ones too.
    let mut by_size: Vec<(usize, usize)> = pending
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().map(|(graph, _)| (i, graph.turn_nodes())))
        .collect();
    by_size.sort_by_key(|&(_, turn_nodes)| std::cmp::Reverse(turn_nodes));
    let by_size: Vec<usize> = by_size.into_iter().map(|(i, _)| i).collect();
    let mut prepared: Vec<Option<_>> = (0..pending.len()).map(|_| None).collect();
    let mut orders: Vec<SharedOrder> = Vec::new();
    for (done_before, &i) in by_size.iter().enumerate() {
        let more_to_come = done_before + 1 < by_size.len();
        prepared[i] = match pending[i].take() {
            Some((Pending::Staged(staged), draft_error)) => {
                let done = Router::prepare(*staged, &orders, more_to_come, progress)?;
                orders.extend(done.order);
                let counted = (done.contract_time, Some(done.shortcuts));
                Some((done.router, done.saved, counted, draft_error))
            }
            Some((Pending::InMemory(graph), draft_error)) => {
                let started = Instant::now();
                let router = Router::new(*graph, progress);
                let router = PreparedRouter::InMemory(Box::new(router));
                Some((router, Ok(None), (started.elapsed(), None), draft_error))
            }
            None => None,
        };
        memory::release_free_memory();
    }
    drop(orders);

    let mut results = Vec::with_capacity(profiles.len());
    for (slot, prepared) in slots.into_iter().zip(prepared) {
        let (Slot::Build(target), Some((router, saved, (contract, shortcuts), draft_error))) =
            (&slot, prepared)
        else {
            if let Slot::Ready(ready) = slot {
                results.push(*ready);
            }
            continue;
        };
        let status = match target {
            Some((dir, name, _, miss)) => {
                let path = dir.join(name);
                let not_saved = |source| CacheStatus::NotSaved {
                    miss: miss.clone(),
                    error: Error::CacheWrite {
                        path: path.clone(),
                        source,
                    }
                    .to_string(),
                };
                match (draft_error, saved) {
                    (Some(error), _) | (None, Err(error)) => not_saved(error),
                    (None, Ok(_)) => CacheStatus::Built {
                        miss: miss.clone(),
                        path: path.clone(),
                    },
                }
            }
            None => CacheStatus::Uncached,
        };
        let times = Times {
            read: read_time,
            contract,
            load: Duration::ZERO,
            shortcuts,
        };
        results.push(report(extract, router.open()?, status, times));
    }
    Ok(results)
}

/// A built graph on its way to a router.
enum Pending {
    /// Written to a draft of its cache file, or of a temporary one.
    Staged(Box<StagedGraph>),
    /// Kept in memory: no draft could be written.
    InMemory(Box<RoadGraph>),
}

impl Pending {
    /// Nodes of the graph's turn graph: the largest networks are prepared first.
    fn turn_nodes(&self) -> usize {
        match self {
            Pending::Staged(staged) => staged.turn_nodes(),
            Pending::InMemory(graph) => graph.turns().node_count(),
        }
    }
}

/// Writes `graph` to a draft of its cache file in `target` (directory, file name, key, miss),
/// else of a temporary file, else keeps it in memory; with the error of writing the cache
/// file, if there was one to write.
fn stage(
    mut graph: RoadGraph,
    target: Option<&(PathBuf, String, CacheKey, CacheMiss)>,
    profile: &Profile,
) -> (Pending, Option<std::io::Error>) {
    let mut cache_error = None;
    if let Some((dir, name, key, _)) = target {
        match cache::graph_draft(dir, name, *key) {
            Ok(draft) => match StagedGraph::write(graph, draft) {
                Ok(staged) => return (Pending::Staged(Box::new(staged)), None),
                Err(failed) => {
                    let (kept, error) = *failed;
                    graph = kept;
                    cache_error = Some(error);
                }
            },
            Err(error) => cache_error = Some(error),
        }
    }
    // A temporary file is never loaded as a cache: its key only has to be well formed.
    let key = CacheKey::of_digest(0, profile);
    let pending = match cache::temporary_graph_draft(key) {
        Ok(draft) => match StagedGraph::write(graph, draft) {
            Ok(staged) => Pending::Staged(Box::new(staged)),
            Err(failed) => Pending::InMemory(Box::new(failed.0)),
        },
        Err(_) => Pending::InMemory(Box::new(graph)),
    };
    (pending, cache_error)
}

/// A profile's state between the cache lookups and the builds.
enum Slot {
    /// Loaded from the cache.
    Ready(Box<(Router, ImportReport)>),
    /// To build, then to save under (directory, file name, key) when caching, with the reason
    /// the cache was missed.
    Build(Option<(PathBuf, String, CacheKey, CacheMiss)>),
}

/// Durations reported for one profile, and its shortcuts when the contraction counted them.
#[derive(Clone, Copy, Default)]
struct Times {
    read: Duration,
    contract: Duration,
    load: Duration,
    shortcuts: Option<usize>,
}

fn report(
    extract: &Path,
    router: Router,
    cache: CacheStatus,
    times: Times,
) -> (Router, ImportReport) {
    let report = ImportReport {
        extract: extract.to_owned(),
        profile: router.graph().profile().clone(),
        graph: router.graph().stats().clone(),
        hierarchy_arcs: router.hierarchy().arc_count(),
        shortcuts: times
            .shortcuts
            .unwrap_or_else(|| router.hierarchy().shortcut_count()),
        cache,
        read_time: times.read,
        contract_time: times.contract,
        load_time: times.load,
    };
    // Reading the router and counting its shortcuts touched its file's pages: Malta 8 × 8's
    // four profiles kept about 750 MB of them resident at the end of an import (more than
    // any contraction) and 278 MB in a service loading them from the cache.
    router.forget_mapped_pages();
    (router, report)
}
