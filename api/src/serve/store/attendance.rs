//! Attendance in the database: how many people came to each visit of a stop, one row per
//! visit of an owner's territory (a second record of the same visit replaces the first).

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Store, now_ms};
use crate::error::{Error, Result};
use crate::serve::ids::{JobId, Owner};

/// One visit's attendance as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The territory (`""` for problems that bring their own matrices).
    pub territory: String,
    /// The stop's id in the plan.
    pub stop: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// The plan the visit belongs to.
    pub plan: JobId,
    /// The unit that made the visit.
    pub unit: String,
    /// People who came.
    pub visitors: u32,
    /// What they came for (`demarches`, `numerique`, `sante`, `autre`), if said.
    pub topic: Option<String>,
    /// When it was recorded (ms since the epoch).
    pub recorded_at: i64,
}

/// Which records to read: the owner's, of one territory, optionally narrowed.
#[derive(Clone, Debug, Default)]
pub struct VisitFilter {
    /// The territory.
    pub territory: String,
    /// Only visits of this plan.
    pub plan: Option<JobId>,
    /// Only visits of this stop.
    pub stop: Option<String>,
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
}

const COLUMNS: &str = "territory, stop, visit_date, plan_id, unit, visitors, topic, recorded_at";

impl Store {
    /// Records `visits` for `owner` in one transaction; per visit, whether it replaced an
    /// earlier record of the same visit (same territory, stop and day).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn record_visits(&self, owner: &Owner, visits: &[Visit]) -> Result<Vec<bool>> {
        // On SQLite the write lock is taken when the transaction begins: a deferred one reads
        // first, and when another connection commits a write meanwhile, WAL cannot turn its
        // stale read into a write and answers "database is locked" at once, without waiting.
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        let mut replaced = Vec::with_capacity(visits.len());
        for visit in visits {
            let existing = sqlx::query(
                "SELECT 1 AS found FROM attendance \
                 WHERE owner = $1 AND territory = $2 AND stop = $3 AND visit_date = $4",
            )
            .bind(owner.0.clone())
            .bind(visit.territory.clone())
            .bind(visit.stop.clone())
            .bind(visit.date.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO attendance (owner, territory, stop, visit_date, plan_id, unit, \
                 visitors, topic, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (owner, territory, stop, visit_date) DO UPDATE SET \
                 plan_id = excluded.plan_id, unit = excluded.unit, visitors = excluded.visitors, \
                 topic = excluded.topic, recorded_at = excluded.recorded_at",
            )
            .bind(owner.0.clone())
            .bind(visit.territory.clone())
            .bind(visit.stop.clone())
            .bind(visit.date.to_string())
            .bind(visit.plan.to_string())
            .bind(visit.unit.clone())
            .bind(i64::from(visit.visitors))
            .bind(visit.topic.clone())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            replaced.push(existing.is_some());
        }
        tx.commit().await?;
        Ok(replaced)
    }

    /// `owner`'s records matching `filter`, by day then stop.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn visits(&self, owner: &Owner, filter: &VisitFilter) -> Result<Vec<Visit>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attendance WHERE owner = $1 AND territory = $2 \
             AND ($3 = '' OR plan_id = $3) AND ($4 = '' OR stop = $4) \
             AND ($5 = '' OR visit_date >= $5) AND ($6 = '' OR visit_date <= $6) \
             ORDER BY visit_date, stop"
        );
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner.0.clone())
            .bind(filter.territory.clone())
            .bind(filter.plan.map(|p| p.to_string()).unwrap_or_default())
            .bind(filter.stop.clone().unwrap_or_default())
            .bind(day(filter.from))
            .bind(day(filter.to))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(visit).collect()
    }
}

fn visit(row: &AnyRow) -> Result<Visit> {
    let plan: String = row.try_get("plan_id")?;
    let date: String = row.try_get("visit_date")?;
    let visitors: i64 = row.try_get("visitors")?;
    Ok(Visit {
        territory: row.try_get("territory")?,
        stop: row.try_get("stop")?,
        date: date.parse().map_err(|_| {
            Error::Internal(format!("malformed visit date {date:?} in the database"))
        })?,
        plan: plan
            .parse()
            .map_err(|_| Error::Internal(format!("malformed plan id {plan:?} in the database")))?,
        unit: row.try_get("unit")?,
        visitors: u32::try_from(visitors).map_err(|_| {
            Error::Internal(format!("visitors {visitors} out of range in the database"))
        })?,
        topic: row.try_get("topic")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::AnyPool;

    use super::{Store, Visit};
    use crate::serve::ids::{JobId, Owner};

    /// Another connection holds the write lock and commits while the batch is under way: the
    /// batch waits for it and is recorded, instead of failing with "database is locked".
    #[tokio::test]
    async fn a_batch_waits_for_another_writer_instead_of_failing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let store = Store::open(&url).await.expect("opens");
        let other = AnyPool::connect(&url).await.expect("connects");
        let mut writer = other.acquire().await.expect("a connection");
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *writer)
            .await
            .expect("write lock");
        sqlx::query("CREATE TABLE scratch (x INTEGER)")
            .execute(&mut *writer)
            .await
            .expect("a write");
        let visit = Visit {
            territory: "t".into(),
            stop: "market".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 9).expect("a date"),
            plan: JobId::new(),
            unit: "bus".into(),
            visitors: 7,
            topic: None,
            recorded_at: 0,
        };
        let recording = tokio::spawn({
            let store = store.clone();
            async move { store.record_visits(&Owner::local(), &[visit]).await }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        sqlx::query("COMMIT")
            .execute(&mut *writer)
            .await
            .expect("commit");
        let recorded = recording.await.expect("the task ends");
        assert_eq!(recorded.expect("recorded after the other writer"), [false]);
    }
}
