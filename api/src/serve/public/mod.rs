//! The citizens' timetable: what a published plan shows to everyone at `/p/{token}`, built from
//! the plan's public stops only (never a home visit, a depot or a route), and its renderings:
//! the page, the JSON its map and search read, and a printable poster per stop.

pub mod colours;
pub mod french;
pub mod page;
pub mod poster;
pub mod timetable;
