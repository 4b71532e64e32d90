//! Coverage jobs on Andorra: queued behind a plan like a plan, cancelled while queued, solved
//! to an optimal answer no worse than the greedy one, its weekly problem accepted by
//! `/v1/plans` as it is, its map and problem served as downloads, kept across a restart, and
//! never answering on the plan routes; bad requests name every field at fault. (That covered
//! places really are within N minutes is tested on the library.)

use serde_json::{Value, json};

use crate::support::{Server, andorra, client, delete, get, post, running, slow_problem, submit};

/// Polls `GET /v1/coverage/{id}?wait=` until the job is finished.
async fn finished(server: &Server, id: &str) -> Value {
    for _ in 0..12 {
        let (status, job) = get(server, &format!("/v1/coverage/{id}?wait=20")).await;
        assert_eq!(status, 200, "{job}");
        if ["done", "failed", "cancelled"].contains(&job["status"].as_str().unwrap_or_default()) {
            return job;
        }
    }
    panic!("coverage job {id} did not finish within 4 minutes");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coverage_request_is_a_job_like_a_plan() {
    if andorra().is_none() {
        return;
    }
    let mut server = Server::start(None, &["--workers", "1"]);
    let keep = server.keep_data();
    let data = server.data.clone();
    let request = json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car" });

    // The only worker is busy with a plan: the coverage job waits in the queue, and is
    // cancelled there.
    let blocker = submit(&server, None, &slow_problem(5.0)).await;
    running(&server, &blocker).await;
    let (status, queued) = post(&server, "/v1/coverage", &request).await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["kind"], "coverage");
    assert_eq!(queued["status"], "queued");
    let id = queued["id"].as_str().expect("id").to_owned();
    assert_eq!(queued["url"], format!("/v1/coverage/{id}"));
    let (status, job) = post(&server, &format!("/v1/coverage/{id}/cancel"), &json!({})).await;
    assert_eq!(
        (status.as_u16(), job["status"].as_str()),
        (200, Some("cancelled")),
        "{job}"
    );
    let (_, job) = get(&server, &format!("/v1/coverage/{id}")).await;
    assert_eq!(job["status"], "cancelled", "{job}");

    // Another one runs once the plan is done.
    let (status, queued) = post(&server, "/v1/coverage", &request).await;
    assert_eq!(status, 202, "{queued}");
    let id = queued["id"].as_str().expect("id").to_owned();
    let job = finished(&server, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let first = &job["progress"]["coverage"];
    assert_eq!(
        first["sites"].as_array().map(Vec::len),
        first["stops"].as_u64().map(|n| n as usize),
        "the greedy answer and its sites were reported: {job}"
    );
    let answer = &job["coverage"];
    let report = &answer["report"];
    assert_eq!(report["extract"], "andorra-2021", "no server path is shown");
    assert_eq!(report["status"], "optimal");
    let stops = report["answer"]["stops"].as_u64().expect("stops");
    assert!(stops >= 1 && stops <= report["greedy"]["stops"].as_u64().expect("greedy"));
    let problem = &answer["problem"];
    assert_eq!(
        problem["stops"].as_array().expect("stops").len() as u64,
        stops
    );
    assert_eq!(problem["territory"]["extract"], "andorra-2021");
    assert!(
        !answer["geojson"]["features"]
            .as_array()
            .expect("features")
            .is_empty()
    );

    // The downloads are the answer's parts; the weekly problem is a valid plan submission.
    let (status, map) = get(&server, &format!("/v1/coverage/{id}/map.geojson")).await;
    assert_eq!(status, 200);
    assert_eq!(map, answer["geojson"]);
    let (status, downloaded) = get(&server, &format!("/v1/coverage/{id}/problem.json")).await;
    assert_eq!(status, 200);
    assert_eq!(&downloaded, problem);
    let (status, planned) = post(&server, "/v1/plans", problem).await;
    assert_eq!(status, 202, "{planned}");

    // Each kind answers on its own routes only.
    let (status, _) = get(&server, &format!("/v1/plans/{id}")).await;
    assert_eq!(status, 404, "a coverage job is not a plan");
    let (status, _) = get(&server, &format!("/v1/coverage/{blocker}")).await;
    assert_eq!(status, 404, "a plan is not a coverage job");
    let (_, list) = get(&server, "/v1/coverage?status=done").await;
    let listed: Vec<&str> = list["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .filter_map(|j| j["id"].as_str())
        .collect();
    assert_eq!(listed, [id.as_str()]);

    // Operators see coverage solves apart from plans.
    let metrics = client()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    let solved = |kind: &str| -> u64 {
        let prefix = format!("tournee_solve_duration_seconds_count{{kind=\"{kind}\"}} ");
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{prefix} missing:\n{metrics}"))
    };
    assert_eq!(solved("coverage"), 1, "the cancelled job never ran");
    assert!(solved("plan") >= 1);

    // A restart keeps the answer.
    server.kill();
    let server = Server::start(Some(&data), &["--workers", "1"]);
    let (status, again) = get(&server, &format!("/v1/coverage/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(again["status"], "done");
    assert_eq!(again["coverage"], *answer);
    assert_eq!(delete(&server, &format!("/v1/coverage/{id}")).await, 204);
    let (status, _) = get(&server, &format!("/v1/coverage/{id}")).await;
    assert_eq!(status, 404);
    drop(keep);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_coverage_requests_name_their_fields() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    let point =
        |weight: f64, lat: f64| json!({"id": "a", "lat": lat, "lon": 1.52, "weight": weight});
    for (bad, fields) in [
        // A missing member is named by the object that lacks it: here the request itself.
        (json!({ "minutes": 10, "mode": "car" }), vec![""]),
        (
            json!({ "territory": "nowhere", "minutes": 10, "mode": "car" }),
            vec!["/territory"],
        ),
        (
            json!({ "extract": "/etc/passwd", "minutes": 10, "mode": "car" }),
            vec!["/extract"],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": "ten", "mode": "car" }),
            vec!["/minutes"],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 10, "mode": "boat" }),
            vec!["/mode"],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car", "model": "max" }),
            vec![""],
        ),
        (
            json!({ "territory": "andorra-2021", "mode": "car" }),
            vec![""],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car",
                    "demand": [{"id": "a", "lat": 42.5, "lon": 1.52, "weight": "many"}] }),
            vec!["/demand/0/weight"],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 0, "mode": "car", "time_limit_s": -1 }),
            vec!["/minutes", "/time_limit_s"],
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car",
                    "demand": [point(-3.0, 42.5), point(10.0, 95.0)] }),
            vec!["/demand/0/weight", "/demand/1/lat", "/demand/1/id"],
        ),
    ] {
        let (status, body) = post(&server, "/v1/coverage", &bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"]["field"], fields[0], "{bad}: {body}");
        let named: Vec<&str> = body["error"]["violations"]
            .as_array()
            .expect("violations")
            .iter()
            .filter_map(|v| v["field"].as_str())
            .collect();
        assert_eq!(named, fields, "{bad}: {body}");
    }
}
