//! The weekly planner: the dispatcher's problem (recurring stops with frequencies, home
//! visits, pins, fairness over a cycle of 1 to 6 weeks), its calendar, and its solution on top
//! of the routing core.

pub mod assign;
pub mod balance;
pub mod calendar;

pub mod assemble;
pub mod check;
pub mod holidays;
pub mod instance;
pub mod plan;
pub mod problem;
pub mod pvrp;
pub mod routing;
pub mod schedule;
pub mod solve;
#[cfg(test)]
mod tests;
pub mod time;
pub mod unserved;
pub mod validate;
