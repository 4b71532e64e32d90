//! Profile rules end to end on the synthetic village of `tests/fixtures/village.osm.pbf` (see
//! `make_fixtures.py` for its map): a 3 m bridge, a bollard, a one-way street open to cycles
//! both ways, a motorway.

use osm_data::Error;
use osm_data::geo::Coord;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::route::Route;

use crate::support::{fixture, router};

const A: Coord = Coord {
    lat: 45.000,
    lon: 5.000,
};
const Z: Coord = Coord {
    lat: 45.000,
    lon: 5.003,
};
const F: Coord = Coord {
    lat: 45.002,
    lon: 5.000,
};
const G: Coord = Coord {
    lat: 45.002,
    lon: 5.001,
};
const P: Coord = Coord {
    lat: 44.997,
    lon: 5.000,
};
const Q: Coord = Coord {
    lat: 44.997,
    lon: 5.003,
};
/// On the lane through the bollard, west of it.
const K: Coord = Coord {
    lat: 45.0005,
    lon: 5.00125,
};
/// On the same lane, east of the bollard.
const L: Coord = Coord {
    lat: 45.0005,
    lon: 5.00175,
};
/// End of a footway no profile may use, 167 m from the nearest usable road.
const X: Coord = Coord {
    lat: 44.995,
    lon: 5.000,
};

fn route(profile: &Profile, from: Coord, to: Coord) -> Route {
    let router = router(&fixture("village.osm.pbf"), profile);
    let snaps = router.snap(&[from, to], 50.0).unwrap();
    router.route(&snaps[0], &snaps[1]).unwrap()
}

fn passes(route: &Route, at: Coord) -> bool {
    route
        .coordinates
        .iter()
        .any(|c| (c.lat - at.lat).abs() < 1e-9 && (c.lon - at.lon).abs() < 1e-9)
}

#[test]
fn tall_units_go_around_the_3_m_bridge() {
    let bridge_north_end = Coord::new(45.000, 5.001);
    let detour = Coord::new(44.999, 5.001);
    let car = route(&Profile::new(ProfileKind::Car), A, Z);
    assert!(!passes(&car, detour), "the car takes the bridge");
    for kind in [ProfileKind::Bus, ProfileKind::CampingCar] {
        let tall = route(&Profile::new(kind), A, Z);
        assert!(
            passes(&tall, bridge_north_end) && passes(&tall, detour),
            "{kind} detours"
        );
        assert!(tall.distance_m > car.distance_m + 150, "{kind}");
    }
    let mut roof_box = Profile::new(ProfileKind::Car);
    roof_box.height_m = 3.2;
    assert!(
        passes(&route(&roof_box, A, Z), detour),
        "a car 3.2 m high detours too"
    );
}

#[test]
fn a_bollard_stops_cars_but_not_the_tricycle() {
    let car = route(&Profile::new(ProfileKind::Car), K, L);
    let trike = route(&Profile::new(ProfileKind::Triporteur), K, L);
    // 40 m apart on the lane: the tricycle rides through, the car goes round the block.
    assert!(trike.distance_m < 60, "{}", trike.distance_m);
    assert!(car.distance_m > 200, "{}", car.distance_m);
}

#[test]
fn the_one_way_street_is_two_way_for_cycles_only() {
    let car = Profile::new(ProfileKind::Car);
    let trike = Profile::new(ProfileKind::Triporteur);
    let car_along = route(&car, F, G).distance_m;
    let car_against = route(&car, G, F).distance_m;
    assert!(car_against > 2 * car_along, "{car_along} vs {car_against}");
    let trike_along = route(&trike, F, G).distance_m;
    let trike_against = route(&trike, G, F).distance_m;
    assert_eq!(trike_along, trike_against);
}

#[test]
fn the_tricycle_keeps_off_the_motorway() {
    let car = route(&Profile::new(ProfileKind::Car), P, Q);
    let trike = route(&Profile::new(ProfileKind::Triporteur), P, Q);
    assert!(car.distance_m < 250, "{}", car.distance_m);
    assert!(
        trike.distance_m > 300,
        "the tricycle takes the parallel road: {}",
        trike.distance_m
    );
    // At its cruising speed of 18 km/h, plus the left turn across the traffic from R-S onto
    // S-Q at S, where three roads meet (5.9 s for a cycle, see osm_data::turns::cost).
    let expected_s = f64::from(trike.distance_m) / (18.0 / 3.6) + 5.9;
    assert!(
        (f64::from(trike.duration_s) - expected_s).abs() < 2.0,
        "{}",
        trike.duration_s
    );
}

#[test]
fn a_point_too_far_from_a_usable_road_is_named() {
    let router = router(&fixture("village.osm.pbf"), &Profile::new(ProfileKind::Car));
    match router.snap(&[A, X], 100.0) {
        Err(Error::TooFarFromRoad {
            index, distance_m, ..
        }) => {
            assert_eq!(index, 1);
            assert!((distance_m - 167.0).abs() < 5.0, "{distance_m}");
        }
        other => panic!("expected TooFarFromRoad, got {other:?}"),
    }
    assert!(router.snap(&[Coord::new(f64::NAN, 5.0)], 100.0).is_err());
}
