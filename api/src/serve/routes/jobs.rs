//! What the plan and coverage job routes share: queueing under the queue's bound, the job's
//! view, waiting for it (`?wait=`), listing, cancelling or deleting, and its progress as
//! Server-Sent Events. Every lookup names the kind, so a plan's id never answers on the
//! coverage routes and the other way round.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::super::ids::{JobId, Owner};
use super::super::live::Progress;
use super::super::placement::waiting_for;
use super::super::registry::{Instance, alive};
use super::super::state::AppState;
use super::super::store::{Cancellation, JobKind, JobRecord, NewJob, Status, now_ms};
use crate::error::{Error, Result, Violation};

/// A job: its state, progress and, once done, its result.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    /// Its id.
    pub id: JobId,
    /// What it computes: `plan` or `coverage`.
    pub kind: JobKind,
    /// Its state.
    pub status: Status,
    /// Its URL.
    pub url: String,
    /// The territory its request routes on (absent for problems with their own matrices).
    pub territory: Option<String>,
    /// Submission time (RFC 3339).
    pub created_at: Option<String>,
    /// Start of the solve.
    pub started_at: Option<String>,
    /// End of the solve.
    pub finished_at: Option<String>,
    /// Times a worker took it (a crash and a restart make two).
    pub attempts: i64,
    /// The worker (`instance-n`, the instance's id and its worker's number) that took it
    /// last; kept once it ends.
    pub solved_by: Option<String>,
    /// Why a queued job waits, when no live instance holds its territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<String>,
    /// What the solve is doing, its best answer so far, elapsed time and time limit.
    pub progress: Option<Progress>,
    /// Why it failed: `{"code", "message", "field", "violations"}`.
    #[schema(value_type = Option<Object>)]
    pub error: Option<serde_json::Value>,
    /// A plan job's plan (docs/planning-format.md), once done; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub plan: Option<serde_json::Value>,
    /// A coverage job's answer, once done: `{report, problem, geojson}`; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub coverage: Option<serde_json::Value>,
    /// Where to get the exports, once done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exports: Option<JobExports>,
}

/// The export URLs of a finished job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum JobExports {
    /// A plan's.
    Plan(PlanExports),
    /// A coverage answer's.
    Coverage(CoverageExports),
}

/// The export URLs of a finished plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanExports {
    /// `{unit}` replaced by a unit id: its calendar.
    pub calendar: String,
    /// The public calendar: every public stop, no home visit.
    pub public_calendar: String,
    /// Routes and stops as GeoJSON.
    pub geojson: String,
    /// One row per stop (`?separator=semicolon&bom=true` for spreadsheets).
    pub timetable: String,
}

/// The export URLs of a finished coverage run.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageExports {
    /// The map as GeoJSON: chosen sites, the roads they serve, demand points covered or not.
    pub geojson: String,
    /// The chosen stops as a weekly planning problem, ready for `POST /v1/plans`.
    pub problem: String,
}

/// A page of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    /// The jobs, newest first, without their results.
    pub jobs: Vec<JobView>,
    /// The page size asked.
    pub limit: i64,
    /// Jobs skipped.
    pub offset: i64,
    /// The next page, if this one is full.
    pub next: Option<String>,
}

/// `?wait=SECONDS`: answer once the job is finished, or after that many seconds.
#[derive(Debug, Deserialize, IntoParams)]
pub struct WaitQuery {
    /// Seconds to wait for the job to finish (capped below the request timeout).
    pub wait: Option<f64>,
}

/// Paging and filtering of the list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Jobs per page, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// Jobs to skip (default 0).
    pub offset: Option<i64>,
    /// Only jobs in this state.
    pub status: Option<Status>,
}

/// Where the jobs of a kind live.
fn collection(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Plan => "/v1/plans",
        JobKind::Coverage => "/v1/coverage",
    }
}

fn job_url(kind: JobKind, id: JobId) -> String {
    format!("{}/{id}", collection(kind))
}

fn time(ms: Option<i64>) -> Option<String> {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn exports(kind: JobKind, url: &str) -> JobExports {
    match kind {
        JobKind::Plan => JobExports::Plan(PlanExports {
            calendar: format!("{url}/calendar/{{unit}}.ics"),
            public_calendar: format!("{url}/public.ics"),
            geojson: format!("{url}/plan.geojson"),
            timetable: format!("{url}/timetable.csv"),
        }),
        JobKind::Coverage => JobExports::Coverage(CoverageExports {
            geojson: format!("{url}/map.geojson"),
            problem: format!("{url}/problem.json"),
        }),
    }
}

/// A job as shown, with its result (JSON) when given.
fn view(state: &AppState, record: JobRecord, result: Option<String>) -> JobView {
    let live = (record.status == Status::Running)
        .then(|| state.jobs.progress(record.id))
        .flatten();
    let mut progress = live.or_else(|| {
        record
            .progress
            .as_deref()
            .and_then(|p| serde_json::from_str::<Progress>(p).ok())
    });
    if let (Some(p), Some(started)) = (progress.as_mut(), record.started_at) {
        let end = record.finished_at.unwrap_or_else(now_ms);
        p.elapsed_s = (end - started).max(0) as f64 / 1000.0;
    }
    let url = job_url(record.kind, record.id);
    let result = result.and_then(|r| serde_json::from_str(&r).ok());
    let (plan, coverage) = match record.kind {
        JobKind::Plan => (result, None),
        JobKind::Coverage => (None, result),
    };
    JobView {
        id: record.id,
        kind: record.kind,
        status: record.status,
        territory: record.territory,
        created_at: time(Some(record.created_at)),
        started_at: time(record.started_at),
        finished_at: time(record.finished_at),
        attempts: record.attempts,
        solved_by: record.solved_by,
        waiting: None,
        progress,
        error: record.error.and_then(|e| serde_json::from_str(&e).ok()),
        plan,
        coverage,
        exports: (record.status == Status::Done).then(|| exports(record.kind, &url)),
        url,
    }
}

/// The job with its result when done, and why it waits when it does.
async fn full_view(state: &AppState, record: JobRecord, owner: &Owner) -> Result<JobView> {
    let result = if record.status == Status::Done {
        state
            .store
            .documents(record.id, owner, record.kind)
            .await?
            .and_then(|d| d.result)
    } else {
        None
    };
    let alive = if record.status == Status::Queued {
        alive(&state.store).await?
    } else {
        Vec::new()
    };
    let waiting = waiting(&record, &alive);
    let mut view = view(state, record, result);
    view.waiting = waiting;
    Ok(view)
}

/// Why a queued job waits: no live instance (`alive`) holds its territory.
fn waiting(record: &JobRecord, alive: &[Instance]) -> Option<String> {
    let territory = record.territory.as_deref()?;
    (record.status == Status::Queued && !alive.iter().any(|i| i.holds(territory)))
        .then(|| waiting_for(territory))
}

/// The job's record, or 404.
async fn record(state: &AppState, id: JobId, owner: &Owner, kind: JobKind) -> Result<JobRecord> {
    state
        .store
        .get(id, owner, kind)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{} job {id}", kind.as_str())))
}

/// Waits until the job is finished or `seconds` have passed (capped below the request
/// timeout), then returns its record.
async fn wait_for(
    state: &AppState,
    id: JobId,
    owner: &Owner,
    kind: JobKind,
    seconds: f64,
) -> Result<JobRecord> {
    let cap = (state.config.request_timeout_s as f64 - 1.0).max(0.0);
    let seconds = if seconds.is_finite() {
        seconds.clamp(0.0, cap)
    } else {
        0.0
    };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut finished = state.jobs.finished();
    loop {
        let record = record(state, id, owner, kind).await?;
        let now = Instant::now();
        if record.status.is_final() || now >= deadline {
            return Ok(record);
        }
        let pause = (deadline - now).min(Duration::from_secs(1));
        tokio::select! {
            _ = finished.recv() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
}

/// Queues a job unless the queue is full (429 with a Retry-After guessed from the queue and
/// the time limit), then answers `202` with the job, or `200` with the finished job when it
/// finishes within `?wait=`; `Location` names the job.
///
/// # Errors
/// [`Error::QueueFull`]; [`Error::Database`].
pub async fn enqueue(state: &AppState, job: NewJob<'_>, wait: Option<f64>) -> Result<Response> {
    {
        let _turn = state.jobs.submit.lock().await;
        refuse_when_full(state, job.time_limit_s).await?;
        state.store.insert(job).await?;
    }
    state.jobs.wake();
    tracing::info!(job = %job.id, kind = job.kind.as_str(), time_limit_s = job.time_limit_s, "queued");
    let record = match wait {
        Some(seconds) => wait_for(state, job.id, job.owner, job.kind, seconds).await?,
        None => record(state, job.id, job.owner, job.kind).await?,
    };
    let status = if record.status.is_final() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let body = full_view(state, record, job.owner).await?;
    let mut response = (status, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&job_url(job.kind, job.id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// Refuses with 429 when the queue holds its limit, guessing when to come back from the queue's
/// length per worker and the time limit of the job at hand. [`enqueue`] checks again under
/// the queue's lock; calling it earlier spares a refused request the work before queueing.
///
/// # Errors
/// [`Error::QueueFull`]; [`Error::Database`].
pub async fn refuse_when_full(state: &AppState, time_limit_s: f64) -> Result<()> {
    let queued = state.store.queued().await?;
    if queued < i64::try_from(state.config.queue_limit).unwrap_or(i64::MAX) {
        return Ok(());
    }
    let per_worker = queued as f64 / state.config.workers as f64;
    let retry = (per_worker * time_limit_s.min(60.0))
        .ceil()
        .clamp(1.0, 3600.0) as u64;
    Err(Error::QueueFull {
        queued: u64::try_from(queued).unwrap_or(0),
        retry_after_s: retry,
    })
}

/// The job with its result when done, after waiting `?wait=` seconds for it to finish.
///
/// # Errors
/// [`Error::NotFound`]; [`Error::Database`].
pub async fn show(
    state: &AppState,
    owner: &Owner,
    kind: JobKind,
    id: &str,
    wait: Option<f64>,
) -> Result<JobView> {
    let id = parse_id(id)?;
    let record = match wait {
        Some(seconds) => wait_for(state, id, owner, kind, seconds).await?,
        None => record(state, id, owner, kind).await?,
    };
    full_view(state, record, owner).await
}

/// A page of the owner's jobs of a kind, newest first.
///
/// # Errors
/// [`Error::Invalid`] for a page size or offset out of range; [`Error::Database`].
pub async fn list(
    state: &AppState,
    owner: &Owner,
    kind: JobKind,
    query: ListQuery,
) -> Result<JobList> {
    let limit = query.limit.unwrap_or(20);
    let offset = query.offset.unwrap_or(0);
    if !(1..=100).contains(&limit) {
        return Err(Error::Invalid(vec![Violation::new(
            "/limit",
            format!("must be 1 to 100, got {limit}"),
        )]));
    }
    if offset < 0 {
        return Err(Error::Invalid(vec![Violation::new(
            "/offset",
            format!("must be at least 0, got {offset}"),
        )]));
    }
    let records = state
        .store
        .list(owner, kind, query.status, limit, offset)
        .await?;
    let full = records.len() as i64 == limit;
    let alive = if records.iter().any(|r| r.status == Status::Queued) {
        alive(&state.store).await?
    } else {
        Vec::new()
    };
    let status = query
        .status
        .map_or(String::new(), |s| format!("&status={}", s.as_str()));
    Ok(JobList {
        jobs: records
            .into_iter()
            .map(|r| {
                let waiting = waiting(&r, &alive);
                let mut view = view(state, r, None);
                view.waiting = waiting;
                view
            })
            .collect(),
        limit,
        offset,
        next: full.then(|| {
            format!(
                "{}?limit={limit}&offset={}{status}",
                collection(kind),
                offset + limit
            )
        }),
    })
}

/// Cancels a queued or running job; an ended one is answered as it is (idempotent, never
/// deletes: a cancel pressed as the job ends must not lose its result).
///
/// # Errors
/// [`Error::NotFound`]; [`Error::Database`].
pub async fn cancel(state: &AppState, owner: &Owner, kind: JobKind, id: &str) -> Result<JobView> {
    let id = parse_id(id)?;
    match state.store.cancel(id, owner, kind).await? {
        Cancellation::Cancelled => {
            state.jobs.cancel(id);
            tracing::info!(job = %id, "cancelled");
        }
        Cancellation::AlreadyEnded => {}
        Cancellation::NotFound => {
            return Err(Error::NotFound(format!("{} job {id}", kind.as_str())));
        }
    }
    let record = record(state, id, owner, kind).await?;
    Ok(view(state, record, None))
}

/// Deletes a job with its data, whatever its state: a running solve is stopped first.
///
/// # Errors
/// [`Error::NotFound`]; [`Error::Database`].
pub async fn delete(
    state: &AppState,
    owner: &Owner,
    kind: JobKind,
    id: &str,
) -> Result<StatusCode> {
    let id = parse_id(id)?;
    if !state.store.delete(id, owner, kind).await? {
        return Err(Error::NotFound(format!("{} job {id}", kind.as_str())));
    }
    state.jobs.cancel(id);
    tracing::info!(job = %id, "deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// A `progress` event whenever the job's progress changes, then one `status` event with the
/// finished job (without its result), and the stream ends.
///
/// # Errors
/// [`Error::NotFound`]; [`Error::Database`].
pub async fn events(
    state: AppState,
    owner: Owner,
    kind: JobKind,
    id: JobId,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    record(&state, id, &owner, kind).await?;
    let start = (state, owner, None::<String>, false);
    let stream =
        futures_util::stream::unfold(start, move |(state, owner, last, done)| async move {
            if done {
                return None;
            }
            loop {
                let record = match state.store.get(id, &owner, kind).await {
                    Ok(Some(record)) => record,
                    Ok(None) => {
                        let event = Event::default()
                            .event("status")
                            .data(r#"{"status":"deleted"}"#);
                        return Some((Ok(event), (state, owner, last, true)));
                    }
                    Err(e) => {
                        tracing::warn!(job = %id, error = %e, "event stream stopped");
                        return None;
                    }
                };
                let finished = record.status.is_final();
                let view = view(&state, record, None);
                if finished {
                    let data = serde_json::to_string(&view).unwrap_or_default();
                    let event = Event::default().event("status").data(data);
                    return Some((Ok(event), (state, owner, last, true)));
                }
                let progress = serde_json::to_string(&(view.status, &view.progress)).ok();
                if progress != last {
                    let data =
                        serde_json::json!({"status": view.status, "progress": view.progress});
                    let event = Event::default().event("progress").data(data.to_string());
                    return Some((Ok(event), (state, owner, progress, false)));
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// A job id from a path, or 404 (a malformed id names no job).
pub fn parse_id(text: &str) -> Result<JobId> {
    text.parse()
        .map_err(|_| Error::NotFound(format!("job {text:?}")))
}

/// The result of a finished job, or 409 naming its state (404 when there is no such job).
///
/// # Errors
/// [`Error::NotFound`], [`Error::Conflict`], [`Error::Database`].
pub async fn result(
    state: &AppState,
    owner: &Owner,
    kind: JobKind,
    id: JobId,
) -> Result<(String, String)> {
    let documents = state
        .store
        .documents(id, owner, kind)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{} job {id}", kind.as_str())))?;
    match (documents.status, documents.result) {
        (Status::Done, Some(result)) => Ok((documents.request, result)),
        (status, _) => Err(Error::Conflict(format!(
            "job {id} has no result to export: it is {}",
            status.as_str()
        ))),
    }
}
