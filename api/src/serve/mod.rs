//! `tournee serve`: the HTTP service. Planning jobs are queued in a database (SQLite by
//! default, PostgreSQL to share one queue between instances) and solved by a bounded pool of
//! workers on the territories loaded at start; plans are exported as calendars, GeoJSON and
//! CSV; a VROOM-compatible endpoint serves existing routing clients.

pub mod attendance;
pub mod auth;
pub mod body;
pub mod config;
pub mod demo_week;
pub mod docs;
pub mod errors;
pub mod exports;
pub mod geocoding;
pub mod ids;
pub mod live;
pub mod metrics;
pub mod placement;
pub mod public;
pub mod registry;
pub mod routes;
pub mod security;
pub mod state;
pub mod store;
pub mod territories;
pub mod vroom;
pub mod work;
pub mod workers;

use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use osm_data::import::CachePolicy;
use osm_data::progress::Silent;
use territory::Territory;
use territory::extract::territory_id;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use self::auth::Tokens;
use self::config::{Config, LogFormat, ServeArgs};
use self::live::Jobs;
use self::metrics::Metrics;
use self::registry::Announcement;
use self::state::AppState;
use self::store::{Backend, Store, now_ms};
use self::territories::Territories;
use self::workers::{spawn_workers, stale_before};
use crate::error::{Error, Result};

/// Runs `tournee serve` until interrupted (Ctrl-C or SIGTERM).
///
/// # Errors
/// Configuration, database, listening and territory-loading errors.
pub fn run(args: &ServeArgs) -> Result<()> {
    let config = Config::resolve(args)?;
    init_tracing(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(config))
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TOURNEE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Serves with `config` until interrupted.
///
/// # Errors
/// As [`run`].
pub async fn serve(config: Config) -> Result<()> {
    let tokens = config
        .auth_tokens
        .as_deref()
        .map(Tokens::read)
        .transpose()?
        .map(Arc::new);
    let store = Store::open(&config.database_url).await?;
    // A single SQLite instance owns every running job: after a restart they are all orphans.
    // Instances sharing PostgreSQL only take back jobs whose heartbeat stopped.
    let stale_before = match store.backend() {
        Backend::Sqlite => i64::MAX,
        Backend::Postgres => stale_before(),
    };
    let recovered = store.recover(stale_before).await?;
    if recovered > 0 {
        tracing::warn!(jobs = recovered, "took back jobs interrupted by a stop");
    }
    let geocoder = remote_geocoder(&config)?;
    let listener = TcpListener::bind(config.listen).await?;
    let address = listener.local_addr()?;
    let workers = config.workers;
    let state = AppState {
        config: Arc::new(config.clone()),
        store,
        territories: Arc::new(OnceLock::new()),
        tokens: tokens.clone(),
        metrics: Arc::new(Metrics::new()),
        jobs: Arc::new(Jobs::new(format!(
            "{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ))),
        compute: Arc::new(Semaphore::new(workers)),
        demo: Arc::new(OnceLock::new()),
        geocoder,
    };
    println!("listening on http://{address}");
    let _ = std::io::stdout().flush();
    if tokens.is_none() {
        tracing::warn!(
            %address,
            "no --auth-tokens: loopback only, and every client shares the same jobs"
        );
    }
    tracing::info!(%address, workers, database = ?state.store.backend(), "tournée serve started");
    let (stop, stopped) = watch::channel(false);
    let me = Announcement {
        id: state.jobs.instance().to_owned(),
        address: format!("http://{address}"),
        workers,
        started_at: now_ms(),
    };
    let beat = registry::spawn_beat(
        state.clone(),
        me,
        configured_territories(&config),
        stopped.clone(),
    );
    let handles = tokio::spawn(start_when_loaded(
        state.clone(),
        config,
        stop.clone(),
        stopped.clone(),
    ));
    let mut signal = stopped.clone();
    let shutdown = async move {
        tokio::select! {
            () = interrupted() => {}
            _ = signal.wait_for(|s| *s) => {}
        }
    };
    axum::serve(
        listener,
        routes::app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    let _ = stop.send(true);
    tracing::info!("stopping: running jobs go back to the queue");
    let outcome = handles
        .await
        .map_err(|e| Error::Internal(format!("territory loading panicked: {e}")))?;
    let _ = beat.await;
    match outcome {
        Ok(handles) => {
            for handle in handles {
                let _ = handle.await;
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The ids of the territories this instance loads: its extracts, and the demo's.
fn configured_territories(config: &Config) -> Vec<String> {
    let mut ids: Vec<String> = config.osm.iter().map(|p| territory_id(p)).collect();
    if config.demo_dir.is_some() {
        ids.push(territory_id(Path::new(crate::web::demo::EXTRACT_NAME)));
    }
    ids
}

/// The client of `--geocoder-url`, if given.
///
/// # Errors
/// [`Error::Config`] for a URL that is not `http://` or `https://`.
fn remote_geocoder(config: &Config) -> Result<Option<Arc<dyn geocoder::Geocode>>> {
    let Some(url) = &config.geocoder_url else {
        return Ok(None);
    };
    let timeout = std::time::Duration::from_secs_f64(config.geocoder_timeout_s);
    let client = geocoder::ban::BanClient::new(url, timeout)
        .map_err(|e| Error::Config(format!("geocoder_url: {e}")))?;
    tracing::info!(
        server = client.server(),
        "addresses are found by a remote geocoder"
    );
    Ok(Some(Arc::new(client)))
}

/// Loads the territories, then starts the workers; a load failure stops the service.
async fn start_when_loaded(
    state: AppState,
    config: Config,
    stop: watch::Sender<bool>,
    stopped: watch::Receiver<bool>,
) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    let cache = CachePolicy::Directory(config.cache_dir.clone());
    let mut paths = config.osm.clone();
    let demo_dir = config.demo_dir.clone();
    let offline_geocoder = config.geocoder_url.is_none();
    let loaded = tokio::task::spawn_blocking(move || -> Result<Territories> {
        if let Some(dir) = &demo_dir {
            paths.push(crate::web::demo::install_extract(dir)?);
        }
        let list = paths
            .iter()
            .map(|path| {
                tracing::info!(extract = %path.display(), "loading territory");
                let territory = Territory::load(path, &cache, &Silent)?;
                // Without a remote geocoder, addresses are found in the extract's own index,
                // built (or read from the cache) with the networks.
                if offline_geocoder && let Err(e) = territory.geocoder(&cache, &Silent) {
                    tracing::error!(extract = %path.display(), error = %e,
                        "cannot build the address index; addresses will not be found here");
                }
                Ok(territory)
            })
            .collect::<Result<Vec<Territory>>>()?;
        for (i, t) in list.iter().enumerate() {
            if list[..i].iter().any(|other| other.id == t.id) {
                return Err(Error::Config(format!(
                    "two extracts are named {:?}: territories are named after their file",
                    t.id
                )));
            }
        }
        Ok(Territories { list, cache })
    })
    .await
    .map_err(|e| Error::Internal(format!("territory loading panicked: {e}")))
    .and_then(|r| r);
    match loaded {
        Ok(territories) => {
            let ids: Vec<String> = territories.list.iter().map(|t| t.id.clone()).collect();
            tracing::info!(territories = ?ids, "territories loaded; ready");
            let _ = state.territories.set(territories);
            let handles = spawn_workers(&state, config.workers, stopped);
            // The demo week is a convenience: the service runs without it.
            if config.demo_dir.is_some()
                && let Err(e) = demo_week::plan_week(&state).await
            {
                tracing::error!(error = %e, "cannot queue the demo week");
            }
            Ok(handles)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot load the territories; stopping");
            eprintln!("error: {e}");
            let _ = stop.send(true);
            Err(e)
        }
    }
}

async fn interrupted() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
