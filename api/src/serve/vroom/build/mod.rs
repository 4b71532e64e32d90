//! From VROOM's input to the optimizer's model: locations (matrix indices in [`matrices`], or
//! coordinates snapped and routed on a loaded territory in [`roads`]), one profile per (profile,
//! speed factor) ([`profiles`]), jobs and vehicles with their checked fields ([`fields`]).
//! Every violation is collected with its JSON pointer.

mod fields;
mod matrices;
mod profiles;
mod roads;

use std::collections::HashMap;

use optimizer::model::{
    Break, Cost, Distance, Duration, Job, Load, LocationIdx, Objective, Problem, Profile,
    ProfileIdx, RouteLimits, TimeWindow, Vehicle, VehicleCosts,
};

use super::input::{self, Input};
use crate::error::{Error, Result, Violation};
use crate::serve::territories::Territories;
use fields::{non_negative, window, windows};

/// Latest time accepted (about 34,000 years of seconds: any Unix timestamp fits).
pub const HORIZON: i64 = 1 << 40;
/// Core costs are VROOM costs times this, so that per-hour and per-km prices stay integers.
pub const COST_SCALE: i64 = 36_000;
/// Penalty of leaving a job out, per priority level plus one: above any route cost.
const UNASSIGNED_PENALTY: i64 = 1 << 50;

/// What the answer needs besides the solution.
pub struct Built {
    /// The optimizer's problem.
    pub problem: Problem,
    /// Per location index: the `[lon, lat]` given, and the input's matrix index.
    pub places: Vec<(Option<[f64; 2]>, Option<usize>)>,
    /// Dimensions of the amounts.
    pub dims: usize,
}

/// A location of the core problem.
struct Place {
    coordinates: Option<[f64; 2]>,
    index: Option<usize>,
}

/// The places, profiles and each vehicle's profile of a built problem.
type Located = (Vec<Place>, Vec<Profile>, Vec<ProfileIdx>);

/// Builds the optimizer's problem.
///
/// # Errors
/// [`Error::Invalid`] with every violation; [`Error::Unavailable`] while territories load.
pub fn build(input: &Input, territories: Option<&Territories>) -> Result<Built> {
    let mut bad = Vec::new();
    refuse_unsupported(input, &mut bad);
    refuse_duplicates(input, &mut bad);
    let dims = dimensions(input, &mut bad);
    let custom = matrices::custom_matrices(input, &mut bad);
    let (places, profiles, vehicle_profile) = match custom {
        Some(custom) => matrices::from_matrices(input, &custom, &mut bad),
        None => roads::from_coordinates(input, territories, &mut bad)?,
    };
    if !bad.is_empty() {
        return Err(Error::Invalid(bad));
    }
    let jobs = (input.jobs.iter().enumerate())
        .map(|(i, job)| self::job(input, i, job, dims, &places, &mut bad))
        .collect();
    let vehicles = input
        .vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| vehicle(i, v, &vehicle_profile, dims, &places, &mut bad))
        .collect();
    if !bad.is_empty() {
        return Err(Error::Invalid(bad));
    }
    Ok(Built {
        problem: Problem {
            profiles,
            jobs,
            vehicles,
            objective: Objective::Cost,
        },
        places: places.iter().map(|p| (p.coordinates, p.index)).collect(),
        dims,
    })
}

/// Shipments and a fleet without vehicles are refused.
fn refuse_unsupported(input: &Input, bad: &mut Vec<Violation>) {
    if !input.shipments.is_empty() {
        bad.push(Violation::new(
            "/shipments",
            "shipments (pickup-and-delivery pairs) are not supported by Tournée's solver: \
             send single-location jobs",
        ));
    }
    if input.vehicles.is_empty() {
        bad.push(Violation::new(
            "/vehicles",
            "at least one vehicle is required",
        ));
    }
}

/// Job and vehicle ids are unique; job priorities are 0 to 100.
fn refuse_duplicates(input: &Input, bad: &mut Vec<Violation>) {
    let mut seen = HashMap::new();
    for (i, job) in input.jobs.iter().enumerate() {
        if let Some(first) = seen.insert(job.id, i) {
            bad.push(Violation::new(
                format!("/jobs/{i}/id"),
                format!("id {} is also jobs[{first}]'s", job.id),
            ));
        }
        if job.priority > 100 {
            bad.push(Violation::new(
                format!("/jobs/{i}/priority"),
                format!("must be 0 to 100, got {}", job.priority),
            ));
        }
    }
    let mut seen = HashMap::new();
    for (i, vehicle) in input.vehicles.iter().enumerate() {
        if let Some(first) = seen.insert(vehicle.id, i) {
            bad.push(Violation::new(
                format!("/vehicles/{i}/id"),
                format!("id {} is also vehicles[{first}]'s", vehicle.id),
            ));
        }
    }
}

/// The core job of job `i`: its place, service (setup included), windows, demand (delivery plus
/// pickup), skills and a penalty above any route cost per priority level.
fn job(
    input: &Input,
    i: usize,
    job: &input::Job,
    dims: usize,
    places: &[Place],
    bad: &mut Vec<Violation>,
) -> Job {
    let field = format!("/jobs/{i}");
    let delivery = amounts(
        if job.delivery.is_empty() {
            &job.amount
        } else {
            &job.delivery
        },
        dims,
    );
    let pickup = amounts(&job.pickup, dims);
    Job {
        location: LocationIdx(place_of_job(input, i, places)),
        service: Duration(
            non_negative(job.setup, format!("{field}/setup"), bad)
                + non_negative(job.service, format!("{field}/service"), bad),
        ),
        time_windows: windows(&job.time_windows, &format!("{field}/time_windows"), bad),
        demand: delivery
            .iter()
            .zip(&pickup)
            .map(|(d, p)| Load(d + p))
            .collect(),
        skills: job.skills.iter().map(u64::to_string).collect(),
        priority: job.priority + 1,
        penalty: Some(Cost(
            UNASSIGNED_PENALTY.saturating_mul(i64::from(job.priority) + 1),
        )),
        allowed_vehicles: None,
    }
}

/// An amount list, zeros when not given.
fn amounts(list: &[i64], dims: usize) -> Vec<i64> {
    if list.is_empty() {
        vec![0; dims]
    } else {
        list.to_vec()
    }
}

/// The number of amount dimensions, checking that every array has it.
fn dimensions(input: &Input, bad: &mut Vec<Violation>) -> usize {
    let mut arrays: Vec<(String, &[i64])> = Vec::new();
    for (i, v) in input.vehicles.iter().enumerate() {
        arrays.push((format!("/vehicles/{i}/capacity"), &v.capacity));
    }
    for (i, j) in input.jobs.iter().enumerate() {
        arrays.push((format!("/jobs/{i}/delivery"), &j.delivery));
        arrays.push((format!("/jobs/{i}/pickup"), &j.pickup));
        arrays.push((format!("/jobs/{i}/amount"), &j.amount));
    }
    let dims = arrays.iter().map(|(_, a)| a.len()).max().unwrap_or(0);
    for (field, array) in arrays {
        let vehicle = field.starts_with("/vehicles");
        if vehicle && array.is_empty() && dims > 0 {
            // Left out (or empty): the vehicle lacks its capacity.
            let (parent, _) = field.rsplit_once('/').unwrap_or(("", ""));
            bad.push(Violation::new(
                parent,
                format!("capacity is required: {dims} amounts, like the jobs'"),
            ));
        } else if (vehicle || !array.is_empty()) && array.len() != dims {
            bad.push(Violation::new(
                field.clone(),
                format!("must have {dims} amounts, like the others"),
            ));
        }
        if array.iter().any(|&x| x < 0) {
            bad.push(Violation::new(field, "amounts must not be negative"));
        }
    }
    dims
}

/// The core location of a coordinate or matrix index.
fn place(places: &[Place], at: Option<[f64; 2]>, index: Option<usize>) -> Option<usize> {
    match index {
        Some(i) if places.iter().any(|p| p.index.is_some()) => Some(i),
        _ => at.and_then(|at| {
            places
                .iter()
                .position(|p| p.coordinates == Some(at) && p.index.is_none())
        }),
    }
}

fn place_of_job(input: &Input, i: usize, places: &[Place]) -> u32 {
    let job = &input.jobs[i];
    place(places, job.location, job.location_index)
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(0)
}

fn vehicle(
    i: usize,
    v: &input::Vehicle,
    profiles: &[ProfileIdx],
    dims: usize,
    places: &[Place],
    bad: &mut Vec<Violation>,
) -> Vehicle {
    let field = format!("/vehicles/{i}");
    let to_idx = |p: Option<usize>| p.and_then(|p| u32::try_from(p).ok()).map(LocationIdx);
    let shift = match v.time_window {
        Some(w) => window(w, format!("{field}/time_window"), bad),
        None => TimeWindow {
            start: Duration(0),
            end: Duration(HORIZON),
        },
    };
    let costs = v
        .costs
        .as_ref()
        .map_or_else(input::Costs::default, |c| input::Costs {
            fixed: non_negative(c.fixed, format!("{field}/costs/fixed"), bad),
            per_hour: non_negative(c.per_hour, format!("{field}/costs/per_hour"), bad),
            per_km: non_negative(c.per_km, format!("{field}/costs/per_km"), bad),
        });
    Vehicle {
        start: to_idx(place(places, v.start, v.start_index)),
        end: to_idx(place(places, v.end, v.end_index)),
        shift,
        capacity: amounts(&v.capacity, dims).into_iter().map(Load).collect(),
        skills: v.skills.iter().map(u64::to_string).collect(),
        profile: profiles.get(i).copied().unwrap_or(ProfileIdx(0)),
        breaks: v
            .breaks
            .iter()
            .enumerate()
            .map(|(b, brk)| Break {
                time_windows: windows(
                    &brk.time_windows,
                    &format!("{field}/breaks/{b}/time_windows"),
                    bad,
                ),
                duration: Duration(non_negative(
                    brk.service,
                    format!("{field}/breaks/{b}/service"),
                    bad,
                )),
            })
            .collect(),
        limits: RouteLimits {
            max_travel_time: v
                .max_travel_time
                .map(|t| Duration(non_negative(t, format!("{field}/max_travel_time"), bad))),
            max_duration: None,
            max_distance: v
                .max_distance
                .map(|d| Distance(non_negative(d, format!("{field}/max_distance"), bad))),
            max_tasks: v.max_tasks,
        },
        costs: VehicleCosts {
            fixed: Cost(costs.fixed.saturating_mul(COST_SCALE)),
            per_distance: Cost(costs.per_km * (COST_SCALE / 1000)),
            per_duration: Cost(costs.per_hour * (COST_SCALE / 3600)),
        },
    }
}
