//! `tournee check`: verify a plan against its problem, independently of the solver.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use optimizer::planning::check::check_plan;
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::PlanningProblem;

use super::CacheArgs;
use crate::error::{Error, Result};
use crate::progress::TerminalProgress;
use territory::files::read_json;
use territory::matrices::territory_matrices;

/// Arguments of `tournee check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The planning problem (JSON).
    pub problem: PathBuf,
    /// The plan to verify (JSON, as `tournee plan` writes it, possibly edited by hand).
    pub plan: PathBuf,
    /// Print the violations as JSON.
    #[arg(long)]
    pub json: bool,
    /// Where the graph cache lives, or none.
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Runs `tournee check`: exits with an error when any rule is broken.
pub fn run(args: &CheckArgs, out: &mut impl Write) -> Result<()> {
    let problem: PlanningProblem = read_json(&args.problem)?;
    let plan: Plan = read_json(&args.plan)?;
    let progress = TerminalProgress::new();
    let matrices = territory_matrices(&problem, &args.problem, &args.cache.policy()?, &progress);
    progress.finish();
    let violations = check_plan(&problem, &matrices?, &plan);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &violations).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else if violations.is_empty() {
        let visits: usize = plan.routes.iter().map(|r| r.steps.len()).sum();
        writeln!(
            out,
            "the plan keeps every rule: {} unit-days, {visits} steps checked",
            plan.routes.len()
        )?;
    } else {
        for v in &violations {
            let date = v.date.map_or_else(String::new, |d| format!(" on {d}"));
            writeln!(out, "{} [{}]{date}: {}", v.id, v.code, v.message)?;
        }
    }
    out.flush()?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::PlanViolations(violations.len()))
    }
}
