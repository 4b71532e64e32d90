//! Granular local search (Toth & Vigo's granular neighbourhoods, as in HGS and PyVRP): for each
//! job `u` and each job `v` among its most correlated ([`Index::granular`]), try the moves that
//! put `u` next to `v` — relocate a string of one to three jobs from `u` after or before `v`
//! (or-opt when both are in one route), swap `u` and `v`, exchange the route ends at `u` and `v`
//! (2-opt*), reverse the stretch between them (2-opt) — and apply the first that lowers the
//! objective, until none does.
//!
//! Every move is priced as one or two [`Splice`]s: O(1) plus the nodes that change place for
//! plain vehicles, a full simulation within one route for vehicles with breaks or duration
//! terms; a move across two routes that cannot be priced exactly is not made. Breaks never move.
//! Like PyVRP, a pair is looked at again only when one of its routes changed since `u` was last
//! looked at.

use rand::Rng;
use rand::seq::SliceRandom;

use super::state::{State, UNROUTED};
use crate::index::Index;
use crate::route::{RouteState, Splice, route_value};

/// Longest string of consecutive jobs a relocation carries.
const MAX_STRING: usize = 3;

/// The search's working memory, kept between calls to avoid allocating in the hot loop.
#[derive(Default)]
pub(crate) struct LocalSearch {
    /// Jobs in the order they are visited this call.
    order: Vec<u32>,
    /// Position (`1..=len`) of each routed job in its route.
    position: Vec<usize>,
    /// Move count when each job was last looked at.
    tested: Vec<u64>,
    /// Move count when each route last changed.
    changed_at: Vec<u64>,
    /// Scratch for the middle of a splice.
    middle: Vec<u32>,
}

/// New node sequences for one or two routes.
struct Move {
    routes: [(usize, Vec<u32>); 2],
    count: usize,
}

fn materialise(splice: &Splice<'_>) -> Vec<u32> {
    splice.from.nodes[..splice.head]
        .iter()
        .chain(splice.middle)
        .chain(&splice.tail.nodes[splice.rest - 1..])
        .copied()
        .collect()
}

/// The first improving move within one route: or-opt (a string of one to [`MAX_STRING`] jobs
/// from `u` on, moved after or, for one job, before `v`), then 2-opt (the stretch after the
/// first of `u` and `v` up to the second reversed, so that they become adjacent).
fn within(
    index: &Index,
    (r, route): (usize, &RouteState),
    pu: usize,
    pv: usize,
    middle: &mut Vec<u32>,
) -> Option<Move> {
    let before = route_value(index, route);
    let improves = |splice: &Splice<'_>| {
        (splice.value(index)? < before).then(|| Move {
            routes: [(r, materialise(splice)), (r, Vec::new())],
            count: 1,
        })
    };
    let nodes = &route.nodes;
    for len in 1..=MAX_STRING {
        let end = pu + len - 1;
        if end > nodes.len() || index.is_break(nodes[end - 1]) || (pu..=end).contains(&pv) {
            break;
        }
        let string = &nodes[pu - 1..end];
        let targets: &[usize] = if len == 1 { &[pv, pv - 1] } else { &[pv] };
        for &t in targets {
            if t + 1 >= pu && t <= end {
                continue;
            }
            middle.clear();
            let (head, rest) = if t < pu {
                middle.extend_from_slice(string);
                middle.extend_from_slice(&nodes[t..pu - 1]);
                (t, end + 1)
            } else {
                middle.extend_from_slice(&nodes[end..t]);
                middle.extend_from_slice(string);
                (pu - 1, t + 1)
            };
            let splice = Splice {
                from: route,
                head,
                middle,
                tail: route,
                rest,
            };
            if let Some(found) = improves(&splice) {
                return Some(found);
            }
        }
    }
    let (lo, hi) = (pu.min(pv), pu.max(pv));
    let stretch = &nodes[lo..hi];
    if hi - lo < 2 || stretch.iter().any(|&n| index.is_break(n)) {
        return None;
    }
    middle.clear();
    middle.extend(stretch.iter().rev());
    improves(&Splice {
        from: route,
        head: lo,
        middle,
        tail: route,
        rest: hi + 1,
    })
}

impl LocalSearch {
    /// Improves `state` until no move lowers its objective, starting from the pairs with a
    /// route marked in `changed`; marks every route it changes. Returns whether it changed any.
    pub(crate) fn improve(
        &mut self,
        index: &Index,
        state: &mut State,
        changed: &mut [bool],
        rng: &mut impl Rng,
    ) -> bool {
        self.position.resize(index.n_jobs, 0);
        self.tested.clear();
        self.tested.resize(index.n_jobs, 0);
        self.changed_at.clear();
        self.changed_at
            .extend(changed.iter().map(|&c| u64::from(c)));
        for r in 0..state.routes.len() {
            self.locate(index, state, r);
        }
        self.order.clear();
        self.order
            .extend((0..index.n_jobs as u32).filter(|&j| state.route_of[j as usize] != UNROUTED));
        self.order.shuffle(rng);
        let mut moves = 1;
        let mut any = false;
        loop {
            let mut improved = false;
            for k in 0..self.order.len() {
                let u = self.order[k];
                let last = self.tested[u as usize];
                self.tested[u as usize] = moves;
                for &v in &index.granular[u as usize] {
                    let (ru, rv) = (state.route_of[u as usize], state.route_of[v as usize]);
                    if ru == UNROUTED || rv == UNROUTED {
                        continue;
                    }
                    let (ru, rv) = (ru as usize, rv as usize);
                    if self.changed_at[ru].max(self.changed_at[rv]) <= last {
                        continue;
                    }
                    let Some(found) = self.find(index, state, u, v) else {
                        continue;
                    };
                    if self.apply(index, state, found) {
                        moves += 1;
                        improved = true;
                        for r in [ru, rv] {
                            self.changed_at[r] = moves;
                            changed[r] = true;
                        }
                    }
                }
            }
            any |= improved;
            if !improved {
                return any;
            }
        }
    }

    fn locate(&mut self, index: &Index, state: &State, r: usize) {
        for (i, &node) in state.routes[r].nodes.iter().enumerate() {
            if !index.is_break(node) {
                self.position[node as usize] = i + 1;
            }
        }
    }

    /// The first improving move that puts `u` next to `v`, if any.
    fn find(&mut self, index: &Index, state: &State, u: u32, v: u32) -> Option<Move> {
        let (ra, rb) = (
            state.route_of[u as usize] as usize,
            state.route_of[v as usize] as usize,
        );
        let (pu, pv) = (self.position[u as usize], self.position[v as usize]);
        let (a, b) = (&state.routes[ra], &state.routes[rb]);
        if ra == rb {
            let mut middle = std::mem::take(&mut self.middle);
            let found = within(index, (ra, a), pu, pv, &mut middle);
            self.middle = middle;
            return found;
        }
        let before = route_value(index, a) + route_value(index, b);
        let improves = |first: &Splice<'_>, second: &Splice<'_>| {
            let after = first.value(index)?.checked_add(second.value(index)?)?;
            (after < before).then(|| Move {
                routes: [(ra, materialise(first)), (rb, materialise(second))],
                count: 2,
            })
        };
        for len in 1..=MAX_STRING {
            let end = pu + len - 1;
            if end > a.nodes.len() || index.is_break(a.nodes[end - 1]) {
                break;
            }
            let string = &a.nodes[pu - 1..end];
            let without = Splice {
                from: a,
                head: pu - 1,
                middle: &[],
                tail: a,
                rest: end + 1,
            };
            let targets: &[usize] = if len == 1 { &[pv, pv - 1] } else { &[pv] };
            for &t in targets {
                let with = Splice {
                    from: b,
                    head: t,
                    middle: string,
                    tail: b,
                    rest: t + 1,
                };
                if let Some(found) = improves(&without, &with) {
                    return Some(found);
                }
            }
        }
        let swap = (
            Splice {
                from: a,
                head: pu - 1,
                middle: std::slice::from_ref(&v),
                tail: a,
                rest: pu + 1,
            },
            Splice {
                from: b,
                head: pv - 1,
                middle: std::slice::from_ref(&u),
                tail: b,
                rest: pv + 1,
            },
        );
        if let Some(found) = improves(&swap.0, &swap.1) {
            return Some(found);
        }
        // 2-opt*: u's route goes on after v, or with v itself.
        for rest in [pv + 1, pv] {
            let first = Splice {
                from: a,
                head: pu,
                middle: &[],
                tail: b,
                rest,
            };
            let second = Splice {
                from: b,
                head: rest - 1,
                middle: &[],
                tail: a,
                rest: pu + 1,
            };
            if let Some(found) = improves(&first, &second) {
                return Some(found);
            }
        }
        None
    }

    /// Writes the move's routes, or leaves the state as it was if a route would come out
    /// infeasible (a pricing error, caught rather than kept). Returns whether it was applied.
    fn apply(&mut self, index: &Index, state: &mut State, found: Move) -> bool {
        let mut old = Vec::with_capacity(found.count);
        for (r, nodes) in found.routes.into_iter().take(found.count) {
            old.push((r, std::mem::replace(&mut state.routes[r].nodes, nodes)));
            state.routes[r].update(index);
        }
        let feasible = old.iter().all(|&(r, _)| state.routes[r].feasible);
        debug_assert!(feasible, "a local search move broke a route");
        if !feasible {
            for (r, nodes) in old {
                state.routes[r].nodes = nodes;
                state.routes[r].update(index);
            }
            return false;
        }
        for &(r, _) in &old {
            for &node in &state.routes[r].nodes {
                if !index.is_break(node) {
                    state.route_of[node as usize] = r as u32;
                }
            }
            self.locate(index, state, r);
        }
        state.refresh_objective(index);
        true
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::LocalSearch;
    use crate::check;
    use crate::export::export;
    use crate::index::Index;
    use crate::model::Problem;
    use crate::search::recreate::recreate;
    use crate::search::state::State;
    use crate::tests::generate::problem;
    use crate::unserved::impossible;

    /// A greedy construction of `problem`, then the local search on it; returns both objectives
    /// after checking the improved solution with the independent checker.
    fn construct_then_improve(problem: &Problem, seed: u64) -> (i64, i64) {
        let Ok(index) = Index::new(problem) else {
            panic!("index")
        };
        let reasons: Vec<_> = (0..index.n_jobs as u32)
            .map(|j| impossible(&index, j))
            .collect();
        let jobs: Vec<u32> = (0..index.n_jobs as u32)
            .filter(|&j| reasons[j as usize].is_none())
            .collect();
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = State::empty(&index, &jobs);
        recreate(&index, &mut state, usize::MAX, 0.0, &mut rng);
        let constructed = state.objective;
        let served_before = state.unserved.clone();
        let mut changed = vec![true; state.routes.len()];
        LocalSearch::default().improve(&index, &mut state, &mut changed, &mut rng);
        assert_eq!(
            state.unserved, served_before,
            "seed {seed}: the unserved changed"
        );
        let solution = export(problem, &index, &state, &reasons);
        let violations = check(problem, &solution);
        assert!(violations.is_empty(), "seed {seed}: {violations:?}");
        (constructed, state.objective)
    }

    /// On random problems with every feature (several windows, breaks, skills, open routes,
    /// limits, duration costs), the local search never makes the objective worse and its
    /// solutions pass the independent checker.
    #[test]
    fn improves_without_breaking_any_rule() {
        for seed in 0..200 {
            let problem = problem(seed, 25, 3, seed % 2 == 0);
            let (before, after) = construct_then_improve(&problem, seed);
            assert!(after <= before, "seed {seed}: {before} -> {after}");
        }
    }

    /// On plain problems (one window, no breaks), a greedy construction is always left with
    /// moves that pay: the search must find them on most seeds.
    #[test]
    fn shortens_greedy_constructions() {
        let improved = (0..40)
            .filter(|&seed| {
                let problem = problem(seed, 40, 4, false);
                let (before, after) = construct_then_improve(&problem, seed);
                after < before
            })
            .count();
        assert!(improved >= 30, "only {improved} of 40 improved");
    }
}
