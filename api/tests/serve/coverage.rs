//! `POST /v1/coverage` on Andorra: an optimal answer no worse than the greedy one, the chosen
//! stops as a weekly problem and a map, no server path in the report, and bad requests naming
//! their field. (That covered places really are within N minutes is tested on the library.)

use serde_json::{Value, json};

use crate::support::{Server, andorra, client};

async fn coverage(server: &Server, body: &Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/v1/coverage", server.url))
        .json(body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test(flavor = "multi_thread")]
async fn coverage_on_a_loaded_territory() {
    if andorra().is_none() {
        eprintln!("skipped: ../shared/osm/andorra-2021.osm.pbf not found");
        return;
    }
    let server = Server::start(None, &[]);
    let (status, body) = coverage(
        &server,
        &json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let report = &body["report"];
    assert_eq!(report["extract"], "andorra-2021", "no server path is shown");
    assert_eq!(report["status"], "optimal");
    let answer = report["answer"]["stops"].as_u64().expect("stops");
    assert!(answer >= 1 && answer <= report["greedy"]["stops"].as_u64().expect("greedy"));
    assert!(body["problem"]["stops"].as_array().expect("stops").len() as u64 == answer);
    let features = body["geojson"]["features"].as_array().expect("features");
    assert!(!features.is_empty());

    for (bad, field) in [
        (json!({ "minutes": 10, "mode": "car" }), "/territory"),
        (
            json!({ "territory": "nowhere", "minutes": 10, "mode": "car" }),
            "/territory",
        ),
        (
            json!({ "extract": "/etc/passwd", "minutes": 10, "mode": "car" }),
            "/extract",
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": "ten", "mode": "car" }),
            "/minutes",
        ),
        (
            json!({ "territory": "andorra-2021", "minutes": 10, "mode": "boat" }),
            "/mode",
        ),
    ] {
        let (status, body) = coverage(&server, &bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field, "{bad}: {body}");
    }
    let (status, body) = coverage(
        &server,
        &json!({ "territory": "andorra-2021", "minutes": 10, "mode": "car", "model": "max" }),
    )
    .await;
    assert_eq!(status, 422, "a budget is required: {body}");
}
