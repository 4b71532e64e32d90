//! Restarts on stagnation in the distance phase: late in the annealing, when no new best has
//! come for a while, the next candidate is the best under a ruin several times the ordinary
//! size, accepted whatever it costs, so the search leaves the basin it has settled in from its
//! best point rather than from wherever the current state drifted.

use super::anneal::AnnealParams;
use super::ruin::RuinParams;

/// Counts the iterations since the last new best and says when to restart from the best.
#[derive(Debug, Clone)]
pub(crate) struct Restart {
    stagnation: u64,
    from: f64,
    idle: u64,
    ruin: RuinParams,
}

impl Restart {
    /// No iteration idle yet; the kick's ruin scales the ordinary one's mean size and longest
    /// string by `kick_scale`.
    pub(crate) fn new(params: &AnnealParams) -> Self {
        Restart {
            stagnation: params.stagnation,
            from: params.kick_from,
            idle: 0,
            ruin: RuinParams {
                mean_removed: params.ruin.mean_removed * params.kick_scale,
                max_string: params.ruin.max_string * params.kick_scale,
                ..params.ruin
            },
        }
    }

    /// Counts one iteration made at `progress` (share of the phase used); true when this one
    /// must start from the best with [`Restart::ruin`]. The count starts again after a kick.
    pub(crate) fn due(&mut self, progress: f64) -> bool {
        self.idle += 1;
        let due = self.idle > self.stagnation && progress >= self.from;
        if due {
            self.idle = 0;
        }
        due
    }

    /// A new best was found: the count starts again.
    pub(crate) fn improved(&mut self) {
        self.idle = 0;
    }

    /// The kick's ruin parameters.
    pub(crate) fn ruin(&self) -> &RuinParams {
        &self.ruin
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::Restart;
    use crate::index::Index;
    use crate::search::SearchParams;
    use crate::search::recreate::recreate;
    use crate::search::ruin::ruin;
    use crate::search::state::State;
    use crate::tests::generate::problem;

    #[test]
    fn a_restart_is_due_only_late_and_after_the_stagnation_limit() {
        let mut params = SearchParams::default().anneal;
        params.stagnation = 3;
        params.kick_from = 0.5;
        let mut restart = Restart::new(&params);
        assert!(
            (0..10).all(|_| !restart.due(0.2)),
            "kicked while the temperature is still high"
        );
        assert!(
            restart.due(0.5),
            "ten idle iterations, then late: due at once"
        );
        let late: Vec<bool> = (0..8).map(|_| restart.due(0.6)).collect();
        assert_eq!(
            late,
            [false, false, false, true, false, false, false, true],
            "one kick every fourth idle iteration"
        );
        restart.due(0.7);
        restart.due(0.7);
        restart.improved();
        assert!(
            (0..3).all(|_| !restart.due(0.8)),
            "a new best starts the count again"
        );
        assert!(restart.due(0.8));
    }

    /// The kick must move the search further than an ordinary iteration can: on the same
    /// solution, its ruin removes at least half as many jobs again on average (about twice as
    /// many on these routes of 5 to 10 jobs, where the longest string is capped by the route).
    #[test]
    fn a_kick_removes_several_times_the_jobs_of_an_ordinary_ruin() {
        let problem = problem(5, 60, 8, false);
        let index = Index::new(&problem).expect("a valid problem");
        let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let mut solved = State::empty(&index, &jobs);
        recreate(&index, &mut solved, usize::MAX, 0.0, &mut rng);
        let served = index.n_jobs - solved.unserved.len();
        assert!(served >= 30, "only {served} jobs served");
        let params = SearchParams::default().anneal;
        let restart = Restart::new(&params);
        let mut removed = Vec::new();
        let mut mean_removed = |ruin_params| {
            let total: usize = (0..400)
                .map(|_| {
                    let mut state = solved.clone();
                    ruin(&index, &mut state, ruin_params, &mut rng, &mut removed);
                    removed.len()
                })
                .sum();
            total as f64 / 400.0
        };
        let ordinary = mean_removed(&params.ruin);
        let kick = mean_removed(restart.ruin());
        assert!(
            kick >= 1.5 * ordinary,
            "a kick removes {kick:.1} jobs on average, an ordinary ruin {ordinary:.1}"
        );
    }
}
