//! Router-level tests: the application without a socket (`tower::ServiceExt::oneshot`), on a
//! SQLite database in a temporary folder, no extract loaded and no worker running.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use osm_data::import::CachePolicy;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use super::app;
use crate::serve::auth::Tokens;
use crate::serve::config::{Config, LogFormat};
use crate::serve::live::Jobs;
use crate::serve::metrics::Metrics;
use crate::serve::state::AppState;
use crate::serve::store::Store;
use crate::serve::territories::Territories;

async fn state(dir: &tempfile::TempDir, tokens: Option<Tokens>) -> AppState {
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("address"),
        database_url: format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display()),
        osm: Vec::new(),
        cache_dir: dir.path().to_owned(),
        workers: 1,
        queue_limit: 2,
        max_time_limit_s: 5.0,
        vroom_time_limit_s: 1.0,
        auth_tokens: None,
        body_limit: 16_384,
        max_places: 5_000,
        max_matrix_points: 2_000,
        max_vroom_places: 1_000,
        max_coverage_pairs: 25_000_000,
        request_timeout_s: 5,
        json_depth: 16,
        cors_origins: Vec::new(),
        log_format: LogFormat::Text,
        tile_url: None,
        public_url: None,
        frame_ancestors: Vec::new(),
        public_rate_limit: 120,
        geocoder_url: None,
        geocoder_timeout_s: 5.0,
        max_geocode_batch: 1_000,
        max_attendance_records: 10_000,
        demo_dir: None,
    };
    let store = Store::open(&config.database_url).await.expect("database");
    let territories = OnceLock::new();
    let _ = territories.set(Territories {
        list: Vec::new(),
        cache: CachePolicy::Disabled,
    });
    AppState {
        config: Arc::new(config),
        store,
        territories: Arc::new(territories),
        tokens: tokens.map(Arc::new),
        metrics: Arc::new(Metrics::new()),
        jobs: Arc::new(Jobs::new("test".into())),
        compute: Arc::new(Semaphore::new(1)),
        demo: Arc::new(OnceLock::new()),
        geocoder: None,
    }
}

async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request");
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("an answer");
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The integrator example: a problem that brings its own matrices.
fn integrator() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/integrator-matrices.json");
    std::fs::read_to_string(path).expect("the example")
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    let (status, body) = call(&state, "GET", "/nowhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = call(&state, "PATCH", "/v1/plans", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn syntax_errors_carry_line_and_column_and_bodies_have_limits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    let (status, body) = call(&state, "POST", "/v1/plans", Some("{\n  \"units\": [}\n")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (
            body["error"]["line"].as_u64(),
            body["error"]["column"].as_u64()
        ),
        (Some(2), Some(13))
    );
    let deep = format!("{}{}", "[".repeat(20), "]".repeat(20));
    let (status, _) = call(&state, "POST", "/v1/plans", Some(&deep)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let big = format!("\"{}\"", "x".repeat(20_000));
    let (status, body) = call(&state, "POST", "/v1/plans", Some(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "too_large");
}

#[tokio::test]
async fn both_vroom_paths_share_the_limits_and_error_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    for path in ["/vroom", "/optimization"] {
        let big = format!("\"{}\"", "x".repeat(20_000));
        let (status, body) = call(&state, "POST", path, Some(&big)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(
            (body["error"]["code"].as_str(), body["code"].as_u64()),
            (Some("too_large"), Some(2))
        );
        let (status, body) = call(&state, "POST", path, Some("{\"vehicles\": [}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            (body["error"]["column"].as_u64(), body["code"].as_u64()),
            (Some(15), Some(2))
        );
        let (status, body) = call(&state, "POST", path, Some("{\"vehicles\": 3}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(
            (body["error"]["field"].as_str(), body["code"].as_u64()),
            (Some("/vehicles"), Some(2))
        );
    }
}

#[tokio::test]
async fn matrices_of_the_wrong_size_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    let mut problem: Value = serde_json::from_str(&integrator()).expect("JSON");
    let kind = problem["territory"]["matrices"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .expect("a matrix");
    problem["territory"]["matrices"][&kind]["durations_s"] = json!([[0]]);
    let (status, body) = call(&state, "POST", "/v1/plans", Some(&problem.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["field"],
        format!("/territory/matrices/{kind}/durations_s")
    );
}

#[tokio::test]
async fn a_job_is_queued_listed_cancelled_and_deleted_and_the_queue_is_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    let problem = integrator();
    let (status, job) = call(&state, "POST", "/v1/plans", Some(&problem)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(job["status"], "queued");
    let id = job["id"].as_str().expect("id").to_owned();
    let (status, _) = call(&state, "POST", "/v1/plans", Some(&problem)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, body) = call(&state, "POST", "/v1/plans", Some(&problem)).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "queue limit 2: {body}"
    );
    let (_, list) = call(&state, "GET", "/v1/plans?limit=1", None).await;
    assert_eq!(list["jobs"].as_array().map(Vec::len), Some(1));
    assert!(
        list["next"]
            .as_str()
            .is_some_and(|n| n.contains("offset=1"))
    );
    let (status, body) = call(&state, "GET", &format!("/v1/plans/{id}/plan.geojson"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // Cancelling is idempotent and never deletes; only DELETE deletes.
    for _ in 0..2 {
        let (status, body) = call(&state, "POST", &format!("/v1/plans/{id}/cancel"), None).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (StatusCode::OK, Some("cancelled"))
        );
    }
    let (status, _) = call(&state, "DELETE", &format!("/v1/plans/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&state, "GET", &format!("/v1/plans/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&state, "POST", &format!("/v1/plans/{id}/cancel"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tokens_are_required_when_configured() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("tokens");
    std::fs::write(&file, "secret\n").expect("write");
    let state = state(&dir, Some(Tokens::read(&file).expect("tokens"))).await;
    let (status, body) = call(&state, "GET", "/v1/plans", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = call(&state, "GET", "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_and_the_demo_is_absent_with_extracts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = state(&dir, None).await;
    for (uri, media) in [
        ("/", "text/html"),
        ("/assets/js/main.js", "text/javascript"),
        ("/assets/leaflet-src.esm.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
    ] {
        let request = Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("request");
        let response = app(state.clone())
            .oneshot(request)
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let kind = response.headers()["content-type"].to_str().expect("ASCII");
        assert!(kind.starts_with(media), "{uri}: {kind}");
    }
    let (status, body) = call(&state, "GET", "/assets/nothing.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = call(&state, "GET", "/v1/demo", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, _) = call(&state, "GET", "/v1/territories/nowhere/roads", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
