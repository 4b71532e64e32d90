//! A place too far from a network's roads, read once from the snapping error that says so, for
//! the planner's off-road record and for the coverage report's rejections alike.

use optimizer::planning::problem::UnitKind;
use optimizer::planning::unserved::RoadTried;

/// How far a place lies from a network's roads, and the limit it broke.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TooFar {
    /// Metres to the nearest road; `None` when the network has no road at all.
    pub nearest_m: Option<f64>,
    /// The snapping limit in force, metres.
    pub limit_m: f64,
}

impl TooFar {
    /// The distance and limit when `error` says a place is too far from the roads; `None` for
    /// any other error.
    pub fn of(error: &osm_data::Error) -> Option<TooFar> {
        match *error {
            osm_data::Error::TooFarFromRoad {
                distance_m,
                limit_m,
                ..
            } => Some(TooFar {
                nearest_m: distance_m.is_finite().then_some(distance_m),
                limit_m,
            }),
            _ => None,
        }
    }

    /// The planner's record of the network of `kind` tried, in whole metres (the nearest
    /// road rounded up, so that it never reads as within the limit).
    pub fn tried(self, kind: UnitKind) -> RoadTried {
        RoadTried {
            kind,
            nearest_m: self.nearest_m.map(|m| m.ceil() as u32),
            limit_m: self.limit_m as u32,
        }
    }

    /// `no road {road} within 500 m (nearest at 859 m)`, where `road` says whose roads
    /// (`usable by car`); `None` when the network has no road to measure from.
    pub fn message(self, road: &str) -> Option<String> {
        let nearest = self.nearest_m?;
        Some(format!(
            "no road {road} within {:.0} m (nearest at {nearest:.0} m)",
            self.limit_m
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn too_far(distance_m: f64) -> osm_data::Error {
        osm_data::Error::TooFarFromRoad {
            index: 0,
            lat: 42.5,
            lon: 1.5,
            distance_m,
            limit_m: 500.0,
            profile: osm_data::profile::ProfileKind::Car,
        }
    }

    #[test]
    fn the_distance_is_read_once_for_both_uses() {
        let far = TooFar::of(&too_far(858.2)).unwrap();
        assert_eq!(
            far.message("usable by car").unwrap(),
            "no road usable by car within 500 m (nearest at 858 m)"
        );
        let tried = far.tried(UnitKind::Bus);
        assert_eq!((tried.nearest_m, tried.limit_m), (Some(859), 500));
        let none = TooFar::of(&too_far(f64::INFINITY)).unwrap();
        assert_eq!(
            (
                none.message("walkable"),
                none.tried(UnitKind::Car).nearest_m
            ),
            (None, None)
        );
    }
}
