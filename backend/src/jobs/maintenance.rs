//! A tenant's daily maintenance job, started by the first worker tick of each local day
//! (the day's `counter_runs` row, inserted with the job, makes it once per day however
//! many workers tick): recounts the residents living in each account today (moving dates
//! arrive by themselves), removes finished jobs older than the retention with the files
//! they made, and forgets idempotency keys older than a day. Safe to run twice.

use chrono::{DateTime, NaiveDate, Utc};
use domain::TenantSlug;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{JobKind, JobMessage};
use crate::error::AppResult;
use crate::state::AppState;
use crate::tenancy;
use platform::sql::stmt;
use registry::counters;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maintenance {
    /// The tenant's local day it is for.
    pub day: NaiveDate,
}

/// Records the day's maintenance job unless the day has one; the caller pushes the
/// message after commit.
pub async fn start_day(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Option<JobMessage>> {
    let first = txn
        .execute_raw(stmt(
            "INSERT INTO counter_runs (day, at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
            vec![day.into(), now.into()],
        ))
        .await?
        .rows_affected()
        == 1;
    if !first {
        return Ok(None);
    }
    let (row, msg) =
        super::record(txn, tenant, &JobKind::Maintenance(Maintenance { day }), now).await?;
    txn.execute_raw(stmt(
        "UPDATE counter_runs SET job_id = $2 WHERE day = $1",
        vec![day.into(), row.id.into()],
    ))
    .await?;
    Ok(Some(msg))
}

#[derive(FromQueryResult)]
struct Old {
    id: uuid::Uuid,
    object_key: Option<String>,
}

/// Jobs purged per run at most (a backlog goes over the following days).
const PURGE_BATCH: i64 = 50_000;

pub async fn run(
    state: &AppState,
    tenant: &TenantSlug,
    job_id: uuid::Uuid,
    spec: &Maintenance,
) -> AppResult<serde_json::Value> {
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let recounted = counters::recount_residents(&txn, spec.day).await?;
    txn.execute_raw(stmt(
        "UPDATE counter_runs SET accounts = $2 WHERE day = $1",
        vec![
            spec.day.into(),
            i32::try_from(recounted).unwrap_or(i32::MAX).into(),
        ],
    ))
    .await?;
    let keys = crate::idempotency::purge(&txn, now).await?;
    txn.commit().await?;
    // Old jobs: their files first (a file without its row is unreachable), then the rows.
    let before = now - chrono::Duration::days(state.settings.jobs.retention_days.max(1));
    let txn = tenancy::begin(&state.db, tenant).await?;
    let old = Old::find_by_statement(stmt(
        "SELECT id, result->>'objectKey' AS object_key FROM jobs \
         WHERE finished_at < $1 AND id <> $2 ORDER BY finished_at LIMIT $3",
        vec![before.into(), job_id.into(), PURGE_BATCH.into()],
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    let mut files = 0;
    for key in old.iter().filter_map(|o| o.object_key.as_deref()) {
        // Only the tenant's own prefix: a row cannot point the purge elsewhere.
        if key.starts_with(&crate::storage::ObjectStore::tenant_key(tenant, "")) {
            state.store.delete(key).await?;
            files += 1;
        }
    }
    let ids: Vec<uuid::Uuid> = old.iter().map(|o| o.id).collect();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let removed = txn
        .execute_raw(stmt(
            "DELETE FROM jobs WHERE id = ANY($1)",
            vec![ids.into()],
        ))
        .await?
        .rows_affected();
    txn.commit().await?;
    Ok(json!({
        "day": spec.day, "residentsRecounted": recounted, "jobsRemoved": removed,
        "filesRemoved": files, "keysForgotten": keys,
    }))
}
