//! Routes: their duration and length are the matrix entry, and their geometry runs along the
//! roads from one snapped point to the other.

use osm_data::geo::{Coord, haversine_m};
use osm_data::profile::ProfileKind;

use crate::support::{EXTRACTS, sample_snaps, shared_router};

fn polyline_m(line: &[Coord]) -> f64 {
    line.windows(2).map(|p| haversine_m(p[0], p[1])).sum()
}

#[test]
fn routes_agree_with_the_matrix_and_follow_the_roads() {
    for file in EXTRACTS {
        for kind in [ProfileKind::Car, ProfileKind::Bus, ProfileKind::Triporteur] {
            let Some(router) = shared_router(file, kind) else {
                return;
            };
            let snaps = sample_snaps(&router, 12, 5);
            let matrix = router.matrix(&snaps, &snaps).unwrap();
            for (i, from) in snaps.iter().enumerate() {
                for (j, to) in snaps.iter().enumerate() {
                    let route = router.route(from, to).unwrap();
                    let context = format!("{file} {kind}: {i} -> {j}");
                    assert_eq!(route.duration_s, matrix.duration_s(i, j), "{context}");
                    assert_eq!(route.distance_m, matrix.distance_m(i, j), "{context}");
                    assert_eq!(route.coordinates.first(), Some(&from.point), "{context}");
                    assert_eq!(route.coordinates.last(), Some(&to.point), "{context}");
                    // The polyline is the road path: its length is the route's, to rounding.
                    let drawn = polyline_m(&route.coordinates);
                    let tolerance = 1.0 + 1e-3 * drawn;
                    assert!(
                        (drawn - f64::from(route.distance_m)).abs() <= tolerance,
                        "{context}: drawn {drawn} m"
                    );
                }
            }
        }
    }
}
