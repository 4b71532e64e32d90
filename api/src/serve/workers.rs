//! Jobs at work (weekly plans and coverage runs): a bounded pool of workers claims queued jobs
//! from the database and computes each on a blocking thread ([`super::work`]), with its
//! progress kept in memory ([`super::live`]) and written back every second (the heartbeat that tells other
//! instances the job is alive, and that notices a cancellation). A panic in a solve marks the
//! job failed; it never leaves it `running`.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::errors::violations;
use super::live::{Live, Phase};
use super::state::AppState;
use super::store::{Claimed, Outcome, now_ms};
use super::work::{Work, compute};
use crate::error::Error;

/// How often a running job's progress is written and its state checked.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// A running job whose heartbeat is older than this is taken back from its (dead) worker.
pub const STALE_AFTER: Duration = Duration::from_secs(30);
/// The heartbeat time (milliseconds since the epoch) before which a running job is stale: its
/// worker has been silent for [`STALE_AFTER`].
pub fn stale_before() -> i64 {
    let after = i64::try_from(STALE_AFTER.as_millis()).unwrap_or(i64::MAX);
    now_ms().saturating_sub(after)
}

/// How often idle workers look at the database for jobs another instance queued.
const POLL: Duration = Duration::from_secs(1);

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
            match state.store.recover(stale_before()).await {
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
    let name = format!("{}-{n}", state.jobs.instance());
    // Workers start once the territories are loaded: these are the ones held here.
    let held: Vec<String> = state
        .territories
        .get()
        .map(|t| t.list.iter().map(|t| t.id.clone()).collect())
        .unwrap_or_default();
    while !*shutdown.borrow() {
        let asked = std::time::Instant::now();
        let claimed = state.store.claim(&name, &held).await;
        state.metrics.claimed(asked.elapsed());
        match claimed {
            Ok(Some(job)) => run(&state, &name, job).await,
            Ok(None) => {
                tokio::select! {
                    () = state.jobs.queued() => {}
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
    state.jobs.start(id, live.clone());
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
                    Ok(false) => live.cancel(),
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
        Ok(Ok(Ok(computed))) => Outcome::Done {
            result: computed.result,
            routes: computed.routes,
        },
        Ok(Ok(Err(error))) => Outcome::Failed(failure(&error)),
        Ok(Err(_)) | Err(_) => {
            tracing::error!(job = %id, "the solve panicked");
            Outcome::Failed(internal("the solver stopped on an internal error"))
        }
    };
    let seconds = live.elapsed().as_secs_f64();
    let stored = if live.stopping() {
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
    state.jobs.end(id);
    tracing::info!(job = %id, seconds, "finished");
    state.jobs.announce_finished(id);
}

/// The stored reason of a failed job: `{"code", "message", "field", "violations"}`, with the
/// same violations as the `422` answer to the same fault ([`violations`]).
pub fn failure(error: &Error) -> String {
    if let Error::Internal(message) = error {
        return internal(message);
    }
    let (code, violations) = match violations(error) {
        Some(list) => ("invalid", list),
        None => ("failed", Vec::new()),
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
