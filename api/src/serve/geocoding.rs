//! Addresses in the service: which geocoder answers for a territory, its calls kept off the
//! async runtime, and the resolution of a planning problem's addresses at submission, so that
//! the stored problem (and every re-plan) holds positions with the label and score they came
//! from.

use std::sync::Arc;

use geocoder::resolve::{Resolution, resolve};
use geocoder::{Candidate, Geocode, Query};
use osm_data::progress::Silent;
use serde_json::{Map, Value};

use super::state::AppState;
use crate::error::{Error, Result, Violation};
use crate::limits::{Limit, Size};

/// Candidates asked for each address of a planning problem: enough to show the dispatcher the
/// alternatives of an ambiguous one.
const CANDIDATES_PER_ADDRESS: usize = 5;

/// Candidates named in the refusal of an address.
const CANDIDATES_SHOWN: usize = 3;

/// The lists of a planning problem whose items have a place, and the member holding it.
const PLACES: [(&str, &str); 3] = [
    ("units", "depot"),
    ("stops", "location"),
    ("home_visits", "location"),
];

/// The geocoder that answers for the territory `id`: the remote one of `--geocoder-url` when
/// configured, else the territory's own offline index (built when the territory loaded).
///
/// # Errors
/// [`Error::NotFound`] for an unknown territory; [`Error::Unavailable`] while territories
/// load; the index's error when it could not be built.
pub fn geocoder(state: &AppState, id: &str) -> Result<Arc<dyn Geocode>> {
    let territories = state.territories()?;
    let territory = territories
        .get(id)
        .ok_or_else(|| Error::NotFound(format!("territory {id:?}")))?;
    if let Some(remote) = &state.geocoder {
        return Ok(remote.clone());
    }
    let index: Arc<dyn Geocode> = territory.geocoder(&territories.cache, &Silent)?;
    Ok(index)
}

/// Runs `work` (calls to a geocoder, each bounded by its timeout) on a blocking thread.
///
/// # Errors
/// Whatever `work` returns; [`Error::Internal`] when it panics.
pub async fn blocking<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("a geocoding task failed: {e}")))?
}

/// The planning problem `document` with every place given by address resolved: `lat` and
/// `lon` added beside the address, with the geocoder's `label` and `score`. A document without
/// addresses comes back as it was, without asking any geocoder.
///
/// # Errors
/// [`Error::OverLimit`] for more places than `max_places` (checked before any search);
/// [`Error::Invalid`] naming each address not found, found with low confidence or ambiguous,
/// with its best candidates, or given without a territory extract; the geocoder's errors
/// (503 none configured, 502 the remote failed).
pub async fn resolve_problem(state: &AppState, document: Value) -> Result<Value> {
    let addresses = unresolved(&document);
    let Some((first, _)) = addresses.first() else {
        return Ok(document);
    };
    Limit::places(state.config.max_places).check(places(&document))?;
    let territory = document
        .pointer("/territory/extract")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::invalid(
                first,
                "a place given by address needs the problem's territory to name a loaded \
                 extract (`{\"extract\": \"…\"}`)",
            )
        })?;
    let id = state.territories()?.named(territory.as_ref())?.id.clone();
    let geocoder = geocoder(state, &id)?;
    blocking(move || {
        let mut document = document;
        let mut faults = Vec::new();
        for (pointer, query) in addresses {
            let candidates = match geocoder.search(&query) {
                Ok(candidates) => candidates,
                Err(geocoder::Error::InvalidQuery(reason)) => {
                    faults.push(Violation::new(format!("{pointer}/address"), reason));
                    continue;
                }
                Err(remote) => return Err(remote.into()),
            };
            match resolve(candidates) {
                Resolution::Found(best) => place(&mut document, &pointer, &best),
                other => faults.push(Violation::new(pointer, refusal(&query.text, other))),
            }
        }
        if faults.is_empty() {
            Ok(document)
        } else {
            Err(Error::Invalid(faults))
        }
    })
    .await
}

/// The places of a problem not yet resolved, as JSON pointers and the searches that find them.
fn unresolved(document: &Value) -> Vec<(String, Query)> {
    let mut found = Vec::new();
    for (list, member) in PLACES {
        let Some(items) = document.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let Some(location) = item.get(member).and_then(Value::as_object) else {
                continue;
            };
            let Some(text) = location.get("address").and_then(Value::as_str) else {
                continue;
            };
            if location.contains_key("lat") || location.contains_key("lon") {
                continue;
            }
            let member_text = |name: &str| {
                location
                    .get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let mut query = Query::new(text, CANDIDATES_PER_ADDRESS);
            query.postcode = member_text("postcode");
            query.city = member_text("city");
            found.push((format!("/{list}/{i}/{member}"), query));
        }
    }
    found
}

/// The size of a problem as [`crate::limits::planning_size`] counts it, read from the document.
fn places(document: &Value) -> Size {
    let count = |list: &str| {
        document
            .get(list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    Size::sum(&[
        ("/units", count("units")),
        ("/stops", count("stops")),
        ("/home_visits", count("home_visits")),
    ])
}

/// Writes the position, label and score of `best` into the location at `pointer`.
fn place(document: &mut Value, pointer: &str, best: &Candidate) {
    if let Some(location) = document.pointer_mut(pointer).and_then(Value::as_object_mut) {
        let resolved: Map<String, Value> = [
            ("lat", Value::from(best.position.lat)),
            ("lon", Value::from(best.position.lon)),
            ("label", Value::from(best.label.clone())),
            ("score", Value::from(best.score)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        location.extend(resolved);
    }
}

/// Why an address was not taken, with its best candidates.
fn refusal(text: &str, resolution: Resolution) -> String {
    let (why, candidates) = match resolution {
        Resolution::Ambiguous(list) => ("matches several places alike", list),
        Resolution::LowConfidence(list) => ("matches nothing with confidence", list),
        Resolution::NotFound | Resolution::Found(_) => ("matches nothing", Vec::new()),
    };
    let best: Vec<String> = candidates
        .iter()
        .take(CANDIDATES_SHOWN)
        .map(|c| {
            format!(
                "{} ({:.2}; {:.6}, {:.6})",
                c.label, c.score, c.position.lat, c.position.lon
            )
        })
        .collect();
    let advice = "add a postcode or a city, or give lat and lon";
    if best.is_empty() {
        format!("the address {text:?} {why}: {advice}")
    } else {
        format!("the address {text:?} {why}: {}; {advice}", best.join(" | "))
    }
}
