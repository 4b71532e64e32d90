//! The `highway=*` classes a vehicle can drive, ride or push along.

use serde::{Deserialize, Serialize};

/// A routable `highway=*` value. Values that are not roads (construction, proposed, platform,
/// raceway, corridor, bus_stop, …) have no variant and the way is skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum HighwayClass {
    Motorway,
    MotorwayLink,
    Trunk,
    TrunkLink,
    Primary,
    PrimaryLink,
    Secondary,
    SecondaryLink,
    Tertiary,
    TertiaryLink,
    Unclassified,
    Residential,
    LivingStreet,
    Service,
    Track,
    /// `highway=road`: a road of unknown class.
    Road,
    Busway,
    Cycleway,
    Path,
    Footway,
    Pedestrian,
    Bridleway,
    Steps,
}

impl HighwayClass {
    /// The class of a `highway=*` value, or `None` when the value is not a routable road.
    pub fn parse(value: &str) -> Option<Self> {
        use HighwayClass::*;
        Some(match value {
            "motorway" => Motorway,
            "motorway_link" => MotorwayLink,
            "trunk" => Trunk,
            "trunk_link" => TrunkLink,
            "primary" => Primary,
            "primary_link" => PrimaryLink,
            "secondary" => Secondary,
            "secondary_link" => SecondaryLink,
            "tertiary" => Tertiary,
            "tertiary_link" => TertiaryLink,
            "unclassified" => Unclassified,
            "residential" => Residential,
            "living_street" => LivingStreet,
            "service" => Service,
            "track" => Track,
            "road" => Road,
            "busway" | "bus_guideway" => Busway,
            "cycleway" => Cycleway,
            "path" => Path,
            "footway" => Footway,
            "pedestrian" => Pedestrian,
            "bridleway" => Bridleway,
            "steps" => Steps,
            _ => return None,
        })
    }

    /// Motorways and trunk roads (and their links): closed to cycles in France and, for a
    /// cargo tricycle, never acceptable.
    pub fn is_motorway_or_trunk(self) -> bool {
        matches!(
            self,
            HighwayClass::Motorway
                | HighwayClass::MotorwayLink
                | HighwayClass::Trunk
                | HighwayClass::TrunkLink
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roads_and_skips_non_roads() {
        assert_eq!(
            HighwayClass::parse("residential"),
            Some(HighwayClass::Residential)
        );
        assert_eq!(
            HighwayClass::parse("bus_guideway"),
            Some(HighwayClass::Busway)
        );
        for skipped in [
            "construction",
            "proposed",
            "platform",
            "raceway",
            "bus_stop",
            "",
        ] {
            assert_eq!(HighwayClass::parse(skipped), None, "{skipped}");
        }
        assert!(HighwayClass::TrunkLink.is_motorway_or_trunk());
        assert!(!HighwayClass::Primary.is_motorway_or_trunk());
    }
}
