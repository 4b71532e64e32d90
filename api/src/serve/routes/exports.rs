//! Export routes of a finished plan: calendars, GeoJSON, timetable.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::PlanningProblem;
use serde::Deserialize;
use utoipa::IntoParams;

use super::super::errors::ErrorBody;
use super::super::exports::csv::{Separator, timetable};
use super::super::exports::ics::{Audience, calendar};
use super::super::exports::{Documents, geojson};
use super::super::ids::{JobId, Owner};
use super::super::state::AppState;
use super::super::store::JobKind;
use super::jobs::parse_id;
use crate::error::{Error, Result};

/// The stored problem and plan of `owner`'s finished plan job `id`.
///
/// # Errors
/// [`Error::NotFound`] for no such job, [`Error::Conflict`] when it is not done.
pub async fn documents(state: &AppState, id: JobId, owner: &Owner) -> Result<Documents> {
    let (problem, plan) = super::jobs::result(state, owner, JobKind::Plan, id).await?;
    let problem: PlanningProblem = serde_json::from_str(&problem)
        .map_err(|e| Error::Internal(format!("stored problem does not parse: {e}")))?;
    let plan: Plan = serde_json::from_str(&plan)
        .map_err(|e| Error::Internal(format!("stored plan does not parse: {e}")))?;
    Ok(Documents::new(problem, plan))
}

/// A download: its content type and a file name for the browser (quotes and line breaks in it
/// replaced).
pub fn file(content_type: &'static str, name: &str, body: impl IntoResponse) -> Response {
    let disposition = format!(
        "inline; filename=\"{}\"",
        name.replace(['"', '\\', '\r', '\n'], "_")
    );
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// A unit's calendar: its stops and home visits (`{unit}.ics`, e.g. `bus-1.ics`).
#[utoipa::path(get, path = "/v1/plans/{id}/calendar/{file}", tag = "exports",
    params(("id" = JobId, Path, description = "Job id"), ("file" = String, Path, description = "The unit id followed by `.ics`")),
    responses(
        (status = 200, description = "RFC 5545 calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "No such job or unit", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn unit_calendar(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path((id, file_name)): Path<(String, String)>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let unit = file_name
        .strip_suffix(".ics")
        .ok_or_else(|| Error::NotFound(format!("calendar {file_name:?} (ask for UNIT.ics)")))?;
    let docs = documents(&state, id, &owner).await?;
    let text = calendar(&docs, Audience::Unit(unit), None)
        .ok_or_else(|| Error::NotFound(format!("unit {unit:?} in job {id}")))?;
    Ok(file("text/calendar; charset=utf-8", &file_name, text))
}

/// The public calendar: every public stop of every unit, never a home visit.
#[utoipa::path(get, path = "/v1/plans/{id}/public.ics", tag = "exports",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "RFC 5545 calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "No such job", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn public_calendar(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let docs = documents(&state, id, &owner).await?;
    let text = calendar(&docs, Audience::Public, None)
        .ok_or_else(|| Error::Internal("the public calendar has no unit to check".into()))?;
    Ok(file("text/calendar; charset=utf-8", "public.ics", text))
}

/// Routes along the roads and visits as points (GeoJSON `FeatureCollection`).
#[utoipa::path(get, path = "/v1/plans/{id}/plan.geojson", tag = "exports",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "GeoJSON", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No such job", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn plan_geojson(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    // Drawn by the instance that solved the plan, on its roads: any instance can serve them.
    let drawn = state.store.documents(id, &owner, JobKind::Plan).await?;
    if let Some(routes) = drawn.and_then(|d| d.routes) {
        return Ok(file("application/geo+json", "plan.geojson", routes));
    }
    let docs = documents(&state, id, &owner).await?;
    let text = state
        .compute(move |state| {
            let territories = state.territories()?;
            let routers = match territories.of_problem(&docs.problem)? {
                Some(territory) => territories.routers_for(territory, &docs.problem)?,
                None => Vec::new(),
            };
            Ok(geojson::collection(&docs, &routers)?.to_string())
        })
        .await?;
    Ok(file("application/geo+json", "plan.geojson", text))
}

/// Options of the timetable.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CsvQuery {
    /// `comma` (default), `semicolon` (decimal commas too) or `tab`.
    pub separator: Option<Separator>,
    /// Start with a UTF-8 byte-order mark, for spreadsheets (default false).
    pub bom: Option<bool>,
}

/// One row per visit: unit, date, times, place.
#[utoipa::path(get, path = "/v1/plans/{id}/timetable.csv", tag = "exports",
    params(("id" = JobId, Path, description = "Job id"), CsvQuery),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such job", body = ErrorBody),
        (status = 409, description = "The job is not done", body = ErrorBody),
    ))]
pub async fn timetable_csv(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    Query(query): Query<CsvQuery>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let docs = documents(&state, id, &owner).await?;
    let bytes = timetable(
        &docs,
        query.separator.unwrap_or_default(),
        query.bom.unwrap_or(false),
    )?;
    Ok(file("text/csv; charset=utf-8", "timetable.csv", bytes))
}

/// The planning problem a job was submitted with (docs/planning-format.md), in any state: to
/// reopen an earlier plan on the page, or re-plan it.
#[utoipa::path(get, path = "/v1/plans/{id}/problem.json", tag = "exports",
    params(("id" = JobId, Path, description = "Job id")),
    responses(
        (status = 200, description = "The planning problem as submitted", content_type = "application/json", body = Object),
        (status = 404, description = "No such job for this token", body = ErrorBody),
    ))]
pub async fn problem_json(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let documents = state
        .store
        .documents(id, &owner, JobKind::Plan)
        .await?
        .ok_or_else(|| Error::NotFound(format!("plan job {id}")))?;
    Ok(file("application/json", "problem.json", documents.request))
}
