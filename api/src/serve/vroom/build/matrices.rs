//! Locations given as matrix indices, with the input's own matrices (`matrix`, or `matrices` by
//! profile): their sizes and values checked, one table per (profile, speed factor).

use std::collections::BTreeMap;

use optimizer::model::{Profile, ProfileIdx, TravelTable};

use super::super::input::Input;
use super::profiles::{at_speed, profile_of, speed_factor, too_slow_for_32_bits};
use super::{Located, Place};
use crate::error::{Violation, pointer_token};

/// Durations and optional distances of each profile named in the input (`""` for `matrix`).
type CustomMatrices = BTreeMap<String, (Vec<Vec<i64>>, Option<Vec<Vec<i64>>>)>;

/// The input's matrices by profile name: `matrices`, or `matrix` as every profile's durations.
pub(super) fn custom_matrices(input: &Input, bad: &mut Vec<Violation>) -> Option<CustomMatrices> {
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

/// A travel time or distance as the core's 32-bit tables hold it.
fn travel(value: i64) -> Option<u32> {
    u32::try_from(value).ok()
}

/// Whether `rows` is an `n` × `n` matrix.
fn square(rows: &[Vec<i64>], n: usize) -> bool {
    rows.len() == n && rows.iter().all(|r| r.len() == n)
}

/// The places, profiles and vehicle profiles of an input with its own matrices.
pub(super) fn from_matrices(
    input: &Input,
    matrices: &CustomMatrices,
    bad: &mut Vec<Violation>,
) -> Located {
    let n = matrices.values().next().map_or(0, |(d, _)| d.len());
    check_tables(matrices, n, bad);
    for (i, job) in input.jobs.iter().enumerate() {
        match job.location_index {
            None => bad.push(Violation::new(
                format!("/jobs/{i}"),
                "`location_index` is required with custom matrices",
            )),
            index => index_below(index, n, format!("/jobs/{i}/location_index"), bad),
        }
    }
    let (keys, vehicle_profile) = vehicle_profiles(input, matrices, n, bad);
    if !bad.is_empty() {
        return (Vec::new(), Vec::new(), vehicle_profile);
    }
    let profiles = tables(input, matrices, n, &keys, bad);
    if !bad.is_empty() {
        return (Vec::new(), Vec::new(), vehicle_profile);
    }
    (places(input, n), profiles, vehicle_profile)
}

/// Every matrix is `n` × `n`, with values the core's 32-bit tables hold.
fn check_tables(matrices: &CustomMatrices, n: usize, bad: &mut Vec<Violation>) {
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
}

/// A matrix index, if given, is below the matrix size.
fn index_below(index: Option<usize>, n: usize, field: String, bad: &mut Vec<Violation>) {
    if let Some(i) = index
        && i >= n
    {
        bad.push(Violation::new(
            field,
            format!("must be below the matrix size {n}, got {i}"),
        ));
    }
}

/// Each vehicle's indices checked and its (matrix name, speed factor) profile, as keys in order
/// of first use and the index of each vehicle's.
fn vehicle_profiles(
    input: &Input,
    matrices: &CustomMatrices,
    n: usize,
    bad: &mut Vec<Violation>,
) -> (Vec<(String, u64)>, Vec<ProfileIdx>) {
    let mut keys: Vec<(String, u64)> = Vec::new();
    let mut vehicle_profile = Vec::new();
    for (i, v) in input.vehicles.iter().enumerate() {
        index_below(v.start_index, n, format!("/vehicles/{i}/start_index"), bad);
        index_below(v.end_index, n, format!("/vehicles/{i}/end_index"), bad);
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
    (keys, vehicle_profile)
}

/// The travel table of each (matrix name, speed factor).
fn tables(
    input: &Input,
    matrices: &CustomMatrices,
    n: usize,
    keys: &[(String, u64)],
    bad: &mut Vec<Violation>,
) -> Vec<Profile> {
    let mut profiles = Vec::new();
    for (name, bits) in keys {
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
    profiles
}

/// One place per matrix index, with the coordinates the input gives for it, if any.
fn places(input: &Input, n: usize) -> Vec<Place> {
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
    places
}
