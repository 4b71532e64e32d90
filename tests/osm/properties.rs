//! Properties every shared extract must show: what each profile may use, and what matrices
//! must satisfy.

use osm_data::geo::Coord;
use osm_data::ids::SegmentIdx;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::router::DEFAULT_SNAP_LIMIT_M;

use super::tags::{plain_metres, way_tags};
use crate::support::{EXTRACTS, router, sample_snaps, shared_osm, shared_router};

#[test]
fn a_triporteur_graph_holds_no_motorway_or_trunk() {
    for file in EXTRACTS {
        let Some(path) = shared_osm(file) else { return };
        let router = router(&path, &Profile::new(ProfileKind::Triporteur));
        let tags = way_tags(&path);
        let graph = router.graph();
        for s in 0..graph.segments().len() as u32 {
            for way in graph.segment_ways(SegmentIdx(s)) {
                let highway = tags[&way.0]
                    .get("highway")
                    .map(String::as_str)
                    .unwrap_or("");
                assert!(
                    !["motorway", "motorway_link", "trunk", "trunk_link"].contains(&highway),
                    "{file}: way {} is {highway}",
                    way.0
                );
            }
        }
    }
}

#[test]
fn a_bus_of_3_5_m_never_passes_under_a_lower_limit() {
    let mut low_ways_seen = 0;
    for file in EXTRACTS {
        let Some(path) = shared_osm(file) else { return };
        let mut bus = Profile::new(ProfileKind::Bus);
        bus.height_m = 3.5;
        let router = router(&path, &bus);
        let tags = way_tags(&path);
        let limit = |way: i64| {
            let t = &tags[&way];
            ["maxheight", "maxheight:physical"]
                .iter()
                .filter_map(|k| t.get(*k).and_then(|v| plain_metres(v)))
                .reduce(f64::min)
        };
        low_ways_seen += tags
            .keys()
            .filter(|w| limit(**w).is_some_and(|m| m < 3.5))
            .count();
        let graph = router.graph();
        for s in 0..graph.segments().len() as u32 {
            for way in graph.segment_ways(SegmentIdx(s)) {
                if let Some(max) = limit(way.0) {
                    assert!(max >= 3.5, "{file}: way {} has maxheight {max}", way.0);
                }
            }
        }
    }
    // The extracts do hold low bridges and passages, so the check above is not empty.
    if shared_osm(EXTRACTS[0]).is_some() {
        assert!(low_ways_seen >= 5, "{low_ways_seen}");
    }
}

#[test]
fn one_way_streets_are_faster_in_their_direction() {
    for file in EXTRACTS {
        let Some(router) = shared_router(file, ProfileKind::Car) else {
            return;
        };
        let graph = router.graph();
        let mut checked = 0;
        for s in 0..graph.segments().len() as u32 {
            let segment = graph.segment(SegmentIdx(s));
            let length_m = f64::from(graph.segment_end(SegmentIdx(s)).length_cm) / 100.0;
            if segment.backward.is_some() || segment.from == segment.to || length_m < 60.0 {
                continue;
            }
            // Two points on the street, A before B in its direction, close enough that going
            // round the block from B back to A costs at least the rest of the street.
            let points: Vec<Coord> = graph.segment_points(SegmentIdx(s)).collect();
            let along = |share: f64| {
                let goal = share * length_m * 100.0;
                let k = (1..points.len())
                    .find(|&k| f64::from(graph.point_offset(SegmentIdx(s), k).length_cm) >= goal)
                    .unwrap_or(points.len() - 1);
                let start = f64::from(graph.point_offset(SegmentIdx(s), k - 1).length_cm);
                let end = f64::from(graph.point_offset(SegmentIdx(s), k).length_cm);
                let t = if end > start {
                    (goal - start) / (end - start)
                } else {
                    0.0
                };
                let (a, b) = (points[k - 1], points[k]);
                Coord::new(a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t)
            };
            let Ok(snaps) = router.snap(&[along(0.4), along(0.6)], DEFAULT_SNAP_LIMIT_M) else {
                continue;
            };
            let on_street = snaps.iter().all(|snap| snap.segment == SegmentIdx(s));
            if !on_street || snaps[0].offset.length_cm >= snaps[1].offset.length_cm {
                continue;
            }
            let m = router.matrix(&snaps, &snaps).unwrap();
            assert!(
                m.duration_s(0, 1) < m.duration_s(1, 0),
                "{file}: segment {s}"
            );
            checked += 1;
            if checked == 25 {
                break;
            }
        }
        if file != "fr-saint-barthelemy-2014.osm.pbf" {
            assert!(checked > 0, "{file}: no one-way street checked");
        }
    }
}

#[test]
fn matrices_have_a_zero_diagonal_and_keep_the_triangle_inequality_through_one_way_stops() {
    for file in EXTRACTS {
        for kind in [ProfileKind::Car, ProfileKind::Triporteur] {
            let Some(router) = shared_router(file, kind) else {
                return;
            };
            let snaps = sample_snaps(&router, 40, 7);
            let m = router.matrix(&snaps, &snaps).unwrap();
            let n = snaps.len();
            for i in 0..n {
                assert_eq!(
                    (m.duration_s(i, i), m.distance_m(i, i)),
                    (0, 0),
                    "{file} {kind}"
                );
            }
            // On a turn-aware graph a stop in the middle of a two-way road lets the unit turn
            // round for free between two legs, which a through trip cannot: the triangle
            // inequality d(i,k) <= d(i,j) + d(j,k) holds exactly when j lies on a one-way road
            // (arriving at j and leaving it are then one drive along the road) that no via-way
            // restriction binds (which a stop would also forget).
            let graph = router.graph();
            let mut one_way = 0;
            for (j, stop) in snaps.iter().enumerate() {
                let segment = graph.segment(stop.segment);
                let Some(edge) = segment.forward.xor(segment.backward) else {
                    continue;
                };
                if graph.turns().has_copies(edge) {
                    continue;
                }
                one_way += 1;
                for i in 0..n {
                    for k in 0..n {
                        let direct = m.duration_s(i, k);
                        let through = m.duration_s(i, j) + m.duration_s(j, k);
                        assert!(
                            direct <= through,
                            "{file} {kind}: {i}->{k} {direct} > {through} via {j}"
                        );
                    }
                }
            }
            if file == "malta-2016.osm.pbf" && kind == ProfileKind::Car {
                assert!(one_way > 0, "no stop on a one-way road");
            }
        }
    }
}

#[test]
fn matrices_are_asymmetric_where_one_ways_make_them_so() {
    let Some(router) = shared_router("malta-2016.osm.pbf", ProfileKind::Car) else {
        return;
    };
    let snaps = sample_snaps(&router, 60, 11);
    let m = router.matrix(&snaps, &snaps).unwrap();
    let asymmetric = (0..60)
        .flat_map(|i| (0..60).map(move |j| (i, j)))
        .filter(|&(i, j)| m.duration_s(i, j) != m.duration_s(j, i))
        .count();
    assert!(asymmetric > 0);
}

#[test]
fn people_on_foot_walk_both_ways_at_walking_speed_off_motorways() {
    for file in ["fr-paris-bss.osm.pbf", "malta-2016.osm.pbf"] {
        let Some(path) = shared_osm(file) else { return };
        let router = router(&path, &Profile::new(ProfileKind::Foot));
        let tags = way_tags(&path);
        let graph = router.graph();
        let mut footways = 0;
        for s in 0..graph.segments().len() as u32 {
            let segment = graph.segment(SegmentIdx(s));
            assert!(
                segment.backward.is_some(),
                "{file}: segment {s} one-way on foot"
            );
            for way in graph.segment_ways(SegmentIdx(s)) {
                let highway = tags[&way.0].get("highway").map_or("", String::as_str);
                assert!(
                    !["motorway", "motorway_link", "trunk", "trunk_link"].contains(&highway),
                    "{file}: way {} is {highway}",
                    way.0
                );
                footways += usize::from(["footway", "pedestrian", "path"].contains(&highway));
            }
        }
        assert!(footways > 0, "{file}: no footway walked");
        // Walking is symmetric and never faster than 4.8 km/h along the way walked.
        let snaps = crate::support::sample_snaps(&router, 30, 3);
        let m = router.matrix(&snaps, &snaps).unwrap();
        for i in 0..snaps.len() {
            for j in 0..snaps.len() {
                assert_eq!(m.duration_s(i, j), m.duration_s(j, i), "{file}: {i}<->{j}");
                let kmh = f64::from(m.distance_m(i, j))
                    / 1000.0
                    / (f64::from(m.duration_s(i, j)).max(1.0) / 3600.0);
                assert!(kmh <= 4.8 + 0.1, "{file}: {i}->{j} at {kmh:.2} km/h");
            }
        }
    }
}
