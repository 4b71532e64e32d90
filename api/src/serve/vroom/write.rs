//! A core solution written in VROOM's output layout: every route, the jobs left out, the
//! totals and the computing times.

use optimizer::solution::Solution;

use super::build::Built;
use super::input::Input;
use super::output::{ComputingTimes, Output, Route, Summary, Unassigned};
use super::route::Layout;

/// Writes the solution in VROOM's layout.
pub fn output(
    input: &Input,
    built: &Built,
    solution: &Solution,
    loading_ms: u64,
    solving_ms: u64,
) -> Output {
    let layout = Layout::new(input, built);
    let dims = built.dims;
    let mut summary = Summary {
        delivery: vec![0; dims],
        pickup: vec![0; dims],
        amount: vec![0; dims],
        ..Summary::default()
    };
    let routes: Vec<Route> = solution.routes.iter().map(|r| layout.route(r)).collect();
    for route in &routes {
        summary.add(route);
    }
    let unassigned: Vec<Unassigned> = solution
        .unserved
        .iter()
        .map(|u| layout.unassigned(u.job))
        .collect();
    summary.routes = routes.len();
    summary.unassigned = unassigned.len();
    summary.computing_times = ComputingTimes {
        loading: loading_ms,
        solving: solving_ms,
        routing: 0,
    };
    Output {
        code: 0,
        summary,
        unassigned,
        routes,
    }
}
