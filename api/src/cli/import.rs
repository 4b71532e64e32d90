//! `tournee import`: build or load a profile's graph and print its statistics.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use osm_data::import::{CacheStatus, ImportReport};
use serde::Serialize;

use super::{CacheArgs, ProfileArgs, load_router};
use crate::error::Result;
use crate::memory::peak_rss_bytes;

/// Arguments of `tournee import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// The vehicle profile and its overrides.
    #[command(flatten)]
    pub profile: ProfileArgs,
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

/// Runs `tournee import`.
pub fn run(args: &ImportArgs, out: &mut impl Write) -> Result<()> {
    let (_, report) = load_router(&args.extract, &args.profile.profile(), &args.cache)?;
    let summary = Summary {
        report: &report,
        peak_rss_bytes: peak_rss_bytes(),
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &summary).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        write_text(&summary, out)?;
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
