//! Weekly slots: the unit and start each stop that keeps a slot (served every week, or in the
//! same weeks of every span) holds on its weekday, decided before the whole cycle is routed,
//! and the visits that cannot have that slot, with the cause.
//!
//! Each weekday has one template day holding every such stop served on it in any week, each
//! unit working the hours it has on all of those days: one route per unit for the union of the
//! weeks, so a week's held slots are a part of it and fit together. A part of a route is not
//! always a route, though: a unit lunches where it is, so a stop reached just after lunch may
//! need the stop before it, absent the weeks it is not served. The template's lunch therefore
//! keeps, on top of the break, the longest drive between the places the unit may lunch at and
//! those it may go to after: whatever precedes the lunch in a given week, the next stop is
//! reached in time.
//!
//! The slots should leave room for the rest of the cycle, which the template does not route:
//! the template day also holds, ranked below every slot, its share of the single visits that
//! can only be made on its weekday (a home visit on Thursday afternoons), unheld.
//!
//! What the template cannot hold (more stops on a weekday than units can serve in one day,
//! stops served in different weeks sharing the time) is decided one stop at a time: on one of
//! its days, around the slots held that day, then checked on each of its other days around
//! theirs.

use std::collections::HashMap;

use crate::Control;

use super::assign::DayAssignment;
use super::ids::{DayIdx, ItemIdx, UnitIdx};
use super::instance::{Instance, Item, PinnedSlot, Source, period_hours_on};
use super::plan::SlotCause;
use super::routing::{Crew, Effort, RoutedStep, RoutingContext, Timing, Visit, VisitOption};
use super::time::{LocalTime, TimeRange, Weekday};

/// The pseudo-day of weekday templates.
const TEMPLATE_DAY: DayIdx = DayIdx(u32::MAX);
/// Ruin-and-recreate steps per visit of a day that decides or checks one stop's slot.
const ONE_STOP_ITERATIONS: u64 = 50;

/// Unit and start of a slot, seconds after midnight (a whole minute).
pub type Slot = (UnitIdx, u32);

/// The slots of the cycle's visits.
#[derive(Clone, Debug, Default)]
pub struct Slots {
    /// The slot each visit is held to, by item and service day.
    pub held: HashMap<(ItemIdx, DayIdx), Slot>,
    /// Visits that cannot be at their item's usual slot, by item and service day, with the
    /// cause when the problem gives one.
    pub moved: HashMap<(ItemIdx, DayIdx), Option<SlotCause>>,
    /// Each item's usual slot on a weekday.
    pub usual: HashMap<(ItemIdx, Weekday), Slot>,
}

/// The unit and start of the slot among `slots` that covers a day.
pub fn slot_on(instance: &Instance, slots: &[PinnedSlot], day: DayIdx) -> Option<Slot> {
    let d = instance.day(day);
    slots
        .iter()
        .find(|p| p.weekday == d.weekday && (p.weeks.is_empty() || p.weeks.contains(&(d.week + 1))))
        .map(|p| (p.unit, p.start.seconds()))
}

/// A slot-keeping item on one weekday: the days that can share one slot and the start windows
/// they share.
struct Keeper {
    item: ItemIdx,
    days: Vec<DayIdx>,
    windows: Vec<TimeRange>,
}

/// Decides the slots of every slot-keeping item; `effort` is shared among the templates.
pub fn weekly_slots(
    ctx: &RoutingContext<'_>,
    assignment: &DayAssignment,
    effort: Effort,
    control: &Control<'_>,
) -> Slots {
    let instance = ctx.instance;
    let mut slots = Slots::default();
    let weekdays: Vec<(Weekday, Vec<Keeper>)> = Weekday::ALL
        .into_iter()
        .map(|w| (w, keepers(ctx, assignment, w, &mut slots)))
        .filter(|(_, keepers)| !keepers.is_empty())
        .collect();
    let share = Effort {
        time_limit: effort.time_limit / weekdays.len().max(1) as u32,
        ..effort
    };
    for (weekday, keepers) in &weekdays {
        let effort = Effort {
            seed: share.seed ^ u64::from(weekday.index()),
            ..share
        };
        let template = Template::new(ctx, *weekday, keepers);
        template.decide(keepers, effort, control, &mut slots);
    }
    // What no template could place is routed freely, its slot unknown.
    for (i, item) in instance.items.iter().enumerate() {
        if !item.keeps_slot() {
            continue;
        }
        let i = ItemIdx::at(i);
        for &c in &assignment.chosen[i.get()] {
            let day = item.candidates[c].day;
            if !slots.held.contains_key(&(i, day)) && slot_on(instance, &item.pins, day).is_none() {
                slots.moved.entry((i, day)).or_insert(None);
            }
        }
    }
    slots
}

/// The slot-keeping items served on `weekday`; their days whose hours share nothing with the
/// usual ones are recorded as moved, for the period whose hours differ.
fn keepers(
    ctx: &RoutingContext<'_>,
    assignment: &DayAssignment,
    weekday: Weekday,
    slots: &mut Slots,
) -> Vec<Keeper> {
    let instance = ctx.instance;
    let mut out = Vec::new();
    for (i, item) in instance.items.iter().enumerate() {
        if !item.keeps_slot() {
            continue;
        }
        let mut chosen: Vec<usize> = assignment.chosen[i]
            .iter()
            .copied()
            .filter(|&c| instance.day(item.candidates[c].day).weekday == weekday)
            .collect();
        if chosen.is_empty() {
            continue;
        }
        chosen.sort_by_key(|&c| item.candidates[c].day);
        let (common, windows) = common_hours(item, &chosen);
        let usual_day = item.candidates[common[0]].day;
        for &c in chosen.iter().filter(|c| !common.contains(c)) {
            let day = item.candidates[c].day;
            slots.moved.insert(
                (ItemIdx::at(i), day),
                period_cause(ctx, item, day, usual_day),
            );
        }
        out.push(Keeper {
            item: ItemIdx::at(i),
            days: common.iter().map(|&c| item.candidates[c].day).collect(),
            windows,
        });
    }
    out
}

/// The candidates (of one weekday) that can share a slot, and the start windows they share:
/// the hours most of them keep, narrowed by each other group of hours that still leaves some
/// time in common.
fn common_hours(item: &Item, chosen: &[usize]) -> (Vec<usize>, Vec<TimeRange>) {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &c in chosen {
        let starts = &item.candidates[c].starts;
        match groups
            .iter_mut()
            .find(|g| item.candidates[g[0]].starts == *starts)
        {
            Some(group) => group.push(c),
            None => groups.push(vec![c]),
        }
    }
    // Largest first; among equals, the earliest (groups are in date order).
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut common = groups[0].clone();
    let mut windows = item.candidates[groups[0][0]].starts.clone();
    for group in &groups[1..] {
        let narrowed = intersect(&windows, &item.candidates[group[0]].starts);
        if !narrowed.is_empty() {
            windows = narrowed;
            common.extend(group);
        }
    }
    common.sort_by_key(|&c| item.candidates[c].day);
    (common, windows)
}

/// The period whose hours keep a stop's visit on `day` from its usual slot (decided for
/// `usual_day`): the day's own period, else the usual day's.
fn period_cause(
    ctx: &RoutingContext<'_>,
    item: &Item,
    day: DayIdx,
    usual_day: DayIdx,
) -> Option<SlotCause> {
    let Source::Stop(s) = item.source else {
        return None;
    };
    let stop = &ctx.problem.stops[s];
    let period = |d: DayIdx| period_hours_on(ctx.problem, stop, ctx.instance.day(d));
    period(day)
        .or_else(|| period(usual_day))
        .map(|hours| SlotCause::Period {
            period: hours.period.clone(),
        })
}

/// A visit of a template day: an item's usual slot to decide or hold, or one of its pins.
struct TemplateVisit {
    item: ItemIdx,
    candidate: usize,
    timing: Timing,
}

/// One weekday's template day.
struct Template<'a> {
    ctx: &'a RoutingContext<'a>,
    weekday: Weekday,
    /// Every unit working on some of the weekday's days, with the hours it has on all of them
    /// and its lunch lengthened by the drive reserve.
    crews: Vec<Crew>,
}

impl<'a> Template<'a> {
    fn new(ctx: &'a RoutingContext<'a>, weekday: Weekday, keepers: &[Keeper]) -> Self {
        let days = template_days(keepers);
        let mut crews = template_crews(ctx.instance, &days);
        // Every week holds all the slots (no stop missing from some week, no other visit held
        // in some weeks only): a week's route is the template's, and needs no reserve.
        let every_week = announced_others(ctx.instance, &days).is_empty()
            && keepers.iter().all(|k| {
                k.days == days
                    && ctx.instance.items[k.item.get()]
                        .pins
                        .iter()
                        .all(|p| p.weekday != weekday || p.weeks.is_empty())
            });
        if !every_week {
            for crew in &mut crews {
                let reserve = lunch_reserve_min(ctx, crew.unit, keepers);
                crew.lunch = crew.lunch.map(|mut lunch| {
                    lunch.duration_min = lunch.duration_min.saturating_add(reserve);
                    lunch.window.end = LocalTime::from_seconds(
                        lunch.window.end.seconds() + u32::from(reserve) * 60,
                    )
                    .unwrap_or(LocalTime::END_OF_DAY);
                    lunch
                });
            }
        }
        Template {
            ctx,
            weekday,
            crews,
        }
    }

    /// The template's crews of units working on `day`.
    fn crews_on(&self, day: DayIdx) -> Vec<Crew> {
        self.crews
            .iter()
            .filter(|c| {
                self.ctx
                    .instance
                    .unit_days
                    .iter()
                    .any(|ud| ud.day == day && ud.unit == c.unit)
            })
            .copied()
            .collect()
    }

    /// Decides the usual slot of every keeper: all at once on the template, then one at a time
    /// for those it could not hold; records each day's held slot or why it moves.
    fn decide(&self, keepers: &[Keeper], effort: Effort, control: &Control<'_>, slots: &mut Slots) {
        let instance = self.ctx.instance;
        let mut visits = Vec::new();
        for keeper in keepers {
            let item = &instance.items[keeper.item.get()];
            let first = keeper.days[0];
            let timing = slot_on(instance, &item.pins, first)
                .or_else(|| slot_on(instance, &item.previous, first))
                .map_or_else(
                    || Timing::Within(keeper.windows.clone()),
                    |(unit, start)| Timing::Fixed(unit, start),
                );
            visits.push(self.visit(keeper.item, first, timing));
        }
        // The other slots its pins set: the usual slots are decided around them.
        for keeper in keepers {
            let item = &instance.items[keeper.item.get()];
            let usual = slot_on(instance, &item.pins, keeper.days[0]);
            let mut others: Vec<Slot> = keeper
                .days
                .iter()
                .filter_map(|&d| slot_on(instance, &item.pins, d))
                .filter(|&pin| Some(pin) != usual)
                .collect();
            others.sort_unstable();
            others.dedup();
            for (unit, start) in others {
                let visit = self.visit(keeper.item, keeper.days[0], Timing::Fixed(unit, start));
                visits.push(visit);
            }
        }
        visits.extend(self.announced_others(&template_days(keepers)));
        visits.extend(self.single_visits_share(keepers));
        let placed = self.route(&self.crews, &visits, effort, control);
        for (keeper, at) in keepers.iter().zip(&placed) {
            if let Some(at) = at {
                slots.usual.insert((keeper.item, self.weekday), *at);
                self.hold(keeper, *at, slots);
            }
        }
        let mut rest: Vec<&Keeper> = keepers
            .iter()
            .zip(&placed)
            .filter(|(_, at)| at.is_none())
            .map(|(k, _)| k)
            .collect();
        rest.sort_by_key(|k| std::cmp::Reverse(instance.items[k.item.get()].priority));
        let one = Effort {
            time_limit: effort.time_limit / (rest.len() * 4).max(1) as u32,
            ..effort
        };
        for keeper in rest {
            if let Some(at) = self.decide_alone(keeper, one, control, slots) {
                slots.usual.insert((keeper.item, self.weekday), at);
                self.hold(keeper, at, slots);
            }
        }
    }

    /// Template visits, fixed, for the slots other visits are held to on some of `days`.
    fn announced_others(&self, days: &[DayIdx]) -> Vec<TemplateVisit> {
        announced_others(self.ctx.instance, days)
            .into_iter()
            .map(|(i, d, (unit, start))| self.visit(i, d, Timing::Fixed(unit, start)))
            .collect()
    }

    /// The template day's share of the single visits that can only be made on its weekday
    /// (a home visit available on Thursday afternoons): one in as many as the weekday has days
    /// in the cycle. They are routed after the slots (which outrank them) and not held, so that
    /// the slots leave them room at the units and hours they need.
    fn single_visits_share(&self, keepers: &[Keeper]) -> Vec<TemplateVisit> {
        let instance = self.ctx.instance;
        let days = template_days(keepers);
        let only_here: Vec<ItemIdx> = (0..instance.items.len())
            .map(ItemIdx::at)
            .filter(|&i| {
                let item = &instance.items[i.get()];
                item.required == 1
                    && !item.candidates.is_empty()
                    && item.candidates.iter().all(|c| days.contains(&c.day))
            })
            .collect();
        only_here
            .into_iter()
            .step_by(days.len().max(1))
            .map(|i| {
                let candidate = &instance.items[i.get()].candidates[0];
                self.visit(i, candidate.day, Timing::Within(candidate.starts.clone()))
            })
            .collect()
    }

    /// A slot for one keeper that fits around the slots held on each of its days: decided on
    /// one day, then checked on the others; the first day whose slot holds everywhere wins.
    fn decide_alone(
        &self,
        keeper: &Keeper,
        effort: Effort,
        control: &Control<'_>,
        slots: &Slots,
    ) -> Option<Slot> {
        for &day in &keeper.days {
            let deciding = Timing::Within(keeper.windows.clone());
            let Some(at) = self.fits_on(keeper, day, deciding, effort, control, slots) else {
                continue;
            };
            let holds = keeper.days.iter().filter(|&&d| d != day).all(|&d| {
                let unit_off = !self.crews_on(d).iter().any(|c| c.unit == at.0);
                unit_off
                    || self
                        .fits_on(keeper, d, Timing::Fixed(at.0, at.1), effort, control, slots)
                        .is_some()
            });
            if holds {
                return Some(at);
            }
        }
        None
    }

    /// Where a keeper's visit goes on `day` with `timing`, around the slots held that day.
    fn fits_on(
        &self,
        keeper: &Keeper,
        day: DayIdx,
        timing: Timing,
        effort: Effort,
        control: &Control<'_>,
        slots: &Slots,
    ) -> Option<Slot> {
        let mut held: Vec<(ItemIdx, Slot)> = slots
            .held
            .iter()
            .filter(|((_, d), _)| *d == day)
            .map(|(&(item, _), &slot)| (item, slot))
            .collect();
        held.sort_unstable();
        let mut visits = vec![self.visit(keeper.item, day, timing)];
        visits.extend(
            held.into_iter()
                .map(|(item, (unit, start))| self.visit(item, day, Timing::Fixed(unit, start))),
        );
        visits.extend(self.announced_others(&[day]));
        let effort = Effort {
            iterations: ONE_STOP_ITERATIONS * visits.len() as u64,
            ..effort
        };
        let placed = self.route(&self.crews_on(day), &visits, effort, control);
        let all_held = placed.iter().skip(1).all(Option::is_some);
        placed[0].filter(|_| all_held)
    }

    /// Holds a keeper's days to its usual slot, except where a pin sets another (then it moves
    /// to the pin) or the usual unit does not work (then it moves, routed freely).
    fn hold(&self, keeper: &Keeper, usual: Slot, slots: &mut Slots) {
        let instance = self.ctx.instance;
        let item = &instance.items[keeper.item.get()];
        for &day in &keeper.days {
            match slot_on(instance, &item.pins, day) {
                Some(pin) if pin != usual => {
                    let cause = SlotCause::Pin {
                        unit: self.ctx.problem.units[pin.0.get()].id.clone(),
                        start: LocalTime::from_seconds(pin.1).unwrap_or(LocalTime::MIDNIGHT),
                    };
                    slots.held.insert((keeper.item, day), pin);
                    slots.moved.insert((keeper.item, day), Some(cause));
                }
                Some(pin) => {
                    slots.held.insert((keeper.item, day), pin);
                }
                None if self.crews_on(day).iter().any(|c| c.unit == usual.0) => {
                    slots.held.insert((keeper.item, day), usual);
                }
                None => {
                    let unit = self.ctx.problem.units[usual.0.get()].id.clone();
                    slots
                        .moved
                        .insert((keeper.item, day), Some(SlotCause::UnitOff { unit }));
                }
            }
        }
    }

    /// A template visit of `item`, timed as its candidate of `day`.
    fn visit(&self, item: ItemIdx, day: DayIdx, timing: Timing) -> TemplateVisit {
        let candidates = &self.ctx.instance.items[item.get()].candidates;
        TemplateVisit {
            item,
            candidate: candidates.iter().position(|c| c.day == day).unwrap_or(0),
            timing,
        }
    }

    /// Routes template visits with `crews`; where each went (unit and start), if anywhere.
    fn route(
        &self,
        crews: &[Crew],
        visits: &[TemplateVisit],
        effort: Effort,
        control: &Control<'_>,
    ) -> Vec<Option<Slot>> {
        let visits: Vec<Visit> = visits
            .iter()
            .map(|v| Visit {
                item: v.item,
                options: vec![VisitOption {
                    day: TEMPLATE_DAY,
                    candidate: v.candidate,
                    timing: v.timing.clone(),
                }],
            })
            .collect();
        // With held slots only, placing them is all there is to do.
        let deciding = visits
            .iter()
            .any(|v| !matches!(v.options[0].timing, Timing::Fixed(..)));
        let effort = Effort {
            iterations: if deciding {
                effort.iterations
            } else {
                visits.len() as u64
            },
            ..effort
        };
        let routed = self.ctx.route(crews, &visits, effort, control);
        let mut placed = vec![None; visits.len()];
        for crew in &routed.crews {
            for step in &crew.steps {
                if let RoutedStep::Visit { visit, start, .. } = step {
                    // Slots are announced to the minute.
                    placed[*visit] = Some((crew.crew.unit, start - start % 60));
                }
            }
        }
        placed
    }
}

/// The slots other visits are held to on some of `days` (a pin, the plan in force) when they
/// keep no weekly slot themselves, by item, day and slot: the weekly slots go around them.
fn announced_others(instance: &Instance, days: &[DayIdx]) -> Vec<(ItemIdx, DayIdx, Slot)> {
    let mut out = Vec::new();
    for (i, item) in instance.items.iter().enumerate() {
        if item.keeps_slot() {
            continue;
        }
        let mut held: Vec<(DayIdx, Slot)> = days
            .iter()
            .filter(|&&d| item.candidates.iter().any(|c| c.day == d))
            .filter_map(|&d| {
                let slot = slot_on(instance, &item.pins, d)
                    .or_else(|| slot_on(instance, &item.previous, d))?;
                Some((d, slot))
            })
            .collect();
        held.sort_unstable_by_key(|&(_, slot)| slot);
        held.dedup_by_key(|&mut (_, slot)| slot);
        out.extend(held.into_iter().map(|(d, slot)| (ItemIdx::at(i), d, slot)));
    }
    out
}

/// The service days some keeper of a weekday is served on, in order.
fn template_days(keepers: &[Keeper]) -> Vec<DayIdx> {
    let mut days: Vec<DayIdx> = keepers.iter().flat_map(|k| k.days.clone()).collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// The longest drive, in whole minutes, from a place `unit` may lunch at (its depot, a stop of
/// the template it may serve) to a stop it may serve after.
fn lunch_reserve_min(ctx: &RoutingContext<'_>, unit: UnitIdx, keepers: &[Keeper]) -> u16 {
    let instance = ctx.instance;
    let mut places = vec![unit.depot()];
    places.extend(
        keepers
            .iter()
            .map(|k| &instance.items[k.item.get()])
            .filter(|item| item.units.contains(&unit))
            .map(|item| item.location),
    );
    let longest = places
        .iter()
        .flat_map(|&a| places.iter().map(move |&b| (a, b)))
        .map(|(a, b)| ctx.drive_s(unit, a, b))
        .max()
        .unwrap_or(0);
    u16::try_from(longest.div_ceil(60)).unwrap_or(u16::MAX)
}

/// Each unit working on some of `days`, with the hours it works on all of them.
fn template_crews(instance: &Instance, days: &[DayIdx]) -> Vec<Crew> {
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
