//! Solving a planning problem: prepare, choose the days, route the cycle, assemble the plan.

use std::time::{Duration, Instant};

use crate::Control;
use crate::error::{Error, FieldError, Result};

use super::assemble::assemble;
use super::assign::assign_days;
use super::instance::{Instance, Matrices};
use super::plan::{Plan, SolveReport};
use super::problem::PlanningProblem;
use super::routing::{Effort, RoutingContext};
use super::schedule::route_cycle;
use super::validate::validate_planning;

/// Share of the time limit the day assignment model may use (at most 5 s).
const ASSIGNMENT_SHARE: f64 = 0.2;
/// Ruin-and-recreate steps of the cycle's routing, per item; the time limit usually ends the
/// search first.
const ITERATIONS_PER_VISIT: u64 = 2_000;

/// Plans the cycle of `problem` on `matrices` (one per unit kind, over each unit's depot, then
/// each stop, then each home visit).
///
/// # Errors
/// [`Error::Invalid`] with every malformed field, including matrices that are missing or of the
/// wrong size.
pub fn plan(problem: &PlanningProblem, matrices: &Matrices, control: &Control<'_>) -> Result<Plan> {
    validate_planning(problem)?;
    check_matrices(problem, matrices)?;
    let started = Instant::now();
    let instance = Instance::new(problem, matrices).map_err(|message| {
        Error::Invalid(vec![FieldError {
            path: "horizon.time_zone".into(),
            message,
        }])
    })?;
    let limit = Duration::from_secs_f64(problem.solver.time_limit_s);
    let assignment = assign_days(
        &instance,
        limit.mul_f64(ASSIGNMENT_SHARE).min(Duration::from_secs(5)),
    );
    let ctx = RoutingContext {
        problem,
        instance: &instance,
        matrices,
        time_price: vec![1.0; problem.units.len()],
    };
    let effort = Effort {
        time_limit: limit.saturating_sub(started.elapsed()),
        iterations: ITERATIONS_PER_VISIT * (instance.items.len() as u64 + 10),
        seed: problem.solver.seed,
        threads: 2,
    };
    let cycle = route_cycle(&ctx, &assignment, effort, control);
    let report = SolveReport {
        days_chosen_by: assignment.solved_by,
        seconds: started.elapsed().as_secs_f64(),
        seed: problem.solver.seed,
    };
    Ok(assemble(problem, &instance, &assignment, &cycle, report))
}

/// Every unit kind has a square matrix over all the problem's locations.
fn check_matrices(problem: &PlanningProblem, matrices: &Matrices) -> Result<()> {
    let size = problem.units.len() + problem.stops.len() + problem.home_visits.len();
    let mut errors = Vec::new();
    for unit in &problem.units {
        let ok = matrices.get(&unit.kind).is_some_and(|m| {
            m.durations_s.len() == size
                && m.distances_m.len() == size
                && m.durations_s
                    .iter()
                    .chain(&m.distances_m)
                    .all(|row| row.len() == size)
        });
        if !ok {
            errors.push(FieldError {
                path: "territory".into(),
                message: format!("no {size} × {size} matrix for {} units", unit.kind.name()),
            });
        }
    }
    errors.dedup();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}
