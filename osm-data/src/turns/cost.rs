//! What a turn and a junction cost each profile, in milliseconds, and which turns it may not
//! make at all.
//!
//! The car's numbers are OSRM's `car.lua` (the reference our travel times are calibrated on):
//! a turn penalty of 7.5 s shaped by a sigmoid of the angle, made dearer across the oncoming
//! traffic by a bias of 1.075 and an extra 2 s, 20 s more for a U-turn, 2 s at signals and stop
//! signs, 1 s at give-way signs. The other profiles scale or replace them where their vehicle
//! differs; each number is argued beside it and in the README.

use crate::profile::{Profile, ProfileKind};
use crate::tags::Control;

/// Which side of the road traffic keeps to: turns across the oncoming traffic are left turns
/// where it keeps right, right turns where it keeps left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrivingSide {
    /// France, Andorra, most of the world.
    Right,
    /// Malta, the United Kingdom, Ireland, Cyprus.
    Left,
}

/// Left-hand traffic areas as (lat min, lat max, lon min, lon max): the places of Europe and
/// its neighbours where an extract may lie. Anywhere else keeps right.
const LEFT_HAND_AREAS: [[f64; 4]; 5] = [
    // Malta and Gozo.
    [35.7, 36.2, 14.1, 14.7],
    // Great Britain and Northern Ireland north of Kent's coast (Calais lies east of 1.8 E).
    [50.9, 61.0, -8.7, 1.8],
    // England's south coast (Boulogne and Dieppe lie east of 1.0 E).
    [49.85, 50.9, -6.5, 1.0],
    // Ireland.
    [51.3, 55.5, -10.7, -5.9],
    // Cyprus.
    [34.5, 35.8, 32.2, 34.7],
];

impl DrivingSide {
    /// The side traffic keeps to at a position.
    pub fn at(lat: f64, lon: f64) -> Self {
        let left = LEFT_HAND_AREAS
            .iter()
            .any(|a| (a[0]..=a[1]).contains(&lat) && (a[2]..=a[3]).contains(&lon));
        if left {
            DrivingSide::Left
        } else {
            DrivingSide::Right
        }
    }
}

/// One profile's turn and junction costs, seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TurnCosts {
    /// Largest angle-shaped turn cost (a turn of nearly 180°), s.
    pub turn_penalty_s: f64,
    /// How much dearer a turn across the oncoming traffic is than one away from it.
    pub turn_bias: f64,
    /// Extra cost of crossing the oncoming traffic, s (reached at about 90°).
    pub oncoming_s: f64,
    /// Extra cost of a U-turn at a junction, s; `None` where the vehicle may only turn round
    /// where the road ends.
    pub u_turn_s: Option<f64>,
    /// Cost of turning round where the road ends (a three-point turn), s.
    pub dead_end_turn_s: f64,
    /// Delay at traffic signals, s.
    pub signals_s: f64,
    /// Delay at a stop sign, s.
    pub stop_s: f64,
    /// Delay at a give-way sign, s.
    pub give_way_s: f64,
    /// Delay at a level crossing, s.
    pub level_crossing_s: f64,
}

/// The car's costs: OSRM's `car.lua`, plus 3 s at level crossings (which `car.lua` ignores:
/// a car slows to about 20 km/h over the rails, about 3 s lost).
const CAR: TurnCosts = TurnCosts {
    turn_penalty_s: 7.5,
    turn_bias: 1.075,
    oncoming_s: 2.0,
    u_turn_s: Some(20.0),
    dead_end_turn_s: 20.0,
    signals_s: 2.0,
    stop_s: 2.0,
    give_way_s: 1.0,
    level_crossing_s: 3.0,
};

impl TurnCosts {
    /// The costs of a profile.
    pub fn of(profile: &Profile) -> Self {
        match profile.kind {
            ProfileKind::Car => CAR,
            // A 12 m bus takes a right-angle turn at walking pace and swings wide, about half
            // again the car's loss; it may not turn round in traffic (a U-turn needs the whole
            // width of the road), only where the road ends, by reversing: a minute. It pulls
            // away from a stop sign or a level crossing (where it must stop) more slowly.
            ProfileKind::Bus => TurnCosts {
                turn_penalty_s: CAR.turn_penalty_s * 1.5,
                u_turn_s: None,
                dead_end_turn_s: 60.0,
                stop_s: 4.0,
                give_way_s: 2.0,
                level_crossing_s: 8.0,
                ..CAR
            },
            // A 7 m camping-car: between the two.
            ProfileKind::CampingCar => TurnCosts {
                turn_penalty_s: CAR.turn_penalty_s * 1.25,
                u_turn_s: None,
                dead_end_turn_s: 40.0,
                stop_s: 3.0,
                give_way_s: 1.5,
                level_crossing_s: 5.0,
                ..CAR
            },
            // A cargo tricycle at 18 km/h loses little speed in a turn (4 s at most), but
            // crossing the oncoming traffic means waiting for a gap in it (bias 1.4, as OSRM's
            // bicycle.lua); it turns round in the street in a few seconds. Signals and signs
            // stop it like a car; rails are crossed at walking pace.
            ProfileKind::Triporteur => TurnCosts {
                turn_penalty_s: 4.0,
                turn_bias: 1.4,
                oncoming_s: 2.0,
                u_turn_s: Some(5.0),
                dead_end_turn_s: 5.0,
                signals_s: 2.0,
                stop_s: 2.0,
                give_way_s: 1.0,
                level_crossing_s: 4.0,
            },
            // People on foot turn and cross freely; their access times carry no junction cost.
            ProfileKind::Foot => TurnCosts {
                turn_penalty_s: 0.0,
                turn_bias: 1.0,
                oncoming_s: 0.0,
                u_turn_s: Some(0.0),
                dead_end_turn_s: 0.0,
                signals_s: 0.0,
                stop_s: 0.0,
                give_way_s: 0.0,
                level_crossing_s: 0.0,
            },
        }
    }

    /// The delay of passing a node with `control`, milliseconds.
    pub fn control_ms(&self, control: Control) -> u32 {
        let s = match control {
            Control::TrafficSignals => self.signals_s,
            Control::Stop => self.stop_s,
            Control::GiveWay => self.give_way_s,
            Control::LevelCrossing => self.level_crossing_s,
        };
        to_ms(s)
    }

    /// The angle part of a turn, s: `angle` in degrees, positive to the right, 0 straight on.
    /// `side` says which turns cross the oncoming traffic.
    pub fn angle_s(&self, angle: f64, side: DrivingSide) -> f64 {
        let across = match side {
            DrivingSide::Right => angle < 0.0,
            DrivingSide::Left => angle > 0.0,
        };
        let share = angle.abs().min(180.0) / 180.0;
        // OSRM's sigmoid: 0 straight on, about half the penalty at a right angle away from the
        // oncoming traffic, most of it across.
        let sigmoid =
            |bias: f64| self.turn_penalty_s / (1.0 + (-(13.0 * bias * share - 6.5 / bias)).exp());
        if across {
            let oncoming = self.oncoming_s / (1.0 + (-0.074 * (angle.abs() - 45.0)).exp());
            sigmoid(self.turn_bias) + oncoming
        } else {
            sigmoid(1.0 / self.turn_bias)
        }
    }

    /// The cost of a turn at a junction where the unit may turn, ms, or `None` when the unit
    /// may not make it. `u_turn` is a turn back onto the road just left; `dead_end` says no
    /// other road leaves the junction; `counts` says the junction joins more than two roads
    /// (where two roads merely meet, following the road costs nothing).
    pub fn turn_ms(
        &self,
        angle: f64,
        side: DrivingSide,
        u_turn: bool,
        dead_end: bool,
        counts: bool,
        control: Option<Control>,
    ) -> Option<u32> {
        let control = control.map_or(0, |c| self.control_ms(c));
        if u_turn {
            let extra = if dead_end {
                self.dead_end_turn_s
            } else {
                // As OSRM: the U-turn penalty on top of a 180° turn away from the traffic.
                let away = match side {
                    DrivingSide::Right => 180.0,
                    DrivingSide::Left => -180.0,
                };
                self.u_turn_s? + self.angle_s(away, side)
            };
            return Some(to_ms(extra) + control);
        }
        let shape = if counts {
            self.angle_s(angle, side)
        } else {
            0.0
        };
        Some(to_ms(shape) + control)
    }
}

fn to_ms(seconds: f64) -> u32 {
    (seconds * 1000.0 + 0.5) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn car_turns_cost_what_osrm_car_lua_says() {
        let car = TurnCosts::of(&Profile::new(ProfileKind::Car));
        // OSRM 26.10 car.lua, right-hand traffic: (angle, away, across), seconds.
        for (angle, away, across) in [
            (20.0, 0.03, 0.37),
            (45.0, 0.14, 1.54),
            (90.0, 2.11, 7.32),
            (135.0, 6.67, 9.41),
        ] {
            let right = car.angle_s(angle, DrivingSide::Right);
            let left = car.angle_s(-angle, DrivingSide::Right);
            assert!((right - away).abs() < 0.1, "{angle}: {right} vs {away}");
            assert!((left - across).abs() < 0.15, "{angle}: {left} vs {across}");
            // Where traffic keeps left, the sides swap.
            assert_eq!(car.angle_s(angle, DrivingSide::Left), left);
        }
    }

    #[test]
    fn buses_turn_round_only_where_the_road_ends() {
        let bus = TurnCosts::of(&Profile::new(ProfileKind::Bus));
        let side = DrivingSide::Right;
        assert_eq!(bus.turn_ms(180.0, side, true, false, true, None), None);
        assert_eq!(
            bus.turn_ms(180.0, side, true, true, false, None),
            Some(60_000)
        );
        let car = TurnCosts::of(&Profile::new(ProfileKind::Car));
        let u = car.turn_ms(180.0, side, true, false, true, None).unwrap();
        assert!((27_000..28_000).contains(&u), "{u}");
        let signals = car.turn_ms(0.0, side, false, false, true, Some(Control::TrafficSignals));
        assert_eq!(signals, Some(2_000 + 7));
    }

    #[test]
    fn the_side_comes_from_the_place() {
        assert_eq!(DrivingSide::at(35.9, 14.45), DrivingSide::Left);
        assert_eq!(DrivingSide::at(42.5, 1.55), DrivingSide::Right);
        assert_eq!(DrivingSide::at(48.86, 2.35), DrivingSide::Right);
        assert_eq!(DrivingSide::at(51.5, -0.12), DrivingSide::Left);
        assert_eq!(DrivingSide::at(50.72, 1.61), DrivingSide::Right);
        assert_eq!(DrivingSide::at(50.95, 1.85), DrivingSide::Right);
    }
}
