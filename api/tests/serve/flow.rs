//! Submit → poll → export every format → check; cancel; delete; server-sent events.

use std::collections::HashSet;
use std::path::PathBuf;

use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::{Plan, Step, VisitKind};
use optimizer::planning::problem::{PlanningProblem, Territory};
use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use serde_json::Value;
use territory::matrices::territory_matrices;

use crate::support::{
    Server, andorra, cache_dir, client, finished, get, post, problem, running, slow_problem, submit,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_solved_exported_in_every_format_and_passes_the_checker() {
    let Some(extract) = andorra() else { return };
    let server = Server::start(None, &[]);
    let problem_json = problem(2, 8, 4, 3, 1.0);
    let response = client()
        .post(format!("{}/v1/plans", server.url))
        .json(&problem_json)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: Value = response.json().await.expect("JSON");
    let id = body["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/v1/plans/{id}"));
    assert_eq!(body["url"], location);

    let job = finished(&server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["progress"]["time_limit_s"], 1.0);
    let plan: Plan = serde_json::from_value(job["plan"].clone()).expect("a plan");
    assert!(!plan.routes.is_empty());

    // The independent checker, on matrices computed from the extract itself.
    let mut problem: PlanningProblem =
        serde_json::from_value(problem_json.clone()).expect("problem");
    problem.territory = Territory::Extract(extract.clone());
    let matrices = territory_matrices(
        &problem,
        &PathBuf::from("."),
        &CachePolicy::Directory(cache_dir()),
        &Silent,
    )
    .expect("matrices");
    let violations = check_plan(&problem, &matrices, &plan);
    assert!(violations.is_empty(), "{violations:?}");

    // POST /v1/check agrees.
    let verdict: Value = client()
        .post(format!("{}/v1/check", server.url))
        .json(&serde_json::json!({"problem": problem_json, "plan": job["plan"]}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(verdict["valid"], true, "{verdict}");

    let visits: Vec<(String, VisitKind, String)> = plan
        .routes
        .iter()
        .flat_map(|r| {
            r.steps.iter().filter_map(|s| match s {
                Step::Visit { kind, id, .. } => Some((r.unit.clone(), *kind, id.clone())),
                Step::Break { .. } => None,
            })
        })
        .collect();

    // Each unit's calendar: one event per visit, stops weekly with RRULE, local times.
    for unit in &problem.units {
        let text = get_text(
            &server,
            &format!("/v1/plans/{id}/calendar/{}.ics", unit.id),
            "text/calendar",
        )
        .await;
        let calendar: Calendar = text.parse().expect("RFC 5545");
        let events: Vec<_> = calendar
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        let expected = visits.iter().filter(|(u, _, _)| *u == unit.id).count();
        assert_eq!(
            events.len(),
            expected,
            "one event per visit of {} in a one-week cycle",
            unit.id
        );
        let homes: HashSet<&str> = problem.home_visits.iter().map(|h| h.id.as_str()).collect();
        for event in events {
            // A home visit happens once; a stop comes back every week.
            let home = event.get_location().is_some_and(|l| homes.contains(l));
            let rule = (!home).then_some("FREQ=WEEKLY");
            assert_eq!(event.property_value("RRULE"), rule);
            assert!(event.get_start().is_some() && event.get_end().is_some());
            assert!(event.get_summary().is_some());
        }
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
        assert!(text.contains("DTSTART;TZID=Europe/Paris:"));
    }

    // The public calendar: every stop visit, never a home visit.
    let text = get_text(
        &server,
        &format!("/v1/plans/{id}/public.ics"),
        "text/calendar",
    )
    .await;
    let calendar: Calendar = text.parse().expect("RFC 5545");
    let stop_names: HashSet<&str> = problem.stops.iter().map(|s| s.name.as_str()).collect();
    let mut events = 0;
    for component in &calendar.components {
        if let CalendarComponent::Event(e) = component {
            events += 1;
            let location = e.get_location().expect("a location");
            assert!(
                stop_names.contains(location),
                "{location} is not a public stop"
            );
        }
    }
    assert_eq!(
        events,
        visits
            .iter()
            .filter(|(_, k, _)| *k == VisitKind::Stop)
            .count()
    );
    for home in &problem.home_visits {
        assert!(
            !text.contains(&home.id),
            "home visit {} leaked into the public calendar",
            home.id
        );
        assert!(!text.contains(&format!("{:.6}", home.location.lat)));
    }

    // GeoJSON: a line along the roads per unit day, a point per visit.
    let text = get_text(
        &server,
        &format!("/v1/plans/{id}/plan.geojson"),
        "application/geo+json",
    )
    .await;
    let geojson: Value = serde_json::from_str(&text).expect("JSON");
    let features = geojson["features"].as_array().expect("features");
    let lines: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["feature"] == "route")
        .collect();
    assert_eq!(lines.len(), plan.routes.len());
    for line in lines {
        assert_eq!(line["geometry"]["type"], "LineString");
        assert_eq!(line["properties"]["geometry"], "roads");
        let points = line["geometry"]["coordinates"]
            .as_array()
            .expect("coordinates")
            .len();
        assert!(
            points > 2 + 2 * 2,
            "a road route has more than its stops: {points}"
        );
    }
    let points = features
        .iter()
        .filter(|f| f["properties"]["feature"] == "visit")
        .count();
    assert_eq!(points, visits.len());

    // CSV, French style: BOM, `;`, decimal commas; one row per visit.
    let response = client()
        .get(format!(
            "{}/v1/plans/{id}/timetable.csv?separator=semicolon&bom=true",
            server.url
        ))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[0], "unit");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), visits.len());
    let km = header
        .iter()
        .position(|h| h == "distance_km")
        .expect("column");
    assert!(
        rows.iter().all(|r| !r[km].contains('.')),
        "decimal commas with `;`"
    );

    // Cancelling a finished job (a cancel pressed as it ends) keeps it and its plan.
    for _ in 0..2 {
        let (status, kept) = post(&server, &format!("/v1/plans/{id}/cancel"), &Value::Null).await;
        assert_eq!(
            (status.as_u16(), &kept["status"]),
            (200, &Value::from("done")),
            "{kept}"
        );
    }
    let (_, still) = get(&server, &format!("/v1/plans/{id}")).await;
    assert!(
        still["plan"]["routes"].is_array(),
        "the plan is still there"
    );

    // The list holds it; a finished job is deleted with DELETE (then 404).
    let list: Value = client()
        .get(format!("{}/v1/plans?limit=10", server.url))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(
        list["jobs"]
            .as_array()
            .expect("jobs")
            .iter()
            .any(|j| j["id"] == id.as_str())
    );
    let deleted = client()
        .delete(format!("{}/v1/plans/{id}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status(), 204);
    let gone = client()
        .get(format!("{}/v1/plans/{id}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(gone.status(), 404);
}

async fn get_text(server: &Server, path: &str, content_type: &str) -> String {
    let response = client()
        .get(format!("{}{path}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{path}");
    let got = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(got.starts_with(content_type), "{path}: {got}");
    response.text().await.expect("text")
}

#[tokio::test(flavor = "multi_thread")]
async fn running_and_queued_jobs_can_be_cancelled_and_events_follow_them() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1"]);
    let long = slow_problem(60.0);
    let first = submit(&server, None, &long).await;
    let second = submit(&server, None, &long).await;
    running(&server, &first).await;

    // The events of the running job: progress first.
    let mut events = client()
        .get(format!("{}/v1/plans/{first}/events", server.url))
        .send()
        .await
        .expect("sent");
    assert!(
        events.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/event-stream")
    );
    let chunk = events.chunk().await.expect("a chunk").expect("data");
    assert!(String::from_utf8_lossy(&chunk).contains("event: progress"));

    // Cancel the queued one, then the running one.
    for id in [&second, &first] {
        let response = client()
            .post(format!("{}/v1/plans/{id}/cancel", server.url))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        let job: Value = response.json().await.expect("JSON");
        assert_eq!(job["status"], "cancelled");
    }
    // The stream ends with the final status.
    let mut rest = String::new();
    while let Ok(Some(chunk)) = events.chunk().await {
        rest.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        rest.contains("event: status") && rest.contains("cancelled"),
        "{rest}"
    );
    // The worker is free again: a short job completes.
    let quick = submit(&server, None, &problem(2, 8, 4, 3, 1.0)).await;
    assert_eq!(finished(&server, None, &quick).await["status"], "done");
    assert_eq!(finished(&server, None, &first).await["status"], "cancelled");
}
