//! `POST /vroom` against request/response examples written from VROOM's documentation
//! (docs/API.md of VROOM-Project/vroom): the custom-matrix example, the two-vehicle example
//! with skills, capacities, time windows and breaks (its coordinates replaced by a matrix, as
//! they lie outside the loaded territory), and coordinates routed on Andorra; the same at
//! openrouteservice's `/optimization` path, with its profile names and its bare API key.

use serde_json::{Value, json};

use crate::support::{Server, andorra, client, get, post};

async fn vroom(server: &Server, input: &Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/vroom", server.url))
        .json(input)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

/// The 8 × 8 matrix of VROOM's custom-matrix example.
fn doc_matrix() -> Value {
    json!([
        [0, 2104, 197, 959, 1975, 436, 418, 1299],
        [2103, 0, 2255, 2812, 1455, 2539, 1685, 3152],
        [197, 2256, 0, 762, 2172, 633, 570, 1102],
        [959, 2813, 762, 0, 2934, 1395, 1127, 340],
        [1975, 1456, 2172, 2934, 0, 2020, 2169, 3274],
        [435, 2539, 632, 1394, 2019, 0, 853, 1734],
        [418, 1686, 570, 1127, 2169, 854, 0, 1467],
        [1299, 3153, 1102, 340, 3274, 1735, 1467, 0]
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn vroom_examples_from_its_documentation() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);

    // The custom-matrix example: one vehicle from 0 to 7 through jobs at 1..=6. VROOM's
    // documented answer costs 7268 (0 → 5 → 4 → 1 → 6 → 2 → 3 → 7).
    let input = json!({
        "vehicles": [{"id": 0, "start_index": 0, "end_index": 7}],
        "jobs": (1..=6).map(|i| json!({"id": i, "location_index": i})).collect::<Vec<_>>(),
        "matrix": doc_matrix(),
    });
    let (status, out) = vroom(&server, &input).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["code"], 0);
    assert_eq!(out["summary"]["cost"], 7268, "{out}");
    assert_eq!(out["summary"]["unassigned"], 0);
    let steps = out["routes"][0]["steps"].as_array().expect("steps");
    let kinds: Vec<&str> = steps.iter().filter_map(|s| s["type"].as_str()).collect();
    assert_eq!(
        kinds,
        ["start", "job", "job", "job", "job", "job", "job", "end"]
    );
    assert_eq!(steps[0]["location_index"], 0);
    assert_eq!(steps[7]["location_index"], 7);
    assert_eq!(steps[7]["duration"], 7268);
    assert_eq!(out["routes"][0]["vehicle"], 0);

    // The two-vehicle example: skills, capacity, working hours, breaks, job time windows.
    let m = doc_matrix();
    let input = json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [1, 14],
             "time_window": [28800, 43200],
             "breaks": [{"id": 1, "service": 300, "time_windows": [[32400, 34200]]}]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [2, 14],
             "time_window": [28800, 43200],
             "breaks": [{"id": 2, "service": 300, "time_windows": [[34200, 36000]]}]}
        ],
        "jobs": [
            {"id": 1, "service": 300, "delivery": [1], "location_index": 1, "skills": [1], "time_windows": [[32400, 36000]]},
            {"id": 2, "service": 300, "pickup": [1], "location_index": 2, "skills": [1]},
            {"id": 5, "service": 300, "delivery": [1], "location_index": 3, "skills": [14]},
            {"id": 6, "service": 300, "delivery": [1], "location_index": 4, "skills": [14]},
            {"id": 7, "service": 300, "delivery": [1], "location_index": 5, "skills": [2], "description": "needs skill 2"}
        ],
        "matrices": {"car": {"durations": m, "distances": m}}
    });
    let (status, out) = vroom(&server, &input).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["code"], 0);
    assert_eq!(out["summary"]["unassigned"], 0, "{out}");
    let mut served = Vec::new();
    let mut total_cost = 0;
    for route in out["routes"].as_array().expect("routes") {
        let vehicle = route["vehicle"].as_u64().expect("vehicle");
        let skills: &[u64] = if vehicle == 1 { &[1, 14] } else { &[2, 14] };
        let steps = route["steps"].as_array().expect("steps");
        assert_eq!(steps.first().map(|s| &s["type"]), Some(&json!("start")));
        assert_eq!(steps.last().map(|s| &s["type"]), Some(&json!("end")));
        assert!(steps[0]["arrival"].as_i64().expect("arrival") >= 28800);
        assert!(
            steps
                .last()
                .and_then(|s| s["arrival"].as_i64())
                .expect("arrival")
                <= 43200
        );
        let mut breaks = 0;
        for step in steps {
            assert!(step["load"][0].as_i64().expect("load") <= 4, "capacity");
            let start = step["arrival"].as_i64().expect("arrival")
                + step["waiting_time"].as_i64().expect("waiting");
            match step["type"].as_str() {
                Some("job") => {
                    let id = step["id"].as_u64().expect("id");
                    served.push(id);
                    let job = input["jobs"]
                        .as_array()
                        .expect("jobs")
                        .iter()
                        .find(|j| j["id"] == id)
                        .expect("a job");
                    for skill in job["skills"].as_array().expect("skills") {
                        assert!(
                            skills.contains(&skill.as_u64().expect("skill")),
                            "job {id} on vehicle {vehicle}"
                        );
                    }
                    if let Some(w) = job["time_windows"].as_array().and_then(|w| w.first()) {
                        assert!(
                            w[0].as_i64() <= Some(start) && Some(start) <= w[1].as_i64(),
                            "job {id} starts at {start}"
                        );
                    }
                    if id == 7 {
                        assert_eq!(step["description"], "needs skill 2");
                    }
                }
                Some("break") => {
                    breaks += 1;
                    let (lo, hi) = if vehicle == 1 {
                        (32400, 34200)
                    } else {
                        (34200, 36000)
                    };
                    assert!(
                        (lo..=hi).contains(&start),
                        "break of vehicle {vehicle} at {start}"
                    );
                    assert_eq!(step["service"], 300);
                }
                _ => {}
            }
        }
        assert_eq!(breaks, 1, "each used vehicle takes its break");
        // Cost is the travel duration (per_hour 3600 by default), as in VROOM.
        assert_eq!(route["cost"], route["duration"]);
        total_cost += route["cost"].as_i64().expect("cost");
    }
    served.sort_unstable();
    assert_eq!(served, [1, 2, 5, 6, 7]);
    assert_eq!(out["summary"]["cost"], total_cost);
    assert_eq!(out["summary"]["delivery"], json!([4]));
    assert_eq!(out["summary"]["pickup"], json!([1]));

    // Too tight a capacity: a job comes back unassigned, with its description.
    let mut tight = input.clone();
    tight["vehicles"][0]["capacity"] = json!([1]);
    tight["vehicles"][1]["capacity"] = json!([1]);
    let (status, out) = vroom(&server, &tight).await;
    assert_eq!(status, 200, "{out}");
    let unassigned = out["unassigned"].as_array().expect("unassigned");
    assert!(!unassigned.is_empty());
    assert!(
        unassigned
            .iter()
            .all(|u| u["type"] == "job" && u["location_index"].is_number())
    );
    assert_eq!(out["summary"]["unassigned"], unassigned.len());

    // Coordinates, routed on the loaded Andorra extract (`[lon, lat]`, VROOM's order).
    let input = json!({
        "vehicles": [{"id": 7, "profile": "driving-car", "start": [1.5212, 42.5078], "end": [1.5212, 42.5078]}],
        "jobs": [
            {"id": 1, "location": [1.4917, 42.4636], "service": 600},
            {"id": 2, "location": [1.5340, 42.5450], "service": 600}
        ]
    });
    let (status, out) = vroom(&server, &input).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["code"], 0);
    let steps = out["routes"][0]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[0]["location"], json!([1.5212, 42.5078]));
    assert!(
        out["routes"][0]["distance"].as_i64().expect("distance") > 5_000,
        "{out}"
    );
    assert!(out["summary"]["computing_times"]["solving"].is_number());
}

/// Checks VROOM's timing of a route: from start to end, each step arrives when the previous
/// one ends (arrival + waiting + service) plus the travel between them.
fn assert_steps_chain(route: &Value) {
    let steps = route["steps"].as_array().expect("steps");
    assert_eq!(steps.first().map(|s| &s["type"]), Some(&json!("start")));
    assert_eq!(steps.last().map(|s| &s["type"]), Some(&json!("end")));
    let int = |step: &Value, key: &str| step[key].as_i64().expect("a number");
    for pair in steps.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!(
            int(b, "arrival"),
            int(a, "arrival") + int(a, "waiting_time") + int(a, "service") + int(b, "duration")
                - int(a, "duration"),
            "{} {} in {route}",
            b["type"],
            b["id"]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vehicle_leaves_in_time_for_its_first_stop() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    // Job 1 opens at 5000, 100 s from the depot; job 2 lies 100 s further and closes at
    // 20000, when the break opens: the break comes last, after waiting at job 2. (The way
    // round costs 1500 s of travel instead of 300.)
    let input = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 30000],
                      "breaks": [{"id": 9, "service": 1800, "time_windows": [[20000, 21000]]}]}],
        "jobs": [
            {"id": 1, "location_index": 1, "service": 300, "time_windows": [[5000, 6000]]},
            {"id": 2, "location_index": 2, "service": 300, "time_windows": [[0, 20000]]}
        ],
        "matrix": [[0, 100, 500], [500, 0, 100], [100, 500, 0]]
    });
    let (status, out) = vroom(&server, &input).await;
    assert_eq!(status, 200, "{out}");
    let route = &out["routes"][0];
    assert_steps_chain(route);
    let steps = route["steps"].as_array().expect("steps");
    // It leaves at 4900, just in time: no waiting at the first job.
    assert_eq!(steps[0]["arrival"], 4900, "{route}");
    assert_eq!(steps[1]["arrival"], 5000);
    assert_eq!(steps[1]["waiting_time"], 0);
    let kinds: Vec<&str> = steps.iter().filter_map(|s| s["type"].as_str()).collect();
    assert_eq!(kinds, ["start", "job", "job", "break", "end"], "{route}");
    // The only waiting is before the break: 20000 - (5000 + 300 + 100 + 300).
    assert_eq!(route["waiting_time"], 14300, "{route}");
    assert_eq!(steps[4]["arrival"], 21900);
}

/// A vehicle with `profile` from Andorra la Vella and back, serving Sant Julià and Canillo.
fn andorra_round(profile: &str) -> Value {
    json!({
        "vehicles": [{"id": 1, "profile": profile, "start": [1.5212, 42.5078], "end": [1.5212, 42.5078]}],
        "jobs": [
            {"id": 1, "location": [1.4917, 42.4636], "service": 600},
            {"id": 2, "location": [1.5340, 42.5450], "service": 600}
        ]
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn openrouteservice_path_and_profile_names() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);

    // Each openrouteservice profile is routed on the network of the kind README documents:
    // the answer at /optimization is the one /vroom gives for that kind.
    let mut travel = std::collections::BTreeMap::new();
    for (ors, kind) in [
        ("driving-car", "car"),
        ("driving-hgv", "bus"),
        ("cycling-regular", "triporteur"),
        ("cycling-electric", "triporteur"),
        ("foot-walking", "foot"),
    ] {
        let (status, out) = post(&server, "/optimization", &andorra_round(ors)).await;
        assert_eq!(status, 200, "{ors}: {out}");
        assert_eq!(out["code"], 0, "{ors}");
        assert_eq!(out["summary"]["unassigned"], 0, "{ors}: {out}");
        let route = &out["routes"][0];
        let kinds: Vec<&str> = route["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["type"].as_str())
            .collect();
        assert_eq!(kinds, ["start", "job", "job", "end"], "{ors}");
        assert_steps_chain(route);
        let (status, same) = post(&server, "/vroom", &andorra_round(kind)).await;
        assert_eq!(status, 200, "{kind}: {same}");
        for figure in ["duration", "distance"] {
            assert_eq!(
                route[figure], same["routes"][0][figure],
                "{ors} is routed as {kind}: {figure}"
            );
        }
        travel.insert(ors, route["duration"].as_i64().expect("duration"));
    }
    assert!(
        travel["foot-walking"] > travel["cycling-regular"]
            && travel["cycling-regular"] > travel["driving-car"]
            && travel["driving-hgv"] >= travel["driving-car"],
        "walking, cycling and driving take different times: {travel:?}"
    );

    // Unknown names, and openrouteservice's profiles without a counterpart, are refused at the
    // vehicle's profile with the accepted names.
    for name in ["wheelchair", "rocket"] {
        let (status, out) = post(&server, "/optimization", &andorra_round(name)).await;
        assert_eq!(status, 422, "{name}: {out}");
        assert_eq!(out["code"], 2);
        assert_eq!(out["error"]["field"], "/vehicles/0/profile");
        let message = out["error"]["message"].as_str().expect("a message");
        assert!(
            message.contains(name) && message.contains("foot-walking (foot)"),
            "{message}"
        );
    }

    // Both paths are in the OpenAPI document.
    let (status, doc) = get(&server, "/openapi.json").await;
    assert_eq!(status, 200);
    for path in ["/vroom", "/optimization"] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} documented");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn openrouteservice_clients_may_send_their_key_bare() {
    if andorra().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, "ors-key\n").expect("write");
    let server = Server::start(None, &["--auth-tokens", &tokens.display().to_string()]);
    let input = json!({
        "vehicles": [{"id": 0, "start_index": 0, "end_index": 7}],
        "jobs": (1..=6).map(|i| json!({"id": i, "location_index": i})).collect::<Vec<_>>(),
        "matrix": doc_matrix(),
    });
    let send = |path: &str, authorization: Option<&str>| {
        let mut request = client().post(format!("{}{path}", server.url)).json(&input);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        async move { request.send().await.expect("sent").status().as_u16() }
    };
    for path in ["/optimization", "/vroom"] {
        assert_eq!(send(path, Some("ors-key")).await, 200, "{path}: bare key");
        assert_eq!(send(path, Some("Bearer ors-key")).await, 200, "{path}");
        assert_eq!(send(path, Some("other-key")).await, 401, "{path}");
        assert_eq!(send(path, None).await, 401, "{path}");
    }
    // The bare form stays limited to the VROOM-compatible routes.
    let plans = client()
        .get(format!("{}/v1/plans", server.url))
        .header("Authorization", "ors-key")
        .send()
        .await
        .expect("sent");
    assert_eq!(plans.status(), 401);
}
