//! The attendance routes: record visits (JSON or CSV), read them back (JSON or CSV), their
//! summary with the advice, and the proposed re-plan of a plan in force (issue 19).

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use optimizer::planning::problem::{PlanningProblem, Territory as ProblemTerritory};
use osm_data::progress::Silent;
use serde::{Deserialize, Serialize};
use territory::coverage::inputs::{CandidateInput, DemandInput};
use territory::coverage::promise::Promise;
use territory::coverage::{AccessMode, CoverageRequest};
use territory::extract::territory_id;
use utoipa::{IntoParams, ToSchema};

use super::super::attendance::input::{self, RecordBatch, RecordInput};
use super::super::attendance::proposal::{
    ProposalChange, ProposalWarning, Side, propose, side_of_plan, side_of_problem,
};
use super::super::attendance::summary::Summary;
use super::super::attendance::visits::PlanVisits;
use super::super::body::{JsonBody, parse};
use super::super::errors::ErrorBody;
use super::super::exports::Documents;
use super::super::ids::{JobId, Owner};
use super::super::state::AppState;
use super::super::store::{JobKind, NewJob, Visit, VisitFilter};
use super::exports::{documents, file};
use super::jobs::{self, JobView, parse_id};
use crate::error::{Error, Result, Violation};
use crate::limits::{Limit, Size};

/// What recording did to each visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Records stored.
    pub recorded: usize,
    /// Of which replaced an earlier record of the same visit.
    pub replaced: usize,
    /// Per record, in order: `created` or `replaced`.
    pub outcomes: Vec<&'static str>,
}

/// Where a CSV import goes.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// The plan the visits belong to (CSV imports; a JSON body names it itself).
    pub plan: Option<String>,
}

/// Record attendance: one record `{"plan", "stop", "date", "visitors", "topic"?}`, a batch
/// `{"plan", "records": [...]}`, or a CSV import (`Content-Type: text/csv`, `?plan=ID`, lines
/// `stop;date;visitors[;topic]`). A record for a stop and day the plan does not visit (the plan
/// repeating every cycle) is refused with `422` and the reason; a second record of the same
/// visit replaces the first (`replaced`). All or nothing.
#[utoipa::path(post, path = "/v1/attendance", tag = "attendance",
    params(ImportQuery),
    request_body(content = RecordBatch, description = "A batch, one record, or CSV text"),
    responses(
        (status = 200, description = "Recorded", body = Recorded),
        (status = 404, description = "No such plan for this token", body = ErrorBody),
        (status = 409, description = "The plan is not done", body = ErrorBody),
        (status = 413, description = "More records than `max_attendance_records`, or a body over the body limit", body = ErrorBody),
        (status = 422, description = "Every record at fault, as `/records/N/field`", body = ErrorBody),
    ))]
pub async fn record(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Recorded>> {
    let csv = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let (plan, records, batch) = if csv {
        let text = std::str::from_utf8(&body)
            .map_err(|_| Error::invalid("", "the CSV import is not UTF-8 text"))?;
        let plan = query.plan.ok_or_else(|| {
            Error::invalid(
                "",
                "a CSV import names its plan: POST /v1/attendance?plan=ID",
            )
        })?;
        (plan, input::from_csv(text)?, true)
    } else {
        let sent = input::from_json(parse(&body, state.config.json_depth)?)?;
        (sent.plan, sent.records, sent.batch)
    };
    Limit::attendance_records(state.config.max_attendance_records)
        .check(Size::sum(&[("/records", records.len())]))?;
    let plan_id = parse_id(&plan).map_err(|_| unknown_plan(&plan, csv))?;
    let docs = documents(&state, plan_id, &owner).await?;
    let territory = territory_of(&docs.problem);
    let visits = PlanVisits::new(&docs.plan);
    let pointer = |i: usize| {
        if batch {
            format!("/records/{i}")
        } else {
            String::new()
        }
    };
    let mut faults = Vec::new();
    let mut matched = Vec::with_capacity(records.len());
    for (
        i,
        RecordInput {
            stop,
            date,
            visitors,
            topic,
        },
    ) in records.into_iter().enumerate()
    {
        match visits.unit_of(&stop, date) {
            Ok(unit) => matched.push(Visit {
                territory: territory.clone(),
                unit: unit.to_owned(),
                stop,
                date,
                plan: plan_id,
                visitors,
                topic: topic.map(|t| t.as_str().to_owned()),
                recorded_at: 0,
            }),
            Err(reason) => faults.push(Violation::new(pointer(i), reason)),
        }
    }
    if !faults.is_empty() {
        return Err(Error::Invalid(faults));
    }
    let replaced = state.store.record_visits(&owner, &matched).await?;
    Ok(Json(Recorded {
        recorded: replaced.len(),
        replaced: replaced.iter().filter(|r| **r).count(),
        outcomes: replaced
            .iter()
            .map(|r| if *r { "replaced" } else { "created" })
            .collect(),
    }))
}

fn unknown_plan(plan: &str, csv: bool) -> Error {
    Error::invalid(
        if csv { "" } else { "/plan" },
        format!("{plan:?} is not a plan id"),
    )
}

/// Which records to read.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReadQuery {
    /// The territory (default: the plan's, when `plan` is given).
    pub territory: Option<String>,
    /// Only visits of this plan.
    pub plan: Option<String>,
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
    /// Only this stop.
    pub stop: Option<String>,
    /// `csv` for `stop;date;visitors;topic` lines (as imported), as `Accept: text/csv` does.
    pub format: Option<String>,
}

/// One stored record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordView {
    /// The stop's id.
    pub stop: String,
    /// The day of the visit.
    pub date: String,
    /// People who came.
    pub visitors: u32,
    /// What for, if said.
    pub topic: Option<String>,
    /// The unit that made the visit.
    pub unit: String,
    /// The plan the visit belongs to.
    pub plan: String,
    /// The territory.
    pub territory: String,
}

/// Records of the caller's territory, by day then stop: JSON, or CSV (`Accept: text/csv` or
/// `format=csv`) in the import's own format.
#[utoipa::path(get, path = "/v1/attendance", tag = "attendance",
    params(ReadQuery),
    responses(
        (status = 200, description = "The records", body = Vec<RecordView>),
        (status = 404, description = "No such plan for this token", body = ErrorBody),
        (status = 422, description = "Neither a territory nor a plan", body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let csv = query.format.as_deref() == Some("csv")
        || headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"));
    let (filter, _) = filter(&state, &owner, &query).await?;
    let visits = state.store.visits(&owner, &filter).await?;
    if csv {
        let mut text = String::from("stop;date;visitors;topic\n");
        for v in &visits {
            text.push_str(&format!(
                "{};{};{};{}\n",
                v.stop,
                v.date,
                v.visitors,
                v.topic.as_deref().unwrap_or("")
            ));
        }
        return Ok(file("text/csv; charset=utf-8", "attendance.csv", text));
    }
    let list: Vec<RecordView> = visits
        .into_iter()
        .map(|v| RecordView {
            stop: v.stop,
            date: v.date.to_string(),
            visitors: v.visitors,
            topic: v.topic,
            unit: v.unit,
            plan: v.plan.to_string(),
            territory: v.territory,
        })
        .collect();
    Ok(Json(list).into_response())
}

/// The territory's records as a filter, and the plan's documents when `plan` is given.
async fn filter(
    state: &AppState,
    owner: &Owner,
    query: &ReadQuery,
) -> Result<(VisitFilter, Option<(JobId, Documents)>)> {
    let plan = match &query.plan {
        Some(text) => {
            let id = parse_id(text)?;
            Some((id, documents(state, id, owner).await?))
        }
        None => None,
    };
    let territory = match (&query.territory, &plan) {
        (Some(t), _) => t.clone(),
        (None, Some((_, docs))) => territory_of(&docs.problem),
        (None, None) => {
            return Err(Error::invalid(
                "",
                "name a territory (?territory=) or a plan (?plan=)",
            ));
        }
    };
    Ok((
        VisitFilter {
            territory,
            plan: plan.as_ref().map(|(id, _)| *id),
            stop: query.stop.clone(),
            from: query.from,
            to: query.to,
        },
        plan,
    ))
}

/// Per stop its visits, visitors, mean and pulled rate, per-week series and weekdays, with
/// the advice and its reason in French; per unit and per weekday.
#[utoipa::path(get, path = "/v1/attendance/summary", tag = "attendance",
    params(ReadQuery),
    responses(
        (status = 200, description = "The summary", body = Summary),
        (status = 404, description = "No such plan for this token", body = ErrorBody),
        (status = 422, description = "Neither a territory nor a plan", body = ErrorBody),
    ))]
pub async fn summary(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Query(query): Query<ReadQuery>,
) -> Result<Json<Summary>> {
    let (filter, _) = filter(&state, &owner, &query).await?;
    let visits = state.store.visits(&owner, &filter).await?;
    Ok(Json(Summary::of(&visits)))
}

/// What the proposal promises: N minutes by car or on foot, on the territory's inhabited
/// places or the caller's own demand points.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The access promise, minutes (default 10).
    #[serde(default = "ten")]
    pub minutes: f64,
    /// How people travel to a stop (default `car`).
    #[serde(default = "by_car")]
    #[schema(value_type = String)]
    pub mode: AccessMode,
    /// Demand points `{id, lat, lon, weight}` instead of the extract's places.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub demand: Option<Vec<DemandInput>>,
    /// Only records from this day.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub from: Option<NaiveDate>,
    /// Only records up to this day.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub to: Option<NaiveDate>,
}

fn ten() -> f64 {
    10.0
}
fn by_car() -> AccessMode {
    AccessMode::Car
}

/// The proposal: its re-plan job, what changes and why, advice not followed, and the two
/// plans side by side.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalAnswer {
    /// The plan in force.
    pub plan_in_force: String,
    /// The re-plan job of the proposed problem (its plan once done).
    pub job: JobView,
    /// What changes, stop by stop, and why.
    pub changes: Vec<ProposalChange>,
    /// Advice not followed, and why.
    pub warnings: Vec<ProposalWarning>,
    /// The plan in force.
    pub before: Side,
    /// The proposal: planned figures once its job is done, else estimated from its problem
    /// (no driving).
    pub after: Side,
}

/// Wait for the proposal's plan.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ProposalQuery {
    /// Seconds to wait for the re-plan to finish.
    pub wait: Option<f64>,
}

/// Propose a new plan from the plan in force and its attendance: poorly attended stops
/// dropped where everyone they serve keeps a stop within the promise (kept with a warning
/// otherwise), well-attended stops one more visit per cycle, a stop clearly better attended on
/// one weekday served that weekday. Queued as a re-plan of the plan in force (its pins kept);
/// nothing changes until the dispatcher applies it.
#[utoipa::path(post, path = "/v1/plans/{id}/proposal", tag = "attendance",
    params(("id" = JobId, Path, description = "The plan in force"), ProposalQuery),
    request_body = ProposalRequest,
    responses(
        (status = 200, description = "The proposal and its re-plan job", body = ProposalAnswer),
        (status = 404, description = "No such plan for this token", body = ErrorBody),
        (status = 409, description = "The plan is not done", body = ErrorBody),
        (status = 422, description = "A field of the request, no attendance recorded, or the plan's territory not loaded here", body = ErrorBody),
        (status = 429, description = "Queue full", body = ErrorBody),
    ))]
pub async fn proposal(
    State(state): State<AppState>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    Query(query): Query<ProposalQuery>,
    JsonBody(request): JsonBody<ProposalRequest>,
) -> Result<Json<ProposalAnswer>> {
    let plan_id = parse_id(&id)?;
    let docs = documents(&state, plan_id, &owner).await?;
    let territory = territory_of(&docs.problem);
    let filter = VisitFilter {
        territory: territory.clone(),
        plan: None,
        stop: None,
        from: request.from,
        to: request.to,
    };
    let visits = state.store.visits(&owner, &filter).await?;
    if visits.is_empty() {
        return Err(Error::invalid(
            "",
            format!("no attendance is recorded for territory {territory:?}: record visits first"),
        ));
    }
    let summary = Summary::of(&visits);
    let coverage = CoverageRequest {
        extract: territory.clone().into(),
        minutes: request.minutes,
        mode: request.mode,
        unit: optimizer::planning::problem::UnitKind::Car,
        model: None,
        budget: None,
        demand: request.demand,
        candidates: docs
            .problem
            .stops
            .iter()
            .map(|s| CandidateInput {
                id: s.id.clone(),
                lat: s.location.lat,
                lon: s.location.lon,
                name: Some(s.name.clone()),
                opening_hours: None,
            })
            .collect(),
        osm_candidates: false,
        attendance: Vec::new(),
        time_limit_s: 1.0,
        snap_limit_m: osm_data::router::DEFAULT_SNAP_LIMIT_M,
        start: docs.problem.horizon.start,
        half_days: None,
        visit_minutes: 1,
        reach_roads: false,
    };
    let promise = state
        .compute(move |state| {
            let territories = state.territories()?;
            let loaded = territories.get(&territory).ok_or_else(|| {
                Error::invalid(
                    "",
                    format!(
                        "the plan's territory {territory:?} is not loaded on this instance: the \
                         proposal checks the coverage promise on its roads"
                    ),
                )
            })?;
            Ok(Promise::evaluate(
                loaded,
                &coverage,
                &territories.cache,
                &Silent,
            )?)
        })
        .await?;
    let proposal = propose(
        &docs.problem,
        &docs.plan,
        &summary,
        &promise,
        request.minutes,
    );
    let before = side_of_plan(&docs.plan, &summary, &promise);
    let job = submit(&state, &owner, &proposal.problem, query.wait).await?;
    let after = match &job.plan {
        Some(plan) => {
            let plan = serde_json::from_value(plan.clone())
                .map_err(|e| Error::Internal(format!("the proposed plan does not read: {e}")))?;
            side_of_plan(&plan, &summary, &promise)
        }
        None => side_of_problem(&proposal.problem, &summary, &promise),
    };
    Ok(Json(ProposalAnswer {
        plan_in_force: plan_id.to_string(),
        job,
        changes: proposal.changes,
        warnings: proposal.warnings,
        before,
        after,
    }))
}

/// Queues the proposed problem as a plan job of `owner` and waits up to `wait` seconds for it.
async fn submit(
    state: &AppState,
    owner: &Owner,
    problem: &PlanningProblem,
    wait: Option<f64>,
) -> Result<JobView> {
    territory::validate::planning_problem(problem)?;
    let text = serde_json::to_string(problem)
        .map_err(|e| Error::Internal(format!("encoding the proposal: {e}")))?;
    let territory = match &problem.territory {
        ProblemTerritory::Extract(name) => Some(territory_id(name)),
        ProblemTerritory::Matrices(_) => None,
    };
    let id = JobId::new();
    let job = NewJob {
        id,
        kind: JobKind::Plan,
        owner,
        territory: territory.as_deref(),
        request: &text,
        time_limit_s: problem
            .solver
            .time_limit_s
            .min(state.config.max_time_limit_s),
    };
    jobs::enqueue(state, job, None).await?;
    jobs::show(state, owner, JobKind::Plan, &id.to_string(), wait).await
}

/// The territory id a stored problem names (`""` for one that brings its own matrices): its
/// extract's file name without `.osm.pbf`, as jobs and loaded territories are keyed (the demo
/// week names `helsinki.osm.pbf`).
fn territory_of(problem: &PlanningProblem) -> String {
    match &problem.territory {
        ProblemTerritory::Extract(name) => territory_id(name),
        ProblemTerritory::Matrices(_) => String::new(),
    }
}
