//! Safety on the open internet: security headers on every answer (a Content-Security-Policy
//! without inline script, `nosniff`, no referrer, framing only by the sites the operator lists
//! for the public page) and a per-address rate limit on the public pages (`/p/…`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::config::Config;
use crate::error::Error;

/// The headers every answer gets, decided once from the configuration.
#[derive(Clone, Debug)]
pub struct Headers {
    /// The policy of the public pages (`/p/…`): our own scripts and styles only, framed by the
    /// operator's sites only.
    public: HeaderValue,
    /// The policy of everything else (the dispatcher's page, the API, `/docs`): never framed;
    /// inline styles allowed (the page sets colours in `style` attributes), never inline
    /// script.
    desk: HeaderValue,
}

/// The origin (`https://tile.example.org`) of a tile URL template, to allow its images.
fn origin(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = url.len() - rest.len() + rest.find('/').unwrap_or(rest.len());
    let origin = &url[..end];
    (!origin.contains(['{', ' ', ';', '\'', '"'])).then_some(origin)
}

impl Headers {
    /// The policies for `config`.
    pub fn new(config: &Config) -> Headers {
        let images = match config.tile_url.as_deref().and_then(origin) {
            Some(tiles) => format!("'self' data: {tiles}"),
            None => "'self' data:".to_owned(),
        };
        let ancestors = if config.frame_ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            config.frame_ancestors.join(" ")
        };
        let common = format!(
            "default-src 'none'; script-src 'self'; img-src {images}; connect-src 'self'; \
             font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'"
        );
        let value = |text: String| {
            HeaderValue::from_str(&text)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
        };
        Headers {
            public: value(format!(
                "{common}; style-src 'self'; frame-ancestors {ancestors}"
            )),
            desk: value(format!(
                "{common}; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
            )),
        }
    }
}

/// Middleware adding the security headers to every answer.
pub async fn security_headers(
    State(headers): State<Arc<Headers>>,
    request: Request,
    next: Next,
) -> Response {
    let public = request.uri().path().starts_with("/p/");
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(
        CONTENT_SECURITY_POLICY,
        if public {
            headers.public.clone()
        } else {
            headers.desk.clone()
        },
    );
    out.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The public address is a secret of sorts: never sent to the sites a page links to.
    out.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !public {
        out.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// Requests per minute per client address on the public pages.
pub type PublicLimiter = DefaultKeyedRateLimiter<IpAddr>;

/// A limiter allowing `per_minute` requests a minute to each address, in bursts of as many.
pub fn public_limiter(per_minute: u32) -> Arc<PublicLimiter> {
    let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::keyed(Quota::per_minute(rate)))
}

/// Middleware of the public routes: `429` with `Retry-After` once an address has used its
/// requests (all clients share one allowance when the peer address is unknown).
pub async fn rate_limit(
    State(limiter): State<Arc<PublicLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    if let Err(not_until) = limiter.check_key(&address) {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        return Error::RateLimited {
            retry_after_s: wait.as_secs().max(1),
        }
        .into_response();
    }
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_template_allows_its_origin_only() {
        assert_eq!(
            origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(origin("ftp://x/{z}"), None);
        assert_eq!(origin("https://{s}.tiles.org/{z}"), None);
    }
}
