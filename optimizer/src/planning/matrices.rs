//! Travel between a planning problem's places, per kind of unit: each kind's table is built
//! once (by the road network, or from the integrator's matrices) and shared by every routing
//! problem of the solve rather than copied into each.

use std::collections::BTreeMap;

use crate::error::{Error, FieldError, Result};
use crate::model::{LocationIdx, Profile, TravelTable, UNREACHABLE};

use super::problem::{PlanningProblem, TerritoryMatrix, UnitKind};
use super::unserved::RoadTried;

/// How many places (from the first) the mean speed of a kind of unit is measured between.
const SPEED_SAMPLE: u32 = 200;

/// Travel times and distances per unit kind over the problem's locations: each unit's depot,
/// then each stop, then each home visit. A kind's table may hold only the places units of that
/// kind may be sent to; the others are unreachable for it. Places a kind's road network could
/// not take (too far from its roads) are listed with the road that came closest, so that the
/// plan can say why they are not served.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matrices {
    by_kind: BTreeMap<UnitKind, Profile>,
    off_road: BTreeMap<usize, Vec<RoadTried>>,
}

impl Matrices {
    /// No matrix yet.
    pub fn new() -> Self {
        Matrices::default()
    }

    /// Adds (or replaces) the travel of units of `kind`.
    pub fn insert(&mut self, kind: UnitKind, profile: Profile) {
        self.by_kind.insert(kind, profile);
    }

    /// Records that place `place` is off the network of `road.kind` (its table does not hold
    /// it).
    pub fn mark_off_road(&mut self, place: usize, road: RoadTried) {
        self.off_road.entry(place).or_default().push(road);
    }

    /// The networks that could not take place `place`, with their nearest roads.
    pub fn roads_tried(&self, place: usize) -> &[RoadTried] {
        self.off_road.get(&place).map_or(&[], Vec::as_slice)
    }

    /// Every place some network could not take, in order.
    pub fn off_road_places(&self) -> impl Iterator<Item = (usize, &[RoadTried])> + '_ {
        self.off_road
            .iter()
            .map(|(place, roads)| (*place, roads.as_slice()))
    }

    /// Whether units of `kind` can be sent to place `place`.
    pub fn reaches(&self, kind: UnitKind, place: usize) -> bool {
        self.by_kind
            .get(&kind)
            .is_some_and(|m| m.holds(LocationIdx(place as u32)))
    }

    /// The integrator's matrices of a problem's territory, as they are.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a kind whose matrices are not square (planning validation
    /// reports it first, with the row).
    pub fn given(matrices: &BTreeMap<UnitKind, TerritoryMatrix>) -> Result<Self> {
        let mut by_kind = BTreeMap::new();
        for (kind, matrix) in matrices {
            let table =
                TravelTable::from_rows(&matrix.durations_s, &matrix.distances_m).map_err(|e| {
                    Error::Invalid(vec![FieldError {
                        path: format!("territory.matrices.{}", kind.name()),
                        message: e.to_string(),
                    }])
                })?;
            by_kind.insert(*kind, Profile::new(table));
        }
        Ok(Matrices {
            by_kind,
            off_road: BTreeMap::new(),
        })
    }

    /// The travel of units of `kind`.
    pub fn get(&self, kind: UnitKind) -> Option<&Profile> {
        self.by_kind.get(&kind)
    }

    /// The mean speed of units of `kind` in metres per second: the metres over the seconds of
    /// every drive between the first [`SPEED_SAMPLE`] places. `None` without a matrix or a drive.
    pub fn mean_speed_mps(&self, kind: UnitKind) -> Option<f64> {
        let profile = self.by_kind.get(&kind)?;
        let n = (profile.len() as u32).min(SPEED_SAMPLE);
        let (mut metres, mut seconds) = (0u64, 0u64);
        for from in 0..n {
            for to in (0..n).filter(|&to| to != from) {
                let (drive, length) = (profile.seconds(from, to), profile.metres(from, to));
                if drive != UNREACHABLE && length != UNREACHABLE {
                    metres += u64::from(length);
                    seconds += u64::from(drive);
                }
            }
        }
        (seconds > 0 && metres > 0).then(|| metres as f64 / seconds as f64)
    }

    /// The kinds that have a matrix.
    pub fn kinds(&self) -> impl Iterator<Item = UnitKind> + '_ {
        self.by_kind.keys().copied()
    }

    /// Seconds from place `from` to place `to` for units of `kind`.
    pub fn seconds(&self, kind: UnitKind, from: usize, to: usize) -> Option<u32> {
        Some(self.by_kind.get(&kind)?.seconds(from as u32, to as u32))
    }

    /// Metres from place `from` to place `to` for units of `kind`.
    pub fn metres(&self, kind: UnitKind, from: usize, to: usize) -> Option<u32> {
        Some(self.by_kind.get(&kind)?.metres(from as u32, to as u32))
    }

    /// Every kind of unit of `problem` has a matrix over all its places.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the territory for each kind without one.
    pub fn check_covers(&self, problem: &PlanningProblem) -> Result<()> {
        let size = problem.units.len() + problem.stops.len() + problem.home_visits.len();
        let mut errors: Vec<FieldError> = problem
            .units
            .iter()
            .filter(|unit| self.get(unit.kind).is_none_or(|m| m.len() != size))
            .map(|unit| FieldError {
                path: "territory".into(),
                message: format!("no {size} × {size} matrix for {} units", unit.kind.name()),
            })
            .collect();
        errors.dedup();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }
}
