//! The public timetable's routes, open to anyone who has the address: `/p/{token}` (the page),
//! `data.json` (what its map and search read), `rues.geojson` (the streets under the map),
//! `calendrier.ics` (every stop), `arret/{stop}.ics`
//! (one stop), `affiche/{stop}` (a stop's poster). A token only ever opens its own plan's public
//! stops; a revoked or unknown token answers `404`.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use chrono_tz::Tz;
use optimizer::planning::problem::Territory as ProblemTerritory;
use territory::extract::territory_id;

use super::super::exports::Documents;
use super::super::exports::ics::{Audience, calendar};
use super::super::exports::validity::Validity;
use super::super::public::french::path_segment;
use super::super::public::timetable::{Timetable, timetable};
use super::super::public::{page, poster};
use super::super::state::AppState;
use super::super::store::Publication;
use super::exports::{documents, file};
use super::page::road_layer;
use crate::error::{Error, Result};

/// The publication behind a token and its documents; `404` alike for an unknown token, a
/// revoked one, and a plan deleted since.
async fn published(state: &AppState, token: &str) -> Result<(Publication, Documents)> {
    let gone = || Error::NotFound("public timetable".into());
    let publication = state.store.publication(token).await?.ok_or_else(gone)?;
    let docs = documents(state, publication.plan, &publication.owner)
        .await
        .map_err(|_| gone())?;
    Ok((publication, docs))
}

fn validity(publication: &Publication) -> Validity {
    Validity {
        from: publication.valid_from,
        until: publication.valid_until,
    }
}

/// The timetable as of today in the plan's time zone.
fn today_timetable(publication: &Publication, docs: &Documents) -> Timetable {
    let tz: Tz = docs
        .plan
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
    let today = Utc::now().with_timezone(&tz).date_naive();
    timetable(docs, validity(publication), &publication.description, today)
}

/// The public page.
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (publication, docs) = published(&state, &token).await?;
    let timetable = today_timetable(&publication, &docs);
    Ok(Html(page::render(
        &timetable,
        &token,
        state.config.tile_url.as_deref(),
    ))
    .into_response())
}

/// The page's data: units and stops with their slots, dates and positions.
pub async fn data(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (publication, docs) = published(&state, &token).await?;
    let timetable = today_timetable(&publication, &docs);
    let text = serde_json::to_string(&timetable)
        .map_err(|e| Error::Internal(format!("encoding the timetable: {e}")))?;
    Ok(([(CONTENT_TYPE, "application/json")], text).into_response())
}

/// The streets under the public map: the published plan's territory's road layer (public
/// OpenStreetMap data), so that the stops are seen among the streets without a tile server.
pub async fn streets(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (_, docs) = published(&state, &token).await?;
    let ProblemTerritory::Extract(name) = &docs.problem.territory else {
        return Err(Error::NotFound(
            "streets of a plan without a territory".into(),
        ));
    };
    let id = territory_id(name);
    road_layer(&state, id).await
}

/// Every public stop's calendar, within the validity.
pub async fn calendar_all(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response> {
    let (publication, docs) = published(&state, &token).await?;
    let text = calendar(&docs, Audience::Public, Some(&validity(&publication)))
        .ok_or_else(|| Error::Internal("the public calendar has no unit".into()))?;
    Ok(file("text/calendar; charset=utf-8", "passages.ics", text))
}

/// One stop's calendar (`{stop}.ics`), within the validity.
pub async fn calendar_stop(
    State(state): State<AppState>,
    Path((token, file_name)): Path<(String, String)>,
) -> Result<Response> {
    let (publication, docs) = published(&state, &token).await?;
    let stop = file_name
        .strip_suffix(".ics")
        .ok_or_else(|| Error::NotFound(format!("calendar {file_name:?}")))?;
    let text = calendar(
        &docs,
        Audience::PublicStop(stop),
        Some(&validity(&publication)),
    )
    .ok_or_else(|| Error::NotFound(format!("stop {stop:?}")))?;
    Ok(file("text/calendar; charset=utf-8", &file_name, text))
}

/// A stop's printable poster, its QR code linking to the stop's entry on the page.
pub async fn poster(
    State(state): State<AppState>,
    Path((token, stop)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    let (publication, docs) = published(&state, &token).await?;
    let timetable = today_timetable(&publication, &docs);
    let entry = timetable
        .stops
        .iter()
        .find(|s| s.id == stop)
        .ok_or_else(|| Error::NotFound(format!("stop {stop:?}")))?;
    let page = format!("/p/{}", path_segment(&token));
    let origin = match &state.config.public_url {
        Some(url) => url.clone(),
        None => {
            let host = headers
                .get(HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    let url = format!("{origin}{page}#{}", entry.anchor);
    Ok(Html(poster::render(&timetable, entry, &url, &page)?).into_response())
}
