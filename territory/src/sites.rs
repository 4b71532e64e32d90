//! Stop sites from points of interest: what kind of stop each is and when it is open, shared by
//! scenarios and territorial coverage.

use optimizer::planning::problem::StopKind;
use optimizer::planning::time::{LocalTime, TimeRange, Weekday, WeeklyHours};
use osm_data::opening_hours::{WeeklyOpening, parse_opening_hours};
use osm_data::pois::PoiKind;
use serde::Serialize;

/// The kind of stop a point of interest makes.
pub fn stop_kind(kind: PoiKind) -> StopKind {
    match kind {
        PoiKind::Marketplace => StopKind::Market,
        PoiKind::Library => StopKind::Library,
        PoiKind::Townhall => StopKind::TownHall,
        PoiKind::CommunityCentre | PoiKind::SocialFacility => StopKind::PartnerSite,
        _ => StopKind::Other,
    }
}

/// Typical opening hours of French sites of a kind, Monday to Friday: libraries Tuesday,
/// Wednesday and Friday 10:00–12:30 and 14:00–18:00; town halls 09:00–12:00 and 14:00–17:00;
/// community and social centres 09:00–17:00; markets (day unknown) mornings 08:00–12:30; car
/// parks, squares and other sites 09:00–12:00 and 14:00–17:00.
pub fn typical_hours(kind: PoiKind) -> WeeklyHours {
    let range = |(h1, m1), (h2, m2)| TimeRange {
        start: LocalTime::hm(h1, m1).unwrap_or(LocalTime::MIDNIGHT),
        end: LocalTime::hm(h2, m2).unwrap_or(LocalTime::MIDNIGHT),
    };
    let office = vec![range((9, 0), (12, 0)), range((14, 0), (17, 0))];
    let (days, ranges): (&[Weekday], Vec<TimeRange>) = match kind {
        PoiKind::Library => (
            &[Weekday::Tue, Weekday::Wed, Weekday::Fri],
            vec![range((10, 0), (12, 30)), range((14, 0), (18, 0))],
        ),
        PoiKind::CommunityCentre | PoiKind::SocialFacility => {
            (&Weekday::ALL[..5], vec![range((9, 0), (17, 0))])
        }
        PoiKind::Marketplace => (&Weekday::ALL[..5], vec![range((8, 0), (12, 30))]),
        _ => (&Weekday::ALL[..5], office),
    };
    WeeklyHours(days.iter().map(|d| (*d, ranges.clone())).collect())
}

/// Where a site's hours come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoursSource {
    /// Its `opening_hours` tag (or the candidates file's column).
    Tagged,
    /// Typical hours of its kind: no tag, a form not understood, or no weekday hours.
    Typical,
}

/// A site's hours: its `opening_hours` value when it is one of the common forms and opens on
/// some weekday, the typical hours of its kind otherwise; with the reason when the value was
/// not used.
pub fn site_hours(
    kind: PoiKind,
    tagged: Option<&str>,
) -> (WeeklyHours, HoursSource, Option<String>) {
    let Some(value) = tagged else {
        return (typical_hours(kind), HoursSource::Typical, None);
    };
    match parse_opening_hours(value) {
        Ok(opening) => {
            let hours = weekly_hours(&opening);
            if Weekday::ALL[..5].iter().any(|d| !hours.on(*d).is_empty()) {
                (hours, HoursSource::Tagged, None)
            } else {
                let note = format!("opening_hours {value:?} has no weekday hours");
                (typical_hours(kind), HoursSource::Typical, Some(note))
            }
        }
        Err(reason) => {
            let note = format!("opening_hours {value:?} not understood: {reason}");
            (typical_hours(kind), HoursSource::Typical, Some(note))
        }
    }
}

/// Parsed opening hours as the planner's weekly hours.
fn weekly_hours(opening: &WeeklyOpening) -> WeeklyHours {
    let time = |m: u16| LocalTime::hm(m / 60, m % 60).unwrap_or(LocalTime::MIDNIGHT);
    WeeklyHours(
        Weekday::ALL
            .iter()
            .zip(&opening.0)
            .filter(|(_, ranges)| !ranges.is_empty())
            .map(|(day, ranges)| {
                let ranges = ranges
                    .iter()
                    .map(|(a, b)| TimeRange {
                        start: time(*a),
                        end: time(*b),
                    })
                    .collect();
                (*day, ranges)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_hours_are_used_when_understood() {
        let (hours, source, note) = site_hours(PoiKind::Library, Some("Mo-Fr 09:00-12:00"));
        assert_eq!(source, HoursSource::Tagged);
        assert!(note.is_none());
        assert_eq!(hours.on(Weekday::Mon).len(), 1);
        assert!(hours.on(Weekday::Sat).is_empty());
        let (hours, source, note) = site_hours(PoiKind::Library, Some("Jan Mo 09:00-12:00"));
        assert_eq!(
            (source, hours),
            (HoursSource::Typical, typical_hours(PoiKind::Library))
        );
        assert!(note.unwrap().contains("Jan"));
        let (_, source, note) = site_hours(PoiKind::Marketplace, Some("Sa 08:00-13:00"));
        assert_eq!(source, HoursSource::Typical);
        assert!(note.unwrap().contains("no weekday"));
    }
}
