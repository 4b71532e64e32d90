//! How fast a unit goes on a road: class defaults, `maxspeed`, and road-quality factors.

use crate::tags::{HighwayClass, Smoothness, Surface, TrackType, WayTags};

use super::{Profile, ProfileKind};

/// Share of a posted limit a motor vehicle averages (junctions, traffic, bends), as the mature
/// routing engines do.
const POSTED_LIMIT_SHARE: f64 = 0.8;
/// Slow-down on `destination`/`discouraged` roads, so they are used to arrive, not to cut through.
const RESTRICTED_ACCESS_FACTOR: f64 = 0.75;
/// Speed on parking aisles, driveways and alleys, km/h.
const MINOR_SERVICE_KMH: f64 = 10.0;
/// Speed of a pushed cycle (`bicycle=dismount`), km/h.
const PUSHING_KMH: f64 = 5.0;
/// Share of the walking speed kept on steps (climbing or going down them).
const STEPS_WALKING_SHARE: f64 = 0.5;

/// Average speed of a motor vehicle on a road class with no `maxspeed` tag, km/h.
///
/// OSRM's `car.lua` table for the classes it has (motorway 90 … residential 25, links 45 …
/// 20): averages over whole roads, bends and traffic included, that with its turn and signal
/// costs (ours are the same, see [`crate::turns::cost`]) reproduce observed travel times. Our
/// earlier table (posted limits minus a margin: primary 70, unclassified 35, …) made car times
/// 13 % shorter than OSRM's on Malta. `road`, `busway` and `track` keep our own values.
pub fn motor_default_kmh(class: HighwayClass) -> f64 {
    use HighwayClass::*;
    match class {
        Motorway => 90.0,
        Trunk => 85.0,
        Primary => 65.0,
        Secondary => 55.0,
        Tertiary => 40.0,
        MotorwayLink => 45.0,
        TrunkLink => 40.0,
        PrimaryLink => 30.0,
        SecondaryLink => 25.0,
        TertiaryLink => 20.0,
        Unclassified | Residential => 25.0,
        Road | Busway => 30.0,
        Service | Track => 15.0,
        LivingStreet => 10.0,
        Cycleway | Path | Footway | Pedestrian | Bridleway | Steps => 5.0,
    }
}

/// Highest speed of a cargo tricycle on a road class, km/h (shared spaces are slow).
fn cycle_class_cap_kmh(class: HighwayClass) -> f64 {
    use HighwayClass::*;
    match class {
        Footway | Pedestrian | Bridleway => 10.0,
        LivingStreet | Track | Path => 15.0,
        _ => f64::INFINITY,
    }
}

/// The factor (0, 1] by which road quality slows the unit, or `None` when the road is
/// impassable for it (a bus on sand, anyone on `smoothness=impassable`).
pub fn quality_factor(kind: ProfileKind, way: &WayTags) -> Option<f64> {
    if kind == ProfileKind::Foot {
        // People walk on gravel, grass and rough tracks at much the same pace.
        return Some(1.0);
    }
    let surface = way.surface.map_or(Some(1.0), |s| surface_factor(kind, s))?;
    let track = way
        .tracktype
        .map_or(Some(1.0), |t| tracktype_factor(kind, t))?;
    let smooth = way
        .smoothness
        .map_or(Some(1.0), |s| smoothness_factor(kind, s))?;
    Some(surface.min(track).min(smooth))
}

fn surface_factor(kind: ProfileKind, surface: Surface) -> Option<f64> {
    use ProfileKind::*;
    use Surface::*;
    match (surface, kind) {
        (Paved, _) => Some(1.0),
        (Pavers, Triporteur) => Some(0.85),
        (Pavers, _) => Some(0.9),
        (Cobbles, Triporteur) => Some(0.6),
        (Cobbles, _) => Some(0.7),
        (Compacted, Triporteur) => Some(0.75),
        (Compacted, _) => Some(0.8),
        (Gravel, Bus | Triporteur) => Some(0.5),
        (Gravel, _) => Some(0.6),
        (Dirt, Bus | CampingCar) => Some(0.4),
        (Dirt, _) => Some(0.5),
        (Grass, Bus) => None,
        (Grass, CampingCar) => Some(0.3),
        (Grass, _) => Some(0.4),
        (Loose, Car) => Some(0.3),
        (Loose, _) => None,
    }
}

fn tracktype_factor(kind: ProfileKind, grade: TrackType) -> Option<f64> {
    let worst_allowed = match kind {
        ProfileKind::Car => 5,
        ProfileKind::Triporteur => 3,
        ProfileKind::CampingCar => 2,
        ProfileKind::Bus => 1,
        ProfileKind::Foot => 5,
    };
    if grade.0 > worst_allowed {
        return None;
    }
    Some(match grade.0 {
        1 => 1.0,
        2 => 0.8,
        3 => 0.6,
        4 => 0.4,
        _ => 0.3,
    })
}

fn smoothness_factor(kind: ProfileKind, smoothness: Smoothness) -> Option<f64> {
    match smoothness {
        Smoothness::Good => Some(1.0),
        Smoothness::Intermediate => Some(0.9),
        Smoothness::Bad => Some(0.6),
        Smoothness::VeryBad if matches!(kind, ProfileKind::Bus | ProfileKind::CampingCar) => None,
        Smoothness::VeryBad => Some(0.4),
        Smoothness::Impassable => None,
    }
}

impl Profile {
    /// Speed along a way in one direction, km/h, before road-quality factors.
    ///
    /// `directional_limit` is `maxspeed:forward` or `maxspeed:backward`; `restricted` says that
    /// access is only `destination`/`discouraged`; `dismount` that a cycle must be pushed.
    pub fn base_speed_kmh(
        &self,
        way: &WayTags,
        directional_limit: Option<f64>,
        restricted: bool,
        dismount: bool,
    ) -> f64 {
        if self.kind == ProfileKind::Foot {
            // Walking speed ignores speed limits, traffic and access restrictions on vehicles.
            let share = if way.highway == HighwayClass::Steps {
                STEPS_WALKING_SHARE
            } else {
                1.0
            };
            return self.max_speed_kmh * share;
        }
        let limit = directional_limit.or(way.maxspeed);
        let mut kmh = match self.cruising_speed_kmh {
            Some(cruising) if dismount => cruising.min(PUSHING_KMH),
            Some(cruising) => {
                let posted = limit.unwrap_or(f64::INFINITY);
                cruising.min(posted).min(cycle_class_cap_kmh(way.highway))
            }
            None => limit.map_or_else(
                || motor_default_kmh(way.highway),
                |posted| posted * POSTED_LIMIT_SHARE,
            ),
        };
        if way.minor_service {
            kmh = kmh.min(MINOR_SERVICE_KMH);
        }
        if restricted {
            kmh *= RESTRICTED_ACCESS_FACTOR;
        }
        kmh.min(self.max_speed_kmh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_limits_are_averaged_and_capped() {
        let bus = Profile::new(ProfileKind::Bus);
        let mut motorway = WayTags::new(HighwayClass::Motorway);
        motorway.maxspeed = Some(130.0);
        assert_eq!(bus.base_speed_kmh(&motorway, None, false, false), 90.0);
        let car = Profile::new(ProfileKind::Car);
        assert_eq!(car.base_speed_kmh(&motorway, None, false, false), 104.0);
        assert_eq!(
            car.base_speed_kmh(&motorway, Some(50.0), false, false),
            40.0
        );
    }

    #[test]
    fn a_tricycle_keeps_its_cruising_speed_below_the_limit() {
        let trike = Profile::new(ProfileKind::Triporteur);
        let mut street = WayTags::new(HighwayClass::Residential);
        assert_eq!(trike.base_speed_kmh(&street, None, false, false), 18.0);
        street.maxspeed = Some(6.0);
        assert_eq!(trike.base_speed_kmh(&street, None, false, false), 6.0);
        let footway = WayTags::new(HighwayClass::Footway);
        assert_eq!(trike.base_speed_kmh(&footway, None, false, false), 10.0);
        assert_eq!(trike.base_speed_kmh(&footway, None, false, true), 5.0);
    }

    #[test]
    fn people_walk_at_walking_speed_whatever_the_road() {
        let foot = Profile::new(ProfileKind::Foot);
        let mut primary = WayTags::new(HighwayClass::Primary);
        primary.maxspeed = Some(90.0);
        assert_eq!(foot.base_speed_kmh(&primary, None, true, false), 4.8);
        let steps = WayTags::new(HighwayClass::Steps);
        assert_eq!(foot.base_speed_kmh(&steps, None, false, false), 2.4);
        let mut track = WayTags::new(HighwayClass::Track);
        track.tracktype = TrackType::parse("grade5");
        assert_eq!(quality_factor(ProfileKind::Foot, &track), Some(1.0));
    }

    #[test]
    fn bad_roads_slow_down_or_close() {
        let mut track = WayTags::new(HighwayClass::Track);
        track.tracktype = TrackType::parse("grade3");
        assert_eq!(quality_factor(ProfileKind::Car, &track), Some(0.6));
        assert_eq!(quality_factor(ProfileKind::CampingCar, &track), None);
        let mut sand = WayTags::new(HighwayClass::Unclassified);
        sand.surface = Surface::parse("sand");
        assert_eq!(quality_factor(ProfileKind::Bus, &sand), None);
        assert_eq!(quality_factor(ProfileKind::Car, &sand), Some(0.3));
        let mut broken = WayTags::new(HighwayClass::Residential);
        broken.smoothness = Smoothness::parse("impassable");
        assert_eq!(quality_factor(ProfileKind::Triporteur, &broken), None);
    }
}
