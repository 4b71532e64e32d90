//! Helper routes: travel matrices, the loaded territories and their candidate stop sites, and
//! checking a plan against its problem.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::PlanningProblem;
use osm_data::geo::Coord;
use osm_data::pois::PoiKind;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::state::AppState;
use crate::error::{Error, Result, Violation};
use crate::limits::{Limit, Size, planning_size};
use osm_data::progress::Silent;
use territory::pois::{POI_KINDS, poi_kind, pois_geojson};
use territory::profiles::KINDS;
use territory::validate::planning_problem;

/// A point of a matrix request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixPoint {
    /// Your id for it (echoed back).
    #[serde(default)]
    pub id: Option<String>,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// `POST /v1/matrix`: points and a profile.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixRequest {
    /// A loaded territory's id.
    pub territory: String,
    /// `car`, `bus`, `camping_car` or `triporteur` (default numbers of the profile).
    pub profile: String,
    /// The points: at least 1, at most the service's `max_matrix_points` (default 2000).
    pub points: Vec<MatrixPoint>,
    /// Farthest a point may be from a usable road, metres (default 500).
    #[serde(default)]
    pub snap_limit_m: Option<f64>,
}

/// Travel times and distances between every pair of points.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixResponse {
    /// The ids given (or the indices).
    pub ids: Vec<String>,
    /// Seconds from row to column.
    pub durations_s: Vec<Vec<u32>>,
    /// Metres from row to column.
    pub distances_m: Vec<Vec<u32>>,
    /// Where each point was placed on the road, `[lat, lon]`, and how far it moved (m).
    pub snapped: Vec<Snapped>,
}

/// A point placed on the road network.
#[derive(Debug, Serialize, ToSchema)]
pub struct Snapped {
    /// Latitude on the road.
    pub lat: f64,
    /// Longitude on the road.
    pub lon: f64,
    /// Metres moved.
    pub distance_m: f64,
}

/// Travel-time and distance matrices on a loaded territory.
#[utoipa::path(post, path = "/v1/matrix", tag = "helpers",
    request_body = MatrixRequest,
    responses(
        (status = 200, description = "Matrices", body = MatrixResponse),
        (status = 413, description = "More points than `max_matrix_points` (default 2000): `count`, `limit`, `field`", body = ErrorBody),
        (status = 422, description = "Unknown territory or profile, a point off the roads", body = ErrorBody),
    ))]
pub async fn matrix(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<MatrixRequest>,
) -> Result<Json<MatrixResponse>> {
    Limit::matrix_points(state.config.max_matrix_points)
        .check(Size::sum(&[("/points", request.points.len())]))?;
    let kind: ProfileKind = request.profile.parse().map_err(|_| {
        invalid(
            "/profile",
            format!(
                "unknown profile {:?}: car, bus, camping_car or triporteur",
                request.profile
            ),
        )
    })?;
    if request.points.is_empty() {
        return Err(invalid("/points", "give at least one point".into()));
    }
    let limit = request.snap_limit_m.unwrap_or(DEFAULT_SNAP_LIMIT_M);
    if !(limit.is_finite() && limit > 0.0 && limit <= 10_000.0) {
        return Err(invalid(
            "/snap_limit_m",
            format!("must be above 0 and at most 10000, got {limit}"),
        ));
    }
    let answer = state
        .compute(move |state| {
            let territories = state.territories()?;
            let territory = territories.get(&request.territory).ok_or_else(|| {
                invalid(
                    "/territory",
                    format!("no territory {:?} is loaded", request.territory),
                )
            })?;
            let router = territory.router(&Profile::new(kind), &territories.cache)?;
            let coords: Vec<Coord> = request
                .points
                .iter()
                .map(|p| Coord::new(p.lat, p.lon))
                .collect();
            let mut snaps = Vec::with_capacity(coords.len());
            let mut violations = Vec::new();
            for (i, at) in coords.iter().enumerate() {
                match router.snap(&[*at], limit) {
                    Ok(mut snap) => snaps.append(&mut snap),
                    Err(e) => {
                        violations.push(Violation::new(format!("/points/{i}"), e.to_string()))
                    }
                }
            }
            if !violations.is_empty() {
                return Err(Error::Invalid(violations));
            }
            let m = router.matrix(&snaps, &snaps)?;
            let n = snaps.len();
            Ok(MatrixResponse {
                ids: request
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.id.clone().unwrap_or_else(|| i.to_string()))
                    .collect(),
                durations_s: (0..n)
                    .map(|i| (0..n).map(|j| m.duration_s(i, j)).collect())
                    .collect(),
                distances_m: (0..n)
                    .map(|i| (0..n).map(|j| m.distance_m(i, j)).collect())
                    .collect(),
                snapped: snaps
                    .iter()
                    .map(|s| Snapped {
                        lat: s.point.lat,
                        lon: s.point.lon,
                        distance_m: s.distance_m,
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(answer))
}

fn invalid(field: &str, message: String) -> Error {
    Error::Invalid(vec![Violation::new(field, message)])
}

/// A loaded territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryView {
    /// Its id, to name in problems (`{"extract": "andorra-2021"}`) and URLs.
    pub id: String,
    /// The extract's file name.
    pub file: String,
    /// `[min_lon, min_lat, max_lon, max_lat]` of its road network (GeoJSON order).
    pub bbox: Option<[f64; 4]>,
    /// Road network nodes per profile.
    pub profiles: Vec<ProfileView>,
    /// Candidate stop sites found.
    pub pois: usize,
    /// Where the data comes from.
    pub attribution: &'static str,
}

/// A profile's network.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    /// `bus`, `camping_car`, `triporteur` or `car`.
    pub profile: &'static str,
    /// Junctions of its network.
    pub nodes: usize,
}

/// The territories loaded at start and their bounding boxes.
#[utoipa::path(get, path = "/v1/territories", tag = "helpers",
    responses(
        (status = 200, description = "Loaded territories", body = Vec<TerritoryView>),
        (status = 503, description = "Still loading", body = ErrorBody),
    ))]
pub async fn territories(State(state): State<AppState>) -> Result<Json<Vec<TerritoryView>>> {
    let list = state
        .territories()?
        .list
        .iter()
        .map(|t| TerritoryView {
            id: t.id.clone(),
            file: t
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bbox: t
                .bbox()
                .map(|b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat]),
            profiles: KINDS
                .iter()
                .filter_map(|kind| {
                    let router = t.loaded_router(*kind)?;
                    Some(ProfileView {
                        profile: kind.name(),
                        nodes: router.graph().node_count(),
                    })
                })
                .collect(),
            pois: t.pois(&Silent).map_or(0, <[_]>::len),
            attribution: "© OpenStreetMap contributors, ODbL",
        })
        .collect();
    Ok(Json(list))
}

/// Filter of the points of interest.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PoiQuery {
    /// Only these kinds, comma-separated: marketplace, library, townhall, community_centre,
    /// social_facility, parking, city, town, village, hamlet.
    pub kind: Option<String>,
}

/// Candidate stop sites of a territory, as GeoJSON points.
#[utoipa::path(get, path = "/v1/territories/{id}/pois", tag = "helpers",
    params(("id" = String, Path, description = "Territory id"), PoiQuery),
    responses(
        (status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No such territory", body = ErrorBody),
        (status = 422, description = "Unknown kind", body = ErrorBody),
    ))]
pub async fn pois(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PoiQuery>,
) -> Result<axum::response::Response> {
    let territory = state
        .territories()?
        .get(&id)
        .ok_or_else(|| Error::NotFound(format!("territory {id:?}")))?;
    let kinds: Vec<PoiKind> = match query.kind.as_deref() {
        None | Some("") => POI_KINDS.to_vec(),
        Some(list) => list
            .split(',')
            .map(|name| {
                poi_kind(name.trim())
                    .ok_or_else(|| invalid("/kind", format!("unknown kind {name:?}")))
            })
            .collect::<Result<_>>()?,
    };
    let pois = territory.pois(&Silent)?;
    let body = pois_geojson(pois.iter().filter(|p| kinds.contains(&p.kind)));
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
        body.to_string(),
    )
        .into_response())
}

/// `POST /v1/check`: a problem and a plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The planning problem.
    #[schema(value_type = Object)]
    pub problem: PlanningProblem,
    /// The plan to check.
    #[schema(value_type = Object)]
    pub plan: Plan,
}

/// Every rule the plan breaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResponse {
    /// Whether every rule holds.
    pub valid: bool,
    /// Each broken rule: `code`, `id`, `date`, `message`.
    #[schema(value_type = Vec<Object>)]
    pub violations: Vec<optimizer::planning::check::PlanViolation>,
}

/// Checks a plan against its problem independently of the solver, listing every broken rule.
#[utoipa::path(post, path = "/v1/check", tag = "helpers",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The verdict", body = CheckResponse),
        (status = 413, description = "More places than `max_places` (default 5000): `count`, `limit`, `field`", body = ErrorBody),
        (status = 422, description = "Invalid problem", body = ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CheckRequest>,
) -> Result<Json<CheckResponse>> {
    Limit::places(state.config.max_places)
        .check(planning_size(&request.problem).under("/problem"))?;
    planning_problem(&request.problem).map_err(|e| prefix(e, "/problem"))?;
    let answer = state
        .compute(move |state| {
            let matrices = state
                .territories()?
                .matrices(&request.problem)
                .map_err(|e| prefix(e, "/problem"))?;
            let violations = check_plan(&request.problem, &matrices, &request.plan);
            Ok(CheckResponse {
                valid: violations.is_empty(),
                violations,
            })
        })
        .await?;
    Ok(Json(answer))
}

/// Moves the fields of a problem's violations under `prefix` (the problem is nested).
fn prefix(error: impl Into<Error>, prefix: &str) -> Error {
    let shift = |list: Vec<Violation>| {
        list.into_iter()
            .map(|v| Violation::new(format!("{prefix}{}", v.field), v.message))
            .collect()
    };
    match error.into() {
        Error::Planning(optimizer::Error::Invalid(list)) => {
            Error::Invalid(shift(super::super::errors::planning_violations(&list)))
        }
        Error::Invalid(list) => Error::Invalid(shift(list)),
        other => other,
    }
}
