//! Typed indices into the vectors of a [`Problem`](super::Problem).

macro_rules! index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, to index a vector.
            pub fn get(self) -> usize {
                self.0 as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// The macro is shared with the planner's indices (`planning::ids`).
pub(crate) use index;

index!(
    /// A row (and column) of the matrices of every routing profile.
    LocationIdx
);
index!(
    /// A position in [`Problem::profiles`](super::Problem::profiles).
    ProfileIdx
);
index!(
    /// A position in [`Problem::jobs`](super::Problem::jobs).
    JobIdx
);
index!(
    /// A position in [`Problem::vehicles`](super::Problem::vehicles).
    VehicleIdx
);
