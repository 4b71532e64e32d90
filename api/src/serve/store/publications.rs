//! Public timetables in the database: which finished plan each public address shows, for how
//! long, with the dispatcher's description. Every change is made on behalf of an owner; only
//! the public page reads an address without one, by its token.

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, now_ms};
use crate::error::{Error, Result};
use crate::serve::ids::{JobId, Owner};

/// A public address and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The address's random token (`/p/{token}`).
    pub token: String,
    /// Who published it.
    pub owner: Owner,
    /// The territory it stands for (`""` for problems that bring their own matrices).
    pub territory: String,
    /// The plan it shows.
    pub plan: JobId,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity: the calendars' series end with it.
    pub valid_until: NaiveDate,
    /// What the units offer, in the dispatcher's words.
    pub description: String,
    /// When the address was first published (ms since the epoch); kept when a plan replaces
    /// another at the same address.
    pub published_at: i64,
    /// When it last changed plan or validity.
    pub updated_at: i64,
}

/// What a publication changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// A new address.
    Created(Publication),
    /// The territory's existing address now shows this plan.
    Replaced(Publication),
}

const COLUMNS: &str = "token, owner, territory, plan_id, valid_from, valid_until, description, published_at, updated_at";

impl Store {
    /// Publishes `new.plan` at the territory's address: a new one under `new.token`, or, with
    /// `replace`, the existing one (its token and first publication time kept).
    ///
    /// # Errors
    /// [`Error::Conflict`] when the territory already has an address and `replace` is false;
    /// [`Error::Database`].
    pub async fn publish(&self, new: &Publication, replace: bool) -> Result<Published> {
        if let Some(existing) = self.publication_of(&new.owner, &new.territory).await? {
            if !replace {
                return Err(Error::Conflict(format!(
                    "territory {:?} is already published at /p/{}: send \"replace\": true to \
                     show this plan there instead, or revoke it first",
                    new.territory, existing.token
                )));
            }
            let now = now_ms();
            sqlx::query(
                "UPDATE publications SET plan_id = $1, valid_from = $2, valid_until = $3, \
                 description = $4, updated_at = $5 WHERE token = $6 AND owner = $7",
            )
            .bind(new.plan.to_string())
            .bind(new.valid_from.to_string())
            .bind(new.valid_until.to_string())
            .bind(new.description.clone())
            .bind(now)
            .bind(existing.token.clone())
            .bind(new.owner.0.clone())
            .execute(&self.pool)
            .await?;
            return Ok(Published::Replaced(Publication {
                token: existing.token,
                published_at: existing.published_at,
                updated_at: now,
                ..new.clone()
            }));
        }
        let sql = format!(
            "INSERT INTO publications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.token.clone())
            .bind(new.owner.0.clone())
            .bind(new.territory.clone())
            .bind(new.plan.to_string())
            .bind(new.valid_from.to_string())
            .bind(new.valid_until.to_string())
            .bind(new.description.clone())
            .bind(new.published_at)
            .bind(new.updated_at)
            .execute(&self.pool)
            .await?;
        Ok(Published::Created(new.clone()))
    }

    /// `owner`'s address for a territory, if published.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn publication_of(
        &self,
        owner: &Owner,
        territory: &str,
    ) -> Result<Option<Publication>> {
        let sql = format!("SELECT {COLUMNS} FROM publications WHERE owner = $1 AND territory = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner.0.clone())
            .bind(territory.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(publication).transpose()
    }

    /// The address behind a public token, whoever published it.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn publication(&self, token: &str) -> Result<Option<Publication>> {
        let sql = format!("SELECT {COLUMNS} FROM publications WHERE token = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(publication).transpose()
    }

    /// Everything `owner` has published, oldest address first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn publications(&self, owner: &Owner) -> Result<Vec<Publication>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM publications WHERE owner = $1 ORDER BY published_at, token"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner.0.clone())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(publication).collect()
    }

    /// Revokes `owner`'s addresses showing `plan`; how many there were.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub async fn unpublish(&self, owner: &Owner, plan: JobId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM publications WHERE owner = $1 AND plan_id = $2")
            .bind(owner.0.clone())
            .bind(plan.to_string())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

fn date(row: &AnyRow, column: &str) -> Result<NaiveDate> {
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|_| Error::Internal(format!("malformed {column} {text:?} in the database")))
}

fn publication(row: &AnyRow) -> Result<Publication> {
    let plan: String = row.try_get("plan_id")?;
    Ok(Publication {
        token: row.try_get("token")?,
        owner: Owner(row.try_get("owner")?),
        territory: row.try_get("territory")?,
        plan: plan
            .parse()
            .map_err(|_| Error::Internal(format!("malformed plan id {plan:?} in the database")))?,
        valid_from: date(row, "valid_from")?,
        valid_until: date(row, "valid_until")?,
        description: row.try_get("description")?,
        published_at: row.try_get("published_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
