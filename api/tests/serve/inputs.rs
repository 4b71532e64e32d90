//! Malformed and invalid requests: each answered with its status and a JSON error naming the
//! field at fault, never a crash.

use serde_json::{Value, json};

use crate::support::{
    Server, andorra, client, post, problem, running, slow_problem, submit, vroom_matrix, with,
};

/// What to send.
enum Body {
    Json(Value),
    Raw(String),
    Bytes(Vec<u8>),
    Empty,
}

/// One bad request and the answer it must get.
struct Case {
    what: &'static str,
    method: &'static str,
    path: String,
    body: Body,
    status: u16,
    /// The `error.field` expected (`None`: not checked, the request has no field at fault).
    field: Option<&'static str>,
}

fn case(
    what: &'static str,
    method: &'static str,
    path: &str,
    body: Body,
    status: u16,
    field: Option<&'static str>,
) -> Case {
    Case {
        what,
        method,
        path: path.to_owned(),
        body,
        status,
        field,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_input_gets_its_status_and_field() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1", "--body-limit", "65536"]);
    let p = problem(2, 8, 4, 3, 1.0);
    let stop3_mon = p["stops"][3]["opening_hours"]
        .as_object()
        .and_then(|o| o.keys().next().cloned())
        .expect("stop 3 opens some day");
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let huge = format!("\"{}\"", "x".repeat(70_000));
    let unknown_job = "/v1/plans/00000000-0000-4000-8000-000000000000";
    let mut cases = vec![
        case("truncated JSON", "POST", "/v1/plans", Body::Raw("{\"horizon\": ".into()), 400, Some("")),
        case("empty body", "POST", "/v1/plans", Body::Empty, 400, Some("")),
        case("trailing comma", "POST", "/v1/plans", Body::Raw("{\"name\": \"x\",}".into()), 400, Some("")),
        case("not UTF-8", "POST", "/v1/plans", Body::Bytes(b"{\"name\": \"\xff\xfe\"}".to_vec()), 400, Some("")),
        case("nested too deep", "POST", "/v1/plans", Body::Raw(deep), 400, Some("")),
        case("body over the limit", "POST", "/v1/plans", Body::Raw(huge), 413, None),
        case("an array, not an object", "POST", "/v1/plans", Body::Json(json!([])), 422, Some("")),
        case("units of the wrong type", "POST", "/v1/plans", Body::Json(with(p.clone(), "/units", json!("two"))), 422, Some("/units")),
        case("unknown unit kind", "POST", "/v1/plans", Body::Json(with(p.clone(), "/units/0/kind", json!("spaceship"))), 422, Some("/units/0/kind")),
        case("latitude as text", "POST", "/v1/plans", Body::Json(with(p.clone(), "/units/1/depot/lat", json!("north"))), 422, Some("/units/1/depot/lat")),
        case("time out of the day", "POST", "/v1/plans", Body::Json(with(p.clone(), &format!("/stops/3/opening_hours/{stop3_mon}/0/end"), json!("25:99"))), 422, None),
        case("date that does not exist", "POST", "/v1/plans", Body::Json(with(p.clone(), "/horizon/start", json!("2026-13-01"))), 422, Some("/horizon/start")),
        case("too many weeks", "POST", "/v1/plans", Body::Json(with(p.clone(), "/horizon/weeks", json!(9))), 422, Some("/horizon/weeks")),
        case("no unit", "POST", "/v1/plans", Body::Json(with(p.clone(), "/units", json!([]))), 422, None),
        case("negative time limit", "POST", "/v1/plans", Body::Json(with(p.clone(), "/solver/time_limit_s", json!(-1))), 422, Some("/solver/time_limit_s")),
        case("unknown territory", "POST", "/v1/plans", Body::Json(with(p.clone(), "/territory", json!({"extract": "atlantis"}))), 422, Some("/territory/extract")),
        case("matrices of the wrong size", "POST", "/v1/plans", Body::Json(with(p.clone(), "/territory", json!({"matrices": {"bus": {"durations_s": [[0]], "distances_m": [[0]]}, "car": {"durations_s": [[0]], "distances_m": [[0]]}}}))), 422, Some("/territory/matrices/bus/durations_s")),
        case("strict: a stop in the sea", "POST", "/v1/plans?strict=true", Body::Json(with(p.clone(), "/stops/2/location", json!({"lat": 0.0, "lon": 0.0}))), 422, Some("/stops/2/location")),
        case("strict: a depot and a home far from any road", "POST", "/v1/plans?strict=true", Body::Json(with(with(p.clone(), "/units/1/depot", json!({"lat": 42.0, "lon": 3.5})), "/home_visits/0/location", json!({"lat": 0.0, "lon": 0.0}))), 422, Some("/units/1/depot")),
        case("priority above 255", "POST", "/v1/plans", Body::Json(with(p.clone(), "/stops/0/priority", json!(300))), 422, Some("/stops/0/priority")),
        case("priority above 100", "POST", "/v1/plans", Body::Json(with(p.clone(), "/stops/0/priority", json!(200))), 422, Some("/stops/0/priority")),
        case("no visit at all", "POST", "/v1/plans", Body::Json(with(p.clone(), "/stops/0/frequency/visits", json!(0))), 422, Some("/stops/0/frequency/visits")),
        case("malformed job id", "GET", "/v1/plans/not-a-uuid", Body::Empty, 404, None),
        case("unknown job", "GET", unknown_job, Body::Empty, 404, None),
        case("delete an unknown job", "DELETE", unknown_job, Body::Empty, 404, None),
        case("cancel an unknown job", "POST", &format!("{unknown_job}/cancel"), Body::Empty, 404, None),
        case("page size 0", "GET", "/v1/plans?limit=0", Body::Empty, 422, Some("/limit")),
        case("negative offset", "GET", "/v1/plans?offset=-5", Body::Empty, 422, Some("/offset")),
        case("page size not a number", "GET", "/v1/plans?limit=many", Body::Empty, 400, None),
        case("unknown status filter", "GET", "/v1/plans?status=sleeping", Body::Empty, 400, None),
        case("export of an unknown job", "GET", &format!("{unknown_job}/plan.geojson"), Body::Empty, 404, None),
        case("calendar without .ics", "GET", &format!("{unknown_job}/calendar/bus-1"), Body::Empty, 404, None),
        case("CSV separator unknown", "GET", &format!("{unknown_job}/timetable.csv?separator=pipe"), Body::Empty, 400, None),
        case("matrix: unknown profile", "POST", "/v1/matrix", Body::Json(json!({"territory": "andorra-2021", "profile": "rocket", "points": [{"lat": 42.5, "lon": 1.52}]})), 422, Some("/profile")),
        case("matrix: no point", "POST", "/v1/matrix", Body::Json(json!({"territory": "andorra-2021", "profile": "car", "points": []})), 422, Some("/points")),
        case("matrix: latitude 95", "POST", "/v1/matrix", Body::Json(json!({"territory": "andorra-2021", "profile": "car", "points": [{"lat": 42.5, "lon": 1.52}, {"lat": 95.0, "lon": 1.5}]})), 422, Some("/points/1")),
        case("matrix: far from any road", "POST", "/v1/matrix", Body::Json(json!({"territory": "andorra-2021", "profile": "car", "points": [{"lat": 0.0, "lon": 0.0}]})), 422, Some("/points/0")),
        case("matrix: unknown territory", "POST", "/v1/matrix", Body::Json(json!({"territory": "atlantis", "profile": "car", "points": [{"lat": 42.5, "lon": 1.52}]})), 422, Some("/territory")),
        case("matrix: unknown field", "POST", "/v1/matrix", Body::Json(json!({"territory": "andorra-2021", "profile": "car", "points": [], "speed": 3})), 422, Some("/speed")),
        case("POIs of an unknown territory", "GET", "/v1/territories/atlantis/pois", Body::Empty, 404, None),
        case("POIs of an unknown kind", "GET", "/v1/territories/andorra-2021/pois?kind=castle", Body::Empty, 422, Some("/kind")),
        case("check: invalid problem", "POST", "/v1/check", Body::Json(json!({"problem": with(p.clone(), "/horizon/weeks", json!(0)), "plan": {}})), 422, None),
        case("check: no plan", "POST", "/v1/check", Body::Json(json!({"problem": p.clone()})), 422, Some("")),
        case("vroom: shipments", "POST", "/vroom", Body::Json(with(vroom_matrix(), "/jobs", json!([])).as_object().map(|o| { let mut o = o.clone(); o.insert("shipments".into(), json!([{"pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 2, "location_index": 2}}])); Value::Object(o) }).unwrap_or_default()), 422, Some("/shipments")),
        case("vroom: no vehicle", "POST", "/vroom", Body::Json(with(vroom_matrix(), "/vehicles", json!([]))), 422, Some("/vehicles")),
        case("vroom: index beyond the matrix", "POST", "/vroom", Body::Json(with(vroom_matrix(), "/jobs/1/location_index", json!(7))), 422, Some("/jobs/1/location_index")),
        case("vroom: priority 101", "POST", "/vroom", Body::Json(with(vroom_matrix(), "/jobs/0/priority", json!(101))), 422, Some("/jobs/0/priority")),
        case("vroom: inconsistent amounts", "POST", "/vroom", Body::Json(with(with(vroom_matrix(), "/vehicles/0/capacity", json!([4])), "/jobs/0/delivery", json!([1, 2]))), 422, None),
        case("vroom: window ends before it starts", "POST", "/vroom", Body::Json(with(vroom_matrix(), "/vehicles/0/time_window", json!([100, 50]))), 422, Some("/vehicles/0/time_window")),
        case("vroom: unknown coordinates profile", "POST", "/vroom", Body::Json(json!({"vehicles": [{"id": 1, "profile": "rocket", "start": [1.52, 42.5]}], "jobs": [{"id": 1, "location": [1.53, 42.51]}]})), 422, Some("/vehicles/0/profile")),
        case("no such route", "GET", "/v2/everything", Body::Empty, 404, None),
        case("wrong method", "PUT", "/v1/plans", Body::Empty, 405, None),
    ];
    // A job that is not finished cannot be exported.
    let slow = submit(&server, None, &slow_problem(60.0)).await;
    running(&server, &slow).await;
    cases.push(case(
        "export before the end",
        "GET",
        &format!("/v1/plans/{slow}/timetable.csv"),
        Body::Empty,
        409,
        None,
    ));
    assert!(cases.len() >= 30);

    let mut failures = Vec::new();
    for c in &cases {
        let url = format!("{}{}", server.url, c.path);
        let method = reqwest::Method::from_bytes(c.method.as_bytes()).expect("method");
        let request = client().request(method, &url);
        let request = match &c.body {
            Body::Json(v) => request.json(v),
            Body::Raw(text) => request
                .header("content-type", "application/json")
                .body(text.clone()),
            Body::Bytes(bytes) => request
                .header("content-type", "application/json")
                .body(bytes.clone()),
            Body::Empty => request,
        };
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let field = body["error"]["field"].as_str();
        let ok = status == c.status
            && content_type.starts_with("application/json")
            && body["error"]["code"].is_string()
            && body["error"]["message"].is_string()
            && c.field.is_none_or(|f| field == Some(f));
        if !ok {
            failures.push(format!("{}: got {status} {body}", c.what));
        }
        if c.path == "/vroom" && body["code"] != 2 {
            failures.push(format!(
                "{}: VROOM's input error code 2 missing: {body}",
                c.what
            ));
        }
        if c.status == 400 && c.field == Some("") && !body["error"]["line"].is_number() {
            failures.push(format!("{}: no line and column: {body}", c.what));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Every violation is listed, not only the first.
    let mut two = with(p.clone(), "/horizon/weeks", json!(9));
    two["solver"]["time_limit_s"] = json!(-1);
    assert_eq!(
        violations(&server, &two).await,
        ["/horizon/weeks", "/solver/time_limit_s"]
    );
    // The server is still healthy.
    assert_eq!(
        client()
            .get(format!("{}/readyz", server.url))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );
}

/// The fields of every violation a problem's submission is refused for.
async fn violations(server: &Server, problem: &Value) -> Vec<String> {
    let (_, body) = post(server, "/v1/plans", problem).await;
    body["error"]["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("violations: {body}"))
        .iter()
        .filter_map(|v| v["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_answers_429_with_retry_after() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1", "--queue-limit", "2"]);
    let slow = slow_problem(60.0);
    let first = submit(&server, None, &slow).await;
    running(&server, &first).await;
    let queued = [
        submit(&server, None, &slow).await,
        submit(&server, None, &slow).await,
    ];
    let response = client()
        .post(format!("{}/v1/plans", server.url))
        .json(&slow)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry >= 1);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "queue_full");
    for id in queued.iter().chain([&first]) {
        let r = client()
            .delete(format!("{}/v1/plans/{id}", server.url))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 204);
    }
}
