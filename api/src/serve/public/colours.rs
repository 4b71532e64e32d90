//! Unit colours and letters on the public page: each unit gets a letter (A, B, …) drawn in its
//! marker and beside its name, so that colour is never the only cue, and a colour with a
//! contrast of at least 3:1 against the map's background (WCAG 1.4.11, non-text contrast).

/// The map's background behind the markers (`public.css`, `#map`).
pub const MAP_BACKGROUND: &str = "#ffffff";

/// The units' colours, in order; the stylesheet's `.unit-N` classes use the same.
pub const PALETTE: [&str; 8] = [
    "#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#b45309", "#0e7490", "#be185d", "#4d7c0f",
];

/// The letter and class of the unit at `index` (the palette repeats after 8 units; the letters
/// after 26).
pub fn mark(index: usize) -> (char, String) {
    let letter = char::from(b'A' + u8::try_from(index % 26).unwrap_or(0));
    (letter, format!("unit-{}", index % PALETTE.len()))
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    Some((light + 0.05) / (dark + 0.05))
}

fn luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLESHEET: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/web/public/public.css"
    ));

    #[test]
    fn every_unit_colour_stands_out_from_the_map_and_the_stylesheet_agrees() {
        assert!((contrast("#000000", "#ffffff").expect("colours") - 21.0).abs() < 1e-9);
        for (i, colour) in PALETTE.iter().enumerate() {
            let ratio = contrast(colour, MAP_BACKGROUND).expect("colours");
            assert!(ratio >= 3.0, "{colour}: {ratio:.2}");
            // White letters on the marker are text: 4.5:1.
            assert!(
                contrast(colour, "#ffffff").expect("colours") >= 4.5,
                "{colour}"
            );
            assert!(
                STYLESHEET.contains(&format!(".unit-{i} {{ --unit: {colour}; }}")),
                "public.css lacks .unit-{i} for {colour}"
            );
        }
        assert!(STYLESHEET.contains(&format!("--map-background: {MAP_BACKGROUND};")));
    }

    #[test]
    fn units_get_letters_in_order() {
        assert_eq!(mark(0), ('A', "unit-0".to_owned()));
        assert_eq!(mark(9), ('J', "unit-1".to_owned()));
    }
}
