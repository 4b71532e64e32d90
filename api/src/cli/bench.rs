//! `tournee bench vrptw`: solve Solomon and Gehring & Homberger files, check every solution, and
//! compare with the best-known solutions.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use optimizer::bench::{BenchConfig, header, line, run as run_bench, summary};

use crate::error::{Error, Result};

/// Arguments of `tournee bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark.
    #[command(subcommand)]
    pub suite: Suite,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum Suite {
    /// Vehicle routing with time windows: every `*.txt` of DIR in Solomon format, BKS from
    /// DIR/bks.csv; vehicles first, then exact Euclidean distance.
    Vrptw(VrptwArgs),
}

/// Arguments of `tournee bench vrptw`.
#[derive(Debug, Args)]
pub struct VrptwArgs {
    /// Folder of instance files and `bks.csv`.
    pub dir: PathBuf,
    /// Time limit per instance, seconds.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time: Duration,
    /// Independent searches per instance (each on its own thread).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threads: usize,
    /// Only these instances (file names without extension).
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub instances: Option<Vec<String>>,
    /// Seed of every solve.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also stop each solve after this many iterations per thread (makes runs repeatable).
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
}

fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{text:?}: the time limit must be positive"))
}

/// Runs `tournee bench`, printing one table line per instance as it is solved.
pub fn run(args: &BenchArgs, out: &mut impl Write) -> Result<()> {
    let Suite::Vrptw(args) = &args.suite;
    let config = BenchConfig {
        dir: args.dir.clone(),
        time: args.time,
        iterations: args.iterations,
        threads: args.threads.max(1),
        instances: args.instances.clone(),
        seed: args.seed,
    };
    writeln!(out, "{}", header())?;
    out.flush()?;
    let mut written = Ok(());
    let rows = run_bench(&config, |row| {
        if written.is_ok() {
            written = writeln!(out, "{}", line(row)).and_then(|()| out.flush());
        }
    })
    .map_err(|e| match e {
        optimizer::Error::Io { path, source } => Error::Read { path, source },
        other => Error::Read {
            path: args.dir.clone(),
            source: std::io::Error::other(other),
        },
    })?;
    written?;
    for text in summary(&rows) {
        writeln!(out, "{text}")?;
    }
    Ok(())
}
