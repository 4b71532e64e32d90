//! What every handler shares.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::FromRef;
use geocoder::Geocode;
use optimizer::planning::problem::PlanningProblem;
use tokio::sync::Semaphore;

use super::auth::{Access, Tokens};
use super::config::Config;
use super::ids::JobId;
use super::live::Jobs;
use super::metrics::Metrics;
use super::store::Store;
use super::territories::Territories;
use crate::error::{Error, Result};

/// How long a synchronous computation waits for a compute permit before the request is
/// refused with 429 (and told to retry after as long).
pub const PERMIT_WAIT: Duration = Duration::from_secs(5);

/// The service's shared state (cheap to clone: everything is behind `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// The configuration.
    pub config: Arc<Config>,
    /// The job database.
    pub store: Store,
    /// The territories, once loaded.
    pub territories: Arc<OnceLock<Territories>>,
    /// Accepted tokens; `None` when access control is off (loopback only).
    pub tokens: Option<Arc<Tokens>>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Jobs being solved here.
    pub jobs: Arc<Jobs>,
    /// The built-in demo week and its job, once submitted (only without `--osm`).
    pub demo: Arc<OnceLock<DemoWeek>>,
    /// Permits for the synchronous computations (matrix, check, /vroom), one per worker, so
    /// that they cannot swamp the machine.
    pub compute: Arc<Semaphore>,
    /// The geocoder every territory asks: the remote one of `--geocoder-url`, when given
    /// (see [`super::geocoding::geocoder`]).
    pub geocoder: Option<Arc<dyn Geocode>>,
}

/// The access-control middleware's part of the state.
impl FromRef<AppState> for Access {
    fn from_ref(state: &AppState) -> Access {
        Access(state.tokens.clone())
    }
}

/// The metrics middleware's part of the state.
impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Arc<Metrics> {
        state.metrics.clone()
    }
}

/// The demo week planned at start.
pub struct DemoWeek {
    /// The problem, as submitted.
    pub problem: PlanningProblem,
    /// Its job.
    pub job: JobId,
}

impl AppState {
    /// The loaded territories.
    ///
    /// # Errors
    /// [`Error::Unavailable`] while they are still loading.
    pub fn territories(&self) -> Result<&Territories> {
        self.territories
            .get()
            .ok_or_else(|| Error::Unavailable("territories are still loading".into()))
    }

    /// Runs `work` on a blocking thread once a compute permit is free (waiting at most a few
    /// seconds, then refusing with 429), catching panics as internal errors.
    ///
    /// # Errors
    /// [`Error::Busy`] when no permit frees in time; whatever `work` returns;
    /// [`Error::Internal`] when it panics.
    pub async fn compute<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T> + Send + 'static,
    {
        let permit = tokio::time::timeout(PERMIT_WAIT, self.compute.clone().acquire_owned())
            .await
            .map_err(|_| Error::Busy {
                retry_after_s: PERMIT_WAIT.as_secs(),
            })?
            .map_err(|_| Error::Unavailable("the service is stopping".into()))?;
        let state = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&state)))
        })
        .await;
        match joined {
            Ok(Ok(result)) => result,
            Ok(Err(_)) | Err(_) => Err(Error::Internal("a computation panicked".into())),
        }
    }
}
