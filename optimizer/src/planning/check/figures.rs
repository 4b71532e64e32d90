//! The plan's figures add up: each unit's days, driving minutes, kilometres and cost are the
//! sums of its days (whose driving and kilometres `day` checks against the matrices), and the
//! totals are the sums over the units, the cost recomputed at each unit's prices.

use super::super::plan::{Plan, UnitDayPlan};
use super::super::problem::{PlanningProblem, Unit};
use super::{KM_SLACK, PlanViolation, violation};

/// Euros of tolerance on recomputed costs: the plan rounds to the cent.
const EUR_SLACK: f64 = 0.011;

/// What a set of days adds up to.
#[derive(Default)]
struct Sums {
    days: u32,
    driving_min: u32,
    distance_km: f64,
    cost_eur: f64,
}

impl Sums {
    fn add(&mut self, unit: &Unit, route: &UnitDayPlan) {
        let hours = f64::from(route.back.minutes().saturating_sub(route.leave.minutes())) / 60.0;
        self.days += 1;
        self.driving_min += route.driving_min;
        self.distance_km += route.distance_km;
        self.cost_eur += hours * unit.cost_per_hour + route.distance_km * unit.cost_per_km;
    }
}

/// Checks every unit's figures and the totals against the plan's days.
pub(super) fn check_figures(problem: &PlanningProblem, plan: &Plan, out: &mut Vec<PlanViolation>) {
    let mut total = Sums::default();
    for unit in &problem.units {
        let mut sums = Sums::default();
        for route in plan.routes.iter().filter(|r| r.unit == unit.id) {
            sums.add(unit, route);
            total.add(unit, route);
        }
        let Some(reported) = plan.units.iter().find(|s| s.unit == unit.id) else {
            if sums.days > 0 {
                let message = "the unit works but has no figures".into();
                out.push(violation("figures", &unit.id, None, message));
            }
            continue;
        };
        let mut differs = |what: &str, reported: f64, summed: f64, slack: f64| {
            if (reported - summed).abs() > slack {
                let message = format!("reports {reported} {what}, its days add up to {summed:.2}");
                out.push(violation("figures", &unit.id, None, message));
            }
        };
        differs("days", f64::from(reported.days), f64::from(sums.days), 0.0);
        let driving = f64::from(sums.driving_min);
        differs(
            "min of driving",
            f64::from(reported.driving_min),
            driving,
            0.0,
        );
        differs("km", reported.distance_km, sums.distance_km, KM_SLACK);
        if let Some(cost) = reported.cost_eur {
            differs("euros", cost, sums.cost_eur, EUR_SLACK);
        }
    }
    let t = &plan.totals;
    let mut differs = |what: &str, reported: f64, summed: f64, slack: f64| {
        if (reported - summed).abs() > slack {
            let message = format!("reports {reported} {what}, the days add up to {summed:.2}");
            out.push(violation("figures", "totals", None, message));
        }
    };
    let driving = f64::from(total.driving_min);
    differs("min of driving", f64::from(t.driving_min), driving, 0.0);
    differs("km", t.distance_km, total.distance_km, KM_SLACK);
    differs("euros", t.cost_eur, total.cost_eur, EUR_SLACK);
}
