//! The instances sharing one database: each records the territories it holds and beats every
//! few seconds, so that any instance can tell which live instance solves a territory's jobs,
//! list every territory of the deployment, and refuse a job that no live instance can solve.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use tokio::sync::watch;
use utoipa::ToSchema;

use super::state::AppState;
use super::store::{Store, now_ms};
use super::workers::stale_before;
use crate::error::{Error, Result};

/// How often an instance renews its record.
pub const BEAT: Duration = Duration::from_secs(5);

/// A territory an instance holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Held {
    /// The territory's id.
    pub id: String,
    /// Whether it is loaded (its workers claim its jobs); false while it loads.
    pub ready: bool,
}

/// An instance as the database knows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Instance {
    /// Its id (process id and a random part), which prefixes its workers' names.
    pub id: String,
    /// Where it listens.
    pub address: String,
    /// The territories it holds.
    pub territories: Vec<Held>,
    /// Its workers.
    pub workers: i64,
    /// When it started (RFC 3339).
    pub started_at: Option<String>,
    /// When it was last heard of (RFC 3339).
    pub last_seen: Option<String>,
}

impl Instance {
    /// Whether it holds the territory `id` (ready or loading).
    pub fn holds(&self, id: &str) -> bool {
        self.territories.iter().any(|t| t.id == id)
    }
}

/// What this instance says of itself.
#[derive(Clone, Debug)]
pub struct Announcement {
    /// Its id.
    pub id: String,
    /// Where it listens.
    pub address: String,
    /// Its workers.
    pub workers: usize,
    /// When it started, ms since the epoch.
    pub started_at: i64,
}

/// Records or renews this instance with the territories it holds now.
///
/// # Errors
/// [`Error::Database`].
pub async fn announce(store: &Store, me: &Announcement, held: &[Held]) -> Result<()> {
    let territories = serde_json::to_string(held)
        .map_err(|e| Error::Internal(format!("encoding the held territories: {e}")))?;
    sqlx::query(
        "INSERT INTO instances (id, address, territories, workers, started_at, heartbeat_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET address = $2, territories = $3, workers = $4, \
         heartbeat_at = $6",
    )
    .bind(me.id.clone())
    .bind(me.address.clone())
    .bind(territories)
    .bind(i64::try_from(me.workers).unwrap_or(i64::MAX))
    .bind(me.started_at)
    .bind(now_ms())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Removes this instance's record (a clean stop), so that nobody waits for its beat.
///
/// # Errors
/// [`Error::Database`].
pub async fn leave(store: &Store, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM instances WHERE id = $1")
        .bind(id.to_owned())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Drops the records of instances silent for longer than the heartbeat timeout (crashed ones:
/// a clean stop removes its own), so that the table holds only the live and the recently dead.
///
/// # Errors
/// [`Error::Database`].
pub async fn forget_silent(store: &Store) -> Result<()> {
    sqlx::query("DELETE FROM instances WHERE heartbeat_at < $1")
        .bind(stale_before())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The instances heard of within the heartbeat timeout, oldest first.
///
/// # Errors
/// [`Error::Database`]; [`Error::Internal`] for a record that does not parse.
pub async fn alive(store: &Store) -> Result<Vec<Instance>> {
    let rows = sqlx::query(
        "SELECT id, address, territories, workers, started_at, heartbeat_at FROM instances \
         WHERE heartbeat_at >= $1 ORDER BY started_at, id",
    )
    .bind(stale_before())
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let territories: String = row.try_get("territories")?;
            Ok(Instance {
                id: row.try_get("id")?,
                address: row.try_get("address")?,
                territories: serde_json::from_str(&territories).map_err(|e| {
                    Error::Internal(format!("malformed instance record in the database: {e}"))
                })?,
                workers: row.try_get("workers")?,
                started_at: time(row.try_get("started_at")?),
                last_seen: time(row.try_get("heartbeat_at")?),
            })
        })
        .collect()
}

fn time(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The territories this instance holds: every configured one, ready once loaded.
pub fn held(state: &AppState, configured: &[String]) -> Vec<Held> {
    let ready = state.territories.get().is_some();
    configured
        .iter()
        .map(|id| Held {
            id: id.clone(),
            ready,
        })
        .collect()
}

/// Announces this instance now and every [`BEAT`] (dropping the records of silent ones) until
/// `shutdown`, then leaves the registry.
pub fn spawn_beat(
    state: AppState,
    me: Announcement,
    configured: Vec<String>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = announce(&state.store, &me, &held(&state, &configured)).await {
                tracing::warn!(error = %e, "renewing this instance's record failed");
            }
            if let Err(e) = forget_silent(&state.store).await {
                tracing::warn!(error = %e, "dropping silent instances' records failed");
            }
            tokio::select! {
                () = tokio::time::sleep(BEAT) => {}
                _ = shutdown.wait_for(|stop| *stop) => break,
            }
        }
        if let Err(e) = leave(&state.store, &me.id).await {
            tracing::warn!(error = %e, "removing this instance's record failed");
        }
    })
}
