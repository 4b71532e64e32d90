//! `GET /v1/territories` and `GET /v1/territories/{id}/pois`: the loaded territories and their
//! candidate stop sites.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use osm_data::pois::PoiKind;
use osm_data::progress::Silent;
use serde::{Deserialize, Serialize};
use territory::pois::{POI_KINDS, poi_kind, pois_geojson};
use territory::profiles::KINDS;
use utoipa::{IntoParams, ToSchema};

use super::super::errors::ErrorBody;
use super::super::state::AppState;
use crate::error::{Error, Result};

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
                    .ok_or_else(|| Error::invalid("/kind", format!("unknown kind {name:?}")))
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
