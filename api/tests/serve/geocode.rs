//! Addresses over HTTP, found by a real addok (`--geocoder-url`): the search, reverse and
//! batch routes, places of a planning problem given by address, and the answers when no
//! geocoder is configured or the remote one fails. The addok tests need `TOURNEE_TEST_ADDOK`
//! (scripts/test starts an addok loaded with the addresses of monaco-2020 and andorra-2021)
//! and say `skipped:` without it.

use std::net::TcpListener;

use serde_json::{Value, json};

use crate::support::{Server, andorra, finished, get, post, problem, submit};

/// 15 Avinguda Doctor Mitjavila, AD500 Andorra la Vella: an address node of andorra-2021.
const MITJAVILA_15: (f64, f64) = (42.5095563, 1.5306573);

const TERRITORY: &str = "/v1/territories/andorra-2021";

/// The URL of the test addok, or `None` after saying `skipped:`.
fn addok() -> Option<String> {
    match std::env::var("TOURNEE_TEST_ADDOK") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped: TOURNEE_TEST_ADDOK is not set (scripts/test starts an addok and sets it)"
            );
            None
        }
    }
}

/// A server on Andorra that asks the test addok.
fn server_with_addok() -> Option<Server> {
    andorra()?;
    let url = addok()?;
    Some(Server::start(None, &["--geocoder-url", &url]))
}

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dy = (a.0 - b.0) * 111_200.0;
    let dx = (a.1 - b.1) * 111_200.0 * a.0.to_radians().cos();
    (dx * dx + dy * dy).sqrt()
}

fn lat_lon(feature: &Value) -> (f64, f64) {
    let c = &feature["geometry"]["coordinates"];
    (
        c[1].as_f64().expect("a latitude"),
        c[0].as_f64().expect("a longitude"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn addresses_are_found_labelled_and_batched_through_the_remote_geocoder() {
    let Some(server) = server_with_addok() else {
        return;
    };
    let (status, found) = get(
        &server,
        &format!("{TERRITORY}/geocode?q=15%20avinguda%20doctor%20mitjavila&postcode=AD500&limit=3"),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["type"], "FeatureCollection");
    let best = &found["features"][0];
    assert_eq!(best["properties"]["type"], "housenumber", "{best}");
    assert_eq!(best["properties"]["postcode"], "AD500", "{best}");
    assert!(metres(lat_lon(best), MITJAVILA_15) < 25.0, "{best}");

    let (status, nearest) = get(
        &server,
        &format!(
            "{TERRITORY}/reverse?lat={}&lon={}",
            MITJAVILA_15.0 + 0.00003,
            MITJAVILA_15.1
        ),
    )
    .await;
    assert_eq!(status, 200, "{nearest}");
    let label = nearest["features"][0]["properties"]["label"]
        .as_str()
        .unwrap_or_default();
    assert!(label.contains("Mitjavila"), "{nearest}");

    let (status, batch) = post(
        &server,
        &format!("{TERRITORY}/geocode"),
        &json!({"queries": [
            {"q": "15 Avinguda Doctor Mitjavila", "postcode": "AD500"},
            {"q": "Avinguda Meritxell"},
            {"q": "zzzz qqqq"},
        ]}),
    )
    .await;
    assert_eq!(status, 200, "{batch}");
    let matches: Vec<&Value> = (batch["results"].as_array().expect("results").iter())
        .map(|r| &r["match"])
        .collect();
    assert_eq!(
        matches,
        [&json!("found"), &json!("ambiguous"), &json!("not_found")]
    );

    let (status, refused) = get(&server, &format!("{TERRITORY}/geocode?q=rue&limit=50")).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "/limit");
    let (status, _) = get(&server, "/v1/territories/atlantis/geocode?q=rue").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_over_its_limit_is_refused_before_any_search() {
    let Some(server) = andorra().map(|_| {
        // No geocoder at all: the size is checked first.
        Server::start(None, &["--max-geocode-batch", "2"])
    }) else {
        return;
    };
    let queries: Vec<Value> = (0..3).map(|i| json!({"q": format!("rue {i}")})).collect();
    let (status, refused) = post(
        &server,
        &format!("{TERRITORY}/geocode"),
        &json!({ "queries": queries }),
    )
    .await;
    assert_eq!(status, 413, "{refused}");
    assert_eq!(refused["error"]["field"], "/queries");
    assert_eq!(
        (&refused["error"]["count"], &refused["error"]["limit"]),
        (&json!(3), &json!(2))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_remote_the_extract_answers_and_a_failing_remote_is_a_bad_gateway() {
    if andorra().is_none() {
        return;
    }
    // Without --geocoder-url, the territory's own index answers, in the same shape.
    let offline = Server::start(None, &[]);
    let (status, answer) = get(&offline, &format!("{TERRITORY}/geocode?q=andorra+la+vella")).await;
    assert_eq!(status, 200, "{answer}");
    let best = &answer["features"][0]["properties"];
    assert_eq!(best["type"], "place", "{answer}");
    assert!(
        best["label"]
            .as_str()
            .is_some_and(|l| l.contains("Andorra la Vella")),
        "{answer}"
    );
    drop(offline);

    // A port nobody listens on: the remote cannot be reached.
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let url = format!("http://{closed}");
    let broken = Server::start(None, &["--geocoder-url", &url]);
    let (status, answer) = get(&broken, &format!("{TERRITORY}/reverse?lat=42.5&lon=1.5")).await;
    assert_eq!(status, 502, "{answer}");
    assert_eq!(answer["error"]["code"], "geocoder_failed");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&url)),
        "{answer}"
    );
    let mut week = problem(1, 2, 0, 5, 1.0);
    week["stops"][0]["location"] = json!({"address": "15 Avinguda Doctor Mitjavila"});
    let (status, answer) = post(&broken, "/v1/plans", &week).await;
    assert_eq!(status, 502, "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_given_by_address_is_planned_at_its_position_and_stored_with_label_and_score() {
    let Some(server) = server_with_addok() else {
        return;
    };
    let mut week = problem(1, 2, 0, 5, 1.0);
    week["stops"][0]["location"] =
        json!({"address": "15 Avinguda Doctor Mitjavila", "postcode": "AD500"});
    let id = submit(&server, None, &week).await;
    let job = finished(&server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let (status, stored) = get(&server, &format!("/v1/plans/{id}/problem.json")).await;
    assert_eq!(status, 200, "{stored}");
    let location = &stored["stops"][0]["location"];
    let at = (
        location["lat"].as_f64().expect("a latitude"),
        location["lon"].as_f64().expect("a longitude"),
    );
    assert!(metres(at, MITJAVILA_15) < 25.0, "{location}");
    assert_eq!(location["address"], "15 Avinguda Doctor Mitjavila");
    assert!(
        location["label"]
            .as_str()
            .is_some_and(|l| l.contains("Mitjavila")),
        "{location}"
    );
    assert!(
        location["score"].as_f64().is_some_and(|s| s >= 0.5),
        "{location}"
    );
    // The stop is visited like any other: its address did not make it unreachable.
    let stop = week["stops"][0]["id"].as_str().expect("an id");
    let unserved = job["plan"]["unserved"].as_array().expect("a list");
    assert!(unserved.iter().all(|u| u["id"] != stop), "{unserved:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ambiguous_or_unknown_address_is_refused_with_its_field_and_candidates() {
    let Some(server) = server_with_addok() else {
        return;
    };
    let mut week = problem(1, 3, 0, 5, 1.0);
    week["stops"][0]["location"] = json!({"address": "Avinguda Meritxell"});
    week["stops"][1]["location"] = json!({"address": "  "});
    week["units"][0]["depot"] = json!({"address": "zzzz qqqq"});
    let (status, answer) = post(&server, "/v1/plans", &week).await;
    assert_eq!(status, 422, "{answer}");
    let violations = answer["error"]["violations"].as_array().expect("a list");
    let fields: Vec<&Value> = violations.iter().map(|v| &v["field"]).collect();
    assert_eq!(
        fields,
        [
            &json!("/units/0/depot"),
            &json!("/stops/0/location"),
            &json!("/stops/1/location/address")
        ]
    );
    let ambiguous = violations[1]["message"].as_str().unwrap_or_default();
    assert!(
        ambiguous.contains("several places") && ambiguous.contains("Meritxell"),
        "{ambiguous}"
    );
    let unknown = violations[0]["message"].as_str().unwrap_or_default();
    assert!(unknown.contains("matches nothing"), "{unknown}");
    // Nothing was queued.
    let (_, list) = get(&server, "/v1/plans").await;
    assert_eq!(list["jobs"].as_array().map(Vec::len), Some(0), "{list}");
}
