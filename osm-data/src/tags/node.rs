//! The tags of a node that can stop a vehicle: barriers and their access overrides.

use serde::{Deserialize, Serialize};

use super::access::{AccessKey, AccessTags};
use super::dimension::parse_metres;
use super::number::keep_lower;

/// `barrier=*` values, grouped by what they stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Barrier {
    /// bollard, chain, bus_trap, sump_buster, planter, log, rope: stop motor vehicles, let cycles
    /// through.
    MotorBlocker,
    /// stile, turnstile, kissing_gate, cycle_barrier, block, full-height_turnstile,
    /// hampshire_gate: stop every vehicle, a cargo tricycle included, but people on foot pass.
    VehicleBlocker,
    /// jersey_barrier, fence, wall, debris: stop everyone, people on foot included.
    AllBlocker,
    /// gate, lift_gate, swing_gate, sliding_gate, entrance, toll_booth, border_control,
    /// cattle_grid, height_restrictor, …: passable unless the node's access tags say otherwise.
    Passable,
}

impl Barrier {
    /// The group of a `barrier=*` value.
    pub fn parse(value: &str) -> Self {
        match value {
            "bollard" | "chain" | "bus_trap" | "sump_buster" | "planter" | "log" | "rope" => {
                Barrier::MotorBlocker
            }
            "stile"
            | "turnstile"
            | "kissing_gate"
            | "cycle_barrier"
            | "block"
            | "full-height_turnstile"
            | "hampshire_gate" => Barrier::VehicleBlocker,
            "jersey_barrier" | "fence" | "wall" | "debris" => Barrier::AllBlocker,
            _ => Barrier::Passable,
        }
    }
}

/// The restricting tags of one node. Only nodes with at least one of them are kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeTags {
    /// `barrier=*`, if any.
    pub barrier: Option<Barrier>,
    /// Access overrides on the node (`barrier=bollard` + `motor_vehicle=yes`, …).
    pub access: AccessTags,
    /// `maxheight=*` on the node (a height restrictor), metres.
    pub max_height: Option<f64>,
    /// `maxwidth=*` on the node, metres.
    pub max_width: Option<f64>,
}

impl NodeTags {
    /// Parses the tags of a node; `None` when none of them can restrict a vehicle.
    pub fn parse<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Self> {
        let mut node = NodeTags {
            barrier: None,
            access: AccessTags::default(),
            max_height: None,
            max_width: None,
        };
        let mut restricts = false;
        for (key, value) in tags {
            match key {
                "barrier" => {
                    node.barrier = Some(Barrier::parse(value));
                    restricts = true;
                }
                "maxheight" | "maxheight:physical" => {
                    keep_lower(&mut node.max_height, parse_metres(value));
                    restricts |= node.max_height.is_some();
                }
                "maxwidth" | "maxwidth:physical" => {
                    keep_lower(&mut node.max_width, parse_metres(value));
                    restricts |= node.max_width.is_some();
                }
                _ => {
                    if let Some(access_key) = AccessKey::parse(key) {
                        node.access.set(access_key, value);
                    }
                }
            }
        }
        restricts.then_some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_restricting_nodes() {
        assert!(NodeTags::parse([("name", "x"), ("access", "no")].into_iter()).is_none());
        let bollard = NodeTags::parse([("barrier", "bollard")].into_iter()).unwrap();
        assert_eq!(bollard.barrier, Some(Barrier::MotorBlocker));
        let restrictor = NodeTags::parse([("maxheight", "2.5")].into_iter()).unwrap();
        assert_eq!(restrictor.max_height, Some(2.5));
    }
}
