//! End-to-end tests of `tournee serve`: the real binary on an ephemeral port with a temporary
//! data folder, spoken to over HTTP. They need the shared Andorra extract and say `skipped:`
//! without it; PostgreSQL tests run when `TOURNEE_TEST_POSTGRES` names a reachable server.

mod attendance;
mod auth;
mod calendars;
mod coverage;
mod flow;
mod geocode;
mod inputs;
mod instances;
mod limits;
mod off_road;
mod ops;
mod pointers;
mod postgres;
mod privacy;
mod public;
mod restart;
mod support;
mod vroom;
