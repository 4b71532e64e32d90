//! Random small problems for tests: every model feature, small enough for brute force.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::model::{
    Break, Cost, Distance, Duration, Job, Load, LocationIdx, Objective, Problem, Profile,
    ProfileIdx, RouteLimits, TimeWindow, TravelTable, Vehicle, VehicleCosts, VehicleIdx,
};

/// Horizon of generated problems.
pub(crate) const HORIZON: i64 = 1000;

fn window(start: i64, end: i64) -> TimeWindow {
    TimeWindow {
        start: Duration(start),
        end: Duration(end),
    }
}

fn windows(rng: &mut impl Rng, rich: bool) -> Vec<TimeWindow> {
    if rng.random_bool(0.3) {
        return Vec::new();
    }
    let start = rng.random_range(0..HORIZON - 200);
    let end = start + rng.random_range(30..300);
    let mut list = vec![window(start, end)];
    if rich && rng.random_bool(0.4) {
        let next = end + rng.random_range(1..200);
        list.push(window(next, next + rng.random_range(0..200)));
    }
    list
}

/// A random job at one of the locations `1..locations`.
pub(crate) fn job(
    rng: &mut impl Rng,
    locations: u32,
    vehicles: usize,
    dims: usize,
    rich: bool,
) -> Job {
    Job {
        location: LocationIdx(rng.random_range(1..locations)),
        service: Duration(rng.random_range(0..30)),
        time_windows: windows(rng, rich),
        demand: (0..dims).map(|_| Load(rng.random_range(0..6))).collect(),
        skills: if rich && rng.random_bool(0.2) {
            vec!["ramp".to_string()]
        } else {
            Vec::new()
        },
        priority: rng.random_range(1..4),
        penalty: if rng.random_bool(0.7) {
            Some(Cost(rng.random_range(0..3000)))
        } else {
            None
        },
        allowed_vehicles: if rich && rng.random_bool(0.1) {
            Some(vec![VehicleIdx(rng.random_range(0..vehicles as u32))])
        } else {
            None
        },
    }
}

fn vehicle(rng: &mut impl Rng, dims: usize, profiles: u32, rich: bool) -> Vehicle {
    let some_or_none = |rng: &mut Pcg64Mcg, p: f64, value: i64| {
        if rng.random_bool(p) {
            Some(value)
        } else {
            None
        }
    };
    let mut local = Pcg64Mcg::seed_from_u64(rng.random());
    let limits = if rich {
        RouteLimits {
            max_travel_time: some_or_none(&mut local, 0.15, 900).map(Duration),
            max_duration: some_or_none(&mut local, 0.15, 700).map(Duration),
            max_distance: some_or_none(&mut local, 0.15, 1500).map(Distance),
            max_tasks: some_or_none(&mut local, 0.15, 3).map(|t| t as u32),
        }
    } else {
        RouteLimits::default()
    };
    let breaks = if rich {
        (0..rng.random_range(0..3))
            .map(|b| Break {
                time_windows: if rng.random_bool(0.2) {
                    Vec::new()
                } else {
                    vec![window(300 + 200 * b, 500 + 200 * b)]
                },
                duration: Duration(rng.random_range(10..60)),
            })
            .collect()
    } else {
        Vec::new()
    };
    Vehicle {
        start: if rich && rng.random_bool(0.2) {
            None
        } else {
            Some(LocationIdx(0))
        },
        end: if rich && rng.random_bool(0.2) {
            None
        } else {
            Some(LocationIdx(rng.random_range(0..2)))
        },
        shift: window(rng.random_range(0..100), HORIZON + rng.random_range(0..200)),
        capacity: (0..dims).map(|_| Load(rng.random_range(8..20))).collect(),
        skills: if rich && rng.random_bool(0.5) {
            vec!["ramp".to_string()]
        } else {
            Vec::new()
        },
        profile: ProfileIdx(rng.random_range(0..profiles)),
        breaks,
        limits,
        costs: VehicleCosts {
            fixed: Cost(rng.random_range(0..200)),
            per_distance: Cost(rng.random_range(1..4)),
            per_duration: Cost(if rich { rng.random_range(0..2) } else { 0 }),
        },
    }
}

fn profile(points: &[(f64, f64)], slowdown: u32) -> Profile {
    let distance = |a: usize, b: usize| {
        ((points[a].0 - points[b].0).hypot(points[a].1 - points[b].1) * 10.0).round() as u32
    };
    Profile::new(TravelTable::from_fn(points.len(), |a, b| {
        (distance(a, b) * slowdown / 10, distance(a, b))
    }))
}

/// A random problem with `jobs` jobs and `vehicles` vehicles; `rich` turns on several windows,
/// breaks, skills, open routes, limits, duration costs, two profiles and two dimensions.
pub(crate) fn problem(seed: u64, jobs: usize, vehicles: usize, rich: bool) -> Problem {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let locations = jobs as u32 + 2;
    let points: Vec<(f64, f64)> = (0..locations)
        .map(|_| (rng.random_range(0.0..40.0), rng.random_range(0.0..40.0)))
        .collect();
    let profiles = if rich {
        vec![profile(&points, 10), profile(&points, 15)]
    } else {
        vec![profile(&points, 10)]
    };
    let dims = if rich { 2 } else { 1 };
    let vehicles_list = (0..vehicles.max(1))
        .map(|_| vehicle(&mut rng, dims, profiles.len() as u32, rich))
        .collect();
    let jobs_list = (0..jobs)
        .map(|_| job(&mut rng, locations, vehicles.max(1), dims, rich))
        .collect();
    let objective = if rich && rng.random_bool(0.3) {
        Objective::Cost
    } else {
        Objective::Lexicographic
    };
    Problem {
        profiles,
        jobs: jobs_list,
        vehicles: vehicles_list,
        objective,
    }
}
