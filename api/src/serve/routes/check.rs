//! `POST /v1/check`: a plan checked against its problem, independently of the solver.

use axum::Json;
use axum::extract::State;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::PlanningProblem;
use serde::{Deserialize, Serialize};
use territory::validate::planning_problem;
use utoipa::ToSchema;

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::state::AppState;
use crate::error::{Error, Result, Violation};
use crate::limits::{Limit, planning_size};

/// `POST /v1/check`: a problem and a plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The planning problem.
    #[schema(value_type = Object)]
    pub problem: PlanningProblem,
    /// The plan to check.
    #[schema(value_type = Object)]
    pub plan: Plan,
}

/// Every rule the plan breaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResponse {
    /// Whether every rule holds.
    pub valid: bool,
    /// Each broken rule: `code`, `id`, `date`, `message`.
    #[schema(value_type = Vec<Object>)]
    pub violations: Vec<optimizer::planning::check::PlanViolation>,
}

/// Checks a plan against its problem independently of the solver, listing every broken rule.
#[utoipa::path(post, path = "/v1/check", tag = "helpers",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The verdict", body = CheckResponse),
        (status = 413, description = "More places than `max_places` (default 5000): `count`, `limit`, `field`", body = ErrorBody),
        (status = 422, description = "Invalid problem", body = ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CheckRequest>,
) -> Result<Json<CheckResponse>> {
    Limit::places(state.config.max_places)
        .check(planning_size(&request.problem).under("/problem"))?;
    planning_problem(&request.problem).map_err(|e| prefix(e, "/problem"))?;
    let answer = state
        .compute(move |state| {
            let matrices = state
                .territories()?
                .matrices(&request.problem)
                .map_err(|e| prefix(e, "/problem"))?;
            let violations = check_plan(&request.problem, &matrices, &request.plan);
            Ok(CheckResponse {
                valid: violations.is_empty(),
                violations,
            })
        })
        .await?;
    Ok(Json(answer))
}

/// Moves the fields of a problem's violations under `prefix` (the problem is nested).
fn prefix(error: impl Into<Error>, prefix: &str) -> Error {
    let shift = |list: Vec<Violation>| {
        list.into_iter()
            .map(|v| Violation::new(format!("{prefix}{}", v.field), v.message))
            .collect()
    };
    match error.into() {
        Error::Planning(optimizer::Error::Invalid(list)) => {
            Error::Invalid(shift(super::super::errors::planning_violations(&list)))
        }
        Error::Invalid(list) => Error::Invalid(shift(list)),
        other => other,
    }
}
