//! The page's files, embedded at build time: our own HTML, CSS and JavaScript modules from
//! `api/web/`, and Leaflet's distribution fetched from the npm registry by `build.rs`.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One embedded file: its URL path under `/assets/`, media type and content.
struct Asset {
    path: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

macro_rules! own {
    ($path:literal, $media:expr) => {
        Asset {
            path: $path,
            media_type: $media,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)),
        }
    };
}

macro_rules! leaflet {
    ($path:literal, $media:expr) => {
        Asset {
            path: $path,
            media_type: $media,
            bytes: include_bytes!(concat!(
                env!("OUT_DIR"),
                "/web/node_modules/leaflet/dist/",
                $path
            )),
        }
    };
}

const ASSETS: &[Asset] = &[
    own!("style.css", "text/css; charset=utf-8"),
    own!("js/main.js", JS),
    own!("js/api.js", JS),
    own!("js/attendance.js", JS),
    own!("js/changes.js", JS),
    own!("js/csv.js", JS),
    own!("js/daylist.js", JS),
    own!("js/editor.js", JS),
    own!("js/errors.js", JS),
    own!("js/format.js", JS),
    own!("js/map.js", JS),
    own!("js/moves.js", JS),
    own!("js/places.js", JS),
    own!("js/report.js", JS),
    own!("js/store.js", JS),
    own!("js/timetable.js", JS),
    own!("js/public.js", JS),
    own!("js/publish.js", JS),
    own!("public/public.css", "text/css; charset=utf-8"),
    own!("public/poster.css", "text/css; charset=utf-8"),
    leaflet!("leaflet.css", "text/css; charset=utf-8"),
    leaflet!("leaflet-src.esm.js", JS),
];

const INDEX: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/index.html"));

/// `/` (the page, with the optional tile URL set on its body) and `/assets/{*path}`.
pub fn routes<S: Clone + Send + Sync + 'static>(tile_url: Option<String>) -> Router<S> {
    let index = match tile_url {
        Some(url) => INDEX.replacen(
            "<body>",
            &format!("<body data-tile-url=\"{}\">", html_attribute(&url)),
            1,
        ),
        None => INDEX.to_owned(),
    };
    Router::new()
        .route(
            "/",
            get(move || {
                let index = index.clone();
                async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], index) }
            }),
        )
        .route("/assets/{*path}", get(asset))
}

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.media_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// Escapes text for a double-quoted HTML attribute.
fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_page_imports_is_embedded() {
        let embedded: Vec<&str> = ASSETS.iter().map(|a| a.path).collect();
        for asset in ASSETS.iter().filter(|a| a.path.starts_with("js/")) {
            let text = std::str::from_utf8(asset.bytes).expect("UTF-8 module");
            for line in text.lines().filter(|l| l.starts_with("import ")) {
                let target = line
                    .rsplit_once("from '")
                    .map(|(_, rest)| rest.trim_end_matches("';"))
                    .expect("an import names its module");
                let path = match target.strip_prefix("./") {
                    Some(own) => format!("js/{own}"),
                    None => target.trim_start_matches("/assets/").to_owned(),
                };
                assert!(
                    embedded.contains(&path.as_str()),
                    "{} imports {path}",
                    asset.path
                );
            }
        }
        for linked in ["style.css", "leaflet.css", "js/main.js"] {
            assert!(INDEX.contains(&format!("/assets/{linked}")), "{linked}");
        }
    }

    #[test]
    fn a_tile_url_cannot_break_out_of_its_attribute() {
        assert_eq!(
            html_attribute("https://t/{z}/{x}/{y}.png?a=1&b=\"><script>"),
            "https://t/{z}/{x}/{y}.png?a=1&amp;b=&quot;>&lt;script>"
        );
    }
}
