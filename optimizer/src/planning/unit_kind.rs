//! The kinds of unit: vocabulary shared by the problem (each unit's kind) and the plan (why a
//! place is off a kind's roads), so that it sits below both.

use serde::{Deserialize, Serialize};

/// The kinds of unit, each routed on its own road network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A France Services bus or coach.
    Bus,
    /// A camping-car service point.
    CampingCar,
    /// An electric cargo tricycle.
    Triporteur,
    /// A car (home visits).
    Car,
}

impl UnitKind {
    /// The JSON name, also the routing profile's name.
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Bus => "bus",
            UnitKind::CampingCar => "camping_car",
            UnitKind::Triporteur => "triporteur",
            UnitKind::Car => "car",
        }
    }
}
