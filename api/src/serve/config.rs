//! `tournee serve` configuration: command-line flags, then environment variables, then an
//! optional TOML file, then defaults — the first that gives a value wins.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;

use crate::error::{Error, Result};

/// Default of `max_places`: a 5,000 × 5,000 matrix per kind of unit.
pub const DEFAULT_MAX_PLACES: usize = 5_000;
/// Default of `max_matrix_points`.
pub const DEFAULT_MAX_MATRIX_POINTS: usize = 2_000;
/// Default of `max_vroom_places`: 1,000 jobs and vehicles solve in seconds; the solver's
/// construction grows faster than the square (2,000 took 39 s, near the request timeout).
pub const DEFAULT_MAX_VROOM_PLACES: usize = 1_000;
/// Default of `max_coverage_pairs`: 5,000 demand points × 5,000 candidate sites.
pub const DEFAULT_MAX_COVERAGE_PAIRS: u64 = 25_000_000;
/// Default of `max_geocode_batch`: a spreadsheet's worth of addresses, a few seconds of a
/// remote addok.
pub const DEFAULT_MAX_GEOCODE_BATCH: usize = 1_000;
/// Default of `max_attendance_records`: a season of visits of a territory in one import.
pub const DEFAULT_MAX_ATTENDANCE_RECORDS: usize = 10_000;
/// Default of `geocoder_timeout`, seconds: one search of a remote geocoder.
pub const DEFAULT_GEOCODER_TIMEOUT_S: f64 = 5.0;

/// Arguments of `tournee serve`. Each flag has an environment variable; any of them may also be
/// set in the TOML file of `--config` (same names, with underscores: `queue_limit = 50`).
#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// TOML file with any of the settings below (flags and environment variables override it).
    #[arg(long, env = "TOURNEE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080]. Port 0 picks a free port; the
    /// address is printed at start. Without --auth-tokens only loopback addresses are allowed.
    #[arg(long, env = "TOURNEE_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Folder of the SQLite job database [default: the user's data folder, e.g.
    /// ~/.local/share/tournee].
    #[arg(long, env = "TOURNEE_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Use this database instead of SQLite under --data: `postgres://user:pass@host/db` lets
    /// several service instances share one queue.
    #[arg(long, env = "TOURNEE_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
    /// OpenStreetMap extracts (.osm.pbf) to load at start, each a territory named after its file
    /// (`andorra-2021` for andorra-2021.osm.pbf). Repeat the flag, or separate with commas.
    #[arg(
        long,
        env = "TOURNEE_OSM",
        value_name = "EXTRACT",
        value_delimiter = ','
    )]
    pub osm: Vec<PathBuf>,
    /// Directory of the graph cache [default: the user's cache directory, e.g. ~/.cache/tournee].
    #[arg(long, env = "TOURNEE_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Solves running at once [default: one per core].
    #[arg(long, env = "TOURNEE_WORKERS", value_name = "N")]
    pub workers: Option<usize>,
    /// Jobs that may wait in the queue; beyond it submissions get 429 with Retry-After
    /// [default: 1000].
    #[arg(long, env = "TOURNEE_QUEUE_LIMIT", value_name = "N")]
    pub queue_limit: Option<usize>,
    /// Longest solve a job may ask for, seconds; longer `solver.time_limit_s` are cut to it
    /// [default: 300].
    #[arg(long, env = "TOURNEE_MAX_TIME_LIMIT", value_name = "SECONDS")]
    pub max_time_limit: Option<f64>,
    /// Time limit of a POST /vroom (or /optimization) solve, seconds [default: 2].
    #[arg(long, env = "TOURNEE_VROOM_TIME_LIMIT", value_name = "SECONDS")]
    pub vroom_time_limit: Option<f64>,
    /// File of API tokens, one a line: `sha256:<64 hex digits>` (preferred) or the token itself;
    /// `#` starts a comment. With it every /v1 route needs `Authorization: Bearer TOKEN`;
    /// /vroom and /optimization also take the bare `Authorization: TOKEN` of openrouteservice
    /// clients.
    #[arg(long, env = "TOURNEE_AUTH_TOKENS", value_name = "FILE")]
    pub auth_tokens: Option<PathBuf>,
    /// Largest request body, bytes; larger ones get 413 [default: 10485760, 10 MiB].
    #[arg(long, env = "TOURNEE_BODY_LIMIT", value_name = "BYTES")]
    pub body_limit: Option<usize>,
    /// Most places (depots + stops + home visits) of a planning problem, in POST /v1/plans and
    /// /v1/check; more get 413 [default: 5000]. Each kind's matrices grow with its square.
    #[arg(long, env = "TOURNEE_MAX_PLACES", value_name = "N")]
    pub max_places: Option<usize>,
    /// Most points of a POST /v1/matrix request; more get 413 [default: 2000].
    #[arg(long, env = "TOURNEE_MAX_MATRIX_POINTS", value_name = "N")]
    pub max_matrix_points: Option<usize>,
    /// Most jobs + vehicles of a POST /vroom problem; more get 413 [default: 1000].
    #[arg(long, env = "TOURNEE_MAX_VROOM_PLACES", value_name = "N")]
    pub max_vroom_places: Option<usize>,
    /// Most demand points × candidate sites of a POST /v1/coverage request (the request's or
    /// the territory's, before placing them on the roads); more get 413 [default: 25000000].
    #[arg(long, env = "TOURNEE_MAX_COVERAGE_PAIRS", value_name = "N")]
    pub max_coverage_pairs: Option<u64>,
    /// Longest a request may take, seconds (`?wait=` is capped below it) [default: 60].
    #[arg(long, env = "TOURNEE_REQUEST_TIMEOUT", value_name = "SECONDS")]
    pub request_timeout: Option<u64>,
    /// Deepest nesting of arrays and objects accepted in a JSON body [default: 64].
    #[arg(long, env = "TOURNEE_JSON_DEPTH", value_name = "N")]
    pub json_depth: Option<usize>,
    /// Origins allowed to call the API from a browser (CORS); none by default. `*` allows any.
    #[arg(
        long,
        env = "TOURNEE_CORS_ORIGINS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub cors_origin: Vec<String>,
    /// Log format: `text` or `json` [default: text].
    #[arg(long, env = "TOURNEE_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Map tiles under the web page's road layer, e.g.
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png` [default: none; the page draws the
    /// extract's own roads and needs no tile server].
    #[arg(long, env = "TOURNEE_TILE_URL", value_name = "URL")]
    pub tile_url: Option<String>,
    /// The service's public address, e.g. `https://tournee.example.fr`: the posters' QR codes
    /// link to it [default: the address the poster was asked at, from its Host header].
    #[arg(long, env = "TOURNEE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Sites allowed to embed the public page in a frame (a commune's web site), as CSP
    /// `frame-ancestors` sources, e.g. `https://www.mairie-ordino.fr` [default: none; the
    /// dispatcher's page is never framed].
    #[arg(
        long,
        env = "TOURNEE_FRAME_ANCESTORS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub frame_ancestor: Vec<String>,
    /// Requests per minute one client address may make to the public pages (/p/…); more get
    /// 429 with Retry-After [default: 120].
    #[arg(long, env = "TOURNEE_PUBLIC_RATE_LIMIT", value_name = "N")]
    pub public_rate_limit: Option<u32>,
    /// A server speaking the French address API (BAN / addok) that finds addresses for every
    /// territory, e.g. `https://api-adresse.data.gouv.fr` or an operator's own addok
    /// [default: none]. Addresses of a planning problem, home visits included, are sent to it.
    #[arg(long, env = "TOURNEE_GEOCODER_URL", value_name = "URL")]
    pub geocoder_url: Option<String>,
    /// Longest wait for one answer of --geocoder-url, seconds; past it the request gets 502
    /// [default: 5].
    #[arg(long, env = "TOURNEE_GEOCODER_TIMEOUT", value_name = "SECONDS")]
    pub geocoder_timeout: Option<f64>,
    /// Most queries of a POST /v1/territories/{id}/geocode batch; more get 413 [default: 1000].
    #[arg(long, env = "TOURNEE_MAX_GEOCODE_BATCH", value_name = "N")]
    pub max_geocode_batch: Option<usize>,
    /// Most attendance records of one POST /v1/attendance (JSON batch or CSV rows); more get
    /// 413 [default: 10000].
    #[arg(long, env = "TOURNEE_MAX_ATTENDANCE_RECORDS", value_name = "N")]
    pub max_attendance_records: Option<usize>,
}

impl ServeArgs {
    /// The arguments of a bare `tournee` (no subcommand): no flags, the environment variables
    /// applied as for `tournee serve`.
    ///
    /// # Errors
    /// [`Error::Config`] for an environment variable that does not parse.
    pub fn from_env() -> Result<Self> {
        let command = <Self as clap::Args>::augment_args(clap::Command::new("tournee"));
        let matches = command
            .try_get_matches_from(["tournee"])
            .map_err(|e| Error::Config(e.to_string()))?;
        <Self as clap::FromArgMatches>::from_arg_matches(&matches)
            .map_err(|e| Error::Config(e.to_string()))
    }
}

/// How logs are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The settings a TOML file may give (every one optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data: Option<PathBuf>,
    database: Option<String>,
    #[serde(default)]
    osm: Vec<PathBuf>,
    cache_dir: Option<PathBuf>,
    workers: Option<usize>,
    queue_limit: Option<usize>,
    max_time_limit: Option<f64>,
    vroom_time_limit: Option<f64>,
    auth_tokens: Option<PathBuf>,
    body_limit: Option<usize>,
    max_places: Option<usize>,
    max_matrix_points: Option<usize>,
    max_vroom_places: Option<usize>,
    max_coverage_pairs: Option<u64>,
    request_timeout: Option<u64>,
    json_depth: Option<usize>,
    #[serde(default)]
    cors_origin: Vec<String>,
    log_format: Option<LogFormat>,
    tile_url: Option<String>,
    public_url: Option<String>,
    #[serde(default)]
    frame_ancestor: Vec<String>,
    public_rate_limit: Option<u32>,
    geocoder_url: Option<String>,
    geocoder_timeout: Option<f64>,
    max_geocode_batch: Option<usize>,
    max_attendance_records: Option<usize>,
}

/// The resolved configuration of the service.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The database URL (`sqlite://…` under the data folder by default).
    pub database_url: String,
    /// Extracts to load.
    pub osm: Vec<PathBuf>,
    /// Graph cache directory.
    pub cache_dir: PathBuf,
    /// Concurrent solves.
    pub workers: usize,
    /// Longest queue.
    pub queue_limit: usize,
    /// Cap on a job's time limit, seconds.
    pub max_time_limit_s: f64,
    /// Time limit of /vroom solves, seconds.
    pub vroom_time_limit_s: f64,
    /// Token file, if access control is on.
    pub auth_tokens: Option<PathBuf>,
    /// Largest body, bytes.
    pub body_limit: usize,
    /// Most places of a planning problem.
    pub max_places: usize,
    /// Most points of a matrix request.
    pub max_matrix_points: usize,
    /// Most jobs + vehicles of a VROOM problem.
    pub max_vroom_places: usize,
    /// Most demand points × candidate sites of a coverage request.
    pub max_coverage_pairs: u64,
    /// Longest request, seconds.
    pub request_timeout_s: u64,
    /// Deepest JSON nesting.
    pub json_depth: usize,
    /// CORS origins (empty: CORS off).
    pub cors_origins: Vec<String>,
    /// Log format.
    pub log_format: LogFormat,
    /// Tile URL template for the page's map, if any.
    pub tile_url: Option<String>,
    /// The public address the posters' QR codes link to, if set.
    pub public_url: Option<String>,
    /// Sites allowed to frame the public page (empty: none).
    pub frame_ancestors: Vec<String>,
    /// Requests per minute and client address on /p/.
    pub public_rate_limit: u32,
    /// The remote geocoder (BAN / addok) every territory asks, if any.
    pub geocoder_url: Option<String>,
    /// Longest wait for one answer of the remote geocoder, seconds.
    pub geocoder_timeout_s: f64,
    /// Most queries of a geocoding batch.
    pub max_geocode_batch: usize,
    /// Most attendance records of one request.
    pub max_attendance_records: usize,
    /// Where the built-in demo extract goes when no `--osm` extract is given (then the demo
    /// territory is loaded and its week planned at start); `None` with extracts.
    pub demo_dir: Option<PathBuf>,
}

impl Config {
    /// Resolves `args` (flags and environment already merged by clap) over the TOML file and
    /// the defaults, and checks the values.
    ///
    /// # Errors
    /// [`Error::Config`] for an unreadable or invalid file, or an out-of-range value.
    pub fn resolve(args: &ServeArgs) -> Result<Config> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let pick_list = |flag: &[PathBuf], file: &[PathBuf]| {
            if flag.is_empty() {
                file.to_vec()
            } else {
                flag.to_vec()
            }
        };
        let data = args.data.clone().or(file.data);
        let data_dir = || match &data {
            Some(dir) => Ok(dir.clone()),
            None => user_dir(|d| d.data_dir().to_owned()),
        };
        let database_url = match args.database.clone().or(file.database) {
            Some(url) => url,
            None => {
                let data = data_dir()?;
                std::fs::create_dir_all(&data).map_err(|e| {
                    Error::Config(format!(
                        "cannot create the data folder {}: {e}",
                        data.display()
                    ))
                })?;
                format!("sqlite://{}?mode=rwc", data.join("tournee.db").display())
            }
        };
        let osm = pick_list(&args.osm, &file.osm);
        let demo_dir = if osm.is_empty() {
            Some(data_dir()?.join("demo"))
        } else {
            None
        };
        let cache_dir = match args.cache_dir.clone().or(file.cache_dir) {
            Some(dir) => dir,
            None => user_dir(|d| d.cache_dir().to_owned())?,
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let config = Config {
            listen: args
                .listen
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            database_url,
            demo_dir,
            osm,
            cache_dir,
            workers: args.workers.or(file.workers).unwrap_or(cores),
            queue_limit: args.queue_limit.or(file.queue_limit).unwrap_or(1000),
            max_time_limit_s: args.max_time_limit.or(file.max_time_limit).unwrap_or(300.0),
            vroom_time_limit_s: args
                .vroom_time_limit
                .or(file.vroom_time_limit)
                .unwrap_or(2.0),
            auth_tokens: args.auth_tokens.clone().or(file.auth_tokens),
            body_limit: args
                .body_limit
                .or(file.body_limit)
                .unwrap_or(10 * 1024 * 1024),
            max_places: args
                .max_places
                .or(file.max_places)
                .unwrap_or(DEFAULT_MAX_PLACES),
            max_matrix_points: args
                .max_matrix_points
                .or(file.max_matrix_points)
                .unwrap_or(DEFAULT_MAX_MATRIX_POINTS),
            max_vroom_places: args
                .max_vroom_places
                .or(file.max_vroom_places)
                .unwrap_or(DEFAULT_MAX_VROOM_PLACES),
            max_coverage_pairs: args
                .max_coverage_pairs
                .or(file.max_coverage_pairs)
                .unwrap_or(DEFAULT_MAX_COVERAGE_PAIRS),
            request_timeout_s: args.request_timeout.or(file.request_timeout).unwrap_or(60),
            json_depth: args.json_depth.or(file.json_depth).unwrap_or(64),
            cors_origins: if args.cors_origin.is_empty() {
                file.cors_origin
            } else {
                args.cors_origin.clone()
            },
            log_format: args.log_format.or(file.log_format).unwrap_or_default(),
            tile_url: args.tile_url.clone().or(file.tile_url),
            public_url: args
                .public_url
                .clone()
                .or(file.public_url)
                .map(|u| u.trim_end_matches('/').to_owned()),
            frame_ancestors: if args.frame_ancestor.is_empty() {
                file.frame_ancestor
            } else {
                args.frame_ancestor.clone()
            },
            public_rate_limit: args
                .public_rate_limit
                .or(file.public_rate_limit)
                .unwrap_or(120),
            geocoder_url: args.geocoder_url.clone().or(file.geocoder_url),
            geocoder_timeout_s: args
                .geocoder_timeout
                .or(file.geocoder_timeout)
                .unwrap_or(DEFAULT_GEOCODER_TIMEOUT_S),
            max_geocode_batch: args
                .max_geocode_batch
                .or(file.max_geocode_batch)
                .unwrap_or(DEFAULT_MAX_GEOCODE_BATCH),
            max_attendance_records: args
                .max_attendance_records
                .or(file.max_attendance_records)
                .unwrap_or(DEFAULT_MAX_ATTENDANCE_RECORDS),
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::Config(what.to_owned()));
        if self.workers == 0 || self.workers > 256 {
            return bad("workers must be 1 to 256");
        }
        if self.queue_limit == 0 {
            return bad("queue_limit must be at least 1");
        }
        for (name, value) in [
            ("max_time_limit", self.max_time_limit_s),
            ("vroom_time_limit", self.vroom_time_limit_s),
            ("geocoder_timeout", self.geocoder_timeout_s),
        ] {
            if !(value.is_finite() && value > 0.0 && value <= 3_600.0) {
                return Err(Error::Config(format!(
                    "{name} must be above 0 and at most 3600 seconds, got {value}"
                )));
            }
        }
        if self.request_timeout_s < 2 {
            return bad("request_timeout must be at least 2 seconds");
        }
        if self.body_limit < 1024 {
            return bad("body_limit must be at least 1024 bytes");
        }
        for (name, value) in [
            ("max_places", self.max_places as u64),
            ("max_matrix_points", self.max_matrix_points as u64),
            ("max_vroom_places", self.max_vroom_places as u64),
            ("max_coverage_pairs", self.max_coverage_pairs),
            ("max_geocode_batch", self.max_geocode_batch as u64),
            ("max_attendance_records", self.max_attendance_records as u64),
        ] {
            if value == 0 {
                return Err(Error::Config(format!("{name} must be at least 1")));
            }
        }
        if self.public_rate_limit == 0 {
            return bad("public_rate_limit must be at least 1 request per minute");
        }
        for origin in &self.frame_ancestors {
            let web = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.contains([' ', ';', ',', '\'', '"']);
            if !(web || origin == "'self'") {
                return Err(Error::Config(format!(
                    "frame_ancestor {origin:?} must be an origin such as \
                     https://www.mairie.fr, or 'self'"
                )));
            }
        }
        if !(2..=1_000).contains(&self.json_depth) {
            return bad("json_depth must be 2 to 1000");
        }
        if self.auth_tokens.is_none() && !self.listen.ip().is_loopback() {
            return Err(Error::Config(format!(
                "refusing to listen on {} without --auth-tokens: home visits are personal data; \
                 give a token file or listen on a loopback address",
                self.listen
            )));
        }
        Ok(())
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

fn user_dir(pick: impl Fn(&directories::ProjectDirs) -> PathBuf) -> Result<PathBuf> {
    directories::ProjectDirs::from("fr", "Tournee", "tournee")
        .map(|dirs| pick(&dirs))
        .ok_or_else(|| Error::Config("no user folder: set --data and --cache-dir".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dir: &Path) -> ServeArgs {
        ServeArgs {
            data: Some(dir.to_owned()),
            cache_dir: Some(dir.to_owned()),
            ..ServeArgs::default()
        }
    }

    #[test]
    fn size_limits_have_defaults_and_come_from_the_file_then_the_flags() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config::resolve(&args(dir.path())).expect("defaults");
        assert_eq!(
            (
                config.max_places,
                config.max_matrix_points,
                config.max_vroom_places,
                config.max_coverage_pairs
            ),
            (5_000, 2_000, 1_000, 25_000_000)
        );
        let file = dir.path().join("tournee.toml");
        std::fs::write(
            &file,
            "max_places = 7\nmax_matrix_points = 8\nmax_vroom_places = 9\nmax_coverage_pairs = 10\n",
        )
        .expect("write");
        let mut from_file = args(dir.path());
        from_file.config = Some(file);
        let config = Config::resolve(&from_file).expect("the file's limits");
        assert_eq!(
            (
                config.max_places,
                config.max_matrix_points,
                config.max_vroom_places,
                config.max_coverage_pairs
            ),
            (7, 8, 9, 10)
        );
        from_file.max_places = Some(11);
        assert_eq!(Config::resolve(&from_file).expect("a flag").max_places, 11);
        from_file.max_coverage_pairs = Some(0);
        let error = Config::resolve(&from_file).expect_err("no pair at all");
        assert!(error.to_string().contains("max_coverage_pairs"), "{error}");
    }

    #[test]
    fn frame_ancestors_are_origins_and_cannot_extend_the_policy() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut with = args(dir.path());
        assert!(
            Config::resolve(&with)
                .expect("defaults")
                .frame_ancestors
                .is_empty()
        );
        with.frame_ancestor = vec!["https://www.mairie-ordino.ad".into(), "'self'".into()];
        assert_eq!(
            Config::resolve(&with)
                .expect("origins")
                .frame_ancestors
                .len(),
            2
        );
        with.frame_ancestor = vec!["https://x.fr; script-src *".into()];
        let error = Config::resolve(&with).expect_err("a second directive");
        assert!(error.to_string().contains("frame_ancestor"), "{error}");
        with.frame_ancestor = Vec::new();
        with.public_rate_limit = Some(0);
        assert!(Config::resolve(&with).is_err());
    }
}
