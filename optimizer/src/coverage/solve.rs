//! The entry point: a greedy answer at once, handed to the caller, then the mixed-integer model
//! within the time limit, with its LP bound, best bound and gap.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::evaluate::Evaluation;
use super::formulation::{Formulation, ModelKind};
use super::greedy;
use super::instance::{AccessTimes, CoverageInstance, DemandIdx, SiteIdx};
use super::mip::{MipStatus, relaxation_bound, solve_integer};

/// Share of the time limit the LP relaxation may take; the integer model gets the rest.
const RELAXATION_SHARE: f64 = 0.25;
/// Tolerance when rounding bounds and comparing figures.
const TOLERANCE: f64 = 1e-6;

/// Which question to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "model")]
pub enum CoverageModel {
    /// (a) The fewest sites so that every coverable demand point is within reach of one.
    SetCover,
    /// (b) At most `budget` sites (half-days per cycle), most population within reach.
    MaxCover {
        /// Most sites.
        budget: usize,
    },
    /// (c) At most `budget` sites, the worst-covered commune's share as high as possible.
    Fairness {
        /// Most sites.
        budget: usize,
    },
}

impl CoverageModel {
    fn kind(self) -> ModelKind {
        match self {
            CoverageModel::SetCover => ModelKind::SetCover,
            CoverageModel::MaxCover { budget } => ModelKind::MaxCover { budget },
            CoverageModel::Fairness { budget } => ModelKind::Fairness { budget },
        }
    }

    /// The figure the model optimises, for an evaluated selection: stops (set covering),
    /// covered weight (maximal covering), worst commune share (fairness).
    pub fn figure(self, evaluation: &Evaluation) -> f64 {
        match self {
            CoverageModel::SetCover => evaluation.stops() as f64,
            CoverageModel::MaxCover { .. } => evaluation.covered_weight,
            CoverageModel::Fairness { .. } => evaluation.min_group_share,
        }
    }

    /// Whether smaller figures are better.
    pub fn minimises(self) -> bool {
        self == CoverageModel::SetCover
    }
}

/// Which answer was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// The greedy answer (the model did not improve it, or proved it optimal).
    Greedy,
    /// The mixed-integer model.
    Model,
}

/// Settings of a solve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoverageConfig {
    /// The question.
    pub model: CoverageModel,
    /// Wall-clock limit of the LP relaxation and the integer model together.
    pub time_limit: Duration,
}

/// The answer, how it was found and how good it is proven to be.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageOutcome {
    /// The greedy answer.
    pub greedy: Evaluation,
    /// Time to the greedy answer.
    pub greedy_time: Duration,
    /// The best answer found.
    pub best: Evaluation,
    /// Where it comes from.
    pub found_by: FoundBy,
    /// Whether it is proven optimal.
    pub status: MipStatus,
    /// The model's figure at the best answer (see [`CoverageModel::figure`]).
    pub figure: f64,
    /// The LP relaxation's bound on the figure (fractional).
    pub lp_bound: Option<f64>,
    /// The best proven bound on the figure (the LP bound or the branch-and-bound's, whichever
    /// is tighter; rounded up to whole stops for set covering).
    pub best_bound: Option<f64>,
    /// |bound − figure| / |figure|: 0 when proven optimal.
    pub gap: Option<f64>,
    /// Time of the whole solve.
    pub total_time: Duration,
    /// Why the model gave no answer, when it gave none.
    pub note: Option<String>,
}

/// Solves `instance`: calls `on_greedy` with the greedy answer as soon as it exists, then
/// improves it with the integer model within the time limit.
pub fn solve(
    instance: &CoverageInstance,
    times: &AccessTimes,
    config: &CoverageConfig,
    on_greedy: &mut dyn FnMut(&Evaluation),
) -> CoverageOutcome {
    let started = Instant::now();
    let time = |d: DemandIdx, s: SiteIdx| times.seconds(d, s);
    let model = config.model;
    let greedy_sites = match model {
        CoverageModel::SetCover => greedy::set_cover(instance),
        CoverageModel::MaxCover { budget } => greedy::max_cover(instance, budget),
        CoverageModel::Fairness { budget } => greedy::fairness(instance, budget),
    };
    let greedy = Evaluation::of(instance, &greedy_sites, time);
    let greedy_time = started.elapsed();
    on_greedy(&greedy);

    let relaxed = Formulation::build(instance, model.kind(), true);
    let relaxation_limit = config.time_limit.mul_f64(RELAXATION_SHARE);
    let lp_bound =
        relaxation_bound(relaxed, relaxation_limit).map(|b| to_figure(instance, model, b));
    let greedy_figure = model.figure(&greedy);
    let proven_by_lp =
        lp_bound.is_some_and(|b| closes(model, greedy_figure, round_bound(model, b)));
    let (best, found_by, status, mip_bound, note) = if proven_by_lp || instance.site_count() == 0 {
        (
            greedy.clone(),
            FoundBy::Greedy,
            MipStatus::Optimal,
            None,
            None,
        )
    } else {
        let formulation = Formulation::build(instance, model.kind(), false);
        let start = formulation.start(instance, &greedy.sites);
        let remaining = config.time_limit.saturating_sub(started.elapsed());
        let answer = solve_integer(formulation, start, remaining.max(Duration::from_millis(1)));
        let candidate = Evaluation::of(instance, &answer.sites, time);
        let usable = answer.status != MipStatus::NoAnswer && admissible(model, &candidate);
        let bound = answer.best_bound.map(|b| to_figure(instance, model, b));
        if usable && better(model, &candidate, &greedy) {
            (candidate, FoundBy::Model, answer.status, bound, None)
        } else {
            let status = match answer.status {
                MipStatus::Optimal if usable => MipStatus::Optimal,
                MipStatus::NoAnswer => MipStatus::NoAnswer,
                _ => MipStatus::TimeLimit,
            };
            (
                greedy.clone(),
                FoundBy::Greedy,
                status,
                bound,
                answer.failure,
            )
        }
    };
    let figure = model.figure(&best);
    let best_bound = tightest(model, lp_bound, mip_bound, status, figure);
    let gap = best_bound.map(|b| (b - figure).abs() / figure.abs().max(TOLERANCE));
    CoverageOutcome {
        greedy,
        greedy_time,
        best,
        found_by,
        status,
        figure,
        lp_bound,
        best_bound,
        gap,
        total_time: started.elapsed(),
        note,
    }
}

/// A model objective converted to the model's figure: for set covering, site costs lie in
/// [1, 1 + ε], so stops ≥ objective / (1 + ε); for the others the tie-breaking terms are
/// non-negative, so the objective bounds the figure from above.
fn to_figure(instance: &CoverageInstance, model: CoverageModel, objective: f64) -> f64 {
    match model {
        CoverageModel::SetCover => objective / (1.0 + 1.0 / (instance.site_count() as f64 + 1.0)),
        CoverageModel::MaxCover { .. } => objective,
        CoverageModel::Fairness { .. } => objective.min(1.0),
    }
}

/// Whole stops for set covering; figures as they are otherwise.
fn round_bound(model: CoverageModel, bound: f64) -> f64 {
    match model {
        CoverageModel::SetCover => (bound - TOLERANCE).ceil().max(0.0),
        _ => bound,
    }
}

fn closes(model: CoverageModel, figure: f64, bound: f64) -> bool {
    if model.minimises() {
        figure <= bound + TOLERANCE
    } else {
        figure >= bound - TOLERANCE * bound.abs().max(1.0)
    }
}

/// The tightest valid bound on the figure; the figure itself when optimality is proven.
fn tightest(
    model: CoverageModel,
    lp: Option<f64>,
    mip: Option<f64>,
    status: MipStatus,
    figure: f64,
) -> Option<f64> {
    if status == MipStatus::Optimal {
        return Some(figure);
    }
    let bounds = lp.into_iter().chain(mip).map(|b| round_bound(model, b));
    if model.minimises() {
        bounds.reduce(f64::max).map(|b| b.min(figure))
    } else {
        bounds.reduce(f64::min).map(|b| b.max(figure))
    }
}

/// Whether an answer is acceptable for its model: set covering must cover everything coverable.
fn admissible(model: CoverageModel, evaluation: &Evaluation) -> bool {
    model != CoverageModel::SetCover || evaluation.covers_all_coverable()
}

/// Whether `a` beats `b`: on the figure, then on covered weight.
fn better(model: CoverageModel, a: &Evaluation, b: &Evaluation) -> bool {
    let (fa, fb) = (model.figure(a), model.figure(b));
    if (fa - fb).abs() > TOLERANCE {
        return if model.minimises() { fa < fb } else { fa > fb };
    }
    a.covered_weight > b.covered_weight + TOLERANCE
}
