//! SISR recreate: greedy insertion with blinks, in one of several random job orders.

use rand::Rng;
use rand::seq::SliceRandom;

use super::near_routes::NearRoutes;
use super::state::State;
use crate::index::Index;
use crate::route::{Insertion, RouteState};

/// Orders in which unserved jobs are reinserted, with their relative weights (from the SISR
/// paper: random 4, largest demand 4, farthest from the depot 2, closest 1).
const ORDERS: [(Order, u32); 4] = [
    (Order::Random, 4),
    (Order::Demand, 4),
    (Order::Far, 2),
    (Order::Close, 1),
];

/// Share of recreates that insert the most important jobs first, each weight class in the order
/// drawn (a stable sort). Otherwise, on an over-subscribed week, a low-priority visit may take
/// the hours a higher one needed; always doing it costs the search the diversity of orders.
const PRIORITY_FIRST: f64 = 0.5;

#[derive(Debug, Clone, Copy)]
enum Order {
    Random,
    Demand,
    Far,
    Close,
}

fn pick_order(rng: &mut impl Rng) -> Order {
    let total: u32 = ORDERS.iter().map(|(_, w)| w).sum();
    let mut draw = rng.random_range(0..total);
    for (order, weight) in ORDERS {
        if draw < weight {
            return order;
        }
        draw -= weight;
    }
    Order::Random
}

/// The cheapest insertion of one job found so far, over the routes priced for it.
struct Cheapest {
    /// Route and insertion (its delta includes the vehicle weight when the route is empty).
    found: Option<(usize, Insertion)>,
    /// Vehicle classes whose empty route has been priced: one empty vehicle per class is enough.
    tried_class: Vec<bool>,
}

impl Cheapest {
    fn new(index: &Index) -> Self {
        Cheapest {
            found: None,
            tried_class: vec![false; index.vehicles.len()],
        }
    }

    /// Forgets the previous job's insertion.
    fn reset(&mut self) {
        self.found = None;
        self.tried_class.fill(false);
    }

    /// Prices `job` in route `r`, unless it is empty and either no route may be opened
    /// (`may_open` false) or an empty vehicle of its class was priced already.
    #[allow(clippy::too_many_arguments)]
    fn price(
        &mut self,
        index: &Index,
        route: &RouteState,
        r: usize,
        job: u32,
        may_open: bool,
        blink: f64,
        rng: &mut impl Rng,
    ) {
        let extra = if route.is_empty() {
            let class = index.vehicles[route.vehicle].class;
            if !may_open || self.tried_class[class] {
                return;
            }
            self.tried_class[class] = true;
            index.vehicle_weight
        } else {
            0
        };
        if !route.can_take(index, job) {
            return;
        }
        if let Some(found) = route.best_insertion(index, job, || rng.random_bool(blink)) {
            let delta = found.delta + extra;
            if self.found.is_none_or(|(_, b)| delta < b.delta) {
                let pos = found.pos;
                self.found = Some((r, Insertion { pos, delta }));
            }
        }
    }

    /// The insertion found, if it costs less than leaving `job` out.
    fn worth_it(&self, index: &Index, job: u32) -> Option<(usize, Insertion)> {
        self.found
            .filter(|(_, i)| i.delta < index.unserved_weight[job as usize])
    }
}

/// Inserts every unserved job of `state` at its cheapest position, skipping each position with
/// probability `blink`; jobs with no feasible position, or whose insertion costs more than
/// leaving them out stay unserved. Empty vehicles are opened only while fewer
/// than `max_routes` routes are in use.
///
/// Granular: a job is priced first in the routes of its nearest jobs ([`NearRoutes`]) and in
/// the empty ones; only when none of those takes it at a price worth paying are the other
/// routes priced, so a job is left out only when no route takes it worthwhile.
pub(crate) fn recreate(
    index: &Index,
    state: &mut State,
    max_routes: usize,
    blink: f64,
    rng: &mut impl Rng,
) {
    let mut pending = std::mem::take(&mut state.unserved);
    pending.shuffle(rng);
    let total_demand = |j: &u32| index.demand(*j as usize).iter().sum::<i64>();
    match pick_order(rng) {
        Order::Random => {}
        Order::Demand => pending.sort_by_key(|j| std::cmp::Reverse(total_demand(j))),
        Order::Far => pending.sort_by_key(|&j| std::cmp::Reverse(index.depot_distance[j as usize])),
        Order::Close => pending.sort_by_key(|&j| index.depot_distance[j as usize]),
    }
    let weight = |&j: &u32| index.unserved_weight[j as usize];
    let mixed = pending.iter().map(weight).min() != pending.iter().map(weight).max();
    if mixed && rng.random_bool(PRIORITY_FIRST) {
        pending.sort_by_key(|j| std::cmp::Reverse(weight(j)));
    }
    let mut near = NearRoutes::new(state.routes.len());
    let mut cheapest = Cheapest::new(index);
    let mut used = state.used_routes();
    for job in pending {
        cheapest.reset();
        near.mark(index, state, job);
        let may_open = used < max_routes;
        for (r, route) in state.routes.iter().enumerate() {
            if near.holds(r) || route.is_empty() {
                cheapest.price(index, route, r, job, may_open, blink, rng);
            }
        }
        if cheapest.worth_it(index, job).is_none() {
            for (r, route) in state.routes.iter().enumerate() {
                if !near.holds(r) && !route.is_empty() {
                    cheapest.price(index, route, r, job, may_open, blink, rng);
                }
            }
        }
        match cheapest.worth_it(index, job) {
            Some((r, insertion)) => {
                used += usize::from(state.routes[r].is_empty());
                state.routes[r].insert(index, insertion.pos, job);
                state.route_of[job as usize] = r as u32;
            }
            None => state.unserved.push(job),
        }
    }
    state.refresh_objective(index);
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::recreate;
    use crate::index::Index;
    use crate::model::{
        Cost, Duration, Job, LocationIdx, Objective, Problem, Profile, ProfileIdx, RouteLimits,
        TimeWindow, TravelTable, Vehicle, VehicleCosts,
    };
    use crate::search::near_routes::NEAR_JOBS;
    use crate::search::state::State;
    use crate::tests::one_slot;

    /// Job of the cluster's last visit, of the lone far visit and of the visit to insert.
    const FAR: u32 = NEAR_JOBS as u32;
    const NEW: u32 = FAR + 1;

    /// A depot (0), a cluster of [`NEAR_JOBS`] visits 10 from the depot and 1 from each other
    /// (places 1..), one far visit 100 from everything but the new one (2 away), and the new
    /// visit 1 from the depot and the cluster. Deliberately not metric: inserting the new visit
    /// before the far one saves 97, while its nearest jobs (the cluster) sit in vehicle 0's
    /// route, where it saves at most 8. Vehicle 0 takes at most `cluster_tasks` visits.
    fn cluster_and_far_visit(cluster_tasks: u32) -> Problem {
        let far = NEAR_JOBS + 1;
        let new = far + 1;
        let table = TravelTable::from_fn(new + 1, |a, b| {
            let d = match (a.min(b), a.max(b)) {
                (a, b) if a == b => 0,
                (0, b) if b == new => 1,
                (0, b) if b == far => 100,
                (0, _) => 10,
                (a, b) if a == far && b == new => 2,
                (_, b) if b == far => 100,
                _ => 1,
            };
            (d, d)
        });
        let vehicle = |max_tasks: Option<u32>| Vehicle {
            start: Some(LocationIdx(0)),
            end: Some(LocationIdx(0)),
            shift: TimeWindow {
                start: Duration(0),
                end: Duration(100_000),
            },
            capacity: Vec::new(),
            skills: Vec::new(),
            profile: ProfileIdx(0),
            breaks: Vec::new(),
            limits: RouteLimits {
                max_tasks,
                ..RouteLimits::default()
            },
            costs: VehicleCosts {
                fixed: Cost(0),
                per_distance: Cost(1),
                per_duration: Cost(0),
            },
        };
        Problem {
            profiles: vec![Profile::new(table)],
            jobs: (1..=new as u32)
                .map(|place| Job {
                    penalty: Some(Cost(1_000_000)),
                    ..Job::at(LocationIdx(place))
                })
                .collect(),
            vehicles: vec![vehicle(Some(cluster_tasks)), vehicle(None)],
            objective: Objective::Cost,
        }
    }

    /// Vehicle 0 serves the cluster, vehicle 1 the far visit; recreate places the new visit.
    fn route_of_new_visit(problem: &Problem) -> u32 {
        let index = Index::new(problem).expect("a valid problem");
        let mut state = State::empty(&index, &(0..=NEW).collect::<Vec<_>>());
        state.place(&index, &[(0, (0..FAR).collect()), (1, vec![FAR])]);
        assert_eq!(
            state.unserved,
            [NEW],
            "only the new visit is left to insert"
        );
        recreate(
            &index,
            &mut state,
            usize::MAX,
            0.0,
            &mut Pcg64Mcg::seed_from_u64(1),
        );
        state.route_of[NEW as usize]
    }

    /// Granular recreate: a route that serves one of the job's nearest jobs and takes it is
    /// preferred to a cheaper route that serves none of them (pricing every route chose the far
    /// one).
    #[test]
    fn a_job_goes_to_a_route_of_its_neighbours_when_one_takes_it() {
        assert_eq!(route_of_new_visit(&cluster_and_far_visit(NEW)), 0);
    }

    /// The fallback: when no route of the job's nearest jobs takes it (vehicle 0 is at its task
    /// limit), the other routes are priced, so the job is not left out.
    #[test]
    fn a_job_no_neighbour_route_takes_goes_to_another_route() {
        assert_eq!(route_of_new_visit(&cluster_and_far_visit(FAR)), 1);
    }

    /// Two visits compete for one slot: the near one of priority 10 and the far one of priority
    /// 50. Drawn orders alone put the far one first in about 55 % of recreates (half the random
    /// and demand orders, every far-first order); with the important jobs first in half of
    /// them, about 77 %.
    #[test]
    fn the_more_important_of_two_competing_jobs_is_usually_inserted_first() {
        let problem = one_slot(10, 50);
        let index = Index::new(&problem).expect("a valid problem");
        let seeds: u64 = 400;
        let important_served = (0..seeds)
            .filter(|&seed| {
                let mut state = State::empty(&index, &[0, 1]);
                recreate(
                    &index,
                    &mut state,
                    1,
                    0.0,
                    &mut Pcg64Mcg::seed_from_u64(seed),
                );
                state.unserved == [0]
            })
            .count();
        assert!(
            important_served as u64 * 10 > seeds * 7,
            "the priority-50 job was served in {important_served} of {seeds} recreates"
        );
    }
}
