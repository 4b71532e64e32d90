//! Solving a planning problem: prepare, choose the days, route the cycle, assemble the plan.

use std::time::{Duration, Instant};

use crate::Control;
use crate::error::{Error, FieldError, Result};

use super::assemble::assemble;
use super::assign::assign_days;
use super::balance::balance as balance_days;
use super::instance::Instance;
use super::matrices::Matrices;
use super::plan::{Plan, SolveReport, UnitSummary, UnservedVisit, VisitKind};
use super::problem::PlanningProblem;
use super::routing::{Effort, RoutingContext};
use super::schedule::route_cycle;
use super::validate::validate_planning;

/// Share of the time limit the day assignment model may use (at most [`ASSIGNMENT_MAX`]).
const ASSIGNMENT_SHARE: f64 = 0.2;
/// Longest the day assignment model may run, whatever the time limit.
const ASSIGNMENT_MAX: Duration = Duration::from_secs(5);
/// Ruin-and-recreate steps of the cycle's routing per item and second of the time limit, so that
/// the search uses the limit it is given. Measured on the 3-week Andorra cycle of
/// `benches/cycle_vs_long.sh` (53 items, 84 visits routed): each of the search's threads ran 350
/// (load 5) to 480 (load 2–4) steps per item and second, and the cycle's main routing gets about
/// 60 % of the limit (the rest: day assignment, templates, the fallback round's reserve); with 200
/// (the budget before) that search ended after 6.5 s of 10, a quarter of the limit unused. On a
/// quiet machine the search runs about twice as fast: at 300 the 10 s plan of that cycle ended
/// after 5.0 s (+0.99 % against the best of five 100 s plans), at 600 after 8.4 s (+0.07 %).
const ITERATIONS_PER_ITEM_SECOND: f64 = 600.0;
/// Fewest ruin-and-recreate steps per item, whatever the limit: a short limit still gets a real
/// search, ended by its step budget rather than the clock so that it repeats for a seed (the
/// budget of every limit up to 10 s before the rate above).
const ITERATIONS_PER_ITEM_FLOOR: u64 = 2_000;
/// Items added to the count the routing's iterations are sized by, so that a tiny cycle still
/// gets a real search.
const ITERATION_ITEMS_FLOOR: u64 = 10;
/// Score of one missed visit per point of its priority: above any plan's cost in euros.
const MISSED_SCORE: f64 = 1e6;
/// Score of a kilometre: breaks ties between plans of equal cost.
const KM_SCORE: f64 = 1e-3;
/// Score of a minute of working-time spread above the allowed maximum: as a missed visit of
/// priority 1 every hundred minutes.
const EXCESS_SPREAD_SCORE: f64 = 1e4;
/// Bounds of a unit's time price across fairness rounds, as a factor of its own.
const PRICE_RANGE: (f64, f64) = (0.25, 4.0);

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
        limit.mul_f64(ASSIGNMENT_SHARE).min(ASSIGNMENT_MAX),
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
    let iterations = routing_iterations(instance.items.len(), problem.solver.time_limit_s);
    let route_round = |ctx: &RoutingContext<'_>, round: u32| {
        let remaining = limit.saturating_sub(started.elapsed());
        let effort = Effort {
            time_limit: remaining / (rounds - round),
            iterations,
            seed: problem.solver.seed.wrapping_add(u64::from(round)),
            threads: control.planning_threads(),
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

/// Ruin-and-recreate steps of each routing search for a cycle of `items` items under a limit of
/// `time_limit_s` seconds: [`ITERATIONS_PER_ITEM_SECOND`] per item and second, at least
/// [`ITERATIONS_PER_ITEM_FLOOR`] per item. A step budget, not the clock, ends the search
/// whenever the machine keeps up, so that the same seed and limit give the same plan.
fn routing_iterations(items: usize, time_limit_s: f64) -> u64 {
    let items = items as u64 + ITERATION_ITEMS_FLOOR;
    let by_time = (ITERATIONS_PER_ITEM_SECOND * time_limit_s * items as f64) as u64;
    by_time.max(ITERATIONS_PER_ITEM_FLOOR * items)
}

/// Routing rounds when work must be shared: each round prices every unit's time by how much
/// more than the average it worked in the previous one.
const FAIRNESS_ROUNDS: u32 = 4;
/// How strongly a round reprices time: damped, as the routing answers prices abruptly.
const REPRICE_STEP: f64 = 0.3;

/// What the plan costs under the objective: missed visits first (by priority), then the units'
/// costs, then the fairness term; a spread above the allowed maximum counts as missed work.
fn score(problem: &PlanningProblem, plan: &Plan) -> f64 {
    let missed = f64::from(missed_priority(problem, &plan.unserved)) * MISSED_SCORE;
    let spread_h = f64::from(plan.totals.working_spread_min) / 60.0;
    let excess = problem
        .fairness
        .max_spread_min
        .map_or(0, |max| plan.totals.working_spread_min.saturating_sub(max));
    missed
        + plan.totals.cost_eur
        + plan.totals.distance_km * KM_SCORE
        + problem.fairness.weight * spread_h
        + f64::from(excess) * EXCESS_SPREAD_SCORE
}

/// The priorities of the missed visits, summed (an id the problem does not know counts 1).
fn missed_priority(problem: &PlanningProblem, unserved: &[UnservedVisit]) -> u32 {
    unserved
        .iter()
        .map(|missed| {
            let priority = match missed.kind {
                VisitKind::Stop => (problem.stops.iter())
                    .find(|s| s.id == missed.id)
                    .map(|s| s.priority),
                VisitKind::HomeVisit => (problem.home_visits.iter())
                    .find(|h| h.id == missed.id)
                    .map(|h| h.priority),
            };
            u32::from(priority.unwrap_or(1))
        })
        .sum()
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
        *p = (*p * (1.0 + REPRICE_STEP * (w - mean) / mean)).clamp(PRICE_RANGE.0, PRICE_RANGE.1);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::plan::{UnservedVisit, VisitKind};
    use super::super::tests::{bus, checked_plan, horizon, problem, stop};
    use super::super::unserved::Reason;
    use super::{routing_iterations, score};

    #[test]
    fn a_longer_time_limit_buys_a_longer_search() {
        assert_eq!(routing_iterations(90, 100.0), 6_000_000);
        assert!(routing_iterations(90, 100.0) > routing_iterations(90, 10.0));
    }

    #[test]
    fn a_ten_second_limit_buys_more_steps_than_a_short_one() {
        assert_eq!(routing_iterations(90, 10.0), 600_000);
        assert!(routing_iterations(90, 10.0) > routing_iterations(90, 2.0));
    }

    #[test]
    fn a_short_limit_keeps_the_floor_of_steps() {
        assert_eq!(routing_iterations(90, 1.0), 200_000);
        assert_eq!(routing_iterations(90, 2.0), 200_000);
        assert_eq!(routing_iterations(0, 0.5), 20_000);
    }

    #[test]
    fn a_missed_visit_weighs_its_priority() {
        let mut urgent = stop("urgent", 1, 1);
        urgent["priority"] = json!(100);
        let mut minor = stop("minor", 1, 1);
        minor["priority"] = json!(1);
        let (p, m) = problem(
            json!({
                "horizon": horizon("2026-01-05", 1),
                "units": [bus("bus")],
                "stops": [urgent, minor],
                "solver": { "time_limit_s": 1 },
            }),
            10,
        );
        let plan = checked_plan(&p, &m);
        let missing = |id: &str, times: usize| {
            let mut plan = plan.clone();
            let visit = UnservedVisit {
                kind: VisitKind::Stop,
                id: id.to_owned(),
                date: None,
                reason: Reason::NoCapacity,
                message: String::new(),
            };
            plan.unserved = vec![visit; times];
            plan
        };
        assert!(score(&p, &missing("urgent", 1)) > score(&p, &missing("minor", 2)));
    }
}
