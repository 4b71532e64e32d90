//! Import counts checked against figures derived independently.
//!
//! Element counts and points of interest: `../shared/osm/README.md` (pyosmium 4.3.2 and
//! `osmium fileinfo -e`). Car-usable ways and kilometres: `tests/reference/derive_counts.py`
//! (pyosmium, which shares no code with osm-data), run once and written here.

use std::collections::BTreeMap;

use osm_data::extract::OsmExtract;
use osm_data::pois::read_pois;
use osm_data::profile::ProfileKind;
use osm_data::progress::Silent;

use crate::support::{shared_osm, shared_router};

#[test]
fn element_counts_match_pyosmium() {
    let expected = [
        ("fr-saint-barthelemy-2014.osm.pbf", 8_076, 625, 16, 515),
        ("fr-paris-bss.osm.pbf", 4_598, 1_289, 17, 1_219),
        ("monaco-2020.osm.pbf", 23_662, 3_624, 235, 1_996),
        ("andorra-2021.osm.pbf", 256_677, 13_133, 289, 4_981),
        ("liechtenstein-2021.osm.pbf", 295_005, 29_874, 884, 6_984),
        ("malta-2016.osm.pbf", 252_937, 40_028, 527, 21_137),
        (
            "rhein-neckar-highways-2016.osm.pbf",
            164_598,
            37_344,
            0,
            37_344,
        ),
    ];
    for (file, nodes, ways, relations, highway_ways) in expected {
        let Some(path) = shared_osm(file) else { return };
        let counts = *OsmExtract::read(&path, &Silent).unwrap().counts();
        assert_eq!(
            (
                counts.nodes,
                counts.ways,
                counts.relations,
                counts.highway_ways
            ),
            (nodes, ways, relations, highway_ways),
            "{file}"
        );
    }
}

#[test]
fn car_usable_ways_and_length_match_pyosmium() {
    // (file, car-usable ways, their length in km, way node references outside the file)
    let expected = [
        ("fr-saint-barthelemy-2014.osm.pbf", 515, 123.125, 0),
        ("fr-paris-bss.osm.pbf", 542, 57.428, 656),
        ("monaco-2020.osm.pbf", 857, 65.785, 0),
    ];
    for (file, ways, km, missing) in expected {
        let Some(router) = shared_router(file, ProfileKind::Car) else {
            return;
        };
        let stats = router.graph().stats();
        assert_eq!(stats.usable_ways, ways, "{file}");
        assert!(
            (stats.usable_km - km).abs() < 0.001,
            "{file}: {} km",
            stats.usable_km
        );
        assert_eq!(stats.source.missing_node_refs, missing, "{file}");
        // What the largest component keeps is part of what is usable.
        assert!(
            stats.road_km <= stats.usable_km && stats.road_km > 0.8 * stats.usable_km,
            "{file}"
        );
    }
}

#[test]
fn points_of_interest_match_the_readme_counts() {
    let expected: [(&str, &[(&str, usize)]); 6] = [
        (
            "fr-saint-barthelemy-2014.osm.pbf",
            &[("parking", 1), ("town", 1)],
        ),
        (
            "fr-paris-bss.osm.pbf",
            &[("marketplace", 1), ("parking", 3)],
        ),
        (
            "monaco-2020.osm.pbf",
            &[
                ("city", 1),
                ("library", 2),
                ("marketplace", 1),
                ("parking", 52),
                ("townhall", 1),
            ],
        ),
        (
            "andorra-2021.osm.pbf",
            &[
                ("community_centre", 1),
                ("hamlet", 24),
                ("library", 5),
                ("marketplace", 1),
                ("parking", 278),
                ("town", 7),
                ("townhall", 6),
                ("village", 33),
            ],
        ),
        (
            "malta-2016.osm.pbf",
            &[
                ("city", 2),
                ("community_centre", 4),
                ("hamlet", 13),
                ("library", 10),
                ("parking", 520),
                ("town", 26),
                ("townhall", 10),
                ("village", 46),
            ],
        ),
        ("rhein-neckar-highways-2016.osm.pbf", &[("parking", 6)]),
    ];
    for (file, kinds) in expected {
        let Some(path) = shared_osm(file) else { return };
        let mut counted = BTreeMap::new();
        for poi in read_pois(&path, &Silent).unwrap() {
            *counted.entry(poi.kind.name()).or_insert(0) += 1;
        }
        let expected: BTreeMap<&str, usize> = kinds.iter().copied().collect();
        assert_eq!(counted, expected, "{file}");
    }
}

#[test]
fn points_of_interest_carry_names_populations_and_positions() {
    let Some(path) = shared_osm("monaco-2020.osm.pbf") else {
        return;
    };
    let pois = read_pois(&path, &Silent).unwrap();
    let city = pois.iter().find(|p| p.kind.name() == "city").unwrap();
    assert_eq!(city.name.as_deref(), Some("Monaco"));
    // Every point lies in or near Monaco, ways and relations reduced to a point inside.
    for poi in &pois {
        assert!(
            (43.5..43.8).contains(&poi.coord.lat) && (7.3..7.6).contains(&poi.coord.lon),
            "{poi:?}"
        );
    }
    let Some(path) = shared_osm("andorra-2021.osm.pbf") else {
        return;
    };
    let towns = read_pois(&path, &Silent).unwrap();
    assert!(
        towns
            .iter()
            .any(|p| p.kind.is_place() && p.population.is_some_and(|n| n > 1_000))
    );
}
