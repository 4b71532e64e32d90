//! The weekly planner: the dispatcher's problem (recurring stops with frequencies, home
//! visits, pins, fairness over a cycle of 1 to 6 weeks), its calendar, and its solution on top
//! of the routing core. The format is documented in `docs/planning-format.md`.
//!
//! # How a cycle is solved, and why this way
//!
//! 1. **Prepare** ([`instance`]): the calendar of the cycle (working days, French public
//!    holidays, closed dates, periods), every unit-day with its hours and lunch, and every stop
//!    and home visit as an *item* with its candidate days (open that day, reachable and back
//!    within some compatible unit's hours) and start windows. What no day can hold is set aside
//!    with its reason: the first, in the precedence written in [`unserved`], that holds for the
//!    item as a whole.
//! 2. **Choose the days of recurring stops** ([`assign`]): a mixed-integer model through
//!    `good_lp` (pure-Rust `microlp` backend, warm-started by a greedy assignment, within a share
//!    of the time limit). One binary per item and candidate day; the visit count as an equality
//!    with a penalised slack; minimum and maximum spacing as sliding windows over the
//!    *repeating* cycle; the same weekdays every week for stops that must keep their slot, and
//!    one weekday and the same weeks of every span for those served in some weeks only (one
//!    binary shared by the candidates such a choice serves); pins; and what each day's units can
//!    hold (for every group of units an item is restricted to), while levelling the busiest day.
//! 3. **Weekly slots** ([`slots`]): for the stops that keep a slot, one template day per
//!    weekday holds the stops of every week at once, each unit working the hours it has on all
//!    of them, around the pins and plan-in-force slots of other visits and with room for its
//!    share of the single visits only that weekday can take; its lunch keeps the longest drive
//!    in reserve, so that any week's part of the route is a route. Every week then shows the
//!    same unit and time; what the template cannot hold is decided one stop at a time and
//!    checked on each of its days. A visit that cannot have its usual slot (a period's
//!    other hours, a pin, its unit off) is recorded with that cause.
//! 4. **Route the whole cycle at once** ([`schedule`], [`routing`]): every unit-day is a vehicle
//!    of the core on a time axis shifted by its day. Visits of multi-visit stops go on their
//!    chosen day with their held slot, placed first and given a priority above any free visit;
//!    single visits (home visits, stops served once a cycle) keep *all* their candidate days as
//!    separate time windows, so the core's ruin-and-recreate moves them between days and units
//!    itself. Held slots and preferred days that turn out impossible are freed and routed again
//!    rather than dropped (a freed slot is reported moved, without a cause).
//! 5. **Share the work** ([`balance`], only when fairness is asked for): routing rounds that
//!    price each unit's time by its share of the work, and exchanges of whole days between
//!    interchangeable units.
//! 6. **Assemble** ([`assemble`]) the timetables in local time, unserved visits with reasons,
//!    figures, changes against the plan in force; [`check`] verifies any plan independently.
//!
//! Why: the assignment of visit days is where periodic problems are hard (spacing, weekly
//! consistency, capacity per day) and it is small and linear, so a MIP states it exactly; the
//! routing with time windows, breaks and limits is what the core does best, and one problem for
//! the whole cycle lets it trade days for single visits and keeps routes coherent across days.
//!
//! What it gives up: the day assignment sees travel only as an estimate per visit (half the
//! round trip from the nearest depot), so it cannot group neighbouring multi-visit stops on the
//! same day; the routing then cannot move those stops to another day (their spacing and weekly
//! slots bind several visits at once). Weekly slots are fixed from templates before the rest of
//! the cycle is routed, which may cost distance; a template gives each stop its own time even
//! where two stops served in different weeks could share one, and its lunch reserve may start
//! afternoons later than needed. Fairness is approached by pricing and day exchanges, not proven
//! optimal. A solver that chose patterns and routes jointly (a hybrid genetic search over visit
//! patterns, as Vidal et al. do for the PVRP) would close these gaps at the price of a much
//! larger search.

pub mod assign;
pub mod balance;
pub mod baseline;
pub mod calendar;

pub mod assemble;
pub mod check;
pub mod holidays;
pub mod ids;
pub mod instance;
pub mod left_out;
pub mod matrices;
pub mod plan;
pub mod problem;
pub mod routing;
pub mod schedule;
pub mod slots;
pub mod solve;
pub mod spread;
#[cfg(test)]
mod tests;
pub mod time;
pub mod unit_kind;
pub mod unserved;
pub mod validate;
