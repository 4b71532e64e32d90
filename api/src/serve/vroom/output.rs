//! VROOM's output layout: `code`, `summary`, `unassigned`, `routes` with `steps`.

use optimizer::model::{LocationIdx, Problem};
use optimizer::solution::{Solution, StopKind};
use serde::Serialize;
use utoipa::ToSchema;

use super::build::Built;
use super::input::Input;

/// The solution, as VROOM writes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Output {
    /// 0: no error.
    pub code: u8,
    /// Totals.
    pub summary: Summary,
    /// Jobs left out.
    pub unassigned: Vec<Unassigned>,
    /// One route per used vehicle.
    pub routes: Vec<Route>,
}

/// Totals over the routes.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Summary {
    /// Total cost.
    pub cost: i64,
    /// Routes.
    pub routes: usize,
    /// Jobs left out.
    pub unassigned: usize,
    /// Setup time (always 0: setup is counted in the service).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Travel time.
    pub duration: i64,
    /// Waiting time.
    pub waiting_time: i64,
    /// Sum of the priorities of served jobs.
    pub priority: u64,
    /// Delivered amounts.
    pub delivery: Vec<i64>,
    /// Picked-up amounts.
    pub pickup: Vec<i64>,
    /// Deprecated synonym of `delivery`.
    pub amount: Vec<i64>,
    /// Travel distance, metres.
    pub distance: i64,
    /// Always empty: every constraint holds.
    pub violations: Vec<serde_json::Value>,
    /// Milliseconds spent.
    pub computing_times: ComputingTimes,
}

/// Milliseconds spent.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ComputingTimes {
    /// Reading, snapping, matrices.
    pub loading: u64,
    /// Solving.
    pub solving: u64,
    /// Route geometry (never computed).
    pub routing: u64,
}

/// A job left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unassigned {
    /// Its id.
    pub id: u64,
    /// Always `job`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its `[lon, lat]`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub location: Option<[f64; 2]>,
    /// Its matrix index, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Its description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A vehicle's route.
#[derive(Debug, Serialize, ToSchema)]
pub struct Route {
    /// The vehicle's id.
    pub vehicle: u64,
    /// Cost.
    pub cost: i64,
    /// Setup (0).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Travel time.
    pub duration: i64,
    /// Waiting time.
    pub waiting_time: i64,
    /// Sum of the priorities of its jobs.
    pub priority: u64,
    /// Delivered amounts.
    pub delivery: Vec<i64>,
    /// Picked-up amounts.
    pub pickup: Vec<i64>,
    /// Deprecated synonym of `delivery`.
    pub amount: Vec<i64>,
    /// The vehicle's description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Travel distance, metres.
    pub distance: i64,
    /// Always empty.
    pub violations: Vec<serde_json::Value>,
    /// Start, jobs, breaks, end.
    pub steps: Vec<Step>,
}

/// One step of a route.
#[derive(Debug, Serialize, ToSchema)]
pub struct Step {
    /// `start`, `job`, `break` or `end`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `[lon, lat]`, when given in input.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub location: Option<[f64; 2]>,
    /// Matrix index, when given in input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// The job's or break's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Deprecated synonym of `id` for jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<u64>,
    /// Its description, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Setup (0).
    pub setup: i64,
    /// Service time.
    pub service: i64,
    /// Waiting before the service.
    pub waiting_time: i64,
    /// Load after the step.
    pub load: Vec<i64>,
    /// Arrival time.
    pub arrival: i64,
    /// Travel time so far.
    pub duration: i64,
    /// Distance so far, metres.
    pub distance: i64,
}

/// VROOM's cost of a route: fixed + per_hour × travel hours + per_km × km.
fn cost(input: &Input, vehicle: usize, travel: i64, distance: i64) -> i64 {
    let (fixed, per_hour, per_km) = input.vehicles[vehicle]
        .costs
        .as_ref()
        .map_or((0, 3600, 0), |c| (c.fixed, c.per_hour, c.per_km));
    fixed + (per_hour * travel + per_km * distance + 1800) / 3600
}

/// Writes the solution in VROOM's layout.
pub fn output(
    input: &Input,
    built: &Built,
    solution: &Solution,
    loading_ms: u64,
    solving_ms: u64,
) -> Output {
    let problem: &Problem = &built.problem;
    let dims = built.dims;
    let place = |at: LocationIdx| built.places.get(at.get()).copied().unwrap_or((None, None));
    let amounts = |list: &[i64]| {
        if list.is_empty() {
            vec![0; dims]
        } else {
            list.to_vec()
        }
    };
    let mut summary = Summary {
        delivery: vec![0; dims],
        pickup: vec![0; dims],
        amount: vec![0; dims],
        ..Summary::default()
    };
    let mut routes = Vec::new();
    for route in &solution.routes {
        let v = route.vehicle.get();
        let vehicle = &problem.vehicles[v];
        let profile = &problem.profiles[vehicle.profile.get()];
        let jobs: Vec<usize> = route
            .stops
            .iter()
            .filter_map(|s| match s.kind {
                StopKind::Job(j) => Some(j.get()),
                StopKind::Break(_) => None,
            })
            .collect();
        let delivery_of = |j: usize| {
            let job = &input.jobs[j];
            amounts(if job.delivery.is_empty() {
                &job.amount
            } else {
                &job.delivery
            })
        };
        let mut load = vec![0; dims];
        for &j in &jobs {
            for (l, d) in load.iter_mut().zip(delivery_of(j)) {
                *l += d;
            }
        }
        let mut steps = Vec::new();
        let mut previous = vehicle
            .start
            .or_else(|| jobs.first().map(|&j| problem.jobs[j].location));
        let (mut travel, mut distance, mut service, mut waiting) = (0i64, 0i64, 0i64, 0i64);
        let (delivered, picked) = (load.clone(), vec![0; dims]);
        let mut picked = picked;
        let (at, index) = vehicle.start.map_or((None, None), place);
        steps.push(Step {
            kind: "start",
            location: at,
            location_index: index,
            id: None,
            job: None,
            description: None,
            setup: 0,
            service: 0,
            waiting_time: 0,
            load: load.clone(),
            arrival: route.departure.0,
            duration: 0,
            distance: 0,
        });
        let mut priority = 0u64;
        // When the previous step ends. Arrivals follow from it rather than from the core's
        // `Stop::arrival`, which for the first stop assumes a departure at the shift start
        // although the vehicle leaves just in time (`optimizer::model`): VROOM's
        // arrival = previous arrival + waiting + service + travel then holds at every step.
        let mut clock = route.departure.0;
        for stop in &route.stops {
            match stop.kind {
                StopKind::Job(j) => {
                    let job = &problem.jobs[j.get()];
                    let leg = previous.map_or(0, |from| profile.duration(from, job.location).0);
                    travel += leg;
                    if let Some(from) = previous {
                        distance += profile.distance(from, job.location).0;
                    }
                    previous = Some(job.location);
                    let given = &input.jobs[j.get()];
                    for ((l, d), p) in load
                        .iter_mut()
                        .zip(delivery_of(j.get()))
                        .zip(amounts(&given.pickup))
                    {
                        *l += p - d;
                    }
                    for (total, p) in picked.iter_mut().zip(amounts(&given.pickup)) {
                        *total += p;
                    }
                    let arrival = clock + leg;
                    let wait = stop.start.0 - arrival;
                    clock = stop.start.0 + job.service.0;
                    service += job.service.0;
                    waiting += wait;
                    priority += u64::from(given.priority);
                    let (at, index) = place(job.location);
                    steps.push(Step {
                        kind: "job",
                        location: at,
                        location_index: index,
                        id: Some(given.id),
                        job: Some(given.id),
                        description: given.description.clone(),
                        setup: 0,
                        service: job.service.0,
                        waiting_time: wait,
                        load: load.clone(),
                        arrival,
                        duration: travel,
                        distance,
                    });
                }
                StopKind::Break(b) => {
                    let given = &input.vehicles[v].breaks[b as usize];
                    let arrival = clock;
                    let wait = stop.start.0 - arrival;
                    clock = stop.start.0 + given.service;
                    service += given.service;
                    waiting += wait;
                    steps.push(Step {
                        kind: "break",
                        location: None,
                        location_index: None,
                        id: Some(given.id),
                        job: None,
                        description: given.description.clone(),
                        setup: 0,
                        service: given.service,
                        waiting_time: wait,
                        load: load.clone(),
                        arrival,
                        duration: travel,
                        distance,
                    });
                }
            }
        }
        if let (Some(end), Some(from)) = (vehicle.end, previous) {
            travel += profile.duration(from, end).0;
            distance += profile.distance(from, end).0;
        }
        let (at, index) = vehicle.end.map_or((None, None), place);
        steps.push(Step {
            kind: "end",
            location: at,
            location_index: index,
            id: None,
            job: None,
            description: None,
            setup: 0,
            service: 0,
            waiting_time: 0,
            load: load.clone(),
            arrival: route.arrival.0,
            duration: travel,
            distance,
        });
        let cost = cost(input, v, travel, distance);
        summary.cost += cost;
        summary.service += service;
        summary.duration += travel;
        summary.waiting_time += waiting;
        summary.priority += priority;
        summary.distance += distance;
        for k in 0..dims {
            summary.delivery[k] += delivered[k];
            summary.amount[k] += delivered[k];
            summary.pickup[k] += picked[k];
        }
        routes.push(Route {
            vehicle: input.vehicles[v].id,
            cost,
            setup: 0,
            service,
            duration: travel,
            waiting_time: waiting,
            priority,
            delivery: delivered.clone(),
            pickup: picked,
            amount: delivered,
            description: input.vehicles[v].description.clone(),
            distance,
            violations: Vec::new(),
            steps,
        });
    }
    let unassigned: Vec<Unassigned> = solution
        .unserved
        .iter()
        .map(|u| {
            let given = &input.jobs[u.job.get()];
            let (location, location_index) = place(problem.jobs[u.job.get()].location);
            Unassigned {
                id: given.id,
                kind: "job",
                location,
                location_index,
                description: given.description.clone(),
            }
        })
        .collect();
    summary.routes = routes.len();
    summary.unassigned = unassigned.len();
    summary.computing_times = ComputingTimes {
        loading: loading_ms,
        solving: solving_ms,
        routing: 0,
    };
    Output {
        code: 0,
        summary,
        unassigned,
        routes,
    }
}
