//! SISR ruin: adjacent string removal, with split strings (Christiaens & Vanden Berghe 2020).
//!
//! From a random seed job, walk its nearest neighbours; each neighbour whose route has not been
//! ruined yet loses a string of consecutive jobs around it, or a *split string* whose middle part
//! is preserved, until `k_s` routes have been ruined.

use rand::Rng;

use super::state::{State, UNROUTED};
use crate::index::Index;

/// Ruin parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuinParams {
    /// Average number of removed jobs (c̄).
    pub mean_removed: f64,
    /// Longest string (L^max).
    pub max_string: f64,
    /// Probability of a split string rather than a plain one.
    pub split_rate: f64,
    /// Probability of stopping the growth of the preserved part (β).
    pub split_depth: f64,
}

impl Default for RuinParams {
    fn default() -> Self {
        RuinParams {
            mean_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
        }
    }
}

/// Removes strings from `state` and returns the removed jobs (also pushed to `state.unserved`).
pub(crate) fn ruin(
    index: &Index,
    state: &mut State,
    params: &RuinParams,
    rng: &mut impl Rng,
    removed: &mut Vec<u32>,
) {
    removed.clear();
    let used: Vec<usize> = (0..state.routes.len())
        .filter(|&r| !state.routes[r].is_empty())
        .collect();
    if used.is_empty() || index.n_jobs == 0 {
        return;
    }
    let jobs_in_routes: usize = used.iter().map(|&r| state.routes[r].n_jobs).sum();
    let mean_cardinality = (jobs_in_routes as f64 / used.len() as f64).round();
    let max_string = params.max_string.min(mean_cardinality).max(1.0);
    let max_strings = (4.0 * params.mean_removed / (1.0 + max_string) - 1.0).max(1.0);
    let strings = rng.random_range(1.0..max_strings + 1.0).floor() as usize;
    let seed = rng.random_range(0..index.n_jobs) as u32;
    let mut ruined: Vec<usize> = Vec::new();
    for job in std::iter::once(seed).chain(index.neighbours[seed as usize].iter().copied()) {
        if ruined.len() >= strings {
            break;
        }
        let r = state.route_of[job as usize];
        if r == UNROUTED || ruined.contains(&(r as usize)) {
            continue;
        }
        let r = r as usize;
        let jobs: Vec<u32> = state.routes[r]
            .nodes
            .iter()
            .copied()
            .filter(|&n| !index.is_break(n))
            .collect();
        let Some(at) = jobs.iter().position(|&j| j == job) else {
            continue;
        };
        let cardinality = rng
            .random_range(1.0..max_string.min(jobs.len() as f64) + 1.0)
            .floor() as usize;
        let take = if rng.random_bool(params.split_rate) && cardinality < jobs.len() {
            split_string(jobs.len(), at, cardinality, params.split_depth, rng)
        } else {
            plain_string(jobs.len(), at, cardinality, rng)
        };
        let start = removed.len();
        removed.extend(take.into_iter().map(|i| jobs[i]));
        for &j in &removed[start..] {
            state.route_of[j as usize] = UNROUTED;
        }
        let gone = &removed[start..];
        let shed = state.routes[r].remove_jobs(index, |n| gone.contains(&n));
        for &j in &shed {
            state.route_of[j as usize] = UNROUTED;
        }
        removed.extend(shed);
        ruined.push(r);
    }
    state.unserved.extend_from_slice(removed);
    state.refresh_objective(index);
}

/// Positions of `len` consecutive jobs (of `size`) that include position `at`.
pub(crate) fn plain_string(size: usize, at: usize, len: usize, rng: &mut impl Rng) -> Vec<usize> {
    let first = rng.random_range(at.saturating_sub(len - 1)..=at.min(size - len));
    (first..first + len).collect()
}

/// Positions of a string of `len + m` consecutive jobs including `at`, minus a preserved run of
/// `m` jobs inside it; `at` itself is always removed (one more job when the run covers it).
pub(crate) fn split_string(
    size: usize,
    at: usize,
    len: usize,
    depth: f64,
    rng: &mut impl Rng,
) -> Vec<usize> {
    let mut preserved = 1;
    while len + preserved < size && !rng.random_bool(depth) {
        preserved += 1;
    }
    let total = len + preserved;
    let first = rng.random_range(at.saturating_sub(total - 1)..=at.min(size - total));
    let keep_from = first + rng.random_range(0..=len);
    let keep = keep_from..keep_from + preserved;
    (first..first + total)
        .filter(|&i| i == at || !keep.contains(&i))
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    use super::{plain_string, split_string};

    #[test]
    fn a_plain_string_is_consecutive_and_covers_the_seed() {
        let mut rng = Pcg64Mcg::seed_from_u64(2);
        for _ in 0..2000 {
            let size = rng.random_range(1..15);
            let at = rng.random_range(0..size);
            let len = rng.random_range(1..=size);
            let positions = plain_string(size, at, len, &mut rng);
            assert_eq!(positions.len(), len);
            assert!(positions.contains(&at));
            assert!(positions.windows(2).all(|w| w[1] == w[0] + 1));
            assert!(positions.iter().all(|&p| p < size));
        }
    }

    #[test]
    fn a_split_string_keeps_one_run_inside_and_removes_the_seed() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        for _ in 0..2000 {
            let size = rng.random_range(2..15);
            let at = rng.random_range(0..size);
            let len = rng.random_range(1..size);
            let depth = [0.01, 0.5, 0.99][rng.random_range(0..3)];
            let positions = split_string(size, at, len, depth, &mut rng);
            assert!(positions.contains(&at));
            assert!(positions.iter().all(|&p| p < size));
            assert!(
                positions.len() == len || positions.len() == len + 1,
                "{positions:?} for len {len}"
            );
            let gaps = positions.windows(2).filter(|w| w[1] != w[0] + 1).count();
            assert!(gaps <= 2, "{positions:?}");
        }
    }
}
