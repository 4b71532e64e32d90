//! What the dispatcher's page needs beyond the jobs API: the road layer of a territory and the
//! built-in demo week.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use optimizer::planning::problem::UnitKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::super::errors::ErrorBody;
use super::super::ids::{JobId, Owner};
use super::super::state::AppState;
use crate::error::{Error, Result};
use crate::web::roads::road_feature;

/// The road network of a territory, for drawing: the networks of the car and of the triporteur
/// (which adds cycleways, pedestrian and living streets), each segment once.
#[utoipa::path(get, path = "/v1/territories/{id}/roads", tag = "helpers",
    params(("id" = String, Path, description = "Territory id")),
    responses(
        (status = 200, description = "GeoJSON FeatureCollection of MultiLineStrings, one per network", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No such territory", body = ErrorBody),
    ))]
pub async fn roads(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    road_layer(&state, id).await
}

/// The road layer of the territory `id` (the car's and the triporteur's networks) as a GeoJSON
/// response: public OpenStreetMap data, drawn under the dispatcher's map and the public one.
///
/// # Errors
/// [`Error::NotFound`] when the territory is not loaded here; [`Error::Busy`] when no compute
/// permit frees in time.
pub async fn road_layer(state: &AppState, id: String) -> Result<Response> {
    let layer = state
        .compute(move |state| {
            let territory = state
                .territories()?
                .get(&id)
                .ok_or_else(|| Error::NotFound(format!("territory {id:?}")))?;
            let features: Vec<serde_json::Value> = [UnitKind::Car, UnitKind::Triporteur]
                .iter()
                .filter_map(|kind| {
                    let router = territory.loaded_router(*kind)?;
                    Some(road_feature(router.graph(), kind.name()))
                })
                .collect();
            Ok(serde_json::json!({ "type": "FeatureCollection", "features": features }))
        })
        .await?;
    Ok(([(CONTENT_TYPE, "application/geo+json")], layer.to_string()).into_response())
}

/// The demo week the service planned at start.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemoView {
    /// The demo territory's id.
    pub territory: String,
    /// The demo problem (docs/planning-format.md).
    #[schema(value_type = Object)]
    pub problem: serde_json::Value,
    /// Its job, when the caller may see it (the demo job belongs to the token-less owner).
    pub plan_id: Option<JobId>,
}

/// The built-in demo: its territory, its problem and the job that plans it. `404` when the
/// service runs on extracts of its own (`--osm`).
#[utoipa::path(get, path = "/v1/demo", tag = "helpers",
    responses(
        (status = 200, description = "The demo week", body = DemoView),
        (status = 404, description = "No demo on this service", body = ErrorBody),
        (status = 503, description = "Still loading", body = ErrorBody),
    ))]
pub async fn demo(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
) -> Result<Json<DemoView>> {
    if state.config.demo_dir.is_none() {
        return Err(Error::NotFound(
            "demo (the service runs on --osm extracts)".into(),
        ));
    }
    let demo = state
        .demo
        .get()
        .ok_or_else(|| Error::Unavailable("the demo week is still loading".into()))?;
    let problem = serde_json::to_value(&demo.problem)
        .map_err(|e| Error::Internal(format!("encoding the demo week: {e}")))?;
    Ok(Json(DemoView {
        territory: crate::web::demo::TERRITORY.to_owned(),
        problem,
        plan_id: (owner == Owner::local()).then_some(demo.job),
    }))
}
