//! The `tournee` command line, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

#[path = "../../tests/support/shared.rs"]
mod shared;

/// A real extract of `../shared/osm`, or `None` (and a `skipped:` line) when it is absent.
fn shared_extract(name: &str) -> Option<PathBuf> {
    shared::shared(&format!("osm/{name}"))
}

fn tournee(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .env("TOURNEE_CACHE_DIR", cache)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn version_and_help() {
    let cache = tempfile::tempdir().unwrap();
    let version = stdout(&tournee(&["--version"], cache.path()));
    assert_eq!(
        version.trim(),
        format!("tournee {}", env!("CARGO_PKG_VERSION"))
    );
    let help = stdout(&tournee(&["--help"], cache.path()));
    assert!(help.contains("Without a subcommand"), "{help}");
    for command in [
        "import", "matrix", "route", "pois", "geocode", "scenario", "plan", "check", "coverage",
        "serve",
    ] {
        assert!(help.contains(command), "{help}");
        let sub = stdout(&tournee(&[command, "--help"], cache.path()));
        assert!(sub.contains("Usage: tournee"), "{sub}");
    }
}

#[test]
fn import_prints_statistics_then_loads_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let village = fixture("village.osm.pbf");
    let args = ["import", village.to_str().unwrap(), "--profile", "bus"];
    let first = stdout(&tournee(&args, cache.path()));
    assert!(
        first.contains("graph      9 nodes, 21 edges, 11 segments"),
        "{first}"
    );
    assert!(first.contains("no cached graph yet; saved to"), "{first}");
    let second = stdout(&tournee(&args, cache.path()));
    assert!(second.contains("loaded in"), "{second}");

    let json = stdout(&tournee(
        &[&args[..], &["--json", "--height", "2.9"]].concat(),
        cache.path(),
    ));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["profile"]["height_m"], 2.9);
    assert_eq!(
        report["graph"]["usable_ways"], 14,
        "the low bus may use the bridge"
    );
    assert_eq!(report["cache"]["status"], "built");
    assert!(
        report["peak_rss_bytes"]
            .as_u64()
            .is_some_and(|b| b > 1_000_000)
    );
}

#[test]
fn matrix_reads_points_and_writes_json_or_csv() {
    let cache = tempfile::tempdir().unwrap();
    let points = cache.path().join("points.csv");
    std::fs::write(
        &points,
        "id,lat,lon\nA,45.0,5.0\nZ,45.0,5.003\nmairie,45.002,5.0005\n",
    )
    .unwrap();
    let village = fixture("village.osm.pbf");
    let base = [
        "matrix",
        village.to_str().unwrap(),
        "--profile",
        "car",
        "--points",
        points.to_str().unwrap(),
    ];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&tournee(&base, cache.path()))).unwrap();
    assert_eq!(json["ids"], serde_json::json!(["A", "Z", "mairie"]));
    let durations = json["durations_s"].as_array().unwrap();
    assert_eq!(durations.len(), 3);
    for (i, row) in durations.iter().enumerate() {
        assert_eq!(row[i], 0);
        assert_eq!(row.as_array().unwrap().len(), 3);
    }
    // A to Z: 236 m along the tertiary road, over the bridge.
    assert_eq!(json["distances_m"][0][1], 236);

    let csv = stdout(&tournee(
        &[&base[..], &["--format", "csv"]].concat(),
        cache.path(),
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "from,to,duration_s,distance_m");
    assert_eq!(lines.len(), 10);
    assert!(lines.contains(&"A,A,0,0"));
}

#[test]
fn matrix_errors_name_the_line_or_the_point() {
    let cache = tempfile::tempdir().unwrap();
    let village = fixture("village.osm.pbf");
    let points = cache.path().join("points.csv");
    let run = |content: &str| {
        std::fs::write(&points, content).unwrap();
        let args = [
            "matrix",
            village.to_str().unwrap(),
            "-p",
            "car",
            "--points",
            points.to_str().unwrap(),
        ];
        let output = tournee(&args, cache.path());
        assert_eq!(output.status.code(), Some(1));
        stderr(&output)
    };
    let bad_number = run("id,lat,lon\nA,45.0,5.0\nB,north,5.0\n");
    assert!(
        bad_number.contains("line 3") || bad_number.contains("line: 3"),
        "{bad_number}"
    );
    let far = run("id,lat,lon\nA,45.0,5.0\nfar-away,45.1,5.0\n");
    assert!(
        far.contains("far-away") && far.contains("from the nearest road"),
        "{far}"
    );
    let empty = run("id,lat,lon\n");
    assert!(empty.contains("no point"), "{empty}");
}

#[test]
fn route_writes_a_geojson_line() {
    let cache = tempfile::tempdir().unwrap();
    let village = fixture("village.osm.pbf");
    let args = [
        "route",
        village.to_str().unwrap(),
        "-p",
        "bus",
        "--from",
        "45.0,5.0",
        "--to",
        "45.0,5.003",
    ];
    let feature: serde_json::Value =
        serde_json::from_str(&stdout(&tournee(&args, cache.path()))).unwrap();
    assert_eq!(feature["type"], "Feature");
    assert_eq!(feature["geometry"]["type"], "LineString");
    let line = feature["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(line.first().unwrap(), &serde_json::json!([5.0, 45.0]));
    // The bus goes round the 3 m bridge: 459 m instead of 236.
    assert_eq!(feature["properties"]["distance_m"], 459);
    assert!(feature["properties"]["duration_s"].as_u64().unwrap() > 0);

    let bad = tournee(
        &[
            "route",
            village.to_str().unwrap(),
            "-p",
            "bus",
            "--from",
            "95,5",
            "--to",
            "45,5",
        ],
        cache.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("latitude 95"), "{}", stderr(&bad));
}

#[test]
fn pois_write_a_feature_collection() {
    let cache = tempfile::tempdir().unwrap();
    let Some(monaco) = shared_extract("monaco-2020.osm.pbf") else {
        return;
    };
    let json: serde_json::Value = serde_json::from_str(&stdout(&tournee(
        &["pois", monaco.to_str().unwrap()],
        cache.path(),
    )))
    .unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 57);
    let library = features
        .iter()
        .find(|f| f["properties"]["kind"] == "library")
        .unwrap();
    assert!(
        library["properties"]["osm_id"]
            .as_str()
            .unwrap()
            .contains('/')
    );
    assert_eq!(library["geometry"]["type"], "Point");
}

#[test]
fn geocode_searches_reverses_and_fills_a_csv_column() {
    let cache = tempfile::tempdir().unwrap();
    let Some(extract) = shared_extract("liechtenstein-2021.osm.pbf") else {
        return;
    };
    let extract = extract.to_str().unwrap();
    let text = stdout(&tournee(
        &["geocode", extract, "24 Dorfstrasse, 9495 Triesen"],
        cache.path(),
    ));
    assert!(
        text.starts_with("found: 24 Dorfstrasse 9495 Triesen\n"),
        "{text}"
    );
    let saved: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .filter_map(|f| f.ok())
        .filter(|f| f.file_name().to_string_lossy().ends_with(".geocoder"))
        .collect();
    assert_eq!(saved.len(), 1, "the index is cached with the graphs");

    let json: serde_json::Value = serde_json::from_str(&stdout(&tournee(
        &[
            "geocode",
            extract,
            "3 Landstrasse",
            "--json",
            "--limit",
            "3",
        ],
        cache.path(),
    )))
    .unwrap();
    assert_eq!(json["match"], "ambiguous");
    assert_eq!(json["candidates"].as_array().unwrap().len(), 3);
    assert_eq!(json["candidates"][0]["kind"], "housenumber");
    let narrowed = stdout(&tournee(
        &["geocode", extract, "3 Landstrasse", "--postcode", "9494"],
        cache.path(),
    ));
    assert!(
        narrowed.starts_with("found: 3 Landstrasse 9494 Schaan"),
        "{narrowed}"
    );

    let reverse = stdout(&tournee(
        &["geocode", extract, "--reverse", "47.10802,9.52631"],
        cache.path(),
    ));
    assert!(reverse.contains("24 Dorfstrasse 9495 Triesen"), "{reverse}");

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("stops.csv");
    std::fs::write(
        &csv,
        "name;address\nUFL;24 Dorfstrase, Triesen\nLandstrasse;3 Landstrasse\nnowhere;Zzyzxqwv\nblank;\n",
    )
    .unwrap();
    let output = tournee(
        &[
            "geocode",
            extract,
            "--csv",
            csv.to_str().unwrap(),
            "--column",
            "address",
        ],
        cache.path(),
    );
    let filled = stdout(&output);
    let rows: Vec<Vec<&str>> = filled.lines().map(|l| l.split(';').collect()).collect();
    assert_eq!(
        rows[0],
        ["name", "address", "lat", "lon", "label", "score", "match"]
    );
    assert_eq!(rows.len(), 5, "every row stays: {filled}");
    assert_eq!(
        (rows[1][4], rows[1][6]),
        ("24 Dorfstrasse 9495 Triesen", "found")
    );
    assert!(rows[1][2].starts_with("47.10"), "{filled}");
    assert_eq!((rows[2][2], rows[2][6]), ("", "ambiguous"));
    assert!(
        rows[2][4].contains("9494 Schaan"),
        "the reason lists the candidates: {filled}"
    );
    assert_eq!((rows[3][4], rows[3][6]), ("nothing matched", "not_found"));
    assert_eq!(rows[4][6], "invalid");
    assert!(
        stderr(&output).contains("4 rows: 1 found, 1 ambiguous"),
        "{}",
        stderr(&output)
    );

    let wrong = tournee(
        &[
            "geocode",
            extract,
            "--csv",
            csv.to_str().unwrap(),
            "--column",
            "adresse",
        ],
        cache.path(),
    );
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("no column \"adresse\"; the header has name, address"),
        "{}",
        stderr(&wrong)
    );
}

#[test]
fn bad_input_gives_a_clear_error_and_an_exit_code() {
    let cache = tempfile::tempdir().unwrap();
    let missing = tournee(&["import", "/nowhere/x.osm.pbf", "-p", "car"], cache.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("cannot read /nowhere/x.osm.pbf"),
        "{}",
        stderr(&missing)
    );
    let village = fixture("village.osm.pbf");
    let negative = tournee(
        &[
            "import",
            village.to_str().unwrap(),
            "-p",
            "bus",
            "--height",
            "-1",
        ],
        cache.path(),
    );
    assert_eq!(negative.status.code(), Some(1));
    assert!(
        stderr(&negative).contains("height_m"),
        "{}",
        stderr(&negative)
    );
    let truck = tournee(
        &["import", village.to_str().unwrap(), "-p", "truck"],
        cache.path(),
    );
    assert_eq!(truck.status.code(), Some(2));
    assert!(stderr(&truck).contains("truck"), "{}", stderr(&truck));
    let no_roads = tournee(
        &[
            "import",
            fixture("no-roads.osm.pbf").to_str().unwrap(),
            "-p",
            "car",
            "--no-cache",
        ],
        cache.path(),
    );
    assert!(
        stderr(&no_roads).contains("has no road usable by the car profile"),
        "{}",
        stderr(&no_roads)
    );
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

#[test]
fn plan_then_check_a_problem_with_its_own_matrices() {
    let cache = tempfile::tempdir().unwrap();
    let problem = example("integrator-matrices.json");
    let plan = stdout(&tournee(
        &["plan", problem.to_str().unwrap(), "--time-limit", "1"],
        cache.path(),
    ));
    let parsed: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(parsed["totals"]["stop_visits_planned"], 4);
    let plan_file = cache.path().join("plan.json");
    std::fs::write(&plan_file, &plan).unwrap();
    let verdict = stdout(&tournee(
        &[
            "check",
            problem.to_str().unwrap(),
            plan_file.to_str().unwrap(),
        ],
        cache.path(),
    ));
    assert!(
        verdict.starts_with("the plan keeps every rule"),
        "{verdict}"
    );

    // Edited by hand: the first visit now starts at dawn, before its stop opens.
    let mut edited = parsed.clone();
    let step = edited["routes"][0]["steps"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["type"] == "visit")
        .unwrap();
    step["start"] = serde_json::json!("05:00");
    std::fs::write(&plan_file, serde_json::to_string(&edited).unwrap()).unwrap();
    let output = tournee(
        &[
            "check",
            problem.to_str().unwrap(),
            plan_file.to_str().unwrap(),
            "--json",
        ],
        cache.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let violations: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["code"].as_str())
        .collect();
    assert!(codes.iter().any(|c| c.starts_with("outside_")), "{codes:?}");
}

#[test]
fn plan_refuses_more_places_than_max_places_and_vehicle_numbers_out_of_range() {
    let cache = tempfile::tempdir().unwrap();
    let problem = example("integrator-matrices.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&problem).unwrap()).unwrap();
    let count = |list: &str| json[list].as_array().map_or(0, Vec::len);
    // One depot, three stops, one home visit: the stops bring the most places.
    assert_eq!(
        (count("units"), count("stops"), count("home_visits")),
        (1, 3, 1)
    );
    let places = 5;
    let limit = (places - 1).to_string();
    let output = tournee(
        &["plan", problem.to_str().unwrap(), "--max-places", &limit],
        cache.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    for part in [
        "/stops".to_owned(),
        format!("{places} places"),
        format!("limit of {limit}"),
        "max_places".to_owned(),
    ] {
        assert!(message.contains(&part), "{part}: {message}");
    }
    let at_the_limit = places.to_string();
    let plan = stdout(&tournee(
        &[
            "plan",
            problem.to_str().unwrap(),
            "--max-places",
            &at_the_limit,
            "--time-limit",
            "1",
        ],
        cache.path(),
    ));
    assert!(plan.contains("\"totals\""), "{plan}");

    // A unit's vehicle numbers are checked with the problem, naming the unit's field.
    let mut wide = json.clone();
    wide["units"][0]["vehicle"] = serde_json::json!({"width_m": 1e30, "max_speed_kmh": -9.2e18});
    let file = cache.path().join("wide.json");
    std::fs::write(&file, wide.to_string()).unwrap();
    let output = tournee(&["plan", file.to_str().unwrap()], cache.path());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    for field in ["units[0].vehicle.width_m", "units[0].vehicle.max_speed_kmh"] {
        assert!(message.contains(field), "{field}: {message}");
    }
}

#[test]
fn invalid_problems_list_every_field() {
    let cache = tempfile::tempdir().unwrap();
    let problem = cache.path().join("bad.json");
    let mut json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("integrator-matrices.json")).unwrap(),
    )
    .unwrap();
    json["horizon"]["weeks"] = serde_json::json!(9);
    json["stops"][0]["opening_hours"]["mon"][0]["end"] = serde_json::json!("08:00");
    json["stops"][1]["priority"] = serde_json::json!(0);
    std::fs::write(&problem, json.to_string()).unwrap();
    let output = tournee(&["plan", problem.to_str().unwrap()], cache.path());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    for field in [
        "horizon.weeks",
        "stops[0].opening_hours.mon[0]",
        "stops[1].priority",
    ] {
        assert!(message.contains(field), "{field}: {message}");
    }
    std::fs::write(&problem, "{ \"horizon\": ").unwrap();
    let broken = stderr(&tournee(&["plan", problem.to_str().unwrap()], cache.path()));
    assert!(broken.contains("line 1"), "{broken}");
}

#[test]
fn a_scenario_from_an_extract_is_a_valid_problem() {
    let cache = tempfile::tempdir().unwrap();
    let Some(andorra) = shared_extract("andorra-2021.osm.pbf") else {
        return;
    };
    let args = [
        "scenario",
        andorra.to_str().unwrap(),
        "--units",
        "2",
        "--stops",
        "8",
        "--home-visits",
        "5",
        "--seed",
        "3",
        "--start",
        "2026-03-02",
        "--time-limit",
        "1",
    ];
    let first = stdout(&tournee(&args, cache.path()));
    assert_eq!(
        first,
        stdout(&tournee(&args, cache.path())),
        "the same seed gives the same problem"
    );
    let problem: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(problem["stops"].as_array().unwrap().len(), 8);
    assert_eq!(problem["home_visits"].as_array().unwrap().len(), 5);
    let file = cache.path().join("week.json");
    std::fs::write(&file, &first).unwrap();
    let plan = stdout(&tournee(&["plan", file.to_str().unwrap()], cache.path()));
    let plan_file = cache.path().join("plan.json");
    std::fs::write(&plan_file, plan).unwrap();
    let verdict = stdout(&tournee(
        &["check", file.to_str().unwrap(), plan_file.to_str().unwrap()],
        cache.path(),
    ));
    assert!(
        verdict.starts_with("the plan keeps every rule"),
        "{verdict}"
    );
}

#[test]
fn coverage_writes_a_report_a_map_and_a_problem_the_planner_plans() {
    let cache = tempfile::tempdir().unwrap();
    let Some(andorra) = shared_extract("andorra-2021.osm.pbf") else {
        return;
    };
    let dir = cache.path();
    let attendance = dir.join("visits.csv");
    std::fs::write(
        &attendance,
        "stop,date,visitors\nway/320009569,2026-01-05,30\nway/320009569,2026-01-12,28\nnowhere,2026-01-05,3\n",
    )
    .unwrap();
    let (week, map) = (dir.join("week.json"), dir.join("map.geojson"));
    let args = [
        "coverage",
        andorra.to_str().unwrap(),
        "--minutes",
        "10",
        "--mode",
        "car",
        "--budget",
        "4",
        "--time-limit",
        "5",
        "--start",
        "2026-03-02",
        "--attendance",
        attendance.to_str().unwrap(),
        "--problem-out",
        week.to_str().unwrap(),
        "--geojson",
        map.to_str().unwrap(),
    ];
    let output = tournee(&args, dir);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(stderr(&output).contains("greedy answer after"));
    assert_eq!(report["objective"], "covered_population");
    let chosen = report["chosen"].as_array().unwrap();
    assert!(!chosen.is_empty() && chosen.len() <= 4);
    for key in [
        "status",
        "best_bound",
        "gap",
        "time_to_greedy_s",
        "uncovered",
    ] {
        assert!(!report[key].is_null(), "{key}");
    }
    assert_eq!(report["attendance"]["unknown_stops"][0], "nowhere");
    let map: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&map).unwrap()).unwrap();
    let layers: Vec<&str> = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["layer"].as_str().unwrap())
        .collect();
    for layer in ["site", "reach", "demand"] {
        assert!(layers.contains(&layer), "{layer}");
    }
    let plan = stdout(&tournee(
        &["plan", week.to_str().unwrap(), "--time-limit", "3"],
        dir,
    ));
    let plan_file = dir.join("plan.json");
    std::fs::write(&plan_file, plan).unwrap();
    let verdict = stdout(&tournee(
        &["check", week.to_str().unwrap(), plan_file.to_str().unwrap()],
        dir,
    ));
    assert!(
        verdict.starts_with("the plan keeps every rule"),
        "{verdict}"
    );
}

#[test]
fn coverage_refuses_bad_input_naming_what_is_wrong() {
    let cache = tempfile::tempdir().unwrap();
    let village = fixture("village.osm.pbf");
    let village = village.to_str().unwrap();
    let fair = tournee(&["coverage", village, "--model", "fair"], cache.path());
    assert!(!fair.status.success());
    assert!(stderr(&fair).contains("budget"), "{}", stderr(&fair));
    let demand = cache.path().join("demand.csv");
    std::fs::write(
        &demand,
        "id,lat,lon,weight\na,45.0,5.0,12\nb,45.0,5.001,-3\n",
    )
    .unwrap();
    let bad = tournee(
        &["coverage", village, "--demand", demand.to_str().unwrap()],
        cache.path(),
    );
    assert!(!bad.status.success());
    let message = stderr(&bad);
    assert!(
        message.contains("line 3") && message.contains("weight"),
        "{message}"
    );
}

#[test]
fn plan_keeps_a_place_off_the_roads_as_unserved_unless_strict() {
    let cache = tempfile::tempdir().unwrap();
    let Some(andorra) = shared_extract("andorra-2021.osm.pbf") else {
        return;
    };
    let scenario = [
        "scenario",
        andorra.to_str().unwrap(),
        "--units",
        "2",
        "--stops",
        "6",
        "--home-visits",
        "4",
        "--seed",
        "2",
        "--time-limit",
        "1",
    ];
    let mut problem: serde_json::Value =
        serde_json::from_str(&stdout(&tournee(&scenario, cache.path()))).unwrap();
    problem["home_visits"][0]["location"] = serde_json::json!({"lat": 42.9, "lon": 1.6});
    let file = cache.path().join("slip.json");
    std::fs::write(&file, problem.to_string()).unwrap();

    let plan: serde_json::Value = serde_json::from_str(&stdout(&tournee(
        &["plan", file.to_str().unwrap()],
        cache.path(),
    )))
    .unwrap();
    let off: Vec<&serde_json::Value> = plan["unserved"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["reason"]["code"] == "off_road")
        .collect();
    assert_eq!(off.len(), 1, "{plan:#}");
    assert_eq!(off[0]["id"], problem["home_visits"][0]["id"]);
    assert_eq!(
        off[0]["reason"]["detail"]["field"],
        "/home_visits/0/location"
    );

    let strict = tournee(&["plan", file.to_str().unwrap(), "--strict"], cache.path());
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(strict.stdout.is_empty());
    assert!(
        stderr(&strict).contains("/home_visits/0/location: no road the car may use within 500 m"),
        "{}",
        stderr(&strict)
    );
}

/// Several profiles in one `tournee import` (repeated or comma-separated): one read of the
/// extract, one report per profile in the order given, each the graph a one-profile import
/// gives; a unit's size with several profiles, or one profile twice, is refused.
#[test]
fn import_takes_several_profiles_with_one_read() {
    let cache = tempfile::tempdir().unwrap();
    let village = fixture("village.osm.pbf");
    let v = village.to_str().unwrap();
    let args = [
        "import",
        v,
        "--profile",
        "car",
        "-p",
        "bus",
        "-p",
        "triporteur",
    ];
    let json = stdout(&tournee(&[&args[..], &["--json"]].concat(), cache.path()));
    let reports: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reports = reports.as_array().expect("an array of reports");
    let kinds: Vec<_> = reports.iter().map(|r| &r["profile"]["kind"]).collect();
    assert_eq!(kinds, ["car", "bus", "triporteur"]);
    for report in reports {
        assert_eq!(report["cache"]["status"], "built", "{report}");
        assert_eq!(report["read_time"], reports[0]["read_time"], "one read");
    }
    for (i, kind) in ["car", "bus", "triporteur"].iter().enumerate() {
        let alone = stdout(&tournee(&["import", v, "-p", kind, "--json"], cache.path()));
        let alone: serde_json::Value = serde_json::from_str(&alone).unwrap();
        assert_eq!(alone["cache"]["status"], "loaded", "{kind}: its cache file");
        for field in [
            "nodes",
            "edges",
            "segments",
            "turn_nodes",
            "turns",
            "usable_ways",
        ] {
            assert_eq!(
                alone["graph"][field], reports[i]["graph"][field],
                "{kind} {field}"
            );
        }
        assert_eq!(alone["shortcuts"], reports[i]["shortcuts"], "{kind}");
    }
    let text = stdout(&tournee(&["import", v, "-p", "car,bus"], cache.path()));
    assert_eq!(text.matches("loaded in").count(), 2, "{text}");
    assert_eq!(text.matches("profile    ").count(), 2, "{text}");

    let sized = tournee(
        &["import", v, "-p", "car,bus", "--height", "2.9"],
        cache.path(),
    );
    assert_eq!(sized.status.code(), Some(1));
    assert!(stderr(&sized).contains("--height"), "{}", stderr(&sized));
    let twice = tournee(&["import", v, "-p", "car", "-p", "car"], cache.path());
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("given twice"), "{}", stderr(&twice));
}
