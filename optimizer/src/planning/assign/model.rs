//! The mixed-integer model of the day assignment, solved through `good_lp` with the pure-Rust
//! `microlp` backend within a time limit: one binary per item and candidate (shared by the
//! candidates of a slot-keeping stop's weekday), the visit count with a penalised slack,
//! spacing as sliding windows over the repeating cycle, weekly slots, pins and per-day
//! capacity, while levelling the busiest day.

use std::collections::BTreeMap;
use std::time::Duration;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, constraint, microlp, variable,
};

use super::super::ids::{DayIdx, UnitIdx};
use super::super::instance::{Instance, Item, WeekPattern};
use super::super::plan::SolvedBy;
use super::super::time::Weekday;
use super::{DayAssignment, pinned};

/// Cost of one missed visit per point of priority: any miss outweighs any levelling.
const MISS_COST: f64 = 10_000.0;

/// Cost of the busiest day's load, as a share of its capacity.
const BUSIEST_DAY_COST: f64 = 1_000.0;

/// Gain of a visit on its preferred weekday.
const PREFERENCE_GAIN: f64 = 50.0;

/// Gain of a visit on a day it had in the plan in force: above any levelling of the load, so
/// a re-plan keeps the announced days unless a visit would otherwise be missed.
const PREVIOUS_GAIN: f64 = 2_000.0;

/// Capacity, in minutes, of a day's units among `units`.
fn capacity(instance: &Instance, day: DayIdx, units: &[UnitIdx]) -> u32 {
    instance
        .unit_days
        .iter()
        .filter(|ud| ud.day == day && units.contains(&ud.unit))
        .map(|ud| ud.capacity_min())
        .sum()
}

/// The variables of one item.
struct ItemVariables {
    visit: Vec<Variable>,
    missed: Variable,
    /// Whether a slot-keeping item is served on a weekday.
    weekday: BTreeMap<Weekday, Variable>,
    /// Whether an item served some weeks only is served on a weekday in the weeks of a span
    /// with this rank (week of the cycle modulo the span).
    weeks: BTreeMap<(Weekday, u8), Variable>,
}

/// The variables of an item. A stop keeping a slot is served on every candidate of a chosen
/// weekday (and, served some weeks only, of a chosen rank): those candidates share one variable,
/// which keeps the model small.
fn item_variables(instance: &Instance, item: &Item, vars: &mut ProblemVariables) -> ItemVariables {
    let mut weekday: BTreeMap<Weekday, Variable> = BTreeMap::new();
    let mut weeks: BTreeMap<(Weekday, u8), Variable> = BTreeMap::new();
    let mut visit = Vec::with_capacity(item.candidates.len());
    for (c, candidate) in item.candidates.iter().enumerate() {
        let w = instance.day(candidate.day).weekday;
        let var = match (item.weekly, item.pattern) {
            (Some(_), _) => *weekday
                .entry(w)
                .or_insert_with(|| vars.add(variable().binary())),
            (None, Some(pattern)) => {
                weekday
                    .entry(w)
                    .or_insert_with(|| vars.add(variable().binary()));
                *weeks
                    .entry(week_key(instance, pattern, c, item))
                    .or_insert_with(|| vars.add(variable().binary()))
            }
            (None, None) => vars.add(variable().binary()),
        };
        visit.push(var);
    }
    ItemVariables {
        visit,
        missed: vars.add(variable().integer().min(0).max(item.required as f64)),
        weekday,
        weeks,
    }
}

/// A candidate's weekday and rank in its item's span of weeks.
fn week_key(
    instance: &Instance,
    pattern: WeekPattern,
    candidate: usize,
    item: &Item,
) -> (Weekday, u8) {
    let day = instance.day(item.candidates[candidate].day);
    (day.weekday, day.week % pattern.per_weeks)
}

/// The mixed-integer model; `None` when it finds nothing within the time limit.
pub(super) fn model(
    instance: &Instance,
    start: &[Vec<usize>],
    time_limit: Duration,
) -> Option<DayAssignment> {
    if instance.items.is_empty() {
        return None;
    }
    let mut vars = ProblemVariables::new();
    let items: Vec<ItemVariables> = instance
        .items
        .iter()
        .map(|item| item_variables(instance, item, &mut vars))
        .collect();
    let busiest = vars.add(variable().min(0).max(1));

    let mut objective: Expression = BUSIEST_DAY_COST * busiest;
    for (item, v) in instance.items.iter().zip(&items) {
        objective += MISS_COST * f64::from(item.priority) * v.missed;
        for (c, candidate) in item.candidates.iter().enumerate() {
            let day = instance.day(candidate.day);
            if item.preferred.and_then(|p| p.weekday) == Some(day.weekday) {
                objective -= PREFERENCE_GAIN * v.visit[c];
            }
            if item
                .previous
                .iter()
                .any(|p| p.weekday == day.weekday && p.weeks.contains(&(day.week + 1)))
            {
                objective -= PREVIOUS_GAIN * v.visit[c];
            }
        }
    }
    let mut problem = vars.minimise(objective).using(microlp);
    for (item, v) in instance.items.iter().zip(&items) {
        for constraint in item_constraints(instance, item, v) {
            problem.add_constraint(constraint);
        }
    }
    for constraint in capacity_constraints(instance, &items, busiest) {
        problem.add_constraint(constraint);
    }

    let mut initial = Vec::new();
    for ((item, v), picks) in instance.items.iter().zip(&items).zip(start) {
        if item.weekly.is_none() && item.pattern.is_none() {
            for (c, var) in v.visit.iter().enumerate() {
                initial.push((*var, f64::from(u8::from(picks.contains(&c)))));
            }
        }
        initial.push((
            v.missed,
            f64::from(item.required.saturating_sub(picks.len() as u32)),
        ));
        for (w, var) in &v.weekday {
            let on = picks
                .iter()
                .any(|&c| instance.day(item.candidates[c].day).weekday == *w);
            initial.push((*var, f64::from(u8::from(on))));
        }
        if let Some(pattern) = item.pattern {
            for (key, var) in &v.weeks {
                let on = picks
                    .iter()
                    .any(|&c| week_key(instance, pattern, c, item) == *key);
                initial.push((*var, f64::from(u8::from(on))));
            }
        }
    }
    let solution = problem
        .with_time_limit(time_limit.as_secs_f64())
        .with_initial_solution(initial)
        .solve()
        .ok()?;
    let chosen = items
        .iter()
        .map(|v| {
            (0..v.visit.len())
                .filter(|&c| solution.value(v.visit[c]) > 0.5)
                .collect()
        })
        .collect();
    let solved_by = match solution.status() {
        good_lp::solvers::SolutionStatus::Optimal => SolvedBy::ModelOptimal,
        _ => SolvedBy::ModelTimeLimit,
    };
    Some(DayAssignment { chosen, solved_by })
}

/// Count, spacing, weekly slots and pins of one item.
fn item_constraints(
    instance: &Instance,
    item: &Item,
    v: &ItemVariables,
) -> Vec<good_lp::Constraint> {
    let mut out = Vec::new();
    let visits: Expression = v.visit.iter().sum();
    out.push(constraint!(visits + v.missed == item.required as f64));
    let cycle = instance.cycle_days();
    let offset = |c: usize| instance.day(item.candidates[c].day).offset;
    let windows = |length: u16| -> Vec<Vec<usize>> {
        let mut sets: Vec<Vec<usize>> = (0..cycle)
            .map(|t| {
                (0..item.candidates.len())
                    .filter(|&c| (offset(c) + cycle - t) % cycle < length)
                    .collect()
            })
            .collect();
        sets.sort();
        sets.dedup();
        sets
    };
    if item.min_gap_days > 1 {
        for set in windows(u16::from(item.min_gap_days))
            .into_iter()
            .filter(|s| s.len() > 1)
        {
            let sum: Expression = set.iter().map(|&c| v.visit[c]).sum();
            out.push(constraint!(sum <= 1));
        }
    }
    if let Some(max) = item.max_gap_days.filter(|m| u16::from(*m) < cycle) {
        for set in windows(u16::from(max)) {
            let sum: Expression = set.iter().map(|&c| v.visit[c]).sum();
            out.push(constraint!(sum + v.missed >= 1));
        }
    }
    if let Some(per_week) = item.weekly {
        let chosen: Expression = v.weekday.values().sum();
        out.push(constraint!(chosen == f64::from(per_week)));
    }
    if let Some(pattern) = item.pattern {
        // One weekday, and the same weeks of every span on it.
        for ((weekday, _), weeks) in &v.weeks {
            if let Some(day_var) = v.weekday.get(weekday) {
                out.push(constraint!(*weeks <= *day_var));
            }
        }
        let weekdays: Expression = v.weekday.values().sum();
        out.push(constraint!(weekdays <= 1));
        let ranks: Expression = v.weeks.values().sum();
        out.push(constraint!(ranks <= f64::from(pattern.visits)));
    }
    for c in pinned(instance, item) {
        out.push(constraint!(v.visit[c] == 1));
    }
    out
}

/// Each day's load within what its units can hold: for every group of units some item is
/// restricted to, and for all units together (which also bounds the busiest day).
fn capacity_constraints(
    instance: &Instance,
    items: &[ItemVariables],
    busiest: Variable,
) -> Vec<good_lp::Constraint> {
    let mut groups: Vec<Vec<UnitIdx>> = instance.items.iter().map(|i| i.units.clone()).collect();
    groups.sort();
    groups.dedup();
    let all: Vec<UnitIdx> = instance.unit_days.iter().map(|ud| ud.unit).collect();
    let mut out = Vec::new();
    for day in (0..instance.service_days.len()).map(DayIdx::at) {
        for group in &groups {
            let mut load = Expression::from(0);
            for (item, v) in instance.items.iter().zip(items) {
                if item.units.iter().all(|u| group.contains(u)) {
                    for (c, candidate) in item
                        .candidates
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.day == day)
                    {
                        load += f64::from(item.load_min(candidate)) * v.visit[c];
                    }
                }
            }
            out.push(constraint!(
                load <= f64::from(capacity(instance, day, group))
            ));
        }
        let mut load = Expression::from(0);
        for (item, v) in instance.items.iter().zip(items) {
            for (c, candidate) in item
                .candidates
                .iter()
                .enumerate()
                .filter(|(_, c)| c.day == day)
            {
                load += f64::from(item.load_min(candidate)) * v.visit[c];
            }
        }
        let room = f64::from(capacity(instance, day, &all));
        if room > 0.0 {
            out.push(constraint!(load - room * busiest <= 0));
        }
    }
    out
}
