//! Why something could not be planned, in terms a dispatcher can act on.

use serde::{Deserialize, Serialize};

/// The reason a stop visit or a home visit is not in the plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code", content = "detail")]
pub enum Reason {
    /// No unit is of a kind the item allows.
    NoAllowedUnit,
    /// No unit of an allowed kind carries the required equipment.
    MissingEquipment,
    /// The stop opens only on days no unit works (a market on a day off).
    ClosedOnWorkingDays,
    /// No slot of the home visit falls on a service day of the cycle before its deadline.
    NoSlotInCycle,
    /// Every slot is shorter than the visit.
    SlotTooShort,
    /// No unit can drive there, stay, and drive back within its working hours.
    OutOfReach,
    /// The visit's day is closed (a public holiday, a listed closure): its name.
    ClosedDate(String),
    /// The visits could not all fit in the units' days with the required spacing.
    NoCapacity,
    /// Kept out by the search as not worth its cost (a low priority far away).
    NotWorthIt,
}

impl Reason {
    /// A sentence for the dispatcher.
    pub fn message(&self) -> String {
        match self {
            Reason::NoAllowedUnit => "no unit is of a kind allowed to serve it".into(),
            Reason::MissingEquipment => "no allowed unit carries the required equipment".into(),
            Reason::ClosedOnWorkingDays => "it is open only on days no unit works".into(),
            Reason::NoSlotInCycle => {
                "no slot falls on a service day of the cycle before the deadline".into()
            }
            Reason::SlotTooShort => "every slot is shorter than the visit".into(),
            Reason::OutOfReach => {
                "no unit can get there, stay and return within its working hours".into()
            }
            Reason::ClosedDate(name) => format!("the day is closed ({name})"),
            Reason::NoCapacity => "the units' days are full at the required spacing".into(),
            Reason::NotWorthIt => "left out as not worth its cost under the objective".into(),
        }
    }
}
