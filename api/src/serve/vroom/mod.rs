//! `POST /vroom`, and the same at `POST /optimization` (openrouteservice's path): VROOM's
//! documented input and output (docs/API.md of VROOM-Project/vroom) on Tournée's solver, so
//! that VROOM and openrouteservice clients work unchanged. Errors carry VROOM's `code` (2:
//! input, 1: internal) beside the service's `error` object.

pub mod build;
pub mod input;
pub mod output;
mod route;
mod write;

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use optimizer::{Control, SolverConfig, solve as solve_core};

use super::body::JsonBody;
use super::errors::ErrorBody;
use super::state::AppState;
use crate::error::{Error, Result};
use crate::limits::{Limit, Size};

/// Ruin-and-recreate iterations per job; the time limit caps them on large problems.
const ITERATIONS_PER_JOB: u64 = 400;

/// Solve a VROOM problem.
#[utoipa::path(post, path = "/vroom", tag = "vroom",
    request_body = input::Input,
    responses(
        (status = 200, description = "VROOM's output layout", body = output::Output),
        (status = 413, description = "More jobs + vehicles than `max_vroom_places` (default 1000): `count`, `limit`, `field`; `code` is 2", body = ErrorBody),
        (status = 422, description = "Invalid input (shipments, inconsistent amounts, unknown profile, …); `code` is 2", body = ErrorBody),
    ))]
pub async fn solve(
    State(state): State<AppState>,
    body: Result<JsonBody<input::Input>>,
) -> Response {
    let started = Instant::now();
    let answer = match body {
        Ok(JsonBody(input)) => run(&state, input, started).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(output) => Json(output).into_response(),
        Err(error) => with_code(error.into_response()).await,
    }
}

/// Solve a VROOM problem posted where openrouteservice's clients post it (their `host` pointed
/// at this service): the same as `/vroom`, openrouteservice's profile names included.
#[utoipa::path(post, path = "/optimization", tag = "vroom",
    request_body = input::Input,
    responses(
        (status = 200, description = "VROOM's output layout", body = output::Output),
        (status = 422, description = "Invalid input (shipments, inconsistent amounts, unknown profile, …); `code` is 2", body = ErrorBody),
    ))]
pub async fn optimization(
    state: State<AppState>,
    body: Result<JsonBody<input::Input>>,
) -> Response {
    solve(state, body).await
}

async fn run(state: &AppState, input: input::Input, started: Instant) -> Result<output::Output> {
    Limit::vroom_places(state.config.max_vroom_places).check(Size::sum(&[
        ("/jobs", input.jobs.len()),
        ("/vehicles", input.vehicles.len()),
    ]))?;
    let limit = state.config.vroom_time_limit_s;
    state
        .compute(move |state| {
            let built = build::build(&input, state.territories.get())?;
            let loading = started.elapsed();
            let config = SolverConfig {
                time_limit: Some(Duration::from_secs_f64(limit)),
                iterations: Some(ITERATIONS_PER_JOB * (input.jobs.len() as u64 + 10)),
                seed: 1,
                threads: 1,
            };
            let solution = solve_core(&built.problem, &config, &Control::default())
                .map_err(Error::Planning)?;
            let solving = started.elapsed() - loading;
            Ok(write::output(
                &input,
                &built,
                &solution,
                u64::try_from(loading.as_millis()).unwrap_or(u64::MAX),
                u64::try_from(solving.as_millis()).unwrap_or(u64::MAX),
            ))
        })
        .await
}

/// Adds VROOM's `code` to an error answer: 2 for the client's errors, 1 for the others.
async fn with_code(response: Response) -> Response {
    let status = response.status();
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return status.into_response();
    };
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        let code = if status.is_client_error() { 2 } else { 1 };
        object.insert("code".into(), code.into());
    }
    let mut answer = (status, Json(value)).into_response();
    for (name, v) in &parts.headers {
        if name != axum::http::header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), v.clone());
        }
    }
    answer
}
