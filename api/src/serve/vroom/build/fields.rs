//! Checked fields: time windows within the horizon, sorted and apart; non-negative numbers.

use optimizer::model::{Duration, TimeWindow};

use super::super::input::Window;
use super::HORIZON;
use crate::error::Violation;

/// One time window, checked: `[start, end]` within the horizon, at `field`.
pub(super) fn window(w: Window, field: String, out: &mut Vec<Violation>) -> TimeWindow {
    if w[0] < 0 || w[1] > HORIZON || w[0] > w[1] {
        out.push(Violation::new(
            field,
            format!("must be [start, end] with 0 <= start <= end <= {HORIZON}, got {w:?}"),
        ));
    }
    TimeWindow {
        start: Duration(w[0]),
        end: Duration(w[1]),
    }
}

/// A list of time windows, each checked, sorted and not overlapping.
pub(super) fn windows(list: &[Window], field: &str, out: &mut Vec<Violation>) -> Vec<TimeWindow> {
    for (i, w) in list.iter().enumerate() {
        window(*w, format!("{field}/{i}"), out);
    }
    let mut sorted: Vec<Window> = list.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).any(|p| p[1][0] <= p[0][1]) {
        out.push(Violation::new(field, "time windows must not overlap"));
    }
    sorted
        .into_iter()
        .map(|[start, end]| TimeWindow {
            start: Duration(start),
            end: Duration(end),
        })
        .collect()
}

/// A number from 0 to the horizon, at `field`; clamped into it.
pub(super) fn non_negative(value: i64, field: String, out: &mut Vec<Violation>) -> i64 {
    if !(0..=HORIZON).contains(&value) {
        out.push(Violation::new(
            field,
            format!("must be 0 to {HORIZON}, got {value}"),
        ));
    }
    value.clamp(0, HORIZON)
}
