//! The jobs API: submit a planning problem, follow it (poll, `?wait=`, Server-Sent Events),
//! list, cancel or delete.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::Stream;
use optimizer::planning::problem::PlanningProblem;
use optimizer::planning::validate::validate_planning;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::ids::{JobId, Owner};
use super::super::jobs::Progress;
use super::super::state::AppState;
use super::super::store::{JobRecord, Removal, Status};
use crate::error::{Error, Result};

/// A job: its state, progress and, once done, its plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    /// Its id.
    pub id: JobId,
    /// Its state.
    pub status: Status,
    /// Its URL.
    pub url: String,
    /// The territory its problem routes on (absent for problems with their own matrices).
    pub territory: Option<String>,
    /// Submission time (RFC 3339).
    pub created_at: Option<String>,
    /// Start of the solve.
    pub started_at: Option<String>,
    /// End of the solve.
    pub finished_at: Option<String>,
    /// Times a worker took it (a crash and a restart make two).
    pub attempts: i64,
    /// Best cost so far, elapsed time and time limit, while running and after.
    pub progress: Option<Progress>,
    /// Why it failed: `{"code", "message", "field", "violations"}`.
    #[schema(value_type = Option<Object>)]
    pub error: Option<serde_json::Value>,
    /// The plan (docs/planning-format.md), once done; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub plan: Option<serde_json::Value>,
    /// Where to get the exports, once done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exports: Option<Exports>,
}

/// The export URLs of a finished plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Exports {
    /// `{unit}` replaced by a unit id: its calendar.
    pub calendar: String,
    /// The public calendar: every public stop, no home visit.
    pub public_calendar: String,
    /// Routes and stops as GeoJSON.
    pub geojson: String,
    /// One row per stop (`?separator=semicolon&bom=true` for spreadsheets).
    pub timetable: String,
}

/// A page of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    /// The jobs, newest first, without their plans.
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

fn job_url(id: JobId) -> String {
    format!("/v1/plans/{id}")
}

fn time(ms: Option<i64>) -> Option<String> {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn view(state: &AppState, record: JobRecord, plan: Option<String>) -> JobView {
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
        let end = record
            .finished_at
            .unwrap_or_else(super::super::store::now_ms);
        p.elapsed_s = (end - started).max(0) as f64 / 1000.0;
    }
    let url = job_url(record.id);
    JobView {
        id: record.id,
        status: record.status,
        territory: record.territory,
        created_at: time(Some(record.created_at)),
        started_at: time(record.started_at),
        finished_at: time(record.finished_at),
        attempts: record.attempts,
        progress,
        error: record.error.and_then(|e| serde_json::from_str(&e).ok()),
        plan: plan.and_then(|p| serde_json::from_str(&p).ok()),
        exports: (record.status == Status::Done).then(|| Exports {
            calendar: format!("{url}/calendar/{{unit}}.ics"),
            public_calendar: format!("{url}/public.ics"),
            geojson: format!("{url}/plan.geojson"),
            timetable: format!("{url}/timetable.csv"),
        }),
        url,
    }
}

/// The job with its plan when done.
async fn full_view(state: &AppState, record: JobRecord, owner: &Owner) -> Result<JobView> {
    let plan = if record.status == Status::Done {
        state
            .store
            .documents(record.id, owner)
            .await?
            .and_then(|(_, _, plan)| plan)
    } else {
        None
    };
    Ok(view(state, record, plan))
}

/// Waits until the job is finished or `seconds` have passed (capped below the request
/// timeout), then returns its record.
async fn wait_for(state: &AppState, id: JobId, owner: &Owner, seconds: f64) -> Result<JobRecord> {
    let cap = (state.config.request_timeout_s as f64 - 1.0).max(0.0);
    let seconds = if seconds.is_finite() {
        seconds.clamp(0.0, cap)
    } else {
        0.0
    };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut finished = state.jobs.finished();
    loop {
        let record = state
            .store
            .get(id, owner)
            .await?
            .ok_or_else(|| Error::NotFound(format!("job {id}")))?;
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

/// Submit a planning problem.
///
/// Answers `202` with the job id and URL at once (or, with `?wait=`, the finished job with
/// `200` if it finishes in time). The problem is validated first: `422` lists every violation.
#[utoipa::path(post, path = "/v1/plans", tag = "plans",
    params(WaitQuery),
    request_body(content = Object, description = "A planning problem (docs/planning-format.md); its territory names a loaded extract (`{\"extract\": \"andorra-2021\"}`) or brings matrices."),
    responses(
        (status = 202, description = "Queued", body = JobView),
        (status = 200, description = "Finished within `?wait=`", body = JobView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 422, description = "Invalid problem: every violation", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Queue full; see Retry-After", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<WaitQuery>,
    JsonBody(mut problem): JsonBody<PlanningProblem>,
) -> Result<Response> {
    validate_planning(&problem)?;
    let territory = state
        .territories()?
        .of_problem(&problem)?
        .map(|t| t.id.clone());
    let limit = problem
        .solver
        .time_limit_s
        .min(state.config.max_time_limit_s);
    problem.solver.time_limit_s = limit;
    let text = serde_json::to_string(&problem)
        .map_err(|e| Error::Internal(format!("encoding the problem: {e}")))?;
    let id = JobId::new();
    {
        let _turn = state.jobs.submit.lock().await;
        let queued = state.store.queued().await?;
        if queued >= i64::try_from(state.config.queue_limit).unwrap_or(i64::MAX) {
            let per_worker = queued as f64 / state.config.workers as f64;
            let retry = (per_worker * limit.min(60.0)).ceil().clamp(1.0, 3600.0) as u64;
            return Err(Error::QueueFull {
                queued: u64::try_from(queued).unwrap_or(0),
                retry_after_s: retry,
            });
        }
        state
            .store
            .insert(id, &owner, territory.as_deref(), &text, limit)
            .await?;
    }
    state.jobs.wake();
    tracing::info!(job = %id, time_limit_s = limit, "queued");
    let record =
        match query.wait {
            Some(seconds) => wait_for(&state, id, &owner, seconds).await?,
            None => state.store.get(id, &owner).await?.ok_or_else(|| {
                Error::Internal("a job vanished right after its insertion".into())
            })?,
        };
    let status = if record.status.is_final() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let body = full_view(&state, record, &owner).await?;
    let mut response = (status, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&job_url(id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// A job: status, progress, and the plan when done (`?wait=SECONDS` to wait for it).
#[utoipa::path(get, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = JobId, Path, description = "Job id"), WaitQuery),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    Query(query): Query<WaitQuery>,
) -> Result<Json<JobView>> {
    let id = parse_id(&id)?;
    let record = match query.wait {
        Some(seconds) => wait_for(&state, id, &owner, seconds).await?,
        None => state
            .store
            .get(id, &owner)
            .await?
            .ok_or_else(|| Error::NotFound(format!("job {id}")))?,
    };
    Ok(Json(full_view(&state, record, &owner).await?))
}

/// The caller's jobs, newest first, a page at a time.
#[utoipa::path(get, path = "/v1/plans", tag = "plans",
    params(ListQuery),
    responses((status = 200, description = "A page of jobs", body = JobList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ListQuery>,
) -> Result<Json<JobList>> {
    let limit = query.limit.unwrap_or(20);
    let offset = query.offset.unwrap_or(0);
    if !(1..=100).contains(&limit) {
        return Err(Error::Invalid(vec![crate::error::Violation::new(
            "/limit",
            format!("must be 1 to 100, got {limit}"),
        )]));
    }
    if offset < 0 {
        return Err(Error::Invalid(vec![crate::error::Violation::new(
            "/offset",
            format!("must be at least 0, got {offset}"),
        )]));
    }
    let records = state
        .store
        .list(&owner, query.status, limit, offset)
        .await?;
    let full = records.len() as i64 == limit;
    let status = query
        .status
        .map_or(String::new(), |s| format!("&status={}", s.as_str()));
    Ok(Json(JobList {
        jobs: records.into_iter().map(|r| view(&state, r, None)).collect(),
        limit,
        offset,
        next: full.then(|| format!("/v1/plans?limit={limit}&offset={}{status}", offset + limit)),
    }))
}

/// Cancel a queued or running job (`200`, the job now `cancelled`), or delete a finished one
/// with its data (`204`).
#[utoipa::path(delete, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "Cancelled", body = JobView),
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    match state.store.remove(id, &owner).await? {
        Removal::Cancelled => {
            state.jobs.cancel(id);
            tracing::info!(job = %id, "cancelled");
            let record = state
                .store
                .get(id, &owner)
                .await?
                .ok_or_else(|| Error::NotFound(format!("job {id}")))?;
            Ok(Json(view(&state, record, None)).into_response())
        }
        Removal::Deleted => {
            tracing::info!(job = %id, "deleted");
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Removal::NotFound => Err(Error::NotFound(format!("job {id}"))),
    }
}

/// Progress as Server-Sent Events: a `progress` event whenever it changes, then one `status`
/// event with the finished job (without its plan), and the stream ends.
#[utoipa::path(get, path = "/v1/plans/{id}/events", tag = "plans",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "text/event-stream of `progress` and `status` events", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    let id = parse_id(&id)?;
    state
        .store
        .get(id, &owner)
        .await?
        .ok_or_else(|| Error::NotFound(format!("job {id}")))?;
    let start = (state, owner, None::<String>, false);
    let stream =
        futures_util::stream::unfold(start, move |(state, owner, last, done)| async move {
            if done {
                return None;
            }
            loop {
                let record = match state.store.get(id, &owner).await {
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
