//! Size limits: a service started with low limits refuses each route's request over its limit
//! with `413`, the count, the limit and the field, before building anything, and serves one
//! under it.

use serde_json::{Value, json};

use crate::support::{Server, andorra, get, post, problem, vroom_matrix, with};

/// Asserts a `413` naming `field`, `count` and `limit`.
fn over(
    what: &str,
    status: reqwest::StatusCode,
    body: &Value,
    field: &str,
    count: u64,
    limit: u64,
) {
    assert_eq!(status, 413, "{what}: {body}");
    let error = &body["error"];
    assert_eq!(error["code"], "too_large", "{what}: {body}");
    assert_eq!(error["field"], field, "{what}: {body}");
    assert_eq!(error["count"], count, "{what}: {body}");
    assert_eq!(error["limit"], limit, "{what}: {body}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&count.to_string()) && message.contains(&limit.to_string()),
        "{what}: {body}"
    );
}

/// `problem` with its first home visit copied until it has `n` of them.
fn with_home_visits(problem: &Value, n: usize) -> Value {
    let first = problem["home_visits"][0].clone();
    let visits: Vec<Value> = (0..n)
        .map(|i| with(first.clone(), "/id", json!(format!("hv-extra-{i}"))))
        .collect();
    with(problem.clone(), "/home_visits", Value::Array(visits))
}

fn places(problem: &Value) -> u64 {
    ["/units", "/stops", "/home_visits"]
        .iter()
        .map(|list| {
            problem
                .pointer(list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len) as u64
        })
        .sum()
}

fn demand(n: usize) -> Value {
    (0..n)
        .map(|i| json!({"id": format!("d{i}"), "lat": 42.5, "lon": 1.52, "weight": 10}))
        .collect()
}

fn candidates(n: usize) -> Value {
    (0..n)
        .map(|i| json!({"id": format!("c{i}"), "lat": 42.51, "lon": 1.53}))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_route_refuses_a_request_over_its_limit_and_serves_one_under_it() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(
        None,
        &[
            "--workers",
            "1",
            "--max-places",
            "20",
            "--max-matrix-points",
            "3",
            "--max-vroom-places",
            "3",
            "--max-coverage-pairs",
            "100",
        ],
    );

    // Plans: depots + stops + home visits, refused before the check of places on the roads
    // (a stop in the sea does not change the answer) and before the vehicle numbers.
    let base = problem(2, 8, 4, 3, 1.0);
    let under = with_home_visits(&base, 20 - 2 - 8);
    assert_eq!(places(&under), 20);
    let too_many = with_home_visits(&base, 11);
    let (status, body) = post(&server, "/v1/plans", &too_many).await;
    over("plan", status, &body, "/home_visits", 21, 20);
    let at_sea = with(
        with(
            too_many.clone(),
            "/stops/2/location",
            json!({"lat": 0.0, "lon": 0.0}),
        ),
        "/units/0/vehicle/width_m",
        json!(1e30),
    );
    let (status, body) = post(&server, "/v1/plans", &at_sea).await;
    over("plan at sea", status, &body, "/home_visits", 21, 20);
    let (status, job) = post(&server, "/v1/plans?wait=60", &under).await;
    assert_eq!(status, 200, "a problem at the limit is planned: {job}");
    assert_eq!(job["status"], "done", "{job}");

    // /v1/check holds a problem too: its pointer is under /problem.
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"problem": too_many, "plan": job["plan"]}),
    )
    .await;
    over("check", status, &body, "/problem/home_visits", 21, 20);
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"problem": under, "plan": job["plan"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Matrices: points.
    let point = |lat: f64| json!({"lat": lat, "lon": 1.5215});
    let mut request = json!({
        "territory": "andorra-2021",
        "profile": "car",
        "points": [point(42.5069), point(42.5080), point(42.5095)],
    });
    let (status, body) = post(&server, "/v1/matrix", &request).await;
    assert_eq!(status, 200, "{body}");
    request["points"]
        .as_array_mut()
        .expect("points")
        .push(point(42.5101));
    let (status, body) = post(&server, "/v1/matrix", &request).await;
    over("matrix", status, &body, "/points", 4, 3);

    // VROOM: jobs + vehicles, with VROOM's input error code.
    let (status, body) = post(&server, "/vroom", &vroom_matrix()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"], 0, "{body}");
    let mut three_jobs = vroom_matrix();
    three_jobs["jobs"]
        .as_array_mut()
        .expect("jobs")
        .push(json!({"id": 3, "location_index": 2}));
    let (status, body) = post(&server, "/vroom", &three_jobs).await;
    over("vroom", status, &body, "/jobs", 4, 3);
    assert_eq!(body["code"], 2, "{body}");

    // Coverage: demand points × candidate sites, from the request or the territory.
    let request = |extra: Value| {
        let mut base = json!({"territory": "andorra-2021", "minutes": 10, "mode": "car"});
        if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        base
    };
    let (_, sites) = get(&server, "/v1/territories/andorra-2021/pois").await;
    let features = sites["features"].as_array().expect("features");
    let inhabited = features
        .iter()
        .filter(|f| {
            ["city", "town", "village", "hamlet"]
                .contains(&f["properties"]["kind"].as_str().unwrap_or_default())
        })
        .count() as u64;
    let territory_pairs = inhabited * (features.len() as u64 - inhabited);
    assert!(territory_pairs > 100, "Andorra has {territory_pairs} pairs");
    let (status, body) = post(&server, "/v1/coverage", &request(json!({}))).await;
    over(
        "coverage",
        status,
        &body,
        "/territory",
        territory_pairs,
        100,
    );
    let own = json!({"osm_candidates": false});
    let (status, body) = post(
        &server,
        "/v1/coverage",
        &request(with(
            with(own.clone(), "/demand", demand(51)),
            "/candidates",
            candidates(2),
        )),
    )
    .await;
    over("coverage demand", status, &body, "/demand", 102, 100);
    let (status, body) = post(
        &server,
        "/v1/coverage",
        &request(with(
            with(own.clone(), "/demand", demand(2)),
            "/candidates",
            candidates(51),
        )),
    )
    .await;
    over(
        "coverage candidates",
        status,
        &body,
        "/candidates",
        102,
        100,
    );
    let (status, body) = post(
        &server,
        "/v1/coverage",
        &request(with(
            with(own, "/demand", demand(10)),
            "/candidates",
            candidates(10),
        )),
    )
    .await;
    assert_eq!(status, 202, "100 pairs are within the limit: {body}");

    // The OpenAPI document names each limit and the error's count and limit.
    let (_, api) = get(&server, "/openapi.json").await;
    for (path, setting) in [
        ("/v1/plans", "max_places"),
        ("/v1/check", "max_places"),
        ("/v1/matrix", "max_matrix_points"),
        ("/vroom", "max_vroom_places"),
        ("/v1/coverage", "max_coverage_pairs"),
    ] {
        let said = api["paths"][path]["post"]["responses"]["413"]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(said.contains(setting), "{path}: {said:?}");
    }
    let detail = &api["components"]["schemas"]["ErrorDetail"]["properties"];
    assert!(
        detail["count"].is_object() && detail["limit"].is_object(),
        "{detail}"
    );
}
