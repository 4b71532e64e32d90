//! Publishing a finished plan as the citizens' timetable: `POST /v1/plans/{id}/publish` gives
//! it a public address (`/p/{token}`, the token drawn from the operating system's randomness,
//! unrelated to the plan's id) or, with `replace`, puts it at the territory's existing address
//! so that posters stay valid; `DELETE` revokes; `GET /v1/publications` lists them.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::ids::Owner;
use super::super::state::AppState;
use super::super::store::{JobKind, Publication, Published, now_ms};
use super::jobs::{parse_id, result};
use crate::error::{Error, Result, Violation};

/// Longest validity, days: the calendars and the page list every date within it.
pub const MAX_VALIDITY_DAYS: i64 = 731;
/// Longest description, characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// Random bytes of a public token (256 bits).
const TOKEN_BYTES: usize = 32;

/// What to publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// First day the timetable holds (`YYYY-MM-DD`).
    #[schema(value_type = String, format = Date)]
    pub valid_from: NaiveDate,
    /// Last day (the calendars' series end with it), at most two years after the first.
    #[schema(value_type = String, format = Date)]
    pub valid_until: NaiveDate,
    /// What the units offer, shown on the page and the posters (plain text).
    #[serde(default)]
    pub description: String,
    /// Show this plan at the territory's existing address (default false: `409` when there is
    /// one).
    #[serde(default)]
    pub replace: bool,
}

/// A public address.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationView {
    /// The address's token.
    pub token: String,
    /// The public page: `/p/{token}`.
    pub url: String,
    /// The plan it shows.
    pub plan_id: String,
    /// The territory it stands for (empty for problems with their own matrices).
    pub territory: String,
    /// First day of validity.
    pub valid_from: String,
    /// Last day of validity.
    pub valid_until: String,
    /// The description shown.
    pub description: String,
    /// When the address was first published (RFC 3339).
    pub published_at: String,
    /// When it last changed plan or validity.
    pub updated_at: String,
}

/// Everything published with this token.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationList {
    /// Oldest address first.
    pub publications: Vec<PublicationView>,
}

fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl From<Publication> for PublicationView {
    fn from(p: Publication) -> Self {
        PublicationView {
            url: format!("/p/{}", p.token),
            token: p.token,
            plan_id: p.plan.to_string(),
            territory: p.territory,
            valid_from: p.valid_from.to_string(),
            valid_until: p.valid_until.to_string(),
            description: p.description,
            published_at: rfc3339(p.published_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

/// A fresh public token: 256 bits from the operating system, as 64 hex digits (URL-safe).
///
/// # Errors
/// [`Error::Internal`] when the system has no randomness to give.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("no system randomness for a token: {e}")))?;
    Ok(super::super::auth::hex(&bytes))
}

/// Checks a request's fields, naming each that is wrong.
fn check(request: &PublishRequest) -> Result<()> {
    let mut violations = Vec::new();
    let days = (request.valid_until - request.valid_from).num_days();
    if days < 0 {
        violations.push(Violation::new(
            "/valid_until",
            format!(
                "the validity ends ({}) before it starts ({})",
                request.valid_until, request.valid_from
            ),
        ));
    } else if days >= MAX_VALIDITY_DAYS {
        violations.push(Violation::new(
            "/valid_until",
            format!(
                "a validity lasts at most {MAX_VALIDITY_DAYS} days; this one {}",
                days + 1
            ),
        ));
    }
    let length = request.description.chars().count();
    if length > MAX_DESCRIPTION_CHARS {
        violations.push(Violation::new(
            "/description",
            format!("at most {MAX_DESCRIPTION_CHARS} characters; got {length}"),
        ));
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(violations))
    }
}

/// Publish a finished plan.
///
/// Answers `201` with a new address, or `200` when `replace` put the plan at the territory's
/// existing one (same token, so printed posters stay valid). The token is random, 256 bits.
#[utoipa::path(post, path = "/v1/plans/{id}/publish", tag = "publication",
    params(("id" = String, Path, description = "Job id")),
    request_body = PublishRequest,
    responses(
        (status = 201, description = "Published at a new address", body = PublicationView),
        (status = 200, description = "The territory's address now shows this plan", body = PublicationView),
        (status = 404, description = "No such plan for this token", body = ErrorBody),
        (status = 409, description = "The plan is not finished, or the territory is already published and `replace` is false", body = ErrorBody),
        (status = 422, description = "Invalid validity or description, each with its field", body = ErrorBody),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    check(&request)?;
    result(&state, &owner, JobKind::Plan, id).await?;
    let territory = state
        .store
        .get(id, &owner, JobKind::Plan)
        .await?
        .and_then(|job| job.territory)
        .unwrap_or_default();
    let now = now_ms();
    let publication = Publication {
        token: new_token()?,
        owner,
        territory,
        plan: id,
        valid_from: request.valid_from,
        valid_until: request.valid_until,
        description: request.description.trim().to_owned(),
        published_at: now,
        updated_at: now,
    };
    Ok(
        match state.store.publish(&publication, request.replace).await? {
            Published::Created(p) => {
                (StatusCode::CREATED, Json(PublicationView::from(p))).into_response()
            }
            Published::Replaced(p) => {
                (StatusCode::OK, Json(PublicationView::from(p))).into_response()
            }
        },
    )
}

/// Revoke a plan's public address: `/p/{token}` answers `404` at once.
#[utoipa::path(delete, path = "/v1/plans/{id}/publish", tag = "publication",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "This plan is not published by this token", body = ErrorBody),
    ))]
pub async fn unpublish(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = parse_id(&id)?;
    if state.store.unpublish(&owner, id).await? == 0 {
        return Err(Error::NotFound(format!("publication of plan {id}")));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// What this token has published, and since when.
#[utoipa::path(get, path = "/v1/publications", tag = "publication",
    responses((status = 200, description = "The public addresses", body = PublicationList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
) -> Result<Json<PublicationList>> {
    let publications = state.store.publications(&owner).await?;
    Ok(Json(PublicationList {
        publications: publications
            .into_iter()
            .map(PublicationView::from)
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = new_token().expect("randomness");
        let b = new_token().expect("randomness");
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_validity_that_ends_first_or_lasts_too_long_names_its_field() {
        let request = |from: &str, until: &str, description: String| PublishRequest {
            valid_from: from.parse().expect("a date"),
            valid_until: until.parse().expect("a date"),
            description,
            replace: false,
        };
        let fields = |r: &PublishRequest| match check(r) {
            Err(Error::Invalid(list)) => list.into_iter().map(|v| v.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields(&request("2026-06-01", "2026-05-31", "x".repeat(2_001))),
            ["/valid_until", "/description"]
        );
        assert_eq!(
            fields(&request("2026-01-01", "2028-01-02", String::new())),
            ["/valid_until"]
        );
        assert!(check(&request("2026-01-01", "2026-01-01", String::new())).is_ok());
    }
}
