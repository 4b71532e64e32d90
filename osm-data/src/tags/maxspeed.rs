//! `maxspeed=*` values, numeric or implicit (`FR:urban`, `DE:rural`, `walk`, `30 mph`, …).

use super::number::split_number;

/// Walking pace used for `maxspeed=walk` and `*:walk`, in km/h.
const WALK_KMH: f64 = 6.0;
/// Kilometres in a statute mile.
const KM_PER_MILE: f64 = 1.609_344;

/// The speed limit a `maxspeed` value sets, in km/h.
///
/// `None` when the value sets no usable limit (`none`, `signals`, `variable`, an implicit value
/// of a country not in the table) or cannot be read; the profile then uses its default speed for
/// the road class. Several values separated by `;` yield the lowest.
pub fn parse_kmh(value: &str) -> Option<f64> {
    value
        .split(';')
        .filter_map(|part| parse_one(part.trim()))
        .reduce(f64::min)
}

fn parse_one(value: &str) -> Option<f64> {
    if value == "walk" {
        return Some(WALK_KMH);
    }
    if let Some((country, kind)) = value.split_once(':') {
        return implicit(country, kind);
    }
    let (number, unit) = split_number(value)?;
    match unit {
        "" | "km/h" | "kmh" | "kph" | "km" => Some(number),
        "mph" => Some(number * KM_PER_MILE),
        "knots" => Some(number * 1.852),
        _ => None,
    }
    .filter(|kmh| *kmh > 0.0)
}

/// Implicit limits (`CC:kind`) of the countries our extracts and users are in.
fn implicit(country: &str, kind: &str) -> Option<f64> {
    let kind = kind.trim();
    if kind == "walk" {
        return Some(WALK_KMH);
    }
    if let Some(zone) = kind.strip_prefix("zone").map(|z| z.trim_start_matches(':')) {
        return split_number(zone).map(|(n, _)| n).filter(|n| *n > 0.0);
    }
    let (urban, rural, trunk, motorway, living) = match country {
        "FR" | "MC" => (50.0, 80.0, 110.0, 130.0, 20.0),
        "DE" => (50.0, 100.0, 100.0, f64::NAN, WALK_KMH),
        "AT" => (50.0, 100.0, 100.0, 130.0, 5.0),
        "CH" | "LI" => (50.0, 80.0, 100.0, 120.0, 20.0),
        "IT" => (50.0, 90.0, 110.0, 130.0, 10.0),
        "ES" | "AD" => (50.0, 90.0, 100.0, 120.0, 20.0),
        "BE" => (50.0, 70.0, 120.0, 120.0, 20.0),
        "LU" => (50.0, 90.0, 90.0, 130.0, 20.0),
        "NL" => (50.0, 80.0, 100.0, 100.0, 15.0),
        "MT" => (50.0, 80.0, 80.0, 80.0, 10.0),
        "GB" => (
            30.0 * KM_PER_MILE,
            60.0 * KM_PER_MILE,
            70.0 * KM_PER_MILE,
            70.0 * KM_PER_MILE,
            20.0,
        ),
        _ => (50.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN),
    };
    let kmh = match kind {
        "urban" => urban,
        "rural" | "nsl_single" => rural,
        "trunk" | "nsl_dual" | "expressway" => trunk,
        "motorway" => motorway,
        "living_street" => living,
        _ => f64::NAN,
    };
    // NaN marks "no limit" or "not in the table": fall back to the road class default.
    (!kmh.is_nan()).then_some(kmh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_values_and_units() {
        assert_eq!(parse_kmh("50"), Some(50.0));
        assert_eq!(parse_kmh("50 km/h"), Some(50.0));
        assert_eq!(parse_kmh("7,5"), Some(7.5));
        let mph = parse_kmh("30 mph").unwrap();
        assert!((mph - 48.28).abs() < 0.01, "{mph}");
        assert_eq!(parse_kmh("50;30"), Some(30.0));
    }

    #[test]
    fn french_implicit_values() {
        assert_eq!(parse_kmh("FR:urban"), Some(50.0));
        assert_eq!(parse_kmh("FR:rural"), Some(80.0));
        assert_eq!(parse_kmh("FR:zone30"), Some(30.0));
        assert_eq!(parse_kmh("FR:zone:30"), Some(30.0));
        assert_eq!(parse_kmh("FR:motorway"), Some(130.0));
        assert_eq!(parse_kmh("FR:walk"), Some(WALK_KMH));
        assert_eq!(parse_kmh("walk"), Some(WALK_KMH));
    }

    #[test]
    fn values_without_a_limit_fall_back() {
        for v in [
            "none",
            "signals",
            "variable",
            "DE:motorway",
            "XX:rural",
            "fast",
            "0",
            "",
        ] {
            assert_eq!(parse_kmh(v), None, "{v}");
        }
        assert_eq!(parse_kmh("XX:urban"), Some(50.0));
    }
}
