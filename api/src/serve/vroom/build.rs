//! From VROOM's input to the optimizer's model: locations (matrix indices, or coordinates
//! snapped and routed on a loaded territory), one profile per (profile, speed factor), jobs
//! and vehicles. Every violation is collected with its JSON pointer.

use std::collections::{BTreeMap, HashMap};

use optimizer::model::{
    Break, Cost, Distance, Duration, Job, Load, LocationIdx, Objective, Problem, Profile,
    ProfileIdx, RouteLimits, TimeWindow, TravelTable, Vehicle, VehicleCosts,
};
use osm_data::geo::Coord;
use osm_data::profile::{Profile as RoadProfile, ProfileKind};
use osm_data::router::DEFAULT_SNAP_LIMIT_M;

use super::input::{self, Input, Window};
use crate::error::{Error, Result, Violation, pointer_token};
use crate::serve::territories::Territories;

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

/// openrouteservice's profile names and the kind of unit each is routed as: a car as a car; a
/// heavy goods vehicle (over 3.5 t) as the bus, the only unit that heavy, so that its height,
/// weight and length limits hold; every bicycle as the cargo tricycle; a walker on foot.
/// openrouteservice's `cycling-mountain`, `foot-hiking` and `wheelchair` have no counterpart.
const ORS_PROFILES: [(&str, ProfileKind); 6] = [
    ("driving-car", ProfileKind::Car),
    ("driving-hgv", ProfileKind::Bus),
    ("cycling-regular", ProfileKind::Triporteur),
    ("cycling-electric", ProfileKind::Triporteur),
    ("cycling-road", ProfileKind::Triporteur),
    ("foot-walking", ProfileKind::Foot),
];

/// The routing profile named by a Tournée kind or an openrouteservice profile name.
fn road_kind(name: &str) -> Option<ProfileKind> {
    ORS_PROFILES
        .iter()
        .find(|(ors, _)| *ors == name)
        .map(|(_, kind)| *kind)
        .or_else(|| name.parse().ok())
}

/// Why a vehicle's profile name is refused: the names accepted, Tournée's and openrouteservice's.
fn unknown_profile(name: &str) -> String {
    let kinds: Vec<&str> = ProfileKind::ALL.iter().map(|k| k.name()).collect();
    let ors: Vec<String> = ORS_PROFILES
        .iter()
        .map(|(ors, kind)| format!("{ors} ({kind})"))
        .collect();
    format!(
        "unknown profile {name:?}: expected one of {}, or openrouteservice's {}",
        kinds.join(", "),
        ors.join(", ")
    )
}

/// One time window, checked: `[start, end]` within the horizon, at `field`.
fn window(w: Window, field: String, out: &mut Vec<Violation>) -> TimeWindow {
    if w[0] < 0 || w[1] > HORIZON || w[0] > w[1] {
        out.push(Violation::new(
            field,
            format!("must be [start, end] with 0 <= start <= end <= {HORIZON}, got {w:?}"),
        ));
    }
    TimeWindow {
        start: Duration(w[0]),
        end: Duration(w[1]),
    }
}

/// A list of time windows, each checked, sorted and not overlapping.
fn windows(list: &[Window], field: &str, out: &mut Vec<Violation>) -> Vec<TimeWindow> {
    for (i, w) in list.iter().enumerate() {
        window(*w, format!("{field}/{i}"), out);
    }
    let mut sorted: Vec<Window> = list.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).any(|p| p[1][0] <= p[0][1]) {
        out.push(Violation::new(field, "time windows must not overlap"));
    }
    sorted
        .into_iter()
        .map(|[start, end]| TimeWindow {
            start: Duration(start),
            end: Duration(end),
        })
        .collect()
}

fn non_negative(value: i64, field: String, out: &mut Vec<Violation>) -> i64 {
    if !(0..=HORIZON).contains(&value) {
        out.push(Violation::new(
            field,
            format!("must be 0 to {HORIZON}, got {value}"),
        ));
    }
    value.clamp(0, HORIZON)
}

/// Builds the optimizer's problem.
///
/// # Errors
/// [`Error::Invalid`] with every violation; [`Error::Unavailable`] while territories load.
pub fn build(input: &Input, territories: Option<&Territories>) -> Result<Built> {
    let mut bad = Vec::new();
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
    let dims = dimensions(input, &mut bad);
    let matrices = custom_matrices(input, &mut bad);
    let (places, profiles, vehicle_profile) = match matrices {
        Some(matrices) => from_matrices(input, &matrices, &mut bad),
        None => from_coordinates(input, territories, &mut bad)?,
    };
    if !bad.is_empty() {
        return Err(Error::Invalid(bad));
    }
    let jobs = input
        .jobs
        .iter()
        .enumerate()
        .map(|(i, job)| {
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
                location: LocationIdx(place_of_job(input, i, &places)),
                service: Duration(
                    non_negative(job.setup, format!("{field}/setup"), &mut bad)
                        + non_negative(job.service, format!("{field}/service"), &mut bad),
                ),
                time_windows: windows(
                    &job.time_windows,
                    &format!("{field}/time_windows"),
                    &mut bad,
                ),
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
        })
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

/// A location of the core problem.
struct Place {
    coordinates: Option<[f64; 2]>,
    index: Option<usize>,
}

/// The input's matrices by profile name: `matrices`, or `matrix` as every profile's durations.
fn custom_matrices(input: &Input, bad: &mut Vec<Violation>) -> Option<CustomMatrices> {
    if let Some(matrix) = &input.matrix {
        return Some(BTreeMap::from([(String::new(), (matrix.clone(), None))]));
    }
    let matrices = input.matrices.as_ref()?;
    let mut out = BTreeMap::new();
    for (name, m) in matrices {
        let at = format!("/matrices/{}", pointer_token(name));
        if m.costs.is_some() {
            bad.push(Violation::new(
                format!("{at}/costs"),
                "custom cost matrices are not supported",
            ));
        }
        match &m.durations {
            Some(durations) => {
                out.insert(name.clone(), (durations.clone(), m.distances.clone()));
            }
            None => bad.push(Violation::new(at, "`durations` are required")),
        }
    }
    Some(out)
}

type Located = (Vec<Place>, Vec<Profile>, Vec<ProfileIdx>);

/// Durations and optional distances of each profile named in the input (`""` for `matrix`).
type CustomMatrices = BTreeMap<String, (Vec<Vec<i64>>, Option<Vec<Vec<i64>>>)>;

/// A travel time or distance as the core's 32-bit tables hold it.
fn travel(value: i64) -> Option<u32> {
    u32::try_from(value).ok()
}

/// A travel time of the matrix at a vehicle's speed factor (VROOM divides by it).
fn at_speed(seconds: i64, factor: f64) -> Option<u32> {
    let scaled = (seconds as f64 / factor).round();
    (0.0..=f64::from(u32::MAX))
        .contains(&scaled)
        .then_some(scaled as u32)
}

/// The speed factor (of the first vehicle with these bits) that slows a travel time beyond
/// the core's 32 bits.
fn too_slow_for_32_bits(input: &Input, bits: u64) -> Violation {
    let vehicle = (input.vehicles.iter())
        .position(|v| v.speed_factor.unwrap_or(1.0).to_bits() == bits)
        .unwrap_or(0);
    Violation::new(
        format!("/vehicles/{vehicle}/speed_factor"),
        format!(
            "{} makes a travel time longer than {} s",
            f64::from_bits(bits),
            u32::MAX
        ),
    )
}

fn square(rows: &[Vec<i64>], n: usize) -> bool {
    rows.len() == n && rows.iter().all(|r| r.len() == n)
}

fn from_matrices(input: &Input, matrices: &CustomMatrices, bad: &mut Vec<Violation>) -> Located {
    let n = matrices.values().next().map_or(0, |(d, _)| d.len());
    for (name, (durations, distances)) in matrices {
        let at = if name.is_empty() {
            "/matrix".to_owned()
        } else {
            format!("/matrices/{}/durations", pointer_token(name))
        };
        if !square(durations, n) || durations.iter().flatten().any(|&x| travel(x).is_none()) {
            bad.push(Violation::new(
                at,
                format!(
                    "must be {n} × {n} seconds from 0 to {}, like the others",
                    u32::MAX
                ),
            ));
        }
        if let Some(d) = distances
            && (!square(d, n) || d.iter().flatten().any(|&x| travel(x).is_none()))
        {
            bad.push(Violation::new(
                format!("/matrices/{}/distances", pointer_token(name)),
                format!("must be {n} × {n} metres from 0 to {}", u32::MAX),
            ));
        }
    }
    let check_index = |index: Option<usize>, field: String, bad: &mut Vec<Violation>| match index {
        Some(i) if i >= n => bad.push(Violation::new(
            field,
            format!("must be below the matrix size {n}, got {i}"),
        )),
        _ => {}
    };
    for (i, job) in input.jobs.iter().enumerate() {
        match job.location_index {
            None => bad.push(Violation::new(
                format!("/jobs/{i}"),
                "`location_index` is required with custom matrices",
            )),
            index => check_index(index, format!("/jobs/{i}/location_index"), bad),
        }
    }
    let mut keys: Vec<(String, u64)> = Vec::new();
    let mut vehicle_profile = Vec::new();
    for (i, v) in input.vehicles.iter().enumerate() {
        check_index(v.start_index, format!("/vehicles/{i}/start_index"), bad);
        check_index(v.end_index, format!("/vehicles/{i}/end_index"), bad);
        if v.start_index.is_none() && v.end_index.is_none() {
            bad.push(Violation::new(
                format!("/vehicles/{i}"),
                "give start_index, end_index or both",
            ));
        }
        let name = if matrices.contains_key("") {
            String::new()
        } else {
            v.profile.clone().unwrap_or_else(|| "car".into())
        };
        if !matrices.contains_key(&name) {
            let at = match v.profile {
                Some(_) => format!("/vehicles/{i}/profile"),
                None => format!("/vehicles/{i}"),
            };
            bad.push(Violation::new(
                at,
                format!("no matrices for profile {name:?}"),
            ));
        }
        let factor = speed_factor(v, i, bad);
        let key = (name, factor.to_bits());
        vehicle_profile.push(profile_of(&mut keys, key, i, bad));
    }
    if !bad.is_empty() {
        return (Vec::new(), Vec::new(), vehicle_profile);
    }
    let mut profiles = Vec::new();
    for (name, bits) in &keys {
        let (durations, distances) = &matrices[name];
        let factor = f64::from_bits(*bits);
        let mut too_slow = false;
        let table = TravelTable::from_fn(n, |a, b| {
            let scaled = at_speed(durations[a][b], factor);
            too_slow |= scaled.is_none();
            let distance = distances.as_ref().map_or(Some(0), |d| travel(d[a][b]));
            (scaled.unwrap_or(u32::MAX), distance.unwrap_or(u32::MAX))
        });
        if too_slow {
            bad.push(too_slow_for_32_bits(input, *bits));
        }
        profiles.push(Profile::new(table));
    }
    if !bad.is_empty() {
        return (Vec::new(), Vec::new(), vehicle_profile);
    }
    let mut places: Vec<Place> = (0..n)
        .map(|i| Place {
            coordinates: None,
            index: Some(i),
        })
        .collect();
    let mut note = |index: Option<usize>, at: Option<[f64; 2]>| {
        if let (Some(i), Some(at)) = (index, at)
            && let Some(place) = places.get_mut(i)
        {
            place.coordinates = Some(at);
        }
    };
    for job in &input.jobs {
        note(job.location_index, job.location);
    }
    for v in &input.vehicles {
        note(v.start_index, v.start);
        note(v.end_index, v.end);
    }
    (places, profiles, vehicle_profile)
}

/// Most routing profiles (profile × speed factor) of one problem: each is a travel matrix of
/// its own, so without a bound a fleet of distinct speed factors would multiply the memory that
/// the size limit (jobs + vehicles) bounds for one matrix.
pub const MAX_ROUTING_PROFILES: usize = 8;

/// The routing profile of vehicle `i` with `key`: its index among those seen, added when new;
/// one beyond [`MAX_ROUTING_PROFILES`] is refused at the vehicle.
fn profile_of<K: PartialEq>(
    keys: &mut Vec<K>,
    key: K,
    i: usize,
    bad: &mut Vec<Violation>,
) -> ProfileIdx {
    let index = match keys.iter().position(|k| *k == key) {
        Some(index) => index,
        None if keys.len() < MAX_ROUTING_PROFILES => {
            keys.push(key);
            keys.len() - 1
        }
        None => {
            bad.push(Violation::new(
                format!("/vehicles/{i}"),
                format!(
                    "at most {MAX_ROUTING_PROFILES} different profiles and speed factors per \
                     problem: each needs a travel matrix of its own"
                ),
            ));
            0
        }
    };
    ProfileIdx(u32::try_from(index).unwrap_or(u32::MAX))
}

fn speed_factor(v: &input::Vehicle, i: usize, bad: &mut Vec<Violation>) -> f64 {
    let factor = v.speed_factor.unwrap_or(1.0);
    if !(factor.is_finite() && factor > 0.0 && factor <= 5.0) {
        bad.push(Violation::new(
            format!("/vehicles/{i}/speed_factor"),
            format!("must be above 0 and at most 5, got {factor}"),
        ));
        return 1.0;
    }
    factor
}

fn from_coordinates(
    input: &Input,
    territories: Option<&Territories>,
    bad: &mut Vec<Violation>,
) -> Result<Located> {
    let mut coords: Vec<([f64; 2], String)> = Vec::new();
    let mut add = |at: [f64; 2], field: String, bad: &mut Vec<Violation>| {
        let [lon, lat] = at;
        if !(lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
        {
            bad.push(Violation::new(
                field.clone(),
                format!("must be [lon, lat] in degrees, got {at:?}"),
            ));
        }
        if !coords.iter().any(|(c, _)| *c == at) {
            coords.push((at, field));
        }
    };
    for (i, job) in input.jobs.iter().enumerate() {
        match job.location {
            Some(at) => add(at, format!("/jobs/{i}/location"), bad),
            None => bad.push(Violation::new(
                format!("/jobs/{i}"),
                "`location` is required without custom matrices",
            )),
        }
    }
    for (i, v) in input.vehicles.iter().enumerate() {
        if let Some(at) = v.start {
            add(at, format!("/vehicles/{i}/start"), bad);
        }
        if let Some(at) = v.end {
            add(at, format!("/vehicles/{i}/end"), bad);
        }
        if v.start.is_none() && v.end.is_none() {
            bad.push(Violation::new(
                format!("/vehicles/{i}"),
                "give start, end or both",
            ));
        }
    }
    let mut keys: Vec<(ProfileKind, u64)> = Vec::new();
    let mut vehicle_profile = Vec::new();
    for (i, v) in input.vehicles.iter().enumerate() {
        let name = v.profile.as_deref().unwrap_or("car");
        let kind = road_kind(name).unwrap_or_else(|| {
            bad.push(Violation::new(
                format!("/vehicles/{i}/profile"),
                unknown_profile(name),
            ));
            ProfileKind::Car
        });
        let key = (kind, speed_factor(v, i, bad).to_bits());
        vehicle_profile.push(profile_of(&mut keys, key, i, bad));
    }
    if !bad.is_empty() {
        return Ok((Vec::new(), Vec::new(), vehicle_profile));
    }
    let territories =
        territories.ok_or_else(|| Error::Unavailable("territories are still loading".into()))?;
    let points: Vec<Coord> = coords
        .iter()
        .map(|([lon, lat], _)| Coord::new(*lat, *lon))
        .collect();
    let territory = match &input.territory {
        Some(id) => territories.get(id).ok_or_else(|| {
            Error::Invalid(vec![Violation::new("/territory", format!("no territory {id:?} is loaded"))])
        })?,
        None => territories
            .list
            .iter()
            .find(|t| points.iter().all(|p| t.covers(*p)))
            .ok_or_else(|| {
                Error::Invalid(vec![Violation::new(
                    coords.first().map_or("/jobs", |(_, f)| f.as_str()),
                    "no loaded territory holds every coordinate; give custom matrices or a `territory`",
                )])
            })?,
    };
    let mut profiles = Vec::new();
    for (kind, bits) in &keys {
        let router = territory.router(&RoadProfile::new(*kind), &territories.cache)?;
        let mut snaps = Vec::new();
        for (i, p) in points.iter().enumerate() {
            match router.snap(&[*p], DEFAULT_SNAP_LIMIT_M) {
                Ok(mut s) => snaps.append(&mut s),
                Err(e) => bad.push(Violation::new(coords[i].1.clone(), e.to_string())),
            }
        }
        if !bad.is_empty() {
            return Err(Error::Invalid(std::mem::take(bad)));
        }
        let n = snaps.len();
        let factor = f64::from_bits(*bits);
        let (mut durations, distances) = router.matrix(&snaps, &snaps)?.into_tables();
        if factor != 1.0 {
            let scaled = durations.iter().map(|&d| at_speed(i64::from(d), factor));
            durations = scaled
                .collect::<Option<_>>()
                .ok_or_else(|| Error::Invalid(vec![too_slow_for_32_bits(input, *bits)]))?;
        }
        profiles.push(Profile::new(TravelTable::new(n, durations, distances)?));
    }
    let places = coords
        .iter()
        .map(|(at, _)| Place {
            coordinates: Some(*at),
            index: None,
        })
        .collect();
    Ok((places, profiles, vehicle_profile))
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
