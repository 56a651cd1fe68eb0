//! Starting reminder runs: by the worker's tick (`backend::jobs::tick`, every tenant whose
//! reminder day and hour have come in its own time zone) and by an admin's "send now". A run is a row keyed by kind and
//! local day, inserted with the job that queues its messages; whoever inserts it first
//! starts it, so several workers ticking at once, or a tick after "send now", start nothing
//! more that day.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::TenantSlug;
use domain::reminders::ReminderKind;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::jobs::reminder_mail::ReminderMailing;
use metering::readings;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::jobs::JobMessage;
use platform::jobs::rows as jobs;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Local {
    local: NaiveDateTime,
}

/// The tenant's wall-clock time at `now` (PostgreSQL knows the time zones).
pub async fn local_time(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    time_zone: &str,
) -> AppResult<NaiveDateTime> {
    Local::find_by_statement(stmt(
        "SELECT ($1::timestamptz AT TIME ZONE $2) AS local",
        vec![now.into(), time_zone.into()],
    ))
    .one(txn)
    .await?
    .map(|l| l.local)
    .ok_or_else(|| AppError::Internal("no local time".into()))
}

#[derive(FromQueryResult)]
struct Inserted {
    #[allow(dead_code)]
    kind: String,
}

/// Starts the run of `kind` on `run_on` unless one exists: records it and its mailing job
/// in `txn`; the caller pushes the returned message after commit. `None`: already started.
pub async fn start(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    kind: ReminderKind,
    run_on: NaiveDate,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Option<(platform::entities::job::Model, JobMessage)>> {
    let period = readings::current_open(txn).await?;
    let inserted = Inserted::find_by_statement(stmt(
        "INSERT INTO reminder_runs (kind, run_on, period, requested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, run_on) DO NOTHING RETURNING kind",
        vec![
            kind.code().into(),
            run_on.into(),
            period.first_day().into(),
            actor.login.clone().into(),
            now.into(),
        ],
    ))
    .one(txn)
    .await?;
    if inserted.is_none() {
        return Ok(None);
    }
    let spec = ReminderMailing {
        reminder: kind.code().to_owned(),
        run_on,
    };
    let (row, msg) = jobs::record(txn, tenant, &spec, now).await?;
    txn.execute_raw(stmt(
        "UPDATE reminder_runs SET job_id = $3 WHERE kind = $1 AND run_on = $2",
        vec![kind.code().into(), run_on.into(), row.id.into()],
    ))
    .await?;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "reminder_run",
            entity_id: format!("{}/{run_on}", kind.code()),
            action: "start",
            before: None,
            after: Some(json!({ "kind": kind.code(), "runOn": run_on, "period": period.to_string(), "job": row.id })),
        },
    )
    .await?;
    Ok(Some((row, msg)))
}
