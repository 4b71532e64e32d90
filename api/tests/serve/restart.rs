//! Restarts: a server killed mid-queue loses nothing; a job interrupted twice fails.

use serde_json::Value;

use crate::support::{Server, andorra, client, finished, problem, running, slow_problem, submit};

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_mid_queue_finds_and_finishes_every_job() {
    if andorra().is_none() {
        return;
    }
    let mut server = Server::start(None, &["--workers", "1"]);
    let keep = server.keep_data();
    let data = server.data.clone();
    let jobs = [
        submit(&server, None, &slow_problem(3.0)).await,
        submit(&server, None, &problem(2, 8, 4, 3, 1.0)).await,
        submit(&server, None, &problem(2, 8, 4, 3, 1.0)).await,
    ];
    running(&server, &jobs[0]).await;
    server.kill();

    let server = Server::start(Some(&data), &["--workers", "1"]);
    for id in &jobs {
        let job = finished(&server, None, id).await;
        assert_eq!(job["status"], "done", "{job}");
    }
    let first: Value = finished(&server, None, &jobs[0]).await;
    assert_eq!(first["attempts"], 2, "the interrupted job ran again");
    drop(keep);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_interrupted_twice_is_failed_with_the_reason() {
    if andorra().is_none() {
        return;
    }
    let mut server = Server::start(None, &["--workers", "1"]);
    let keep = server.keep_data();
    let data = server.data.clone();
    let id = submit(&server, None, &slow_problem(60.0)).await;
    running(&server, &id).await;
    server.kill();
    let mut server = Server::start(Some(&data), &["--workers", "1"]);
    running(&server, &id).await;
    server.kill();
    let server = Server::start(Some(&data), &["--workers", "1"]);
    let job: Value = client()
        .get(format!("{}/v1/plans/{id}", server.url))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "crashed");
    drop(keep);
}
