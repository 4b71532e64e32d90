//! The one check of a latitude and longitude given by a user (request fields, CSV rows).

use std::ops::RangeInclusive;

/// Latitudes on the globe, degrees.
pub const LATITUDE: RangeInclusive<f64> = -90.0..=90.0;

/// Longitudes on the globe, degrees.
pub const LONGITUDE: RangeInclusive<f64> = -180.0..=180.0;

/// Whether a position is on the globe (NaN is not).
pub fn on_globe(lat: f64, lon: f64) -> bool {
    LATITUDE.contains(&lat) && LONGITUDE.contains(&lon)
}

/// What is wrong with a position, as the member at fault (`lat` or `lon`) and why.
pub fn position_faults(lat: f64, lon: f64) -> Vec<(&'static str, String)> {
    let mut faults = Vec::new();
    if !LATITUDE.contains(&lat) {
        faults.push(("lat", format!("{lat} is outside [-90, 90]")));
    }
    if !LONGITUDE.contains(&lon) {
        faults.push(("lon", format!("{lon} is outside [-180, 180]")));
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_member_out_of_range_is_named() {
        assert!(on_globe(42.5, 1.5));
        assert!(!on_globe(f64::NAN, 1.5));
        assert!(position_faults(42.5, -180.0).is_empty());
        let faults = position_faults(91.0, 181.0);
        assert_eq!(faults[0], ("lat", "91 is outside [-90, 90]".to_owned()));
        assert_eq!(faults[1].0, "lon");
    }
}
