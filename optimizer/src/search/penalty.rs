//! The weight of time warp in a penalised search, adapted as HGS does: raised when too few
//! candidates are feasible, lowered when too many are.

/// Parameters of the time-warp penalty.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PenaltyParams {
    /// Share of feasible candidates the weight is steered towards.
    pub target: f64,
    /// Candidates between two adjustments.
    pub every: u32,
    /// Factor applied when the share is below the target.
    pub raise: f64,
    /// Factor applied when it is above.
    pub lower: f64,
    /// Share of late candidates repaired (late jobs reinserted where they fit) before the
    /// acceptance test; HGS repairs half its infeasible offspring.
    pub repair: f64,
    /// Iterations a late current state may last before the search goes back to the best: a
    /// lateness no move repairs would otherwise hold the walk.
    pub late_limit: u64,
}

impl Default for PenaltyParams {
    fn default() -> Self {
        PenaltyParams {
            target: 0.43,
            every: 100,
            raise: 1.2,
            lower: 0.85,
            repair: 0.5,
            late_limit: 1000,
        }
    }
}

/// The current weight (cost per tick of time warp) and the candidates seen since the last
/// adjustment.
#[derive(Debug, Clone)]
pub(crate) struct Penalty {
    params: PenaltyParams,
    weight: f64,
    /// Bounds that keep the weight meaningful: never free, never beyond any cost bound.
    range: (f64, f64),
    seen: u32,
    feasible: u32,
}

impl Penalty {
    /// A weight starting at `initial` (cost per tick), kept within a factor of 10^4 of it
    /// either way.
    pub(crate) fn new(params: PenaltyParams, initial: f64) -> Self {
        Penalty {
            params,
            weight: initial,
            range: (initial * 1e-4, initial * 1e4),
            seen: 0,
            feasible: 0,
        }
    }

    /// The parameters.
    pub(crate) fn params(&self) -> &PenaltyParams {
        &self.params
    }

    /// The weight in force.
    pub(crate) fn weight(&self) -> f64 {
        self.weight
    }

    /// Records whether a candidate was feasible; adjusts the weight every `every` candidates.
    pub(crate) fn record(&mut self, feasible: bool) {
        self.seen += 1;
        self.feasible += u32::from(feasible);
        if self.seen < self.params.every {
            return;
        }
        let share = f64::from(self.feasible) / f64::from(self.seen);
        if share < self.params.target {
            self.weight *= self.params.raise;
        } else if share > self.params.target {
            self.weight *= self.params.lower;
        }
        self.weight = self.weight.clamp(self.range.0, self.range.1);
        self.seen = 0;
        self.feasible = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::{Penalty, PenaltyParams};

    #[test]
    fn the_weight_rises_when_few_candidates_are_feasible_and_falls_when_many_are() {
        let mut penalty = Penalty::new(PenaltyParams::default(), 1.0);
        for i in 0..100 {
            penalty.record(i % 10 == 0);
        }
        assert!(
            (penalty.weight() - 1.2).abs() < 1e-9,
            "{}",
            penalty.weight()
        );
        for i in 0..100 {
            penalty.record(i % 10 != 0);
        }
        assert!(
            (penalty.weight() - 1.02).abs() < 1e-9,
            "{}",
            penalty.weight()
        );
    }
}
