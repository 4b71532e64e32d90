//! The tags of a highway way that routing needs, parsed once.

use serde::{Deserialize, Serialize};

use super::access::{AccessKey, AccessTags};
use super::dimension::{parse_metres, parse_tonnes};
use super::highway::HighwayClass;
use super::maxspeed::parse_kmh;
use super::number::keep_lower;
use super::surface::{Smoothness, Surface, TrackType};

/// The `oneway=*` tag as written (implied one-ways are decided by the profile).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Oneway {
    /// No `oneway` tag.
    #[default]
    Unset,
    /// `oneway=no|false|0`: explicitly two-way.
    No,
    /// `oneway=yes|true|1`: only in the direction of the way.
    Forward,
    /// `oneway=-1|reverse`: only against the direction of the way.
    Backward,
    /// `oneway=reversible|alternating`: the direction changes with time of day; not routable.
    Reversible,
}

impl Oneway {
    /// The direction a `oneway`-style value sets; `None` for unknown values.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "yes" | "true" | "1" => Oneway::Forward,
            "-1" | "reverse" => Oneway::Backward,
            "no" | "false" | "0" => Oneway::No,
            "reversible" | "alternating" => Oneway::Reversible,
            _ => return None,
        })
    }
}

/// Everything the profiles read from a highway way's tags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WayTags {
    /// `highway=*`.
    pub highway: HighwayClass,
    /// `oneway=*`.
    pub oneway: Oneway,
    /// `junction=roundabout|circular` (implies one-way).
    pub roundabout: bool,
    /// `oneway:bicycle=*`.
    pub oneway_bicycle: Oneway,
    /// `cycleway*=opposite*`: cycles may ride against a one-way street.
    pub cycle_contraflow: bool,
    /// `oneway:bus=no` or `oneway:psv=no`: buses may drive against a one-way street.
    pub bus_contraflow: bool,
    /// `access`, `vehicle`, `motor_vehicle`, … values.
    pub access: AccessTags,
    /// `motorroad=yes`: closed to slow vehicles.
    pub motorroad: bool,
    /// `area=yes`: a square mapped as a polygon, not a road to drive along.
    pub area: bool,
    /// `service=parking_aisle|driveway|drive-through|alley`: slow service roads.
    pub minor_service: bool,
    /// `maxspeed=*`, km/h.
    pub maxspeed: Option<f64>,
    /// `maxspeed:forward=*`, km/h.
    pub maxspeed_forward: Option<f64>,
    /// `maxspeed:backward=*`, km/h.
    pub maxspeed_backward: Option<f64>,
    /// Lowest of `maxheight` and `maxheight:physical`, metres.
    pub max_height: Option<f64>,
    /// Lowest of `maxwidth` and `maxwidth:physical`, metres.
    pub max_width: Option<f64>,
    /// `maxlength=*`, metres.
    pub max_length: Option<f64>,
    /// `maxweight=*`, tonnes.
    pub max_weight: Option<f64>,
    /// `surface=*`.
    pub surface: Option<Surface>,
    /// `tracktype=*`.
    pub tracktype: Option<TrackType>,
    /// `smoothness=*`.
    pub smoothness: Option<Smoothness>,
}

impl WayTags {
    /// Parses the tags of a way; `None` when it is not a routable highway.
    pub fn parse<'a>(tags: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Option<Self> {
        let highway = tags
            .clone()
            .find(|(k, _)| *k == "highway")
            .and_then(|(_, v)| HighwayClass::parse(v))?;
        let mut way = WayTags::new(highway);
        for (key, value) in tags {
            way.read(key, value);
        }
        Some(way)
    }

    /// A way of the given class with no other tag.
    pub fn new(highway: HighwayClass) -> Self {
        WayTags {
            highway,
            oneway: Oneway::Unset,
            roundabout: false,
            oneway_bicycle: Oneway::Unset,
            cycle_contraflow: false,
            bus_contraflow: false,
            access: AccessTags::default(),
            motorroad: false,
            area: false,
            minor_service: false,
            maxspeed: None,
            maxspeed_forward: None,
            maxspeed_backward: None,
            max_height: None,
            max_width: None,
            max_length: None,
            max_weight: None,
            surface: None,
            tracktype: None,
            smoothness: None,
        }
    }

    /// Records one tag; unknown keys and values are ignored.
    pub fn read(&mut self, key: &str, value: &str) {
        match key {
            "oneway" => self.oneway = Oneway::parse(value).unwrap_or(self.oneway),
            "junction" => self.roundabout |= matches!(value, "roundabout" | "circular"),
            "oneway:bicycle" => {
                self.oneway_bicycle = Oneway::parse(value).unwrap_or(self.oneway_bicycle)
            }
            "oneway:bus" | "oneway:psv" => self.bus_contraflow |= value == "no",
            "motorroad" => self.motorroad = value == "yes",
            "area" => self.area = value == "yes",
            "service" => {
                self.minor_service = matches!(
                    value,
                    "parking_aisle" | "driveway" | "drive-through" | "alley"
                )
            }
            "maxspeed" => self.maxspeed = parse_kmh(value),
            "maxspeed:forward" => self.maxspeed_forward = parse_kmh(value),
            "maxspeed:backward" => self.maxspeed_backward = parse_kmh(value),
            "maxheight" | "maxheight:physical" => {
                keep_lower(&mut self.max_height, parse_metres(value))
            }
            "maxwidth" | "maxwidth:physical" => {
                keep_lower(&mut self.max_width, parse_metres(value))
            }
            "maxlength" => keep_lower(&mut self.max_length, parse_metres(value)),
            "maxweight" => keep_lower(&mut self.max_weight, parse_tonnes(value)),
            "surface" => self.surface = Surface::parse(value),
            "tracktype" => self.tracktype = TrackType::parse(value),
            "smoothness" => self.smoothness = Smoothness::parse(value),
            _ if key.starts_with("cycleway") && value.starts_with("opposite") => {
                self.cycle_contraflow = true
            }
            _ => {
                if let Some(access_key) = AccessKey::parse(key) {
                    self.access.set(access_key, value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::AccessValue;

    fn parse(tags: &[(&'static str, &'static str)]) -> Option<WayTags> {
        WayTags::parse(tags.iter().copied())
    }

    #[test]
    fn non_highways_are_not_parsed() {
        assert!(parse(&[("building", "yes")]).is_none());
        assert!(parse(&[("highway", "construction")]).is_none());
    }

    #[test]
    fn reads_every_routing_tag() {
        let way = parse(&[
            ("highway", "residential"),
            ("oneway", "-1"),
            ("oneway:bicycle", "no"),
            ("cycleway:left", "opposite_lane"),
            ("maxspeed", "FR:zone30"),
            ("maxheight", "3"),
            ("maxheight:physical", "2.8"),
            ("maxweight", "7500 kg"),
            ("motor_vehicle", "destination"),
            ("surface", "sett"),
        ])
        .unwrap();
        assert_eq!(way.oneway, Oneway::Backward);
        assert_eq!(way.oneway_bicycle, Oneway::No);
        assert!(way.cycle_contraflow);
        assert_eq!(way.maxspeed, Some(30.0));
        assert_eq!(way.max_height, Some(2.8));
        assert_eq!(way.max_weight, Some(7.5));
        assert_eq!(
            way.access.get(AccessKey::MotorVehicle),
            Some(AccessValue::Destination)
        );
        assert_eq!(way.surface, Some(Surface::Cobbles));
    }
}
