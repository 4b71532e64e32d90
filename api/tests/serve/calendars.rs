//! The calendars read back by independent code (the `icalendar` crate's parser, the `rrule`
//! crate's expansion), as a calendar application would: over the cycle, every occurrence is a
//! visit of the plan and every visit is exactly one occurrence, in each unit's calendar and in
//! the public one; home visits happen once and never again; weekly stops are series that skip
//! the cycle's closed days with `EXDATE` and go on in the next cycle; event ids do not depend on
//! the job.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, Event, EventLike,
};
use optimizer::planning::plan::{Plan, Step, VisitKind};
use optimizer::planning::problem::PlanningProblem;
use serde_json::{Value, json};

use crate::support::{Server, andorra, client, finished, get, submit};

/// A visit as a calendar shows it: its place (a stop's name, a home visit's id), its local
/// start and end.
type Shown = (String, NaiveDateTime, NaiveDateTime);

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_weeks_calendars_show_each_visit_once_and_home_visits_only_once() {
    let server = Server::start_demo();
    let demo = demo(&server).await;
    let id = demo["plan_id"].as_str().expect("the demo job").to_owned();
    let job = finished(&server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let problem: PlanningProblem =
        serde_json::from_value(demo["problem"].clone()).expect("problem");
    let plan: Plan = serde_json::from_value(job["plan"].clone()).expect("plan");
    assert!(
        plan.routes.iter().flat_map(|r| &r.steps).any(|s| matches!(
            s,
            Step::Visit {
                kind: VisitKind::HomeVisit,
                ..
            }
        )),
        "the demo week plans home visits"
    );
    calendars_match_the_plan(&server, &id, &problem, &plan).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_four_week_cycle_with_closed_days_gives_series_with_exceptions() {
    if andorra().is_none() {
        return;
    }
    let server = Server::start(None, &[]);
    let request = four_weeks();
    let id = submit(&server, None, &request).await;
    let job = finished(&server, None, &id).await;
    assert_eq!(job["status"], "done", "{job}");
    let problem: PlanningProblem = serde_json::from_value(request.clone()).expect("problem");
    let plan: Plan = serde_json::from_value(job["plan"].clone()).expect("plan");
    calendars_match_the_plan(&server, &id, &problem, &plan).await;

    let bus = read(&server, &format!("/v1/plans/{id}/calendar/bus.ics")).await;
    // Open on Wednesdays only, weekly; Wednesday 25 March is closed: one series without it.
    let wednesdays: Vec<_> = stop_dates(&plan, "dimecres");
    assert_eq!(
        wednesdays,
        ["2026-03-18", "2026-04-01", "2026-04-08"].map(date),
        "the plan skips the closed Wednesday only"
    );
    let series = events_at(&bus, "Dimecres");
    assert_eq!(series.len(), 1, "one event for the weekly stop");
    assert_eq!(series[0].property_value("RRULE"), Some("FREQ=WEEKLY"));
    let (tzid, start) = zoned(series[0], "DTSTART");
    assert_eq!(tzid, "Europe/Andorra");
    assert_eq!(start.date(), date("2026-03-18"));
    assert_eq!(
        exdates(series[0]),
        vec![(
            "Europe/Andorra".to_owned(),
            date("2026-03-25").and_time(start.time())
        )],
        "the closed Wednesday is excepted, in DTSTART's form"
    );
    // Mondays only: Easter Monday (6 April) is the cycle's last Monday, so it is excepted too;
    // the series crosses the change to summer time (29 March) at the same local time.
    let mondays = events_at(&bus, "Dilluns");
    assert_eq!(mondays.len(), 1, "one event for the weekly Monday stop");
    let (_, monday) = zoned(mondays[0], "DTSTART");
    assert_eq!(
        exdates(mondays[0]),
        vec![(
            "Europe/Andorra".to_owned(),
            date("2026-04-06").and_time(monday.time())
        )],
        "Easter Monday is excepted"
    );
    // Every other Thursday, and once in four weeks.
    let fortnight = events_at(&bus, "Quinzena");
    assert_eq!(fortnight.len(), 1);
    assert_eq!(
        fortnight[0].property_value("RRULE"),
        Some("FREQ=WEEKLY;INTERVAL=2")
    );
    let monthly = events_at(&bus, "Mensual");
    assert_eq!(monthly.len(), 1);
    assert_eq!(
        monthly[0].property_value("RRULE"),
        Some("FREQ=WEEKLY;INTERVAL=4")
    );

    // Planned again (another job), the same visits keep their event ids, so that a calendar
    // application updates its events instead of adding copies.
    let again = submit(&server, None, &request).await;
    assert_eq!(finished(&server, None, &again).await["status"], "done");
    for unit in ["bus", "conseiller"] {
        let first = uids(&read(&server, &format!("/v1/plans/{id}/calendar/{unit}.ics")).await);
        let second = uids(&read(&server, &format!("/v1/plans/{again}/calendar/{unit}.ics")).await);
        let common: Vec<_> = first.keys().filter(|k| second.contains_key(*k)).collect();
        assert!(!common.is_empty(), "the two plans share events of {unit}");
        for key in common {
            assert_eq!(first[key], second[key], "{unit}: {key:?}");
            assert!(!first[key].contains(&id), "{}", first[key]);
        }
    }
}

/// Every unit's calendar and the public calendar against the plan, over the cycle and the
/// next one.
async fn calendars_match_the_plan(
    server: &Server,
    id: &str,
    problem: &PlanningProblem,
    plan: &Plan,
) {
    let tz: Tz = plan.time_zone.parse().expect("an IANA zone");
    let cycle_start = plan.start.and_hms_opt(0, 0, 0).expect("midnight");
    let cycle_days = 7 * u64::from(plan.weeks);
    let cycle_end = cycle_start + Days::new(cycle_days);
    let next_end = cycle_end + Days::new(cycle_days);
    let mut audiences: Vec<Option<&str>> =
        problem.units.iter().map(|u| Some(u.id.as_str())).collect();
    audiences.push(None);
    for audience in audiences {
        let path = match audience {
            Some(unit) => format!("/v1/plans/{id}/calendar/{unit}.ics"),
            None => format!("/v1/plans/{id}/public.ics"),
        };
        let calendar = read(server, &path).await;
        let visits = plan_visits(problem, plan, audience);
        let homes: BTreeSet<&str> = problem.home_visits.iter().map(|h| h.id.as_str()).collect();

        let mut shown = expand(&calendar, tz, cycle_start, cycle_end);
        shown.sort();
        let mut expected: Vec<Shown> = visits.iter().map(|(_, v)| v.clone()).collect();
        expected.sort();
        assert_eq!(
            shown, expected,
            "{path}: the cycle's occurrences are the plan's visits, one to one"
        );

        // The next cycle: the stops come back (the plan repeats), home visits do not.
        let next = expand(&calendar, tz, cycle_end, next_end);
        for (place, start, _) in &next {
            assert!(
                !homes.contains(place.as_str()),
                "{path}: home visit {place} comes back on {start}"
            );
        }
        for (kind, (place, start, end)) in &visits {
            if *kind == VisitKind::Stop {
                let again = (
                    place.clone(),
                    *start + Days::new(cycle_days),
                    *end + Days::new(cycle_days),
                );
                assert!(next.contains(&again), "{path}: {again:?} is not repeated");
            }
        }

        for event in events(&calendar) {
            let place = event.get_location().expect("a location");
            if homes.contains(place) {
                assert!(
                    audience.is_some(),
                    "{path}: a home visit in the public calendar"
                );
                assert_eq!(
                    event.property_value("RRULE"),
                    None,
                    "{path}: {place} repeats"
                );
                assert!(exdates(event).is_empty());
            }
            let (tzid, _) = zoned(event, "DTSTART");
            for (exdate_tzid, _) in exdates(event) {
                assert_eq!(exdate_tzid, tzid, "{path}: EXDATE in DTSTART's zone");
            }
            assert!(event.property_value("DTSTAMP").is_some());
            assert_eq!(event.property_value("SEQUENCE"), Some("0"));
        }
        let uids = uids(&calendar);
        assert_eq!(
            uids.len(),
            events(&calendar).len(),
            "{path}: one UID per event"
        );
        assert!(
            uids.values().all(|uid| !uid.contains(id)),
            "{path}: job id in a UID"
        );
    }
}

/// The visits a calendar should show: the unit's (all of them) or the public's (stops).
fn plan_visits(
    problem: &PlanningProblem,
    plan: &Plan,
    unit: Option<&str>,
) -> Vec<(VisitKind, Shown)> {
    let mut visits = Vec::new();
    for route in &plan.routes {
        if unit.is_some_and(|u| u != route.unit) {
            continue;
        }
        for step in &route.steps {
            let Step::Visit {
                kind,
                id,
                start,
                end,
                ..
            } = step
            else {
                continue;
            };
            let place = match kind {
                VisitKind::Stop => problem
                    .stops
                    .iter()
                    .find(|s| s.id == *id)
                    .expect("a stop of the problem")
                    .name
                    .clone(),
                VisitKind::HomeVisit if unit.is_none() => continue,
                VisitKind::HomeVisit => id.clone(),
            };
            let midnight = route.date.and_hms_opt(0, 0, 0).expect("midnight");
            let at = |minutes: u32| midnight + chrono::Duration::minutes(i64::from(minutes));
            visits.push((*kind, (place, at(start.minutes()), at(end.minutes()))));
        }
    }
    visits
}

/// Each event's occurrences from `from` to `to` (local times), with its place and end, as
/// the `rrule` crate expands DTSTART, RRULE and EXDATE.
fn expand(calendar: &Calendar, tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<Shown> {
    let instant = |local: NaiveDateTime| {
        tz.from_local_datetime(&local)
            .earliest()
            .expect("a local time")
            .with_timezone(&rrule::Tz::Tz(tz))
    };
    let mut shown = Vec::new();
    for event in events(calendar) {
        let place = event.get_location().expect("a location").to_owned();
        let (_, start) = zoned(event, "DTSTART");
        let (_, end) = zoned(event, "DTEND");
        let occurrences = event
            .get_recurrence()
            .expect("a recurrence the rrule crate reads")
            .after(instant(from))
            .before(instant(to))
            .all(1000);
        assert!(!occurrences.limited, "{place}: too many occurrences");
        for occurrence in occurrences.dates {
            let local = occurrence.with_timezone(&tz).naive_local();
            shown.push((place.clone(), local, local + (end - start)));
        }
    }
    shown
}

/// A date-time property with its `TZID`.
fn zoned(event: &Event, name: &str) -> (String, NaiveDateTime) {
    let property = event.properties().get(name).expect(name);
    match DatePerhapsTime::from_property(property) {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            (tzid, date_time)
        }
        other => panic!("{name} is not a local time with a zone: {other:?}"),
    }
}

/// The `EXDATE`s of an event, with their `TZID`.
fn exdates(event: &Event) -> Vec<(String, NaiveDateTime)> {
    let Some(properties) = event.multi_properties().get("EXDATE") else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|p| match DatePerhapsTime::from_property(p) {
            Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
                (tzid, date_time)
            }
            other => panic!("EXDATE is not a local time with a zone: {other:?}"),
        })
        .collect()
}

/// Event ids by place, start and rule.
fn uids(calendar: &Calendar) -> BTreeMap<(String, NaiveDateTime, String), String> {
    events(calendar)
        .into_iter()
        .map(|e| {
            let key = (
                e.get_location().unwrap_or_default().to_owned(),
                zoned(e, "DTSTART").1,
                e.property_value("RRULE").unwrap_or_default().to_owned(),
            );
            (key, e.get_uid().expect("a UID").to_owned())
        })
        .collect()
}

fn events(calendar: &Calendar) -> Vec<&Event> {
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn events_at<'a>(calendar: &'a Calendar, place: &str) -> Vec<&'a Event> {
    events(calendar)
        .into_iter()
        .filter(|e| e.get_location() == Some(place))
        .collect()
}

/// The dates a stop is visited on.
fn stop_dates(plan: &Plan, stop: &str) -> Vec<NaiveDate> {
    plan.routes
        .iter()
        .filter(|r| {
            r.steps
                .iter()
                .any(|s| matches!(s, Step::Visit { kind: VisitKind::Stop, id, .. } if id == stop))
        })
        .map(|r| r.date)
        .collect()
}

async fn read(server: &Server, path: &str) -> Calendar {
    let response = client()
        .get(format!("{}{path}", server.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{path}");
    let text = response.text().await.expect("text");
    text.parse().expect("RFC 5545")
}

/// The demo view, once the demo week is queued.
async fn demo(server: &Server) -> Value {
    loop {
        let (status, demo) = get(server, "/v1/demo").await;
        if status == 200 {
            return demo;
        }
        assert_eq!(status, 503, "{demo}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// Four weeks in Andorra from Monday 16 March 2026, across the change to summer time (29
/// March), with a closed Wednesday (25 March) and Easter Monday (6 April): a bus on stops open
/// one day a week (weekly, every other week, once in four weeks) and a car on home visits.
fn four_weeks() -> Value {
    let hours = |start: &str, end: &str| {
        json!({"mon": [{"start": start, "end": end}], "tue": [{"start": start, "end": end}],
               "wed": [{"start": start, "end": end}], "thu": [{"start": start, "end": end}],
               "fri": [{"start": start, "end": end}]})
    };
    json!({
        "name": "Quatre setmanes",
        "horizon": {"start": "2026-03-16", "weeks": 4, "time_zone": "Europe/Andorra",
                    "public_holidays": "france", "closed_dates": ["2026-03-25"]},
        "territory": {"extract": "andorra-2021"},
        "units": [
            {"id": "bus", "name": "Bus", "kind": "bus", "depot": {"lat": 42.5069, "lon": 1.5212},
             "hours": hours("08:45", "17:15")},
            {"id": "conseiller", "name": "Conseiller", "kind": "car",
             "depot": {"lat": 42.5069, "lon": 1.5212}, "hours": hours("09:00", "17:30")}
        ],
        "stops": [
            one_day_stop("Dilluns", [42.46895, 1.49254], "mon 09:30 12:00", json!({"visits": 1})),
            one_day_stop("Dimecres", [42.53598, 1.58368], "wed 09:30 12:00", json!({"visits": 1})),
            one_day_stop("Quinzena", [42.55615, 1.53349], "thu 14:00 16:30",
                json!({"visits": 1, "per_weeks": 2, "min_gap_days": 14, "max_gap_days": 14})),
            one_day_stop("Mensual", [42.54695, 1.51404], "tue 14:00 16:30",
                json!({"visits": 1, "per_weeks": 4}))
        ],
        "home_visits": [
            {"id": "dom-a", "location": {"lat": 42.5078, "lon": 1.5300}, "duration_min": 45,
             "slots": [{"date": "2026-03-24", "start": "10:00", "end": "12:00"}],
             "allowed_units": ["car"]},
            {"id": "dom-b", "location": {"lat": 42.4700, "lon": 1.4910}, "duration_min": 60,
             "slots": [{"weekday": "thu", "start": "09:00", "end": "12:00"}],
             "allowed_units": ["car"]},
            {"id": "dom-c", "location": {"lat": 42.5440, "lon": 1.5150}, "duration_min": 30,
             "slots": [{"weekday": "wed", "start": "14:00", "end": "17:00"}],
             "allowed_units": ["car"]}
        ],
        "solver": {"time_limit_s": 2.0, "seed": 1}
    })
}

/// A stop open on one weekday (`"mon 09:30 12:00"`), for the bus, its id its name in lower case.
fn one_day_stop(name: &str, [lat, lon]: [f64; 2], opening: &str, frequency: Value) -> Value {
    let [day, start, end] = <[&str; 3]>::try_from(opening.split(' ').collect::<Vec<_>>())
        .expect("a weekday, a start and an end");
    json!({"id": name.to_lowercase(), "name": name, "kind": "town_hall",
           "location": {"lat": lat, "lon": lon},
           "opening_hours": {day: [{"start": start, "end": end}]},
           "duration": "whole_opening", "frequency": frequency, "allowed_units": ["bus"]})
}
