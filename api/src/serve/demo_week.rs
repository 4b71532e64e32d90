//! The demo week, submitted as an ordinary job when the service starts without extracts of its
//! own, so `cargo run --release` opens on a planned week.

use optimizer::planning::validate::validate_planning;

use super::ids::{JobId, Owner};
use super::state::{AppState, DemoWeek};
use super::store::{JobKind, NewJob};
use crate::error::{Error, Result};
use crate::web::demo::{TERRITORY, week};

/// Queues the coming week of the demo territory under the token-less owner.
///
/// # Errors
/// [`Error::Invalid`] if the embedded week is invalid (a build defect the tests catch),
/// [`Error::Database`] when it cannot be stored.
pub async fn plan_week(state: &AppState) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let mut problem = week(today)?;
    validate_planning(&problem)?;
    problem.solver.time_limit_s = problem
        .solver
        .time_limit_s
        .min(state.config.max_time_limit_s);
    let text = serde_json::to_string(&problem)
        .map_err(|e| Error::Internal(format!("encoding the demo week: {e}")))?;
    let job = JobId::new();
    state
        .store
        .insert(NewJob {
            id: job,
            kind: JobKind::Plan,
            owner: &Owner::local(),
            territory: Some(TERRITORY),
            request: &text,
            time_limit_s: problem.solver.time_limit_s,
        })
        .await?;
    state.jobs.wake();
    tracing::info!(job = %job, "demo week queued");
    let _ = state.demo.set(DemoWeek { problem, job });
    Ok(())
}
