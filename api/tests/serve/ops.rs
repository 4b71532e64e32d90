//! Operations and documentation: health, readiness, metrics, OpenAPI, the offline API page,
//! CORS off by default, territories and points of interest.

use serde_json::Value;

use crate::support::{Server, andorra, client};

#[tokio::test(flavor = "multi_thread")]
async fn operations_docs_and_helpers() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    let get = |path: &str| client().get(format!("{}{path}", server.url)).send();

    assert_eq!(get("/healthz").await.expect("sent").status(), 200);
    let ready: Value = get("/readyz")
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(ready["territories"], true);
    assert_eq!(ready["database"], true);

    let metrics = get("/metrics")
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    for name in [
        "tournee_jobs",
        "tournee_queue_length",
        "tournee_solve_duration_seconds",
        "tournee_http_request_duration_seconds",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }
    assert!(
        metrics.contains("route=\"/readyz\""),
        "latency by route pattern"
    );

    let api: Value = get("/openapi.json")
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(
        api["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        api["openapi"]
    );
    for path in [
        "/v1/plans",
        "/v1/plans/{id}",
        "/v1/plans/{id}/events",
        "/v1/plans/{id}/public.ics",
        "/v1/plans/{id}/publish",
        "/v1/publications",
        "/v1/coverage",
        "/v1/coverage/{id}",
        "/v1/coverage/{id}/map.geojson",
        "/v1/matrix",
        "/v1/check",
        "/vroom",
        "/metrics",
    ] {
        assert!(
            api["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(api["components"]["schemas"]["JobView"].is_object());

    let page = get("/docs")
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert!(page.contains("/v1/plans") && page.contains("JobView"));
    for external in ["src=\"http", "href=\"http", "<script", "@import", "url("] {
        assert!(
            !page.contains(external),
            "the API page must work offline: found {external}"
        );
    }

    // CORS is off: a preflight gets no allow-origin header.
    let preflight = client()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/plans", server.url))
        .header("origin", "https://example.org")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("sent");
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let territories: Value = get("/v1/territories")
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let andorra = &territories[0];
    assert_eq!(andorra["id"], "andorra-2021");
    let bbox: Vec<f64> = serde_json::from_value(andorra["bbox"].clone()).expect("a bbox");
    assert!(
        bbox[0] > 1.3 && bbox[2] < 1.8 && bbox[1] > 42.3 && bbox[3] < 42.7,
        "{bbox:?}"
    );

    let pois: Value = get("/v1/territories/andorra-2021/pois?kind=library,townhall")
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let features = pois["features"].as_array().expect("features");
    assert!(!features.is_empty());
    assert!(features.iter().all(|f| {
        ["library", "townhall"].contains(&f["properties"]["kind"].as_str().unwrap_or(""))
    }));

    let matrix: Value = client()
        .post(format!("{}/v1/matrix", server.url))
        .json(&serde_json::json!({"territory": "andorra-2021", "profile": "bus", "points": [
            {"id": "a", "lat": 42.5078, "lon": 1.5211}, {"id": "b", "lat": 42.4636, "lon": 1.4917}]}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(matrix["ids"], serde_json::json!(["a", "b"]));
    assert_eq!(matrix["durations_s"][0][0], 0);
    assert!(matrix["durations_s"][0][1].as_u64().expect("seconds") > 60);
    assert!(matrix["distances_m"][1][0].as_u64().expect("metres") > 3_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_when_configured_and_settings_from_a_toml_file() {
    if andorra().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("tournee.toml");
    std::fs::write(
        &file,
        "cors_origin = [\"https://agenda.example.org\"]\nqueue_limit = 7\n",
    )
    .expect("write");
    let server = Server::start(None, &["--config", &file.display().to_string()]);
    let response = client()
        .get(format!("{}/healthz", server.url))
        .header("origin", "https://agenda.example.org")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://agenda.example.org"
    );
}
