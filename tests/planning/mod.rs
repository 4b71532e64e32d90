//! Tests of the weekly planner on real data: periodic benchmark instances and scenarios built
//! from the shared extracts.

mod examples;
mod pvrp;
mod replan;
mod slots;
mod territory;
