//! Path weights: travel time and length packed in one integer, compared lexicographically.
//!
//! Shortest paths minimise time; among paths of equal time they minimise length. Packing
//! milliseconds in the high 32 bits and centimetres in the low 32 bits of a `u64` makes that
//! order a plain integer comparison and a sum a plain addition, so the contraction hierarchy,
//! the plain Dijkstra baseline and any reference search agree to the last unit. The length part
//! cannot carry into the time part below 42,949 km per path, longer than any road trip on Earth.

use std::ops::Add;

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

/// Time (ms) and length (cm) of a path, ordered by time then length.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Pod,
    Zeroable,
)]
#[repr(transparent)]
pub struct Weight(u64);

impl Weight {
    /// The weight of an empty path.
    pub const ZERO: Weight = Weight(0);
    /// Larger than any reachable weight; marks "not reached yet".
    pub const INFINITY: Weight = Weight(u64::MAX);

    /// A weight from milliseconds and centimetres.
    #[inline]
    pub fn new(time_ms: u32, length_cm: u32) -> Self {
        Weight((u64::from(time_ms) << 32) | u64::from(length_cm))
    }

    /// Travel time in milliseconds.
    #[inline]
    pub fn time_ms(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// Length in centimetres.
    #[inline]
    pub fn length_cm(self) -> u32 {
        self.0 as u32
    }

    /// Travel time in whole seconds, rounded up.
    ///
    /// Rounding up keeps the triangle inequality of the exact weights: ⌈a+b⌉ ≤ ⌈a⌉+⌈b⌉.
    pub fn seconds(self) -> u32 {
        self.time_ms().div_ceil(1000)
    }

    /// Length in whole metres, rounded up (for the same reason as [`Weight::seconds`]).
    pub fn metres(self) -> u32 {
        self.length_cm().div_ceil(100)
    }

    /// The difference `self - other`, part by part; `None` if either part would go negative.
    pub fn checked_sub(self, other: Weight) -> Option<Weight> {
        let time = self.time_ms().checked_sub(other.time_ms())?;
        let length = self.length_cm().checked_sub(other.length_cm())?;
        Some(Weight::new(time, length))
    }

    /// The raw packed value, for compact storage.
    #[inline]
    pub fn to_bits(self) -> u64 {
        self.0
    }

    /// The weight whose [`Weight::to_bits`] is `bits`.
    #[inline]
    pub fn from_bits(bits: u64) -> Self {
        Weight(bits)
    }
}

impl Add for Weight {
    type Output = Weight;

    /// Sums time and length. Saturates at [`Weight::INFINITY`] so that "unreached" stays
    /// unreached.
    #[inline]
    fn add(self, rhs: Weight) -> Weight {
        Weight(self.0.saturating_add(rhs.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_orders_time_first() {
        let w = Weight::new(1_500, 2_000);
        assert_eq!((w.time_ms(), w.length_cm()), (1_500, 2_000));
        assert!(Weight::new(1, 999_999) < Weight::new(2, 0));
        assert!(Weight::new(5, 1) < Weight::new(5, 2));
    }

    #[test]
    fn sums_part_by_part_and_rounds_up() {
        let w = Weight::new(1_001, 150) + Weight::new(999, 50);
        assert_eq!((w.time_ms(), w.length_cm()), (2_000, 200));
        assert_eq!((w.seconds(), w.metres()), (2, 2));
        assert_eq!(Weight::new(1, 1).seconds(), 1);
        assert_eq!(Weight::ZERO.seconds(), 0);
        assert_eq!(Weight::INFINITY + Weight::new(1, 1), Weight::INFINITY);
    }

    #[test]
    fn subtracts_part_by_part() {
        let w = Weight::new(10, 20).checked_sub(Weight::new(4, 5)).unwrap();
        assert_eq!((w.time_ms(), w.length_cm()), (6, 15));
        assert!(Weight::new(10, 2).checked_sub(Weight::new(4, 5)).is_none());
    }
}
