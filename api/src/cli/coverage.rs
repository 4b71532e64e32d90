//! `tournee coverage`: where to stop so that inhabitants have a stop within N minutes (see
//! [`territory::coverage`]).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use optimizer::planning::problem::UnitKind;

use super::CacheArgs;
use crate::error::{Error, Result};
use crate::progress::TerminalProgress;
use territory::Territory;
use territory::calendar::next_monday;
use territory::coverage::inputs::{read_attendance, read_candidates, read_demand};
use territory::coverage::{AccessMode, CoverageRequest, ModelChoice, run as run_coverage};

/// Arguments of `tournee coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// Access threshold: every inhabitant within this many minutes of a stop.
    #[arg(long, default_value_t = 10.0)]
    pub minutes: f64,
    /// How people reach a stop.
    #[arg(long, value_enum, default_value_t = AccessMode::Car)]
    pub mode: AccessMode,
    /// The unit serving the stops (bus, camping_car, car, triporteur): candidates must be on
    /// its network.
    #[arg(long, default_value = "bus", value_parser = parse_unit)]
    pub unit: UnitKind,
    /// The model: cover (fewest stops), max (most people with --budget stops), fair (best
    /// worst-commune share with --budget stops). Default: cover, or max with --budget.
    #[arg(long, value_enum)]
    pub model: Option<ModelChoice>,
    /// Most stops (half-days per cycle) for max and fair.
    #[arg(long)]
    pub budget: Option<usize>,
    /// CSV of demand points (id,lat,lon,weight[,group][,name]) instead of the extract's places.
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// CSV of extra candidate sites (id,lat,lon[,name][,opening_hours]).
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,
    /// Only the candidates of --candidates, not the extract's sites.
    #[arg(long)]
    pub no_osm_candidates: bool,
    /// CSV of past visits (stop,date,visitors) to favour well-attended stops.
    #[arg(long, value_name = "FILE")]
    pub attendance: Option<PathBuf>,
    /// Time limit of the LP bound and the integer model, seconds.
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub time_limit: f64,
    /// Farthest a place or site may lie from a road, metres.
    #[arg(long, value_name = "M", default_value_t = osm_data::router::DEFAULT_SNAP_LIMIT_M)]
    pub snap_limit: f64,
    /// First day of the produced plan's cycle (default: next Monday).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<NaiveDate>,
    /// Half-days per four-week cycle to share among the stops (default: the budget, or 40).
    #[arg(long)]
    pub half_days: Option<u32>,
    /// Time on site of each visit, minutes.
    #[arg(long, default_value_t = 150)]
    pub visit_minutes: u16,
    /// Write the chosen stops as a weekly planning problem (JSON) for `tournee plan`.
    #[arg(long, value_name = "FILE")]
    pub problem_out: Option<PathBuf>,
    /// Write the map (GeoJSON): chosen sites, the roads they serve, demand points.
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
    /// Leave the served roads out of the map.
    #[arg(long)]
    pub no_reach_roads: bool,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
}

fn parse_unit(value: &str) -> std::result::Result<UnitKind, String> {
    serde_json::from_value(serde_json::Value::String(value.replace('-', "_"))).map_err(|_| {
        format!("unknown unit {value:?}; expected one of bus, camping_car, car, triporteur")
    })
}

/// Runs `tournee coverage`: the report on standard output, the greedy answer on standard error
/// as soon as it exists.
pub fn run(args: &CoverageArgs, out: &mut impl Write) -> Result<()> {
    let request = CoverageRequest {
        extract: args.extract.clone(),
        minutes: args.minutes,
        mode: args.mode,
        unit: args.unit,
        model: args.model,
        budget: args.budget,
        demand: args.demand.as_deref().map(read_demand).transpose()?,
        candidates: match &args.candidates {
            Some(path) => read_candidates(path)?,
            None => Vec::new(),
        },
        osm_candidates: !args.no_osm_candidates,
        attendance: match &args.attendance {
            Some(path) => read_attendance(path)?,
            None => Vec::new(),
        },
        time_limit_s: args.time_limit,
        snap_limit_m: args.snap_limit,
        start: args.start.unwrap_or_else(next_monday),
        half_days: args.half_days,
        visit_minutes: args.visit_minutes,
        reach_roads: args.geojson.is_some() && !args.no_reach_roads,
    };
    request.coverage_model()?;
    let progress = TerminalProgress::new();
    let started = std::time::Instant::now();
    let response = run_coverage(
        &Territory::open(&request.extract),
        &request,
        &args.cache.policy()?,
        &progress,
        &mut |first| {
            eprintln!(
                "greedy answer after {:.2} s: {} stops, {:.0} people covered; improving…",
                started.elapsed().as_secs_f64(),
                first.stops,
                first.covered_population
            );
        },
        None,
    );
    progress.finish();
    let response = response?;
    if let Some(path) = &args.problem_out {
        write_json(path, &response.problem)?;
    }
    if let Some(path) = &args.geojson {
        write_json(path, &response.geojson)?;
    }
    serde_json::to_writer_pretty(&mut *out, &response.report).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

fn write_json(path: &std::path::Path, value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    std::fs::write(path, text + "\n").map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}
