//! Jobs at work (weekly plans and coverage runs): a bounded pool of workers claims queued jobs
//! from the database and computes each on a blocking thread ([`super::solve`]), with its
//! progress kept in memory and written back every second (the heartbeat that tells other
//! instances the job is alive, and that notices a cancellation). A panic in a solve marks the
//! job failed; it never leaves it `running`.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, broadcast, watch};

use super::errors::planning_violations;
use super::ids::JobId;
use super::solve::{Work, compute};
use super::state::AppState;
use super::store::{Claimed, Outcome, now_ms};
use crate::error::{Error, Violation};
use territory::coverage::FirstAnswer;

/// How often a running job's progress is written and its state checked.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// A running job whose heartbeat is older than this is taken back from its (dead) worker.
pub const STALE_AFTER: Duration = Duration::from_secs(30);
/// How often idle workers look at the database for jobs another instance queued.
const POLL: Duration = Duration::from_secs(1);

/// What a solve is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the road network and computing travel times on it.
    Matrices,
    /// Searching.
    Solving,
    /// Finished.
    Finished,
}

/// The best plan found so far, as the solver values it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BestSoFar {
    /// Sum of the priorities of visits left out.
    pub unserved_priority: u64,
    /// Routes (unit days) used.
    pub routes: u32,
    /// Cost in the solver's units (euro cents of time and distance).
    pub cost: i64,
    /// Kilometres driven.
    pub distance_km: f64,
}

/// A running job's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Progress {
    /// What the solve is doing.
    pub phase: Phase,
    /// A plan's best solution so far, once there is one.
    pub best: Option<BestSoFar>,
    /// A coverage run's first (greedy) answer, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<FirstAnswer>,
    /// Improvements found.
    pub improvements: u32,
    /// Seconds since the solve started.
    pub elapsed_s: f64,
    /// The solve's time limit, seconds.
    pub time_limit_s: f64,
}

/// A job being solved by this instance.
pub struct Live {
    cancel: AtomicBool,
    stopping: AtomicBool,
    started: Instant,
    progress: Mutex<Progress>,
}

impl Live {
    fn new(time_limit_s: f64) -> Self {
        Live {
            cancel: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            started: Instant::now(),
            progress: Mutex::new(Progress {
                phase: Phase::Matrices,
                best: None,
                coverage: None,
                improvements: 0,
                elapsed_s: 0.0,
                time_limit_s,
            }),
        }
    }

    /// The progress now.
    pub fn snapshot(&self) -> Option<Progress> {
        let mut progress = self.progress.lock().ok()?.clone();
        progress.elapsed_s = self.started.elapsed().as_secs_f64();
        Some(progress)
    }

    /// Set when the job is cancelled, taken back from this worker as stale, or the service
    /// stops: the solve should end.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// Changes the progress.
    pub fn update(&self, change: impl FnOnce(&mut Progress)) {
        if let Ok(mut progress) = self.progress.lock() {
            change(&mut progress);
        }
    }

    fn snapshot_json(&self) -> String {
        self.snapshot()
            .and_then(|p| serde_json::to_string(&p).ok())
            .unwrap_or_else(|| "null".into())
    }
}

/// The jobs of this instance: live progress, wake-ups of idle workers, completions.
pub struct Jobs {
    live: Mutex<HashMap<JobId, Arc<Live>>>,
    wake: Notify,
    finished: broadcast::Sender<JobId>,
    instance: String,
    /// Serialises queue-length checks with inserts, so that the queue never exceeds its bound.
    pub submit: tokio::sync::Mutex<()>,
}

impl Jobs {
    /// An empty registry; `instance` names this process in the database's `worker` column.
    pub fn new(instance: String) -> Self {
        Jobs {
            live: Mutex::new(HashMap::new()),
            wake: Notify::new(),
            finished: broadcast::channel(1024).0,
            instance,
            submit: tokio::sync::Mutex::new(()),
        }
    }

    /// Wakes an idle worker: a job was queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Completions of jobs solved by this instance.
    pub fn finished(&self) -> broadcast::Receiver<JobId> {
        self.finished.subscribe()
    }

    /// The live progress of a job this instance is solving.
    pub fn progress(&self, id: JobId) -> Option<Progress> {
        let live = self.live.lock().ok()?.get(&id).cloned()?;
        live.snapshot()
    }

    /// Asks the solve of `id` to stop at once, if it runs here (its worker also notices the
    /// cancellation through the database at the next heartbeat).
    pub fn cancel(&self, id: JobId) {
        if let Some(live) = self.live.lock().ok().and_then(|l| l.get(&id).cloned()) {
            live.cancel.store(true, Ordering::Relaxed);
        }
    }

    fn stop_all(&self) {
        if let Ok(live) = self.live.lock() {
            for job in live.values() {
                job.stopping.store(true, Ordering::Relaxed);
                job.cancel.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// Starts `count` workers and the reaper of stale jobs; they stop when `shutdown` turns true,
/// putting the jobs they were solving back in the queue.
pub fn spawn_workers(
    state: &AppState,
    count: usize,
    shutdown: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut handles: Vec<_> = (0..count)
        .map(|n| {
            let state = state.clone();
            let shutdown = shutdown.clone();
            tokio::spawn(async move { worker(state, n, shutdown).await })
        })
        .collect();
    let state = state.clone();
    let mut stop = shutdown.clone();
    handles.push(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stop.changed() => {
                    state.jobs.stop_all();
                    return;
                }
                () = tokio::time::sleep(STALE_AFTER / 3) => {}
            }
            let stale = now_ms() - i64::try_from(STALE_AFTER.as_millis()).unwrap_or(30_000);
            match state.store.recover(stale).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::warn!(jobs = n, "took back jobs whose worker went silent");
                    state.jobs.wake();
                }
                Err(e) => tracing::error!(error = %e, "recovering stale jobs failed"),
            }
        }
    }));
    handles
}

async fn worker(state: AppState, n: usize, mut shutdown: watch::Receiver<bool>) {
    let name = format!("{}-{n}", state.jobs.instance);
    while !*shutdown.borrow() {
        match state.store.claim(&name).await {
            Ok(Some(job)) => run(&state, &name, job).await,
            Ok(None) => {
                tokio::select! {
                    () = state.jobs.wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "claiming a job failed");
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

async fn run(state: &AppState, worker: &str, job: Claimed) {
    let (id, kind) = (job.id, job.kind);
    tracing::info!(job = %id, kind = kind.as_str(), time_limit_s = job.time_limit_s, "solving");
    let live = Arc::new(Live::new(job.time_limit_s));
    if let Ok(mut map) = state.jobs.live.lock() {
        map.insert(id, live.clone());
    }
    let heartbeat = {
        let (state, live, worker) = (state.clone(), live.clone(), worker.to_owned());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT).await;
                match state
                    .store
                    .heartbeat(id, &worker, &live.snapshot_json())
                    .await
                {
                    Ok(true) => {}
                    Ok(false) => live.cancel.store(true, Ordering::Relaxed),
                    Err(e) => tracing::warn!(job = %id, error = %e, "heartbeat failed"),
                }
            }
        })
    };
    let territories = state.territories.clone();
    let solving = live.clone();
    let result = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            let work = Work {
                kind: job.kind,
                territory: job.territory.as_deref(),
                request: &job.request,
                time_limit_s: job.time_limit_s,
            };
            compute(territories.get(), &work, &solving)
        }))
    })
    .await;
    heartbeat.abort();
    live.update(|p| p.phase = Phase::Finished);
    let outcome = match result {
        Ok(Ok(Ok(result))) => Outcome::Done(result),
        Ok(Ok(Err(error))) => Outcome::Failed(failure(&error)),
        Ok(Err(_)) | Err(_) => {
            tracing::error!(job = %id, "the solve panicked");
            Outcome::Failed(internal("the solver stopped on an internal error"))
        }
    };
    let seconds = live.started.elapsed().as_secs_f64();
    let stored = if live.stopping.load(Ordering::Relaxed) {
        state.store.requeue(id, worker).await
    } else {
        // Only solves whose end is stored count: a cancelled run's time says nothing.
        match state
            .store
            .finish(id, worker, outcome, &live.snapshot_json())
            .await
        {
            Ok(true) => {
                state.metrics.solved(kind, seconds);
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        }
    };
    if let Err(e) = stored {
        tracing::error!(job = %id, error = %e, "storing the result failed");
    }
    if let Ok(mut map) = state.jobs.live.lock() {
        map.remove(&id);
    }
    tracing::info!(job = %id, seconds, "finished");
    let _ = state.jobs.finished.send(id);
}

/// The stored reason of a failed job: `{"code", "message", "field", "violations"}`.
pub fn failure(error: &Error) -> String {
    let (code, violations): (&str, Vec<Violation>) = match error {
        Error::Planning(optimizer::Error::Invalid(list)) => ("invalid", planning_violations(list)),
        Error::Invalid(list) => ("invalid", list.clone()),
        Error::Internal(message) => return internal(message),
        _ => ("failed", Vec::new()),
    };
    serde_json::json!({
        "code": code,
        "message": error.to_string(),
        "field": violations.first().map(|v| v.field.clone()),
        "violations": violations,
    })
    .to_string()
}

fn internal(message: &str) -> String {
    tracing::error!(message, "internal error in a job");
    serde_json::json!({"code": "internal", "message": "internal error; it has been logged"})
        .to_string()
}
