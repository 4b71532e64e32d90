//! Errors as HTTP answers: every client error is `{"error": {"code", "message", "field"}}`
//! with the status that fits; internal details are logged, never sent.

use axum::Json;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{Error, Violation};

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `malformed_json`, `invalid`, `not_found`, `conflict`, `too_large` (a
    /// body over the byte limit, or with a `field`, a request over a size limit),
    /// `queue_full`, `busy`, `unauthorized`, `timeout`, `unavailable`, `geocoder_failed` (the
    /// remote geocoder did not answer well: 502), `internal`…
    pub code: &'static str,
    /// The error in a sentence.
    pub message: String,
    /// JSON pointer of the first offending field (`/stops/3/opening_hours/mon/0`), when one is
    /// at fault; empty for the whole document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every violation, for `invalid` bodies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
    /// Line of a JSON syntax error (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column of a JSON syntax error (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// For a request over a size limit (`too_large` with a `field`): how many places, points
    /// or pairs it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// For a request over a size limit: the most the service accepts (its `max_…` setting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

impl ErrorDetail {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        ErrorDetail {
            code,
            message: message.into(),
            field: None,
            violations: Vec::new(),
            line: None,
            column: None,
            count: None,
            limit: None,
        }
    }
}

/// An error answer with the given status and detail.
pub fn reply(status: StatusCode, detail: ErrorDetail) -> Response {
    (status, Json(ErrorBody { error: detail })).into_response()
}

/// The violations of an invalid planning problem, as JSON pointers.
pub fn planning_violations(errors: &[optimizer::FieldError]) -> Vec<Violation> {
    errors
        .iter()
        .map(|e| Violation::from_path(&e.path, e.message.clone()))
        .collect()
}

/// Every field at fault when `error` refuses a request (a request or a planning problem that
/// breaks rules of its format), as JSON pointers; `None` for any other error. The one reading
/// of an error as violations, for answers (`422`) and stored job failures alike.
pub fn violations(error: &Error) -> Option<Vec<Violation>> {
    match error {
        Error::Invalid(list) => Some(list.clone()),
        Error::Planning(optimizer::Error::Invalid(errors)) => Some(planning_violations(errors)),
        _ => None,
    }
}

fn invalid(violations: Vec<Violation>) -> Response {
    let mut detail = ErrorDetail::new(
        "invalid",
        match violations.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        },
    );
    detail.field = violations.first().map(|v| v.field.clone());
    detail.violations = violations;
    reply(StatusCode::UNPROCESSABLE_ENTITY, detail)
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Some(list) = violations(&self) {
            return invalid(list);
        }
        match self {
            Error::MalformedJson {
                line,
                column,
                message,
            } => {
                let mut detail = ErrorDetail::new(
                    "malformed_json",
                    format!("malformed JSON at line {line}, column {column}: {message}"),
                );
                detail.field = Some(String::new());
                detail.line = Some(line);
                detail.column = Some(column);
                reply(StatusCode::BAD_REQUEST, detail)
            }
            Error::NotFound(what) => reply(
                StatusCode::NOT_FOUND,
                ErrorDetail::new("not_found", format!("{what} not found")),
            ),
            Error::Conflict(message) => {
                reply(StatusCode::CONFLICT, ErrorDetail::new("conflict", message))
            }
            Error::TooLarge { limit_bytes } => reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorDetail::new(
                    "too_large",
                    format!("the request body exceeds {limit_bytes} bytes"),
                ),
            ),
            Error::OverLimit {
                ref field,
                count,
                limit,
                ..
            } => {
                let mut detail = ErrorDetail::new("too_large", self.to_string());
                detail.field = Some(field.clone());
                detail.count = Some(count);
                detail.limit = Some(limit);
                reply(StatusCode::PAYLOAD_TOO_LARGE, detail)
            }
            Error::QueueFull {
                queued,
                retry_after_s,
            } => retry_later(
                ErrorDetail::new(
                    "queue_full",
                    format!("the job queue is full ({queued} waiting); retry in {retry_after_s} s"),
                ),
                retry_after_s,
            ),
            Error::Busy { retry_after_s } => retry_later(
                ErrorDetail::new(
                    "busy",
                    format!("every worker is busy; retry in {retry_after_s} s"),
                ),
                retry_after_s,
            ),
            Error::RateLimited { retry_after_s } => retry_later(
                ErrorDetail::new(
                    "rate_limited",
                    format!("too many requests; retry in {retry_after_s} s"),
                ),
                retry_after_s,
            ),
            Error::Unauthorized => {
                let mut response = reply(
                    StatusCode::UNAUTHORIZED,
                    ErrorDetail::new(
                        "unauthorized",
                        "a valid `Authorization: Bearer` token is required",
                    ),
                );
                response
                    .headers_mut()
                    .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            Error::Unavailable(message) => {
                let mut response = reply(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorDetail::new("unavailable", message),
                );
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
            Error::Geocoder(geocoder::Error::InvalidQuery(message)) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorDetail::new("invalid", message),
            ),
            Error::Geocoder(
                remote @ (geocoder::Error::Timeout { .. }
                | geocoder::Error::Unreachable { .. }
                | geocoder::Error::Status { .. }
                | geocoder::Error::Malformed { .. }),
            ) => {
                tracing::warn!(error = %remote, "the remote geocoder failed");
                reply(
                    StatusCode::BAD_GATEWAY,
                    ErrorDetail::new("geocoder_failed", remote.to_string()),
                )
            }
            Error::Argument(message) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorDetail::new("invalid", message),
            ),
            Error::Osm(source) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorDetail::new("routing", source.to_string()),
            ),
            other => {
                tracing::error!(error = %other, "internal error");
                reply(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorDetail::new("internal", "internal error; it has been logged"),
                )
            }
        }
    }
}

/// A 429 answer saying when to come back (`Retry-After`, seconds).
fn retry_later(detail: ErrorDetail, retry_after_s: u64) -> Response {
    let mut response = reply(StatusCode::TOO_MANY_REQUESTS, detail);
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry_after_s));
    response
}

/// Middleware that gives a JSON body to the error answers axum and tower-http produce on their
/// own (unknown route, wrong method, timeout, body too large), so that every error is JSON.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let said = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .filter(|text| !text.trim().is_empty() && status.is_client_error());
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such route"),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "this route does not take that method")
        }
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send JSON"),
        s if s.is_client_error() => ("bad_request", "the request is not acceptable"),
        _ => ("internal", "internal error; it has been logged"),
    };
    let mut answer = reply(
        status,
        ErrorDetail::new(code, said.unwrap_or_else(|| message.into())),
    );
    for name in [RETRY_AFTER, WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}
