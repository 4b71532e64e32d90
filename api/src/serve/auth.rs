//! Access control: bearer tokens read from a file, kept only as SHA-256 digests and compared
//! in constant time (presented bare too on the VROOM-compatible routes, as openrouteservice
//! clients do); the owner of each request.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ids::Owner;
use crate::error::{Error, Result};

/// What the access-control middleware needs of the service's state: the accepted tokens, or
/// `None` when access control is off (loopback only).
#[derive(Clone, Debug, Default)]
pub struct Access(pub Option<Arc<Tokens>>);

/// The accepted tokens, as SHA-256 digests.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    digests: Vec<[u8; 32]>,
}

impl Tokens {
    /// Reads a token file: one token a line, either `sha256:<64 hex digits>` or the token
    /// itself (hashed at once); blank lines and `#` comments are skipped.
    ///
    /// # Errors
    /// [`Error::Read`] when the file cannot be read; [`Error::Config`] for a malformed digest
    /// or a file without any token.
    pub fn read(path: &Path) -> Result<Tokens> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut digests = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let digest = match line.strip_prefix("sha256:") {
                Some(hex) => parse_hex(hex).ok_or_else(|| {
                    Error::Config(format!(
                        "{} line {}: `sha256:` must be followed by 64 hex digits",
                        path.display(),
                        n + 1
                    ))
                })?,
                None => digest(line),
            };
            digests.push(digest);
        }
        if digests.is_empty() {
            return Err(Error::Config(format!("{} holds no token", path.display())));
        }
        Ok(Tokens { digests })
    }

    /// The owner a presented token stands for, if it is one of ours. Every digest is compared,
    /// each in constant time, so that timing reveals nothing about which came close.
    pub fn owner(&self, token: &str) -> Option<Owner> {
        let presented = digest(token);
        let mut found = None;
        for candidate in &self.digests {
            if bool::from(candidate.ct_eq(&presented)) {
                found = Some(candidate);
            }
        }
        found.map(|d| Owner(hex(&d[..8])))
    }
}

/// SHA-256 of a token.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// How a request may present its token in the `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// `Bearer TOKEN` only.
    Bearer,
    /// `Bearer TOKEN` or the bare `TOKEN`, as openrouteservice's clients send their API key.
    BearerOrBare,
}

/// The token an `Authorization` header value presents under `scheme`.
fn presented(value: &str, scheme: Scheme) -> Option<&str> {
    match (value.strip_prefix("Bearer "), scheme) {
        (Some(token), _) => Some(token.trim()),
        (None, Scheme::BearerOrBare) => Some(value.trim()),
        (None, Scheme::Bearer) => None,
    }
}

/// Middleware of the protected routes: finds the request's [`Owner`] (401 without a valid
/// `Authorization: Bearer` token when tokens are configured) and hands it to the handlers as
/// an extension.
pub async fn authenticate(State(access): State<Access>, request: Request, next: Next) -> Response {
    admit(&access, request, next, Scheme::Bearer).await
}

/// [`authenticate`] for the VROOM-compatible routes (`/vroom`, `/optimization`): the token may
/// also come bare (`Authorization: TOKEN`), which is how the openrouteservice clients (npm
/// `openrouteservice-js`, PyPI `openrouteservice`) send their `api_key`.
pub async fn authenticate_vroom(
    State(access): State<Access>,
    request: Request,
    next: Next,
) -> Response {
    admit(&access, request, next, Scheme::BearerOrBare).await
}

async fn admit(access: &Access, mut request: Request, next: Next, scheme: Scheme) -> Response {
    let owner = match &access.0 {
        None => Owner::local(),
        Some(tokens) => {
            let token = request
                .headers()
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| presented(v, scheme));
            match token.and_then(|t| tokens.owner(t)) {
                Some(owner) => owner,
                None => return Error::Unauthorized.into_response(),
            }
        }
    };
    request.extensions_mut().insert(owner);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_clear_or_hashed_give_the_same_owner() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens");
        let hashed = hex(&digest("beta"));
        std::fs::write(
            &path,
            format!("# clients\nalpha\nsha256:{hashed} # beta\n\n"),
        )
        .expect("write");
        let tokens = Tokens::read(&path).expect("valid file");
        assert_eq!(
            tokens.owner("alpha"),
            Some(Owner(hex(&digest("alpha")[..8])))
        );
        assert_eq!(tokens.owner("beta"), Some(Owner(hex(&digest("beta")[..8]))));
        assert_eq!(tokens.owner("gamma"), None);
        assert_eq!(tokens.owner(""), None);
    }

    #[test]
    fn bare_tokens_count_only_where_allowed() {
        assert_eq!(presented("Bearer abc ", Scheme::Bearer), Some("abc"));
        assert_eq!(presented("abc", Scheme::Bearer), None);
        assert_eq!(presented("Bearer abc", Scheme::BearerOrBare), Some("abc"));
        assert_eq!(presented(" abc ", Scheme::BearerOrBare), Some("abc"));
    }

    #[test]
    fn malformed_digests_and_empty_files_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens");
        std::fs::write(&path, "sha256:abc\n").expect("write");
        assert!(matches!(Tokens::read(&path), Err(Error::Config(_))));
        std::fs::write(&path, "# nothing\n").expect("write");
        assert!(matches!(Tokens::read(&path), Err(Error::Config(_))));
    }
}
