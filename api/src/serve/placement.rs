//! Where a submitted job will be solved: here when this instance holds its territory, on
//! another live instance that holds it, or nowhere yet. Any instance accepts a job some live
//! instance can solve; the checks that need roads run here only when the roads are here.

use std::path::Path;

use territory::Territory;
use territory::extract::territory_id;

use super::registry::{Instance, alive};
use super::state::AppState;
use crate::error::{Error, Result, Violation};

/// Where a territory's jobs are solved.
pub enum Placement<'a> {
    /// Loaded here: the checks that need roads run at submission.
    Here(&'a Territory),
    /// Held by other live instances (loaded or loading): one of them claims the job and checks
    /// its roads then.
    Elsewhere {
        /// The territory's id.
        id: String,
        /// The instances that hold it.
        holders: Vec<Instance>,
    },
    /// No live instance holds it.
    Nowhere {
        /// The territory's id.
        id: String,
        /// Every live instance, to say what they hold.
        alive: Vec<Instance>,
    },
}

impl Placement<'_> {
    /// The territory's id, as jobs record it.
    pub fn id(&self) -> &str {
        match self {
            Placement::Here(territory) => &territory.id,
            Placement::Elsewhere { id, .. } | Placement::Nowhere { id, .. } => id,
        }
    }

    /// Why a job queued here waits, when no live instance can solve it.
    pub fn waiting(&self) -> Option<String> {
        matches!(self, Placement::Nowhere { .. }).then(|| waiting_for(self.id()))
    }
}

/// The refusal, at `field`, of a job of territory `id` that no live instance can solve: what
/// the `alive` instances hold, and how to queue it anyway.
pub fn nobody_holds(field: &str, id: &str, alive: &[Instance]) -> Error {
    let mut held: Vec<&str> = alive
        .iter()
        .flat_map(|i| i.territories.iter().map(|t| t.id.as_str()))
        .collect();
    held.sort_unstable();
    held.dedup();
    let held = if held.is_empty() {
        "none".to_owned()
    } else {
        held.join(", ")
    };
    Error::Invalid(vec![Violation::new(
        field,
        format!(
            "no live instance holds territory {id:?} (held: {held}); \
             add ?queue_anyway=true to queue the job until one does"
        ),
    )])
}

/// Why a queued job of territory `id` waits: no live instance holds it.
pub fn waiting_for(id: &str) -> String {
    format!(
        "no live instance holds territory {id:?}: the job waits until an instance loading it starts"
    )
}

/// Where the jobs of the territory a request names (its id, or the file it was loaded from)
/// are solved.
///
/// # Errors
/// [`Error::Database`] when the registry cannot be read.
pub async fn place<'a>(state: &'a AppState, name: &Path) -> Result<Placement<'a>> {
    if let Some(here) = state.territories().ok().and_then(|t| t.find(name)) {
        return Ok(Placement::Here(here));
    }
    let id = territory_id(name);
    let alive = alive(&state.store).await?;
    let holders: Vec<Instance> = alive.iter().filter(|i| i.holds(&id)).cloned().collect();
    Ok(if holders.is_empty() {
        Placement::Nowhere { id, alive }
    } else {
        Placement::Elsewhere { id, holders }
    })
}
