//! Physical limits on roads and barriers: `maxheight`, `maxwidth`, `maxlength` (metres) and
//! `maxweight` (tonnes).

use super::number::split_number;

/// A length limit in metres from values such as `3.5`, `3,5 m`, `350 cm`, `11'6"` or `12 ft`.
/// `None` for `default`, `none`, `below_default` and anything unreadable: no limit is applied.
pub fn parse_metres(value: &str) -> Option<f64> {
    let value = value.trim();
    if let Some(feet_inches) = parse_feet_inches(value) {
        return Some(feet_inches);
    }
    let (number, unit) = split_number(value)?;
    let metres = match unit {
        "" | "m" => number,
        "cm" => number / 100.0,
        "ft" | "feet" => number * 0.3048,
        _ => return None,
    };
    (metres > 0.0).then_some(metres)
}

/// A weight limit in tonnes from values such as `3.5`, `3,5 t`, `7500 kg` or `12 st`.
pub fn parse_tonnes(value: &str) -> Option<f64> {
    let (number, unit) = split_number(value.trim())?;
    let tonnes = match unit {
        "" | "t" => number,
        "kg" => number / 1000.0,
        "st" => number * 0.907_185,
        "lbs" | "lb" => number * 0.000_453_592,
        _ => return None,
    };
    (tonnes > 0.0).then_some(tonnes)
}

/// `11'6"` (feet and inches), with or without spaces.
fn parse_feet_inches(value: &str) -> Option<f64> {
    let (feet, rest) = value.split_once('\'')?;
    let feet = feet.trim().parse::<f64>().ok()?;
    let inches = rest.trim().trim_end_matches('"').trim();
    let inches = if inches.is_empty() {
        0.0
    } else {
        inches.parse::<f64>().ok()?
    };
    Some(feet * 0.3048 + inches * 0.0254).filter(|m| *m > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_in_every_spelling() {
        assert_eq!(parse_metres("3.5"), Some(3.5));
        assert_eq!(parse_metres("3,5 m"), Some(3.5));
        assert_eq!(parse_metres("350 cm"), Some(3.5));
        let imperial = parse_metres("11'6\"").unwrap();
        assert!((imperial - 3.5052).abs() < 1e-4, "{imperial}");
        for none in ["default", "none", "below_default", "", "-1"] {
            assert_eq!(parse_metres(none), None, "{none}");
        }
    }

    #[test]
    fn weights_in_every_spelling() {
        assert_eq!(parse_tonnes("3.5"), Some(3.5));
        assert_eq!(parse_tonnes("7500 kg"), Some(7.5));
        assert_eq!(parse_tonnes("12 t"), Some(12.0));
        assert_eq!(parse_tonnes("none"), None);
    }
}
