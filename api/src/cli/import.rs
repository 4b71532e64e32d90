//! `tournee import`: build or load the graphs of one or several profiles and print their
//! statistics.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use osm_data::import::{CacheStatus, ImportReport};
use osm_data::profile::ProfileKind;
use serde::Serialize;

use super::{CacheArgs, SizeArgs, load_routers};
use crate::error::{Error, Result};
use crate::memory::peak_rss_bytes;

/// Arguments of `tournee import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// Vehicle profile: car, bus, camping_car, triporteur, or foot (people walking). Several,
    /// as `--profile car --profile bus` or `--profile car,bus`, are imported together: the
    /// extract is read once for all of them, and their graphs are contracted one at a time.
    #[arg(
        long,
        short = 'p',
        required = true,
        value_delimiter = ',',
        value_parser = clap::value_parser!(ProfileKind)
    )]
    pub profile: Vec<ProfileKind>,
    /// The unit's own numbers (with a single profile only).
    #[command(flatten)]
    pub size: SizeArgs,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Print the statistics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The statistics printed, with the process's peak memory.
#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    report: &'a ImportReport,
    peak_rss_bytes: Option<u64>,
}

/// Runs `tournee import`: with one profile, its statistics (a JSON object); with several,
/// each profile's in the order given (a JSON array of the same objects).
pub fn run(args: &ImportArgs, out: &mut impl Write) -> Result<()> {
    for (i, kind) in args.profile.iter().enumerate() {
        if args.profile[..i].contains(kind) {
            return Err(Error::Argument(format!("--profile {kind} is given twice")));
        }
    }
    if let (true, Some(flag)) = (args.profile.len() > 1, args.size.first_given()) {
        return Err(Error::Argument(format!(
            "{flag} sets one unit's size: give it with a single --profile"
        )));
    }
    let profiles: Vec<_> = args.profile.iter().map(|k| args.size.profile(*k)).collect();
    let imported = load_routers(&args.extract, &profiles, &args.cache)?;
    let peak = peak_rss_bytes();
    let summaries: Vec<Summary<'_>> = imported
        .iter()
        .map(|(_, report)| Summary {
            report,
            peak_rss_bytes: peak,
        })
        .collect();
    if args.json {
        match summaries.as_slice() {
            [one] => serde_json::to_writer_pretty(&mut *out, one),
            several => serde_json::to_writer_pretty(&mut *out, several),
        }
        .map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        for (i, summary) in summaries.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_text(summary, out)?;
        }
    }
    Ok(())
}

fn write_text(summary: &Summary<'_>, out: &mut impl Write) -> std::io::Result<()> {
    let r = summary.report;
    let p = &r.profile;
    let g = &r.graph;
    let e = &g.source;
    writeln!(out, "extract    {}", r.extract.display())?;
    write!(
        out,
        "profile    {} (max {} km/h, {} m high, {} m wide, {} m long, {} t",
        p.kind, p.max_speed_kmh, p.height_m, p.width_m, p.length_m, p.weight_t
    )?;
    if let Some(cruising) = p.cruising_speed_kmh {
        write!(out, ", cruising {cruising} km/h")?;
    }
    writeln!(out, ")")?;
    writeln!(
        out,
        "elements   {} nodes, {} ways, {} relations ({} highway ways, {} usable)",
        e.nodes, e.ways, e.relations, e.highway_ways, g.usable_ways
    )?;
    writeln!(
        out,
        "graph      {} nodes, {} edges, {} segments, {:.1} km of road",
        g.nodes, g.edges, g.segments, g.road_km
    )?;
    writeln!(
        out,
        "islands    {} nodes dropped outside the largest strongly connected component",
        g.dropped_nodes
    )?;
    writeln!(
        out,
        "turns      {} turn nodes, {} allowed turns; restrictions: {}",
        g.turn_nodes, g.turns, g.restrictions
    )?;
    writeln!(
        out,
        "hierarchy  {} arcs, {} shortcuts",
        r.hierarchy_arcs, r.shortcuts
    )?;
    match &r.cache {
        CacheStatus::Loaded { path } => {
            writeln!(
                out,
                "time       loaded in {:.3} s",
                r.load_time.as_secs_f64()
            )?;
            writeln!(out, "cache      {}", path.display())?;
        }
        status => {
            writeln!(
                out,
                "time       read {:.3} s, build {:.3} s, contract {:.3} s",
                r.read_time.as_secs_f64(),
                g.build_time.as_secs_f64(),
                r.contract_time.as_secs_f64()
            )?;
            match status {
                CacheStatus::Built { path, miss } => {
                    writeln!(out, "cache      {miss}; saved to {}", path.display())?
                }
                CacheStatus::NotSaved { miss, error } => {
                    writeln!(out, "cache      {miss}; NOT saved: {error}")?
                }
                CacheStatus::Loaded { .. } | CacheStatus::Uncached => {}
            }
        }
    }
    if let Some(bytes) = summary.peak_rss_bytes {
        writeln!(out, "memory     {:.1} MB peak", bytes as f64 / 1e6)?;
    }
    Ok(())
}
