//! Places off the road networks: an item no allowed unit's network reaches is one unserved
//! visit (`off_road`) and the rest is planned; a unit whose depot is off its network is left
//! out with a warning and its work goes to the others.

use serde_json::{Value, json};

use super::super::matrices::Matrices;
use super::super::plan::Plan;
use super::super::problem::{PlanningProblem, UnitKind};
use super::super::unserved::{OffRoad, Reason, RoadTried};
use super::{bus, checked_plan, geo_table, problem, stop};
use crate::model::Profile;

/// A car working Monday to Friday 08:30-17:30 from the same depot as [`bus`].
fn car(id: &str) -> Value {
    let mut car = bus(id);
    car["kind"] = json!("car");
    car
}

/// A home visit near the depot, any weekday afternoon.
fn home(id: &str) -> Value {
    let afternoon = json!({ "start": "14:00", "end": "17:00" });
    let slots: Vec<Value> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| {
            let mut slot = afternoon.clone();
            slot["weekday"] = json!(d);
            slot
        })
        .collect();
    json!({ "id": id, "location": { "lat": 45.02, "lon": 5.02 }, "duration_min": 45, "slots": slots })
}

/// The problem, over the week of Monday 5 January 2026, with straight-line matrices where the
/// networks of `off` (kind, place) could not take those places, their nearest roads
/// `nearest_m` away.
fn with_places_off_road(
    mut json: Value,
    off: &[(UnitKind, usize)],
    nearest_m: u32,
) -> (PlanningProblem, Matrices) {
    json["horizon"] = json!({ "start": "2026-01-05", "weeks": 1, "public_holidays": "none" });
    let (problem, _) = problem(json, 0);
    let table = geo_table(&problem);
    let mut matrices = Matrices::new();
    for kind in problem.units.iter().map(|u| u.kind) {
        let rows: Vec<Option<usize>> = (0..table.size())
            .map(|place| (!off.contains(&(kind, place))).then_some(place))
            .collect();
        let profile = Profile::mapped(table.clone(), &rows).expect("rows within the table");
        matrices.insert(kind, profile);
    }
    for &(kind, place) in off {
        let road = RoadTried {
            kind,
            nearest_m: Some(nearest_m),
            limit_m: 500,
        };
        matrices.mark_off_road(place, road);
    }
    (problem, matrices)
}

fn reasons(plan: &Plan, id: &str) -> Vec<Reason> {
    plan.unserved
        .iter()
        .filter(|u| u.id == id)
        .map(|u| u.reason.clone())
        .collect()
}

fn warned(plan: &Plan, code: &str, id: &str) -> bool {
    plan.warnings.iter().any(|w| w.code == code && w.id == id)
}

#[test]
fn a_home_off_the_cars_roads_is_one_unserved_visit_and_the_rest_is_planned() {
    // Places: car 0, stop 1, homes 2 and 3.
    let (p, m) = with_places_off_road(
        json!({ "units": [car("car")], "stops": [stop("mairie", 1, 1)], "home_visits": [home("far"), home("near")] }),
        &[(UnitKind::Car, 2)],
        70_214,
    );
    let plan = checked_plan(&p, &m);
    let expected = OffRoad {
        field: "/home_visits/0/location".into(),
        tried: vec![RoadTried {
            kind: UnitKind::Car,
            nearest_m: Some(70_214),
            limit_m: 500,
        }],
    };
    assert_eq!(reasons(&plan, "far"), vec![Reason::OffRoad(expected)]);
    let far = plan
        .unserved
        .iter()
        .find(|u| u.id == "far")
        .expect("listed");
    assert_eq!(
        far.message,
        "/home_visits/0/location: no road the car may use within 500 m (nearest at 70214 m)"
    );
    assert!(warned(&plan, "off_road", "far"), "{:#?}", plan.warnings);
    assert_eq!(plan.unserved.len(), 1, "{:#?}", plan.unserved);
    assert_eq!(
        (
            plan.totals.home_visits_planned,
            plan.totals.stop_visits_planned
        ),
        (1, 1)
    );
    let wire = serde_json::to_value(&far.reason).expect("serialises");
    assert_eq!(wire["code"], "off_road");
    assert_eq!(wire["detail"]["tried"][0]["nearest_m"], 70_214);
}

#[test]
fn a_stop_off_one_kinds_roads_is_served_by_the_other_kind() {
    // Places: bus 0, car 1, stop 2; the bus network misses the stop.
    let (p, m) = with_places_off_road(
        json!({ "units": [bus("bus"), car("car")], "stops": [stop("lane", 1, 1)] }),
        &[(UnitKind::Bus, 2)],
        800,
    );
    let plan = checked_plan(&p, &m);
    assert!(plan.unserved.is_empty(), "{:#?}", plan.unserved);
    let served_by: Vec<&str> = plan.routes.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(served_by, vec!["car"]);
}

#[test]
fn a_unit_whose_depot_is_off_its_roads_is_left_out_and_its_work_goes_to_the_others() {
    // Places: bus-1 0 (off), bus-2 1, stops 2 and 3.
    let (p, m) = with_places_off_road(
        json!({ "units": [bus("bus-1"), bus("bus-2")], "stops": [stop("a", 1, 1), stop("b", 1, 1)] }),
        &[(UnitKind::Bus, 0)],
        1_200,
    );
    let plan = checked_plan(&p, &m);
    assert!(plan.unserved.is_empty(), "{:#?}", plan.unserved);
    assert!(plan.routes.iter().all(|r| r.unit == "bus-2"));
    let warning = plan
        .warnings
        .iter()
        .find(|w| w.code == "depot_off_road")
        .expect("a warning for the unit left out");
    assert_eq!(warning.id, "bus-1");
    assert!(
        warning.message.contains("/units/0/depot"),
        "{}",
        warning.message
    );
}

#[test]
fn work_only_a_left_out_unit_may_do_is_no_allowed_unit() {
    // Places: bus 0, car 1 (off), stop 2, home 3 (only cars visit homes).
    let mut visit = home("alone");
    visit["allowed_units"] = json!(["car"]);
    let (p, m) = with_places_off_road(
        json!({ "units": [bus("bus"), car("car")], "stops": [stop("mairie", 1, 1)], "home_visits": [visit] }),
        &[(UnitKind::Car, 1)],
        900,
    );
    let plan = checked_plan(&p, &m);
    assert_eq!(reasons(&plan, "alone"), vec![Reason::NoAllowedUnit]);
    assert!(reasons(&plan, "mairie").is_empty());
    assert!(warned(&plan, "depot_off_road", "car"));
}

#[test]
fn missing_equipment_comes_before_off_road() {
    let mut ramp = stop("ramp", 1, 1);
    ramp["equipment"] = json!(["wheelchair_ramp"]);
    let (p, m) = with_places_off_road(
        json!({ "units": [bus("bus")], "stops": [ramp] }),
        &[(UnitKind::Bus, 1)],
        900,
    );
    let plan = checked_plan(&p, &m);
    assert_eq!(reasons(&plan, "ramp"), vec![Reason::MissingEquipment]);
}
