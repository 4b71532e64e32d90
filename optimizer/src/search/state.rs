//! The working solution of a search: one route per vehicle, the unserved jobs, the objective.

use crate::index::Index;
use crate::route::RouteState;

/// Marks a job that is in no route.
pub(crate) const UNROUTED: u32 = u32::MAX;

/// A complete assignment: every job is either in exactly one route or unserved.
#[derive(Debug)]
pub(crate) struct State {
    pub routes: Vec<RouteState>,
    /// Jobs the search tries to serve but that are in no route.
    pub unserved: Vec<u32>,
    /// Route of each job, or [`UNROUTED`].
    pub route_of: Vec<u32>,
    /// Route costs + vehicle weights + unserved weights.
    pub objective: i64,
}

impl Clone for State {
    fn clone(&self) -> Self {
        State {
            routes: self.routes.clone(),
            unserved: self.unserved.clone(),
            route_of: self.route_of.clone(),
            objective: self.objective,
        }
    }

    fn clone_from(&mut self, other: &Self) {
        self.routes.clone_from(&other.routes);
        self.unserved.clone_from(&other.unserved);
        self.route_of.clone_from(&other.route_of);
        self.objective = other.objective;
    }
}

impl State {
    /// All routes empty and every job in `jobs` unserved.
    pub(crate) fn empty(index: &Index, jobs: &[u32]) -> Self {
        let routes = (0..index.vehicles.len())
            .map(|v| RouteState::new(index, v))
            .collect();
        let mut state = State {
            routes,
            unserved: jobs.to_vec(),
            route_of: vec![UNROUTED; index.n_jobs],
            objective: 0,
        };
        state.refresh_objective(index);
        state
    }

    /// Recomputes the objective from the routes and the unserved list.
    pub(crate) fn refresh_objective(&mut self, index: &Index) {
        let routes: i64 = self
            .routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.cost + index.vehicle_weight)
            .sum();
        self.objective = routes
            + self
                .unserved
                .iter()
                .map(|&j| index.unserved_weight[j as usize])
                .sum::<i64>();
    }

    /// Places the listed jobs of each vehicle, in order, at their cheapest feasible position in
    /// its route; jobs not unserved in this state, or that do not fit, stay where they are.
    pub(crate) fn place(&mut self, index: &Index, start: &[(usize, Vec<u32>)]) {
        for (vehicle, jobs) in start {
            let Some(r) = self.routes.iter().position(|r| r.vehicle == *vehicle) else {
                continue;
            };
            for &job in jobs {
                let Some(at) = self.unserved.iter().position(|&j| j == job) else {
                    continue;
                };
                let route = &mut self.routes[r];
                if !route.can_take(index, job) {
                    continue;
                }
                if let Some(found) = route.best_insertion(index, job, || false) {
                    route.insert(index, found.pos, job);
                    self.route_of[job as usize] = r as u32;
                    self.unserved.swap_remove(at);
                }
            }
        }
        self.refresh_objective(index);
    }

    /// Number of routes that serve at least one job.
    pub(crate) fn used_routes(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }

    /// Takes every job out of route `r`.
    pub(crate) fn clear_route(&mut self, index: &Index, r: usize) {
        for &node in &self.routes[r].nodes {
            if !index.is_break(node) {
                self.route_of[node as usize] = UNROUTED;
                self.unserved.push(node);
            }
        }
        self.routes[r].remove_jobs(index, |_| true);
        self.refresh_objective(index);
    }
}
