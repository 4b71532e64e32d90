//! Operations: liveness, readiness, metrics.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::super::state::AppState;
use crate::error::Result;

/// Health of the service.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` with the reasons.
    pub status: &'static str,
    /// Territories loaded.
    pub territories: bool,
    /// Database answering.
    pub database: bool,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        territories: true,
        database: true,
    })
}

/// Readiness: territories loaded and database reachable (`503` otherwise).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Not ready", body = Health),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let territories = state.territories.get().is_some();
    let database = state.store.ping().await.is_ok();
    let ready = territories && database;
    let health = Health {
        status: if ready { "ok" } else { "unavailable" },
        territories,
        database,
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health)).into_response()
}

/// Prometheus metrics (text format).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> Result<Response> {
    let text = state.metrics.render(&state.store).await?;
    Ok((
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
