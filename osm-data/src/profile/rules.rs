//! Which ways a profile may use, in which direction, and at what speed.

use serde::{Deserialize, Serialize};

use crate::tags::{AccessValue, HighwayClass, Oneway, WayTags};

use super::speed::quality_factor;
use super::{Profile, ProfileKind};

/// How a unit may travel along a way: the speed in each direction (km/h, road quality
/// included), or `None` where that direction is closed to it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Traversal {
    /// Speed in the direction of the way's nodes.
    pub forward_kmh: Option<f64>,
    /// Speed against the direction of the way's nodes.
    pub backward_kmh: Option<f64>,
}

/// What a road class means for a kind of unit before any access tag is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClassAccess {
    /// Usable unless a tag closes it.
    Open,
    /// Closed unless a tag for this mode opens it (`bicycle=yes` on a footway).
    OnlyIfTagged,
    /// Never usable, whatever the tags say (a tricycle on a motorway, a bus on steps).
    Never,
}

fn class_access(kind: ProfileKind, class: HighwayClass) -> ClassAccess {
    use ClassAccess::*;
    use HighwayClass::*;
    match kind {
        ProfileKind::Foot => match class {
            Motorway | MotorwayLink | Trunk | TrunkLink | Busway => Never,
            Cycleway => OnlyIfTagged,
            _ => Open,
        },
        ProfileKind::Triporteur => match class {
            Motorway | MotorwayLink | Trunk | TrunkLink | Steps => Never,
            Footway | Pedestrian | Bridleway | Busway => OnlyIfTagged,
            _ => Open,
        },
        motor => match class {
            Cycleway | Path | Footway | Pedestrian | Bridleway | Steps => Never,
            Busway if motor == ProfileKind::Bus => Open,
            Busway => Never,
            Track if motor == ProfileKind::Bus => Never,
            _ => Open,
        },
    }
}

impl Profile {
    /// How this unit may travel along a way, or `None` if it may not use it at all.
    pub fn traversal(&self, way: &WayTags) -> Option<Traversal> {
        if way.area || (way.motorroad && !self.kind.is_motor_vehicle()) || !self.fits(way) {
            return None;
        }
        let tagged = way.access.decide(self.kind.access_hierarchy());
        let allowed = match class_access(self.kind, way.highway) {
            ClassAccess::Never => false,
            ClassAccess::Open => tagged.is_none_or(AccessValue::allows),
            ClassAccess::OnlyIfTagged => matches!(
                tagged,
                Some(AccessValue::Yes | AccessValue::Designated | AccessValue::Dismount)
            ),
        };
        if !allowed {
            return None;
        }
        let quality = quality_factor(self.kind, way)?;
        let restricted = matches!(
            tagged,
            Some(AccessValue::Destination | AccessValue::Discouraged)
        );
        let dismount = tagged == Some(AccessValue::Dismount);
        let speed = |limit| self.base_speed_kmh(way, limit, restricted, dismount) * quality;
        let (forward, backward) = self.directions(way);
        let traversal = Traversal {
            forward_kmh: forward.then(|| speed(way.maxspeed_forward)),
            backward_kmh: backward.then(|| speed(way.maxspeed_backward)),
        };
        (forward || backward).then_some(traversal)
    }

    /// Whether the unit's dimensions fit the way's posted limits (a limit equal to the
    /// dimension is legal).
    fn fits(&self, way: &WayTags) -> bool {
        let fits = |limit: Option<f64>, size: f64| limit.is_none_or(|max| size <= max);
        fits(way.max_height, self.height_m)
            && fits(way.max_width, self.width_m)
            && fits(way.max_length, self.length_m)
            && fits(way.max_weight, self.weight_t)
    }

    /// Which directions are open: (along the way, against it).
    fn directions(&self, way: &WayTags) -> (bool, bool) {
        if self.kind == ProfileKind::Foot {
            return (true, true);
        }
        let implied_oneway = way.roundabout || way.highway == HighwayClass::Motorway;
        let mut oneway = match way.oneway {
            Oneway::Unset if implied_oneway => Oneway::Forward,
            other => other,
        };
        let one_direction = matches!(oneway, Oneway::Forward | Oneway::Backward);
        match self.kind {
            ProfileKind::Triporteur if way.oneway_bicycle != Oneway::Unset => {
                oneway = way.oneway_bicycle
            }
            ProfileKind::Triporteur if way.cycle_contraflow && one_direction => oneway = Oneway::No,
            ProfileKind::Bus if way.bus_contraflow && one_direction => oneway = Oneway::No,
            _ => {}
        }
        match oneway {
            Oneway::Unset | Oneway::No => (true, true),
            Oneway::Forward => (true, false),
            Oneway::Backward => (false, true),
            Oneway::Reversible => (false, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::AccessKey;

    fn way(tags: &[(&'static str, &'static str)]) -> WayTags {
        WayTags::parse(tags.iter().copied()).expect("a highway")
    }

    fn traversal(kind: ProfileKind, tags: &[(&'static str, &'static str)]) -> Option<Traversal> {
        Profile::new(kind).traversal(&way(tags))
    }

    #[test]
    fn a_tricycle_never_takes_motorways_trunks_or_steps() {
        for class in ["motorway", "motorway_link", "trunk", "trunk_link", "steps"] {
            let tags = [("highway", class), ("bicycle", "yes")];
            assert!(
                traversal(ProfileKind::Triporteur, &tags).is_none(),
                "{class}"
            );
        }
        assert!(
            traversal(
                ProfileKind::Triporteur,
                &[("highway", "primary"), ("motorroad", "yes")]
            )
            .is_none()
        );
    }

    #[test]
    fn footways_only_where_cycles_are_allowed() {
        let trike = ProfileKind::Triporteur;
        assert!(traversal(trike, &[("highway", "footway")]).is_none());
        assert!(traversal(trike, &[("highway", "footway"), ("bicycle", "yes")]).is_some());
        assert!(
            traversal(
                trike,
                &[("highway", "pedestrian"), ("bicycle", "designated")]
            )
            .is_some()
        );
        assert!(traversal(trike, &[("highway", "cycleway")]).is_some());
        assert!(traversal(trike, &[("highway", "living_street")]).is_some());
        assert!(
            traversal(
                ProfileKind::Car,
                &[("highway", "footway"), ("bicycle", "yes")]
            )
            .is_none()
        );
    }

    #[test]
    fn access_tags_override_from_the_most_specific() {
        let closed = [("highway", "residential"), ("access", "no"), ("bus", "yes")];
        assert!(traversal(ProfileKind::Car, &closed).is_none());
        assert!(traversal(ProfileKind::Bus, &closed).is_some());
        let private = [("highway", "service"), ("motor_vehicle", "private")];
        assert!(traversal(ProfileKind::CampingCar, &private).is_none());
        assert!(traversal(ProfileKind::Triporteur, &private).is_some());
        let psv = [
            ("highway", "residential"),
            ("motor_vehicle", "no"),
            ("psv", "designated"),
        ];
        assert!(traversal(ProfileKind::Bus, &psv).is_some());
        let motorhome = [("highway", "residential"), ("motorhome", "no")];
        assert!(traversal(ProfileKind::CampingCar, &motorhome).is_none());
        assert!(traversal(ProfileKind::Car, &motorhome).is_some());
        let mut tags = WayTags::new(HighwayClass::Residential);
        tags.access.set(AccessKey::Vehicle, "destination");
        let slow = Profile::new(ProfileKind::Car).traversal(&tags).unwrap();
        let open = Profile::new(ProfileKind::Car)
            .traversal(&WayTags::new(HighwayClass::Residential))
            .unwrap();
        assert!(slow.forward_kmh < open.forward_kmh);
    }

    #[test]
    fn dimensions_are_checked_against_limits() {
        let bridge = [("highway", "tertiary"), ("maxheight", "3")];
        assert!(traversal(ProfileKind::Bus, &bridge).is_none());
        assert!(traversal(ProfileKind::CampingCar, &bridge).is_none());
        assert!(traversal(ProfileKind::Car, &bridge).is_some());
        let mut low_bus = Profile::new(ProfileKind::Bus);
        low_bus.height_m = 3.0;
        assert!(
            low_bus.traversal(&way(&bridge)).is_some(),
            "a limit equal to the height is legal"
        );
        assert!(
            traversal(
                ProfileKind::Bus,
                &[("highway", "tertiary"), ("maxweight", "7.5")]
            )
            .is_none()
        );
        assert!(
            traversal(
                ProfileKind::Bus,
                &[("highway", "tertiary"), ("maxlength", "10")]
            )
            .is_none()
        );
        assert!(
            traversal(
                ProfileKind::Triporteur,
                &[("highway", "cycleway"), ("maxwidth", "0.8")]
            )
            .is_none()
        );
    }

    #[test]
    fn directions_follow_oneway_rules() {
        let both =
            |t: Option<Traversal>| t.map(|t| (t.forward_kmh.is_some(), t.backward_kmh.is_some()));
        let car = ProfileKind::Car;
        assert_eq!(
            both(traversal(
                car,
                &[("highway", "residential"), ("oneway", "yes")]
            )),
            Some((true, false))
        );
        assert_eq!(
            both(traversal(
                car,
                &[("highway", "residential"), ("oneway", "-1")]
            )),
            Some((false, true))
        );
        assert_eq!(
            both(traversal(
                car,
                &[("highway", "residential"), ("oneway", "reversible")]
            )),
            None
        );
        assert_eq!(
            both(traversal(
                car,
                &[("highway", "primary"), ("junction", "roundabout")]
            )),
            Some((true, false))
        );
        assert_eq!(
            both(traversal(
                car,
                &[("highway", "primary"), ("junction", "circular")]
            )),
            Some((true, false))
        );
        assert_eq!(
            both(traversal(car, &[("highway", "motorway")])),
            Some((true, false))
        );
        assert_eq!(
            both(traversal(car, &[("highway", "motorway"), ("oneway", "no")])),
            Some((true, true))
        );
        let trike = ProfileKind::Triporteur;
        let contraflow = [
            ("highway", "residential"),
            ("oneway", "yes"),
            ("oneway:bicycle", "no"),
        ];
        assert_eq!(both(traversal(trike, &contraflow)), Some((true, true)));
        assert_eq!(both(traversal(car, &contraflow)), Some((true, false)));
        let opposite = [
            ("highway", "residential"),
            ("oneway", "yes"),
            ("cycleway", "opposite_lane"),
        ];
        assert_eq!(both(traversal(trike, &opposite)), Some((true, true)));
        let bus_lane = [
            ("highway", "residential"),
            ("oneway", "yes"),
            ("oneway:bus", "no"),
        ];
        assert_eq!(
            both(traversal(ProfileKind::Bus, &bus_lane)),
            Some((true, true))
        );
        assert_eq!(both(traversal(car, &bus_lane)), Some((true, false)));
    }

    #[test]
    fn directional_limits_give_directional_speeds() {
        let tags = [
            ("highway", "primary"),
            ("maxspeed:forward", "50"),
            ("maxspeed:backward", "90"),
        ];
        let t = traversal(ProfileKind::Car, &tags).unwrap();
        assert_eq!((t.forward_kmh, t.backward_kmh), (Some(40.0), Some(72.0)));
    }

    #[test]
    fn people_walk_footways_and_streets_both_ways_never_motorways() {
        let foot = ProfileKind::Foot;
        for class in [
            "footway",
            "path",
            "pedestrian",
            "residential",
            "steps",
            "track",
        ] {
            let t = traversal(foot, &[("highway", class)]).expect(class);
            assert!(
                t.forward_kmh.is_some() && t.backward_kmh.is_some(),
                "{class}"
            );
        }
        for class in ["motorway", "motorway_link", "trunk", "trunk_link"] {
            assert!(traversal(foot, &[("highway", class)]).is_none(), "{class}");
        }
        let oneway = [("highway", "residential"), ("oneway", "yes")];
        assert_eq!(
            traversal(foot, &oneway).map(|t| t.backward_kmh.is_some()),
            Some(true)
        );
        assert!(traversal(foot, &[("highway", "cycleway")]).is_none());
        assert!(traversal(foot, &[("highway", "cycleway"), ("foot", "designated")]).is_some());
        assert!(traversal(foot, &[("highway", "footway"), ("access", "no")]).is_none());
        assert!(
            traversal(
                foot,
                &[("highway", "footway"), ("access", "no"), ("foot", "yes")]
            )
            .is_some()
        );
        assert!(traversal(foot, &[("highway", "residential"), ("motor_vehicle", "no")]).is_some());
        assert!(traversal(foot, &[("highway", "primary"), ("motorroad", "yes")]).is_none());
    }

    #[test]
    fn areas_are_not_roads() {
        assert!(
            traversal(
                ProfileKind::Car,
                &[("highway", "pedestrian"), ("area", "yes")]
            )
            .is_none()
        );
        assert!(traversal(ProfileKind::Car, &[("highway", "service"), ("area", "yes")]).is_none());
    }
}
