//! The day assignment keeps counts, spacing, weekly slots, pins and capacity.

use std::time::Duration;

use serde_json::json;

use super::super::assign::assign_days;
use super::super::time::Weekday;
use super::{bus, instance, problem, stop};

fn horizon(weeks: u8) -> serde_json::Value {
    json!({ "start": "2026-01-05", "weeks": weeks, "public_holidays": "none" })
}

#[test]
fn weekly_stops_keep_their_weekday_and_others_are_spaced() {
    let (p, m) = problem(
        json!({
            "horizon": horizon(2),
            "units": [bus("bus")],
            "stops": [stop("weekly", 1, 1), stop("twice", 2, 1), stop("fortnight", 1, 2)],
        }),
        20,
    );
    let instance = instance(&p, &m);
    let result = assign_days(&instance, Duration::from_secs(5));
    for (item, chosen) in instance.items.iter().zip(&result.chosen) {
        assert_eq!(chosen.len() as u32, item.required, "{:?}", item.source);
        let days: Vec<_> = chosen
            .iter()
            .map(|&c| instance.day(item.candidates[c].day))
            .collect();
        if let Some(per_week) = item.weekly {
            let mut weekdays: Vec<Weekday> = days.iter().map(|d| d.weekday).collect();
            weekdays.sort();
            weekdays.dedup();
            assert_eq!(weekdays.len(), usize::from(per_week), "{:?}", item.source);
        }
        // Spacing across the repeating cycle.
        let cycle = instance.cycle_days();
        for a in &days {
            for b in &days {
                let d = a.offset.abs_diff(b.offset);
                if d > 0 {
                    assert!(
                        d.min(cycle - d) >= u16::from(item.min_gap_days),
                        "{:?}",
                        item.source
                    );
                }
            }
        }
    }
}

#[test]
fn a_day_never_holds_more_than_its_units_can() {
    // Eight two-hour weekly stops for one bus: at most three fit a day (8 h less lunch).
    let stops: Vec<_> = (0..8).map(|i| stop(&format!("s{i}"), 1, 1)).collect();
    let (p, m) = problem(
        json!({ "horizon": horizon(1), "units": [bus("bus")], "stops": stops }),
        10,
    );
    let instance = instance(&p, &m);
    let result = assign_days(&instance, Duration::from_secs(5));
    let mut per_day = vec![0u32; instance.service_days.len()];
    for (item, chosen) in instance.items.iter().zip(&result.chosen) {
        assert_eq!(chosen.len(), 1);
        for &c in chosen {
            per_day[item.candidates[c].day.get()] += item.load_min(&item.candidates[c]);
        }
    }
    assert!(per_day.iter().all(|&load| load <= 8 * 60), "{per_day:?}");
}

#[test]
fn pins_fix_the_weekday() {
    let (p, m) = problem(
        json!({
            "horizon": horizon(2),
            "units": [bus("bus")],
            "stops": [stop("mairie", 1, 1)],
            "commitments": { "pinned": [{ "stop": "mairie", "unit": "bus", "weekday": "thu", "start": "09:30" }] },
        }),
        20,
    );
    let instance = instance(&p, &m);
    let result = assign_days(&instance, Duration::from_secs(5));
    let item = &instance.items[0];
    let weekdays: Vec<Weekday> = result.chosen[0]
        .iter()
        .map(|&c| instance.day(item.candidates[c].day).weekday)
        .collect();
    assert_eq!(weekdays, vec![Weekday::Thu, Weekday::Thu]);
}
