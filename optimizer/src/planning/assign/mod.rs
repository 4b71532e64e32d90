//! Which days each stop and home visit is served on.
//!
//! A greedy assignment is built first (it always exists, and warm-starts the model); then a
//! mixed-integer model, solved through `good_lp` with the pure-Rust `microlp` backend within a
//! time limit, chooses the visit days of every item at once: the required number of visits
//! (each missed visit costs its priority), spacing as sliding windows over the repeating cycle,
//! the same weekdays every week for stops that must keep their slot (and, for stops served in
//! some weeks only, one weekday and the same weeks of every span), announced pins, and the
//! hours each day's units can hold, while levelling the busiest day.
//!
//! The greedy is in [`greedy`], the model in [`model`].

mod greedy;
mod model;

use std::time::Duration;

use super::instance::{Instance, Item};
use super::plan::SolvedBy;

/// The chosen days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayAssignment {
    /// For each item of the instance, the indices of its chosen candidates.
    pub chosen: Vec<Vec<usize>>,
    /// How they were chosen.
    pub solved_by: SolvedBy,
}

/// Chooses the visit days of every item.
pub fn assign_days(instance: &Instance, time_limit: Duration) -> DayAssignment {
    let greedy = greedy::greedy(instance);
    match model::model(instance, &greedy, time_limit) {
        Some(better) => better,
        None => DayAssignment {
            chosen: greedy,
            solved_by: SolvedBy::Greedy,
        },
    }
}

/// The candidates an item must take because of its pins.
fn pinned(instance: &Instance, item: &Item) -> Vec<usize> {
    (0..item.candidates.len())
        .filter(|&c| {
            let day = instance.day(item.candidates[c].day);
            item.pins.iter().any(|p| {
                p.weekday == day.weekday
                    && (p.weeks.is_empty() || p.weeks.contains(&(day.week + 1)))
            })
        })
        .collect()
}
