//! Integer measure types: every time, distance, cost and load in the model is one of these.
//!
//! They are plain `i64` newtypes so that a duration cannot be added to a distance by mistake,
//! and so that the solver never meets a rounding question: the caller chooses the unit (whole
//! seconds and metres for road matrices, scaled ticks for the Euclidean benchmarks).

use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

macro_rules! measure {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl Add for $name {
            type Output = Self;
            fn add(self, other: Self) -> Self {
                Self(self.0 + other.0)
            }
        }

        impl Sub for $name {
            type Output = Self;
            fn sub(self, other: Self) -> Self {
                Self(self.0 - other.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, other: Self) {
                self.0 += other.0;
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|value| value.0).sum())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

measure!(
    /// A time point or a time span in ticks (the caller's unit, e.g. seconds since Monday 00:00).
    Duration
);
measure!(
    /// A distance in the caller's unit (e.g. metres).
    Distance
);
measure!(
    /// A cost in the caller's currency unit (e.g. micro-euros), also used for penalties.
    Cost
);
measure!(
    /// An amount of one capacity dimension (people, kilograms, boxes...).
    Load
);
