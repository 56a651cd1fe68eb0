//! Reminders as jobs: the run's job queues its messages and one job per message, which
//! sends it (retried with back-off by the runner; a message already sent is not sent again).

use chrono::{NaiveDate, Utc};
use domain::Period;
use domain::reminders::ReminderKind;
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::reminders::sending::{self, Sent};
use platform::error::{AppError, AppResult};
use platform::jobs::progress::Progress;
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderMailing {
    /// readings or payment (not `kind`: that names the job in its stored params).
    pub reminder: String,
    pub run_on: NaiveDate,
}

impl platform::jobs::rows::JobParams for ReminderMailing {
    fn kind(&self) -> &'static str {
        "reminder_mailing"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderMail {
    pub reminder: String,
    pub run_on: NaiveDate,
    pub account_id: i64,
}

impl platform::jobs::rows::JobParams for ReminderMail {
    fn kind(&self) -> &'static str {
        "reminder_mail"
    }
}

fn kind_of(code: &str) -> AppResult<ReminderKind> {
    ReminderKind::parse(code)
        .ok_or_else(|| AppError::Internal(format!("unknown reminder kind {code:?}")))
}

#[derive(FromQueryResult)]
struct Run {
    period: NaiveDate,
}

pub async fn run_mailing(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ReminderMailing,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let kind = kind_of(&spec.reminder)?;
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let run = Run::find_by_statement(stmt(
        "SELECT period FROM reminder_runs WHERE kind = $1 AND run_on = $2",
        vec![kind.code().into(), spec.run_on.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("no {} run on {}", kind.code(), spec.run_on)))?;
    let period = Period::containing(run.period)
        .map_err(|e| AppError::Internal(format!("run period {}: {e}", run.period)))?;
    let queued = sending::queue(&txn, kind, spec.run_on, period).await?;
    // The message jobs are recorded with the messages; a second run of this job queues
    // nothing new.
    let messages = platform::jobs::rows::record_each(
        &txn,
        tenant,
        now,
        &queued,
        |account_id| {
            ReminderMail {
                reminder: kind.code().to_owned(),
                run_on: spec.run_on,
                account_id: *account_id,
            }
        },
        |account_id, job| {
            stmt(
                "UPDATE reminder_mails SET job_id = $4 WHERE kind = $1 AND run_on = $2 AND account_id = $3",
                vec![
                    kind.code().into(),
                    spec.run_on.into(),
                    (*account_id).into(),
                    job.into(),
                ],
            )
        },
    )
    .await?;
    txn.commit().await?;
    progress.set(50).await?;
    platform::jobs::rows::push_all(state, messages).await?;
    Ok(json!({
        "kind": kind.code(),
        "runOn": spec.run_on,
        "period": period.to_string(),
        "messages": queued.len(),
    }))
}

pub async fn run_one(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ReminderMail,
) -> AppResult<serde_json::Value> {
    let kind = kind_of(&spec.reminder)?;
    let outcome = sending::send(state, tenant, kind, spec.run_on, spec.account_id).await?;
    let word = match outcome {
        Sent::Sent => "sent",
        Sent::Skipped => "skipped",
        Sent::Already => "already",
    };
    Ok(json!({ "accountId": spec.account_id, "kind": kind.code(), "outcome": word }))
}
