//! Routing the whole cycle: first one template per weekday for the stops that keep the same
//! weekday and time every week (so every week shows the same slot), then the whole cycle in one
//! routing problem, with those slots held, visits of multi-visit stops on the days the
//! assignment chose, and single visits (home visits, stops served once a cycle) free to take
//! any of their days.

use std::collections::HashMap;

use crate::Control;

use super::assign::DayAssignment;
use super::instance::{Instance, Item};
use super::routing::{
    Crew, Effort, Routed, RoutedStep, RoutingContext, Timing, Visit, VisitOption,
};
use super::time::{TimeRange, Weekday};

/// The routed cycle.
#[derive(Clone, Debug)]
pub struct RoutedCycle {
    /// The visits routed.
    pub visits: Vec<Visit>,
    /// The result.
    pub routed: Routed,
    /// Visits whose weekly slot could not be kept (routed at another time or day).
    pub slot_moved: Vec<usize>,
}

/// The pseudo-day of weekday templates.
const TEMPLATE_DAY: usize = usize::MAX;

/// Routes the cycle with the days chosen by `assignment`; `template_share` of the effort goes to
/// the weekday templates.
pub fn route_cycle(
    ctx: &RoutingContext<'_>,
    assignment: &DayAssignment,
    effort: Effort,
    control: &Control<'_>,
) -> RoutedCycle {
    let instance = ctx.instance;
    let started = std::time::Instant::now();
    let template_effort = Effort {
        time_limit: effort.time_limit / 10,
        iterations: effort.iterations / 10,
        ..effort
    };
    let slots = weekly_slots(ctx, assignment, template_effort, control);
    let crews = all_crews(instance);
    let mut visits = Vec::new();
    // What a visit may fall back to when its held slot or preferred day cannot be had.
    let mut fallbacks: Vec<Option<Vec<VisitOption>>> = Vec::new();
    for (i, item) in instance.items.iter().enumerate() {
        let option = |c: usize| {
            let day = item.candidates[c].day;
            let weekly = slots.get(&(i, instance.day(day).weekday));
            VisitOption {
                day,
                candidate: c,
                timing: timing_on(instance, item, day, weekly),
            }
        };
        let pinned = |c: usize| pinned_timing(instance, item, item.candidates[c].day).is_some();
        let soft = |options: &[VisitOption]| {
            let held = options
                .iter()
                .any(|o| matches!(o.timing, Timing::Fixed(..)));
            let freed = options.iter().map(|o| VisitOption {
                timing: Timing::Free,
                ..o.clone()
            });
            (held && item.pins.is_empty()).then(|| freed.collect::<Vec<_>>())
        };
        if item.required == 1 {
            let all: Vec<usize> = (0..item.candidates.len()).collect();
            let forced: Vec<usize> = all.iter().copied().filter(|&c| pinned(c)).collect();
            if !forced.is_empty() {
                visits.push(Visit {
                    item: i,
                    options: forced.into_iter().map(option).collect(),
                });
                fallbacks.push(None);
                continue;
            }
            let everywhere: Vec<VisitOption> = all.iter().map(|&c| option(c)).collect();
            // First the day it had in the plan in force, else its preferred weekday; any
            // other day only when that cannot be had.
            let wanted = item.preferred.and_then(|p| p.weekday);
            let kept: Vec<VisitOption> = everywhere
                .iter()
                .filter(|o| slot_on(instance, &item.previous, o.day).is_some())
                .cloned()
                .collect();
            let preferred: Vec<VisitOption> = if kept.is_empty() {
                everywhere
                    .iter()
                    .filter(|o| Some(instance.day(o.day).weekday) == wanted)
                    .cloned()
                    .collect()
            } else {
                kept
            };
            if !preferred.is_empty() && preferred.len() < everywhere.len() {
                let fallback = soft(&everywhere).unwrap_or(everywhere);
                visits.push(Visit {
                    item: i,
                    options: preferred,
                });
                fallbacks.push(Some(fallback));
            } else {
                fallbacks.push(soft(&everywhere));
                visits.push(Visit {
                    item: i,
                    options: everywhere,
                });
            }
        } else {
            for &c in &assignment.chosen[i] {
                let options = vec![option(c)];
                fallbacks.push(soft(&options));
                visits.push(Visit { item: i, options });
            }
        }
    }
    // A fifth of what is left is kept for the visits that must fall back.
    let main = Effort {
        time_limit: effort
            .time_limit
            .saturating_sub(started.elapsed())
            .mul_f64(0.8),
        ..effort
    };
    let mut routed = ctx.route(&crews, &visits, main, control);
    let stuck: Vec<usize> = routed
        .unserved
        .iter()
        .map(|(v, _)| *v)
        .filter(|&v| fallbacks[v].is_some())
        .collect();
    let mut slot_moved = Vec::new();
    if !stuck.is_empty() {
        for &v in &stuck {
            let held = visits[v]
                .options
                .iter()
                .any(|o| matches!(o.timing, Timing::Fixed(..)));
            if held {
                slot_moved.push(v);
            }
            if let Some(fallback) = fallbacks[v].take() {
                visits[v].options = fallback;
            }
        }
        let retry = Effort {
            time_limit: effort.time_limit.saturating_sub(started.elapsed()),
            iterations: main.iterations / 4,
            ..main
        };
        routed = ctx.route(&crews, &visits, retry, control);
    }
    slot_moved.retain(|v| !routed.unserved.iter().any(|(u, _)| u == v));
    RoutedCycle {
        visits,
        routed,
        slot_moved,
    }
}

/// Every unit at work on a service day, on the cycle's time axis.
fn all_crews(instance: &Instance) -> Vec<Crew> {
    instance
        .unit_days
        .iter()
        .map(|ud| Crew {
            unit: ud.unit,
            day: ud.day,
            slot: u32::from(instance.day(ud.day).offset),
            shift: ud.shift,
            lunch: ud.lunch,
        })
        .collect()
}

/// A pinned item's unit and start on a day, if a pin covers it.
fn pinned_timing(instance: &Instance, item: &Item, day: usize) -> Option<Timing> {
    slot_on(instance, &item.pins, day)
}

/// The unit and start of the slot among `slots` that covers a day.
fn slot_on(
    instance: &Instance,
    slots: &[super::instance::PinnedSlot],
    day: usize,
) -> Option<Timing> {
    let d = instance.day(day);
    slots
        .iter()
        .find(|p| p.weekday == d.weekday && (p.weeks.is_empty() || p.weeks.contains(&(d.week + 1))))
        .map(|p| Timing::Fixed(p.unit, p.start.seconds()))
}

/// How a visit of `item` on `day` is timed: its weekly slot, its pin, its slot in the plan in
/// force, or free.
fn timing_on(
    instance: &Instance,
    item: &Item,
    day: usize,
    weekly: Option<&(usize, u32)>,
) -> Timing {
    match weekly {
        Some(&(unit, start)) => Timing::Fixed(unit, start),
        None => pinned_timing(instance, item, day)
            .or_else(|| slot_on(instance, &item.previous, day))
            .unwrap_or(Timing::Free),
    }
}

/// The unit and start time each weekly item keeps on each of its weekdays, from one template
/// day per weekday: the units' hours common to every week, the windows open every week.
fn weekly_slots(
    ctx: &RoutingContext<'_>,
    assignment: &DayAssignment,
    effort: Effort,
    control: &Control<'_>,
) -> HashMap<(usize, Weekday), (usize, u32)> {
    let instance = ctx.instance;
    let mut slots = HashMap::new();
    for weekday in Weekday::ALL {
        let days: Vec<usize> = (0..instance.service_days.len())
            .filter(|&d| instance.day(d).weekday == weekday)
            .collect();
        let mut visits = Vec::new();
        for (i, item) in instance.items.iter().enumerate() {
            // A stop served once in the cycle has no other week to match.
            if item.weekly.is_none() || item.required <= 1 {
                continue;
            }
            let on_weekday: Vec<usize> = assignment.chosen[i]
                .iter()
                .copied()
                .filter(|&c| instance.day(item.candidates[c].day).weekday == weekday)
                .collect();
            let Some(&first) = on_weekday.first() else {
                continue;
            };
            let windows = on_weekday
                .iter()
                .map(|&c| item.candidates[c].starts.clone())
                .reduce(|a, b| intersect(&a, &b))
                .unwrap_or_default();
            let first_day = item.candidates[first].day;
            let held = pinned_timing(instance, item, first_day)
                .or_else(|| slot_on(instance, &item.previous, first_day));
            let timing = match held {
                Some(slot) => slot,
                None if windows.is_empty() => continue,
                None => Timing::Within(windows),
            };
            let option = VisitOption {
                day: TEMPLATE_DAY,
                candidate: first,
                timing,
            };
            visits.push(Visit {
                item: i,
                options: vec![option],
            });
        }
        if visits.is_empty() {
            continue;
        }
        let crews = template_crews(instance, &days);
        let seed = effort.seed ^ u64::from(weekday.index());
        let routed = ctx.route(&crews, &visits, Effort { seed, ..effort }, control);
        for crew in &routed.crews {
            for step in &crew.steps {
                if let RoutedStep::Visit { visit, start, .. } = step {
                    slots.insert((visits[*visit].item, weekday), (crew.crew.unit, *start));
                }
            }
        }
    }
    slots
}

/// Each unit working on some of `days`, with the hours it works on all of them.
fn template_crews(instance: &Instance, days: &[usize]) -> Vec<Crew> {
    let mut crews: Vec<Crew> = Vec::new();
    for ud in instance
        .unit_days
        .iter()
        .filter(|ud| days.contains(&ud.day))
    {
        match crews.iter_mut().find(|c| c.unit == ud.unit) {
            Some(crew) => {
                crew.shift = TimeRange {
                    start: crew.shift.start.max(ud.shift.start),
                    end: crew.shift.end.min(ud.shift.end),
                };
            }
            None => crews.push(Crew {
                unit: ud.unit,
                day: TEMPLATE_DAY,
                slot: 0,
                shift: ud.shift,
                lunch: ud.lunch,
            }),
        }
    }
    crews.retain(|c| c.shift.start < c.shift.end);
    crews
}

/// The parts of two lists of ranges that both cover.
fn intersect(a: &[TimeRange], b: &[TimeRange]) -> Vec<TimeRange> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let range = TimeRange {
                start: x.start.max(y.start),
                end: x.end.min(y.end),
            };
            if range.start <= range.end {
                out.push(range);
            }
        }
    }
    out
}
