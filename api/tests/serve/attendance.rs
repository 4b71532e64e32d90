//! Attendance from the field back into the plan (issue 19), on the built-in demo territory
//! (central Helsinki): records checked against the plan in force and kept per token, read
//! back as JSON and CSV, summarised with the advice, and turned into a proposed re-plan.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::support::{Server, client, postgres_database};

const ALPHA: &str = "alpha-secret";
const BETA: &str = "beta-secret";
/// The empty stop: a market hall 240 m from the town hall.
const EMPTY: &str = "vanha-kauppahalli";
/// The stop people come to on Thursdays.
const THURSDAY: &str = "metsatalo";

/// A demo server whose clients are [`ALPHA`] and [`BETA`], on its own SQLite file or on
/// `database`.
fn server(database: Option<&str>) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, format!("{ALPHA}\n{BETA}\n")).expect("tokens");
    let tokens = tokens.display().to_string();
    let mut args = vec!["--auth-tokens", &tokens, "--max-attendance-records", "200"];
    if let Some(url) = database {
        args.extend(["--database", url]);
    }
    (Server::start_demo_with(&args), dir)
}

async fn call(
    server: &Server,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = client()
        .request(method, format!("{}{path}", server.url))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post(server: &Server, token: &str, path: &str, body: &Value) -> (u16, Value) {
    call(server, token, reqwest::Method::POST, path, Some(body)).await
}

async fn get(server: &Server, token: &str, path: &str) -> (u16, Value) {
    call(server, token, reqwest::Method::GET, path, None).await
}

/// The demo week over two weeks, the Thursday stop (its time flexible) pinned on a Monday in
/// week 1 and on a Thursday in week 2, planned for `token`; its id and plan.
async fn plan_in_force(server: &Server, token: &str) -> (String, Value) {
    let mut problem: Value =
        serde_json::from_str(include_str!("../../demo/week.json")).expect("demo week");
    problem["horizon"]["start"] = json!("2027-01-04");
    problem["horizon"]["weeks"] = json!(2);
    problem["territory"] = json!({"extract": "helsinki"});
    problem["solver"] = json!({"time_limit_s": 5, "seed": 1});
    for stop in problem["stops"].as_array_mut().expect("stops") {
        if stop["id"] == THURSDAY {
            stop["flexible_time"] = json!(true);
        }
    }
    let pins = problem["commitments"]["pinned"]
        .as_array_mut()
        .expect("pins");
    for (weekday, week) in [("mon", 1), ("thu", 2)] {
        pins.push(
            json!({"stop": THURSDAY, "unit": "triporteur", "weekday": weekday,
                         "start": "14:00", "weeks": [week]}),
        );
    }
    let (status, job) = post(server, token, "/v1/plans?wait=60", &problem).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["status"], "done", "{job}");
    (
        job["id"].as_str().expect("id").to_owned(),
        job["plan"].clone(),
    )
}

/// Every stop visit of a plan: stop, date, weekday.
fn visits(plan: &Value) -> Vec<(String, NaiveDate, String)> {
    let mut out = Vec::new();
    for route in plan["routes"].as_array().expect("routes") {
        let date: NaiveDate = route["date"].as_str().expect("date").parse().expect("date");
        for step in route["steps"].as_array().expect("steps") {
            if step["kind"] == "stop" {
                out.push((
                    step["id"].as_str().expect("id").to_owned(),
                    date,
                    route["weekday"].as_str().expect("weekday").to_owned(),
                ));
            }
        }
    }
    out
}

/// Six cycles of attendance before the plan's start: the empty stop 1 person a visit, the
/// Thursday stop 15 on Thursdays and 3 on Mondays, the others 8 to 10.
fn season(plan: &Value) -> Vec<Value> {
    let mut records = Vec::new();
    for cycle in 1..=6 {
        for (stop, date, weekday) in visits(plan) {
            let visitors = match (stop.as_str(), weekday.as_str()) {
                (EMPTY, _) => 1,
                (THURSDAY, "thu") => 15,
                (THURSDAY, _) => 3,
                _ => 8 + cycle % 3,
            };
            let day = date - Duration::days(14 * cycle);
            records.push(
                json!({"stop": stop, "date": day.to_string(), "visitors": visitors,
                                "topic": "numerique"}),
            );
        }
    }
    records
}

/// One demand point of 100 people where the empty stop stands.
fn at_the_empty_stop() -> Value {
    json!([{"id": "quay", "lat": 60.1661445, "lon": 24.9527918, "weight": 100}])
}

async fn proposal(server: &Server, plan: &str, minutes: f64) -> Value {
    let (status, answer) = post(
        server,
        ALPHA,
        &format!("/v1/plans/{plan}/proposal?wait=60"),
        &json!({"minutes": minutes, "mode": "foot", "demand": at_the_empty_stop()}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["job"]["status"], "done", "{answer}");
    answer
}

fn changed(answer: &Value) -> BTreeSet<(String, String)> {
    answer["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["stop"].as_str().expect("stop").to_owned(),
                c["change"].as_str().expect("change").to_owned(),
            )
        })
        .collect()
}

/// The proposed plan passes the independent checker.
async fn checked(server: &Server, answer: &Value) {
    let job = answer["job"]["id"].as_str().expect("job id");
    let (_, problem) = get(server, ALPHA, &format!("/v1/plans/{job}/problem.json")).await;
    let (status, verdict) = post(
        server,
        ALPHA,
        "/v1/check",
        &json!({"problem": problem, "plan": answer["job"]["plan"]}),
    )
    .await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_season_of_attendance_proposes_fewer_empty_stops_and_thursdays() {
    let (server, _dir) = server(None);
    let (plan, in_force) = plan_in_force(&server, ALPHA).await;
    let served: BTreeSet<String> = visits(&in_force).into_iter().map(|v| v.0).collect();
    assert!(
        served.contains(EMPTY) && served.contains(THURSDAY),
        "{in_force}"
    );
    let records = season(&in_force);
    let (status, recorded) = post(
        &server,
        ALPHA,
        "/v1/attendance",
        &json!({"plan": plan, "records": records}),
    )
    .await;
    assert_eq!(status, 200, "{recorded}");
    assert_eq!(recorded["recorded"], records.len());
    assert_eq!(recorded["replaced"], 0);

    // The summary: the empty stop advised to drop, the Thursday stop favouring Thursdays.
    let (status, summary) = get(
        &server,
        ALPHA,
        &format!("/v1/attendance/summary?plan={plan}"),
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    let stop = |id: &str| {
        summary["stops"]
            .as_array()
            .expect("stops")
            .iter()
            .find(|s| s["stop"] == id)
            .cloned()
            .expect("summarised")
    };
    let empty = stop(EMPTY);
    assert_eq!(empty["advice"], "drop");
    assert_eq!(empty["visits"], 12);
    assert!(
        empty["reason"]
            .as_str()
            .expect("reason")
            .contains("personnes par passage contre"),
        "{empty}"
    );
    assert_eq!(empty["weeks"].as_array().expect("weeks").len(), 12);
    assert_eq!(stop(THURSDAY)["favoured_weekday"], "thu");
    assert_eq!(stop(THURSDAY)["advice"], "keep");

    // Within 10 minutes on foot the town hall, 240 m away, serves the empty stop's people:
    // it is dropped, and the Thursday stop goes to Thursdays; nothing else changes.
    let answer = proposal(&server, &plan, 10.0).await;
    assert_eq!(
        changed(&answer),
        BTreeSet::from([
            (EMPTY.to_owned(), "dropped".to_owned()),
            (THURSDAY.to_owned(), "preferred_weekday".to_owned()),
        ]),
        "{answer}"
    );
    let proposed = visits(&answer["job"]["plan"]);
    assert!(proposed.iter().all(|v| v.0 != EMPTY), "{proposed:?}");
    let thursdays: Vec<&str> = proposed
        .iter()
        .filter(|v| v.0 == THURSDAY)
        .map(|v| v.2.as_str())
        .collect();
    assert_eq!(thursdays, ["thu", "thu"], "{proposed:?}");
    assert!(
        answer["after"]["expected_visitors_per_week"].as_f64()
            > answer["before"]["expected_visitors_per_week"].as_f64(),
        "{answer}"
    );
    assert_eq!(answer["after"]["coverage_share"], 1.0);
    checked(&server, &answer).await;

    // Within 2 minutes only the empty stop serves them: it is kept, with a warning.
    let answer = proposal(&server, &plan, 2.0).await;
    assert_eq!(
        changed(&answer),
        BTreeSet::from([(THURSDAY.to_owned(), "preferred_weekday".to_owned())]),
        "{answer}"
    );
    let warnings = answer["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{answer}");
    assert_eq!(warnings[0]["stop"], EMPTY);
    assert_eq!(warnings[0]["code"], "kept_for_coverage");
    assert!(
        visits(&answer["job"]["plan"]).iter().any(|v| v.0 == EMPTY),
        "{answer}"
    );
    checked(&server, &answer).await;

    // Nothing changed in force: the plan is as it was.
    let (_, job) = get(&server, ALPHA, &format!("/v1/plans/{plan}")).await;
    assert_eq!(job["plan"], in_force);
}

#[tokio::test(flavor = "multi_thread")]
async fn records_are_checked_replaced_kept_per_token_and_round_trip_as_csv() {
    let (server, _dir) = server(None);
    records_round_trip(&server).await;
}

/// The same on PostgreSQL: its migration and its replacing upsert.
#[tokio::test(flavor = "multi_thread")]
async fn records_are_kept_the_same_way_on_postgresql() {
    let Some(url) = postgres_database("attendance").await else {
        return;
    };
    let (server, _dir) = server(Some(&url));
    records_round_trip(&server).await;
}

/// Refusals, replacement, isolation between tokens, the size limit and the CSV round trip.
async fn records_round_trip(server: &Server) {
    let (plan, in_force) = plan_in_force(server, ALPHA).await;
    let (stop, date, weekday) = visits(&in_force)
        .into_iter()
        .find(|v| v.0 == THURSDAY)
        .expect("a visit");

    // A day the plan does not visit the stop: refused with the reason.
    let wrong = date + Duration::days(1);
    let (status, refusal) = post(
        server,
        ALPHA,
        "/v1/attendance",
        &json!({"plan": plan, "records": [
            {"stop": stop, "date": date.to_string(), "visitors": 4},
            {"stop": stop, "date": wrong.to_string(), "visitors": 4}]}),
    )
    .await;
    assert_eq!(status, 422, "{refusal}");
    let violations = refusal["error"]["violations"].as_array().expect("list");
    assert_eq!(violations.len(), 1, "{refusal}");
    assert_eq!(violations[0]["field"], "/records/1");
    let message = violations[0]["message"].as_str().expect("message");
    assert!(
        message.contains("does not visit") && message.contains(&weekday),
        "{message}"
    );
    // A topic off the list, named by its pointer.
    let (status, refusal) = post(
        server,
        ALPHA,
        "/v1/attendance",
        &json!({"plan": plan, "records": [
            {"stop": stop, "date": date.to_string(), "visitors": 4, "topic": "velo"}]}),
    )
    .await;
    assert_eq!(status, 422, "{refusal}");
    assert_eq!(refusal["error"]["field"], "/records/0/topic");
    // Nothing was stored by the refused batches.
    let (_, stored) = get(server, ALPHA, &format!("/v1/attendance?plan={plan}")).await;
    assert_eq!(stored, json!([]));

    // One record, then the same visit again: replaced, and said so.
    let one = json!({"plan": plan, "stop": stop, "date": date.to_string(), "visitors": 4});
    let (status, first) = post(server, ALPHA, "/v1/attendance", &one).await;
    assert_eq!(
        (status, &first["outcomes"]),
        (200, &json!(["created"])),
        "{first}"
    );
    let again = json!({"plan": plan, "stop": stop, "date": date.to_string(), "visitors": 7,
                       "topic": "sante"});
    let (status, second) = post(server, ALPHA, "/v1/attendance", &again).await;
    assert_eq!(
        (status, &second["outcomes"]),
        (200, &json!(["replaced"])),
        "{second}"
    );
    let (_, stored) = get(server, ALPHA, &format!("/v1/attendance?plan={plan}")).await;
    assert_eq!(stored.as_array().expect("list").len(), 1);
    assert_eq!(stored[0]["visitors"], 7);
    assert_eq!(stored[0]["topic"], "sante");
    assert_eq!(stored[0]["unit"], "triporteur");

    // Another token sees neither the plan nor the records.
    let (status, _) = get(server, BETA, "/v1/attendance?territory=helsinki").await;
    assert_eq!(status, 200);
    assert_eq!(
        get(server, BETA, "/v1/attendance?territory=helsinki")
            .await
            .1,
        json!([])
    );
    let (status, _) = post(server, BETA, "/v1/attendance", &one).await;
    assert_eq!(status, 404);

    // CSV round trip: the season exported as CSV, imported into the same token's plan again,
    // every visit replaced by itself, the records unchanged.
    let records = season(&in_force);
    let (status, _) = post(
        server,
        ALPHA,
        "/v1/attendance",
        &json!({"plan": plan, "records": records}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, before) = get(server, ALPHA, "/v1/attendance?territory=helsinki").await;
    let csv = client()
        .get(format!("{}/v1/attendance?territory=helsinki", server.url))
        .header("accept", "text/csv")
        .bearer_auth(ALPHA)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("CSV");
    assert!(csv.starts_with("stop;date;visitors;topic\n"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        before.as_array().expect("list").len() + 1
    );
    let response = client()
        .post(format!("{}/v1/attendance?plan={plan}", server.url))
        .header("content-type", "text/csv")
        .bearer_auth(ALPHA)
        .body(csv.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let imported: Value = response.json().await.expect("JSON");
    assert_eq!(imported["replaced"], imported["recorded"]);
    let (_, after) = get(server, ALPHA, "/v1/attendance?territory=helsinki").await;
    assert_eq!(after, before);

    // Over the service's limit: 413 naming the records, the count and the limit, as the
    // OpenAPI document says.
    let many: Vec<Value> = (0..201)
        .map(|_| json!({"stop": stop, "date": date.to_string(), "visitors": 1}))
        .collect();
    let (status, refusal) = post(
        server,
        ALPHA,
        "/v1/attendance",
        &json!({"plan": plan, "records": many}),
    )
    .await;
    assert_eq!(status, 413, "{refusal}");
    assert_eq!(
        (
            &refusal["error"]["field"],
            &refusal["error"]["count"],
            &refusal["error"]["limit"]
        ),
        (&json!("/records"), &json!(201), &json!(200))
    );
    let (_, api) = get(server, ALPHA, "/openapi.json").await;
    let said = api["paths"]["/v1/attendance"]["post"]["responses"]["413"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains("max_attendance_records"), "{said}");
    for path in ["/v1/attendance/summary", "/v1/plans/{id}/proposal"] {
        assert!(
            api["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }

    // A faulty CSV: every cell at fault with its line and column.
    let response = client()
        .post(format!("{}/v1/attendance?plan={plan}", server.url))
        .header("content-type", "text/csv")
        .bearer_auth(ALPHA)
        .body(format!(
            "{stop};{date};4\n{stop};{};lots;velo\n",
            date.with_day(1).expect("day")
        ))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    let refusal: Value = response.json().await.expect("JSON");
    let fields: Vec<&str> = refusal["error"]["violations"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v["field"].as_str().expect("field"))
        .collect();
    assert_eq!(
        fields,
        ["/records/1/visitors", "/records/1/topic"],
        "{refusal}"
    );
    assert!(
        refusal["error"]["violations"][0]["message"]
            .as_str()
            .expect("message")
            .starts_with("line 2, column 3:"),
        "{refusal}"
    );
}
