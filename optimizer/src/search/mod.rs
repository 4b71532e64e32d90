//! The metaheuristic: construction, fleet minimisation, then annealed ruin and recreate.
//!
//! Every move is a SISR ruin (string removals) followed by a greedy recreate with blinks; see
//! `DESIGN.md` for why this method and these parameters.

mod anneal;
mod budget;
mod fleet;
mod last_pass;
mod recreate;
mod ruin;
mod state;
mod tails;

pub(crate) use anneal::AnnealParams;
pub(crate) use budget::Budget;
pub(crate) use last_pass::last_pass;
pub(crate) use ruin::RuinParams;
pub(crate) use state::{State, UNROUTED};

use rand::Rng;

use crate::index::Index;

/// Parameters of one search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SearchParams {
    pub anneal: AnnealParams,
    /// Largest share of the budget given to the fleet phase (lexicographic objective only).
    pub fleet_share: f64,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            anneal: AnnealParams {
                start_temperature: 2.5,
                end_temperature: 0.025,
                blink: 0.01,
                ruin: RuinParams::default(),
            },
            fleet_share: 0.4,
        }
    }
}

/// Solves for the jobs in `jobs` (the others are left out from the start), first placing the
/// jobs `start` lists for each vehicle, and returns the best state found.
pub(crate) fn search(
    index: &Index,
    jobs: &[u32],
    start: &[(usize, Vec<u32>)],
    params: &SearchParams,
    budget: &mut Budget<'_>,
    rng: &mut impl Rng,
    on_best: &mut dyn FnMut(&State),
) -> State {
    let mut state = State::empty(index, jobs);
    state.place(index, start);
    recreate::recreate(index, &mut state, usize::MAX, 0.0, rng);
    on_best(&state);
    if index.vehicle_weight > 0 && params.fleet_share > 0.0 {
        state = fleet::minimise(
            index,
            state,
            &params.anneal,
            budget,
            params.fleet_share,
            rng,
            on_best,
        );
    }
    anneal::improve(index, state, &params.anneal, budget, rng, on_best)
}
