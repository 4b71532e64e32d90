//! Tests of `osm-data` on real extracts and synthetic fixtures.

mod cache;
mod counts;
mod errors;
mod properties;
mod reference;
mod route;
mod rules;
mod tags;
