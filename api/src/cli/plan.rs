//! `tournee plan`: solve a weekly planning problem and print the plan as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use optimizer::Control;
use optimizer::planning::problem::PlanningProblem;
use optimizer::planning::solve::plan;
use optimizer::solution::ObjectiveValue;

use super::CacheArgs;
use crate::error::Result;
use crate::limits::{Limit, planning_size};
use crate::progress::TerminalProgress;
use territory::files::read_json;
use territory::matrices::{refuse_off_road, territory_matrices};
use territory::validate::planning_problem;

/// Arguments of `tournee plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The planning problem (JSON; see docs/planning-format.md).
    pub problem: PathBuf,
    /// Seconds the solve may take (overrides the problem's `solver.time_limit_s`).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Seed of the search (overrides the problem's `solver.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Searches run side by side [default: the cores this process may use].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Refuse a problem with a place farther than the snapping limit from every road its
    /// units may use (by default such a place is planned as unserved, reason `off_road`).
    #[arg(long)]
    pub strict: bool,
    /// Refuse problems with more places (depots + stops + home visits) than this, before any
    /// matrix is computed: memory grows with the square of the places [default: no limit].
    #[arg(long, value_name = "N")]
    pub max_places: Option<usize>,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Runs `tournee plan`.
pub fn run(args: &PlanArgs, out: &mut impl Write) -> Result<()> {
    let mut problem: PlanningProblem = read_json(&args.problem)?;
    if let Some(most) = args.max_places {
        Limit::places(most).check(planning_size(&problem))?;
    }
    if let Some(limit) = args.time_limit {
        problem.solver.time_limit_s = limit;
    }
    if let Some(seed) = args.seed {
        problem.solver.seed = seed;
    }
    planning_problem(&problem)?;
    let progress = TerminalProgress::new();
    let matrices = territory_matrices(&problem, &args.problem, &args.cache.policy()?, &progress);
    progress.finish();
    let matrices = matrices?;
    if args.strict {
        refuse_off_road(&problem, &matrices)?;
    }
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} planning, {elapsed} of {msg}") {
        spinner.set_style(style);
    }
    let limit = problem.solver.time_limit_s;
    spinner.set_message(format!("{limit} s"));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let started = Instant::now();
    let on_best = |value: &ObjectiveValue| {
        let seconds = started.elapsed().as_secs_f64();
        spinner.set_message(format!(
            "{limit} s; best so far: {} km after {seconds:.1} s",
            value.distance.0 / 1_000
        ));
    };
    let control = Control {
        cancel: None,
        progress: Some(&on_best),
        threads: args.threads,
    };
    let result = plan(&problem, &matrices, &control);
    spinner.finish_and_clear();
    let plan = result?;
    serde_json::to_writer_pretty(&mut *out, &plan).map_err(std::io::Error::from)?;
    writeln!(out)?;
    let t = &plan.totals;
    eprintln!(
        "planned {} of {} stop visits and {} of {} home visits in {:.1} s; {} left out, {} warnings",
        t.stop_visits_planned,
        t.stop_visits_required,
        t.home_visits_planned,
        t.home_visits_requested,
        plan.solver.seconds,
        plan.unserved.len(),
        plan.warnings.len()
    );
    Ok(())
}
