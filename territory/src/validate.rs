//! The checks a planning problem passes before any road network is read or matrix built: the
//! planner's own rules ([`validate_planning`]) and every unit's vehicle numbers within the
//! ranges of its road profile. The ranges are osm-data's ([`Profile::faults`], one source of
//! truth); here each fault names the unit's field (`units[2].vehicle.width_m`) rather than
//! failing later as a routing error without a field when the network is built.

use optimizer::FieldError;
use optimizer::planning::problem::{PlanningProblem, VehicleSize};
use optimizer::planning::validate::validate_planning;
use osm_data::profile::{Profile, ProfileKind};

use crate::error::{Error, Result};
use crate::profiles::profile_kind;

/// Validates `problem`: the planner's rules and every unit's vehicle numbers.
///
/// # Errors
/// [`Error::Planning`] holding [`optimizer::Error::Invalid`] with every field at fault.
pub fn planning_problem(problem: &PlanningProblem) -> Result<()> {
    let mut faults = match validate_planning(problem) {
        Ok(()) => Vec::new(),
        Err(optimizer::Error::Invalid(list)) => list,
        Err(other) => return Err(other.into()),
    };
    faults.extend(vehicle_faults(problem));
    if faults.is_empty() {
        Ok(())
    } else {
        Err(Error::Planning(optimizer::Error::Invalid(faults)))
    }
}

/// Every unit's vehicle number outside the range of its road profile (the kind's profile with
/// the unit's numbers in place of the defaults). A fault in a number the unit does not give (a
/// triporteur's default cruising speed above the unit's own top speed) names the unit's
/// `vehicle`.
pub fn vehicle_faults(problem: &PlanningProblem) -> Vec<FieldError> {
    let mut faults = Vec::new();
    for (i, unit) in problem.units.iter().enumerate() {
        let profile = overridden(profile_kind(unit.kind), &unit.vehicle);
        for fault in profile.faults() {
            let (path, message) = match fault {
                osm_data::Error::InvalidProfile { field, reason }
                    if given(&unit.vehicle, field) =>
                {
                    (format!("units[{i}].vehicle.{field}"), reason)
                }
                osm_data::Error::InvalidProfile { field, reason } => {
                    (format!("units[{i}].vehicle"), format!("{field}: {reason}"))
                }
                other => (format!("units[{i}].vehicle"), other.to_string()),
            };
            faults.push(FieldError { path, message });
        }
    }
    faults
}

/// The profile of `kind` with the numbers `size` gives in place of the defaults (a cruising
/// speed only where one is given).
pub fn overridden(kind: ProfileKind, size: &VehicleSize) -> Profile {
    let mut profile = Profile::new(kind);
    let overrides = [
        (&mut profile.max_speed_kmh, size.max_speed_kmh),
        (&mut profile.height_m, size.height_m),
        (&mut profile.width_m, size.width_m),
        (&mut profile.length_m, size.length_m),
        (&mut profile.weight_t, size.weight_t),
    ];
    for (slot, value) in overrides {
        if let Some(value) = value {
            *slot = value;
        }
    }
    if size.cruising_speed_kmh.is_some() {
        profile.cruising_speed_kmh = size.cruising_speed_kmh;
    }
    profile
}

/// Whether `size` gives the profile number named `field`.
fn given(size: &VehicleSize, field: &str) -> bool {
    let value = match field {
        "max_speed_kmh" => size.max_speed_kmh,
        "height_m" => size.height_m,
        "width_m" => size.width_m,
        "length_m" => size.length_m,
        "weight_t" => size.weight_t,
        "cruising_speed_kmh" => size.cruising_speed_kmh,
        _ => None,
    };
    value.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use optimizer::planning::problem::UnitKind;

    fn problem(mut units: serde_json::Value) -> PlanningProblem {
        for (i, unit) in units.as_array_mut().expect("units").iter_mut().enumerate() {
            unit["id"] = format!("unit-{i}").into();
        }
        serde_json::from_value(serde_json::json!({
            "horizon": {"start": "2026-03-02", "weeks": 1},
            "territory": {"extract": "andorra-2021"},
            "units": units,
        }))
        .expect("a problem")
    }

    fn unit(kind: &str, vehicle: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "kind": kind, "vehicle": vehicle,
            "depot": {"lat": 42.5, "lon": 1.52},
            "hours": {"mon": [{"start": "08:00", "end": "17:00"}]},
        })
    }

    #[test]
    fn each_number_out_of_range_names_its_unit_and_field() {
        let p = problem(serde_json::json!([
            unit("car", serde_json::json!({"width_m": 2.0})),
            unit(
                "bus",
                serde_json::json!({"width_m": 1e30, "height_m": 1e30, "max_speed_kmh": -9.2e18})
            ),
            unit("triporteur", serde_json::json!({"max_speed_kmh": 10.0})),
            unit("car", serde_json::json!({"cruising_speed_kmh": 20.0})),
        ]));
        let paths: Vec<String> = vehicle_faults(&p).into_iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            [
                "units[1].vehicle.max_speed_kmh",
                "units[1].vehicle.height_m",
                "units[1].vehicle.width_m",
                "units[2].vehicle",
                "units[3].vehicle.cruising_speed_kmh",
            ]
        );
        let Err(Error::Planning(optimizer::Error::Invalid(all))) = planning_problem(&p) else {
            panic!("the problem should be refused");
        };
        assert_eq!(all.len(), 5);
    }

    #[test]
    fn a_unit_without_overrides_has_its_kinds_profile() {
        let profile = overridden(profile_kind(UnitKind::Bus), &VehicleSize::default());
        assert_eq!(profile, Profile::new(ProfileKind::Bus));
        assert!(
            vehicle_faults(&problem(serde_json::json!([unit(
                "bus",
                serde_json::json!({})
            )])))
            .is_empty()
        );
    }
}
