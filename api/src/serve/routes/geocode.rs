//! `GET /v1/territories/{id}/geocode`, `GET /v1/territories/{id}/reverse` and the batch
//! `POST /v1/territories/{id}/geocode`: addresses to positions and back, answered in the BAN
//! API's GeoJSON shape whichever geocoder finds them.

use axum::Json;
use axum::extract::{Path, Query, State};
use geocoder::resolve::{Resolution, resolve};
use geocoder::{Candidate, Coord, Kind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::super::body::JsonBody;
use super::super::errors::ErrorBody;
use super::super::geocoding::{blocking, geocoder};
use super::super::state::AppState;
use crate::error::{Error, Result};
use crate::limits::{Limit, Size};

/// Candidates a search returns unless told.
const DEFAULT_LIMIT: usize = 5;

/// The most candidates one search may return.
const MAX_LIMIT: usize = 20;

/// A search.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct SearchParams {
    /// What to find: "15 avinguda doctor mitjavila", "Mairie de Felletin".
    pub q: String,
    /// Candidates at most, 1 to 20 [default: 5].
    pub limit: Option<usize>,
    /// Only candidates with this postcode.
    pub postcode: Option<String>,
    /// Only candidates in this commune.
    pub city: Option<String>,
}

/// A position to label.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReverseParams {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// The BAN answer: candidates best first, as GeoJSON points.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The candidates, best first.
    pub features: Vec<Feature>,
}

/// One candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Where it is.
    pub geometry: PointGeometry,
    /// What it is, as the BAN API names it.
    pub properties: Properties,
}

/// A GeoJSON point.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointGeometry {
    /// Always `Point`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
}

/// A candidate's properties, named as the BAN API names them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Properties {
    /// How the place is written for a person.
    pub label: String,
    /// How well it matches, in [0, 1] (1 for a reverse lookup).
    pub score: f64,
    /// `housenumber`, `street`, `place` or `poi`.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Its postcode, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Its commune, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its commune's INSEE code, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citycode: Option<String>,
}

impl From<Candidate> for Feature {
    fn from(c: Candidate) -> Self {
        Feature {
            kind: "Feature",
            geometry: PointGeometry {
                kind: "Point",
                coordinates: [c.position.lon, c.position.lat],
            },
            properties: Properties {
                label: c.label,
                score: c.score,
                kind: c.kind,
                postcode: c.postcode,
                city: c.city,
                citycode: c.citycode,
            },
        }
    }
}

impl FeatureCollection {
    fn of(candidates: Vec<Candidate>) -> Self {
        FeatureCollection {
            kind: "FeatureCollection",
            features: candidates.into_iter().map(Feature::from).collect(),
        }
    }
}

/// A batch of searches: a spreadsheet's address column.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    /// The searches, answered in the same order.
    pub queries: Vec<SearchParams>,
}

/// The answers of a batch, in the order of its queries.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAnswer {
    /// One per query.
    pub results: Vec<BatchResult>,
}

/// The answer to one query of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    /// Whether the best candidate may be taken: `found`, `ambiguous`, `low_confidence` or
    /// `not_found` (the rule a planning problem's addresses are held to).
    #[serde(rename = "match")]
    pub outcome: Match,
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The candidates, best first.
    pub features: Vec<Feature>,
}

/// What a search's candidates allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// The best candidate is safe to take.
    Found,
    /// Several score alike at different places.
    Ambiguous,
    /// The best scores too low to be taken.
    LowConfidence,
    /// Nothing matched.
    NotFound,
}

/// The search of `params`, checked; `at` prefixes the fields named in errors (`/queries/3`).
fn query(params: SearchParams, at: &str) -> Result<geocoder::Query> {
    if params.q.trim().is_empty() {
        return Err(Error::invalid(&format!("{at}/q"), "must not be empty"));
    }
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::invalid(
            &format!("{at}/limit"),
            format!("must be 1 to {MAX_LIMIT}, got {limit}"),
        ));
    }
    let mut query = geocoder::Query::new(params.q, limit);
    query.postcode = params.postcode.filter(|p| !p.trim().is_empty());
    query.city = params.city.filter(|c| !c.trim().is_empty());
    Ok(query)
}

/// Find addresses, streets and places of a territory.
///
/// Candidates best first, each with its label, `score` in [0, 1], `type` and position, in the
/// BAN API's GeoJSON shape.
#[utoipa::path(get, path = "/v1/territories/{id}/geocode", tag = "helpers",
    params(("id" = String, Path, description = "Territory id"), SearchParams),
    responses(
        (status = 200, description = "Candidates, best first", body = FeatureCollection),
        (status = 404, description = "No such territory", body = ErrorBody),
        (status = 422, description = "Empty `q` or `limit` out of range", body = ErrorBody),
        (status = 502, description = "The remote geocoder failed: the reason", body = ErrorBody),
        (status = 503, description = "No geocoder configured", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<SearchParams>,
) -> Result<Json<FeatureCollection>> {
    let geocoder = geocoder(&state, &id)?;
    let query = query(params, "")?;
    let candidates = blocking(move || Ok(geocoder.search(&query)?)).await?;
    Ok(Json(FeatureCollection::of(candidates)))
}

/// The nearest address to a position, to label a place clicked on the map.
///
/// A collection of one feature (none when nothing is known near).
#[utoipa::path(get, path = "/v1/territories/{id}/reverse", tag = "helpers",
    params(("id" = String, Path, description = "Territory id"), ReverseParams),
    responses(
        (status = 200, description = "The nearest address, or no feature", body = FeatureCollection),
        (status = 404, description = "No such territory", body = ErrorBody),
        (status = 422, description = "Not a position", body = ErrorBody),
        (status = 502, description = "The remote geocoder failed: the reason", body = ErrorBody),
        (status = 503, description = "No geocoder configured", body = ErrorBody),
    ))]
pub async fn reverse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<ReverseParams>,
) -> Result<Json<FeatureCollection>> {
    let geocoder = geocoder(&state, &id)?;
    let at = Coord::new(params.lat, params.lon);
    let nearest = blocking(move || Ok(geocoder.reverse(at)?)).await?;
    Ok(Json(FeatureCollection::of(nearest.into_iter().collect())))
}

/// Find many addresses at once (an imported spreadsheet's column).
///
/// Each query is answered as the GET search is, with `match` saying whether its best
/// candidate may be taken. More queries than `max_geocode_batch` (default 1000) get `413`.
/// The first failure of the remote geocoder stops the batch with `502`.
#[utoipa::path(post, path = "/v1/territories/{id}/geocode", tag = "helpers",
    params(("id" = String, Path, description = "Territory id")),
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One result per query, in order", body = BatchAnswer),
        (status = 404, description = "No such territory", body = ErrorBody),
        (status = 413, description = "More queries than `max_geocode_batch`", body = ErrorBody),
        (status = 422, description = "A query is invalid: its field", body = ErrorBody),
        (status = 502, description = "The remote geocoder failed: the reason", body = ErrorBody),
        (status = 503, description = "No geocoder configured", body = ErrorBody),
    ))]
pub async fn batch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<BatchRequest>,
) -> Result<Json<BatchAnswer>> {
    Limit::geocode_batch(state.config.max_geocode_batch)
        .check(Size::sum(&[("/queries", request.queries.len())]))?;
    let geocoder = geocoder(&state, &id)?;
    let queries = (request.queries.into_iter().enumerate())
        .map(|(i, params)| query(params, &format!("/queries/{i}")))
        .collect::<Result<Vec<_>>>()?;
    let results = blocking(move || {
        queries
            .iter()
            .map(|query| {
                let candidates = geocoder.search(query)?;
                let outcome = match resolve(candidates.clone()) {
                    Resolution::Found(_) => Match::Found,
                    Resolution::Ambiguous(_) => Match::Ambiguous,
                    Resolution::LowConfidence(_) => Match::LowConfidence,
                    Resolution::NotFound => Match::NotFound,
                };
                Ok(BatchResult {
                    outcome,
                    kind: "FeatureCollection",
                    features: candidates.into_iter().map(Feature::from).collect(),
                })
            })
            .collect::<Result<Vec<_>>>()
    })
    .await?;
    Ok(Json(BatchAnswer { results }))
}
