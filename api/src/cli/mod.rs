//! The command line: one module per subcommand, and the arguments they share.

pub mod bench;
pub mod check;
pub mod coverage;
pub mod geocode;
pub mod import;
pub mod matrix;
pub mod plan;
pub mod pois;
pub mod route;
pub mod scenario;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use optimizer::planning::problem::VehicleSize;
use osm_data::import::{CachePolicy, ImportReport, import};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::router::Router;

use crate::error::{Error, Result};
use crate::progress::TerminalProgress;

/// Tournée plans the weekly rounds of mobile public-service units on real road networks.
///
/// Without a subcommand, `tournee` runs `tournee serve` with its defaults: the web page and
/// the HTTP service on 127.0.0.1:8080, with the built-in demo territory and week.
#[derive(Debug, Parser)]
#[command(name = "tournee", version)]
pub struct Cli {
    /// What to do (`serve` when absent).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build (or load from the cache) the road graph of an extract for a vehicle profile and
    /// print its statistics.
    Import(import::ImportArgs),
    /// Travel-time and distance matrices between points read from a CSV file.
    Matrix(matrix::MatrixArgs),
    /// The fastest route between two coordinates, as a GeoJSON LineString.
    Route(route::RouteArgs),
    /// Points of interest of an extract (markets, libraries, town halls, places, car parks), as
    /// GeoJSON.
    Pois(pois::PoisArgs),
    /// Addresses, streets, places and points of interest of an extract to positions (one
    /// query or a CSV column), or a position to the nearest address (`--reverse`).
    Geocode(geocode::GeocodeArgs),
    /// Solve benchmark instances and compare with the best-known solutions.
    Bench(bench::BenchArgs),
    /// A realistic weekly planning problem built from an extract's points of interest.
    Scenario(scenario::ScenarioArgs),
    /// Solve a weekly planning problem (JSON) and print the plan (JSON).
    Plan(plan::PlanArgs),
    /// Verify a plan against its problem, independently of the solver.
    Check(check::CheckArgs),
    /// Where to stop so that inhabitants have a stop within N minutes: set covering, maximal
    /// covering or fair covering, with attendance, as a JSON report and a weekly problem.
    Coverage(coverage::CoverageArgs),
    /// Run the HTTP service: planning jobs, exports, VROOM-compatible endpoint.
    Serve(Box<crate::serve::config::ServeArgs>),
}

/// The vehicle profile and its overrides.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Vehicle profile: car, bus, camping_car, triporteur, or foot (people walking).
    #[arg(long, short = 'p', value_parser = clap::value_parser!(ProfileKind))]
    pub profile: ProfileKind,
    /// The unit's own numbers.
    #[command(flatten)]
    pub size: SizeArgs,
}

impl ProfileArgs {
    /// The profile: the kind's defaults with the overrides given.
    pub fn profile(&self) -> Profile {
        self.size.profile(self.profile)
    }
}

/// A unit's own numbers, each overriding its kind's default.
#[derive(Debug, Args)]
pub struct SizeArgs {
    /// Highest speed of the unit, km/h (default: 130 car, 90 bus, 110 camping_car, 25
    /// triporteur; on foot the walking speed, 4.8).
    #[arg(long, value_name = "KMH", allow_negative_numbers = true)]
    pub max_speed: Option<f64>,
    /// Height of the unit, metres, checked against `maxheight` (default: 1.8, 3.5, 3.1, 2.0).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub height: Option<f64>,
    /// Width of the unit, metres, checked against `maxwidth` (default: 2.0, 2.55, 2.35, 1.0).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub width: Option<f64>,
    /// Length of the unit, metres, checked against `maxlength` (default: 4.5, 12, 7, 2.6).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub length: Option<f64>,
    /// Weight of the unit, tonnes, checked against `maxweight` (default: 2, 18, 3.5, 0.3).
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub weight: Option<f64>,
    /// Triporteur only: cruising speed on open roads, km/h (default 18).
    #[arg(long, value_name = "KMH", allow_negative_numbers = true)]
    pub cruising_speed: Option<f64>,
}

impl SizeArgs {
    /// The profile of `kind`: its defaults with the overrides given.
    pub fn profile(&self, kind: ProfileKind) -> Profile {
        territory::validate::overridden(
            kind,
            &VehicleSize {
                max_speed_kmh: self.max_speed,
                height_m: self.height,
                width_m: self.width,
                length_m: self.length,
                weight_t: self.weight,
                cruising_speed_kmh: self.cruising_speed,
            },
        )
    }

    /// The flag of the first override given, if any: what a command that takes several
    /// kinds of unit names when it refuses overrides (they would apply to every kind).
    pub fn first_given(&self) -> Option<&'static str> {
        [
            ("--max-speed", self.max_speed),
            ("--height", self.height),
            ("--width", self.width),
            ("--length", self.length),
            ("--weight", self.weight),
            ("--cruising-speed", self.cruising_speed),
        ]
        .into_iter()
        .find_map(|(flag, value)| value.map(|_| flag))
    }
}

/// Where prepared graphs are cached.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Directory of the graph cache (default: the user's cache directory, e.g.
    /// ~/.cache/tournee).
    #[arg(long, env = "TOURNEE_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Build the graph without reading or writing the cache (overrides --cache-dir).
    #[arg(long)]
    pub no_cache: bool,
}

impl CacheArgs {
    /// The cache policy these arguments ask for.
    pub fn policy(&self) -> Result<CachePolicy> {
        if self.no_cache {
            return Ok(CachePolicy::Disabled);
        }
        let dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => directories::ProjectDirs::from("fr", "Tournee", "tournee")
                .ok_or(Error::NoCacheDirectory)?
                .cache_dir()
                .to_owned(),
        };
        Ok(CachePolicy::Directory(dir))
    }
}

/// Loads or builds the routers of several profiles of one extract (read once for all that
/// must be built), with a progress bar on the terminal.
pub fn load_routers(
    extract: &std::path::Path,
    profiles: &[Profile],
    cache: &CacheArgs,
) -> Result<Vec<(Router, ImportReport)>> {
    let progress = TerminalProgress::new();
    let imported = import(extract, profiles, &cache.policy()?, &progress);
    progress.finish();
    Ok(imported?)
}

/// Loads or builds the router of one profile, with a progress bar on the terminal.
pub fn load_router(
    extract: &std::path::Path,
    profile: &Profile,
    cache: &CacheArgs,
) -> Result<(Router, ImportReport)> {
    let mut imported = load_routers(extract, std::slice::from_ref(profile), cache)?;
    // `import` returns exactly one router per profile asked for.
    Ok(imported.swap_remove(0))
}
