//! The coverage jobs API: where to stop so that inhabitants have a stop within N minutes, on a
//! loaded territory (the request of `tournee coverage`, with `territory` naming the extract),
//! queued and followed like a plan; the answer's map and weekly problem as downloads.

use std::convert::Infallible;

use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::sse::{Event, Sse};
use futures_util::Stream;
use osm_data::pois::Poi;
use osm_data::progress::Silent;
use serde::Deserialize;
use serde_json::Value;
use territory::calendar::next_monday;
use utoipa::IntoParams;

use super::super::body::{JsonBody, from_value};
use super::super::errors::ErrorBody;
use super::super::ids::{JobId, Owner};
use super::super::placement::{Placement, nobody_holds, place};
use super::super::state::AppState;
use super::super::store::{JobKind, NewJob};
use super::exports;
use super::jobs::{self, JobList, JobView, ListQuery, WaitQuery, parse_id};
use crate::error::{Error, Result};
use crate::limits::{Limit, Size};
use territory::coverage::CoverageRequest;

/// Submit a coverage request: the fewest stops covering every place within N minutes (set
/// covering), or at most `budget` stops covering the most people (`max`) or the worst-covered
/// commune best (`fair`).
///
/// The body is `tournee coverage`'s request (`minutes`, `mode`, `unit`, `model`, `budget`,
/// `demand`, `candidates`, `attendance`, `time_limit_s`, …) with `territory` naming a loaded
/// extract; `start` (the weekly problem's first day) defaults to the next Monday. Answers `202`
/// with the job at once (or, with `?wait=`, the finished job with `200` if it finishes in
/// time); once done, the job holds `{report, problem, geojson}`. The request is checked first:
/// more demand points × candidate sites than the service's `max_coverage_pairs` (default
/// 25,000,000) get `413` with `count`, `limit` and the `field` that brings the larger factor;
/// then `422` lists every field at fault.
#[utoipa::path(post, path = "/v1/coverage", tag = "coverage",
    params(SubmitQuery),
    request_body(content = Object, description = "`{\"territory\": \"andorra-2021\", \"minutes\": 10, \"mode\": \"car\", \"budget\": 12}`"),
    responses(
        (status = 202, description = "Queued", body = JobView),
        (status = 200, description = "Finished within `?wait=`", body = JobView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large, or more demand points × candidate sites than `max_coverage_pairs` (default 25000000): `count`, `limit`, `field`", body = ErrorBody),
        (status = 422, description = "Invalid request: every field at fault and why", body = ErrorBody),
        (status = 429, description = "Queue full; see Retry-After", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<SubmitQuery>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response> {
    let (territory, body) = territory_of(body)?;
    let placement = place(&state, std::path::Path::new(&territory)).await?;
    // The territory's places and sites are counted here when it is loaded here; otherwise the
    // request's own, and the claiming instance reads the rest.
    let (mut request, pois): (CoverageRequest, &[Poi]) = match &placement {
        Placement::Here(loaded) => (
            parse_request_for(&loaded.path.display().to_string(), body)?,
            loaded.pois(&Silent)?,
        ),
        Placement::Nowhere { id, alive } if !query.queue_anyway => {
            return Err(nobody_holds("/territory", id, alive));
        }
        Placement::Elsewhere { id, .. } | Placement::Nowhere { id, .. } => {
            (parse_request_for(id, body)?, &[])
        }
    };
    Limit::coverage_pairs(state.config.max_coverage_pairs).check(pairs(&request, pois))?;
    request.coverage_model()?;
    request.time_limit_s = request.time_limit_s.min(state.config.max_time_limit_s);
    let text = serde_json::to_string(&request)
        .map_err(|e| Error::Internal(format!("encoding the request: {e}")))?;
    let job = NewJob {
        id: JobId::new(),
        kind: JobKind::Coverage,
        owner: &owner,
        territory: Some(placement.id()),
        request: &text,
        time_limit_s: request.time_limit_s,
    };
    jobs::enqueue(&state, job, query.wait).await
}

/// How a coverage request is submitted.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SubmitQuery {
    /// Seconds to wait for the job to finish (capped below the request timeout).
    pub wait: Option<f64>,
    /// Queue a request whose territory no live instance holds, to be computed when one
    /// starts, instead of refusing it with `422`.
    #[serde(default)]
    pub queue_anyway: bool,
}

/// The pairs of demand points and candidate sites the request's access-time table may hold:
/// its own demand points or else the territory's inhabited places (the job reads the same
/// extract), times its own candidates plus the territory's sites unless `osm_candidates` is
/// false. They are counted before being placed on the roads, which only drops some. The field
/// is the source of the larger factor: the request's `/demand` or `/candidates`, or the
/// `/territory` whose places or sites are used.
fn pairs(request: &CoverageRequest, pois: &[Poi]) -> Size {
    let places = pois.iter().filter(|p| p.kind.is_place()).count();
    let (demand, demand_field) = match &request.demand {
        Some(points) => (points.len(), "/demand"),
        None => (places, "/territory"),
    };
    let territory_sites = if request.osm_candidates {
        pois.len() - places
    } else {
        0
    };
    let candidates = request.candidates.len() + territory_sites;
    let candidates_field = if request.candidates.len() >= territory_sites {
        "/candidates"
    } else {
        "/territory"
    };
    let as_count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Size {
        count: as_count(demand).saturating_mul(as_count(candidates)),
        field: if demand >= candidates {
            demand_field
        } else {
            candidates_field
        }
        .to_owned(),
    }
}

/// The territory a request names (`territory`, a territory's id), and the request without it.
fn territory_of(mut body: Value) -> Result<(String, Value)> {
    let Some(fields) = body.as_object_mut() else {
        return Err(Error::invalid("", "the request must be a JSON object"));
    };
    if fields.contains_key("extract") {
        return Err(Error::invalid(
            "/extract",
            "the service never reads a file a client names: give `territory`, a loaded territory's id",
        ));
    }
    match fields.remove("territory") {
        Some(Value::String(id)) => Ok((id, body)),
        Some(_) => Err(Error::invalid(
            "/territory",
            "must be a loaded territory's id",
        )),
        None => Err(Error::invalid(
            "",
            "`territory` is required: a loaded territory's id",
        )),
    }
}

/// The request with its extract named `extract` (the claiming instance puts its own path in
/// its place) and its first day defaulting to the next Monday.
fn parse_request_for(extract: &str, mut body: Value) -> Result<CoverageRequest> {
    if let Some(fields) = body.as_object_mut() {
        fields.insert("extract".into(), Value::String(extract.to_owned()));
        fields
            .entry("start")
            .or_insert_with(|| Value::String(next_monday().to_string()));
    }
    from_value(body)
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

/// Cancel a queued or running coverage job. Idempotent: a job that has already ended is answered as
/// it is, never deleted, so a cancel pressed as the job finishes keeps its result.
#[utoipa::path(post, path = "/v1/coverage/{id}/cancel", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job, cancelled or as it ended", body = JobView),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Json<JobView>> {
    Ok(Json(
        jobs::cancel(&state, &owner, JobKind::Coverage, &id).await?,
    ))
}

/// Delete a coverage job with its data, whatever its state (a running solve is stopped).
#[utoipa::path(delete, path = "/v1/coverage/{id}", tag = "coverage",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such coverage job for this token", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    jobs::delete(&state, &owner, JobKind::Coverage, &id).await
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
