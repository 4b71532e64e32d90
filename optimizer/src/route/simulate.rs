//! A full pass over a candidate node sequence, for what the cache cannot answer in O(1).

use crate::index::{Index, NO_LOC};

/// Totals of one simulated route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Every window, break and the shift end are met.
    pub on_time: bool,
    pub distance: i64,
    pub travel: i64,
    pub duration: i64,
    /// Cost as if the route were used (fixed cost included).
    pub cost: i64,
}

/// Simulates `vehicle` driving through `nodes` with the model's schedule semantics.
pub(crate) fn simulate(index: &Index, vehicle: usize, nodes: impl Iterator<Item = u32>) -> Summary {
    let data = &index.vehicles[vehicle];
    let matrices = &index.matrices[data.profile];
    let mut on_time = true;
    let (mut loc, mut time, mut distance, mut travel) = (data.start, data.shift.0, 0, 0);
    let mut departure = None;
    for node in nodes {
        let own = matrices.node_row(node);
        let drive = matrices.duration(loc, own);
        let arrival = time + drive;
        let start = index.earliest_start(node, arrival).unwrap_or_else(|| {
            on_time = false;
            arrival
        });
        departure.get_or_insert(start - drive);
        distance += matrices.distance(loc, own);
        travel += drive;
        time = start + index.service[node as usize];
        if own != NO_LOC {
            loc = own;
        }
    }
    let drive = matrices.duration(loc, data.end);
    let arrival = time + drive;
    on_time &= arrival <= data.shift.1;
    distance += matrices.distance(loc, data.end);
    travel += drive;
    let duration = arrival - departure.unwrap_or(data.shift.0);
    let cost = data.fixed + data.per_distance * distance + data.per_duration * duration;
    Summary {
        on_time,
        distance,
        travel,
        duration,
        cost,
    }
}
