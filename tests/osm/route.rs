//! Routes: their duration and length are the matrix entry, and their geometry runs along the
//! roads from one snapped point to the other.

use osm_data::geo::{Coord, haversine_m};
use osm_data::router::Router;

use crate::support::{customized_router, for_each_shared_router, sample_snaps, shared_router};

fn polyline_m(line: &[Coord]) -> f64 {
    line.windows(2).map(|p| haversine_m(p[0], p[1])).sum()
}

/// Routes between sampled points of `router` against its matrix and its roads.
fn check_routes(router: &Router, context: &str) {
    let snaps = sample_snaps(router, 12, 5);
    let matrix = router.matrix(&snaps, &snaps).unwrap();
    for (i, from) in snaps.iter().enumerate() {
        for (j, to) in snaps.iter().enumerate() {
            let route = router.route(from, to).unwrap();
            let context = format!("{context}: {i} -> {j}");
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

#[test]
fn routes_agree_with_the_matrix_and_follow_the_roads() {
    for_each_shared_router(shared_router, check_routes);
}

/// The same with a customizable hierarchy: its shortcuts unpack into the roads they stand for.
#[test]
fn routes_of_a_customized_hierarchy_agree_with_its_matrix_and_follow_the_roads() {
    for_each_shared_router(customized_router, |router, context| {
        check_routes(router, &format!("{context}, customized"));
    });
}
