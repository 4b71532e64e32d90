//! One route of a core solution in VROOM's layout: its steps (start, jobs, breaks, end) with
//! loads, arrivals and waiting, and its totals; and a job left out.

use optimizer::model::{JobIdx, LocationIdx, Problem, Profile, Vehicle};
use optimizer::solution::{self, StopKind};

use super::build::Built;
use super::input::Input;
use super::output::{Route, Step, Unassigned};

/// VROOM's hourly price of travel when a vehicle gives no costs.
const DEFAULT_PER_HOUR: i64 = 3_600;

/// What writing a solution needs: the input (ids, descriptions, amounts) and what was built
/// from it (the core problem, the places).
pub struct Layout<'a> {
    input: &'a Input,
    built: &'a Built,
}

/// A place as VROOM names it: `[lon, lat]` and matrix index, each when given.
type Place = (Option<[f64; 2]>, Option<usize>);

impl<'a> Layout<'a> {
    /// The layout of solutions of `built`, made from `input`.
    pub fn new(input: &'a Input, built: &'a Built) -> Self {
        Layout { input, built }
    }

    fn problem(&self) -> &'a Problem {
        &self.built.problem
    }

    fn place(&self, at: LocationIdx) -> Place {
        self.built
            .places
            .get(at.get())
            .copied()
            .unwrap_or((None, None))
    }

    /// An amount list, zeros when not given.
    fn amounts(&self, list: &[i64]) -> Vec<i64> {
        if list.is_empty() {
            vec![0; self.built.dims]
        } else {
            list.to_vec()
        }
    }

    /// What job `j` delivers (its `delivery`, else its deprecated `amount`).
    fn delivery_of(&self, j: usize) -> Vec<i64> {
        let job = &self.input.jobs[j];
        self.amounts(if job.delivery.is_empty() {
            &job.amount
        } else {
            &job.delivery
        })
    }

    /// A job left out.
    pub fn unassigned(&self, job: JobIdx) -> Unassigned {
        let given = &self.input.jobs[job.get()];
        let (location, location_index) = self.place(self.problem().jobs[job.get()].location);
        Unassigned {
            id: given.id,
            kind: "job",
            location,
            location_index,
            description: given.description.clone(),
        }
    }

    /// A vehicle's route with its steps and totals.
    pub fn route(&self, route: &solution::Route) -> Route {
        let v = route.vehicle.get();
        let problem = self.problem();
        let vehicle = &problem.vehicles[v];
        let jobs: Vec<usize> = route
            .stops
            .iter()
            .filter_map(|s| match s.kind {
                StopKind::Job(j) => Some(j.get()),
                StopKind::Break(_) => None,
            })
            .collect();
        let mut load = vec![0; self.built.dims];
        for &j in &jobs {
            for (l, d) in load.iter_mut().zip(self.delivery_of(j)) {
                *l += d;
            }
        }
        let mut walk = Walk {
            layout: self,
            profile: &problem.profiles[vehicle.profile.get()],
            delivered: load.clone(),
            picked: vec![0; self.built.dims],
            load,
            previous: vehicle
                .start
                .or_else(|| jobs.first().map(|&j| problem.jobs[j].location)),
            // Arrivals follow from when the previous step ends rather than from the core's
            // `Stop::arrival`, which for the first stop assumes a departure at the shift start
            // although the vehicle leaves just in time (`optimizer::model`): VROOM's
            // arrival = previous arrival + waiting + service + travel then holds at every step.
            clock: route.departure.0,
            travel: 0,
            distance: 0,
            service: 0,
            waiting: 0,
            priority: 0,
            steps: Vec::new(),
        };
        walk.terminal("start", vehicle.start, route.departure.0);
        for stop in &route.stops {
            match stop.kind {
                StopKind::Job(j) => walk.job(j, stop.start.0),
                StopKind::Break(b) => walk.pause(v, b as usize, stop.start.0),
            }
        }
        walk.back(vehicle);
        walk.terminal("end", vehicle.end, route.arrival.0);
        let given = &self.input.vehicles[v];
        Route {
            vehicle: given.id,
            cost: self.cost(v, walk.travel, walk.distance),
            setup: 0,
            service: walk.service,
            duration: walk.travel,
            waiting_time: walk.waiting,
            priority: walk.priority,
            delivery: walk.delivered.clone(),
            pickup: walk.picked,
            amount: walk.delivered,
            description: given.description.clone(),
            distance: walk.distance,
            violations: Vec::new(),
            steps: walk.steps,
        }
    }

    /// VROOM's cost of a route: fixed + per_hour × travel hours + per_km × km.
    fn cost(&self, vehicle: usize, travel: i64, distance: i64) -> i64 {
        let (fixed, per_hour, per_km) = self.input.vehicles[vehicle]
            .costs
            .as_ref()
            .map_or((0, DEFAULT_PER_HOUR, 0), |c| {
                (c.fixed, c.per_hour, c.per_km)
            });
        fixed + (per_hour * travel + per_km * distance + 1800) / 3600
    }
}

/// A route being written step by step, with its running load and totals.
struct Walk<'a> {
    layout: &'a Layout<'a>,
    profile: &'a Profile,
    /// What the route delivers in all.
    delivered: Vec<i64>,
    /// What it has picked up so far.
    picked: Vec<i64>,
    /// Load after the last step.
    load: Vec<i64>,
    /// Where the vehicle is.
    previous: Option<LocationIdx>,
    /// When the last step ends.
    clock: i64,
    travel: i64,
    distance: i64,
    service: i64,
    waiting: i64,
    priority: u64,
    steps: Vec<Step>,
}

impl Walk<'_> {
    /// A step with the running load and totals.
    fn step(&self, kind: &'static str, place: Place, arrival: i64) -> Step {
        Step {
            kind,
            location: place.0,
            location_index: place.1,
            id: None,
            job: None,
            description: None,
            setup: 0,
            service: 0,
            waiting_time: 0,
            load: self.load.clone(),
            arrival,
            duration: self.travel,
            distance: self.distance,
        }
    }

    /// The start or end of the route, at the vehicle's place if it has one.
    fn terminal(&mut self, kind: &'static str, at: Option<LocationIdx>, arrival: i64) {
        let place = at.map_or((None, None), |at| self.layout.place(at));
        let step = self.step(kind, place, arrival);
        self.steps.push(step);
    }

    /// Drives to job `j` and serves it from `start`.
    fn job(&mut self, j: JobIdx, start: i64) {
        let layout = self.layout;
        let job = &layout.problem().jobs[j.get()];
        let leg = self
            .previous
            .map_or(0, |from| self.profile.duration(from, job.location).0);
        self.travel += leg;
        if let Some(from) = self.previous {
            self.distance += self.profile.distance(from, job.location).0;
        }
        self.previous = Some(job.location);
        let given = &layout.input.jobs[j.get()];
        let pickup = layout.amounts(&given.pickup);
        for ((l, d), p) in self
            .load
            .iter_mut()
            .zip(layout.delivery_of(j.get()))
            .zip(&pickup)
        {
            *l += p - d;
        }
        for (total, p) in self.picked.iter_mut().zip(&pickup) {
            *total += p;
        }
        let arrival = self.clock + leg;
        let wait = start - arrival;
        self.clock = start + job.service.0;
        self.service += job.service.0;
        self.waiting += wait;
        self.priority += u64::from(given.priority);
        let step = Step {
            id: Some(given.id),
            job: Some(given.id),
            description: given.description.clone(),
            service: job.service.0,
            waiting_time: wait,
            ..self.step("job", layout.place(job.location), arrival)
        };
        self.steps.push(step);
    }

    /// Takes break `b` of vehicle `v` from `start`, where the vehicle is.
    fn pause(&mut self, v: usize, b: usize, start: i64) {
        let given = &self.layout.input.vehicles[v].breaks[b];
        let arrival = self.clock;
        let wait = start - arrival;
        self.clock = start + given.service;
        self.service += given.service;
        self.waiting += wait;
        let step = Step {
            id: Some(given.id),
            description: given.description.clone(),
            service: given.service,
            waiting_time: wait,
            ..self.step("break", (None, None), arrival)
        };
        self.steps.push(step);
    }

    /// Drives back to the vehicle's end, if it has one.
    fn back(&mut self, vehicle: &Vehicle) {
        if let (Some(end), Some(from)) = (vehicle.end, self.previous) {
            self.travel += self.profile.duration(from, end).0;
            self.distance += self.profile.distance(from, end).0;
        }
    }
}
