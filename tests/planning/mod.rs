//! Tests of the weekly planner on real data: periodic benchmark instances and scenarios built
//! from the shared extracts.

mod pvrp;
mod territory;
