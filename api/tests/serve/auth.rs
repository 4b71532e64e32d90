//! Access control: tokens required, jobs visible only to the token that created them.

use serde_json::Value;

use crate::support::{Server, andorra, client, finished, problem, submit};

#[tokio::test(flavor = "multi_thread")]
async fn jobs_belong_to_their_token() {
    if andorra().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let tokens = dir.path().join("tokens");
    let beta = format!("{:x}", sha256(b"beta-secret"));
    std::fs::write(
        &tokens,
        format!("# two clients\nalpha-secret\nsha256:{beta}\n"),
    )
    .expect("write");
    let server = Server::start(None, &["--auth-tokens", &tokens.display().to_string()]);

    // No token, or a wrong one: 401 with a JSON error.
    for token in [None, Some("nope")] {
        let mut request = client().get(format!("{}/v1/plans", server.url));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    // Operations stay open.
    assert_eq!(
        client()
            .get(format!("{}/healthz", server.url))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );

    let id = submit(&server, Some("alpha-secret"), &problem(2, 8, 4, 3, 1.0)).await;
    assert_eq!(
        finished(&server, Some("alpha-secret"), &id).await["status"],
        "done"
    );
    for path in [
        format!("/v1/plans/{id}"),
        format!("/v1/plans/{id}/public.ics"),
        format!("/v1/plans/{id}/plan.geojson"),
        format!("/v1/plans/{id}/timetable.csv"),
        format!("/v1/plans/{id}/events"),
    ] {
        let other = client()
            .get(format!("{}{path}", server.url))
            .bearer_auth("beta-secret")
            .send()
            .await
            .expect("sent");
        assert_eq!(other.status(), 404, "{path}");
        let own = client()
            .get(format!("{}{path}", server.url))
            .bearer_auth("alpha-secret")
            .send()
            .await
            .expect("sent");
        assert_eq!(own.status(), 200, "{path}");
    }
    let delete = client()
        .delete(format!("{}/v1/plans/{id}", server.url))
        .bearer_auth("beta-secret")
        .send()
        .await
        .expect("sent");
    assert_eq!(delete.status(), 404);
    let list: Value = client()
        .get(format!("{}/v1/plans", server.url))
        .bearer_auth("beta-secret")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(list["jobs"].as_array().map(Vec::len), Some(0));
    let list: Value = client()
        .get(format!("{}/v1/plans", server.url))
        .bearer_auth("alpha-secret")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(list["jobs"].as_array().map(Vec::len), Some(1));
}

#[test]
fn without_tokens_the_server_refuses_to_listen_beyond_loopback() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["serve", "--listen", "0.0.0.0:0", "--data"])
        .arg(std::env::temp_dir())
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("without --auth-tokens"), "{stderr}");
}

/// SHA-256 through the service's own helper, so the test writes the file a client would.
fn sha256(bytes: &[u8]) -> Hex {
    Hex(api::serve::auth::digest(
        std::str::from_utf8(bytes).expect("utf-8"),
    ))
}

struct Hex([u8; 32]);

impl std::fmt::LowerHex for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&api::serve::auth::hex(&self.0))
    }
}
