//! Access tags (`access`, `vehicle`, `motor_vehicle`, `motorcar`, `motorhome`, `psv`, `bus`,
//! `bicycle`, `foot`) and their values.

use serde::{Deserialize, Serialize};

/// One value of an access tag, as documented on the OSM wiki (`Key:access`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccessValue {
    /// `yes`, `permissive`, `official`: open to the public.
    Yes,
    /// `designated`: explicitly intended for this mode.
    Designated,
    /// `destination`, `customers`: only to reach a place along it; units do go there.
    Destination,
    /// `discouraged`: legal, but advised against.
    Discouraged,
    /// `dismount` (cycles): the rider must push.
    Dismount,
    /// `no`, `private`, `agricultural`, `forestry`, `delivery`, `permit`, `use_sidepath`, …:
    /// closed to a public-service unit.
    No,
}

impl AccessValue {
    /// The access value of a tag value; `None` for values this crate does not know, which are
    /// then ignored (the next, more general key decides).
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "yes" | "permissive" | "official" => AccessValue::Yes,
            "designated" => AccessValue::Designated,
            "destination" | "customers" => AccessValue::Destination,
            "discouraged" => AccessValue::Discouraged,
            "dismount" => AccessValue::Dismount,
            "no" | "private" | "agricultural" | "forestry" | "delivery" | "permit"
            | "use_sidepath" | "military" | "emergency" => AccessValue::No,
            _ => return None,
        })
    }

    /// Whether the value lets the vehicle through at all.
    pub fn allows(self) -> bool {
        self != AccessValue::No
    }
}

/// The access keys this crate reads, from the most general to the most specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
#[repr(u8)]
pub enum AccessKey {
    Access,
    Vehicle,
    MotorVehicle,
    Motorcar,
    Motorhome,
    Psv,
    Bus,
    Bicycle,
    Foot,
}

impl AccessKey {
    /// The key of a tag, if it is one of the access keys read here.
    pub fn parse(key: &str) -> Option<Self> {
        Some(match key {
            "access" => AccessKey::Access,
            "vehicle" => AccessKey::Vehicle,
            "motor_vehicle" => AccessKey::MotorVehicle,
            "motorcar" => AccessKey::Motorcar,
            "motorhome" => AccessKey::Motorhome,
            "psv" => AccessKey::Psv,
            "bus" => AccessKey::Bus,
            "bicycle" => AccessKey::Bicycle,
            "foot" => AccessKey::Foot,
            _ => return None,
        })
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// The access values found on one way or node, by key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccessTags([Option<AccessValue>; 9]);

impl AccessTags {
    /// Records `key=value` if the value is a known access value.
    pub fn set(&mut self, key: AccessKey, value: &str) {
        if let Some(v) = AccessValue::parse(value) {
            self.0[key.slot()] = Some(v);
        }
    }

    /// The value of one key.
    pub fn get(&self, key: AccessKey) -> Option<AccessValue> {
        self.0[key.slot()]
    }

    /// The value of the most specific key present in `hierarchy` (given most specific first),
    /// the way OSM access tags override each other.
    pub fn decide(&self, hierarchy: &[AccessKey]) -> Option<AccessValue> {
        hierarchy.iter().find_map(|k| self.get(*k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_key_wins() {
        let mut tags = AccessTags::default();
        tags.set(AccessKey::Access, "no");
        tags.set(AccessKey::Bicycle, "yes");
        let cycle = [AccessKey::Bicycle, AccessKey::Vehicle, AccessKey::Access];
        let car = [
            AccessKey::Motorcar,
            AccessKey::MotorVehicle,
            AccessKey::Vehicle,
            AccessKey::Access,
        ];
        assert_eq!(tags.decide(&cycle), Some(AccessValue::Yes));
        assert_eq!(tags.decide(&car), Some(AccessValue::No));
    }

    #[test]
    fn values_map_to_their_meaning() {
        assert_eq!(AccessValue::parse("private"), Some(AccessValue::No));
        assert_eq!(
            AccessValue::parse("customers"),
            Some(AccessValue::Destination)
        );
        assert_eq!(
            AccessValue::parse("designated"),
            Some(AccessValue::Designated)
        );
        assert_eq!(AccessValue::parse("unknown_value"), None);
        let mut tags = AccessTags::default();
        tags.set(AccessKey::Access, "unknown_value");
        assert_eq!(tags.get(AccessKey::Access), None);
    }
}
