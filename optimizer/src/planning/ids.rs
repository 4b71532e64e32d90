//! Typed indices of the planner, from the core's index macro: a unit, a service day and an item
//! cannot be passed for one another. Places in the matrices are the core's
//! [`LocationIdx`](crate::model::LocationIdx): each unit's depot, then each stop, then each
//! home visit.

use crate::model::ids::index;

index!(
    /// A unit of the problem, by position in `PlanningProblem::units`; its depot is the place
    /// of the same number in the matrices.
    UnitIdx
);
index!(
    /// A service day of the cycle, by position in `Instance::service_days` (a template's
    /// pseudo-day in the weekly slots).
    DayIdx
);
index!(
    /// A stop or home visit prepared for solving, by position in `Instance::items`.
    ItemIdx
);

impl UnitIdx {
    /// The unit at `position` in the problem's list.
    pub fn at(position: usize) -> Self {
        UnitIdx(position as u32)
    }

    /// The unit's depot in the matrices.
    pub fn depot(self) -> crate::model::LocationIdx {
        crate::model::LocationIdx(self.0)
    }
}

impl DayIdx {
    /// The service day at `position`.
    pub fn at(position: usize) -> Self {
        DayIdx(position as u32)
    }
}

impl ItemIdx {
    /// The item at `position`.
    pub fn at(position: usize) -> Self {
        ItemIdx(position as u32)
    }
}
