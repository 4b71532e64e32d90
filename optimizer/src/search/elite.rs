//! The elite pool of the distance phase: a few good solutions, kept apart from one another, from
//! which the crossover takes whole routes.
//!
//! A single annealing walk ends in one basin per seed; the pool remembers good solutions from
//! other parts of the walk so that their routes can be recombined with the current one. Two
//! members are told apart by the jobs whose successor differs (a broken-pairs distance): a
//! solution closer than `min_distance` to a member may only replace it, and only when better.

use rand::Rng;

use super::state::State;
use crate::index::Index;

/// Successor of the last job of a route, and of a job in no route.
const NONE: u32 = u32::MAX;

/// One solution of the pool and, per job, the next job on its route.
struct Member {
    state: State,
    next: Vec<u32>,
}

/// At most `capacity` solutions, pairwise distinct.
pub(crate) struct Elite {
    members: Vec<Member>,
    capacity: usize,
    min_distance: usize,
    /// Scratch: the successors of the state being offered.
    next: Vec<u32>,
}

impl Elite {
    /// An empty pool of at most `capacity` solutions, a new one entering beside the others only
    /// when at least `min_distance` jobs (at least one) have another successor than in each.
    pub(crate) fn new(capacity: usize, min_distance: usize) -> Self {
        Elite {
            members: Vec::with_capacity(capacity),
            capacity,
            min_distance: min_distance.max(1),
            next: Vec::new(),
        }
    }

    /// Offers `state` to the pool; returns whether it was taken. Within `min_distance` of a
    /// member, it replaces the closest one if it is better; otherwise it joins while there is
    /// room, or replaces the worst member if it is better than that one.
    pub(crate) fn offer(&mut self, index: &Index, state: &State) -> bool {
        if self.capacity == 0 {
            return false;
        }
        let worst = self.worst();
        if self.members.len() == self.capacity
            && worst.is_some_and(|w| state.objective >= self.members[w].state.objective)
        {
            return false;
        }
        successors(index, state, &mut self.next);
        let closest = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (distance(&m.next, &self.next), i))
            .min();
        let replaced = match closest {
            Some((d, i)) if d < self.min_distance => i,
            _ if self.members.len() < self.capacity => {
                self.members.push(Member {
                    state: state.clone(),
                    next: std::mem::take(&mut self.next),
                });
                return true;
            }
            _ => match worst {
                Some(w) => w,
                None => return false,
            },
        };
        let member = &mut self.members[replaced];
        if state.objective >= member.state.objective {
            return false;
        }
        member.state.clone_from(state);
        std::mem::swap(&mut member.next, &mut self.next);
        true
    }

    /// A random member whose objective differs from `current`'s (the cheap test for "another
    /// solution"), or `None` when there is none.
    pub(crate) fn partner(&self, current: &State, rng: &mut impl Rng) -> Option<&State> {
        let others = self
            .members
            .iter()
            .filter(|m| m.state.objective != current.objective)
            .count();
        if others == 0 {
            return None;
        }
        let pick = rng.random_range(0..others);
        self.members
            .iter()
            .filter(|m| m.state.objective != current.objective)
            .nth(pick)
            .map(|m| &m.state)
    }

    /// Index of the member with the largest objective (the first of equals).
    fn worst(&self) -> Option<usize> {
        let mut worst: Option<usize> = None;
        for (i, m) in self.members.iter().enumerate() {
            if worst.is_none_or(|w| m.state.objective > self.members[w].state.objective) {
                worst = Some(i);
            }
        }
        worst
    }
}

/// Writes into `next` each job's successor on its route ([`NONE`] after the last job and for a
/// job in no route); breaks are skipped.
fn successors(index: &Index, state: &State, next: &mut Vec<u32>) {
    next.clear();
    next.resize(index.n_jobs, NONE);
    for route in &state.routes {
        let mut previous: Option<u32> = None;
        for &node in route.nodes.iter().filter(|&&n| !index.is_break(n)) {
            if let Some(p) = previous {
                next[p as usize] = node;
            }
            previous = Some(node);
        }
    }
}

/// Number of jobs whose successor differs.
fn distance(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::{Elite, distance};
    use crate::index::Index;
    use crate::search::recreate::recreate;
    use crate::search::ruin::{RuinParams, ruin};
    use crate::search::state::State;
    use crate::tests::generate::problem;

    /// Offers hundreds of ruined and recreated solutions: the pool never exceeds its bound,
    /// its members stay distinct, and the best solution offered is always in it.
    #[test]
    fn the_pool_keeps_distinct_solutions_within_its_bound_and_the_best() {
        for seed in 0..20 {
            let problem = problem(seed, 30, 4, seed % 2 == 1);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut state = State::empty(&index, &jobs);
            recreate(&index, &mut state, usize::MAX, 0.0, &mut rng);
            let mut elite = Elite::new(5, 3);
            let mut best = i64::MAX;
            let mut removed = Vec::new();
            for _ in 0..300 {
                let mut candidate = state.clone();
                ruin(
                    &index,
                    &mut candidate,
                    &RuinParams::default(),
                    &mut rng,
                    &mut removed,
                );
                recreate(&index, &mut candidate, usize::MAX, 0.01, &mut rng);
                best = best.min(candidate.objective);
                elite.offer(&index, &candidate);
                assert!(
                    elite.members.len() <= 5,
                    "seed {seed}: {} members",
                    elite.members.len()
                );
                for (i, a) in elite.members.iter().enumerate() {
                    for b in &elite.members[i + 1..] {
                        assert!(distance(&a.next, &b.next) > 0, "seed {seed}: twins");
                    }
                }
                if candidate.objective <= state.objective {
                    state = candidate;
                }
            }
            assert!(
                elite.members.iter().any(|m| m.state.objective == best),
                "seed {seed}: the best ({best}) is not in the pool"
            );
            assert!(
                elite.members.len() >= 2,
                "seed {seed}: {} members",
                elite.members.len()
            );
        }
    }

    /// The same solution offered twice is held once; a partner is never the current solution.
    #[test]
    fn the_same_solution_enters_once_and_is_no_partner_of_itself() {
        let problem = problem(3, 20, 3, false);
        let Ok(index) = Index::new(&problem) else {
            panic!("index")
        };
        let jobs: Vec<u32> = (0..index.n_jobs as u32).collect();
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let mut state = State::empty(&index, &jobs);
        recreate(&index, &mut state, usize::MAX, 0.0, &mut rng);
        let mut elite = Elite::new(4, 1);
        assert!(elite.offer(&index, &state));
        assert!(!elite.offer(&index, &state));
        assert_eq!(elite.members.len(), 1);
        assert!(elite.partner(&state, &mut rng).is_none());
    }
}
