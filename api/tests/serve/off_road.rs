//! A place off the roads over HTTP: planned as one unserved item (`off_road`) with the rest of
//! the week, or refused with its field under `?strict=true`.

use serde_json::{Value, json};

use crate::support::{Server, andorra, finished, post, problem, submit};

/// The Andorra week of four units (bus, car, camping-car, car) where the first car's depot
/// and the first home visit lie some 70 km east of the territory's roads.
fn week_with_slips() -> Value {
    let mut week = problem(4, 8, 6, 3, 2.0);
    let far = json!({"lat": 42.55, "lon": 2.65});
    week["units"][1]["depot"] = far.clone();
    week["home_visits"][0]["location"] = far;
    week
}

#[tokio::test(flavor = "multi_thread")]
async fn a_home_off_the_roads_is_unserved_and_a_depot_off_the_roads_leaves_its_unit_out() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1"]);
    let week = week_with_slips();
    let id = submit(&server, None, &week).await;
    let job = finished(&server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let plan = &job["plan"];
    let home = week["home_visits"][0]["id"].as_str().expect("an id");
    let unserved = plan["unserved"].as_array().expect("a list");
    let off: Vec<&Value> = unserved.iter().filter(|u| u["id"] == home).collect();
    assert_eq!(off.len(), 1, "{unserved:#?}");
    let reason = &off[0]["reason"];
    assert_eq!(reason["code"], "off_road", "{reason}");
    assert_eq!(reason["detail"]["field"], "/home_visits/0/location");
    let tried = &reason["detail"]["tried"][0];
    assert_eq!(tried["kind"], "car");
    assert!(
        tried["nearest_m"].as_u64().is_some_and(|m| m > 500),
        "{tried}"
    );
    let message = off[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("/home_visits/0/location: no road the car may use within 500 m"),
        "{message}"
    );
    // Nothing else is lost to the roads; the other car does the home visits.
    assert!(
        unserved
            .iter()
            .all(|u| u["id"] == home || u["reason"]["code"] != "off_road"),
        "{unserved:#?}"
    );
    let left_out = week["units"][1]["id"].as_str().expect("an id");
    let other_car = week["units"][3]["id"].as_str().expect("an id");
    let units: Vec<&str> = plan["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .filter_map(|r| r["unit"].as_str())
        .collect();
    assert!(!units.contains(&left_out), "{units:?}");
    assert!(units.contains(&other_car), "{units:?}");
    let warnings = plan["warnings"].as_array().expect("warnings");
    let warned = |code: &str, id: &str| warnings.iter().any(|w| w["code"] == code && w["id"] == id);
    assert!(warned("depot_off_road", left_out), "{warnings:#?}");
    assert!(warned("off_road", home), "{warnings:#?}");
    assert!(plan["totals"]["home_visits_planned"].as_u64() >= Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_submissions_are_refused_with_every_place_off_the_roads() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1"]);
    let (status, body) = post(&server, "/v1/plans?strict=true", &week_with_slips()).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["/units/1/depot", "/home_visits/0/location"]);
}
