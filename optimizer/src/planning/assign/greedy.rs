//! The greedy assignment: items one by one, in the unit-day with the most room, keeping spacing
//! and weekly slots. It always exists, and warm-starts the model.

use super::super::ids::DayIdx;
use super::super::instance::{Instance, Item, WeekPattern};
use super::super::time::Weekday;
use super::pinned;

/// The greedy's counterpart, in minutes of room: more than any day's capacity.
const PREVIOUS_BONUS: i64 = 10_000;

/// What a missed visit costs a greedy placement, in minutes of room: more than any bonus.
const GREEDY_MISS: i64 = 1_000_000;

/// Days between two offsets of the repeating cycle, the shorter way round.
fn cyclic_gap(a: u16, b: u16, cycle: u16) -> u16 {
    let d = a.abs_diff(b);
    d.min(cycle - d)
}

/// Items in the order the greedy serves them: pinned, then those keeping a weekly slot, then
/// the hardest to place.
fn greedy_order(instance: &Instance) -> Vec<usize> {
    let mut order: Vec<usize> = (0..instance.items.len()).collect();
    order.sort_by_key(|&i| {
        let item = &instance.items[i];
        (
            item.pins.is_empty(),
            item.weekly.is_none() && item.pattern.is_none(),
            item.candidates.len(),
            std::cmp::Reverse(item.priority),
        )
    });
    order
}

/// Places items one by one in the unit-day with the most room, keeping spacing and weekly
/// slots; an item that cannot be placed whole is left out (its visits are missed).
pub(super) fn greedy(instance: &Instance) -> Vec<Vec<usize>> {
    let mut room: Vec<i64> = instance
        .unit_days
        .iter()
        .map(|ud| i64::from(ud.capacity_min()))
        .collect();
    let mut chosen = vec![Vec::new(); instance.items.len()];
    for i in greedy_order(instance) {
        let item = &instance.items[i];
        let pick = match (item.weekly, item.pattern) {
            (Some(per_week), _) => greedy_weekly(instance, item, per_week, &room),
            (None, Some(pattern)) => greedy_pattern(instance, item, pattern, &room),
            (None, None) => greedy_spread(instance, item, &room),
        };
        for &c in &pick {
            let candidate = &item.candidates[c];
            if let Some(ud) = best_unit_day(instance, item, candidate.day, &room) {
                room[ud] -= i64::from(item.load_min(candidate));
            }
        }
        chosen[i] = pick;
    }
    chosen
}

/// The unit-day of `day` a compatible unit has the most room in.
fn best_unit_day(instance: &Instance, item: &Item, day: DayIdx, room: &[i64]) -> Option<usize> {
    (0..instance.unit_days.len())
        .filter(|&ud| {
            instance.unit_days[ud].day == day && item.units.contains(&instance.unit_days[ud].unit)
        })
        .max_by_key(|&ud| room[ud])
}

fn fits(instance: &Instance, item: &Item, c: usize, room: &[i64]) -> bool {
    let candidate = &item.candidates[c];
    best_unit_day(instance, item, candidate.day, room)
        .is_some_and(|ud| room[ud] >= i64::from(item.load_min(candidate)))
}

/// Weekly items: the `per_week` weekdays, spaced, whose days have the most room.
fn greedy_weekly(instance: &Instance, item: &Item, per_week: u8, room: &[i64]) -> Vec<usize> {
    let by_weekday = |w: Weekday| -> Vec<usize> {
        (0..item.candidates.len())
            .filter(|&c| instance.day(item.candidates[c].day).weekday == w)
            .collect()
    };
    let forced: Vec<Weekday> = item.pins.iter().map(|p| p.weekday).collect();
    let mut best: Option<(i64, Vec<usize>)> = None;
    for combination in weekday_combinations(per_week as usize) {
        if !forced.iter().all(|w| combination.contains(w)) {
            continue;
        }
        let spaced = combination.iter().all(|a| {
            combination.iter().all(|b| {
                a == b
                    || cyclic_gap(a.index() as u16, b.index() as u16, 7)
                        >= u16::from(item.min_gap_days.min(3))
            })
        });
        let picks: Vec<usize> = combination.iter().flat_map(|w| by_weekday(*w)).collect();
        if !spaced || picks.is_empty() || !picks.iter().all(|&c| fits(instance, item, c, room)) {
            continue;
        }
        let score = slot_score(instance, item, &picks, room);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, picks));
        }
    }
    best.map_or_else(Vec::new, |(_, picks)| picks)
}

/// How good a placement of a slot-keeping item is: the room left on its tightest day, its
/// preferred and previous days, less what its missed visits cost.
fn slot_score(instance: &Instance, item: &Item, picks: &[usize], room: &[i64]) -> i64 {
    let tightest = picks
        .iter()
        .map(|&c| {
            best_unit_day(instance, item, item.candidates[c].day, room).map_or(0, |ud| room[ud])
        })
        .min()
        .unwrap_or(0);
    let missed = i64::from(item.required.saturating_sub(picks.len() as u32));
    tightest + preference_bonus(instance, item, picks) + previous_bonus(instance, item, picks)
        - GREEDY_MISS * missed
}

/// Stops served some weeks only: one weekday and the same weeks of every span, spaced, whose
/// days have the most room.
fn greedy_pattern(
    instance: &Instance,
    item: &Item,
    pattern: WeekPattern,
    room: &[i64],
) -> Vec<usize> {
    let cycle = instance.cycle_days();
    let offset = |c: usize| instance.day(item.candidates[c].day).offset;
    let forced = pinned(instance, item);
    let mut best: Option<(i64, Vec<usize>)> = None;
    for weekday in Weekday::ALL {
        let span = usize::from(pattern.per_weeks);
        for weeks in subsets(span, usize::from(pattern.visits)) {
            let picks: Vec<usize> = (0..item.candidates.len())
                .filter(|&c| {
                    let day = instance.day(item.candidates[c].day);
                    day.weekday == weekday && weeks.contains(&(usize::from(day.week) % span))
                })
                .collect();
            let spaced = picks.iter().all(|&a| {
                picks.iter().all(|&b| {
                    a == b
                        || cyclic_gap(offset(a), offset(b), cycle) >= u16::from(item.min_gap_days)
                })
            });
            if picks.is_empty()
                || !spaced
                || !forced.iter().all(|c| picks.contains(c))
                || !picks.iter().all(|&c| fits(instance, item, c, room))
                || !max_gap_holds(instance, item, &picks)
            {
                continue;
            }
            let score = slot_score(instance, item, &picks, room);
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, picks));
            }
        }
    }
    best.map_or_else(Vec::new, |(_, picks)| picks)
}

/// Every set of `k` weekdays.
fn weekday_combinations(k: usize) -> Vec<Vec<Weekday>> {
    subsets(Weekday::ALL.len(), k)
        .into_iter()
        .map(|set| set.into_iter().map(|i| Weekday::ALL[i]).collect())
        .collect()
}

/// Every set of `k` numbers below `n` (`n` at most 31), each in increasing order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    (0u32..(1 << n))
        .filter(|mask| mask.count_ones() as usize == k)
        .map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect())
        .collect()
}

fn preference_bonus(instance: &Instance, item: &Item, picks: &[usize]) -> i64 {
    let Some(wanted) = item.preferred.and_then(|p| p.weekday) else {
        return 0;
    };
    let on_it = picks
        .iter()
        .filter(|&&c| instance.day(item.candidates[c].day).weekday == wanted)
        .count();
    60 * on_it as i64
}

/// Favours the days a stop had in the plan in force.
fn previous_bonus(instance: &Instance, item: &Item, picks: &[usize]) -> i64 {
    let kept = picks
        .iter()
        .filter(|&&c| {
            let day = instance.day(item.candidates[c].day);
            item.previous
                .iter()
                .any(|p| p.weekday == day.weekday && p.weeks.contains(&(day.week + 1)))
        })
        .count();
    PREVIOUS_BONUS * kept as i64
}

/// Other items: visits placed one after another, each within the spacing of the previous one,
/// starting from every candidate in turn; the most roomy complete placement wins.
fn greedy_spread(instance: &Instance, item: &Item, room: &[i64]) -> Vec<usize> {
    let cycle = instance.cycle_days();
    let offset = |c: usize| instance.day(item.candidates[c].day).offset;
    let forced = pinned(instance, item);
    let mut best: Option<(i64, Vec<usize>)> = None;
    for first in 0..item.candidates.len() {
        if !fits(instance, item, first, room) || (!forced.is_empty() && !forced.contains(&first)) {
            continue;
        }
        let mut picks = forced.clone();
        if !picks.contains(&first) {
            picks.push(first);
        }
        while (picks.len() as u32) < item.required {
            let ok = |c: usize| {
                !picks.contains(&c)
                    && fits(instance, item, c, room)
                    && picks.iter().all(|&p| {
                        cyclic_gap(offset(p), offset(c), cycle) >= u16::from(item.min_gap_days)
                    })
            };
            let last = *picks.iter().max_by_key(|&&p| offset(p)).unwrap_or(&first);
            let next = (0..item.candidates.len())
                .filter(|&c| ok(c) && offset(c) > offset(last))
                .min_by_key(|&c| offset(c))
                .or_else(|| (0..item.candidates.len()).find(|&c| ok(c)));
            match next {
                Some(c) => picks.push(c),
                None => break,
            }
        }
        if (picks.len() as u32) < item.required || !max_gap_holds(instance, item, &picks) {
            continue;
        }
        let score = picks
            .iter()
            .map(|&c| {
                best_unit_day(instance, item, item.candidates[c].day, room).map_or(0, |ud| room[ud])
            })
            .sum::<i64>()
            + preference_bonus(instance, item, &picks)
            + previous_bonus(instance, item, &picks);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, picks));
        }
    }
    let mut picks = best.map_or_else(Vec::new, |(_, picks)| picks);
    picks.sort_unstable();
    picks
}

fn max_gap_holds(instance: &Instance, item: &Item, picks: &[usize]) -> bool {
    let Some(max) = item.max_gap_days else {
        return true;
    };
    let cycle = instance.cycle_days();
    let mut offsets: Vec<u16> = picks
        .iter()
        .map(|&c| instance.day(item.candidates[c].day).offset)
        .collect();
    offsets.sort_unstable();
    let wrap = offsets.first().map(|f| f + cycle);
    offsets
        .iter()
        .zip(offsets.iter().skip(1).copied().chain(wrap))
        .all(|(a, b)| b - a <= u16::from(max))
}
