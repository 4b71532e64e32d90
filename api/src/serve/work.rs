//! What a worker computes for each kind of job, on the calling (blocking) thread: a weekly plan
//! or a coverage answer, encoded as the JSON the job stores, with progress reported to the
//! job's live record.

use std::path::PathBuf;

use optimizer::Control;
use optimizer::planning::plan::Plan;
use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory};
use optimizer::planning::solve::plan;
use optimizer::solution::ObjectiveValue;
use osm_data::progress::Silent;

use super::exports::Documents;
use super::exports::geojson::collection;
use super::live::{BestSoFar, Live, Phase};
use super::store::JobKind;
use super::territories::Territories;
use crate::error::{Error, Result, Violation};
use territory::coverage::{CoverageRequest, CoverageResponse, FirstAnswer, run};

/// A claimed job's inputs.
pub struct Work<'a> {
    /// What to compute.
    pub kind: JobKind,
    /// The loaded territory the request names, if any.
    pub territory: Option<&'a str>,
    /// The stored request (JSON).
    pub request: &'a str,
    /// The time limit, seconds.
    pub time_limit_s: f64,
}

/// What a job computed, encoded as stored.
pub struct Computed {
    /// The plan or coverage answer (JSON).
    pub result: String,
    /// A plan's routes along its territory's roads (GeoJSON), drawn here because this
    /// instance holds the roads and the instances that export the plan may not.
    pub routes: Option<String>,
}

/// Computes a job and encodes its result.
///
/// # Errors
/// [`Error::Unavailable`] while territories load; the solver's and the coverage run's errors
/// (an invalid request lists its fields); [`Error::Internal`] for a stored request that no
/// longer parses.
pub fn compute(
    territories: Option<&Territories>,
    work: &Work<'_>,
    live: &Live,
) -> Result<Computed> {
    let territories =
        territories.ok_or_else(|| Error::Unavailable("territories are still loading".into()))?;
    match work.kind {
        JobKind::Plan => {
            let (problem, plan) = weekly_plan(territories, work, live)?;
            let result = encode(&plan)?;
            let routes = match territories.of_problem(&problem)? {
                Some(territory) => {
                    let routers = territories.routers_for(territory, &problem)?;
                    let docs = Documents::new(problem, plan);
                    Some(collection(&docs, &routers)?.to_string())
                }
                None => None,
            };
            Ok(Computed { result, routes })
        }
        JobKind::Coverage => Ok(Computed {
            result: encode(&coverage(territories, work, live)?)?,
            routes: None,
        }),
    }
}

fn encode(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("encoding the result: {e}")))
}

fn stored<T: serde::de::DeserializeOwned>(request: &str) -> Result<T> {
    serde_json::from_str(request)
        .map_err(|e| Error::Internal(format!("stored request does not parse: {e}")))
}

fn weekly_plan(
    territories: &Territories,
    work: &Work<'_>,
    live: &Live,
) -> Result<(PlanningProblem, Plan)> {
    let mut problem: PlanningProblem = stored(work.request)?;
    problem.solver.time_limit_s = work.time_limit_s;
    let matrices = territories.matrices(&problem)?;
    live.update(|p| p.phase = Phase::Solving);
    let on_best = |value: &ObjectiveValue| {
        live.update(|p| {
            p.improvements += 1;
            p.best = Some(BestSoFar {
                unserved_priority: value.unserved_priority,
                routes: value.vehicles,
                cost: value.cost.0,
                distance_km: value.distance.0 as f64 / 1000.0,
            });
        });
    };
    let control = Control {
        cancel: Some(live.cancel_flag()),
        progress: Some(&on_best),
        threads: Some(1),
    };
    let plan = plan(&problem, &matrices, &control)?;
    Ok((problem, plan))
}

/// Runs a coverage request on its territory as loaded now (its networks, points of interest
/// and demand kept in memory: the extract is not read again), and names the territory, not
/// the file, in the answer: the report says which territory, and the weekly problem can be
/// submitted to `/v1/plans` as it is.
fn coverage(territories: &Territories, work: &Work<'_>, live: &Live) -> Result<CoverageResponse> {
    let mut request: CoverageRequest = stored(work.request)?;
    request.time_limit_s = work.time_limit_s;
    let id = work
        .territory
        .ok_or_else(|| Error::Internal("a coverage job without a territory".into()))?;
    let territory = territories.get(id).ok_or_else(|| {
        Error::Invalid(vec![Violation::new(
            "/territory",
            format!("territory {id:?} is no longer loaded"),
        )])
    })?;
    request.extract = territory.path.clone();
    let on_greedy = &mut |first: &FirstAnswer| {
        live.update(|p| {
            p.phase = Phase::Solving;
            p.improvements += 1;
            p.coverage = Some(first.clone());
        });
    };
    let cancel = Some(live.cancel_flag());
    let mut answer = run(
        territory,
        &request,
        &territories.cache,
        &Silent,
        on_greedy,
        cancel,
    )?;
    answer.report.extract = id.to_owned();
    answer.problem.territory = ProblemTerritory::Extract(PathBuf::from(id));
    Ok(answer)
}
