//! Moves between days for the visits of a multi-visit stop: the days each visit may take
//! around the day the assignment chose, such that whichever day the routing picks for each,
//! the spacing of the stop still holds over the repeating cycle. The routing then moves such a
//! visit to another unit-day itself (one time window per day, as for single visits), so the
//! days are improved by the routes, not only fixed before them by a travel estimate.
//!
//! Visits stay on their chosen day when a day change could break a promise: a stop that keeps
//! a weekly slot, has pins or slots in the plan in force, or a preferred weekday.

use super::instance::{Instance, Item};

/// For each chosen candidate of `item` (indices into its candidates), the candidates its visit
/// may take instead: every combination of one day per visit keeps the minimum and maximum
/// spacing, across the cycle's end too. The chosen candidate comes first in each list.
pub fn movable_days(instance: &Instance, item: &Item, chosen: &[usize]) -> Vec<Vec<usize>> {
    let alone = || chosen.iter().map(|&c| vec![c]).collect();
    if chosen.len() < 2
        || item.keeps_slot()
        || !item.pins.is_empty()
        || !item.previous.is_empty()
        || item.preferred.is_some()
    {
        return alone();
    }
    let offset = |c: usize| i32::from(instance.day(item.candidates[c].day).offset);
    let cycle = i32::from(instance.cycle_days());
    let min_gap = i32::from(item.min_gap_days.max(1));
    let max_gap = item.max_gap_days.map(i32::from);
    let mut sets: Vec<Vec<usize>> = alone();
    sets.sort_by_key(|set| offset(set[0]));
    let n = sets.len();
    // Earliest and latest day of each visit's set, in days from the cycle's start.
    let mut span: Vec<(i32, i32)> = sets.iter().map(|s| (offset(s[0]), offset(s[0]))).collect();
    // Whether visit `a` (span `sa`) followed by visit `b` (span `sb`, `wrap` cycles later)
    // keeps the spacing for every pair of their days.
    let spaced = |sa: (i32, i32), sb: (i32, i32), wrap: bool| {
        let shift = if wrap { cycle } else { 0 };
        sb.0 + shift - sa.1 >= min_gap && max_gap.is_none_or(|max| sb.1 + shift - sa.0 <= max)
    };
    for k in 0..n {
        let home = offset(sets[k][0]);
        let mut others: Vec<usize> = (0..item.candidates.len())
            .filter(|c| !sets.iter().any(|s| s.contains(c)))
            .collect();
        others.sort_by_key(|&c| ((offset(c) - home).abs(), c));
        for c in others {
            let d = offset(c);
            let widened = (span[k].0.min(d), span[k].1.max(d));
            let (prev, next) = ((k + n - 1) % n, (k + 1) % n);
            let keeps =
                spaced(span[prev], widened, k == 0) && spaced(widened, span[next], k + 1 == n);
            if keeps {
                span[k] = widened;
                sets[k].push(c);
            }
        }
    }
    sets
}
