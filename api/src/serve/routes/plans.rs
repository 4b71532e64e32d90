//! The planning jobs API: submit a planning problem, follow it (poll, `?wait=`, Server-Sent
//! Events), list, cancel or delete.

use std::convert::Infallible;

use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::sse::{Event, Sse};
use futures_util::Stream;
use std::path::PathBuf;

use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory};

use super::super::body::{JsonBody, from_value};
use super::super::errors::ErrorBody;
use super::super::geocoding::resolve_problem;
use super::super::ids::{JobId, Owner};
use super::super::placement::{Placement, nobody_holds, place};
use super::super::registry::Instance;
use super::super::state::AppState;
use super::super::store::{JobKind, NewJob};
use super::jobs::{self, JobList, JobView, ListQuery, WaitQuery};
use crate::error::{Error, Result};
use crate::limits::{Limit, planning_size};
use serde::Deserialize;
use territory::validate::planning_problem;
use utoipa::IntoParams;

/// Submit a planning problem.
///
/// Answers `202` with the job id and URL at once (or, with `?wait=`, the finished job with
/// `200` if it finishes in time). Its size is checked first: more places (depots + stops +
/// home visits) than the service's `max_places` (default 5000) get `413` with `count`,
/// `limit` and the `field` holding most of them. Places given by address
/// (`{"address": "…", "postcode"?, "city"?}`) are then found by the territory's geocoder and
/// stored with their position, label and score; an address not found, found with low
/// confidence or ambiguous gets `422` naming its field with the best candidates (`503` without
/// a geocoder, `502` when the remote one fails). Then the problem is validated, its vehicle
/// numbers included: `422` lists every violation. A place farther than the snapping limit
/// from every road its units may use is planned as an unserved item with the reason
/// `off_road`; with `?strict=true` such places are refused with `422` instead, each with its
/// field.
#[utoipa::path(post, path = "/v1/plans", tag = "plans",
    params(SubmitQuery),
    request_body(content = Object, description = "A planning problem (docs/planning-format.md); its territory names a loaded extract (`{\"extract\": \"andorra-2021\"}`) or brings matrices."),
    responses(
        (status = 202, description = "Queued", body = JobView),
        (status = 200, description = "Finished within `?wait=`", body = JobView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 422, description = "Invalid problem: every violation", body = ErrorBody),
        (status = 413, description = "Body too large, or more places than `max_places` (default 5000): `count`, `limit`, `field`", body = ErrorBody),
        (status = 429, description = "Queue full; see Retry-After", body = ErrorBody),
        (status = 502, description = "The remote geocoder failed on an address", body = ErrorBody),
        (status = 503, description = "Places given by address, and no geocoder configured", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<SubmitQuery>,
    JsonBody(document): JsonBody<serde_json::Value>,
) -> Result<Response> {
    let document = resolve_problem(&state, document).await?;
    let mut problem: PlanningProblem = from_value(document)?;
    Limit::places(state.config.max_places).check(planning_size(&problem))?;
    planning_problem(&problem)?;
    let placement = match &problem.territory {
        ProblemTerritory::Extract(name) => Some(place(&state, name).await?),
        ProblemTerritory::Matrices(_) => None,
    };
    let limit = problem
        .solver
        .time_limit_s
        .min(state.config.max_time_limit_s);
    let mut waiting = None;
    if let Some(placement) = &placement {
        // Jobs name their territory by id: the instance that claims it may hold the extract
        // under another path.
        problem.territory = ProblemTerritory::Extract(PathBuf::from(placement.id()));
        jobs::refuse_when_full(&state, limit).await?;
        match placement {
            Placement::Here(territory) if query.strict => {
                problem = on_the_roads(&state, problem, territory.id.clone()).await?;
            }
            Placement::Here(_) => {}
            Placement::Elsewhere { id, holders } if query.strict => {
                return Err(strict_elsewhere(id, holders));
            }
            Placement::Elsewhere { .. } => {}
            Placement::Nowhere { id, alive } if !query.queue_anyway => {
                return Err(nobody_holds("/territory/extract", id, alive));
            }
            Placement::Nowhere { .. } => waiting = placement.waiting(),
        }
    }
    problem.solver.time_limit_s = limit;
    let text = serde_json::to_string(&problem)
        .map_err(|e| Error::Internal(format!("encoding the problem: {e}")))?;
    let job = NewJob {
        id: JobId::new(),
        kind: JobKind::Plan,
        owner: &owner,
        territory: placement.as_ref().map(Placement::id),
        request: &text,
        time_limit_s: limit,
    };
    if let Some(reason) = &waiting {
        tracing::warn!(job = %job.id, reason, "queued for a territory no live instance holds");
    }
    jobs::enqueue(&state, job, query.wait).await
}

/// The refusal of `?strict=true` for a territory held elsewhere: the roads are checked where
/// they are loaded.
fn strict_elsewhere(id: &str, holders: &[Instance]) -> Error {
    let addresses: Vec<&str> = holders.iter().map(|i| i.address.as_str()).collect();
    Error::invalid(
        "/territory/extract",
        format!(
            "?strict=true checks the roads at submission, and territory {id:?} is not loaded \
             on this instance: submit to one that holds it ({}), or without ?strict to have \
             off-road places planned as unserved",
            addresses.join(", ")
        ),
    )
}

/// How a planning problem is submitted.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SubmitQuery {
    /// Seconds to wait for the job to finish (capped below the request timeout).
    pub wait: Option<f64>,
    /// Refuse (`422`) a problem with a place off the roads, rather than plan it as unserved
    /// (only on an instance that holds the territory).
    #[serde(default)]
    pub strict: bool,
    /// Queue a problem whose territory no live instance holds, to be solved when one starts,
    /// instead of refusing it with `422`.
    #[serde(default)]
    pub queue_anyway: bool,
}

/// The problem back, once every place is known to be within reach of a road of a unit that
/// may go there, on the networks of `territory` the job will use (built now if the units'
/// sizes need them).
///
/// # Errors
/// [`Error::Invalid`] listing every place off the roads; [`Error::Busy`] when no compute
/// permit frees in time.
async fn on_the_roads(
    state: &AppState,
    problem: PlanningProblem,
    territory: String,
) -> Result<PlanningProblem> {
    state
        .compute(move |state| {
            let territories = state.territories()?;
            let loaded = territories
                .get(&territory)
                .ok_or_else(|| Error::Internal(format!("territory {territory:?} vanished")))?;
            let faults = loaded.off_road_places(&problem, &territories.cache)?;
            if faults.is_empty() {
                Ok(problem)
            } else {
                Err(Error::Invalid(faults))
            }
        })
        .await
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
    Ok(Json(
        jobs::show(&state, &owner, JobKind::Plan, &id, query.wait).await?,
    ))
}

/// The caller's planning jobs, newest first, a page at a time.
#[utoipa::path(get, path = "/v1/plans", tag = "plans",
    params(ListQuery),
    responses((status = 200, description = "A page of jobs", body = JobList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ListQuery>,
) -> Result<Json<JobList>> {
    Ok(Json(
        jobs::list(&state, &owner, JobKind::Plan, query).await?,
    ))
}

/// Cancel a queued or running job. Idempotent: a job that has already ended is answered as
/// it is, never deleted, so a cancel pressed as the job finishes keeps its result.
#[utoipa::path(post, path = "/v1/plans/{id}/cancel", tag = "plans",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job, cancelled or as it ended", body = JobView),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Json<JobView>> {
    Ok(Json(
        jobs::cancel(&state, &owner, JobKind::Plan, &id).await?,
    ))
}

/// Delete a job with its data, whatever its state (a running solve is stopped).
#[utoipa::path(delete, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    jobs::delete(&state, &owner, JobKind::Plan, &id).await
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
    jobs::events(state, owner, JobKind::Plan, jobs::parse_id(&id)?).await
}
