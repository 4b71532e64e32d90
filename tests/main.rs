//! Cross-crate tests on real data: the OpenStreetMap extracts and benchmark instances of
//! `../shared/` (skipped, with a message, where that folder is absent) and the synthetic
//! fixtures of `tests/fixtures/`.

mod coverage;
mod osm;
mod planning;
mod support;
mod vrptw;
