//! Solves every instance of a folder and checks each solution twice (model checker, exact).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::bks::{Bks, read_bks};
use super::convert::to_problem;
use super::exact::exact_check;
use super::solomon;
use crate::error::{Error, Result};
use crate::{Control, SolverConfig, check, solve};

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchConfig {
    /// Folder with `*.txt` instances and `bks.csv`.
    pub dir: PathBuf,
    /// Time limit per instance.
    pub time: Duration,
    /// Iteration limit per instance (per thread), if any.
    pub iterations: Option<u64>,
    /// Threads per instance.
    pub threads: usize,
    /// Only these instances (file stems), if set.
    pub instances: Option<Vec<String>>,
    /// Seed of every solve.
    pub seed: u64,
}

/// The outcome of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// File stem.
    pub instance: String,
    /// Best-known solution, if listed.
    pub bks: Option<Bks>,
    /// Vehicles used.
    pub vehicles: u32,
    /// Exact total distance.
    pub distance: f64,
    /// Wall time of the solve.
    pub seconds: f64,
    /// Unserved customers.
    pub unserved: usize,
    /// Checker findings (model checker and exact re-check); empty when feasible.
    pub problems: Vec<String>,
}

impl Row {
    /// `100 * (distance - bks) / bks`, if the BKS is known.
    pub fn gap(&self) -> Option<f64> {
        self.bks
            .map(|b| 100.0 * (self.distance - b.distance) / b.distance)
    }
}

/// Instance files of `dir` (sorted), restricted to `only` when given.
///
/// # Errors
/// [`Error::Io`] if the folder cannot be listed.
pub fn instance_files(dir: &Path, only: Option<&[String]>) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("txt")))
        .filter(|p| {
            only.is_none_or(|names| names.iter().any(|n| Some(n.as_str()) == stem(p).as_deref()))
        })
        .collect();
    files.sort_by_key(|p| natural_key(&stem(p).unwrap_or_default()));
    Ok(files)
}

fn stem(path: &Path) -> Option<String> {
    path.file_stem().map(|s| s.to_string_lossy().into_owned())
}

fn natural_key(name: &str) -> (String, Vec<u64>) {
    let letters = name
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let numbers = name
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (letters, numbers)
}

/// Solves one instance file.
///
/// # Errors
/// Reading or solving errors.
pub fn run_one(path: &Path, bks: Option<Bks>, config: &BenchConfig) -> Result<Row> {
    let instance = solomon::read(path)?;
    let problem = to_problem(&instance)?;
    let solver = SolverConfig {
        time_limit: Some(config.time),
        iterations: config.iterations,
        seed: config.seed,
        threads: config.threads,
    };
    let started = Instant::now();
    let solution = solve(&problem, &solver, &Control::default())?;
    let seconds = started.elapsed().as_secs_f64();
    let exact = exact_check(&instance, &solution);
    let mut problems: Vec<String> = check(&problem, &solution)
        .iter()
        .map(ToString::to_string)
        .collect();
    problems.extend(exact.problems);
    Ok(Row {
        instance: stem(path).unwrap_or_default(),
        bks,
        vehicles: exact.vehicles,
        distance: exact.distance,
        seconds,
        unserved: solution.unserved.len(),
        problems,
    })
}

/// Solves every selected instance of `config.dir`, calling `on_row` after each.
///
/// # Errors
/// Reading errors (folder, `bks.csv`, an instance) or solving errors.
pub fn run(config: &BenchConfig, mut on_row: impl FnMut(&Row)) -> Result<Vec<Row>> {
    let bks_path = config.dir.join("bks.csv");
    let bks = if bks_path.exists() {
        read_bks(&bks_path)?
    } else {
        Default::default()
    };
    let mut rows = Vec::new();
    for path in instance_files(&config.dir, config.instances.as_deref())? {
        let known = stem(&path).and_then(|s| bks.get(&s).copied());
        let row = run_one(&path, known, config)?;
        on_row(&row);
        rows.push(row);
    }
    Ok(rows)
}
