//! Territories spread over instances sharing one PostgreSQL queue: each job is claimed by an
//! instance that holds its territory, any instance accepts, reads, cancels and exports any
//! job, a territory nobody holds is refused (or queued on request, saying why it waits), and
//! a crashed instance's jobs come back when it does. Runs when `TOURNEE_TEST_POSTGRES` holds a
//! database URL (`scripts/test` starts a server).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    Server, andorra, finished, get, malta, post, postgres_database, problem_on, running, submit,
    text,
};

/// A database of its own on the test server (the other tests' instances, which hold Andorra
/// too, must not claim this test's jobs) and both extracts, or `None` after saying what is
/// missing.
async fn setting() -> Option<(String, PathBuf, PathBuf)> {
    let url = postgres_database("instances").await?;
    Some((url, andorra()?, malta()?))
}

/// The id of the live instance holding `territory`, as `/v1/territories` on `server` lists it.
async fn holder(server: &Server, territory: &str) -> String {
    let (status, list) = get(server, "/v1/territories").await;
    assert_eq!(status, 200, "{list}");
    let entry = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|t| t["id"] == territory)
        .unwrap_or_else(|| panic!("{territory} is not listed by {}: {list}", server.url));
    let holders = entry["instances"].as_array().expect("instances");
    assert_eq!(holders.len(), 1, "{entry}");
    holders[0]["instance"]
        .as_str()
        .expect("an instance id")
        .to_owned()
}

/// The worker that took a finished job must belong to the instance holding its territory.
fn assert_solved_by(job: &Value, instance: &str) {
    let worker = job["solved_by"].as_str().unwrap_or_default();
    assert!(
        worker.starts_with(&format!("{instance}-")),
        "job {} of {} solved by {worker:?}, not by {instance}: {job}",
        job["id"],
        job["territory"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_job_is_solved_where_its_territory_is_loaded_and_read_anywhere() {
    let Some((url, andorra, malta)) = setting().await else {
        return;
    };
    let flags = ["--database", url.as_str(), "--workers", "1"];
    let a = Server::start_on(&andorra, &flags);
    let b = Server::start_on(&malta, &flags);
    let (andorra_holder, malta_holder) = (
        holder(&a, "andorra-2021").await,
        holder(&a, "malta-2016").await,
    );
    // Both instances list the union of the territories, with who holds each.
    assert_eq!(holder(&b, "andorra-2021").await, andorra_holder);
    assert_ne!(andorra_holder, malta_holder);

    let problems = [
        ("andorra-2021", problem_on(&andorra, 2, 8, 4, 3, 1.0)),
        ("malta-2016", problem_on(&malta, 2, 8, 4, 3, 1.0)),
    ];
    let mut jobs = Vec::new();
    for n in 0..40 {
        let (territory, problem) = &problems[n % 2];
        // Alternately through both instances: half the jobs arrive where their roads are not.
        let through = if (n / 2) % 2 == 0 { &a } else { &b };
        jobs.push((*territory, submit(through, None, problem).await));
    }
    for (territory, id) in &jobs {
        let job = finished(&a, None, id).await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["attempts"], 1, "{job}");
        let holder = if *territory == "andorra-2021" {
            &andorra_holder
        } else {
            &malta_holder
        };
        assert_solved_by(&job, holder);
        let same = finished(&b, None, id).await;
        assert_eq!(same["plan"], job["plan"]);
    }

    // Every export answers through either instance, the routes along the roads included.
    for (_, id) in &jobs {
        for server in [&a, &b] {
            for export in ["public.ics", "timetable.csv"] {
                let (status, body) = text(server, &format!("/v1/plans/{id}/{export}")).await;
                assert_eq!(
                    status, 200,
                    "{export} of {id} through {}: {body}",
                    server.url
                );
            }
            let (status, map) = get(server, &format!("/v1/plans/{id}/plan.geojson")).await;
            assert_eq!(status, 200, "{map}");
            let roads = map["features"]
                .as_array()
                .expect("features")
                .iter()
                .filter(|f| f["geometry"]["type"] == "LineString")
                .inspect(|f| assert_ne!(f["properties"]["geometry"], "straight", "{f}"))
                .count();
            assert!(roads > 0, "no route drawn for {id}: {map}");
        }
    }

    // A territory no instance holds is refused, naming it; queued on request, saying why.
    let mut elsewhere = problems[0].1.clone();
    elsewhere["territory"] = json!({"extract": "monaco-2020"});
    let (status, refusal) = post(&a, "/v1/plans", &elsewhere).await;
    assert_eq!(status, 422, "{refusal}");
    assert_eq!(refusal["error"]["field"], "/territory/extract");
    assert!(
        refusal["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("monaco-2020")),
        "{refusal}"
    );
    let (status, queued) = post(&b, "/v1/plans?queue_anyway=true", &elsewhere).await;
    assert_eq!(status, 202, "{queued}");
    assert!(
        queued["waiting"]
            .as_str()
            .is_some_and(|w| w.contains("monaco-2020")),
        "{queued}"
    );
    let id = queued["id"].as_str().expect("an id");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (_, still) = get(&a, &format!("/v1/plans/{id}")).await;
    assert_eq!(still["status"], "queued", "nobody may claim it: {still}");
    let (status, cancelled) = post(&a, &format!("/v1/plans/{id}/cancel"), &json!({})).await;
    assert_eq!(
        (status.as_u16(), &cancelled["status"]),
        (200, &json!("cancelled"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crashed_instance_gets_its_jobs_back_and_the_other_territory_keeps_flowing() {
    let Some((url, andorra, malta)) = setting().await else {
        return;
    };
    let flags = ["--database", url.as_str(), "--workers", "1"];
    let a = Server::start_on(&andorra, &flags);
    let mut b = Server::start_on(&malta, &flags);
    // A long Malta solve, submitted through the Andorra instance, runs on the Malta one.
    let long = submit(&a, None, &problem_on(&malta, 3, 40, 20, 4, 60.0)).await;
    running(&a, &long).await;
    b.kill();

    // The Andorra jobs do not wait for the dead instance.
    let quick = problem_on(&andorra, 2, 8, 4, 3, 1.0);
    let mut flowing = Vec::new();
    for _ in 0..3 {
        flowing.push(submit(&a, None, &quick).await);
    }
    for id in &flowing {
        let job = finished(&a, None, id).await;
        assert_eq!(job["status"], "done", "{job}");
    }

    // Restarted, the Malta instance takes its job back once the heartbeat timeout ran out.
    let restarted = Server::start_on(&malta, &flags);
    let deadline = Instant::now() + Duration::from_secs(240);
    let job = loop {
        let (_, job) = get(&restarted, &format!("/v1/plans/{long}?wait=20")).await;
        if job["status"] == "done" || Instant::now() > deadline {
            break job;
        }
    };
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["attempts"], 2, "claimed again after the crash: {job}");
    assert_solved_by(&job, &holder(&restarted, "malta-2016").await);
}
