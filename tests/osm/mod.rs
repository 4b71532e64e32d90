//! Tests of `osm-data` on real extracts and synthetic fixtures.

mod cache;
mod calibration;
#[allow(dead_code)]
mod calibration_data;
mod counts;
mod errors;
mod extract;
mod properties;
mod reference;
mod restrictions;
mod route;
mod rules;
mod tags;
