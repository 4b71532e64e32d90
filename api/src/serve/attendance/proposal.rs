//! The proposed plan: from the plan in force and its attendance, a new planning problem where
//! a poorly attended stop is dropped only if everyone it serves keeps a stop within the
//! promise, a well-attended stop gets one more visit per cycle unless the plan in force already
//! lacked capacity, and a stop whose attendance is clearly higher on one weekday prefers that
//! weekday (its pins moved there). The plan in force is its `previous_plan`, its other pins
//! kept, so the re-plan lists what moves. Nothing changes until the dispatcher applies it.

use optimizer::coverage::Advice;
use optimizer::planning::plan::{Plan, Step, VisitKind};
use optimizer::planning::problem::{PlanningProblem, Preference};
use serde::Serialize;
use territory::coverage::promise::Promise;
use utoipa::ToSchema;

use super::french;
use super::summary::{Summary, french_day};

/// What the proposal changes at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Left out: few people come, and everyone it serves keeps another stop within reach.
    Dropped,
    /// One more visit per cycle.
    MoreVisits,
    /// Served on the weekday people come.
    PreferredWeekday,
}

/// A change of the proposal, and why.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProposalChange {
    /// The stop's id.
    pub stop: String,
    /// Its name.
    pub name: String,
    /// What changes.
    pub change: ChangeKind,
    /// Why, in French, with the figures.
    pub reason: String,
}

/// Advice the proposal could not follow, and why.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProposalWarning {
    /// The stop's id.
    pub stop: String,
    /// `kept_for_coverage` (dropping it would leave people without a stop within the
    /// promise) or `no_capacity` (the plan in force already leaves visits out for lack of
    /// room).
    pub code: &'static str,
    /// Why, in French.
    pub message: String,
}

/// The proposed problem with its changes and warnings.
#[derive(Clone, Debug)]
pub struct Proposal {
    /// The new planning problem, to be planned as a re-plan of the plan in force.
    pub problem: PlanningProblem,
    /// What changes, stop by stop.
    pub changes: Vec<ProposalChange>,
    /// Advice not followed.
    pub warnings: Vec<ProposalWarning>,
}

/// One side of the comparison: the plan in force or the proposal.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Side {
    /// Stops served.
    pub stops: usize,
    /// Stop visits per week.
    pub visits_per_week: f64,
    /// Share of the inhabitants within the promise of one of its stops, in [0, 1].
    pub coverage_share: f64,
    /// People expected per week: each visit at its stop's rate on that weekday.
    pub expected_visitors_per_week: f64,
    /// Driving per week, minutes (once planned).
    pub driving_min_per_week: Option<f64>,
}

/// The proposal for `problem` and its `plan`, from `summary` (the plan's attendance) and the
/// coverage `promise` of its stops (`minutes` for the sentences).
pub fn propose(
    problem: &PlanningProblem,
    plan: &Plan,
    summary: &Summary,
    promise: &Promise,
    minutes: f64,
) -> Proposal {
    let mut proposed = problem.clone();
    let mut changes = Vec::new();
    let mut warnings = Vec::new();
    let name_of = |id: &str| {
        problem
            .stops
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    };
    let mut open: Vec<String> = problem.stops.iter().map(|s| s.id.clone()).collect();

    let mut low: Vec<_> = summary
        .stops
        .iter()
        .filter(|s| s.advice == Advice::Drop && open.contains(&s.stop))
        .collect();
    low.sort_by(|a, b| a.rate.total_cmp(&b.rate));
    for stop in low {
        let others: Vec<&str> = open.iter().map(String::as_str).collect();
        let orphans = promise.orphans(&stop.stop, &others);
        if orphans.is_empty() {
            open.retain(|s| *s != stop.stop);
            changes.push(ProposalChange {
                stop: stop.stop.clone(),
                name: name_of(&stop.stop),
                change: ChangeKind::Dropped,
                reason: format!(
                    "{} ; ceux qu'il sert ont un autre arrêt à moins de {} min",
                    stop.reason,
                    french(minutes)
                ),
            });
        } else {
            let people: f64 = orphans.iter().map(|&d| promise.demand[d].1).sum();
            let places: Vec<&str> = orphans
                .iter()
                .take(3)
                .map(|&d| promise.demand[d].0.as_str())
                .collect();
            warnings.push(ProposalWarning {
                stop: stop.stop.clone(),
                code: "kept_for_coverage",
                message: format!(
                    "{} ; gardé : seul arrêt à moins de {} min pour {} habitants ({})",
                    stop.reason,
                    french(minutes),
                    people.round(),
                    places.join(", ")
                ),
            });
        }
    }
    proposed.stops.retain(|s| open.contains(&s.id));
    proposed
        .commitments
        .pinned
        .retain(|p| open.contains(&p.stop));

    let short_of_room = plan
        .unserved
        .iter()
        .any(|u| serde_json::to_value(&u.reason).is_ok_and(|r| r["code"] == "no_capacity"));
    for stop in proposed.stops.iter_mut() {
        let Some(history) = summary.stop(&stop.id) else {
            continue;
        };
        if history.advice == Advice::ServeMoreOften {
            let frequency = &mut stop.frequency;
            let most = frequency.per_weeks.saturating_mul(5);
            if short_of_room || frequency.visits >= most {
                warnings.push(ProposalWarning {
                    stop: stop.id.clone(),
                    code: "no_capacity",
                    message: format!(
                        "{} ; pas de passage de plus : le plan en vigueur manque déjà de place",
                        history.reason
                    ),
                });
            } else {
                frequency.visits += 1;
                let span = u16::from(frequency.per_weeks) * 7;
                if frequency
                    .min_gap_days
                    .is_some_and(|gap| u16::from(gap) * u16::from(frequency.visits) > span)
                {
                    frequency.min_gap_days = None;
                }
                frequency.max_gap_days = None;
                changes.push(ProposalChange {
                    stop: stop.id.clone(),
                    name: stop.name.clone(),
                    change: ChangeKind::MoreVisits,
                    reason: format!(
                        "{} : {} passages toutes les {} semaine(s) au lieu de {}",
                        history.reason,
                        frequency.visits,
                        frequency.per_weeks,
                        frequency.visits - 1
                    ),
                });
            }
        }
        let Some(day) = history.favoured_weekday else {
            continue;
        };
        let served_then_only = plan_weekdays(plan, &stop.id).iter().all(|d| *d == day);
        if served_then_only && stop.preferred.as_ref().and_then(|p| p.weekday) == Some(day) {
            continue;
        }
        stop.preferred = Some(Preference {
            weekday: Some(day),
            half_day: stop.preferred.as_ref().and_then(|p| p.half_day),
        });
        let id = stop.id.clone();
        proposed
            .commitments
            .pinned
            .retain(|p| p.stop != id || p.weekday == day);
        for pin in proposed
            .commitments
            .pinned
            .iter_mut()
            .filter(|p| p.stop == id)
        {
            pin.weeks.clear();
        }
        changes.push(ProposalChange {
            stop: id,
            name: stop.name.clone(),
            change: ChangeKind::PreferredWeekday,
            reason: format!("servi le {} : {}", french_day(day), history.reason),
        });
    }
    proposed.commitments.previous_plan = Some(Box::new(plan.clone()));
    proposed.name = Some(format!(
        "{} (proposition d'après la fréquentation)",
        problem.name.as_deref().unwrap_or("plan")
    ));
    Proposal {
        problem: proposed,
        changes,
        warnings,
    }
}

/// The weekdays `plan` visits `stop` on, one per visit.
fn plan_weekdays(plan: &Plan, stop: &str) -> Vec<optimizer::planning::time::Weekday> {
    plan.routes
        .iter()
        .flat_map(|r| {
            r.steps.iter().filter_map(move |s| match s {
                Step::Visit {
                    kind: VisitKind::Stop,
                    id,
                    ..
                } if id == stop => Some(r.weekday),
                _ => None,
            })
        })
        .collect()
}

/// The comparison figures of a planned cycle.
pub fn side_of_plan(plan: &Plan, summary: &Summary, promise: &Promise) -> Side {
    let weeks = f64::from(plan.weeks.max(1));
    let mut stops: Vec<&str> = Vec::new();
    let (mut visits, mut expected) = (0u32, 0.0);
    for route in &plan.routes {
        for step in &route.steps {
            if let Step::Visit {
                kind: VisitKind::Stop,
                id,
                ..
            } = step
            {
                visits += 1;
                expected += summary.expected(id, route.weekday);
                if !stops.contains(&id.as_str()) {
                    stops.push(id);
                }
            }
        }
    }
    Side {
        stops: stops.len(),
        visits_per_week: f64::from(visits) / weeks,
        coverage_share: share(promise, &stops),
        expected_visitors_per_week: expected / weeks,
        driving_min_per_week: Some(f64::from(plan.totals.driving_min) / weeks),
    }
}

/// The comparison figures of a problem not planned yet: each stop's visits per week at its
/// preferred weekday's rate (its rate without one); no driving.
pub fn side_of_problem(problem: &PlanningProblem, summary: &Summary, promise: &Promise) -> Side {
    let stops: Vec<&str> = problem.stops.iter().map(|s| s.id.as_str()).collect();
    let mut visits = 0.0;
    let mut expected = 0.0;
    for stop in &problem.stops {
        let per_week =
            f64::from(stop.frequency.visits) / f64::from(stop.frequency.per_weeks.max(1));
        visits += per_week;
        let rate = match stop.preferred.as_ref().and_then(|p| p.weekday) {
            Some(day) => summary.expected(&stop.id, day),
            None => summary.stop(&stop.id).map_or(summary.mean, |s| s.rate),
        };
        expected += per_week * rate;
    }
    Side {
        stops: stops.len(),
        visits_per_week: visits,
        coverage_share: share(promise, &stops),
        expected_visitors_per_week: expected,
        driving_min_per_week: None,
    }
}

fn share(promise: &Promise, stops: &[&str]) -> f64 {
    let total = promise.total_weight();
    if total > 0.0 {
        promise.covered_weight(stops.iter().copied()) / total
    } else {
        0.0
    }
}
