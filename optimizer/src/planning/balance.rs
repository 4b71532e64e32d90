//! Sharing work between interchangeable units: two units of the same kind, leaving from the
//! same depot, can exchange their whole day when each could have driven the other's route (its
//! hours, lunch rule, limits and equipment allow it, and no visit is pinned to a unit). Routes
//! stay identical, so the exchange costs nothing; it only moves working time between crews.

use super::ids::UnitIdx;
use super::instance::Instance;
use super::problem::PlanningProblem;
use super::routing::{RoutedCrew, RoutedStep, Timing};
use super::schedule::RoutedCycle;

/// Working time of a crew's day, seconds.
fn working(crew: &RoutedCrew) -> u32 {
    crew.arrival.saturating_sub(crew.departure)
}

/// Whether `unit` may drive `route` on its day.
fn can_drive(
    problem: &PlanningProblem,
    instance: &Instance,
    cycle: &RoutedCycle,
    unit: UnitIdx,
    route: &RoutedCrew,
) -> bool {
    let from = &problem.units[route.crew.unit.get()];
    let to = &problem.units[unit.get()];
    let same = to.kind == from.kind
        && to.depot == from.depot
        && to.lunch == from.lunch
        && to.max_driving_min == from.max_driving_min
        && to.battery_range_km == from.battery_range_km;
    let Some(shift) = instance
        .unit_days
        .iter()
        .find(|ud| ud.unit == unit && ud.day == route.crew.day)
        .map(|ud| ud.shift)
    else {
        return false;
    };
    let hours = shift.start.seconds() <= route.departure && route.arrival <= shift.end.seconds();
    let visits_fit = route.steps.iter().all(|step| match step {
        RoutedStep::Visit { visit, .. } => {
            let visit = &cycle.visits[*visit];
            let held = visit
                .options
                .iter()
                .any(|o| matches!(o.timing, Timing::Fixed(..)));
            !held && instance.items[visit.item.get()].units.contains(&unit)
        }
        RoutedStep::Break { .. } => true,
    });
    same && hours && visits_fit
}

/// Exchanges or hands over whole days between interchangeable units while that narrows the gap
/// between the most and the least working unit.
pub fn balance(problem: &PlanningProblem, instance: &Instance, cycle: &mut RoutedCycle) {
    let units = problem.units.len();
    loop {
        let mut load = vec![0u32; units];
        for crew in &cycle.routed.crews {
            load[crew.crew.unit.get()] += working(crew);
        }
        let spread =
            |load: &[u32]| load.iter().max().unwrap_or(&0) - load.iter().min().unwrap_or(&0);
        let current = spread(&load);
        let mut best: Option<(u32, usize, UnitIdx)> = None;
        for (r, route) in cycle.routed.crews.iter().enumerate() {
            for other in (0..units)
                .map(UnitIdx::at)
                .filter(|&u| u != route.crew.unit)
            {
                if !can_drive(problem, instance, cycle, other, route) {
                    continue;
                }
                // The other unit's route that day, if any, must come back the other way.
                let swap = cycle
                    .routed
                    .crews
                    .iter()
                    .position(|c| c.crew.unit == other && c.crew.day == route.crew.day);
                if let Some(s) = swap
                    && !can_drive(
                        problem,
                        instance,
                        cycle,
                        route.crew.unit,
                        &cycle.routed.crews[s],
                    )
                {
                    continue;
                }
                let mut after = load.clone();
                let moved = working(route);
                let back = swap.map_or(0, |s| working(&cycle.routed.crews[s]));
                let (from, to) = (route.crew.unit.get(), other.get());
                after[from] = after[from] - moved + back;
                after[to] = after[to] + moved - back;
                let narrowed = spread(&after);
                if narrowed < current && best.is_none_or(|(b, _, _)| narrowed < b) {
                    best = Some((narrowed, r, other));
                }
            }
        }
        let Some((_, r, other)) = best else {
            return;
        };
        let day = cycle.routed.crews[r].crew.day;
        let from = cycle.routed.crews[r].crew.unit;
        for crew in &mut cycle.routed.crews {
            if crew.crew.day == day && crew.crew.unit == other {
                crew.crew.unit = from;
            } else if crew.crew.day == day && crew.crew.unit == from {
                crew.crew.unit = other;
            }
        }
    }
}
