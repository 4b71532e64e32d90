//! PostgreSQL: two service instances share one queue; every job is solved exactly once.
//! Runs when `TOURNEE_TEST_POSTGRES` holds a database URL (`scripts/test` starts a server).

use serde_json::Value;

use crate::support::{Server, andorra, finished, problem, submit};

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_share_one_postgres_queue() {
    let Ok(url) = std::env::var("TOURNEE_TEST_POSTGRES") else {
        eprintln!(
            "skipped: TOURNEE_TEST_POSTGRES is not set (scripts/test starts a PostgreSQL server)"
        );
        return;
    };
    if andorra().is_none() {
        return;
    }
    let a = Server::start(None, &["--database", &url, "--workers", "1"]);
    let b = Server::start(None, &["--database", &url, "--workers", "1"]);
    let mut ids = Vec::new();
    for n in 0..6 {
        let server = if n % 2 == 0 { &a } else { &b };
        ids.push(submit(server, None, &problem(2, 8, 4, 3, 1.0)).await);
    }
    for id in &ids {
        // Either instance sees every job: they share the database.
        let job: Value = finished(&b, None, id).await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["attempts"], 1, "claimed once: {job}");
        let same: Value = finished(&a, None, id).await;
        assert_eq!(same["plan"], job["plan"]);
    }
}
