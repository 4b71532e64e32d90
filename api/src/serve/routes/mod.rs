//! The HTTP routes and the layers around them; the OpenAPI document is generated from the
//! handlers' annotations and types.

pub mod attendance;
pub mod check;
pub mod coverage;
pub mod exports;
pub mod geocode;
pub mod jobs;
pub mod matrix;
pub mod ops;
pub mod page;
pub mod plans;
pub mod public;
pub mod publish;
pub mod territories;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{authenticate, authenticate_vroom};
use super::config::Config;
use super::errors::{ErrorBody, json_errors};
use super::metrics::track;
use super::security::{Headers, public_limiter, rate_limit, security_headers};
use super::state::AppState;
use super::vroom;

/// The OpenAPI document's fixed parts; paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tournée",
        description = "Plans the weekly rounds of mobile public-service units. Submit a planning problem (docs/planning-format.md) as a job, follow it, fetch the plan and its exports; or submit a coverage request to choose the stops first. With access control on, every /v1 route needs `Authorization: Bearer TOKEN` (/vroom and /optimization also take the bare `Authorization: TOKEN` that openrouteservice clients send), and each job is visible only to the token that created it. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`."
    ),
    tags(
        (name = "plans", description = "Planning jobs"),
        (name = "exports", description = "Calendars, GeoJSON and timetables of finished plans"),
        (name = "publication", description = "The citizens' timetable: a finished plan at a public address /p/{token}, with its page, calendars and posters"),
        (name = "coverage", description = "Coverage jobs: where to stop so that inhabitants have a stop within N minutes"),
        (name = "attendance", description = "Attendance from the field: records per visit, their summary and advice, and the proposed re-plan"),
        (name = "helpers", description = "Matrices, territories, points of interest, addresses, plan checks"),
        (name = "vroom", description = "VROOM-compatible solving, also at openrouteservice's /optimization path"),
        (name = "operations", description = "Health, readiness, metrics"),
    ),
    components(schemas(ErrorBody)),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The routes (with their OpenAPI description) without the outer layers.
fn api_routes(state: &AppState) -> OpenApiRouter<AppState> {
    let protected = OpenApiRouter::new()
        .routes(routes!(plans::submit, plans::list))
        .routes(routes!(plans::get, plans::delete))
        .routes(routes!(plans::cancel))
        .routes(routes!(plans::events))
        .routes(routes!(exports::unit_calendar))
        .routes(routes!(exports::public_calendar))
        .routes(routes!(exports::plan_geojson))
        .routes(routes!(exports::timetable_csv))
        .routes(routes!(exports::problem_json))
        .routes(routes!(matrix::matrix))
        .routes(routes!(territories::territories))
        .routes(routes!(territories::pois))
        .routes(routes!(geocode::search, geocode::batch))
        .routes(routes!(geocode::reverse))
        .routes(routes!(check::check))
        .routes(routes!(coverage::submit, coverage::list))
        .routes(routes!(coverage::get, coverage::delete))
        .routes(routes!(coverage::cancel))
        .routes(routes!(coverage::events))
        .routes(routes!(coverage::map))
        .routes(routes!(coverage::problem))
        .routes(routes!(page::roads))
        .routes(routes!(page::demo))
        .routes(routes!(publish::publish, publish::unpublish))
        .routes(routes!(publish::list))
        .routes(routes!(attendance::record, attendance::read))
        .routes(routes!(attendance::summary))
        .routes(routes!(attendance::proposal))
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate));
    let vroom_compatible = OpenApiRouter::new()
        .routes(routes!(vroom::solve))
        .routes(routes!(vroom::optimization))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            authenticate_vroom,
        ));
    let open = OpenApiRouter::new()
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(protected)
        .merge(vroom_compatible)
        .merge(open)
}

/// The public timetable's routes (`/p/{token}/…`), open to all, rate-limited per address.
fn public_routes(config: &Config) -> Router<AppState> {
    Router::new()
        .route("/p/{token}", get(public::page))
        .route("/p/{token}/data.json", get(public::data))
        .route("/p/{token}/rues.geojson", get(public::streets))
        .route("/p/{token}/calendrier.ics", get(public::calendar_all))
        .route("/p/{token}/arret/{file}", get(public::calendar_stop))
        .route("/p/{token}/affiche/{stop}", get(public::poster))
        .route_layer(middleware::from_fn_with_state(
            public_limiter(config.public_rate_limit),
            rate_limit,
        ))
}

/// The whole application: routes, `/openapi.json`, `/docs`, and the layers (tracing, JSON
/// errors, metrics, timeout, body limit, CORS when configured).
pub fn app(state: AppState) -> Router {
    let (router, api) = api_routes(&state).split_for_parts();
    let json = api.to_pretty_json().unwrap_or_else(|_| "{}".into());
    let page = serde_json::from_str(&json)
        .map(|doc| super::docs::render(&doc))
        .unwrap_or_default();
    let config = state.config.clone();
    let mut router = router
        .route(
            "/openapi.json",
            get(
                move || async move { ([(CONTENT_TYPE, "application/json")], json).into_response() },
            ),
        )
        .route("/docs", get(move || async move { Html(page) }))
        .merge(crate::web::assets::routes(config.tile_url.clone()))
        .merge(public_routes(&config))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_s),
        ))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(
            Arc::new(Headers::new(&config)),
            security_headers,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                // The route pattern only: never query strings or bodies.
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("unmatched", MatchedPath::as_str);
                tracing::info_span!("http", method = %request.method(), route)
            }),
        );
    if !config.cors_origins.is_empty() {
        let origins = if config.cors_origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                config
                    .cors_origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        };
        router = router.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([AUTHORIZATION, CONTENT_TYPE]),
        );
    }
    router.with_state(state)
}

#[cfg(test)]
mod tests;
