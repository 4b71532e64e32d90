//! `POST /v1/coverage`: where to stop so that inhabitants have a stop within N minutes, on a
//! loaded territory (the request of `tournee coverage`, with `territory` naming the extract).

use axum::Json;
use axum::extract::State;
use osm_data::progress::Silent;
use serde_json::Value;

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::state::AppState;
use crate::coverage::{CoverageRequest, CoverageResponse, run};
use crate::error::{Error, Result, Violation};

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Violation::new(field, message)])
}

/// Chooses stops for proximity (set covering, maximal covering with a budget, or the fair
/// variant), and answers the report, the chosen stops as a weekly problem, and a GeoJSON map.
///
/// The body is `tournee coverage`'s request (`minutes`, `mode`, `unit`, `model`, `budget`,
/// `demand`, `candidates`, `attendance`, `time_limit_s`, …) with `territory` naming a loaded
/// extract; `start` (the weekly problem's first day) defaults to the next Monday. The solve
/// runs on a worker and is bounded by `time_limit_s` (capped by the service's maximum).
#[utoipa::path(post, path = "/v1/coverage", tag = "helpers",
    request_body(content = Object, description = "`{\"territory\": \"andorra-2021\", \"minutes\": 10, \"mode\": \"car\", \"budget\": 12}`"),
    responses(
        (status = 200, description = "`{report, problem, geojson}`", body = Object),
        (status = 422, description = "Invalid request: the field and why", body = ErrorBody),
        (status = 429, description = "Every worker is busy", body = ErrorBody),
    ))]
pub async fn coverage(
    State(state): State<AppState>,
    JsonBody(mut body): JsonBody<Value>,
) -> Result<Json<CoverageResponse>> {
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
        _ => return Err(invalid("/territory", "required: a loaded territory's id")),
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
    let mut request: CoverageRequest = serde_path_to_error::deserialize(body).map_err(|e| {
        let pointer = format!("/{}", e.path()).replace('.', "/");
        invalid(
            if pointer == "/." { "" } else { &pointer },
            e.inner().to_string(),
        )
    })?;
    request.time_limit_s = request.time_limit_s.min(state.config.max_time_limit_s);
    let mut answer = state
        .compute(move |state| {
            let cache = &state.territories()?.cache;
            run(&request, cache, &Silent, &mut |_, _| {})
        })
        .await?;
    // The report names the territory, not where the server keeps its file.
    answer.report.extract = territory;
    Ok(Json(answer))
}
