//! Executing one job message: claim the row, run the job, record the outcome.
//!
//! Claiming takes a lease on the row (`lease_until`); a second delivery of the same
//! message while the lease is held is skipped, and one that arrives after a crash (the
//! queue hands orphaned messages to another worker once heartbeats stop, which is later
//! than the lease runs out) takes the job over. Finished jobs are never run again.

use chrono::{Duration, Utc};
use domain::TenantSlug;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, QuerySelect};

use super::{
    JobKind, JobMessage, JobState, calculation, export, invoice_mail, invoice_pdf, invoice_xml,
    list_export, payments_import, readings_import, reminder_mail,
};
use crate::entities::job;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenancy;

/// What became of one delivery of a job message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Already finished (or the job row is gone): nothing to do.
    Skipped,
    /// Another attempt holds the lease; look again once it has run out (if that attempt
    /// died, this delivery takes the job over then).
    Deferred(std::time::Duration),
    Done,
    /// Failed this time; the queue should deliver it again after a back-off.
    Retry(String),
    /// Failed for good; the reason is stored on the row.
    Failed(String),
}

/// Reports progress of a running job and renews its lease.
pub struct Progress<'a> {
    state: &'a AppState,
    tenant: &'a TenantSlug,
    job_id: uuid::Uuid,
}

impl Progress<'_> {
    pub async fn set(&self, percent: i32) -> AppResult<()> {
        self.update(percent, None).await
    }

    /// Progress with the figures so far (shown by the UI while the job runs; replaced by
    /// the final result).
    pub async fn report(&self, percent: i32, so_far: serde_json::Value) -> AppResult<()> {
        self.update(percent, Some(so_far)).await
    }

    async fn update(&self, percent: i32, so_far: Option<serde_json::Value>) -> AppResult<()> {
        let txn = tenancy::begin(&self.state.db, self.tenant).await?;
        let row = super::get(&txn, self.job_id).await?;
        let mut active = row.into_active_model();
        if so_far.is_some() {
            active.result = Set(so_far);
        }
        active.progress = Set(percent.clamp(0, 100));
        active.lease_until = Set(Some(Utc::now() + self.state.lease()));
        active.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

pub async fn execute(state: &AppState, msg: &JobMessage) -> AppResult<Outcome> {
    let tenant = TenantSlug::parse(&msg.tenant)
        .map_err(|e| AppError::Internal(format!("job message tenant {:?}: {e}", msg.tenant)))?;
    let (row, kind) = match claim(state, &tenant, msg.job_id).await? {
        Claim::Claimed(claimed) => *claimed,
        Claim::Finished => return Ok(Outcome::Skipped),
        Claim::Held(wait) => return Ok(Outcome::Deferred(wait)),
    };
    let progress = Progress {
        state,
        tenant: &tenant,
        job_id: row.id,
    };
    let result = match &kind {
        JobKind::AccountsExport { email, reach } => {
            export::run(state, &tenant, row.id, email, reach, &progress).await
        }
        JobKind::ListExport(spec) => {
            list_export::run(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::ReadingsImport(spec) => {
            readings_import::run(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::Calculation(spec) => {
            calculation::run_calculation(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::Closing(spec) => {
            calculation::run_closing(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::PaymentsImport(spec) => {
            payments_import::run(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::InvoicePdf(spec) => {
            invoice_pdf::run(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::InvoiceXml(spec) => {
            invoice_xml::run(state, &tenant, row.id, spec, &progress).await
        }
        JobKind::InvoiceMailing(spec) => {
            invoice_mail::run_mailing(state, &tenant, spec, &progress).await
        }
        JobKind::InvoiceMail(spec) => invoice_mail::run_one(state, &tenant, spec).await,
        JobKind::ReminderMailing(spec) => {
            reminder_mail::run_mailing(state, &tenant, spec, &progress).await
        }
        JobKind::ReminderMail(spec) => reminder_mail::run_one(state, &tenant, spec).await,
    };
    finish(state, &tenant, row.id, row.attempts, result).await
}

enum Claim {
    Claimed(Box<(job::Model, JobKind)>),
    Finished,
    /// Held by another attempt for this long still.
    Held(std::time::Duration),
}

async fn claim(state: &AppState, tenant: &TenantSlug, id: uuid::Uuid) -> AppResult<Claim> {
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let Some(row) = job::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        tracing::warn!(%tenant, %id, "job message for a job that does not exist; dropped");
        return Ok(Claim::Finished);
    };
    let job_state = JobState::parse(&row.state)?;
    if job_state.is_final() {
        tracing::info!(%tenant, %id, state = row.state, "finished job delivered again; skipped");
        return Ok(Claim::Finished);
    }
    if let Some(until) = row
        .lease_until
        .filter(|l| job_state == JobState::Running && *l > now)
    {
        let wait = (until - now).to_std().unwrap_or_default();
        tracing::info!(%tenant, %id, ?wait, "job is held by another attempt; deferred");
        return Ok(Claim::Held(wait));
    }
    let kind: JobKind = serde_json::from_value(row.params.clone())
        .map_err(|e| AppError::Internal(format!("job {id} params: {e}")))?;
    let mut active = row.clone().into_active_model();
    active.state = Set(JobState::Running.as_str().to_owned());
    active.attempts = Set(row.attempts + 1);
    active.lease_until = Set(Some(now + state.lease()));
    if row.started_at.is_none() {
        active.started_at = Set(Some(now));
    }
    let row = active.update(&txn).await?;
    txn.commit().await?;
    Ok(Claim::Claimed(Box::new((row, kind))))
}

async fn finish(
    state: &AppState,
    tenant: &TenantSlug,
    id: uuid::Uuid,
    attempts: i32,
    result: AppResult<serde_json::Value>,
) -> AppResult<Outcome> {
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let row = super::get(&txn, id).await?;
    let mut active = row.into_active_model();
    active.lease_until = Set(None);
    let outcome = match result {
        Ok(value) => {
            active.state = Set(JobState::Done.as_str().to_owned());
            active.progress = Set(100);
            active.result = Set(Some(value));
            active.error = Set(None);
            active.finished_at = Set(Some(now));
            Outcome::Done
        }
        Err(e) => {
            let reason = reason_of(&e);
            let permanent = matches!(e, AppError::Validation { .. } | AppError::NotFound(_));
            active.error = Set(Some(reason.clone()));
            if permanent
                || attempts >= i32::try_from(state.settings.jobs.max_attempts).unwrap_or(i32::MAX)
            {
                tracing::warn!(%tenant, %id, attempts, reason, "job failed");
                active.state = Set(JobState::Failed.as_str().to_owned());
                active.finished_at = Set(Some(now));
                Outcome::Failed(reason)
            } else {
                tracing::info!(%tenant, %id, attempts, reason, "job attempt failed; will retry");
                active.state = Set(JobState::Retrying.as_str().to_owned());
                Outcome::Retry(reason)
            }
        }
    };
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The reason stored on the job row: the error's own words (these are for the tenant's
/// staff, so infrastructure detail such as "connection refused" is useful here).
fn reason_of(e: &AppError) -> String {
    e.to_string()
}

/// The lease of a running attempt.
pub(crate) fn lease(secs: i64) -> Duration {
    Duration::seconds(secs.max(1))
}
