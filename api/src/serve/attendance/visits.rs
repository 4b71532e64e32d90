//! The visits of a plan in force, repeated cycle after cycle: which unit visits a stop on a
//! given day, or why no visit of that stop falls on it.

use std::collections::HashMap;

use chrono::NaiveDate;
use optimizer::planning::plan::{Plan, Step, VisitKind};
use optimizer::planning::time::Weekday;

/// The stop visits of a plan, by stop and date within its first cycle.
#[derive(Clone, Debug)]
pub struct PlanVisits {
    start: NaiveDate,
    cycle_days: i64,
    /// Per stop, its visits of one cycle: date, week of the cycle, weekday, unit.
    by_stop: HashMap<String, Vec<(NaiveDate, u8, Weekday, String)>>,
}

impl PlanVisits {
    /// The visits of `plan`.
    pub fn new(plan: &Plan) -> Self {
        let mut by_stop: HashMap<String, Vec<(NaiveDate, u8, Weekday, String)>> = HashMap::new();
        for route in &plan.routes {
            for step in &route.steps {
                if let Step::Visit {
                    kind: VisitKind::Stop,
                    id,
                    ..
                } = step
                {
                    by_stop.entry(id.clone()).or_default().push((
                        route.date,
                        route.week,
                        route.weekday,
                        route.unit.clone(),
                    ));
                }
            }
        }
        PlanVisits {
            start: plan.start,
            cycle_days: i64::from(plan.weeks.max(1)) * 7,
            by_stop,
        }
    }

    /// The unit that visits `stop` on `date` (the plan repeating every cycle, before and after
    /// its first), or why there is no such visit, in words.
    pub fn unit_of(&self, stop: &str, date: NaiveDate) -> Result<&str, String> {
        let Some(visits) = self.by_stop.get(stop) else {
            return Err(format!("the plan never visits stop {stop:?}"));
        };
        let offset = (date - self.start).num_days().rem_euclid(self.cycle_days);
        let same_day = self.start + chrono::Duration::days(offset);
        visits
            .iter()
            .find(|(day, ..)| *day == same_day)
            .map(|(.., unit)| unit.as_str())
            .ok_or_else(|| {
                let when: Vec<String> = visits
                    .iter()
                    .map(|(_, week, weekday, _)| format!("w{week} {}", weekday.name()))
                    .collect();
                format!(
                    "the plan does not visit stop {stop:?} on {date} ({}): it visits it on {} of \
                     each {}-week cycle starting {}",
                    Weekday::of(date).name(),
                    when.join(", "),
                    self.cycle_days / 7,
                    self.start
                )
            })
    }

    /// The plan's visits of `stop` in one cycle: weekday each.
    pub fn weekdays_of(&self, stop: &str) -> Vec<Weekday> {
        self.by_stop
            .get(stop)
            .map(|v| v.iter().map(|(_, _, weekday, _)| *weekday).collect())
            .unwrap_or_default()
    }

    /// Weeks in a cycle.
    pub fn weeks(&self) -> f64 {
        self.cycle_days as f64 / 7.0
    }
}
