//! Territorial coverage: which stops to serve so that inhabitants have one within N minutes,
//! spread fairly over the communes, favouring the stops people attend.
//!
//! Like the rest of the crate it works on numbers, never on maps: demand points with their
//! weight (population) and commune, candidate sites, and the access time from each demand point
//! to each site (computed by the caller on the road network, on foot or by car).
//!
//! ```
//! use std::time::Duration;
//! use optimizer::coverage::*;
//!
//! // Three hamlets (populations 120, 80, 300) and three candidate sites; times in seconds.
//! let u = AccessTimes::UNREACHABLE;
//! let times = AccessTimes::new(3, vec![
//!     300, 900, u,    // hamlet 0 is 5 min from site 0
//!     500, 400, u,    // hamlet 1 is within 10 min of sites 0 and 1
//!     u, 550, 200,    // hamlet 2 is within 10 min of sites 1 and 2
//! ])?;
//! let demand = [120.0, 80.0, 300.0].map(|weight| Demand { weight, group: GroupIdx(0) });
//! let instance = CoverageInstance::new(demand.to_vec(), 1, &times, 600, Vec::new())?;
//! let config = CoverageConfig { model: CoverageModel::SetCover, time_limit: Duration::from_secs(5) };
//! let outcome = solve(&instance, &times, &config, &mut |_greedy| {});
//! assert_eq!(outcome.best.sites, vec![SiteIdx(0), SiteIdx(1)]);
//! assert_eq!(outcome.status, MipStatus::Optimal);
//! # Ok::<(), optimizer::Error>(())
//! ```
//!
//! # The models
//!
//! (a) **Set covering**: the fewest sites so that every demand point some candidate reaches is
//! within the threshold of an open one; points no candidate reaches are reported apart.
//! (b) **Maximal covering**: at most K sites (the half-days of a cycle), the most population
//! within the threshold. (c) **Fairness**: at most K sites, the worst-covered commune's share of
//! its coverable population as high as possible, then the most population. The formulations are
//! in [`formulation`].
//!
//! # How they are solved
//!
//! A greedy answer comes first ([`greedy`]) and is handed to the caller at once. The LP
//! relaxation then gives a bound; when the greedy answer meets it, it is proven optimal and the
//! solve stops. Otherwise the integer model, started from the greedy answer, runs through
//! `good_lp` and its pure-Rust `microlp` backend for the rest of the time limit; the best
//! answer, the status, the tightest proven bound and the gap are reported ([`solve()`]). Every
//! figure is recomputed from the instance ([`evaluate`]), never read from the solver.
//!
//! # Attendance and the weekly plan
//!
//! [`attendance`] turns a history of visits into per-site scores (which break ties in the
//! models) and advice on which stops to drop or to serve more often; [`plan`] turns the chosen
//! sites into recurring stops of a [`crate::planning::problem::PlanningProblem`], with a
//! frequency proportional to the population each serves.

pub mod attendance;
pub mod evaluate;
pub mod formulation;
pub mod greedy;
pub mod instance;
pub mod mip;
pub mod plan;
pub mod solve;
#[cfg(test)]
mod tests;

pub use attendance::{Advice, AttendanceRates, AttendanceRecord, Recommendation};
pub use evaluate::Evaluation;
pub use instance::{AccessTimes, CoverageInstance, Demand, DemandIdx, GroupIdx, SiteIdx};
pub use mip::MipStatus;
pub use solve::{CoverageConfig, CoverageModel, CoverageOutcome, FoundBy, solve};
