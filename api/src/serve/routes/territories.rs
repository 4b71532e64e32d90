//! `GET /v1/territories` and `GET /v1/territories/{id}/pois`: the territories of the deployment
//! (loaded here or by another live instance sharing the database) and their candidate stop
//! sites.

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
use super::super::registry::alive;
use super::super::state::AppState;
use crate::error::{Error, Result};

/// A territory of the deployment.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryView {
    /// Its id, to name in problems (`{"extract": "andorra-2021"}`) and URLs.
    pub id: String,
    /// Whether this instance holds it: its roads, points of interest, matrices and maps are
    /// served here; jobs for it are accepted by every instance either way.
    pub here: bool,
    /// The live instances that hold it, with their readiness (from the shared database).
    pub instances: Vec<HolderView>,
    /// The extract's file name (territories held here).
    pub file: Option<String>,
    /// `[min_lon, min_lat, max_lon, max_lat]` of its road network (GeoJSON order).
    pub bbox: Option<[f64; 4]>,
    /// Road network nodes per profile (territories held here).
    pub profiles: Vec<ProfileView>,
    /// Candidate stop sites found (territories held here).
    pub pois: Option<usize>,
    /// Where the data comes from.
    pub attribution: &'static str,
}

/// An instance holding a territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolderView {
    /// The instance's id.
    pub instance: String,
    /// Where it listens.
    pub address: String,
    /// Whether the territory is loaded there (false while it loads).
    pub ready: bool,
}

/// A profile's network.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    /// `bus`, `camping_car`, `triporteur` or `car`.
    pub profile: &'static str,
    /// Junctions of its network.
    pub nodes: usize,
}

/// The territories of the deployment: those loaded here, with their bounding boxes and
/// networks, then those only other live instances hold; each with the instances holding it.
#[utoipa::path(get, path = "/v1/territories", tag = "helpers",
    responses(
        (status = 200, description = "Territories", body = Vec<TerritoryView>),
        (status = 503, description = "Still loading", body = ErrorBody),
    ))]
pub async fn territories(State(state): State<AppState>) -> Result<Json<Vec<TerritoryView>>> {
    let alive = alive(&state.store).await?;
    let holders = |id: &str| -> Vec<HolderView> {
        alive
            .iter()
            .filter_map(|instance| {
                let held = instance.territories.iter().find(|t| t.id == id)?;
                Some(HolderView {
                    instance: instance.id.clone(),
                    address: instance.address.clone(),
                    ready: held.ready,
                })
            })
            .collect()
    };
    let mut list: Vec<TerritoryView> = state
        .territories()?
        .list
        .iter()
        .map(|t| TerritoryView {
            id: t.id.clone(),
            here: true,
            instances: holders(&t.id),
            file: t.path.file_name().map(|n| n.to_string_lossy().into_owned()),
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
            pois: t.pois(&Silent).ok().map(<[_]>::len),
            attribution: "© OpenStreetMap contributors, ODbL",
        })
        .collect();
    let mut elsewhere: Vec<&str> = alive
        .iter()
        .flat_map(|i| i.territories.iter().map(|t| t.id.as_str()))
        .filter(|id| !list.iter().any(|t| t.id == *id))
        .collect();
    elsewhere.sort_unstable();
    elsewhere.dedup();
    list.extend(elsewhere.into_iter().map(|id| TerritoryView {
        id: id.to_owned(),
        here: false,
        instances: holders(id),
        file: None,
        bbox: None,
        profiles: Vec::new(),
        pois: None,
        attribution: "© OpenStreetMap contributors, ODbL",
    }));
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
