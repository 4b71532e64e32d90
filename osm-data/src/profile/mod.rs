//! Vehicle profiles: what a unit may use and how fast it goes.
//!
//! A [`Profile`] is a [`ProfileKind`] plus the unit's own numbers (speed, dimensions), which a
//! user may override. The rules that turn tags into "allowed, which way, how fast" live in
//! [`rules`], [`speed`] and [`barrier`].

pub mod barrier;
pub mod rules;
pub mod speed;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tags::AccessKey;

pub use rules::Traversal;

/// The kinds of unit Tournée routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// A car (conseillers numériques driving to homes).
    Car,
    /// A France Services bus or coach: tall, long and heavy.
    Bus,
    /// A camping-car used as a pop-up service point.
    CampingCar,
    /// An electric cargo tricycle: a cycle by law, 25 km/h at most.
    Triporteur,
    /// People walking to a stop (access times for territorial coverage, never a unit):
    /// footways, paths, pedestrian streets and ordinary streets in both directions.
    Foot,
}

impl ProfileKind {
    /// Every kind, in a stable order.
    pub const ALL: [ProfileKind; 5] = [
        ProfileKind::Car,
        ProfileKind::Bus,
        ProfileKind::CampingCar,
        ProfileKind::Triporteur,
        ProfileKind::Foot,
    ];

    /// The name used on the command line, in JSON and in file names.
    pub fn name(self) -> &'static str {
        match self {
            ProfileKind::Car => "car",
            ProfileKind::Bus => "bus",
            ProfileKind::CampingCar => "camping_car",
            ProfileKind::Triporteur => "triporteur",
            ProfileKind::Foot => "foot",
        }
    }

    /// Whether the unit is a motor vehicle (as opposed to a cycle or a person on foot).
    pub fn is_motor_vehicle(self) -> bool {
        !matches!(self, ProfileKind::Triporteur | ProfileKind::Foot)
    }

    /// The access keys that speak for this kind, most specific first (OSM's access hierarchy).
    pub fn access_hierarchy(self) -> &'static [AccessKey] {
        use AccessKey::*;
        match self {
            ProfileKind::Car => &[Motorcar, MotorVehicle, Vehicle, Access],
            ProfileKind::Bus => &[Bus, Psv, MotorVehicle, Vehicle, Access],
            ProfileKind::CampingCar => &[Motorhome, MotorVehicle, Vehicle, Access],
            ProfileKind::Triporteur => &[Bicycle, Vehicle, Access],
            ProfileKind::Foot => &[Foot, Access],
        }
    }
}

impl fmt::Display for ProfileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ProfileKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "car" => Ok(ProfileKind::Car),
            "bus" => Ok(ProfileKind::Bus),
            "camping_car" | "camping-car" => Ok(ProfileKind::CampingCar),
            "triporteur" => Ok(ProfileKind::Triporteur),
            "foot" => Ok(ProfileKind::Foot),
            other => Err(format!(
                "unknown profile {other:?}; expected one of car, bus, camping_car, triporteur, foot"
            )),
        }
    }
}

/// Walking speed of an adult on level ground, km/h (the usual 4.5–5 km/h of pedestrian
/// routing; older people walk slower, which `--max-speed` can say).
pub const FOOT_KMH: f64 = 4.8;

/// A unit's routing profile: its kind and its own numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Which rules apply.
    pub kind: ProfileKind,
    /// Highest speed the unit drives at, km/h; on foot, the walking speed.
    pub max_speed_kmh: f64,
    /// Height including roof equipment, metres (checked against `maxheight`).
    pub height_m: f64,
    /// Width, metres (checked against `maxwidth`).
    pub width_m: f64,
    /// Length, metres (checked against `maxlength`).
    pub length_m: f64,
    /// Actual weight, tonnes (checked against `maxweight`).
    pub weight_t: f64,
    /// Triporteur only: the speed it keeps on open roads, km/h.
    pub cruising_speed_kmh: Option<f64>,
}

impl Profile {
    /// The default profile of a kind: typical French units.
    pub fn new(kind: ProfileKind) -> Self {
        let (max_speed_kmh, height_m, width_m, length_m, weight_t, cruising) = match kind {
            ProfileKind::Car => (130.0, 1.8, 2.0, 4.5, 2.0, None),
            ProfileKind::Bus => (90.0, 3.5, 2.55, 12.0, 18.0, None),
            ProfileKind::CampingCar => (110.0, 3.1, 2.35, 7.0, 3.5, None),
            ProfileKind::Triporteur => (25.0, 2.0, 1.0, 2.6, 0.3, Some(18.0)),
            ProfileKind::Foot => (FOOT_KMH, 1.8, 0.6, 0.5, 0.1, None),
        };
        Profile {
            kind,
            max_speed_kmh,
            height_m,
            width_m,
            length_m,
            weight_t,
            cruising_speed_kmh: cruising,
        }
    }

    /// Checks every number; the error names the first field out of range.
    pub fn validate(&self) -> Result<()> {
        match self.faults().into_iter().next() {
            Some(fault) => Err(fault),
            None => Ok(()),
        }
    }

    /// Every number out of its range, each an [`Error::InvalidProfile`] naming its field (none
    /// for a valid profile): for callers that report every fault at once, such as a planning
    /// problem's validation naming each unit's field.
    pub fn faults(&self) -> Vec<Error> {
        let ranges = [
            ("max_speed_kmh", self.max_speed_kmh, 1.0, 200.0),
            ("height_m", self.height_m, 0.5, 6.0),
            ("width_m", self.width_m, 0.3, 4.0),
            ("length_m", self.length_m, 0.5, 30.0),
            ("weight_t", self.weight_t, 0.01, 60.0),
        ];
        let mut faults: Vec<Error> = ranges
            .into_iter()
            .filter_map(|(field, value, min, max)| check_range(field, value, min, max).err())
            .collect();
        let cruising = match (self.kind, self.cruising_speed_kmh) {
            (ProfileKind::Triporteur, Some(cruising)) => {
                check_range("cruising_speed_kmh", cruising, 1.0, self.max_speed_kmh)
            }
            (ProfileKind::Triporteur, None) => Err(Error::InvalidProfile {
                field: "cruising_speed_kmh",
                reason: "a triporteur needs a cruising speed".into(),
            }),
            (_, Some(_)) => Err(Error::InvalidProfile {
                field: "cruising_speed_kmh",
                reason: format!(
                    "only a triporteur has a cruising speed, not a {}",
                    self.kind
                ),
            }),
            (_, None) => Ok(()),
        };
        faults.extend(cruising.err());
        faults
    }

    /// A stable byte representation of every parameter, part of the graph cache key.
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut bytes = self.kind.name().as_bytes().to_vec();
        let numbers = [
            self.max_speed_kmh,
            self.height_m,
            self.width_m,
            self.length_m,
            self.weight_t,
            self.cruising_speed_kmh.unwrap_or(f64::NAN),
        ];
        for n in numbers {
            bytes.extend_from_slice(&n.to_le_bytes());
        }
        bytes
    }
}

fn check_range(field: &'static str, value: f64, min: f64, max: f64) -> Result<()> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidProfile {
            field,
            reason: format!("{value} is outside {min}..={max}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_names_round_trip() {
        for kind in ProfileKind::ALL {
            Profile::new(kind).validate().unwrap();
            assert_eq!(kind.name().parse::<ProfileKind>(), Ok(kind));
        }
        assert!(
            "truck"
                .parse::<ProfileKind>()
                .unwrap_err()
                .contains("truck")
        );
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let mut bus = Profile::new(ProfileKind::Bus);
        bus.height_m = -1.0;
        let err = bus.validate().unwrap_err().to_string();
        assert!(err.contains("height_m"), "{err}");

        let mut car = Profile::new(ProfileKind::Car);
        car.cruising_speed_kmh = Some(20.0);
        let err = car.validate().unwrap_err().to_string();
        assert!(err.contains("cruising_speed_kmh"), "{err}");

        let mut trike = Profile::new(ProfileKind::Triporteur);
        trike.cruising_speed_kmh = Some(40.0);
        assert!(trike.validate().is_err());
    }

    #[test]
    fn faults_lists_every_field_out_of_range() {
        let mut bus = Profile::new(ProfileKind::Bus);
        assert!(bus.faults().is_empty());
        bus.width_m = 1e30;
        bus.max_speed_kmh = -9.2e18;
        bus.cruising_speed_kmh = Some(20.0);
        let fields: Vec<&str> = bus
            .faults()
            .iter()
            .map(|fault| match fault {
                Error::InvalidProfile { field, .. } => *field,
                other => panic!("not a profile fault: {other}"),
            })
            .collect();
        assert_eq!(fields, ["max_speed_kmh", "width_m", "cruising_speed_kmh"]);
        assert!(
            bus.validate()
                .unwrap_err()
                .to_string()
                .contains("max_speed_kmh")
        );
    }

    #[test]
    fn fingerprint_changes_with_any_parameter() {
        let a = Profile::new(ProfileKind::Bus);
        let mut b = a.clone();
        b.height_m = 3.6;
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(
            a.fingerprint(),
            Profile::new(ProfileKind::Bus).fingerprint()
        );
    }
}
