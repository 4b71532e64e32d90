//! `POST /v1/matrix`: travel-time and distance matrices between points on a loaded territory.

use axum::Json;
use axum::extract::State;
use osm_data::geo::Coord;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::state::AppState;
use crate::error::{Error, Result, Violation};
use crate::limits::{Limit, Size};

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
        Error::invalid(
            "/profile",
            format!(
                "unknown profile {:?}: car, bus, camping_car or triporteur",
                request.profile
            ),
        )
    })?;
    if request.points.is_empty() {
        return Err(Error::invalid("/points", "give at least one point"));
    }
    let limit = request.snap_limit_m.unwrap_or(DEFAULT_SNAP_LIMIT_M);
    if !(limit.is_finite() && limit > 0.0 && limit <= 10_000.0) {
        return Err(Error::invalid(
            "/snap_limit_m",
            format!("must be above 0 and at most 10000, got {limit}"),
        ));
    }
    let answer = state
        .compute(move |state| {
            let territories = state.territories()?;
            let territory = territories.get(&request.territory).ok_or_else(|| {
                Error::invalid(
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
