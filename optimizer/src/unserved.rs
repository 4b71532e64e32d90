//! Why a job cannot be served at all, decided before the search from the job and each vehicle
//! alone.

use crate::index::Index;
use crate::route::simulate;
use crate::solution::UnservedReason;

/// The reason job `job` can never be served, or `None` when some vehicle could serve it on its
/// own (with its breaks, within its shift and limits).
pub(crate) fn impossible(index: &Index, job: u32) -> Option<UnservedReason> {
    let j = job as usize;
    let compatible: Vec<usize> = (0..index.vehicles.len())
        .filter(|&v| index.compatible(j, v))
        .collect();
    if compatible.is_empty() {
        return Some(UnservedReason::NoVehicleWithSkills);
    }
    let fits: Vec<usize> = compatible
        .into_iter()
        .filter(|&v| {
            index
                .demand(j)
                .iter()
                .zip(&index.vehicles[v].capacity)
                .all(|(d, c)| d <= c)
        })
        .collect();
    if fits.is_empty() {
        return Some(UnservedReason::DemandAboveCapacity);
    }
    let reachable: Vec<usize> = fits
        .into_iter()
        .filter(|&v| simulate(index, v, std::iter::once(job)).on_time)
        .collect();
    if reachable.is_empty() {
        return Some(UnservedReason::TimeWindowUnreachable);
    }
    let mut with_breaks = Vec::new();
    for v in reachable {
        let breaks = &index.vehicles[v].breaks;
        let best = (0..=breaks.len())
            .map(|p| {
                simulate(
                    index,
                    v,
                    breaks[..p]
                        .iter()
                        .copied()
                        .chain(std::iter::once(job))
                        .chain(breaks[p..].iter().copied()),
                )
            })
            .filter(|s| s.on_time)
            .min_by_key(|s| s.duration);
        with_breaks.extend(best.map(|s| (v, s)));
    }
    if with_breaks.is_empty() {
        return Some(UnservedReason::BreakOrShiftTooShort);
    }
    let within = with_breaks.iter().any(|(v, s)| {
        let data = &index.vehicles[*v];
        s.travel <= data.max_travel
            && s.distance <= data.max_distance
            && s.duration <= data.max_duration
            && data.max_tasks >= 1
    });
    if within {
        None
    } else {
        Some(UnservedReason::RouteLimitTooTight)
    }
}
