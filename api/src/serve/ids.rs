//! Typed identifiers of the service: jobs and the clients that own them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A planning job, named by a random UUID (unguessable, so that ids leak nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct JobId(pub Uuid);

impl JobId {
    /// A fresh random id.
    pub fn new() -> Self {
        JobId(Uuid::new_v4())
    }
}

impl Default for JobId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for JobId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(JobId)
    }
}

/// Who owns a job: a digest of the client's token (never the token itself), or `local` when
/// the service runs without tokens on loopback.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Owner(pub String);

impl Owner {
    /// The single owner of a service without tokens.
    pub fn local() -> Self {
        Owner("local".into())
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
