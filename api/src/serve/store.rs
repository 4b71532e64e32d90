//! The job database: SQLite under the data folder by default, PostgreSQL for several instances
//! sharing one queue (jobs claimed with `FOR UPDATE SKIP LOCKED`). One schema, migrated at
//! start; times are milliseconds since the Unix epoch, documents JSON text. Plans and coverage
//! runs share the table and the queue; every lookup on behalf of an owner names the kind it
//! wants, so that one kind's id never answers for the other.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, AssertSqlSafe, Row};

use super::ids::{JobId, Owner};
use crate::error::{Error, Result};

mod attendance;
mod publications;

pub use self::attendance::{Visit, VisitFilter};
pub use self::publications::{Publication, Published};

/// How many times a job may be claimed before a crash marks it failed.
pub const MAX_ATTEMPTS: i64 = 2;

/// A job's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a worker.
    Queued,
    /// Being solved.
    Running,
    /// Computed: the result (plan or coverage answer) is available.
    Done,
    /// Could not be solved: the error says why.
    Failed,
    /// Cancelled by its owner.
    Cancelled,
}

impl Status {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    /// Every state, for metrics.
    pub const ALL: [Status; 5] = [
        Status::Queued,
        Status::Running,
        Status::Done,
        Status::Failed,
        Status::Cancelled,
    ];

    fn parse(text: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| Error::Internal(format!("unknown job status {text:?} in the database")))
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Done | Status::Failed | Status::Cancelled)
    }
}

/// What a job computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A weekly plan of a planning problem.
    Plan,
    /// Where to stop so that inhabitants have a stop within N minutes.
    Coverage,
}

impl JobKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Plan => "plan",
            JobKind::Coverage => "coverage",
        }
    }

    fn parse(text: &str) -> Result<JobKind> {
        [JobKind::Plan, JobKind::Coverage]
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| Error::Internal(format!("unknown job kind {text:?} in the database")))
    }
}

/// Which database engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: one service instance.
    Sqlite,
    /// A PostgreSQL server: instances may share it.
    Postgres,
}

/// A job as listed and shown (without its request and result).
#[derive(Clone, Debug)]
pub struct JobRecord {
    /// Its id.
    pub id: JobId,
    /// What it computes.
    pub kind: JobKind,
    /// Its state.
    pub status: Status,
    /// The territory its request names, if an extract.
    pub territory: Option<String>,
    /// The time limit of its solve, seconds.
    pub time_limit_s: f64,
    /// The last progress report (JSON).
    pub progress: Option<String>,
    /// Why it failed (JSON).
    pub error: Option<String>,
    /// Times it was claimed by a worker.
    pub attempts: i64,
    /// Submission time.
    pub created_at: i64,
    /// Start of the last attempt.
    pub started_at: Option<i64>,
    /// End.
    pub finished_at: Option<i64>,
    /// The worker (`instance-n`) that took it last, kept once it ends.
    pub solved_by: Option<String>,
}

/// A job to queue.
#[derive(Clone, Copy, Debug)]
pub struct NewJob<'a> {
    /// Its id.
    pub id: JobId,
    /// What it computes.
    pub kind: JobKind,
    /// Who submitted it.
    pub owner: &'a Owner,
    /// The loaded territory its request names, if any.
    pub territory: Option<&'a str>,
    /// The request: a planning problem or a coverage request (JSON).
    pub request: &'a str,
    /// Its time limit, seconds.
    pub time_limit_s: f64,
}

/// A job a worker has claimed.
#[derive(Clone, Debug)]
pub struct Claimed {
    /// Its id.
    pub id: JobId,
    /// What it computes.
    pub kind: JobKind,
    /// The loaded territory its request names, if any.
    pub territory: Option<String>,
    /// The request: a planning problem or a coverage request (JSON).
    pub request: String,
    /// Its time limit, seconds.
    pub time_limit_s: f64,
}

/// A job's request and, once done, its result (JSON).
#[derive(Clone, Debug)]
pub struct JobDocuments {
    /// Its state.
    pub status: Status,
    /// The request as stored.
    pub request: String,
    /// The plan or coverage answer, once done.
    pub result: Option<String>,
    /// A done plan's routes as GeoJSON, drawn by the instance that solved it.
    pub routes: Option<String>,
}

/// How a solve ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The result (a plan or a coverage answer, JSON), and a plan's routes as GeoJSON when it
    /// has a territory to draw them on.
    Done {
        /// The plan or coverage answer.
        result: String,
        /// The plan's routes along the roads.
        routes: Option<String>,
    },
    /// The error (JSON).
    Failed(String),
}

/// What cancelling a job found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancellation {
    /// A queued or running job is now cancelled.
    Cancelled,
    /// The job had already ended (done, failed or cancelled): it is left as it is.
    AlreadyEnded,
    /// No such job for this owner.
    NotFound,
}

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

const RECORD_COLUMNS: &str = "id, kind, status, territory, time_limit_s, progress, error, attempts, \
                              created_at, started_at, finished_at, solved_by";

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and brings the schema up to date.
    ///
    /// # Errors
    /// [`Error::Config`] for another kind of URL; [`Error::Database`] when the database cannot
    /// be reached; [`Error::Migration`] when the schema cannot be migrated.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(Error::Config(
                "the database must be a sqlite:// or postgres:// URL".into(),
            ));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .connect(url)
            .await?;
        match backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            }
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    /// Which engine.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the registry of instances ([`super::registry`]).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers.
    ///
    /// # Errors
    /// [`Error::Database`] when it does not.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Adds a queued job.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn insert(&self, job: NewJob<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO jobs (id, kind, owner, status, territory, request, time_limit_s, \
             attempts, created_at) VALUES ($1, $2, $3, 'queued', $4, $5, $6, 0, $7)",
        )
        .bind(job.id.to_string())
        .bind(job.kind.as_str())
        .bind(job.owner.0.clone())
        .bind(job.territory.map(str::to_owned))
        .bind(job.request.to_owned())
        .bind(job.time_limit_s)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Jobs waiting for a worker, all owners together.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn queued(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued'")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Queued jobs per territory (`None`: jobs that bring their own matrices), all owners
    /// together.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn queued_by_territory(&self) -> Result<Vec<(Option<String>, i64)>> {
        let rows = sqlx::query(
            "SELECT territory, COUNT(*) AS n FROM jobs WHERE status = 'queued' \
             GROUP BY territory ORDER BY territory",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("territory")?, row.try_get("n")?)))
            .collect()
    }

    /// Jobs per state, all owners together.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn counts(&self) -> Result<Vec<(Status, i64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                Ok((Status::parse(&status)?, row.try_get("n")?))
            })
            .collect()
    }

    /// One job of `owner` of this kind.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn get(&self, id: JobId, owner: &Owner, kind: JobKind) -> Result<Option<JobRecord>> {
        let sql =
            format!("SELECT {RECORD_COLUMNS} FROM jobs WHERE id = $1 AND owner = $2 AND kind = $3");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id.to_string())
            .bind(owner.0.clone())
            .bind(kind.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record).transpose()
    }

    /// The request and result of a job of `owner` of this kind, the result only once it is
    /// done.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn documents(
        &self,
        id: JobId,
        owner: &Owner,
        kind: JobKind,
    ) -> Result<Option<JobDocuments>> {
        let row = sqlx::query(
            "SELECT status, request, result, routes FROM jobs \
             WHERE id = $1 AND owner = $2 AND kind = $3",
        )
        .bind(id.to_string())
        .bind(owner.0.clone())
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let status: String = row.try_get("status")?;
            Ok(JobDocuments {
                status: Status::parse(&status)?,
                request: row.try_get("request")?,
                result: row.try_get("result")?,
                routes: row.try_get("routes")?,
            })
        })
        .transpose()
    }

    /// A page of `owner`'s jobs of this kind, newest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn list(
        &self,
        owner: &Owner,
        kind: JobKind,
        status: Option<Status>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<JobRecord>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM jobs WHERE owner = $1 AND kind = $2 \
             AND ($3 = '' OR status = $3) ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(owner.0.clone())
            .bind(kind.as_str())
            .bind(status.map_or("", Status::as_str).to_owned())
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    /// Claims for `worker` the oldest queued job it can solve: one whose territory is among
    /// `held` (the territories loaded here), or one that needs none; each claim counts an
    /// attempt. One statement, reading only the queue (the partial index `jobs_queued`).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn claim(&self, worker: &str, held: &[String]) -> Result<Option<Claimed>> {
        let (lock, held_ids) = match self.backend {
            Backend::Postgres => (
                " FOR UPDATE SKIP LOCKED",
                "SELECT jsonb_array_elements_text(CAST($3 AS jsonb))",
            ),
            Backend::Sqlite => ("", "SELECT value FROM json_each($3)"),
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', worker = $1, solved_by = $1, \
             attempts = attempts + 1, started_at = $2, heartbeat_at = $2 \
             WHERE id = (SELECT id FROM jobs WHERE status = 'queued' \
                         AND (territory IS NULL OR territory IN ({held_ids})) \
                         ORDER BY created_at, id LIMIT 1{lock}) AND status = 'queued' \
             RETURNING id, kind, territory, request, time_limit_s"
        );
        let held = serde_json::to_string(held)
            .map_err(|e| Error::Internal(format!("encoding the held territories: {e}")))?;
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(worker.to_owned())
            .bind(now_ms())
            .bind(held)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(Claimed {
                id: job_id(&row)?,
                kind: JobKind::parse(&kind)?,
                territory: row.try_get("territory")?,
                request: row.try_get("request")?,
                time_limit_s: row.try_get("time_limit_s")?,
            })
        })
        .transpose()
    }

    /// Records progress of a running job; `false` when the job is no longer this worker's to
    /// run (cancelled, deleted, or taken back as stale), so that the solve should stop.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn heartbeat(&self, id: JobId, worker: &str, progress: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET progress = $1, heartbeat_at = $2 \
             WHERE id = $3 AND worker = $4 AND status = 'running'",
        )
        .bind(progress.to_owned())
        .bind(now_ms())
        .bind(id.to_string())
        .bind(worker.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores the end of a solve, unless the job was cancelled, deleted or taken back
    /// meanwhile; says whether it was stored.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn finish(
        &self,
        id: JobId,
        worker: &str,
        outcome: Outcome,
        progress: &str,
    ) -> Result<bool> {
        let (status, result, routes, error) = match outcome {
            Outcome::Done { result, routes } => (Status::Done, Some(result), routes, None),
            Outcome::Failed(error) => (Status::Failed, None, None, Some(error)),
        };
        let stored = sqlx::query(
            "UPDATE jobs SET status = $1, result = $2, error = $3, progress = $4, finished_at = $5, \
             worker = NULL, routes = $8 WHERE id = $6 AND worker = $7 AND status = 'running'",
        )
        .bind(status.as_str())
        .bind(result)
        .bind(error)
        .bind(progress.to_owned())
        .bind(now_ms())
        .bind(id.to_string())
        .bind(worker.to_owned())
        .bind(routes)
        .execute(&self.pool)
        .await?;
        Ok(stored.rows_affected() == 1)
    }

    /// Puts a job this worker was running back in the queue without counting the attempt (the
    /// service is stopping, not crashing).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn requeue(&self, id: JobId, worker: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = attempts - 1, worker = NULL, \
             started_at = NULL WHERE id = $1 AND worker = $2 AND status = 'running'",
        )
        .bind(id.to_string())
        .bind(worker.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes back running jobs whose worker went silent before `stale_before`: queued again,
    /// or failed once they have been claimed [`MAX_ATTEMPTS`] times. Returns how many.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn recover(&self, stale_before: i64) -> Result<u64> {
        let reason = serde_json::json!({
            "code": "crashed",
            "message": format!(
                "the service stopped while solving this job {MAX_ATTEMPTS} times; \
                 it is not tried again"
            ),
        })
        .to_string();
        let done = sqlx::query(
            "UPDATE jobs SET \
               status = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'queued' END, \
               error = CASE WHEN attempts >= $1 THEN $2 ELSE NULL END, \
               finished_at = CASE WHEN attempts >= $1 THEN $3 ELSE NULL END, \
               worker = NULL \
             WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < $4)",
        )
        .bind(MAX_ATTEMPTS)
        .bind(reason)
        .bind(now_ms())
        .bind(stale_before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Cancels a queued or running job of `owner` of this kind; an ended job is left as it is,
    /// so that cancelling twice, or as the job ends, never loses a result.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn cancel(&self, id: JobId, owner: &Owner, kind: JobKind) -> Result<Cancellation> {
        let cancelled = sqlx::query(
            "UPDATE jobs SET status = 'cancelled', finished_at = $1 \
             WHERE id = $2 AND owner = $3 AND kind = $4 AND status IN ('queued', 'running')",
        )
        .bind(now_ms())
        .bind(id.to_string())
        .bind(owner.0.clone())
        .bind(kind.as_str())
        .execute(&self.pool)
        .await?;
        if cancelled.rows_affected() == 1 {
            return Ok(Cancellation::Cancelled);
        }
        Ok(if self.get(id, owner, kind).await?.is_some() {
            Cancellation::AlreadyEnded
        } else {
            Cancellation::NotFound
        })
    }

    /// Deletes a job of `owner` of this kind with its data, whatever its state (the caller
    /// stops its solve); false when there is no such job.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn delete(&self, id: JobId, owner: &Owner, kind: JobKind) -> Result<bool> {
        let deleted = sqlx::query("DELETE FROM jobs WHERE id = $1 AND owner = $2 AND kind = $3")
            .bind(id.to_string())
            .bind(owner.0.clone())
            .bind(kind.as_str())
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() == 1)
    }
}

fn job_id(row: &AnyRow) -> Result<JobId> {
    let text: String = row.try_get("id")?;
    text.parse()
        .map_err(|_| Error::Internal(format!("malformed job id {text:?} in the database")))
}

fn record(row: &AnyRow) -> Result<JobRecord> {
    let status: String = row.try_get("status")?;
    let kind: String = row.try_get("kind")?;
    Ok(JobRecord {
        id: job_id(row)?,
        kind: JobKind::parse(&kind)?,
        status: Status::parse(&status)?,
        territory: row.try_get("territory")?,
        time_limit_s: row.try_get("time_limit_s")?,
        progress: row.try_get("progress")?,
        error: row.try_get("error")?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        solved_by: row.try_get("solved_by")?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use sqlx::migrate::Migrator;

    use super::*;

    /// A database written by a service of the first schema (plans only) opens with its jobs
    /// still there, as plans, and invisible as coverage runs.
    #[tokio::test]
    async fn jobs_of_the_first_schema_are_kept_as_plans() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("first");
        std::fs::create_dir(&first).expect("folder");
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite/0001_jobs.sql"),
            first.join("0001_jobs.sql"),
        )
        .expect("first migration");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display());
        let id = JobId::new();
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(&url).await.expect("connects");
        Migrator::new(first.as_path())
            .await
            .expect("reads the first migration")
            .run(&pool)
            .await
            .expect("first schema");
        sqlx::query(
            "INSERT INTO jobs (id, owner, status, problem, time_limit_s, plan, created_at) \
             VALUES ($1, $2, 'done', '{\"units\": []}', 5.0, '{\"routes\": []}', 1)",
        )
        .bind(id.to_string())
        .bind(Owner::local().0)
        .execute(&pool)
        .await
        .expect("old job");
        pool.close().await;

        let store = Store::open(&url).await.expect("migrates");
        let owner = Owner::local();
        let record = store
            .get(id, &owner, JobKind::Plan)
            .await
            .expect("reads")
            .expect("the old job is there");
        assert_eq!((record.kind, record.status), (JobKind::Plan, Status::Done));
        let documents = store
            .documents(id, &owner, JobKind::Plan)
            .await
            .expect("reads")
            .expect("documents");
        assert_eq!(documents.result.as_deref(), Some("{\"routes\": []}"));
        assert!(
            store
                .get(id, &owner, JobKind::Coverage)
                .await
                .expect("reads")
                .is_none()
        );
        assert_eq!(
            store
                .cancel(id, &owner, JobKind::Coverage)
                .await
                .expect("runs"),
            Cancellation::NotFound
        );
        assert!(
            !store
                .delete(id, &owner, JobKind::Coverage)
                .await
                .expect("runs")
        );
    }
}
