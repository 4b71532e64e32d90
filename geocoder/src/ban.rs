//! A client for any server speaking the French national address API (BAN, whose engine is
//! addok): `/search/?q=&limit=&postcode=&lat=&lon=` and `/reverse/?lat=&lon=`, each answering a
//! GeoJSON `FeatureCollection` whose properties (`label`, `score`, `type`, `postcode`, `city`,
//! `citycode`) become [`Candidate`]s. Every call has a timeout and a bounded answer, so that a
//! slow or broken server is an error the caller can report, never a hang.

use std::time::Duration;

use serde::Deserialize;

use crate::candidate::{Candidate, Kind, Query};
use crate::error::{Error, Result};
use crate::{Coord, Geocode};

/// How long a call waits for the whole answer by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The most candidates one search may ask for.
pub const MAX_LIMIT: usize = 100;

/// The longest query text, in characters (addok's own default refuses longer ones).
pub const MAX_TEXT_CHARS: usize = 200;

/// The largest answer read, bytes: a hundred features are a few tens of kilobytes.
const MAX_ANSWER_BYTES: u64 = 4 * 1024 * 1024;

/// How much of an error answer is kept for the message.
const ERROR_EXCERPT_CHARS: usize = 200;

/// A BAN / addok server, asked over HTTP with a timeout.
#[derive(Clone, Debug)]
pub struct BanClient {
    /// The base URL without its trailing slash: `http://127.0.0.1:7878`.
    server: String,
    /// Whole-call timeout.
    timeout: Duration,
    agent: ureq::Agent,
}

impl BanClient {
    /// A client of the server at `base_url` (`https://api-adresse.data.gouv.fr`, or an
    /// operator's addok such as `http://127.0.0.1:7878`), each call bounded by `timeout`.
    ///
    /// # Errors
    /// [`Error::InvalidQuery`] when `base_url` is not an `http://` or `https://` URL, or the
    /// timeout is zero.
    pub fn new(base_url: &str, timeout: Duration) -> Result<BanClient> {
        let server = base_url.trim().trim_end_matches('/').to_owned();
        let host = server
            .strip_prefix("http://")
            .or_else(|| server.strip_prefix("https://"));
        if host.is_none_or(str::is_empty) {
            return Err(Error::InvalidQuery(format!(
                "the geocoder URL {base_url:?} must start with http:// or https:// and name a host"
            )));
        }
        if timeout.is_zero() {
            return Err(Error::InvalidQuery(
                "the geocoder timeout must be above zero".into(),
            ));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(concat!("tournee-geocoder/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(BanClient {
            server,
            timeout,
            agent,
        })
    }

    /// The server's base URL, as errors name it.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// GETs `path` with `params` and reads the FeatureCollection it answers.
    fn features(&self, path: &str, params: &[(&str, String)]) -> Result<Vec<Candidate>> {
        let url = format!("{}{path}", self.server);
        let mut response = self
            .agent
            .get(&url)
            .query_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
            .call()
            .map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string();
        if !(200..300).contains(&status) {
            let message = text
                .ok()
                .map(|t| {
                    t.trim()
                        .chars()
                        .take(ERROR_EXCERPT_CHARS)
                        .collect::<String>()
                })
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "no explanation given".into());
            return Err(Error::Status {
                server: self.server.clone(),
                status,
                message,
            });
        }
        let text = text.map_err(|e| self.transport(e))?;
        read_collection(&text).map_err(|reason| Error::Malformed {
            server: self.server.clone(),
            reason,
        })
    }

    /// The crate's error for a failed exchange.
    fn transport(&self, error: ureq::Error) -> Error {
        let timed_out = match &error {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(io) => matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ),
            _ => false,
        };
        if timed_out {
            return Error::Timeout {
                server: self.server.clone(),
                timeout_s: self.timeout.as_secs_f64(),
            };
        }
        match error {
            ureq::Error::BodyExceedsLimit(limit) => Error::Malformed {
                server: self.server.clone(),
                reason: format!("the answer is larger than {limit} bytes"),
            },
            other => Error::Unreachable {
                server: self.server.clone(),
                reason: other.to_string(),
            },
        }
    }
}

impl Geocode for BanClient {
    fn search(&self, query: &Query) -> Result<Vec<Candidate>> {
        let text = query.text.trim();
        if text.is_empty() {
            return Err(Error::InvalidQuery("the text is empty".into()));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(Error::InvalidQuery(format!(
                "the text is longer than {MAX_TEXT_CHARS} characters"
            )));
        }
        if query.limit == 0 || query.limit > MAX_LIMIT {
            return Err(Error::InvalidQuery(format!(
                "the limit must be 1 to {MAX_LIMIT}, got {}",
                query.limit
            )));
        }
        // The BAN filters by INSEE code, not by name: a commune's name narrows as words of the
        // query, the way the national service recommends.
        let q = match query.city.as_deref().map(str::trim) {
            Some(city) if !city.is_empty() => format!("{text} {city}"),
            _ => text.to_owned(),
        };
        let mut params = vec![("q", q), ("limit", query.limit.to_string())];
        if let Some(postcode) = query.postcode.as_deref().map(str::trim)
            && !postcode.is_empty()
        {
            params.push(("postcode", postcode.to_owned()));
        }
        if let Some(near) = query.near {
            check_coord(near)?;
            params.push(("lat", near.lat.to_string()));
            params.push(("lon", near.lon.to_string()));
        }
        let mut candidates = self.features("/search/", &params)?;
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates.truncate(query.limit);
        Ok(candidates)
    }

    fn reverse(&self, at: Coord) -> Result<Option<Candidate>> {
        check_coord(at)?;
        let params = [("lat", at.lat.to_string()), ("lon", at.lon.to_string())];
        let nearest = self.features("/reverse/", &params)?.into_iter().next();
        Ok(nearest.map(|candidate| Candidate {
            score: 1.0,
            ..candidate
        }))
    }
}

fn check_coord(at: Coord) -> Result<()> {
    let valid = at.lat.is_finite()
        && at.lon.is_finite()
        && (-90.0..=90.0).contains(&at.lat)
        && (-180.0..=180.0).contains(&at.lon);
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidQuery(format!(
            "the position ({}, {}) is not a latitude in [-90, 90] and a longitude in [-180, 180]",
            at.lat, at.lon
        )))
    }
}

/// The BAN answer: a GeoJSON FeatureCollection.
#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Point,
    properties: Properties,
}

#[derive(Deserialize)]
struct Point {
    /// `[lon, lat]`, GeoJSON order.
    coordinates: [f64; 2],
}

#[derive(Deserialize)]
struct Properties {
    label: String,
    score: Option<f64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    citycode: Option<String>,
}

/// Our kind of a BAN `type`: a numbered address, a street, and the BAN's `locality` (lieu-dit)
/// and `municipality` as places; any other type a server adds is a named point.
fn kind(ban_type: Option<&str>) -> Kind {
    match ban_type {
        Some("housenumber") => Kind::Housenumber,
        Some("street") => Kind::Street,
        Some("locality" | "municipality") => Kind::Place,
        _ => Kind::Poi,
    }
}

/// The candidates of a BAN answer, in its order; a score outside [0, 1] is brought into it and
/// a missing one counts as 0 (shown, never taken).
///
/// # Errors
/// What is wrong with the answer, in a sentence.
fn read_collection(text: &str) -> Result<Vec<Candidate>, String> {
    let collection: Collection = serde_json::from_str(text)
        .map_err(|e| format!("not a GeoJSON FeatureCollection of addresses ({e})"))?;
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let [lon, lat] = feature.geometry.coordinates;
            let position = Coord::new(lat, lon);
            check_coord(position).map_err(|_| {
                format!("feature {i} has the coordinates [{lon}, {lat}], not a position")
            })?;
            let p = feature.properties;
            let score = p.score.filter(|s| s.is_finite()).unwrap_or(0.0);
            Ok(Candidate {
                label: p.label,
                kind: kind(p.kind.as_deref()),
                score: score.clamp(0.0, 1.0),
                position,
                city: p.city,
                citycode: p.citycode,
                postcode: p.postcode,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;
    use crate::resolve::{Resolution, resolve};

    /// The addok that scripts/test starts, loaded with monaco-2020's addresses by
    /// scripts/addok/load.py; `None` (and the test says skipped) without it.
    fn addok() -> Option<BanClient> {
        match std::env::var("TOURNEE_TEST_ADDOK") {
            Ok(url) if !url.is_empty() => {
                Some(BanClient::new(&url, DEFAULT_TIMEOUT).expect("TOURNEE_TEST_ADDOK is a URL"))
            }
            _ => {
                eprintln!(
                    "skipped: TOURNEE_TEST_ADDOK is not set (scripts/test starts an addok and sets it)"
                );
                None
            }
        }
    }

    fn distance_m(a: Coord, b: Coord) -> f64 {
        osm_data::geo::haversine_m(a, b)
    }

    /// 27 Avenue de la Costa, 98000 Monaco: an address node of monaco-2020.
    const COSTA_27: Coord = Coord {
        lat: 43.739665,
        lon: 7.42446,
    };

    #[test]
    fn an_address_of_the_extract_is_found_where_it_is() {
        let Some(addok) = addok() else { return };
        let mut query = Query::new("27 av de la Costa", 5);
        query.postcode = Some("98000".into());
        let candidates = addok.search(&query).expect("addok answers");
        let best = candidates.first().expect("a candidate");
        assert_eq!(best.kind, Kind::Housenumber, "{best:?}");
        assert!(best.label.contains("27"), "{}", best.label);
        assert_eq!(best.postcode.as_deref(), Some("98000"));
        assert!(distance_m(best.position, COSTA_27) < 25.0, "{best:?}");
        assert!(matches!(resolve(candidates), Resolution::Found(_)));
    }

    #[test]
    fn a_postcode_narrows_the_search() {
        let Some(addok) = addok() else { return };
        let mut query = Query::new("27 avenue de la Costa", 5);
        assert!(!addok.search(&query).expect("addok answers").is_empty());
        query.postcode = Some("75001".into());
        assert_eq!(addok.search(&query).expect("addok answers"), Vec::new());
    }

    #[test]
    fn a_position_is_labelled_with_the_nearest_address() {
        let Some(addok) = addok() else { return };
        let near = Coord::new(COSTA_27.lat + 0.00005, COSTA_27.lon);
        let nearest = addok
            .reverse(near)
            .expect("addok answers")
            .expect("an address near");
        assert!(
            nearest.label.to_lowercase().contains("costa"),
            "{}",
            nearest.label
        );
        assert_eq!(nearest.score, 1.0);
        assert!(distance_m(nearest.position, near) < 50.0, "{nearest:?}");
    }

    #[test]
    fn an_error_status_names_the_server_and_the_status() {
        let Some(addok) = addok() else { return };
        let wrong = BanClient::new(
            &format!("{}/no-such-prefix", addok.server()),
            DEFAULT_TIMEOUT,
        )
        .expect("a URL");
        let error = wrong.search(&Query::new("avenue", 5)).expect_err("a 404");
        assert!(
            matches!(error, Error::Status { status: 404, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("no-such-prefix"), "{error}");
    }

    #[test]
    fn a_server_that_never_answers_is_a_timeout_not_a_hang() {
        let silent = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", silent.local_addr().expect("its address"));
        let client = BanClient::new(&url, Duration::from_millis(500)).expect("a URL");
        let error = client.search(&Query::new("rue", 5)).expect_err("no answer");
        assert!(matches!(error, Error::Timeout { .. }), "{error}");
        assert!(error.to_string().contains(&url), "{error}");
    }

    #[test]
    fn a_closed_port_is_unreachable() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port");
        let client = BanClient::new(&format!("http://{port}"), DEFAULT_TIMEOUT).expect("a URL");
        let error = client
            .reverse(Coord::new(43.7, 7.4))
            .expect_err("nobody listens");
        assert!(matches!(error, Error::Unreachable { .. }), "{error}");
    }

    #[test]
    fn answers_that_are_not_address_collections_are_refused_with_the_reason() {
        assert!(read_collection("<html>busy</html>").is_err());
        assert!(read_collection(r#"{"type": "FeatureCollection"}"#).is_err());
        let off_earth = r#"{"features": [{"geometry": {"coordinates": [7.4, 123.0]},
            "properties": {"label": "x", "score": 0.9, "type": "street"}}]}"#;
        let reason = read_collection(off_earth).expect_err("a latitude of 123");
        assert!(reason.contains("feature 0"), "{reason}");
    }

    #[test]
    fn ban_types_become_our_kinds_and_scores_stay_in_range() {
        let text = r#"{"features": [
            {"geometry": {"coordinates": [7.4, 43.7]}, "properties": {"label": "a", "score": 1.3, "type": "municipality", "citycode": "98000"}},
            {"geometry": {"coordinates": [7.4, 43.7]}, "properties": {"label": "b", "type": "locality"}}]}"#;
        let candidates = read_collection(text).expect("a collection");
        assert_eq!(
            candidates
                .iter()
                .map(|c| (c.kind, c.score))
                .collect::<Vec<_>>(),
            vec![(Kind::Place, 1.0), (Kind::Place, 0.0)]
        );
        assert_eq!(candidates[0].citycode.as_deref(), Some("98000"));
    }

    #[test]
    fn bad_urls_and_queries_are_refused_before_any_call() {
        assert!(BanClient::new("ftp://example", DEFAULT_TIMEOUT).is_err());
        assert!(BanClient::new("http://", DEFAULT_TIMEOUT).is_err());
        let client = BanClient::new("http://127.0.0.1:9", DEFAULT_TIMEOUT).expect("a URL");
        for query in [
            Query::new("  ", 5),
            Query::new("rue", 0),
            Query::new("rue", 101),
        ] {
            let error = client.search(&query).expect_err("refused");
            assert!(matches!(error, Error::InvalidQuery(_)), "{error}");
        }
        let error = client
            .reverse(Coord::new(91.0, 0.0))
            .expect_err("no such latitude");
        assert!(matches!(error, Error::InvalidQuery(_)), "{error}");
    }
}
