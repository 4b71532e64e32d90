//! The live progress of the jobs this instance is solving: what each solve is doing and its
//! best answer so far, the flags that stop it, and the registry the routes read them from.
//! Independent of the workers that fill it and of the routes that show it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use territory::coverage::FirstAnswer;
use tokio::sync::{Notify, broadcast};

use super::ids::JobId;

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
    /// Cost of the routes so far, in the solver's units: 1/100,000 euro of time and distance.
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
    /// A solve starting now, with `time_limit_s` to run.
    pub fn new(time_limit_s: f64) -> Self {
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

    /// Asks the solve to stop (its job was cancelled or taken back from this worker).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether the service is stopping: the job goes back to the queue rather than failing.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Time since the solve started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The progress now as JSON (`null` if it cannot be read), as the database stores it.
    pub fn snapshot_json(&self) -> String {
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

    /// Tells the routes waiting on `id` that its solve ended.
    pub fn announce_finished(&self, id: JobId) {
        let _ = self.finished.send(id);
    }

    /// Waits until a job is queued here (or [`Jobs::wake`] is called).
    pub async fn queued(&self) {
        self.wake.notified().await;
    }

    /// This process's name in the database's `worker` column.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Registers the solve of `id` so that routes see its progress.
    pub fn start(&self, id: JobId, live: Arc<Live>) {
        if let Ok(mut map) = self.live.lock() {
            map.insert(id, live);
        }
    }

    /// Forgets the solve of `id`.
    pub fn end(&self, id: JobId) {
        if let Ok(mut map) = self.live.lock() {
            map.remove(&id);
        }
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
            live.cancel();
        }
    }

    /// Asks every solve of this instance to stop and go back to the queue: the service stops.
    pub fn stop_all(&self) {
        if let Ok(live) = self.live.lock() {
            for job in live.values() {
                job.stopping.store(true, Ordering::Relaxed);
                job.cancel.store(true, Ordering::Relaxed);
            }
        }
    }
}
