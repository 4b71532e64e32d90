//! The coverage jobs API: where to stop so that inhabitants have a stop within N minutes, on a
//! loaded territory (the request of `tournee coverage`, with `territory` naming the extract),
//! queued and followed like a plan; the answer's map and weekly problem as downloads.

use std::convert::Infallible;

use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::response::sse::{Event, Sse};
use futures_util::Stream;
use serde_json::Value;

use super::super::body::{JsonBody, from_value};
use super::super::errors::ErrorBody;
use super::super::ids::{JobId, Owner};
use super::super::state::AppState;
use super::super::store::{JobKind, NewJob};
use super::exports;
use super::jobs::{self, JobList, JobView, ListQuery, WaitQuery, parse_id};
use crate::coverage::CoverageRequest;
use crate::error::{Error, Result, Violation};

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Violation::new(field, message)])
}

/// Submit a coverage request: the fewest stops covering every place within N minutes (set
/// covering), or at most `budget` stops covering the most people (`max`) or the worst-covered
/// commune best (`fair`).
///
/// The body is `tournee coverage`'s request (`minutes`, `mode`, `unit`, `model`, `budget`,
/// `demand`, `candidates`, `attendance`, `time_limit_s`, …) with `territory` naming a loaded
/// extract; `start` (the weekly problem's first day) defaults to the next Monday. Answers `202`
/// with the job at once (or, with `?wait=`, the finished job with `200` if it finishes in
/// time); once done, the job holds `{report, problem, geojson}`. The request is checked first:
/// `422` lists every field at fault.
#[utoipa::path(post, path = "/v1/coverage", tag = "coverage",
    params(WaitQuery),
    request_body(content = Object, description = "`{\"territory\": \"andorra-2021\", \"minutes\": 10, \"mode\": \"car\", \"budget\": 12}`"),
    responses(
        (status = 202, description = "Queued", body = JobView),
        (status = 200, description = "Finished within `?wait=`", body = JobView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid request: every field at fault and why", body = ErrorBody),
        (status = 429, description = "Queue full; see Retry-After", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<WaitQuery>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response> {
    let (territory, mut request) = parse_request(&state, body)?;
    request.coverage_model()?;
    request.time_limit_s = request.time_limit_s.min(state.config.max_time_limit_s);
    let text = serde_json::to_string(&request)
        .map_err(|e| Error::Internal(format!("encoding the request: {e}")))?;
    let job = NewJob {
        id: JobId::new(),
        kind: JobKind::Coverage,
        owner: &owner,
        territory: Some(&territory),
        request: &text,
        time_limit_s: request.time_limit_s,
    };
    jobs::enqueue(&state, job, query.wait).await
}

/// The request with its territory resolved to the loaded extract, and the territory's id.
fn parse_request(state: &AppState, mut body: Value) -> Result<(String, CoverageRequest)> {
    let Some(fields) = body.as_object_mut() else {
        return Err(invalid("", "the request must be a JSON object"));
    };
    if fields.contains_key("extract") {
        return Err(invalid(
            "/extract",
            "the service never reads a file a client names: give `territory`, a loaded territory's id",
        ));
    }
    let territory = match fields.remove("territory") {
        Some(Value::String(id)) => id,
        Some(_) => return Err(invalid("/territory", "must be a loaded territory's id")),
        None => {
            return Err(invalid(
                "",
                "`territory` is required: a loaded territory's id",
            ));
        }
    };
    let path = state
        .territories()?
        .get(&territory)
        .ok_or_else(|| {
            invalid(
                "/territory",
                format!("no territory {territory:?} is loaded"),
            )
        })?
        .path
        .clone();
    fields.insert("extract".into(), Value::String(path.display().to_string()));
    fields
        .entry("start")
        .or_insert_with(|| Value::String(crate::cli::scenario::next_monday().to_string()));
    Ok((territory, from_value(body)?))
}

/// A coverage job: status, progress (the greedy answer as soon as it exists), and the answer
/// when done (`?wait=SECONDS` to wait for it).
#[utoipa::path(get, path = "/v1/coverage/{id}", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id"), WaitQuery),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    Query(query): Query<WaitQuery>,
) -> Result<Json<JobView>> {
    Ok(Json(
        jobs::show(&state, &owner, JobKind::Coverage, &id, query.wait).await?,
    ))
}

/// The caller's coverage jobs, newest first, a page at a time.
#[utoipa::path(get, path = "/v1/coverage", tag = "coverage",
    params(ListQuery),
    responses((status = 200, description = "A page of jobs", body = JobList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ListQuery>,
) -> Result<Json<JobList>> {
    Ok(Json(
        jobs::list(&state, &owner, JobKind::Coverage, query).await?,
    ))
}

/// Cancel a queued or running coverage job (`200`), or delete a finished one (`204`).
#[utoipa::path(delete, path = "/v1/coverage/{id}", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "Cancelled", body = JobView),
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    jobs::remove(&state, &owner, JobKind::Coverage, &id).await
}

/// Progress as Server-Sent Events, as for plans.
#[utoipa::path(get, path = "/v1/coverage/{id}/events", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "text/event-stream of `progress` and `status` events", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    jobs::events(state, owner, JobKind::Coverage, jobs::parse_id(&id)?).await
}

/// One part of a finished coverage answer, as a download.
async fn part(
    state: &AppState,
    owner: &Owner,
    id: &str,
    key: &str,
    content_type: &'static str,
    name: &str,
) -> Result<Response> {
    let id = parse_id(id)?;
    let (_, result) = jobs::result(state, owner, JobKind::Coverage, id).await?;
    let mut answer: Value = serde_json::from_str(&result)
        .map_err(|e| Error::Internal(format!("stored coverage answer does not parse: {e}")))?;
    let body = answer
        .get_mut(key)
        .map(Value::take)
        .ok_or_else(|| Error::Internal(format!("stored coverage answer has no {key}")))?;
    Ok(exports::file(content_type, name, body.to_string()))
}

/// The answer's map: chosen sites, the roads each serves within the threshold, and demand
/// points coloured covered or not (for a GIS or a web map).
#[utoipa::path(get, path = "/v1/coverage/{id}/map.geojson", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn map(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    part(
        &state,
        &owner,
        &id,
        "geojson",
        "application/geo+json",
        "coverage.geojson",
    )
    .await
}

/// The chosen stops as a weekly planning problem (docs/planning-format.md), ready for
/// `POST /v1/plans` once the dispatcher has checked opening hours and units.
#[utoipa::path(get, path = "/v1/coverage/{id}/problem.json", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "A planning problem", body = Object),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn problem(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    part(
        &state,
        &owner,
        &id,
        "problem",
        "application/json",
        "problem.json",
    )
    .await
}
