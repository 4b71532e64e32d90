//! The timetable of a plan as CSV, one row per visit, in date then unit order. For French
//! spreadsheets: `;` separator (decimals then written with a comma) and a UTF-8 BOM, on demand.

use serde::Deserialize;

use super::Documents;
use crate::error::{Error, Result};
use optimizer::planning::plan::{Step, VisitKind};

/// The field separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    /// `,` with decimal points.
    #[default]
    Comma,
    /// `;` with decimal commas, as French spreadsheets expect.
    Semicolon,
    /// A tab.
    Tab,
}

/// The header row.
pub const HEADER: [&str; 16] = [
    "unit",
    "unit_name",
    "date",
    "weekday",
    "week",
    "order",
    "kind",
    "id",
    "name",
    "arrive",
    "start",
    "end",
    "drive_min",
    "distance_km",
    "lat",
    "lon",
];

/// The timetable text.
///
/// # Errors
/// [`Error::Internal`] if writing to memory fails.
pub fn timetable(docs: &Documents, separator: Separator, bom: bool) -> Result<Vec<u8>> {
    let (delimiter, decimal_comma) = match separator {
        Separator::Comma => (b',', false),
        Separator::Semicolon => (b';', true),
        Separator::Tab => (b'\t', false),
    };
    let number = |x: f64, digits: usize| {
        let text = format!("{x:.digits$}");
        if decimal_comma {
            text.replace('.', ",")
        } else {
            text
        }
    };
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    let fail = |e: csv::Error| Error::Internal(format!("writing CSV: {e}"));
    writer.write_record(HEADER).map_err(fail)?;
    for route in &docs.plan.routes {
        let mut order = 0;
        for step in &route.steps {
            let Step::Visit {
                kind,
                id,
                arrive,
                start,
                end,
                drive_min,
                distance_km,
            } = step
            else {
                continue;
            };
            order += 1;
            let place = docs.place(*kind, id);
            let name = place.and_then(|(_, n)| n).unwrap_or("");
            let (lat, lon) = place.map_or((String::new(), String::new()), |(p, _)| {
                (number(p.lat, 6), number(p.lon, 6))
            });
            let kind = match kind {
                VisitKind::Stop => "stop",
                VisitKind::HomeVisit => "home_visit",
            };
            writer
                .write_record([
                    route.unit.as_str(),
                    docs.unit_name(&route.unit),
                    &route.date.to_string(),
                    route.weekday.name(),
                    &route.week.to_string(),
                    &order.to_string(),
                    kind,
                    id,
                    name,
                    &arrive.to_string(),
                    &start.to_string(),
                    &end.to_string(),
                    &drive_min.to_string(),
                    &number(*distance_km, 1),
                    &lat,
                    &lon,
                ])
                .map_err(fail)?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("writing CSV: {e}")))
}
