//! Locations given as coordinates: snapped and routed on a loaded territory's road network,
//! one table per (kind of unit, speed factor); openrouteservice's profile names are accepted.

use optimizer::model::{Profile, ProfileIdx, TravelTable};
use osm_data::geo::Coord;
use osm_data::profile::{Profile as RoadProfile, ProfileKind};
use osm_data::router::DEFAULT_SNAP_LIMIT_M;

use super::super::input::Input;
use super::profiles::{at_speed, profile_of, speed_factor, too_slow_for_32_bits};
use super::{Located, Place};
use crate::error::{Error, Result, Violation};
use crate::serve::territories::Territories;
use territory::Territory;
use territory::position::on_globe;

/// openrouteservice's profile names and the kind of unit each is routed as: a car as a car; a
/// heavy goods vehicle (over 3.5 t) as the bus, the only unit that heavy, so that its height,
/// weight and length limits hold; every bicycle as the cargo tricycle; a walker on foot.
/// openrouteservice's `cycling-mountain`, `foot-hiking` and `wheelchair` have no counterpart.
const ORS_PROFILES: [(&str, ProfileKind); 6] = [
    ("driving-car", ProfileKind::Car),
    ("driving-hgv", ProfileKind::Bus),
    ("cycling-regular", ProfileKind::Triporteur),
    ("cycling-electric", ProfileKind::Triporteur),
    ("cycling-road", ProfileKind::Triporteur),
    ("foot-walking", ProfileKind::Foot),
];

/// The routing profile named by a Tournée kind or an openrouteservice profile name.
fn road_kind(name: &str) -> Option<ProfileKind> {
    ORS_PROFILES
        .iter()
        .find(|(ors, _)| *ors == name)
        .map(|(_, kind)| *kind)
        .or_else(|| name.parse().ok())
}

/// Why a vehicle's profile name is refused: the names accepted, Tournée's and openrouteservice's.
fn unknown_profile(name: &str) -> String {
    let kinds: Vec<&str> = ProfileKind::ALL.iter().map(|k| k.name()).collect();
    let ors: Vec<String> = ORS_PROFILES
        .iter()
        .map(|(ors, kind)| format!("{ors} ({kind})"))
        .collect();
    format!(
        "unknown profile {name:?}: expected one of {}, or openrouteservice's {}",
        kinds.join(", "),
        ors.join(", ")
    )
}

/// The places, profiles and vehicle profiles of an input located by coordinates.
///
/// # Errors
/// [`Error::Unavailable`] while territories load; [`Error::Invalid`] when no territory holds
/// the coordinates or a place is off its roads; a routing error of the territory.
pub(super) fn from_coordinates(
    input: &Input,
    territories: Option<&Territories>,
    bad: &mut Vec<Violation>,
) -> Result<Located> {
    let coords = coordinates(input, bad);
    let (keys, vehicle_profile) = vehicle_profiles(input, bad);
    if !bad.is_empty() {
        return Ok((Vec::new(), Vec::new(), vehicle_profile));
    }
    let territories =
        territories.ok_or_else(|| Error::Unavailable("territories are still loading".into()))?;
    let points: Vec<Coord> = coords
        .iter()
        .map(|([lon, lat], _)| Coord::new(*lat, *lon))
        .collect();
    let territory = territory_of(input, territories, &coords, &points)?;
    let mut profiles = Vec::new();
    for &(kind, bits) in &keys {
        let road = Road {
            territory,
            territories,
            kind,
            speed_bits: bits,
        };
        profiles.push(road.table(input, &points, &coords, bad)?);
    }
    let places = coords
        .iter()
        .map(|(at, _)| Place {
            coordinates: Some(*at),
            index: None,
        })
        .collect();
    Ok((places, profiles, vehicle_profile))
}

/// Every distinct coordinate of the jobs and vehicles, with the field it was first given at;
/// coordinates out of range and missing locations are refused.
fn coordinates(input: &Input, bad: &mut Vec<Violation>) -> Vec<([f64; 2], String)> {
    let mut coords: Vec<([f64; 2], String)> = Vec::new();
    let mut add = |at: [f64; 2], field: String, bad: &mut Vec<Violation>| {
        let [lon, lat] = at;
        if !on_globe(lat, lon) {
            bad.push(Violation::new(
                field.clone(),
                format!("must be [lon, lat] in degrees, got {at:?}"),
            ));
        }
        if !coords.iter().any(|(c, _)| *c == at) {
            coords.push((at, field));
        }
    };
    for (i, job) in input.jobs.iter().enumerate() {
        match job.location {
            Some(at) => add(at, format!("/jobs/{i}/location"), bad),
            None => bad.push(Violation::new(
                format!("/jobs/{i}"),
                "`location` is required without custom matrices",
            )),
        }
    }
    for (i, v) in input.vehicles.iter().enumerate() {
        if let Some(at) = v.start {
            add(at, format!("/vehicles/{i}/start"), bad);
        }
        if let Some(at) = v.end {
            add(at, format!("/vehicles/{i}/end"), bad);
        }
        if v.start.is_none() && v.end.is_none() {
            bad.push(Violation::new(
                format!("/vehicles/{i}"),
                "give start, end or both",
            ));
        }
    }
    coords
}

/// Each vehicle's (kind of unit, speed factor) profile, as keys in order of first use and the
/// index of each vehicle's.
fn vehicle_profiles(
    input: &Input,
    bad: &mut Vec<Violation>,
) -> (Vec<(ProfileKind, u64)>, Vec<ProfileIdx>) {
    let mut keys: Vec<(ProfileKind, u64)> = Vec::new();
    let mut vehicle_profile = Vec::new();
    for (i, v) in input.vehicles.iter().enumerate() {
        let name = v.profile.as_deref().unwrap_or("car");
        let kind = road_kind(name).unwrap_or_else(|| {
            bad.push(Violation::new(
                format!("/vehicles/{i}/profile"),
                unknown_profile(name),
            ));
            ProfileKind::Car
        });
        let key = (kind, speed_factor(v, i, bad).to_bits());
        vehicle_profile.push(profile_of(&mut keys, key, i, bad));
    }
    (keys, vehicle_profile)
}

/// The territory the input names, else the first loaded one holding every coordinate.
fn territory_of<'t>(
    input: &Input,
    territories: &'t Territories,
    coords: &[([f64; 2], String)],
    points: &[Coord],
) -> Result<&'t Territory> {
    match &input.territory {
        Some(id) => territories.get(id).ok_or_else(|| {
            Error::Invalid(vec![Violation::new("/territory", format!("no territory {id:?} is loaded"))])
        }),
        None => territories
            .list
            .iter()
            .find(|t| points.iter().all(|p| t.covers(*p)))
            .ok_or_else(|| {
                Error::Invalid(vec![Violation::new(
                    coords.first().map_or("/jobs", |(_, f)| f.as_str()),
                    "no loaded territory holds every coordinate; give custom matrices or a `territory`",
                )])
            }),
    }
}

/// One kind of unit's roads on a territory, at a speed factor.
struct Road<'a> {
    territory: &'a Territory,
    territories: &'a Territories,
    kind: ProfileKind,
    /// The speed factor's bits, as vehicles are keyed by them.
    speed_bits: u64,
}

impl Road<'_> {
    /// The travel table between `points` (given at the fields of `coords`), snapped to the
    /// roads; a point off them is refused at its field.
    fn table(
        &self,
        input: &Input,
        points: &[Coord],
        coords: &[([f64; 2], String)],
        bad: &mut Vec<Violation>,
    ) -> Result<Profile> {
        let router =
            (self.territory).router(&RoadProfile::new(self.kind), &self.territories.cache)?;
        let mut snaps = Vec::new();
        for (i, p) in points.iter().enumerate() {
            match router.snap(&[*p], DEFAULT_SNAP_LIMIT_M) {
                Ok(mut s) => snaps.append(&mut s),
                Err(e) => bad.push(Violation::new(coords[i].1.clone(), e.to_string())),
            }
        }
        if !bad.is_empty() {
            return Err(Error::Invalid(std::mem::take(bad)));
        }
        let n = snaps.len();
        let (mut durations, distances) = router.matrix(&snaps, &snaps)?.into_tables();
        let factor = f64::from_bits(self.speed_bits);
        if factor != 1.0 {
            let scaled = durations.iter().map(|&d| at_speed(i64::from(d), factor));
            let too_slow = || Error::Invalid(vec![too_slow_for_32_bits(input, self.speed_bits)]);
            durations = scaled.collect::<Option<_>>().ok_or_else(too_slow)?;
        }
        Ok(Profile::new(TravelTable::new(n, durations, distances)?))
    }
}
