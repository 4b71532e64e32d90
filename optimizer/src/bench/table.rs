//! The printed benchmark table and its summary lines.

use super::runner::Row;

/// The header line (column order fixed by issue 3).
pub fn header() -> String {
    format!(
        "{:<10} {:>8} {:>10} {:>8} {:>10} {:>8} {:>8}  {}",
        "instance", "BKS veh", "BKS dist", "veh", "dist", "gap %", "seconds", "check"
    )
}

/// One table line.
pub fn line(row: &Row) -> String {
    let (bks_vehicles, bks_distance) = match row.bks {
        Some(b) => (b.vehicles.to_string(), format!("{:.2}", b.distance)),
        None => ("-".to_string(), "-".to_string()),
    };
    let gap = row.gap().map_or("-".to_string(), |g| format!("{g:+.2}"));
    let verdict = match (row.problems.first(), row.unserved) {
        (None, 0) => "ok".to_string(),
        (None, n) => format!("ok ({n} unserved)"),
        (Some(first), _) => format!("FAIL ({} findings; {first})", row.problems.len()),
    };
    format!(
        "{:<10} {:>8} {:>10} {:>8} {:>10.2} {:>8} {:>8.1}  {}",
        row.instance,
        bks_vehicles,
        bks_distance,
        row.vehicles,
        row.distance,
        gap,
        row.seconds,
        verdict
    )
}

/// Summary lines: instances at the BKS vehicle count, mean extra vehicles, mean gap over all,
/// mean gap over the instances at the BKS vehicle count.
pub fn summary(rows: &[Row]) -> Vec<String> {
    let known: Vec<&Row> = rows.iter().filter(|r| r.bks.is_some()).collect();
    let at_bks: Vec<&Row> = known
        .iter()
        .copied()
        .filter(|r| r.bks.is_some_and(|b| r.vehicles <= b.vehicles))
        .collect();
    let mean = |values: Vec<f64>| {
        if values.is_empty() {
            f64::NAN
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    let extra = mean(
        known
            .iter()
            .filter_map(|r| r.bks.map(|b| f64::from(r.vehicles) - f64::from(b.vehicles)))
            .collect(),
    );
    let gap_all = mean(known.iter().filter_map(|r| r.gap()).collect());
    let gap_at = mean(at_bks.iter().filter_map(|r| r.gap()).collect());
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count();
    vec![
        format!(
            "instances at BKS vehicle count: {}/{}",
            at_bks.len(),
            known.len()
        ),
        format!("mean extra vehicles: {extra:.2}"),
        format!("mean distance gap over all: {gap_all:+.2} %"),
        format!("mean gap over instances at BKS vehicle count: {gap_at:+.2} %"),
        format!(
            "checker: {} feasible, {failed} infeasible",
            rows.len() - failed
        ),
    ]
}
