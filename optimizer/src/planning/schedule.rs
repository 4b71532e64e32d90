//! Routing the whole cycle: first the weekly slots of the stops that keep one weekday and
//! time ([`super::slots`]), then the whole cycle in one routing problem, with those slots held,
//! visits of multi-visit stops on the days the assignment chose or any day around it that keeps
//! their spacing ([`super::spread`]), and single visits (home visits, stops served once a
//! cycle) free to take any of their days.

use crate::Control;

use super::assign::DayAssignment;
use super::ids::{DayIdx, ItemIdx};
use super::instance::{Instance, Item};
use super::plan::SlotCause;
use super::routing::{
    Crew, Effort, Routed, RoutedStep, RoutingContext, Timing, Visit, VisitOption,
};
use super::slots::{Slot, Slots, slot_on, weekly_slots};
use super::spread::movable_days;

/// The routed cycle.
#[derive(Clone, Debug)]
pub struct RoutedCycle {
    /// The visits routed.
    pub visits: Vec<Visit>,
    /// The result.
    pub routed: Routed,
    /// Visits not at their stop's usual weekly slot (another unit, time or day).
    pub slot_moved: Vec<MovedVisit>,
}

/// A visit not at its stop's usual weekly slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovedVisit {
    /// The visit, by index in the visits routed.
    pub visit: usize,
    /// The usual unit and start on its weekday, if the stop has one.
    pub usual: Option<Slot>,
    /// Why, when the problem gives a reason.
    pub cause: Option<SlotCause>,
}

/// Share of the routing time the weekly slot templates may use.
const TEMPLATE_SHARE: f64 = 0.3;

/// Routes the cycle with the days chosen by `assignment`; a share of the effort goes to the
/// weekly slot templates.
pub fn route_cycle(
    ctx: &RoutingContext<'_>,
    assignment: &DayAssignment,
    effort: Effort,
    control: &Control<'_>,
) -> RoutedCycle {
    let instance = ctx.instance;
    let started = std::time::Instant::now();
    let template_effort = Effort {
        time_limit: effort.time_limit.mul_f64(TEMPLATE_SHARE),
        iterations: effort.iterations / 10,
        ..effort
    };
    let slots = weekly_slots(ctx, assignment, template_effort, control);
    let crews = all_crews(instance);
    let mut visits = Vec::new();
    // What a visit may fall back to when its held slot or preferred day cannot be had.
    let mut fallbacks: Vec<Option<Vec<VisitOption>>> = Vec::new();
    for (position, item) in instance.items.iter().enumerate() {
        let i = ItemIdx::at(position);
        let option = |c: usize| {
            let day = item.candidates[c].day;
            VisitOption {
                day,
                candidate: c,
                timing: timing_on(instance, &slots, i, day),
            }
        };
        let pinned = |c: usize| slot_on(instance, &item.pins, item.candidates[c].day).is_some();
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
            for days in movable_days(instance, item, &assignment.chosen[position]) {
                let options: Vec<VisitOption> = days.into_iter().map(option).collect();
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
    let mut slot_moved = moved_visits(instance, &slots, &visits);
    if !stuck.is_empty() {
        for &v in &stuck {
            let held = visits[v]
                .options
                .iter()
                .any(|o| matches!(o.timing, Timing::Fixed(..)));
            if held && !slot_moved.iter().any(|m| m.visit == v) {
                slot_moved.push(MovedVisit {
                    visit: v,
                    usual: usual_slot(instance, &slots, &visits[v]),
                    cause: None,
                });
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
    slot_moved.retain(|m| {
        !routed.unserved.iter().any(|(u, _)| *u == m.visit)
            && !at_usual_slot(instance, &slots, &visits, &routed, m.visit)
    });
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

/// How a visit of item `i` on `day` is timed: its weekly slot, its pin, its slot in the plan in
/// force, or free.
fn timing_on(instance: &Instance, slots: &Slots, i: ItemIdx, day: DayIdx) -> Timing {
    let item: &Item = &instance.items[i.get()];
    slots
        .held
        .get(&(i, day))
        .copied()
        .or_else(|| slot_on(instance, &item.pins, day))
        .or_else(|| slot_on(instance, &item.previous, day))
        .map_or(Timing::Free, |(unit, start)| Timing::Fixed(unit, start))
}

/// The visits routed on a day their item cannot have its usual slot, with the cause.
fn moved_visits(instance: &Instance, slots: &Slots, visits: &[Visit]) -> Vec<MovedVisit> {
    visits
        .iter()
        .enumerate()
        .filter_map(|(v, visit)| match visit.options.as_slice() {
            [only] => slots
                .moved
                .get(&(visit.item, only.day))
                .map(|cause| MovedVisit {
                    visit: v,
                    usual: usual_slot(instance, slots, visit),
                    cause: cause.clone(),
                }),
            _ => None,
        })
        .collect()
}

/// The usual slot of a visit's item on the weekday of its (first) day.
fn usual_slot(instance: &Instance, slots: &Slots, visit: &Visit) -> Option<Slot> {
    let day = visit.options.first()?.day;
    slots
        .usual
        .get(&(visit.item, instance.day(day).weekday))
        .copied()
}

/// Whether a visit was routed at its item's usual slot on its weekday after all.
fn at_usual_slot(
    instance: &Instance,
    slots: &Slots,
    visits: &[Visit],
    routed: &Routed,
    v: usize,
) -> bool {
    let item = visits[v].item;
    routed.crews.iter().any(|crew| {
        let usual = slots
            .usual
            .get(&(item, instance.day(crew.crew.day).weekday));
        crew.steps.iter().any(|step| match step {
            RoutedStep::Visit { visit, start, .. } if *visit == v => {
                usual == Some(&(crew.crew.unit, start - start % 60))
            }
            _ => false,
        })
    })
}
