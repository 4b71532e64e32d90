//! The entry point: [`solve`] with its [`SolverConfig`] and [`Control`].

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use crate::error::{Error, FieldError, Result};
use crate::export::export;
use crate::index::Index;
use crate::model::{JobIdx, Problem, VehicleIdx};
use crate::search::{Budget, SearchParams, State, search};
use crate::solution::{ObjectiveValue, Solution};
use crate::unserved::impossible;
use crate::validate::validate;

/// Iteration limit used when the configuration sets no limit at all.
pub const DEFAULT_ITERATIONS: u64 = 20_000;

/// How long and how wide to search.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverConfig {
    /// Wall-clock limit.
    pub time_limit: Option<Duration>,
    /// Limit on ruin-and-recreate iterations, per thread. With neither limit set,
    /// [`DEFAULT_ITERATIONS`] applies.
    pub iterations: Option<u64>,
    /// Seed of the random generator: the same seed and iteration limit give the same solution.
    pub seed: u64,
    /// Independent searches run side by side (with seeds derived from `seed`); the best wins.
    pub threads: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            time_limit: None,
            iterations: Some(DEFAULT_ITERATIONS),
            seed: 0,
            threads: 1,
        }
    }
}

/// Plain values through which a caller steers a running solve.
#[derive(Default, Clone, Copy)]
pub struct Control<'a> {
    /// When it becomes true, the solve stops and returns the best solution so far.
    pub cancel: Option<&'a AtomicBool>,
    /// Called with the value of each new best solution (from whichever thread found it).
    pub progress: Option<&'a (dyn Fn(&ObjectiveValue) + Sync)>,
    /// Searches a weekly plan may run side by side: `None` for the cores this process may use,
    /// `Some(1)` under a service that already runs one job per core. (A core solve runs the
    /// [`SolverConfig::threads`] it is given.)
    pub threads: Option<usize>,
}

impl Control<'_> {
    /// The searches a weekly plan runs side by side: the caller's number, else the cores this
    /// process may use; at least one.
    pub fn planning_threads(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1)
    }
}

/// Solves `problem`.
///
/// Jobs that no vehicle could serve even alone come back unserved with their reason and are
/// left out of the search; jobs the search could not fit come back as
/// [`UnservedReason::NotWorthIt`](crate::solution::UnservedReason::NotWorthIt).
///
/// # Errors
/// [`Error::Invalid`](crate::Error::Invalid) with every malformed field, or
/// [`Error::CostOverflow`](crate::Error::CostOverflow).
pub fn solve(problem: &Problem, config: &SolverConfig, control: &Control<'_>) -> Result<Solution> {
    solve_from(problem, &[], config, control)
}

/// Solves `problem` from a start: the jobs listed for each vehicle are placed first, in the
/// order given, each at its cheapest feasible position in that vehicle's route, before the
/// search places the others. A caller that already knows where some jobs must go (a weekly
/// slot held at one time with one unit) so gets them placed whatever the order the search
/// would have drawn; a listed job that does not fit is left to the search like any other, even
/// one that could not be served alone.
///
/// # Errors
/// As [`solve`], and [`Error::Invalid`] naming `start/i/0` or `start/i/1/k` when a vehicle or
/// job index is out of range.
pub fn solve_from(
    problem: &Problem,
    start: &[(VehicleIdx, Vec<JobIdx>)],
    config: &SolverConfig,
    control: &Control<'_>,
) -> Result<Solution> {
    validate(problem)?;
    check_start(problem, start)?;
    let start: Vec<(usize, Vec<u32>)> = start
        .iter()
        .map(|(v, jobs)| (v.get(), jobs.iter().map(|j| j.0).collect()))
        .collect();
    let index = Index::new(problem)?;
    let reasons: Vec<_> = (0..index.n_jobs as u32)
        .map(|j| impossible(&index, j))
        .collect();
    // A job that fails alone may still fit after the start's other jobs (a break is taken
    // where the vehicle is, so a visit just after lunch needs the place it lunched at): a
    // listed job is always tried, and keeps its up-front reason if it stays out.
    let mut listed = vec![false; index.n_jobs];
    for &j in start.iter().flat_map(|(_, jobs)| jobs) {
        listed[j as usize] = true;
    }
    let jobs: Vec<u32> = (0..index.n_jobs as u32)
        .filter(|&j| reasons[j as usize].is_none() || listed[j as usize])
        .collect();
    let iterations = match (config.time_limit, config.iterations) {
        (None, None) => Some(DEFAULT_ITERATIONS),
        (_, limit) => limit,
    };
    let params = SearchParams::default();
    let global_best = AtomicI64::new(i64::MAX);
    let report = Mutex::new(());
    let run = |thread: u64| {
        let mut rng = Pcg64Mcg::seed_from_u64(
            config
                .seed
                .wrapping_add(thread.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        );
        let mut budget = Budget::new(config.time_limit, iterations, control.cancel);
        let mut on_best = |state: &State| {
            let Some(progress) = control.progress else {
                return;
            };
            if global_best.fetch_min(state.objective, Ordering::Relaxed) > state.objective
                && let Ok(_guard) = report.lock()
            {
                progress(&export(problem, &index, state, &reasons).value);
            }
        };
        search(
            &index,
            &jobs,
            &start,
            &params,
            &mut budget,
            &mut rng,
            &mut on_best,
        )
    };
    let threads = config.threads.max(1) as u64;
    let states: Vec<State> = if threads == 1 {
        vec![run(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || run(t))).collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    let best = states.iter().min_by_key(|s| s.objective);
    Ok(match best {
        Some(state) => export(problem, &index, state, &reasons),
        None => export(problem, &index, &State::empty(&index, &jobs), &reasons),
    })
}

/// Every vehicle and job of a start exists.
fn check_start(problem: &Problem, start: &[(VehicleIdx, Vec<JobIdx>)]) -> Result<()> {
    let mut errors = Vec::new();
    for (i, (vehicle, jobs)) in start.iter().enumerate() {
        if vehicle.get() >= problem.vehicles.len() {
            errors.push(FieldError {
                path: format!("start/{i}/0"),
                message: format!("no vehicle {vehicle}"),
            });
        }
        for (k, job) in jobs.iter().enumerate() {
            if job.get() >= problem.jobs.len() {
                errors.push(FieldError {
                    path: format!("start/{i}/1/{k}"),
                    message: format!("no job {job}"),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}
