//! Routing profiles: one travel matrix per (profile, speed factor) of the fleet, at most
//! [`MAX_ROUTING_PROFILES`], with travel times divided by the speed factor as VROOM does.

use optimizer::model::ProfileIdx;

use super::super::input::{self, Input};
use crate::error::Violation;

/// Most routing profiles (profile × speed factor) of one problem: each is a travel matrix of
/// its own, so without a bound a fleet of distinct speed factors would multiply the memory that
/// the size limit (jobs + vehicles) bounds for one matrix.
pub const MAX_ROUTING_PROFILES: usize = 8;

/// The routing profile of vehicle `i` with `key`: its index among those seen, added when new;
/// one beyond [`MAX_ROUTING_PROFILES`] is refused at the vehicle.
pub(super) fn profile_of<K: PartialEq>(
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

/// A vehicle's speed factor, above 0 and at most 5 (1 when refused).
pub(super) fn speed_factor(v: &input::Vehicle, i: usize, bad: &mut Vec<Violation>) -> f64 {
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

/// A travel time of the matrix at a vehicle's speed factor (VROOM divides by it).
pub(super) fn at_speed(seconds: i64, factor: f64) -> Option<u32> {
    let scaled = (seconds as f64 / factor).round();
    (0.0..=f64::from(u32::MAX))
        .contains(&scaled)
        .then_some(scaled as u32)
}

/// The speed factor (of the first vehicle with these bits) that slows a travel time beyond
/// the core's 32 bits.
pub(super) fn too_slow_for_32_bits(input: &Input, bits: u64) -> Violation {
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
