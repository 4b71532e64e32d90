//! Progress reporting for long imports, without tying the library to a terminal.

/// A step of building a routable graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading and decoding the PBF file; counted in bytes read.
    Decoding,
    /// Building the profile's graph; counted in ways.
    Building,
    /// Contracting the graph for fast queries; counted in nodes.
    Contracting,
}

impl Stage {
    /// A short label for display.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Decoding => "decoding",
            Stage::Building => "building graph",
            Stage::Contracting => "contracting",
        }
    }
}

/// Receives progress while a graph is imported. Called from worker threads, hence `Sync`.
pub trait Progress: Sync {
    /// A stage starts with `total` units of work.
    fn start(&self, stage: Stage, total: u64);
    /// `done` more units of the current stage are finished.
    fn advance(&self, done: u64);
}

/// Progress that goes nowhere, for callers that do not show it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _stage: Stage, _total: u64) {}
    fn advance(&self, _done: u64) {}
}
