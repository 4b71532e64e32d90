//! Traffic control on a node: what makes a unit slow down or stop where roads meet.

use serde::{Deserialize, Serialize};

/// A node's traffic control, from `highway=*`, `crossing=*` or `railway=*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Control {
    /// `highway=traffic_signals`, or a crossing with `crossing=traffic_signals`.
    TrafficSignals,
    /// `highway=stop`.
    Stop,
    /// `highway=give_way`.
    GiveWay,
    /// `railway=level_crossing` (or `railway=crossing` for a cycle's crossing).
    LevelCrossing,
}

impl Control {
    /// The control a node's tags set, if any (signals win over signs, signs over crossings).
    pub fn parse<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Self> {
        let mut found: Option<Control> = None;
        for (key, value) in tags {
            let control = match (key, value) {
                ("highway", "traffic_signals") | ("crossing", "traffic_signals") => {
                    Control::TrafficSignals
                }
                ("highway", "stop") => Control::Stop,
                ("highway", "give_way") => Control::GiveWay,
                ("railway", "level_crossing" | "crossing") => Control::LevelCrossing,
                _ => continue,
            };
            found = Some(found.map_or(control, |f| f.min(control)));
        }
        found
    }

    fn priority(self) -> u8 {
        match self {
            Control::TrafficSignals => 0,
            Control::Stop => 1,
            Control::GiveWay => 2,
            Control::LevelCrossing => 3,
        }
    }

    fn min(self, other: Control) -> Control {
        if other.priority() < self.priority() {
            other
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_signals_signs_and_crossings() {
        let parse = |tags: &[(&'static str, &'static str)]| Control::parse(tags.iter().copied());
        assert_eq!(
            parse(&[("highway", "traffic_signals")]),
            Some(Control::TrafficSignals)
        );
        assert_eq!(
            parse(&[("highway", "crossing"), ("crossing", "traffic_signals")]),
            Some(Control::TrafficSignals)
        );
        assert_eq!(parse(&[("highway", "stop")]), Some(Control::Stop));
        assert_eq!(parse(&[("highway", "give_way")]), Some(Control::GiveWay));
        assert_eq!(
            parse(&[("railway", "level_crossing")]),
            Some(Control::LevelCrossing)
        );
        assert_eq!(parse(&[("highway", "crossing")]), None);
    }
}
