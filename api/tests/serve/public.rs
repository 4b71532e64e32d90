//! The citizens' timetable (issue 17): a finished plan published at an unguessable address,
//! shown to anyone there (page, data, calendars bounded by the validity, posters), taken over by
//! the territory's next plan at the same address, gone at once when revoked; never a home
//! visit in any public output; security headers and a rate limit on the open internet.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::support::{
    Server, andorra, client, delete, finished, get, plant_home_secrets, post, problem, submit, text,
};

/// A finished plan of Andorra with home visits named like people and their coordinates, as
/// secrets to look for: each id and each coordinate to 5 decimals (about a metre).
async fn planned(server: &Server, seed: u64) -> (String, Value, Vec<String>) {
    let mut week = problem(2, 8, 4, seed, 1.0);
    let secrets = plant_home_secrets(&mut week, 5);
    let id = submit(server, None, &week).await;
    let job = finished(server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let homes = job["plan"]["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .flat_map(|r| r["steps"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["kind"] == "home_visit")
        .count();
    assert!(homes > 0, "the plan visits someone at home: {job}");
    (id, week, secrets)
}

fn validity(days: i64) -> (String, String) {
    let today = Utc::now().date_naive();
    (
        today.to_string(),
        (today + Duration::days(days)).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_published_plan_has_a_public_address_that_a_new_plan_takes_over_and_revoking_closes() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    let (first, _, _) = planned(&server, 3).await;
    let (from, until) = validity(120);

    let (status, answer) = post(
        &server,
        &format!("/v1/plans/{first}/publish"),
        &json!({"valid_from": until, "valid_until": from}),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["error"]["field"], "/valid_until", "{answer}");

    let body = json!({"valid_from": from, "valid_until": until,
                      "description": "Démarches CAF, impôts, ANTS ; impression de documents."});
    let (status, published) = post(&server, &format!("/v1/plans/{first}/publish"), &body).await;
    assert_eq!(status, 201, "{published}");
    let token = published["token"].as_str().expect("a token").to_owned();
    assert_eq!(token.len(), 64, "256 random bits in hex: {token}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!token.contains(&first.replace('-', "")) && !first.contains(&token));
    assert_eq!(published["url"], format!("/p/{token}"));

    let (status, page) = text(&server, &format!("/p/{token}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Prochains passages"));
    assert!(page.contains("Démarches CAF, impôts, ANTS"), "{page}");
    let (_, data) = get(&server, &format!("/p/{token}/data.json")).await;
    let stops = data["stops"].as_array().expect("stops");
    assert!(!stops.is_empty(), "{data}");
    let (status, streets) = get(&server, &format!("/p/{token}/rues.geojson")).await;
    assert_eq!(status, 200);
    assert!(
        streets["features"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "the streets under the public map"
    );
    let names: Vec<String> = stops
        .iter()
        .map(|s| s["commune"].as_str().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "stops by commune");
    assert!(
        stops
            .iter()
            .all(|s| !s["next"].as_array().expect("dates").is_empty())
    );

    // The calendars' series end with the validity (UNTIL), where the private export has none.
    let (status, calendar) = text(&server, &format!("/p/{token}/calendrier.ics")).await;
    assert_eq!(status, 200);
    let until_utc = until.replace('-', "");
    let rules: Vec<&str> = calendar
        .lines()
        .filter(|l| l.starts_with("RRULE:"))
        .collect();
    assert!(!rules.is_empty(), "{calendar}");
    for rule in &rules {
        assert!(rule.contains(&format!(";UNTIL={until_utc}T")), "{rule}");
    }
    let (_, private) = text(&server, &format!("/v1/plans/{first}/public.ics")).await;
    assert!(!private.contains("UNTIL="), "{private}");
    let stop = stops[0]["id"].as_str().expect("an id");
    let (status, one) = text(&server, &format!("/p/{token}/arret/{stop}.ics")).await;
    assert_eq!(status, 200, "{one}");
    assert!(
        one.contains("BEGIN:VEVENT") && one.contains(";UNTIL="),
        "{one}"
    );
    let (status, poster) = text(&server, &format!("/p/{token}/affiche/{stop}")).await;
    assert_eq!(status, 200, "{poster}");
    assert!(poster.contains("<svg") && poster.contains(&format!("/p/{token}#arret-")));

    // The token opens nothing of the private API.
    let (status, _) = get(&server, &format!("/v1/plans/{token}")).await;
    assert!(status == 404 || status == 400, "{status}");

    let (_, listed) = get(&server, "/v1/publications").await;
    let list = listed["publications"].as_array().expect("a list");
    assert_eq!(list.len(), 1, "{listed}");
    assert_eq!(list[0]["plan_id"], first.as_str());
    assert!(list[0]["published_at"].as_str().is_some());

    // The territory's next plan: refused without `replace`, then at the same address.
    let (second, _, _) = planned(&server, 5).await;
    let (status, answer) = post(&server, &format!("/v1/plans/{second}/publish"), &body).await;
    assert_eq!(status, 409, "{answer}");
    let replace = json!({"valid_from": from, "valid_until": until, "replace": true});
    let (status, replaced) = post(&server, &format!("/v1/plans/{second}/publish"), &replace).await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["token"], token.as_str());
    assert_eq!(replaced["published_at"], published["published_at"]);
    let (_, listed) = get(&server, "/v1/publications").await;
    assert_eq!(
        listed["publications"][0]["plan_id"],
        second.as_str(),
        "{listed}"
    );

    // Revoked: every public path answers 404 at once.
    assert_eq!(
        delete(&server, &format!("/v1/plans/{first}/publish")).await,
        404
    );
    assert_eq!(
        delete(&server, &format!("/v1/plans/{second}/publish")).await,
        204
    );
    for path in ["", "/data.json", "/rues.geojson", "/calendrier.ics"] {
        let (status, _) = text(&server, &format!("/p/{token}{path}")).await;
        assert_eq!(status, 404, "/p/{{token}}{path}");
    }
    let (status, _) = text(&server, &format!("/p/{token}/affiche/{stop}")).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_public_output_carries_a_home_visit() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    let (id, _, secrets) = planned(&server, 3).await;
    let (from, until) = validity(60);
    let (status, published) = post(
        &server,
        &format!("/v1/plans/{id}/publish"),
        &json!({"valid_from": from, "valid_until": until}),
    )
    .await;
    assert_eq!(status, 201, "{published}");
    let token = published["token"].as_str().expect("a token");
    let (_, data) = get(&server, &format!("/p/{token}/data.json")).await;
    let mut paths = vec![
        format!("/p/{token}"),
        format!("/p/{token}/data.json"),
        format!("/p/{token}/calendrier.ics"),
    ];
    for stop in data["stops"].as_array().expect("stops") {
        let stop = stop["id"].as_str().expect("an id");
        paths.push(format!("/p/{token}/arret/{stop}.ics"));
        paths.push(format!("/p/{token}/affiche/{stop}"));
    }
    // Every home visit's id tried where a stop's would go answers 404, without echoing it.
    for home in secrets.iter().filter(|s| s.starts_with("mme-")) {
        for path in [
            format!("/p/{token}/arret/{home}.ics"),
            format!("/p/{token}/affiche/{home}"),
        ] {
            let (status, body) = text(&server, &path).await;
            assert_eq!(status, 404, "{path}: {body}");
        }
    }
    for path in &paths {
        let (status, body) = text(&server, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{path} carries {secret:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn public_pages_are_framed_only_where_allowed_and_rate_limited() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(
        None,
        &[
            "--public-rate-limit",
            "4",
            "--frame-ancestor",
            "https://www.mairie-ordino.ad",
        ],
    );
    let (id, _, _) = planned(&server, 3).await;
    let (from, until) = validity(30);
    let (_, published) = post(
        &server,
        &format!("/v1/plans/{id}/publish"),
        &json!({"valid_from": from, "valid_until": until}),
    )
    .await;
    let token = published["token"].as_str().expect("a token");
    let headers = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let public = client()
        .get(format!("{}/p/{token}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(public.status(), 200);
    let policy = headers(&public, "content-security-policy");
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
        "{policy}"
    );
    assert!(
        policy.contains("frame-ancestors https://www.mairie-ordino.ad"),
        "{policy}"
    );
    assert_eq!(headers(&public, "x-content-type-options"), "nosniff");
    assert_eq!(headers(&public, "referrer-policy"), "no-referrer");
    let desk = client().get(&server.url).send().await.expect("sent");
    let policy = headers(&desk, "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert_eq!(headers(&desk, "x-frame-options"), "DENY");
    assert_eq!(headers(&desk, "x-content-type-options"), "nosniff");

    // 4 a minute: the page was one; three more pass, the fifth is refused with Retry-After.
    for _ in 0..3 {
        assert_eq!(text(&server, &format!("/p/{token}/data.json")).await.0, 200);
    }
    let refused = client()
        .get(format!("{}/p/{token}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 429);
    assert!(
        headers(&refused, "retry-after")
            .parse::<u64>()
            .expect("seconds")
            >= 1
    );
    // The API itself is not limited by the public pages' allowance.
    assert_eq!(get(&server, "/v1/publications").await.0, 200);
}
