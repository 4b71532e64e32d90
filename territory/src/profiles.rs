//! The road profile of each kind of unit, and one profile per kind sized for the largest unit
//! of that kind.

use std::collections::BTreeMap;

use optimizer::planning::problem::{Unit, UnitKind};
use osm_data::profile::{Profile, ProfileKind};

/// Every kind of unit, in the order the service builds their networks.
pub const KINDS: [UnitKind; 4] = [
    UnitKind::Bus,
    UnitKind::CampingCar,
    UnitKind::Triporteur,
    UnitKind::Car,
];

/// The routing profile of a kind of unit.
pub fn profile_kind(kind: UnitKind) -> ProfileKind {
    match kind {
        UnitKind::Bus => ProfileKind::Bus,
        UnitKind::CampingCar => ProfileKind::CampingCar,
        UnitKind::Triporteur => ProfileKind::Triporteur,
        UnitKind::Car => ProfileKind::Car,
    }
}

/// One road network per kind of unit, for the largest (and slowest) of them: units of a kind
/// share their matrices, so a road must suit them all.
pub fn profiles(units: &[Unit]) -> BTreeMap<UnitKind, Profile> {
    let mut profiles: BTreeMap<UnitKind, Profile> = BTreeMap::new();
    for unit in units {
        let profile = profiles
            .entry(unit.kind)
            .or_insert_with(|| Profile::new(profile_kind(unit.kind)));
        let size = &unit.vehicle;
        let larger = |current: &mut f64, wanted: Option<f64>| {
            if let Some(v) = wanted {
                *current = current.max(v);
            }
        };
        larger(&mut profile.height_m, size.height_m);
        larger(&mut profile.width_m, size.width_m);
        larger(&mut profile.length_m, size.length_m);
        larger(&mut profile.weight_t, size.weight_t);
        if let Some(speed) = size.max_speed_kmh {
            profile.max_speed_kmh = profile.max_speed_kmh.min(speed);
        }
        if let (Some(speed), Some(current)) = (size.cruising_speed_kmh, profile.cruising_speed_kmh)
        {
            profile.cruising_speed_kmh = Some(current.min(speed));
        }
    }
    profiles
}
