//! OpenStreetMap tags parsed into typed values, once, while the extract is decoded.
//!
//! Profiles then decide on these values (see [`crate::profile`]); nothing downstream looks at
//! tag strings again.

pub mod access;
pub mod control;
pub mod dimension;
pub mod highway;
pub mod maxspeed;
pub mod node;
mod number;
pub mod restriction;
pub mod surface;
pub mod way;

pub use access::{AccessKey, AccessTags, AccessValue};
pub use control::Control;
pub use highway::HighwayClass;
pub use node::{Barrier, NodeTags};
pub use restriction::{RestrictionMode, RestrictionTags, Role, TurnRule};
pub use surface::{Smoothness, Surface, TrackType};
pub use way::{Oneway, WayTags};
