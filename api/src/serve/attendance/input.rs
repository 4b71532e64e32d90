//! What the teams send: one record or a batch as JSON, or a CSV import
//! (`stop;date;visitors[;topic]`). Every fault is named as a JSON pointer into the records
//! (`/records/3/topic`), CSV rows being records too, with their line and column.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::body::from_value;
use crate::error::{Error, Result, Violation};

/// What people came for: a short fixed list, no personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    /// Administrative procedures.
    Demarches,
    /// Digital help.
    Numerique,
    /// Health.
    Sante,
    /// Anything else.
    Autre,
}

impl Topic {
    /// Every topic, in the order the list gives them.
    pub const ALL: [Topic; 4] = [
        Topic::Demarches,
        Topic::Numerique,
        Topic::Sante,
        Topic::Autre,
    ];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Demarches => "demarches",
            Topic::Numerique => "numerique",
            Topic::Sante => "sante",
            Topic::Autre => "autre",
        }
    }

    /// The topic of a stored or imported name.
    pub fn parse(text: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// One visit's attendance as sent.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    /// The stop's id in the plan.
    pub stop: String,
    /// The day of the visit (`YYYY-MM-DD`).
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// People who came.
    pub visitors: u32,
    /// What they came for, if said.
    #[serde(default)]
    pub topic: Option<Topic>,
}

/// A batch: the plan the visits belong to, and the records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBatch {
    /// The plan in force (a finished plan job's id).
    pub plan: String,
    /// The records, at most the service's `max_attendance_records`.
    pub records: Vec<RecordInput>,
}

/// One record alone, with its plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SingleRecord {
    plan: String,
    stop: String,
    date: NaiveDate,
    visitors: u32,
    #[serde(default)]
    topic: Option<Topic>,
}

/// Records sent as JSON.
pub struct Sent {
    /// The plan they belong to.
    pub plan: String,
    /// The records.
    pub records: Vec<RecordInput>,
    /// Whether they came as a batch (`/records/N` pointers) or one record (`""`).
    pub batch: bool,
}

/// Reads a JSON body: `{"plan", "records": [...]}` or one record `{"plan", "stop", "date",
/// "visitors", "topic"?}`.
///
/// # Errors
/// [`Error::Invalid`] naming the field at fault.
pub fn from_json(document: serde_json::Value) -> Result<Sent> {
    if document.get("records").is_some() {
        let batch: RecordBatch = from_value(document)?;
        return Ok(Sent {
            plan: batch.plan,
            records: batch.records,
            batch: true,
        });
    }
    let one: SingleRecord = from_value(document)?;
    Ok(Sent {
        plan: one.plan,
        records: vec![RecordInput {
            stop: one.stop,
            date: one.date,
            visitors: one.visitors,
            topic: one.topic,
        }],
        batch: false,
    })
}

/// Reads a CSV import: `stop;date;visitors[;topic]` per line, an optional header line starting
/// with `stop`, blank lines skipped. Row N (from 0, header and blank lines not counted) is
/// record N.
///
/// # Errors
/// [`Error::Invalid`] listing every cell at fault as `/records/N/column`, its message giving
/// the line and column.
pub fn from_csv(text: &str) -> Result<Vec<RecordInput>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut faults = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(';').map(str::trim).collect();
        if n == 0 && cells[0].eq_ignore_ascii_case("stop") {
            continue;
        }
        let at = format!("/records/{}", records.len());
        let mut fault = |column: usize, name: &str, message: String| {
            faults.push(Violation::new(
                if name.is_empty() {
                    at.clone()
                } else {
                    format!("{at}/{name}")
                },
                format!("line {line_no}, column {column}: {message}"),
            ));
        };
        if !(3..=4).contains(&cells.len()) {
            fault(
                1,
                "",
                format!(
                    "expected stop;date;visitors[;topic], found {} field(s)",
                    cells.len()
                ),
            );
            records.push(None);
            continue;
        }
        let stop = cells[0].to_owned();
        if stop.is_empty() {
            fault(1, "stop", "the stop id is empty".into());
        }
        let date = cells[1].parse::<NaiveDate>().map_err(|_| {
            fault(
                2,
                "date",
                format!("{:?} is not a date YYYY-MM-DD", cells[1]),
            )
        });
        let visitors = cells[2].parse::<u32>().map_err(|_| {
            fault(
                3,
                "visitors",
                format!("{:?} is not a whole number of people ≥ 0", cells[2]),
            )
        });
        let topic = match cells.get(3).copied().filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => Topic::parse(t).map(Some).ok_or_else(|| {
                fault(
                    4,
                    "topic",
                    format!("{t:?} is not one of demarches, numerique, sante, autre"),
                )
            }),
        };
        records.push(match (date, visitors, topic) {
            (Ok(date), Ok(visitors), Ok(topic)) if !stop.is_empty() => Some(RecordInput {
                stop,
                date,
                visitors,
                topic,
            }),
            _ => None,
        });
    }
    if !faults.is_empty() {
        return Err(Error::Invalid(faults));
    }
    Ok(records.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_records_and_faults_name_line_and_column() {
        let ok = from_csv(
            "stop;date;visitors;topic\noodi;2026-12-03;12;numerique\n\nluckan;2026-12-04;3\n",
        )
        .expect("parses");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].topic, Some(Topic::Numerique));
        assert_eq!(ok[1].topic, None);
        let Err(Error::Invalid(faults)) = from_csv("oodi;2026-12-03;12\noodi;2026-13-03;x;velo\n")
        else {
            panic!("expected faults");
        };
        let fields: Vec<&str> = faults.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["/records/1/date", "/records/1/visitors", "/records/1/topic"]
        );
        assert!(faults[0].message.starts_with("line 2, column 2:"));
    }
}
