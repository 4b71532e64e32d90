//! Territorial coverage on the shared extracts (issue 7): what the report says is checked
//! against travel times computed again, independently, by plain Dijkstra on the same network.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use optimizer::coverage::{FoundBy, MipStatus};
use optimizer::planning::problem::UnitKind;
use optimizer::planning::validate::validate_planning;
use osm_data::dijkstra::one_to_all_matrix;
use osm_data::geo::Coord;
use osm_data::import::CachePolicy;
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::DEFAULT_SNAP_LIMIT_M;
use territory::Territory;
use territory::coverage::{AccessMode, CoverageRequest, CoverageResponse, ModelChoice, run};

use crate::support::{router, shared_osm};

fn request(file: &std::path::Path, minutes: f64, mode: AccessMode) -> CoverageRequest {
    CoverageRequest {
        extract: file.to_owned(),
        minutes,
        mode,
        unit: UnitKind::Bus,
        model: None,
        budget: None,
        demand: None,
        candidates: Vec::new(),
        osm_candidates: true,
        attendance: Vec::new(),
        time_limit_s: 20.0,
        snap_limit_m: DEFAULT_SNAP_LIMIT_M,
        start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        half_days: None,
        visit_minutes: 150,
        reach_roads: false,
    }
}

fn solve(request: &CoverageRequest) -> CoverageResponse {
    let mut greedy = None;
    let response = run(
        &Territory::open(&request.extract),
        request,
        &CachePolicy::Disabled,
        &Silent,
        &mut |first| greedy = Some(first.clone()),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let first = greedy.expect("the greedy answer is heard first");
    let report = &response.report;
    assert_eq!(first.stops, report.greedy.stops);
    assert_eq!(first.covered_population, report.greedy.covered_population);
    let mut ids: Vec<&str> = first.sites.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), first.stops, "one distinct site per greedy stop");
    if report.found_by == FoundBy::Greedy {
        let mut kept: Vec<&str> = report.chosen.iter().map(|c| c.id.as_str()).collect();
        kept.sort_unstable();
        assert_eq!(kept, ids, "the greedy answer kept is the one heard first");
    }
    response
}

/// Demand points of the map: id → (position, covered by site id).
fn demand_map(response: &CoverageResponse) -> Vec<(String, Coord, Option<String>)> {
    response.geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["layer"] == "demand")
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["properties"]["id"].as_str().unwrap().to_owned(),
                Coord::new(c[1].as_f64().unwrap(), c[0].as_f64().unwrap()),
                f["properties"]["served_by"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn every_covered_place_is_within_the_threshold_by_an_independent_search() {
    for (file, minutes, mode, kind) in [
        (
            "andorra-2021.osm.pbf",
            10.0,
            AccessMode::Car,
            ProfileKind::Car,
        ),
        (
            "malta-2016.osm.pbf",
            20.0,
            AccessMode::Foot,
            ProfileKind::Foot,
        ),
    ] {
        let Some(path) = shared_osm(file) else { return };
        let response = solve(&request(&path, minutes, mode));
        let report = &response.report;
        let sites: HashMap<&str, Coord> = report
            .chosen
            .iter()
            .map(|s| (s.id.as_str(), Coord::new(s.lat, s.lon)))
            .collect();
        let access = router(&path, &Profile::new(kind));
        let mut checked = 0;
        for (id, at, served_by) in demand_map(&response) {
            let Some(site) = served_by else { continue };
            // The site is placed where the bus parks; people walk or drive to that point.
            let from = access.snap(&[at], DEFAULT_SNAP_LIMIT_M).unwrap();
            let to = access
                .snap(&[sites[site.as_str()]], DEFAULT_SNAP_LIMIT_M)
                .unwrap();
            let m = one_to_all_matrix(access.graph(), &from, &to).unwrap();
            assert!(
                f64::from(m.duration_s(0, 0)) <= minutes * 60.0,
                "{file}: {id} is {} s from {site}",
                m.duration_s(0, 0)
            );
            checked += 1;
        }
        assert!(checked > 10, "{file}: {checked} covered places checked");
        let covered: f64 = report.chosen.iter().map(|s| s.population_served).sum();
        assert!((covered - report.answer.covered_population).abs() < 1e-6);
    }
}

#[test]
fn set_covering_is_no_worse_than_greedy_and_consistent_with_its_bounds() {
    for (file, minutes) in [("andorra-2021.osm.pbf", 10.0), ("malta-2016.osm.pbf", 10.0)] {
        let Some(path) = shared_osm(file) else { return };
        let report = solve(&request(&path, minutes, AccessMode::Car)).report;
        assert_eq!(report.objective, "stops");
        let stops = report.answer.stops as f64;
        assert_eq!(report.value, stops);
        assert!(report.answer.stops <= report.greedy.stops, "{file}");
        assert_eq!(
            report.answer.covered_population, report.demand.coverable_population,
            "{file}: set covering covers everything coverable"
        );
        let lp = report.lp_bound.expect("an LP bound");
        let best = report.best_bound.expect("a bound");
        assert!(
            lp <= stops + 1e-6 && best <= stops + 1e-6,
            "{file}: {lp} {best} {stops}"
        );
        assert!(best >= lp.ceil() - 1e-6 || report.status == MipStatus::Optimal);
        if report.status == MipStatus::Optimal {
            assert_eq!(report.gap, Some(0.0));
        }
    }
}

#[test]
fn places_off_the_network_are_reported_uncovered_with_their_reason() {
    // Gozo reaches Malta by ferry: its roads are not in Malta's car network.
    let Some(path) = shared_osm("malta-2016.osm.pbf") else {
        return;
    };
    let response = solve(&request(&path, 10.0, AccessMode::Car));
    let report = &response.report;
    let gozo: Vec<_> = demand_map(&response)
        .into_iter()
        .filter(|(_, at, _)| at.lat > 36.0 && at.lon < 14.36)
        .collect();
    assert!(!gozo.is_empty());
    for (id, _, served_by) in gozo {
        assert!(served_by.is_none(), "{id} on Gozo covered");
        let entry = report.uncovered.iter().find(|u| u.id == id).unwrap();
        assert!(
            entry
                .reason
                .starts_with("no road usable by car within 500 m"),
            "{id}: {}",
            entry.reason
        );
    }
    let covered = report.answer.covered_population;
    let uncovered: f64 = report.uncovered.iter().map(|u| u.population).sum();
    assert!((covered + uncovered - report.demand.population).abs() < 1e-6);
}

#[test]
fn budgeted_models_keep_the_budget_and_the_plan_validates() {
    let Some(path) = shared_osm("andorra-2021.osm.pbf") else {
        return;
    };
    for model in [ModelChoice::Max, ModelChoice::Fair] {
        let mut req = request(&path, 10.0, AccessMode::Car);
        req.model = Some(model);
        req.budget = Some(3);
        let response = solve(&req);
        let report = &response.report;
        assert!(report.answer.stops <= 3, "{model:?}");
        if model == ModelChoice::Max {
            assert!(report.answer.covered_population >= report.greedy.covered_population);
            assert!(report.best_bound.unwrap() >= report.value - 1e-6);
        } else {
            assert!(report.answer.worst_commune_share >= report.greedy.worst_commune_share);
        }
        for u in &report.uncovered {
            assert!(!u.reason.is_empty());
        }
        validate_planning(&response.problem).unwrap();
        assert_eq!(response.problem.stops.len(), report.answer.stops);
    }
    let mut req = request(&path, 10.0, AccessMode::Car);
    req.model = Some(ModelChoice::Fair);
    let error = run(
        &Territory::open(&req.extract),
        &req,
        &CachePolicy::Disabled,
        &Silent,
        &mut |_| {},
        None,
    )
    .unwrap_err();
    assert!(error.to_string().contains("budget"), "{error}");
}

#[test]
fn a_cancelled_run_stops_between_its_phases() {
    let Some(path) = shared_osm("andorra-2021.osm.pbf") else {
        return;
    };
    let req = request(&path, 10.0, AccessMode::Car);
    let cache = CachePolicy::Disabled;
    // One territory for every run, as the service keeps it: a cancelled run leaves it usable.
    let territory = Territory::open(&path);
    let set = AtomicBool::new(true);
    let mut heard = false;
    let error = run(
        &territory,
        &req,
        &cache,
        &Silent,
        &mut |_| heard = true,
        Some(&set),
    )
    .unwrap_err();
    assert!(matches!(error, territory::Error::Cancelled), "{error}");
    assert!(!heard, "a run cancelled before it starts reaches no answer");

    // Cancelled once the greedy answer exists: the run ends without a report.
    let flag = AtomicBool::new(false);
    let error = run(
        &territory,
        &req,
        &cache,
        &Silent,
        &mut |_| flag.store(true, Ordering::Relaxed),
        Some(&flag),
    )
    .unwrap_err();
    assert!(matches!(error, territory::Error::Cancelled), "{error}");
    assert!(
        run(
            &territory,
            &req,
            &cache,
            &Silent,
            &mut |_| {},
            Some(&AtomicBool::new(false))
        )
        .is_ok()
    );
}
