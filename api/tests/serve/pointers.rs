//! Every validation error names its field with a JSON pointer that resolves in the submitted
//! JSON: a catalogue of invalid requests, one per validation rule of the planning problem
//! (`optimizer::planning::validate`), the service's submission checks (vehicle numbers, size
//! limits), coverage requests, `/vroom` and `/v1/matrix`. A missing member is named by the
//! object that lacks it (the request itself: `""`).

use serde_json::{Value, json};

use crate::support::{Server, andorra, post, problem, vroom_matrix, with, without};

/// One invalid request and the field its first violation must name.
struct Case {
    what: &'static str,
    route: &'static str,
    body: Value,
    field: String,
}

fn case(what: &'static str, route: &'static str, body: Value, field: &str) -> Case {
    Case {
        what,
        route,
        body,
        field: field.to_owned(),
    }
}

fn hours(start: &str, end: &str) -> Value {
    json!([{"start": start, "end": end}])
}

/// The planning rules, each broken once in a valid Andorra problem `p`.
fn planning_cases(p: &Value) -> Vec<Case> {
    let plan = |what, pointer: &str, value: Value, field: &str| {
        case(what, "/v1/plans", with(p.clone(), pointer, value), field)
    };
    let day = p["stops"][3]["opening_hours"]
        .as_object()
        .and_then(|o| o.keys().next().cloned())
        .expect("stop 3 opens some day");
    let stop0 = p["stops"][0]["id"].clone();
    let many: Vec<Value> = (0..5_000)
        .map(|i| with(p["home_visits"][0].clone(), "/id", json!(format!("hv-{i}"))))
        .collect();
    vec![
        // Reading the JSON.
        plan("units not a list", "/units", json!("two"), "/units"),
        plan(
            "unknown unit kind",
            "/units/0/kind",
            json!("spaceship"),
            "/units/0/kind",
        ),
        case(
            "a unit without kind",
            "/v1/plans",
            without(p.clone(), "/units/0/kind"),
            "/units/0",
        ),
        case(
            "no horizon",
            "/v1/plans",
            without(p.clone(), "/horizon"),
            "",
        ),
        plan(
            "a time out of the day",
            &format!("/stops/3/opening_hours/{day}/0/end"),
            json!("25:99"),
            "/stops/3/opening_hours",
        ),
        plan(
            "an unknown weekday",
            "/units/0/hours",
            json!({"moon": hours("08:00", "17:00")}),
            "/units/0/hours",
        ),
        // The horizon.
        plan(
            "too many weeks",
            "/horizon/weeks",
            json!(9),
            "/horizon/weeks",
        ),
        plan(
            "no working day",
            "/horizon/working_days",
            json!([]),
            "/horizon/working_days",
        ),
        plan(
            "a working day twice",
            "/horizon/working_days",
            json!(["mon", "mon"]),
            "/horizon/working_days",
        ),
        plan(
            "unknown time zone",
            "/horizon/time_zone",
            json!("Mars/Olympus"),
            "/horizon/time_zone",
        ),
        plan(
            "a period ending before it starts",
            "/horizon/periods",
            json!([{"id": "p", "from": "2026-12-10", "to": "2026-12-01"}]),
            "/horizon/periods/0/to",
        ),
        plan(
            "a period id twice",
            "/horizon/periods",
            json!([{"id": "p", "from": "2026-12-01", "to": "2026-12-02"}, {"id": "p", "from": "2026-12-03", "to": "2026-12-04"}]),
            "/horizon/periods/1/id",
        ),
        // Ids.
        plan("an empty unit id", "/units/0/id", json!(" "), "/units/0/id"),
        plan(
            "a unit id twice",
            "/units/1/id",
            p["units"][0]["id"].clone(),
            "/units/1/id",
        ),
        plan(
            "a home visit with a stop's id",
            "/home_visits/0/id",
            stop0,
            "/home_visits/0/id",
        ),
        // Units.
        plan("no unit", "/units", json!([]), "/units"),
        plan(
            "a depot off the globe",
            "/units/0/depot",
            json!({"lat": 91.0, "lon": 1.5}),
            "/units/0/depot",
        ),
        plan(
            "two ranges on a working day",
            "/units/0/hours/mon",
            json!([{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]),
            "/units/0/hours/mon",
        ),
        plan(
            "working hours ending before they start",
            "/units/0/hours/mon",
            hours("17:00", "08:00"),
            "/units/0/hours/mon/0",
        ),
        plan(
            "hours of a week outside the cycle",
            "/units/0/hours_by_week",
            json!([{"weeks": [3], "hours": {"mon": hours("09:00", "16:00")}}]),
            "/units/0/hours_by_week/0/weeks/0",
        ),
        plan(
            "hours of some weeks ending before they start",
            "/units/0/hours_by_week",
            json!([{"weeks": [1], "hours": {"mon": hours("16:00", "09:00")}}]),
            "/units/0/hours_by_week/0/hours/mon/0",
        ),
        plan(
            "a lunch window ending before it starts",
            "/units/0/lunch/window",
            json!({"start": "14:00", "end": "12:00"}),
            "/units/0/lunch/window",
        ),
        plan(
            "a lunch of no minutes",
            "/units/0/lunch/duration_min",
            json!(0),
            "/units/0/lunch/duration_min",
        ),
        plan(
            "no driving allowed",
            "/units/0/max_driving_min",
            json!(0),
            "/units/0/max_driving_min",
        ),
        plan(
            "a negative battery range",
            "/units/0/battery_range_km",
            json!(-5.0),
            "/units/0/battery_range_km",
        ),
        plan(
            "a negative hourly cost",
            "/units/0/cost_per_hour",
            json!(-1.0),
            "/units/0/cost_per_hour",
        ),
        plan(
            "a negative cost per km",
            "/units/0/cost_per_km",
            json!(-1.0),
            "/units/0/cost_per_km",
        ),
        // Vehicle numbers (the road profile's ranges).
        plan(
            "a bus 1e30 m wide",
            "/units/0/vehicle/width_m",
            json!(1e30),
            "/units/0/vehicle/width_m",
        ),
        plan(
            "a bus 1e30 m high",
            "/units/0/vehicle/height_m",
            json!(1e30),
            "/units/0/vehicle/height_m",
        ),
        plan(
            "a negative top speed",
            "/units/1/vehicle/max_speed_kmh",
            json!(-9.2e18),
            "/units/1/vehicle/max_speed_kmh",
        ),
        plan(
            "a car 0.1 m long",
            "/units/1/vehicle/length_m",
            json!(0.1),
            "/units/1/vehicle/length_m",
        ),
        plan(
            "a bus of 100 t",
            "/units/0/vehicle/weight_t",
            json!(100.0),
            "/units/0/vehicle/weight_t",
        ),
        plan(
            "a car with a cruising speed",
            "/units/1/vehicle/cruising_speed_kmh",
            json!(20.0),
            "/units/1/vehicle/cruising_speed_kmh",
        ),
        plan(
            "a triporteur slower than its default cruising speed",
            "/units/1",
            with(
                with(p["units"][1].clone(), "/kind", json!("triporteur")),
                "/vehicle",
                json!({"max_speed_kmh": 10.0}),
            ),
            "/units/1/vehicle",
        ),
        // Stops.
        plan(
            "a stop without a name",
            "/stops/0/name",
            json!(""),
            "/stops/0/name",
        ),
        plan(
            "a stop off the globe",
            "/stops/0/location",
            json!({"lat": 95.0, "lon": 1.5}),
            "/stops/0/location",
        ),
        plan(
            "opening hours ending before they start",
            "/stops/0/opening_hours",
            json!({"mon": hours("12:00", "09:00")}),
            "/stops/0/opening_hours/mon/0",
        ),
        plan(
            "hours of an unknown period",
            "/stops/0/period_hours",
            json!([{"period": "summer", "hours": {}}]),
            "/stops/0/period_hours/0/period",
        ),
        plan(
            "hours in a period ending before they start",
            "/stops/0/period_hours",
            json!([{"period": "p", "hours": {"mon": hours("12:00", "09:00")}}]),
            "/stops/0/period_hours/0/hours/mon/0",
        )
        .and(|body| {
            with(
                body,
                "/horizon/periods",
                json!([{"id": "p", "from": "2026-12-07", "to": "2026-12-08"}]),
            )
        }),
        plan(
            "a visit of no minutes",
            "/stops/0/duration",
            json!({"minutes": 0}),
            "/stops/0/duration/minutes",
        ),
        plan(
            "no visit at all",
            "/stops/0/frequency/visits",
            json!(0),
            "/stops/0/frequency/visits",
        ),
        plan(
            "a span the cycle is not a multiple of",
            "/stops/0/frequency/per_weeks",
            json!(4),
            "/stops/0/frequency/per_weeks",
        ),
        plan(
            "a longest gap below the shortest",
            "/stops/0/frequency",
            json!({"visits": 1, "min_gap_days": 3, "max_gap_days": 2}),
            "/stops/0/frequency/max_gap_days",
        ),
        plan(
            "a longest gap of zero days",
            "/stops/0/frequency/max_gap_days",
            json!(0),
            "/stops/0/frequency/max_gap_days",
        ),
        plan(
            "a stop priority above 100",
            "/stops/0/priority",
            json!(200),
            "/stops/0/priority",
        ),
        // Home visits.
        plan(
            "a home off the globe",
            "/home_visits/0/location",
            json!({"lat": 0.0, "lon": 181.0}),
            "/home_visits/0/location",
        ),
        plan(
            "a home visit of no minutes",
            "/home_visits/0/duration_min",
            json!(0),
            "/home_visits/0/duration_min",
        ),
        plan(
            "no slot",
            "/home_visits/0/slots",
            json!([]),
            "/home_visits/0/slots",
        ),
        plan(
            "a slot with a date and a weekday",
            "/home_visits/0/slots/0/date",
            json!("2026-12-09"),
            "/home_visits/0/slots/0",
        ),
        plan(
            "a slot ending before it starts",
            "/home_visits/0/slots/0",
            json!({"weekday": "wed", "start": "17:00", "end": "14:00"}),
            "/home_visits/0/slots/0",
        ),
        plan(
            "a home visit priority of 0",
            "/home_visits/0/priority",
            json!(0),
            "/home_visits/0/priority",
        ),
        // Pins.
        plan(
            "a pin of an unknown stop",
            "/commitments/pinned",
            json!([{"stop": "nowhere", "unit": p["units"][0]["id"], "weekday": "mon", "start": "09:00"}]),
            "/commitments/pinned/0/stop",
        ),
        plan(
            "a pin of an unknown unit",
            "/commitments/pinned",
            json!([{"stop": p["stops"][0]["id"], "unit": "nobody", "weekday": "mon", "start": "09:00"}]),
            "/commitments/pinned/0/unit",
        ),
        plan(
            "a pin on a day off",
            "/commitments/pinned",
            json!([{"stop": p["stops"][0]["id"], "unit": p["units"][0]["id"], "weekday": "sun", "start": "09:00"}]),
            "/commitments/pinned/0/weekday",
        ),
        plan(
            "a pin in a week outside the cycle",
            "/commitments/pinned",
            json!([{"stop": p["stops"][0]["id"], "unit": p["units"][0]["id"], "weekday": "mon", "start": "09:00", "weeks": [5]}]),
            "/commitments/pinned/0/weeks/0",
        ),
        // Territory, work sharing, solver.
        plan(
            "no matrix for a kind",
            "/territory",
            json!({"matrices": {}}),
            "/territory/matrices",
        ),
        plan(
            "matrices of the wrong size",
            "/territory",
            json!({"matrices": {"bus": {"durations_s": [[0]], "distances_m": [[0]]}, "car": {"durations_s": [[0]], "distances_m": [[0]]}}}),
            "/territory/matrices/bus/durations_s",
        ),
        plan(
            "an unknown territory",
            "/territory",
            json!({"extract": "atlantis"}),
            "/territory/extract",
        ),
        plan(
            "a negative fairness weight",
            "/fairness/weight",
            json!(-1.0),
            "/fairness/weight",
        ),
        plan(
            "a negative time limit",
            "/solver/time_limit_s",
            json!(-1),
            "/solver/time_limit_s",
        ),
        // Size.
        plan(
            "more places than the default limit",
            "/home_visits",
            Value::Array(many),
            "/home_visits",
        ),
    ]
}

fn coverage_cases() -> Vec<Case> {
    let base = json!({"territory": "andorra-2021", "minutes": 10, "mode": "car"});
    let cover = |what, pointer: &str, value: Value, field: &str| {
        case(
            what,
            "/v1/coverage",
            with(base.clone(), pointer, value),
            field,
        )
    };
    let point =
        |id: &str, lat: f64, lon: f64| json!({"id": id, "lat": lat, "lon": lon, "weight": 10});
    let site = |id: &str, lat: f64, lon: f64| json!({"id": id, "lat": lat, "lon": lon});
    vec![
        case("a list, not an object", "/v1/coverage", json!([]), ""),
        cover("a file named", "/extract", json!("/etc/passwd"), "/extract"),
        case(
            "no territory",
            "/v1/coverage",
            without(base.clone(), "/territory"),
            "",
        ),
        cover(
            "a territory that is not a name",
            "/territory",
            json!(5),
            "/territory",
        ),
        cover(
            "an unknown territory",
            "/territory",
            json!("atlantis"),
            "/territory",
        ),
        case(
            "no threshold",
            "/v1/coverage",
            without(base.clone(), "/minutes"),
            "",
        ),
        cover("a threshold in words", "/minutes", json!("ten"), "/minutes"),
        cover("an unknown mode", "/mode", json!("boat"), "/mode"),
        cover("a threshold of 0 minutes", "/minutes", json!(0), "/minutes"),
        cover(
            "a negative time limit",
            "/time_limit_s",
            json!(-1),
            "/time_limit_s",
        ),
        cover(
            "a snapping limit of 0 m",
            "/snap_limit_m",
            json!(0),
            "/snap_limit_m",
        ),
        cover(
            "visits of no minutes",
            "/visit_minutes",
            json!(0),
            "/visit_minutes",
        ),
        cover("no half-day", "/half_days", json!(0), "/half_days"),
        cover(
            "a demand point off the globe",
            "/demand",
            json!([point("a", 95.0, 1.5)]),
            "/demand/0/lat",
        ),
        cover(
            "a demand point beyond 180°",
            "/demand",
            json!([point("a", 42.5, 200.0)]),
            "/demand/0/lon",
        ),
        cover(
            "a negative weight",
            "/demand",
            json!([with(point("a", 42.5, 1.5), "/weight", json!(-3))]),
            "/demand/0/weight",
        ),
        cover(
            "a weight in words",
            "/demand",
            json!([with(point("a", 42.5, 1.5), "/weight", json!("many"))]),
            "/demand/0/weight",
        ),
        cover(
            "a demand id twice",
            "/demand",
            json!([point("a", 42.5, 1.5), point("a", 42.51, 1.5)]),
            "/demand/1/id",
        ),
        cover("no demand point", "/demand", json!([]), "/demand"),
        cover(
            "a candidate off the globe",
            "/candidates",
            json!([site("c", 95.0, 1.5)]),
            "/candidates/0/lat",
        ),
        cover(
            "a candidate id twice",
            "/candidates",
            json!([site("c", 42.5, 1.5), site("c", 42.51, 1.5)]),
            "/candidates/1/id",
        ),
        cover("a budget of 0", "/budget", json!(0), "/budget"),
        cover("a model that needs a budget", "/model", json!("fair"), ""),
    ]
}

fn vroom_cases() -> Vec<Case> {
    let v = vroom_matrix();
    let vroom = |what, pointer: &str, value: Value, field: &str| {
        case(what, "/vroom", with(v.clone(), pointer, value), field)
    };
    let on_roads = json!({
        "vehicles": [{"id": 1, "start": [1.5212, 42.5069]}],
        "jobs": [{"id": 1, "location": [1.5221, 42.5073]}],
    });
    let roads = |what, pointer: &str, value: Value, field: &str| {
        case(
            what,
            "/vroom",
            with(on_roads.clone(), pointer, value),
            field,
        )
    };
    let fleet: Vec<Value> = (1..=9)
        .map(|i| json!({"id": i, "start_index": 0, "speed_factor": f64::from(i) / 4.0}))
        .collect();
    let many: Vec<Value> = (0..1_001)
        .map(|i| json!({"id": i, "location_index": 1}))
        .collect();
    vec![
        // Reading the JSON.
        case("no vehicles", "/vroom", without(v.clone(), "/vehicles"), ""),
        vroom(
            "a job id in words",
            "/jobs/0/id",
            json!("one"),
            "/jobs/0/id",
        ),
        // Jobs and vehicles.
        vroom(
            "shipments",
            "/shipments",
            json!([{"pickup": {"id": 1, "location_index": 1}, "delivery": {"id": 2, "location_index": 2}}]),
            "/shipments",
        ),
        vroom("an empty fleet", "/vehicles", json!([]), "/vehicles"),
        vroom("a job id twice", "/jobs/1/id", json!(1), "/jobs/1/id"),
        vroom(
            "a priority of 101",
            "/jobs/0/priority",
            json!(101),
            "/jobs/0/priority",
        ),
        vroom(
            "a vehicle id twice",
            "/vehicles/1",
            json!({"id": 1, "start_index": 0}),
            "/vehicles/1/id",
        ),
        vroom(
            "amounts of different sizes",
            "/vehicles/0/capacity",
            json!([4]),
            "/vehicles/0/capacity",
        )
        .and(|body| with(body, "/jobs/0/delivery", json!([1, 2]))),
        vroom(
            "a vehicle without capacity",
            "/jobs/0/delivery",
            json!([1]),
            "/vehicles/0",
        ),
        vroom(
            "a negative amount",
            "/vehicles/0/capacity",
            json!([1]),
            "/jobs/0/pickup",
        )
        .and(|body| with(body, "/jobs/0/pickup", json!([-1]))),
        // Matrices.
        vroom(
            "custom costs",
            "/matrices/car/costs",
            json!([[0, 1, 1], [1, 0, 1], [1, 1, 0]]),
            "/matrices/car/costs",
        ),
        vroom(
            "matrices without durations",
            "/matrices/car",
            json!({"distances": [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}),
            "/matrices/car",
        ),
        vroom(
            "a matrix not square",
            "/matrices/car/durations",
            json!([[0, 5], [5, 0], [7, 3, 0]]),
            "/matrices/car/durations",
        ),
        vroom(
            "distances not square",
            "/matrices/car/distances",
            json!([[0]]),
            "/matrices/car/distances",
        ),
        case(
            "a profile name with a slash",
            "/vroom",
            with(
                with(
                    v.clone(),
                    "/matrices",
                    json!({"a/b": {"durations": [[0, 1]]}}),
                ),
                "/vehicles/0/profile",
                json!("a/b"),
            ),
            "/matrices/a~1b/durations",
        ),
        case(
            "a job without a matrix index",
            "/vroom",
            without(v.clone(), "/jobs/1/location_index"),
            "/jobs/1",
        ),
        vroom(
            "an index beyond the matrix",
            "/jobs/1/location_index",
            json!(7),
            "/jobs/1/location_index",
        ),
        vroom(
            "a vehicle with neither start nor end",
            "/vehicles/0",
            json!({"id": 1}),
            "/vehicles/0",
        ),
        vroom(
            "a start beyond the matrix",
            "/vehicles/0/start_index",
            json!(9),
            "/vehicles/0/start_index",
        ),
        vroom(
            "a profile without matrices",
            "/vehicles/0/profile",
            json!("bus"),
            "/vehicles/0/profile",
        ),
        vroom(
            "a speed factor of 0",
            "/vehicles/0/speed_factor",
            json!(0),
            "/vehicles/0/speed_factor",
        ),
        vroom(
            "more profiles and speed factors than matrices allowed",
            "/vehicles",
            Value::Array(fleet),
            "/vehicles/8",
        ),
        // Times and costs.
        vroom(
            "a job window ending before it starts",
            "/jobs/0/time_windows",
            json!([[100, 50]]),
            "/jobs/0/time_windows/0",
        ),
        vroom(
            "overlapping job windows",
            "/jobs/0/time_windows",
            json!([[0, 100], [50, 150]]),
            "/jobs/0/time_windows",
        ),
        vroom(
            "a shift ending before it starts",
            "/vehicles/0/time_window",
            json!([100, 50]),
            "/vehicles/0/time_window",
        ),
        vroom(
            "a negative setup",
            "/jobs/0/setup",
            json!(-1),
            "/jobs/0/setup",
        ),
        vroom(
            "a negative service",
            "/jobs/0/service",
            json!(-1),
            "/jobs/0/service",
        ),
        vroom(
            "a negative fixed cost",
            "/vehicles/0/costs",
            json!({"fixed": -1}),
            "/vehicles/0/costs/fixed",
        ),
        vroom(
            "a negative cost per hour",
            "/vehicles/0/costs",
            json!({"per_hour": -1}),
            "/vehicles/0/costs/per_hour",
        ),
        vroom(
            "a negative cost per km",
            "/vehicles/0/costs",
            json!({"per_km": -1}),
            "/vehicles/0/costs/per_km",
        ),
        vroom(
            "a break window ending before it starts",
            "/vehicles/0/breaks",
            json!([{"id": 1, "time_windows": [[100, 50]], "service": 10}]),
            "/vehicles/0/breaks/0/time_windows/0",
        ),
        vroom(
            "a negative break",
            "/vehicles/0/breaks",
            json!([{"id": 1, "time_windows": [[0, 50]], "service": -10}]),
            "/vehicles/0/breaks/0/service",
        ),
        vroom(
            "a negative travel time limit",
            "/vehicles/0/max_travel_time",
            json!(-1),
            "/vehicles/0/max_travel_time",
        ),
        vroom(
            "a negative distance limit",
            "/vehicles/0/max_distance",
            json!(-1),
            "/vehicles/0/max_distance",
        ),
        // Coordinates.
        case(
            "a job without a location",
            "/vroom",
            without(on_roads.clone(), "/jobs/0/location"),
            "/jobs/0",
        ),
        roads(
            "a location beyond 180°",
            "/jobs/0/location",
            json!([200.0, 42.5]),
            "/jobs/0/location",
        ),
        roads(
            "a vehicle with neither start nor end",
            "/vehicles/0",
            json!({"id": 1}),
            "/vehicles/0",
        ),
        roads(
            "an unknown profile",
            "/vehicles/0/profile",
            json!("rocket"),
            "/vehicles/0/profile",
        ),
        roads(
            "an unknown territory",
            "/territory",
            json!("atlantis"),
            "/territory",
        ),
        roads(
            "coordinates outside every territory",
            "/jobs/0/location",
            json!([3.5, 42.0]),
            "/jobs/0/location",
        ),
        // Size.
        vroom(
            "more jobs and vehicles than the default limit",
            "/jobs",
            Value::Array(many),
            "/jobs",
        ),
    ]
}

fn matrix_cases() -> Vec<Case> {
    let base = json!({
        "territory": "andorra-2021",
        "profile": "car",
        "points": [{"lat": 42.5069, "lon": 1.5212}],
    });
    let matrix = |what, pointer: &str, value: Value, field: &str| {
        case(
            what,
            "/v1/matrix",
            with(base.clone(), pointer, value),
            field,
        )
    };
    let many: Vec<Value> = (0..2_001)
        .map(|i| json!({"lat": 42.5 + f64::from(i) * 1e-5, "lon": 1.52}))
        .collect();
    vec![
        case(
            "no points",
            "/v1/matrix",
            without(base.clone(), "/points"),
            "",
        ),
        matrix("an unknown field", "/speed", json!(3), "/speed"),
        matrix(
            "an unknown profile",
            "/profile",
            json!("rocket"),
            "/profile",
        ),
        matrix("an empty list", "/points", json!([]), "/points"),
        matrix(
            "a latitude of 95",
            "/points/0/lat",
            json!(95.0),
            "/points/0",
        ),
        matrix(
            "a point far from any road",
            "/points/0",
            json!({"lat": 0.0, "lon": 0.0}),
            "/points/0",
        ),
        matrix(
            "an unknown territory",
            "/territory",
            json!("atlantis"),
            "/territory",
        ),
        matrix(
            "a snapping limit of 0 m",
            "/snap_limit_m",
            json!(0),
            "/snap_limit_m",
        ),
        matrix(
            "more points than the default limit",
            "/points",
            Value::Array(many),
            "/points",
        ),
    ]
}

impl Case {
    /// The same case with its body changed further.
    fn and(self, change: impl FnOnce(Value) -> Value) -> Case {
        Case {
            body: change(self.body),
            ..self
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_violation_names_a_field_of_the_request() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &["--workers", "1"]);
    let p = problem(2, 8, 4, 3, 1.0);
    let (status, job) = post(&server, "/v1/plans?wait=60", &p).await;
    assert_eq!(
        (status, &job["status"]),
        (reqwest::StatusCode::OK, &json!("done")),
        "{job}"
    );
    let plan = job["plan"].clone();
    let mut cases = planning_cases(&p);
    // The same rules through /v1/check, where the problem is nested.
    for nested in [
        case(
            "check: an invalid problem",
            "/v1/check",
            json!({"problem": with(p.clone(), "/horizon/weeks", json!(0)), "plan": plan}),
            "/problem/horizon/weeks",
        ),
        case(
            "check: a bus 1e30 m wide",
            "/v1/check",
            json!({"problem": with(p.clone(), "/units/0/vehicle/width_m", json!(1e30)), "plan": plan}),
            "/problem/units/0/vehicle/width_m",
        ),
        case(
            "check: no plan",
            "/v1/check",
            json!({"problem": p.clone()}),
            "",
        ),
        case(
            "check: a plan in words",
            "/v1/check",
            json!({"problem": p.clone(), "plan": "good"}),
            "/plan",
        ),
    ] {
        cases.push(nested);
    }
    cases.extend(coverage_cases());
    cases.extend(vroom_cases());
    cases.extend(matrix_cases());
    assert!(cases.len() >= 100, "{} cases", cases.len());

    let mut failures = Vec::new();
    for c in &cases {
        let (status, answer) = post(&server, c.route, &c.body).await;
        let error = &answer["error"];
        let resolves = |field: &Value| field.as_str().is_some_and(|f| c.body.pointer(f).is_some());
        let violations = error["violations"].as_array().cloned().unwrap_or_default();
        let mut wrong = Vec::new();
        if !(status == 413 || status == 422) {
            wrong.push(format!("status {status}"));
        }
        if error["field"] != c.field.as_str() {
            wrong.push(format!("field {} instead of {:?}", error["field"], c.field));
        }
        if !resolves(&error["field"]) {
            wrong.push("its field does not resolve".into());
        }
        for v in violations.iter().filter(|v| !resolves(&v["field"])) {
            wrong.push(format!("violation {v} does not resolve"));
        }
        if status == 413 && !(error["count"].is_u64() && error["limit"].is_u64()) {
            wrong.push("no count and limit".into());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} ({}): {}; got {answer}",
                c.what,
                c.route,
                wrong.join(", ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
