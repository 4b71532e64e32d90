//! `tournee route`: the fastest route between two coordinates, as GeoJSON.

use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

use clap::Args;
use geojson::{Feature, Geometry, JsonObject};
use osm_data::geo::Coord;
use osm_data::router::DEFAULT_SNAP_LIMIT_M;

use super::{CacheArgs, ProfileArgs, load_router};
use crate::error::Result;

/// A `LAT,LON` argument.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatLon(pub Coord);

impl FromStr for LatLon {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (lat, lon) = s
            .split_once(',')
            .ok_or_else(|| format!("{s:?} is not LAT,LON"))?;
        let number = |v: &str, what: &str| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| format!("{what} {v:?} is not a number"))
        };
        let coord = Coord::new(number(lat, "latitude")?, number(lon, "longitude")?);
        match coord.problem() {
            Some(problem) => Err(problem),
            None => Ok(LatLon(coord)),
        }
    }
}

/// Arguments of `tournee route`.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The OpenStreetMap extract (.osm.pbf).
    pub extract: PathBuf,
    /// The vehicle profile and its overrides.
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Start, as LAT,LON.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub from: LatLon,
    /// Destination, as LAT,LON.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub to: LatLon,
    /// Farthest either point may lie from a usable road, metres.
    #[arg(long, value_name = "M", default_value_t = DEFAULT_SNAP_LIMIT_M)]
    pub snap_limit: f64,
}

/// Runs `tournee route`.
pub fn run(args: &RouteArgs, out: &mut impl Write) -> Result<()> {
    let profile = args.profile.profile();
    let (router, _) = load_router(&args.extract, &profile, &args.cache)?;
    let snaps = router.snap(&[args.from.0, args.to.0], args.snap_limit)?;
    let route = router.route(&snaps[0], &snaps[1])?;
    let line = route.coordinates.iter().map(|c| [c.lon, c.lat]);
    let mut properties = JsonObject::new();
    properties.insert("profile".into(), profile.kind.name().into());
    properties.insert("duration_s".into(), route.duration_s.into());
    properties.insert("distance_m".into(), route.distance_m.into());
    properties.insert(
        "from_snap_distance_m".into(),
        rounded(snaps[0].distance_m).into(),
    );
    properties.insert(
        "to_snap_distance_m".into(),
        rounded(snaps[1].distance_m).into(),
    );
    let feature = Feature {
        geometry: Some(Geometry::new_line_string(line)),
        properties: Some(properties),
        ..Feature::default()
    };
    writeln!(out, "{feature}")?;
    Ok(())
}

/// Metres to one decimal.
fn rounded(metres: f64) -> f64 {
    (metres * 10.0).round() / 10.0
}
