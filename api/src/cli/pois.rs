//! `tournee pois`: points of interest of an extract, as GeoJSON.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use osm_data::pois::read_pois;

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
    let features = pois?
        .into_iter()
        .map(|poi| {
            let mut properties = JsonObject::new();
            properties.insert("osm_id".into(), poi.id.to_string().into());
            properties.insert("kind".into(), poi.kind.name().into());
            properties.insert("name".into(), poi.name.into());
            properties.insert("population".into(), poi.population.into());
            Feature {
                geometry: Some(Geometry::new_point([poi.coord.lon, poi.coord.lat])),
                properties: Some(properties),
                ..Feature::default()
            }
        })
        .collect();
    let collection = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    writeln!(out, "{collection}")?;
    Ok(())
}
