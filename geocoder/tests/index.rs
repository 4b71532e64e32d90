//! The offline index on a real extract (Liechtenstein, `../shared/osm/`): what it holds, what a
//! dispatcher's queries find, reverse lookups, and the cache round trip. Skipped, with a
//! `skipped:` line, where the shared data is absent.

use std::sync::OnceLock;

use geocoder::index::read::read;
use geocoder::index::store::load_or_build;
use geocoder::resolve::{Resolution, SAME_PLACE_M, resolve};
use geocoder::{Candidate, Coord, Error, Geocode, Index, IndexStats, Kind, Query};
use osm_data::geo::haversine_m;
use osm_data::import::{CachePolicy, CacheStatus};
use osm_data::progress::Silent;

#[path = "../../tests/support/shared.rs"]
mod shared;

fn liechtenstein() -> Option<std::path::PathBuf> {
    shared::shared("osm/liechtenstein-2021.osm.pbf")
}

/// The index of Liechtenstein, built once for every test.
fn index() -> Option<&'static Index> {
    static INDEX: OnceLock<Index> = OnceLock::new();
    let extract = liechtenstein()?;
    Some(INDEX.get_or_init(|| Index::build(&extract, &Silent).expect("the index builds")))
}

fn search(index: &Index, text: &str) -> Vec<Candidate> {
    index.search(&Query::new(text, 5)).expect("a valid query")
}

/// Where the extract's own objects tagged "24 Dorfstrasse, Triesen" are.
fn dorfstrasse_24() -> Vec<Coord> {
    let extract = liechtenstein().expect("checked by the caller");
    let read = read(&extract, &Silent).expect("the extract reads");
    let objects: Vec<Coord> = read
        .addresses
        .iter()
        .filter(|a| a.number == "24" && a.street == "Dorfstrasse")
        .filter(|a| a.city.as_deref().is_none_or(|c| c == "Triesen"))
        .map(|a| a.position)
        .collect();
    assert!(objects.len() >= 2, "the extract draws 24 Dorfstrasse twice");
    objects
}

#[test]
fn the_index_holds_the_extracts_addresses_streets_places_and_pois() {
    let Some(index) = index() else { return };
    let stats = index.stats();
    assert_eq!(
        stats,
        IndexStats {
            addresses: 3231,
            // Streets without addresses take the Gemeinde whose boundary they lie in, which is
            // their addresses' `addr:city`: one street where the nearest village made two.
            streets: 1150,
            places: 82,
            pois: 108,
            words: stats.words,
        }
    );
}

#[test]
fn a_known_address_is_found_where_the_extract_puts_it() {
    let Some(index) = index() else { return };
    let Resolution::Found(best) = resolve(search(index, "24 Dorfstrasse, 9495 Triesen")) else {
        panic!("a full address resolves");
    };
    assert_eq!(best.kind, Kind::Housenumber);
    assert_eq!(best.label, "24 Dorfstrasse 9495 Triesen");
    assert_eq!(best.postcode.as_deref(), Some("9495"));
    assert_eq!(best.city.as_deref(), Some("Triesen"));
    assert_eq!(best.score, 1.0);
    // The extract draws it twice: the answer lies at one of the objects.
    let off: Vec<f64> = dorfstrasse_24()
        .iter()
        .map(|o| haversine_m(best.position, *o))
        .collect();
    assert!(
        off.iter().any(|d| *d <= SAME_PLACE_M),
        "{off:.0?} m from the objects"
    );
}

#[test]
fn a_number_the_street_lacks_shows_the_street_without_taking_it() {
    let Some(index) = index() else { return };
    let answer = search(index, "999 Dorfstrasse, 9495 Triesen");
    assert_eq!(answer[0].kind, Kind::Street, "{answer:?}");
    assert_eq!(answer[0].label, "Dorfstrasse 9495 Triesen");
    assert!(
        matches!(resolve(answer), Resolution::LowConfidence(_)),
        "a street is not the address asked for"
    );
}

#[test]
fn places_take_the_commune_whose_boundary_holds_them() {
    let Some(index) = index() else { return };
    // Nearer to Malbun's or Schaanwald's node than to their own commune's, inside its boundary.
    for (place, commune) in [
        ("Sassfürkle", "Schaan"),
        ("Malbun", "Triesenberg"),
        ("Gerawald", "Mauren"),
    ] {
        let Resolution::Found(found) = resolve(search(index, place)) else {
            panic!("{place} resolves");
        };
        assert_eq!(found.kind, Kind::Place, "{place}");
        assert_eq!(found.city.as_deref(), Some(commune), "{place}");
        let narrowed = index
            .search(&Query {
                city: Some(commune.into()),
                ..Query::new(place, 5)
            })
            .expect("a valid query");
        assert_eq!(
            narrowed.first().map(|c| c.kind),
            Some(Kind::Place),
            "{place}"
        );
    }
}

#[test]
fn a_place_named_in_full_beats_a_street_of_the_same_name() {
    let Some(index) = index() else { return };
    // Steg is a hamlet of Triesenberg and a street 600 m from its node.
    let answer = search(index, "Steg");
    assert!(
        answer
            .iter()
            .any(|c| c.kind == Kind::Street && c.label.starts_with("Steg"))
    );
    let Resolution::Found(found) = resolve(answer) else {
        panic!("the hamlet is taken");
    };
    assert_eq!(
        (found.kind, found.label.as_str()),
        (Kind::Place, "Steg Triesenberg")
    );
}

#[test]
fn a_typo_abbreviations_and_case_still_find_it_with_a_lower_score() {
    let Some(index) = index() else { return };
    for text in [
        "24 Dorfstrase Triesen",
        "24 DORFSTR. triesen",
        "24 Dorfstrasse",
    ] {
        let Resolution::Found(best) = resolve(search(index, text)) else {
            panic!("{text:?} resolves");
        };
        assert_eq!(best.label, "24 Dorfstrasse 9495 Triesen", "{text:?}");
    }
    let typo = &search(index, "24 Dorfstrase Triesen")[0];
    assert!(typo.score < 1.0 && typo.score > 0.5, "{}", typo.score);
}

#[test]
fn the_same_address_in_several_communes_is_ambiguous_until_narrowed() {
    let Some(index) = index() else { return };
    let Resolution::Ambiguous(candidates) = resolve(search(index, "3 Landstrasse")) else {
        panic!("three communes have a 3 Landstrasse");
    };
    let communes: Vec<&str> = candidates
        .iter()
        .filter(|c| c.kind == Kind::Housenumber)
        .filter_map(|c| c.city.as_deref())
        .collect();
    assert!(
        communes.contains(&"Vaduz") && communes.contains(&"Schaan"),
        "{communes:?}"
    );

    let by_postcode = Query {
        postcode: Some("9494".into()),
        ..Query::new("3 Landstrasse", 5)
    };
    let by_city = Query {
        city: Some("schaan".into()),
        ..Query::new("3 Landstrasse", 5)
    };
    for query in [by_postcode, by_city] {
        let Resolution::Found(best) = resolve(index.search(&query).unwrap()) else {
            panic!("{query:?} resolves");
        };
        assert_eq!(best.label, "3 Landstrasse 9494 Schaan");
    }
}

#[test]
fn places_and_town_halls_are_found_by_name() {
    let Some(index) = index() else { return };
    let Resolution::Found(place) = resolve(search(index, "Triesenberg")) else {
        panic!("a village resolves");
    };
    assert_eq!(
        (place.kind, place.label.as_str()),
        (Kind::Place, "Triesenberg")
    );
    let Resolution::Found(town_hall) = resolve(search(index, "Mairie de Vaduz")) else {
        panic!("the town hall resolves");
    };
    assert_eq!(town_hall.kind, Kind::Poi);
    assert!(
        town_hall.label.starts_with("Rathaus Vaduz"),
        "{}",
        town_hall.label
    );
}

#[test]
fn reverse_gives_the_nearest_address_and_nothing_far_from_everything() {
    let Some(index) = index() else { return };
    let truth = dorfstrasse_24()[0];
    let near = Coord::new(truth.lat + 0.0001, truth.lon);
    let found = index.reverse(near).unwrap().expect("an address 11 m away");
    assert_eq!(found.label, "24 Dorfstrasse 9495 Triesen");
    assert_eq!((found.kind, found.score), (Kind::Housenumber, 1.0));
    assert_eq!(index.reverse(Coord::new(47.0, 9.0)).unwrap(), None);
    assert!(matches!(
        index.reverse(Coord::new(95.0, 9.0)),
        Err(Error::InvalidQuery(_))
    ));
}

#[test]
fn bad_queries_are_refused_with_the_reason() {
    let Some(index) = index() else { return };
    let reason = |query: Query| match index.search(&query) {
        Err(Error::InvalidQuery(reason)) => reason,
        other => panic!("{query:?} gave {other:?}"),
    };
    assert!(reason(Query::new(" ,' ", 5)).contains("no letter or digit"));
    assert!(reason(Query::new("Vaduz", 0)).contains("limit"));
    assert!(reason(Query::new("Vaduz", 101)).contains("limit"));
    assert!(search(index, "Zzyzxqwv").is_empty());
}

#[test]
fn the_index_is_saved_with_the_graphs_and_loaded_back_alike() {
    let Some(extract) = liechtenstein() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let policy = CachePolicy::Directory(dir.path().to_owned());
    let (built, first) = load_or_build(&extract, &policy, &Silent).unwrap();
    let CacheStatus::Built { path, .. } = first.cache else {
        panic!("built on first use: {:?}", first.cache);
    };
    let (loaded, second) = load_or_build(&extract, &policy, &Silent).unwrap();
    assert!(
        matches!(second.cache, CacheStatus::Loaded { .. }),
        "{:?}",
        second.cache
    );
    assert_eq!(loaded.data(), built.data());
    let query = Query::new("24 Dorfstrase Triesen", 5);
    assert_eq!(
        loaded.search(&query).unwrap(),
        built.search(&query).unwrap()
    );

    // A damaged file is reported and rebuilt, never trusted.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    let (_, third) = load_or_build(&extract, &policy, &Silent).unwrap();
    assert!(
        matches!(
            third.cache,
            CacheStatus::Built {
                miss: osm_data::cache::CacheMiss::Corrupt(_),
                ..
            }
        ),
        "{:?}",
        third.cache
    );
}
