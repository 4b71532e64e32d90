//! Which days each stop and home visit is served on.
//!
//! A greedy assignment is built first (it always exists, and warm-starts the model); then a
//! mixed-integer model, solved through `good_lp` with the pure-Rust `microlp` backend within a
//! time limit, chooses the visit days of every item at once: the required number of visits
//! (each missed visit costs its priority), spacing as sliding windows over the repeating cycle,
//! the same weekdays every week for stops that must keep their slot (and, for stops served in
//! some weeks only, one weekday and the same weeks of every span), announced pins, and the
//! hours each day's units can hold, while levelling the busiest day.

use std::collections::BTreeMap;
use std::time::Duration;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, constraint, microlp, variable,
};

use super::ids::{DayIdx, UnitIdx};
use super::instance::{Instance, Item, WeekPattern};
use super::plan::SolvedBy;
use super::time::Weekday;

/// Cost of one missed visit per point of priority: any miss outweighs any levelling.
const MISS_COST: f64 = 10_000.0;
/// Cost of the busiest day's load, as a share of its capacity.
const BUSIEST_DAY_COST: f64 = 1_000.0;
/// Gain of a visit on its preferred weekday.
const PREFERENCE_GAIN: f64 = 50.0;
/// Gain of a visit on a day it had in the plan in force: above any levelling of the load, so
/// a re-plan keeps the announced days unless a visit would otherwise be missed.
const PREVIOUS_GAIN: f64 = 2_000.0;
/// The greedy's counterpart, in minutes of room: more than any day's capacity.
const PREVIOUS_BONUS: i64 = 10_000;
/// What a missed visit costs a greedy placement, in minutes of room: more than any bonus.
const GREEDY_MISS: i64 = 1_000_000;

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
    let greedy = greedy(instance);
    match model(instance, &greedy, time_limit) {
        Some(better) => better,
        None => DayAssignment {
            chosen: greedy,
            solved_by: SolvedBy::Greedy,
        },
    }
}

/// Capacity, in minutes, of a day's units among `units`.
fn capacity(instance: &Instance, day: DayIdx, units: &[UnitIdx]) -> u32 {
    instance
        .unit_days
        .iter()
        .filter(|ud| ud.day == day && units.contains(&ud.unit))
        .map(|ud| ud.capacity_min())
        .sum()
}

/// Days between two offsets of the repeating cycle, the shorter way round.
fn cyclic_gap(a: u16, b: u16, cycle: u16) -> u16 {
    let d = a.abs_diff(b);
    d.min(cycle - d)
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

/// Items in the order the greedy serves them: pinned, then those keeping a weekly slot, then
/// the hardest to place.
fn greedy_order(instance: &Instance) -> Vec<usize> {
    let mut order: Vec<usize> = (0..instance.items.len()).collect();
    order.sort_by_key(|&i| {
        let item = &instance.items[i];
        (
            item.pins.is_empty(),
            item.weekly.is_none() && item.pattern.is_none(),
            item.candidates.len(),
            std::cmp::Reverse(item.priority),
        )
    });
    order
}

/// Places items one by one in the unit-day with the most room, keeping spacing and weekly
/// slots; an item that cannot be placed whole is left out (its visits are missed).
fn greedy(instance: &Instance) -> Vec<Vec<usize>> {
    let mut room: Vec<i64> = instance
        .unit_days
        .iter()
        .map(|ud| i64::from(ud.capacity_min()))
        .collect();
    let mut chosen = vec![Vec::new(); instance.items.len()];
    for i in greedy_order(instance) {
        let item = &instance.items[i];
        let pick = match (item.weekly, item.pattern) {
            (Some(per_week), _) => greedy_weekly(instance, item, per_week, &room),
            (None, Some(pattern)) => greedy_pattern(instance, item, pattern, &room),
            (None, None) => greedy_spread(instance, item, &room),
        };
        for &c in &pick {
            let candidate = &item.candidates[c];
            if let Some(ud) = best_unit_day(instance, item, candidate.day, &room) {
                room[ud] -= i64::from(item.load_min(candidate));
            }
        }
        chosen[i] = pick;
    }
    chosen
}

/// The unit-day of `day` a compatible unit has the most room in.
fn best_unit_day(instance: &Instance, item: &Item, day: DayIdx, room: &[i64]) -> Option<usize> {
    (0..instance.unit_days.len())
        .filter(|&ud| {
            instance.unit_days[ud].day == day && item.units.contains(&instance.unit_days[ud].unit)
        })
        .max_by_key(|&ud| room[ud])
}

fn fits(instance: &Instance, item: &Item, c: usize, room: &[i64]) -> bool {
    let candidate = &item.candidates[c];
    best_unit_day(instance, item, candidate.day, room)
        .is_some_and(|ud| room[ud] >= i64::from(item.load_min(candidate)))
}

/// Weekly items: the `per_week` weekdays, spaced, whose days have the most room.
fn greedy_weekly(instance: &Instance, item: &Item, per_week: u8, room: &[i64]) -> Vec<usize> {
    let by_weekday = |w: Weekday| -> Vec<usize> {
        (0..item.candidates.len())
            .filter(|&c| instance.day(item.candidates[c].day).weekday == w)
            .collect()
    };
    let forced: Vec<Weekday> = item.pins.iter().map(|p| p.weekday).collect();
    let mut best: Option<(i64, Vec<usize>)> = None;
    for combination in weekday_combinations(per_week as usize) {
        if !forced.iter().all(|w| combination.contains(w)) {
            continue;
        }
        let spaced = combination.iter().all(|a| {
            combination.iter().all(|b| {
                a == b
                    || cyclic_gap(a.index() as u16, b.index() as u16, 7)
                        >= u16::from(item.min_gap_days.min(3))
            })
        });
        let picks: Vec<usize> = combination.iter().flat_map(|w| by_weekday(*w)).collect();
        if !spaced || picks.is_empty() || !picks.iter().all(|&c| fits(instance, item, c, room)) {
            continue;
        }
        let score = slot_score(instance, item, &picks, room);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, picks));
        }
    }
    best.map_or_else(Vec::new, |(_, picks)| picks)
}

/// How good a placement of a slot-keeping item is: the room left on its tightest day, its
/// preferred and previous days, less what its missed visits cost.
fn slot_score(instance: &Instance, item: &Item, picks: &[usize], room: &[i64]) -> i64 {
    let tightest = picks
        .iter()
        .map(|&c| {
            best_unit_day(instance, item, item.candidates[c].day, room).map_or(0, |ud| room[ud])
        })
        .min()
        .unwrap_or(0);
    let missed = i64::from(item.required.saturating_sub(picks.len() as u32));
    tightest + preference_bonus(instance, item, picks) + previous_bonus(instance, item, picks)
        - GREEDY_MISS * missed
}

/// Stops served some weeks only: one weekday and the same weeks of every span, spaced, whose
/// days have the most room.
fn greedy_pattern(
    instance: &Instance,
    item: &Item,
    pattern: WeekPattern,
    room: &[i64],
) -> Vec<usize> {
    let cycle = instance.cycle_days();
    let offset = |c: usize| instance.day(item.candidates[c].day).offset;
    let forced = pinned(instance, item);
    let mut best: Option<(i64, Vec<usize>)> = None;
    for weekday in Weekday::ALL {
        let span = usize::from(pattern.per_weeks);
        for weeks in subsets(span, usize::from(pattern.visits)) {
            let picks: Vec<usize> = (0..item.candidates.len())
                .filter(|&c| {
                    let day = instance.day(item.candidates[c].day);
                    day.weekday == weekday && weeks.contains(&(usize::from(day.week) % span))
                })
                .collect();
            let spaced = picks.iter().all(|&a| {
                picks.iter().all(|&b| {
                    a == b
                        || cyclic_gap(offset(a), offset(b), cycle) >= u16::from(item.min_gap_days)
                })
            });
            if picks.is_empty()
                || !spaced
                || !forced.iter().all(|c| picks.contains(c))
                || !picks.iter().all(|&c| fits(instance, item, c, room))
                || !max_gap_holds(instance, item, &picks)
            {
                continue;
            }
            let score = slot_score(instance, item, &picks, room);
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, picks));
            }
        }
    }
    best.map_or_else(Vec::new, |(_, picks)| picks)
}

/// Every set of `k` weekdays.
fn weekday_combinations(k: usize) -> Vec<Vec<Weekday>> {
    subsets(Weekday::ALL.len(), k)
        .into_iter()
        .map(|set| set.into_iter().map(|i| Weekday::ALL[i]).collect())
        .collect()
}

/// Every set of `k` numbers below `n` (`n` at most 31), each in increasing order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    (0u32..(1 << n))
        .filter(|mask| mask.count_ones() as usize == k)
        .map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect())
        .collect()
}

fn preference_bonus(instance: &Instance, item: &Item, picks: &[usize]) -> i64 {
    let Some(wanted) = item.preferred.and_then(|p| p.weekday) else {
        return 0;
    };
    let on_it = picks
        .iter()
        .filter(|&&c| instance.day(item.candidates[c].day).weekday == wanted)
        .count();
    60 * on_it as i64
}

/// Favours the days a stop had in the plan in force.
fn previous_bonus(instance: &Instance, item: &Item, picks: &[usize]) -> i64 {
    let kept = picks
        .iter()
        .filter(|&&c| {
            let day = instance.day(item.candidates[c].day);
            item.previous
                .iter()
                .any(|p| p.weekday == day.weekday && p.weeks.contains(&(day.week + 1)))
        })
        .count();
    PREVIOUS_BONUS * kept as i64
}

/// Other items: visits placed one after another, each within the spacing of the previous one,
/// starting from every candidate in turn; the most roomy complete placement wins.
fn greedy_spread(instance: &Instance, item: &Item, room: &[i64]) -> Vec<usize> {
    let cycle = instance.cycle_days();
    let offset = |c: usize| instance.day(item.candidates[c].day).offset;
    let forced = pinned(instance, item);
    let mut best: Option<(i64, Vec<usize>)> = None;
    for first in 0..item.candidates.len() {
        if !fits(instance, item, first, room) || (!forced.is_empty() && !forced.contains(&first)) {
            continue;
        }
        let mut picks = forced.clone();
        if !picks.contains(&first) {
            picks.push(first);
        }
        while (picks.len() as u32) < item.required {
            let ok = |c: usize| {
                !picks.contains(&c)
                    && fits(instance, item, c, room)
                    && picks.iter().all(|&p| {
                        cyclic_gap(offset(p), offset(c), cycle) >= u16::from(item.min_gap_days)
                    })
            };
            let last = *picks.iter().max_by_key(|&&p| offset(p)).unwrap_or(&first);
            let next = (0..item.candidates.len())
                .filter(|&c| ok(c) && offset(c) > offset(last))
                .min_by_key(|&c| offset(c))
                .or_else(|| (0..item.candidates.len()).find(|&c| ok(c)));
            match next {
                Some(c) => picks.push(c),
                None => break,
            }
        }
        if (picks.len() as u32) < item.required || !max_gap_holds(instance, item, &picks) {
            continue;
        }
        let score = picks
            .iter()
            .map(|&c| {
                best_unit_day(instance, item, item.candidates[c].day, room).map_or(0, |ud| room[ud])
            })
            .sum::<i64>()
            + preference_bonus(instance, item, &picks)
            + previous_bonus(instance, item, &picks);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, picks));
        }
    }
    let mut picks = best.map_or_else(Vec::new, |(_, picks)| picks);
    picks.sort_unstable();
    picks
}

fn max_gap_holds(instance: &Instance, item: &Item, picks: &[usize]) -> bool {
    let Some(max) = item.max_gap_days else {
        return true;
    };
    let cycle = instance.cycle_days();
    let mut offsets: Vec<u16> = picks
        .iter()
        .map(|&c| instance.day(item.candidates[c].day).offset)
        .collect();
    offsets.sort_unstable();
    let wrap = offsets.first().map(|f| f + cycle);
    offsets
        .iter()
        .zip(offsets.iter().skip(1).copied().chain(wrap))
        .all(|(a, b)| b - a <= u16::from(max))
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
fn model(instance: &Instance, start: &[Vec<usize>], time_limit: Duration) -> Option<DayAssignment> {
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
