//! The search's compact view of a validated [`Problem`]: flat arrays, integer costs.
//!
//! Jobs and breaks are both *nodes*: node `j < n_jobs` is job `j`, and every break of every
//! vehicle gets its own node after the jobs. A break node has no location ([`NO_LOC`]): travel
//! into it is zero and the vehicle stays where it was. The search reaches places through the
//! rows of each profile's matrices ([`Matrices::node_row`]), not through the problem's
//! locations.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::{Objective, Problem, Profile, TimeWindow, UNREACHABLE};

/// Location of a node that has none (a break, or an absent start or end).
pub(crate) const NO_LOC: u32 = u32::MAX;
/// Row of a place a profile's tables do not hold: unreachable for the vehicles of the profile.
pub(crate) const OUTSIDE: u32 = u32::MAX - 1;
/// How many nearest jobs each job keeps as neighbours for string removal.
const NEIGHBOURS: usize = 128;

/// One profile's matrices as the search reads them: the shared tables of its [`Profile`]
/// (never copied: a matrix is the one structure whose size grows with the square of the
/// places) and each node's row in them. Routes of the profile's vehicles hold rows, not the
/// problem's locations, so that a read in the search's innermost loops is one multiply and
/// one load, as in a plain matrix.
pub(crate) struct Matrices {
    size: usize,
    durations: Arc<[u32]>,
    distances: Arc<[u32]>,
    /// The row of each node: [`NO_LOC`] for a break, [`OUTSIDE`] for a place not held.
    node_rows: Vec<u32>,
    /// The largest distance between two of the problem's locations.
    max_distance: i64,
}

impl Matrices {
    /// The view of `profile` for nodes at locations `loc`.
    fn new(profile: &Profile, loc: &[u32]) -> Self {
        let (size, durations, distances) = profile.table().parts();
        let node_rows = loc.iter().map(|&at| row(profile, at)).collect();
        let held = distances.iter().copied().max().unwrap_or(0);
        let any_outside = (0..profile.len() as u32).any(|at| profile.row(at).is_none());
        let max_distance = i64::from(if any_outside {
            held.max(UNREACHABLE)
        } else {
            held
        });
        Matrices {
            size,
            durations,
            distances,
            node_rows,
            max_distance,
        }
    }

    /// The row of `node` ([`NO_LOC`] for a break).
    #[inline]
    pub(crate) fn node_row(&self, node: u32) -> u32 {
        self.node_rows[node as usize]
    }

    /// Travel time between two rows, zero when either end has no location.
    #[inline]
    pub(crate) fn duration(&self, from: u32, to: u32) -> i64 {
        if from >= OUTSIDE || to >= OUTSIDE {
            beyond(from, to)
        } else {
            i64::from(self.durations[from as usize * self.size + to as usize])
        }
    }

    /// Distance between two rows, zero when either end has no location.
    #[inline]
    pub(crate) fn distance(&self, from: u32, to: u32) -> i64 {
        if from >= OUTSIDE || to >= OUTSIDE {
            beyond(from, to)
        } else {
            i64::from(self.distances[from as usize * self.size + to as usize])
        }
    }
}

/// Travel from or to a row not in the tables: none into or out of a break (taken where the
/// vehicle is), [`UNREACHABLE`] to a place the tables do not hold.
#[cold]
fn beyond(from: u32, to: u32) -> i64 {
    if from == NO_LOC || to == NO_LOC {
        0
    } else {
        i64::from(UNREACHABLE)
    }
}

/// The row of a location in `profile`'s tables.
fn row(profile: &Profile, location: u32) -> u32 {
    if location == NO_LOC {
        NO_LOC
    } else {
        profile.row(location).map_or(OUTSIDE, |r| r as u32)
    }
}

/// A vehicle in search terms (`i64::MAX` for an absent limit).
pub(crate) struct VehicleData {
    /// Its start, as a row of its profile's matrices ([`NO_LOC`] when absent).
    pub start: u32,
    /// Its end, likewise.
    pub end: u32,
    pub shift: (i64, i64),
    pub capacity: Vec<i64>,
    pub profile: usize,
    pub breaks: Vec<u32>,
    pub max_travel: i64,
    pub max_duration: i64,
    pub max_distance: i64,
    pub max_tasks: usize,
    pub fixed: i64,
    pub per_distance: i64,
    pub per_duration: i64,
    /// Whether an insertion's cost or feasibility depends on the route duration, which takes a
    /// pass over the route to evaluate.
    pub duration_matters: bool,
    /// Vehicles with equal attributes share a class; the search tries one empty vehicle per class.
    pub class: usize,
    /// Vehicles that may serve exactly the same jobs share a job class: a route's jobs may move
    /// wholesale between them.
    pub job_class: usize,
}

/// The flattened problem.
pub(crate) struct Index {
    pub n_jobs: usize,
    pub dims: usize,
    pub service: Vec<i64>,
    tw_offsets: Vec<usize>,
    tw: Vec<(i64, i64)>,
    pub demand: Vec<i64>,
    pub vehicles: Vec<VehicleData>,
    pub matrices: Vec<Matrices>,
    compatible: Vec<bool>,
    pub neighbours: Vec<Vec<u32>>,
    /// Objective weight of leaving each job unserved.
    pub unserved_weight: Vec<i64>,
    /// Objective weight of one used vehicle (zero under [`Objective::Cost`]).
    pub vehicle_weight: i64,
    /// Distance of each job from the nearest vehicle start (for insertion orders).
    pub depot_distance: Vec<i64>,
    /// Mean cost of an arc between two jobs: the scale of the annealing temperature.
    pub mean_arc_cost: f64,
}

/// The [`NEIGHBOURS`] jobs nearest to job `j` (there and back, on the first profile), nearest
/// first, ties by index.
fn nearest_jobs(matrices: Option<&Matrices>, n_jobs: usize, j: u32) -> Vec<u32> {
    let key = |k: u32| {
        matrices.map_or(0, |m| {
            let (a, b) = (m.node_row(j), m.node_row(k));
            m.distance(a, b) + m.distance(b, a)
        })
    };
    let mut others: Vec<(i64, u32)> = (0..n_jobs as u32)
        .filter(|&k| k != j)
        .map(|k| (key(k), k))
        .collect();
    if others.len() > NEIGHBOURS {
        others.select_nth_unstable(NEIGHBOURS);
        others.truncate(NEIGHBOURS);
    }
    others.sort_unstable();
    others.into_iter().map(|(_, k)| k).collect()
}

fn windows(list: &[TimeWindow]) -> impl Iterator<Item = (i64, i64)> + '_ {
    list.iter().map(|w| (w.start.0, w.end.0))
}

impl Index {
    /// Builds the view of a problem that [`crate::validate::validate`] accepted.
    ///
    /// # Errors
    /// [`Error::CostOverflow`] when the objective weights do not fit in 64 bits.
    pub(crate) fn new(problem: &Problem) -> Result<Self> {
        let n_jobs = problem.jobs.len();
        let dims = problem.vehicles.first().map_or(0, |v| v.capacity.len());
        let mut loc: Vec<u32> = problem.jobs.iter().map(|j| j.location.0).collect();
        let mut service: Vec<i64> = problem.jobs.iter().map(|j| j.service.0).collect();
        let mut tw = Vec::new();
        let mut tw_offsets = vec![0];
        for job in &problem.jobs {
            tw.extend(windows(&job.time_windows));
            tw_offsets.push(tw.len());
        }
        let mut vehicles: Vec<VehicleData> = Vec::with_capacity(problem.vehicles.len());
        for (v, vehicle) in problem.vehicles.iter().enumerate() {
            let mut breaks = Vec::new();
            for brk in &vehicle.breaks {
                breaks.push(loc.len() as u32);
                loc.push(NO_LOC);
                service.push(brk.duration.0);
                tw.extend(windows(&brk.time_windows));
                tw_offsets.push(tw.len());
            }
            let class = (0..v)
                .find(|&w| problem.vehicles[w] == *vehicle && same_allowance(problem, v, w))
                .map_or(v, |w| vehicles[w].class);
            let limits = &vehicle.limits;
            let profile = &problem.profiles[vehicle.profile.get()];
            vehicles.push(VehicleData {
                start: row(profile, vehicle.start.map_or(NO_LOC, |l| l.0)),
                end: row(profile, vehicle.end.map_or(NO_LOC, |l| l.0)),
                shift: (vehicle.shift.start.0, vehicle.shift.end.0),
                capacity: vehicle.capacity.iter().map(|c| c.0).collect(),
                profile: vehicle.profile.get(),
                breaks,
                max_travel: limits.max_travel_time.map_or(i64::MAX, |d| d.0),
                max_duration: limits.max_duration.map_or(i64::MAX, |d| d.0),
                max_distance: limits.max_distance.map_or(i64::MAX, |d| d.0),
                max_tasks: limits.max_tasks.map_or(usize::MAX, |t| t as usize),
                fixed: vehicle.costs.fixed.0,
                per_distance: vehicle.costs.per_distance.0,
                per_duration: vehicle.costs.per_duration.0,
                duration_matters: vehicle.costs.per_duration.0 > 0 || limits.max_duration.is_some(),
                class,
                job_class: v,
            });
        }
        let compatible = compatibility(problem);
        let n_vehicles = vehicles.len();
        let mut first_with: HashMap<Vec<bool>, usize> = HashMap::new();
        for (v, vehicle) in vehicles.iter_mut().enumerate() {
            let column = (0..n_jobs)
                .map(|j| compatible[j * n_vehicles + v])
                .collect();
            vehicle.job_class = *first_with.entry(column).or_insert(v);
        }
        let demand = problem
            .jobs
            .iter()
            .flat_map(|j| j.demand.iter().map(|d| d.0))
            .collect();
        let matrices: Vec<Matrices> = (problem.profiles.iter())
            .map(|p| Matrices::new(p, &loc))
            .collect();
        let neighbours = (0..n_jobs as u32)
            .map(|j| nearest_jobs(matrices.first(), n_jobs, j))
            .collect();
        let depot_distance = (0..n_jobs as u32)
            .map(|j| {
                vehicles
                    .iter()
                    .filter(|v| v.start != NO_LOC)
                    .map(|v| {
                        let m = &matrices[v.profile];
                        m.distance(v.start, m.node_row(j))
                    })
                    .min()
                    .unwrap_or(0)
            })
            .collect();
        let mut index = Index {
            n_jobs,
            dims,
            service,
            tw_offsets,
            tw,
            demand,
            vehicles,
            matrices,
            compatible,
            neighbours,
            unserved_weight: Vec::new(),
            vehicle_weight: 0,
            depot_distance,
            mean_arc_cost: 0.0,
        };
        index.set_weights(problem)?;
        Ok(index)
    }

    fn set_weights(&mut self, problem: &Problem) -> Result<()> {
        let max_arc = self
            .matrices
            .iter()
            .map(|m| m.max_distance)
            .max()
            .unwrap_or(0);
        let max_per_distance = self
            .vehicles
            .iter()
            .map(|v| v.per_distance)
            .max()
            .unwrap_or(0);
        let arcs = (self.n_jobs + 2 * self.vehicles.len()) as i64;
        let mut bound = max_per_distance
            .checked_mul(max_arc)
            .and_then(|c| c.checked_mul(arcs))
            .ok_or(Error::CostOverflow)?;
        for v in &self.vehicles {
            let span = v.shift.1 - v.shift.0;
            bound = v
                .per_duration
                .checked_mul(span)
                .and_then(|c| c.checked_add(v.fixed))
                .and_then(|c| c.checked_add(bound))
                .ok_or(Error::CostOverflow)?;
        }
        let above_costs = bound.checked_add(1).ok_or(Error::CostOverflow)?;
        let (vehicle_weight, unserved_unit) = match problem.objective {
            Objective::Lexicographic => {
                let unit = above_costs
                    .checked_mul(self.vehicles.len() as i64 + 1)
                    .ok_or(Error::CostOverflow)?;
                (above_costs, unit)
            }
            Objective::Cost => (0, above_costs),
        };
        let mut total: i64 = 0;
        self.unserved_weight = Vec::with_capacity(self.n_jobs);
        for job in &problem.jobs {
            let weight = match (problem.objective, job.penalty) {
                (Objective::Lexicographic, _) => unserved_unit.checked_mul(i64::from(job.priority)),
                (Objective::Cost, Some(penalty)) => Some(penalty.0),
                (Objective::Cost, None) => Some(unserved_unit),
            }
            .ok_or(Error::CostOverflow)?;
            total = total.checked_add(weight).ok_or(Error::CostOverflow)?;
            self.unserved_weight.push(weight);
        }
        total
            .checked_add(
                vehicle_weight
                    .checked_mul(self.vehicles.len() as i64 + 1)
                    .ok_or(Error::CostOverflow)?,
            )
            .ok_or(Error::CostOverflow)?;
        self.vehicle_weight = vehicle_weight;
        self.mean_arc_cost = self.mean_arc_cost();
        Ok(())
    }

    fn mean_arc_cost(&self) -> f64 {
        let (Some(v), Some(m)) = (self.vehicles.first(), self.matrices.first()) else {
            return 1.0;
        };
        let n = self.n_jobs.min(200);
        let mut sum = 0.0;
        let mut count = 0.0;
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let (la, lb) = (m.node_row(a as u32), m.node_row(b as u32));
                    sum += (v.per_distance * m.distance(la, lb)
                        + v.per_duration * m.duration(la, lb)) as f64;
                    count += 1.0;
                }
            }
        }
        if count > 0.0 && sum > 0.0 {
            sum / count
        } else {
            1.0
        }
    }

    /// Whether `node` is a break.
    #[inline]
    pub(crate) fn is_break(&self, node: u32) -> bool {
        node as usize >= self.n_jobs
    }

    /// Whether vehicle `v` may serve job `j` (skills and allowed list).
    #[inline]
    pub(crate) fn compatible(&self, j: usize, v: usize) -> bool {
        self.compatible[j * self.vehicles.len() + v]
    }

    /// The demand of job `j`, one value per dimension.
    #[inline]
    pub(crate) fn demand(&self, j: usize) -> &[i64] {
        &self.demand[j * self.dims..(j + 1) * self.dims]
    }

    /// Earliest start of `node` when arriving at `arrival`, or `None` when every window has ended.
    #[inline]
    pub(crate) fn earliest_start(&self, node: u32, arrival: i64) -> Option<i64> {
        let n = node as usize;
        let list = &self.tw[self.tw_offsets[n]..self.tw_offsets[n + 1]];
        if list.is_empty() {
            return Some(arrival);
        }
        list.iter()
            .find(|w| arrival <= w.1)
            .map(|w| arrival.max(w.0))
    }

    /// The end of the last window of `node` (`i64::MAX` without windows).
    #[inline]
    pub(crate) fn last_start(&self, node: u32) -> i64 {
        let n = node as usize;
        self.tw[self.tw_offsets[n]..self.tw_offsets[n + 1]]
            .last()
            .map_or(i64::MAX, |w| w.1)
    }

    /// Latest start of `node` no later than `bound`, or `None` when no window opens by then.
    #[inline]
    pub(crate) fn latest_start(&self, node: u32, bound: i64) -> Option<i64> {
        let n = node as usize;
        let list = &self.tw[self.tw_offsets[n]..self.tw_offsets[n + 1]];
        if list.is_empty() {
            return Some(bound);
        }
        list.iter()
            .rev()
            .find(|w| w.0 <= bound)
            .map(|w| bound.min(w.1))
    }
}

fn same_allowance(problem: &Problem, v: usize, w: usize) -> bool {
    problem.jobs.iter().all(|job| match &job.allowed_vehicles {
        None => true,
        Some(list) => list.iter().any(|x| x.get() == v) == list.iter().any(|x| x.get() == w),
    })
}

fn compatibility(problem: &Problem) -> Vec<bool> {
    let mut out = Vec::with_capacity(problem.jobs.len() * problem.vehicles.len());
    for job in &problem.jobs {
        for (v, vehicle) in problem.vehicles.iter().enumerate() {
            let skills = job.skills.iter().all(|s| vehicle.skills.contains(s));
            let allowed = job
                .allowed_vehicles
                .as_ref()
                .is_none_or(|list| list.iter().any(|x| x.get() == v));
            out.push(skills && allowed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    use super::Index;
    use crate::tests::generate::problem;

    /// Windows against a tick-by-tick scan.
    #[test]
    fn window_arithmetic_matches_a_scan() {
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        for seed in 0..50 {
            let problem = problem(seed, 6, 1, true);
            let Ok(index) = Index::new(&problem) else {
                panic!("index")
            };
            let windows = |node: usize| -> Vec<(i64, i64)> {
                index.tw[index.tw_offsets[node]..index.tw_offsets[node + 1]].to_vec()
            };
            for node in 0..index.service.len() {
                let list = windows(node);
                let open = |t: i64| list.is_empty() || list.iter().any(|w| w.0 <= t && t <= w.1);
                for _ in 0..20 {
                    let t = rng.random_range(-10..1300);
                    let earliest = (t..1400).find(|&s| open(s));
                    assert_eq!(
                        index.earliest_start(node as u32, t),
                        earliest,
                        "node {node} from {t}"
                    );
                    let latest = (-20..=t).rev().find(|&s| open(s));
                    assert_eq!(
                        index.latest_start(node as u32, t),
                        latest,
                        "node {node} until {t}"
                    );
                }
            }
        }
    }
}
