//! Road quality: `surface=*`, `tracktype=*`, `smoothness=*`.

use serde::{Deserialize, Serialize};

/// `surface=*`, grouped by how it slows a vehicle down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Surface {
    /// asphalt, concrete, paved, chipseal.
    Paved,
    /// paving_stones, concrete:plates, metal, wood.
    Pavers,
    /// sett, cobblestone, unhewn_cobblestone.
    Cobbles,
    /// compacted, fine_gravel.
    Compacted,
    /// gravel, pebblestone, rock.
    Gravel,
    /// unpaved, dirt, earth, ground.
    Dirt,
    /// grass, grass_paver.
    Grass,
    /// sand, mud.
    Loose,
}

impl Surface {
    /// The group of a `surface=*` value; `None` for unknown values (treated as paved).
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "asphalt" | "concrete" | "paved" | "chipseal" | "concrete:lanes" => Surface::Paved,
            "paving_stones" | "concrete:plates" | "metal" | "wood" | "bricks" => Surface::Pavers,
            "sett" | "cobblestone" | "unhewn_cobblestone" | "cobblestone:flattened" => {
                Surface::Cobbles
            }
            "compacted" | "fine_gravel" => Surface::Compacted,
            "gravel" | "pebblestone" | "rock" => Surface::Gravel,
            "unpaved" | "dirt" | "earth" | "ground" => Surface::Dirt,
            "grass" | "grass_paver" => Surface::Grass,
            "sand" | "mud" => Surface::Loose,
            _ => return None,
        })
    }
}

/// `tracktype=grade1..grade5`: from solid (1) to soft (5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TrackType(pub u8);

impl TrackType {
    /// The grade of a `tracktype=*` value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "grade1" => Some(TrackType(1)),
            "grade2" => Some(TrackType(2)),
            "grade3" => Some(TrackType(3)),
            "grade4" => Some(TrackType(4)),
            "grade5" => Some(TrackType(5)),
            _ => None,
        }
    }
}

/// `smoothness=*`, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Smoothness {
    Good,
    Intermediate,
    Bad,
    VeryBad,
    /// horrible, very_horrible, impassable: no unit goes there.
    Impassable,
}

impl Smoothness {
    /// The grade of a `smoothness=*` value.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "excellent" | "good" => Smoothness::Good,
            "intermediate" => Smoothness::Intermediate,
            "bad" => Smoothness::Bad,
            "very_bad" => Smoothness::VeryBad,
            "horrible" | "very_horrible" | "impassable" => Smoothness::Impassable,
            _ => return None,
        })
    }
}
