//! One problem per unserved reason, each built so that only that reason applies, then problems
//! where several reasons could apply and the precedence decides (documented in
//! [`super::super::unserved`]). Reasons are read as the plan's wire format (`reason.code`,
//! `reason.detail`, `message`), as a client reads them.

use serde_json::{Value, json};

use super::super::plan::Plan;
use super::{bus, checked_plan, geo_problem};

/// A stop `km_east` kilometres east of the depot (6 min at 50 km/h per 5 km), with its weekly
/// opening hours and the minutes of a visit, visited once a week.
fn stop(id: &str, km_east: f64, hours: Value, minutes: u32) -> Value {
    json!({
        "id": id, "name": id, "kind": "market",
        "location": { "lat": 45.0, "lon": 5.0 + km_east / 78.6 },
        "opening_hours": hours,
        "duration": { "minutes": minutes },
        "frequency": { "visits": 1 },
    })
}

/// The same hours on each of `days`.
fn open(days: &[&str], start: &str, end: &str) -> Value {
    days.iter()
        .map(|d| (d.to_string(), json!([{ "start": start, "end": end }])))
        .collect::<serde_json::Map<String, Value>>()
        .into()
}

/// A home visit 2 km from the depot.
fn home(id: &str, minutes: u32, slots: Value) -> Value {
    json!({ "id": id, "location": { "lat": 45.0, "lon": 5.025 }, "duration_min": minutes, "slots": slots })
}

const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// One week from Monday 5 January 2026, without public holidays.
fn january_week() -> Value {
    json!({ "start": "2026-01-05", "weeks": 1, "public_holidays": "none" })
}

/// One week from Monday 3 May 2027, with France's holidays: Thursday 6 May is Ascension.
fn ascension_week() -> Value {
    json!({ "start": "2027-05-03", "weeks": 1 })
}

/// A plan for one bus (Monday to Friday 08:30–17:30) and these stops and home visits.
fn plan_for(horizon: Value, stops: Vec<Value>, homes: Vec<Value>) -> Plan {
    let (p, m) = geo_problem(json!({
        "horizon": horizon, "units": [bus("bus")], "stops": stops, "home_visits": homes,
    }));
    checked_plan(&p, &m)
}

/// An unserved visit as a client reads it.
#[derive(Debug)]
struct Missed {
    code: String,
    detail: Value,
    message: String,
    date: Option<String>,
}

/// The unserved visits of `id`.
fn missed(plan: &Plan, id: &str) -> Vec<Missed> {
    plan.unserved
        .iter()
        .filter(|u| u.id == id)
        .map(|u| {
            let reason = serde_json::to_value(&u.reason).expect("a reason serialises");
            Missed {
                code: reason["code"].as_str().unwrap_or_default().to_owned(),
                detail: reason.get("detail").cloned().unwrap_or(Value::Null),
                message: u.message.clone(),
                date: u.date.map(|d| d.to_string()),
            }
        })
        .collect()
}

/// The only unserved visit of `id`, which must have `code` and a message containing each of
/// `words`.
fn only_missed(plan: &Plan, id: &str, code: &str, words: &[&str]) -> Missed {
    let mut all = missed(plan, id);
    assert_eq!(all.len(), 1, "{id}: {all:#?}");
    let missed = all.remove(0);
    assert_eq!(missed.code, code, "{id}: {missed:#?}");
    for word in words {
        assert!(
            missed.message.contains(word),
            "{id}: {word:?} not in {:?}",
            missed.message
        );
    }
    missed
}

#[test]
fn no_allowed_unit_when_only_other_kinds_may_serve() {
    let mut trike_only = stop("trike_only", 5.0, open(&WEEKDAYS, "09:00", "17:00"), 60);
    trike_only["allowed_units"] = json!(["triporteur"]);
    let plan = plan_for(january_week(), vec![trike_only], vec![]);
    only_missed(&plan, "trike_only", "no_allowed_unit", &["kind allowed"]);
}

#[test]
fn missing_equipment_when_no_allowed_unit_carries_it() {
    let mut ramp = stop("needs_ramp", 5.0, open(&WEEKDAYS, "09:00", "17:00"), 60);
    ramp["equipment"] = json!(["wheelchair_ramp"]);
    let plan = plan_for(january_week(), vec![ramp], vec![]);
    only_missed(&plan, "needs_ramp", "missing_equipment", &["equipment"]);
}

#[test]
fn closed_on_working_days_when_open_only_on_a_day_off() {
    let saturday = stop("saturday", 5.0, open(&["sat"], "08:00", "13:00"), 60);
    let plan = plan_for(january_week(), vec![saturday], vec![]);
    only_missed(
        &plan,
        "saturday",
        "closed_on_working_days",
        &["open only on days"],
    );
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.code == "opening_day_not_worked" && w.id == "saturday")
    );
}

#[test]
fn closed_on_working_days_when_the_units_do_not_work_its_day() {
    // Wednesday is a working day of the service, but the only bus does not work it.
    let mut four_days = bus("bus");
    four_days["hours"]
        .as_object_mut()
        .expect("hours by weekday")
        .remove("wed");
    let (p, m) = geo_problem(json!({
        "horizon": january_week(),
        "units": [four_days],
        "stops": [stop("wednesday", 5.0, open(&["wed"], "08:00", "13:00"), 60)],
    }));
    let plan = checked_plan(&p, &m);
    only_missed(
        &plan,
        "wednesday",
        "closed_on_working_days",
        &["open only on days"],
    );
}

#[test]
fn no_slot_in_cycle_when_the_persons_only_slot_is_next_month() {
    let slots = json!([{ "date": "2026-02-10", "start": "09:00", "end": "12:00" }]);
    let plan = plan_for(january_week(), vec![], vec![home("next_month", 60, slots)]);
    only_missed(&plan, "next_month", "no_slot_in_cycle", &["no slot"]);
}

#[test]
fn closed_in_period_when_the_stop_closes_for_the_whole_cycle() {
    let mut horizon = january_week();
    horizon["periods"] =
        json!([{ "id": "winter_works", "from": "2026-01-01", "to": "2026-01-31" }]);
    let mut library = stop("library", 5.0, open(&WEEKDAYS, "09:00", "17:00"), 60);
    library["period_hours"] = json!([{ "period": "winter_works", "hours": {} }]);
    let plan = plan_for(horizon, vec![library], vec![]);
    let missed = only_missed(
        &plan,
        "library",
        "closed_in_period",
        &["closed", "winter_works"],
    );
    assert_eq!(missed.detail, json!("winter_works"));
}

#[test]
fn closed_date_when_the_market_day_is_a_public_holiday() {
    // Issue 12, item 3: a market open only on Thursday 6 May 2027 (Ascension) in a one-week
    // cycle was reported out of reach.
    let market = stop("market", 5.0, open(&["thu"], "08:00", "13:00"), 150);
    let plan = plan_for(ascension_week(), vec![market], vec![]);
    let missed = only_missed(&plan, "market", "closed_date", &["Ascension"]);
    assert_eq!(missed.detail, json!("Ascension"));
    assert_eq!(missed.date.as_deref(), Some("2027-05-06"));
}

#[test]
fn closed_date_when_the_persons_only_slot_falls_on_a_holiday() {
    let slots = json!([{ "date": "2027-05-06", "start": "09:00", "end": "12:00" }]);
    let plan = plan_for(
        ascension_week(),
        vec![],
        vec![home("on_ascension", 60, slots)],
    );
    let missed = only_missed(&plan, "on_ascension", "closed_date", &["Ascension"]);
    assert_eq!(missed.date.as_deref(), Some("2027-05-06"));
}

#[test]
fn out_of_reach_when_no_unit_can_go_stay_and_return_in_its_day() {
    // 400 km away: eight hours each way at 50 km/h, whatever the opening hours.
    let far = stop("far", 400.0, open(&WEEKDAYS, "00:00", "23:59"), 60);
    let plan = plan_for(january_week(), vec![far], vec![]);
    only_missed(&plan, "far", "out_of_reach", &["working hours"]);
}

#[test]
fn slot_too_short_when_the_units_hours_cut_the_opening() {
    // Issue 12, item 3: open 07:30–12:30 for 240 minutes while every unit starts at 08:30 was
    // reported out of reach; the units' hours are the cause. The stop is 6 minutes away.
    let early = stop("early", 5.0, open(&["tue"], "07:30", "12:30"), 240);
    let plan = plan_for(january_week(), vec![early], vec![]);
    let missed = only_missed(
        &plan,
        "early",
        "slot_too_short",
        &[
            "open 07:30–12:30",
            "units work from 08:30",
            "240 min needed",
            "234 available",
        ],
    );
    assert_eq!(
        missed.detail,
        json!({
            "open": { "start": "07:30", "end": "12:30" },
            "unit_hours": { "start": "08:30", "end": "17:30" },
            "drive_min": 6,
            "needed_min": 240,
            "available_min": 234,
        })
    );
}

#[test]
fn slot_too_short_when_the_opening_is_shorter_than_the_visit() {
    let brief = stop("brief", 5.0, open(&WEEKDAYS, "09:00", "10:00"), 120);
    let plan = plan_for(january_week(), vec![brief], vec![]);
    let missed = only_missed(
        &plan,
        "brief",
        "slot_too_short",
        &["09:00–10:00", "120 min needed", "60 available"],
    );
    assert!(missed.detail.get("unit_hours").is_none(), "{missed:#?}");
}

#[test]
fn slot_too_short_when_the_persons_slots_are_shorter_than_the_visit() {
    let slots = json!([{ "weekday": "tue", "start": "09:00", "end": "09:30" }]);
    let plan = plan_for(january_week(), vec![], vec![home("too_short", 60, slots)]);
    only_missed(
        &plan,
        "too_short",
        "slot_too_short",
        &["60 min needed", "30 available"],
    );
}

#[test]
fn slot_too_short_when_the_person_is_home_only_after_the_units_hours() {
    let slots = json!([{ "weekday": "wed", "start": "20:00", "end": "22:00" }]);
    let plan = plan_for(january_week(), vec![], vec![home("at_night", 60, slots)]);
    only_missed(
        &plan,
        "at_night",
        "slot_too_short",
        &["20:00–22:00", "until 17:30", "0 available"],
    );
    assert!(
        plan.warnings.iter().all(|w| w.id != "at_night"),
        "not a home out of range: {:?}",
        plan.warnings
    );
}

#[test]
fn no_capacity_when_the_only_day_is_full() {
    // Four stops of 150 minutes open only on Monday: the bus's day holds three at most.
    let stops: Vec<Value> = (0..4)
        .map(|i| {
            let id = format!("s{i}");
            stop(
                &id,
                2.0 + f64::from(i),
                open(&["mon"], "08:30", "17:30"),
                150,
            )
        })
        .collect();
    let plan = plan_for(january_week(), stops, vec![]);
    let left: Vec<Missed> = (0..4)
        .flat_map(|i| missed(&plan, &format!("s{i}")))
        .collect();
    assert!(!left.is_empty(), "the day cannot hold all four");
    for missed in left {
        assert_eq!(missed.code, "no_capacity", "{missed:#?}");
        assert!(missed.message.contains("full"), "{missed:#?}");
    }
}

#[test]
fn not_worth_it_when_a_visit_costs_more_than_its_priority_weighs() {
    // At 1 000 € a kilometre, 20 km there and back cost more than leaving out a visit of
    // priority 1 (10 000 €); the day has room for it.
    let mut dear = bus("bus");
    dear["cost_per_km"] = json!(1_000.0);
    let mut minor = stop("minor", 10.0, open(&WEEKDAYS, "09:00", "17:00"), 60);
    minor["priority"] = json!(1);
    let (p, m) = geo_problem(json!({
        "horizon": january_week(), "units": [dear], "stops": [minor],
    }));
    let plan = checked_plan(&p, &m);
    only_missed(&plan, "minor", "not_worth_it", &["cost"]);
}

#[test]
fn equipment_comes_before_a_closed_day() {
    let mut market = stop("market", 5.0, open(&["thu"], "08:00", "13:00"), 60);
    market["equipment"] = json!(["wheelchair_ramp"]);
    let plan = plan_for(ascension_week(), vec![market], vec![]);
    only_missed(&plan, "market", "missing_equipment", &["equipment"]);
}

#[test]
fn an_open_day_too_short_outranks_a_holiday_on_the_other() {
    // Open Tuesday (but only before the units start: too short) and Thursday (Ascension): the
    // dispatcher can act on Tuesday's hours, not on the holiday.
    let mut hours = open(&["tue"], "07:30", "12:30");
    hours["thu"] = json!([{ "start": "08:00", "end": "17:00" }]);
    let market = stop("market", 5.0, hours, 240);
    let plan = plan_for(ascension_week(), vec![market], vec![]);
    only_missed(
        &plan,
        "market",
        "slot_too_short",
        &["units work from 08:30"],
    );
}

#[test]
fn reach_comes_before_a_short_opening() {
    let far_and_brief = stop(
        "far_and_brief",
        400.0,
        open(&WEEKDAYS, "09:00", "10:00"),
        120,
    );
    let plan = plan_for(january_week(), vec![far_and_brief], vec![]);
    only_missed(&plan, "far_and_brief", "out_of_reach", &["working hours"]);
}

#[test]
fn a_flexible_market_loses_its_holiday_to_closed_date_not_to_capacity() {
    // Two weeks from 3 May 2027: the first Thursday is Ascension, the second is open.
    let mut market = stop("market", 5.0, open(&["thu"], "08:00", "13:00"), 150);
    market["flexible_time"] = json!(true);
    let horizon = json!({ "start": "2027-05-03", "weeks": 2 });
    let plan = plan_for(horizon, vec![market], vec![]);
    let missed = only_missed(&plan, "market", "closed_date", &["Ascension"]);
    assert_eq!(missed.date.as_deref(), Some("2027-05-06"));
    assert_eq!(plan.totals.stop_visits_planned, 1);
}
