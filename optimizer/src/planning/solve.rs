//! Solving a planning problem: prepare, choose the days, route the cycle, assemble the plan.

use std::time::{Duration, Instant};

use crate::Control;
use crate::error::{Error, FieldError, Result};

use super::assemble::assemble;
use super::assign::assign_days;
use super::balance::balance as balance_days;
use super::instance::Instance;
use super::matrices::Matrices;
use super::plan::{Plan, SolveReport, UnitSummary};
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
    matrices.check_covers(problem)?;
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
    let mut ctx = RoutingContext {
        problem,
        instance: &instance,
        matrices,
        time_price: vec![1.0; problem.units.len()],
    };
    let fairness = problem.fairness;
    let balance = fairness.weight > 0.0 || fairness.max_spread_min.is_some();
    let rounds: u32 = if balance { FAIRNESS_ROUNDS } else { 1 };
    let route_round = |ctx: &RoutingContext<'_>, round: u32| {
        let remaining = limit.saturating_sub(started.elapsed());
        let effort = Effort {
            time_limit: remaining / (rounds - round),
            iterations: ITERATIONS_PER_VISIT * (instance.items.len() as u64 + 10),
            seed: problem.solver.seed.wrapping_add(u64::from(round)),
            threads: 2,
        };
        let mut cycle = route_cycle(ctx, &assignment, effort, control);
        if balance {
            balance_days(problem, &instance, &mut cycle);
        }
        let report = SolveReport {
            days_chosen_by: assignment.solved_by,
            seconds: started.elapsed().as_secs_f64(),
            seed: problem.solver.seed,
        };
        let plan = assemble(problem, &instance, &assignment, &cycle, report);
        (score(problem, &plan), plan)
    };
    let mut best = route_round(&ctx, 0);
    let mut last = best.1.units.clone();
    for round in 1..rounds {
        reprice(&mut ctx.time_price, &last);
        let candidate = route_round(&ctx, round);
        last.clone_from(&candidate.1.units);
        if candidate.0 < best.0 {
            best = candidate;
        }
    }
    let mut plan = best.1;
    plan.solver.seconds = started.elapsed().as_secs_f64();
    Ok(plan)
}

/// Routing rounds when work must be shared: each round prices every unit's time by how much
/// more than the average it worked in the previous one.
const FAIRNESS_ROUNDS: u32 = 4;
/// How strongly a round reprices time: damped, as the routing answers prices abruptly.
const REPRICE_STEP: f64 = 0.3;

/// What the plan costs under the objective: missed visits first (by priority), then the units'
/// costs, then the fairness term; a spread above the allowed maximum counts as missed work.
fn score(problem: &PlanningProblem, plan: &Plan) -> f64 {
    let missed: f64 = plan.unserved.len() as f64 * 1e6;
    let spread_h = f64::from(plan.totals.working_spread_min) / 60.0;
    let excess = problem
        .fairness
        .max_spread_min
        .map_or(0, |max| plan.totals.working_spread_min.saturating_sub(max));
    missed
        + plan.totals.cost_eur
        + plan.totals.distance_km * 1e-3
        + problem.fairness.weight * spread_h
        + f64::from(excess) * 1e4
}

/// Raises the price of the time of units that worked more than the average, lowers it for those
/// that worked less.
fn reprice(price: &mut [f64], units: &[UnitSummary]) {
    let working: Vec<f64> = units.iter().map(|u| f64::from(u.working_min)).collect();
    let mean = working.iter().sum::<f64>() / working.len().max(1) as f64;
    if mean <= 0.0 {
        return;
    }
    for (p, w) in price.iter_mut().zip(&working) {
        *p = (*p * (1.0 + REPRICE_STEP * (w - mean) / mean)).clamp(0.25, 4.0);
    }
}
