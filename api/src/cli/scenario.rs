//! `tournee scenario`: a realistic planning problem built from an extract's points of
//! interest (see [`territory::scenario`]).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use territory::calendar::next_monday;

use super::CacheArgs;
use crate::error::Result;
use crate::progress::TerminalProgress;
use territory::scenario::{ScenarioOptions, build};

/// Arguments of `tournee scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// Number of units (a bus first, then camping-cars and cars for home visits).
    #[arg(long, default_value_t = 3)]
    pub units: usize,
    /// Weeks in the cycle (1 to 6).
    #[arg(long, default_value_t = 1)]
    pub weeks: u8,
    /// Number of recurring stops (default: every site found, at most 200).
    #[arg(long)]
    pub stops: Option<usize>,
    /// Number of home-visit requests.
    #[arg(long, default_value_t = 20)]
    pub home_visits: usize,
    /// Seed of the random choices: the same seed gives the same problem.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First day of the cycle (default: next Monday).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<NaiveDate>,
    /// Time limit written into the problem, seconds.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Runs `tournee scenario`.
pub fn run(args: &ScenarioArgs, out: &mut impl Write) -> Result<()> {
    let options = ScenarioOptions {
        extract: args.extract.clone(),
        units: args.units,
        weeks: args.weeks,
        stops: args.stops,
        home_visits: args.home_visits,
        seed: args.seed,
        start: args.start.unwrap_or_else(next_monday),
        time_limit: args.time_limit,
    };
    let progress = TerminalProgress::new();
    let problem = build(&options, &args.cache.policy()?, &progress);
    progress.finish();
    serde_json::to_writer_pretty(&mut *out, &problem?).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
