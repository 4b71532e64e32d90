//! The dispatcher's manual method, as a reference for the planner's quality: one day at a time,
//! in date order, fill the day's units with what is still due (routed by the core, so the day is
//! feasible and well ordered), never looking ahead. A stop visited every week keeps the weekday
//! and time of its first visit.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::Control;
use crate::error::{Error, FieldError, Result};

use super::assemble::assemble;
use super::assign::DayAssignment;
use super::ids::{DayIdx, ItemIdx, UnitIdx};
use super::instance::Instance;
use super::matrices::Matrices;
use super::plan::{Plan, SolveReport, SolvedBy};
use super::problem::PlanningProblem;
use super::routing::{
    Crew, Effort, Routed, RoutedStep, RoutingContext, Timing, Visit, VisitOption,
};
use super::schedule::RoutedCycle;
use super::validate::validate_planning;

/// Plans `problem` one day at a time, greedily, within its time limit.
///
/// # Errors
/// [`Error::Invalid`] for an invalid problem.
pub fn day_by_day(problem: &PlanningProblem, matrices: &Matrices) -> Result<Plan> {
    validate_planning(problem)?;
    let started = Instant::now();
    let instance = Instance::new(problem, matrices).map_err(|message| {
        Error::Invalid(vec![FieldError {
            path: "horizon.time_zone".into(),
            message,
        }])
    })?;
    let ctx = RoutingContext {
        problem,
        instance: &instance,
        matrices,
        time_price: vec![1.0; problem.units.len()],
    };
    let days = instance.service_days.len().max(1);
    let limit = Duration::from_secs_f64(problem.solver.time_limit_s);
    let mut visited: Vec<Vec<u16>> = vec![Vec::new(); instance.items.len()];
    let mut slots: HashMap<(ItemIdx, u32), (UnitIdx, u32)> = HashMap::new();
    let mut cycle = RoutedCycle {
        visits: Vec::new(),
        routed: Routed {
            crews: Vec::new(),
            unserved: Vec::new(),
            cost: 0,
        },
        slot_moved: Vec::new(),
    };
    for position in 0..instance.service_days.len() {
        let day = DayIdx::at(position);
        let today = instance.day(day);
        let crews: Vec<Crew> = instance
            .unit_days
            .iter()
            .filter(|ud| ud.day == day)
            .map(|ud| Crew {
                unit: ud.unit,
                day,
                slot: 0,
                shift: ud.shift,
                lunch: ud.lunch,
            })
            .collect();
        let mut visits = Vec::new();
        for (position, item) in instance.items.iter().enumerate() {
            let i = ItemIdx::at(position);
            let Some(c) = item.candidates.iter().position(|c| c.day == day) else {
                continue;
            };
            let spaced = visited[position].iter().all(|&o| {
                o.abs_diff(today.offset)
                    .min(instance.cycle_days() - o.abs_diff(today.offset))
                    >= u16::from(item.min_gap_days)
            });
            if visited[position].len() as u32 >= item.required || !spaced {
                continue;
            }
            let weekday = today.weekday.index();
            // A stop served some weeks only keeps one weekday.
            let per_week = item.weekly.or(item.pattern.map(|_| 1));
            let timing = match (per_week, slots.get(&(i, weekday))) {
                (Some(_), Some(&(unit, start))) => Timing::Fixed(unit, start),
                // A weekly stop takes new weekdays only in its first week.
                (Some(per_week), None) => {
                    let taken = slots.keys().filter(|(item, _)| *item == i).count();
                    if taken >= usize::from(per_week)
                        || visited[position].iter().any(|&o| o / 7 < today.offset / 7)
                    {
                        continue;
                    }
                    Timing::Free
                }
                (None, _) => Timing::Free,
            };
            visits.push(Visit {
                item: i,
                options: vec![VisitOption {
                    day,
                    candidate: c,
                    timing,
                }],
            });
        }
        let share = limit.saturating_sub(started.elapsed()) / (days - position) as u32;
        let effort = Effort {
            time_limit: share,
            iterations: 200 * (visits.len() as u64 + 5),
            seed: problem.solver.seed,
            threads: 1,
        };
        let routed = ctx.route(&crews, &visits, effort, &Control::default());
        let offset = cycle.visits.len();
        for mut crew in routed.crews {
            for step in &mut crew.steps {
                if let RoutedStep::Visit { visit, start, .. } = step {
                    let item = visits[*visit].item;
                    visited[item.get()].push(today.offset);
                    let keeps = &instance.items[item.get()];
                    if keeps.weekly.is_some() || keeps.pattern.is_some() {
                        slots
                            .entry((item, today.weekday.index()))
                            .or_insert((crew.crew.unit, *start));
                    }
                    *visit += offset;
                }
            }
            cycle.routed.crews.push(crew);
        }
        cycle.visits.extend(visits);
    }
    let chosen = vec![Vec::new(); instance.items.len()];
    let assignment = DayAssignment {
        chosen,
        solved_by: SolvedBy::Greedy,
    };
    let report = SolveReport {
        days_chosen_by: SolvedBy::Greedy,
        seconds: started.elapsed().as_secs_f64(),
        seed: problem.solver.seed,
    };
    Ok(assemble(problem, &instance, &assignment, &cycle, report))
}
