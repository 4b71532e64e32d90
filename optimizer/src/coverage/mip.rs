//! Solving a [`Formulation`] through `good_lp` with the pure-Rust `microlp` backend, always
//! within a time limit, reading back the status, the proven bound and the gap.

use std::time::Duration;

use good_lp::solvers::microlp::{MicroLpProblem, MicroLpSolution};
use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus,
    SolverModel, WithInitialSolution, WithTimeLimit, microlp,
};
use serde::{Deserialize, Serialize};

use super::formulation::{Formulation, Sense};
use super::instance::SiteIdx;

/// How a solver run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MipStatus {
    /// Optimality proven.
    Optimal,
    /// The time limit stopped the search with a feasible answer.
    TimeLimit,
    /// The time limit stopped the search before any answer, or the solver failed.
    NoAnswer,
}

/// What the integer model found.
#[derive(Clone, Debug, PartialEq)]
pub struct MipAnswer {
    /// Open sites (empty when the status is [`MipStatus::NoAnswer`]).
    pub sites: Vec<SiteIdx>,
    /// How it ended.
    pub status: MipStatus,
    /// The model's objective at the answer.
    pub objective: Option<f64>,
    /// The best proven bound on the objective (a lower bound when minimising).
    pub best_bound: Option<f64>,
    /// Why there is no answer, when there is none.
    pub failure: Option<String>,
}

/// Optimum of the LP relaxation: a bound on the integer optimum (`None` when the time limit
/// stopped it or the solver failed).
pub fn relaxation_bound(formulation: Formulation, time_limit: Duration) -> Option<f64> {
    let Formulation {
        variables,
        objective,
        sense,
        constraints,
        ..
    } = formulation;
    let problem = model(variables, &objective, sense, constraints, time_limit);
    let solution = problem.solve().ok()?;
    matches!(solution.status(), SolutionStatus::Optimal).then(|| solution.eval(&objective))
}

/// Solves the integer model from a starting selection within `time_limit`.
pub fn solve_integer(
    formulation: Formulation,
    start: Vec<(good_lp::Variable, f64)>,
    time_limit: Duration,
) -> MipAnswer {
    let Formulation {
        variables,
        objective,
        sense,
        constraints,
        site_vars,
        ..
    } = formulation;
    let problem =
        model(variables, &objective, sense, constraints, time_limit).with_initial_solution(start);
    match problem.solve() {
        Ok(solution) => read(solution, &objective, &site_vars),
        Err(error) => MipAnswer {
            sites: Vec::new(),
            status: MipStatus::NoAnswer,
            objective: None,
            best_bound: None,
            failure: Some(describe(&error)),
        },
    }
}

/// The formulation as a `microlp` model bounded by `time_limit`.
fn model(
    variables: ProblemVariables,
    objective: &Expression,
    sense: Sense,
    constraints: Vec<Constraint>,
    time_limit: Duration,
) -> MicroLpProblem {
    let unsolved = match sense {
        Sense::Minimise => variables.minimise(objective.clone()),
        Sense::Maximise => variables.maximise(objective.clone()),
    };
    let mut problem = unsolved
        .using(microlp)
        .with_time_limit(time_limit.as_secs_f64());
    for c in constraints {
        problem.add_constraint(c);
    }
    problem
}

fn read(
    solution: MicroLpSolution,
    objective: &good_lp::Expression,
    site_vars: &[Option<good_lp::Variable>],
) -> MipAnswer {
    let status = match solution.status() {
        SolutionStatus::Optimal => MipStatus::Optimal,
        _ => MipStatus::TimeLimit,
    };
    let sites = site_vars
        .iter()
        .enumerate()
        .filter_map(|(s, v)| {
            v.filter(|v| solution.value(*v) > 0.5)
                .map(|_| SiteIdx(s as u32))
        })
        .collect();
    let value = solution.eval(objective);
    let inner = solution.into_inner();
    let best_bound = match status {
        MipStatus::Optimal => Some(value),
        _ => inner.stats().best_bound,
    };
    MipAnswer {
        sites,
        status,
        objective: Some(value),
        best_bound,
        failure: None,
    }
}

fn describe(error: &ResolutionError) -> String {
    match error {
        ResolutionError::Other(reason) => (*reason).to_owned(),
        other => other.to_string(),
    }
}
