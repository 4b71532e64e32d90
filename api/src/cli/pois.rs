//! `tournee pois`: points of interest of an extract, as GeoJSON with the OpenStreetMap credit.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use osm_data::pois::read_pois;
use territory::pois::pois_geojson;

use crate::error::Result;
use crate::progress::TerminalProgress;

/// Arguments of `tournee pois`.
#[derive(Debug, Args)]
pub struct PoisArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
}

/// Runs `tournee pois`.
pub fn run(args: &PoisArgs, out: &mut impl Write) -> Result<()> {
    let progress = TerminalProgress::new();
    let pois = read_pois(&args.extract, &progress);
    progress.finish();
    let collection = pois_geojson(&pois?);
    writeln!(out, "{collection}")?;
    Ok(())
}
