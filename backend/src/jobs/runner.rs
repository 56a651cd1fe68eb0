//! Executing one job message: claim the row, run the job, record the outcome.
//!
//! Claiming takes a lease on the row (`lease_until`); a second delivery of the same
//! message while the lease is held is skipped, and one that arrives after a crash (the
//! queue hands orphaned messages to another worker once heartbeats stop, which is later
//! than the lease runs out) takes the job over. Finished jobs are never run again.

use std::panic::AssertUnwindSafe;

use chrono::Utc;
use domain::TenantSlug;
use futures::FutureExt;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, QuerySelect};

use super::{JobKind, JobMessage, JobState, export, list_export, maintenance, probe};
use crate::entities::job;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenancy;
pub use platform::jobs::progress::{Progress, off_thread};

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

pub async fn execute(state: &AppState, msg: &JobMessage) -> AppResult<Outcome> {
    let tenant = TenantSlug::parse(&msg.tenant)
        .map_err(|e| AppError::Internal(format!("job message tenant {:?}: {e}", msg.tenant)))?;
    let (row, kind) = match claim(state, &tenant, msg.job_id).await? {
        Claim::Claimed(claimed) => *claimed,
        Claim::Finished => return Ok(Outcome::Skipped),
        Claim::Held(wait) => return Ok(Outcome::Deferred(wait)),
    };
    let progress = Progress::new(state, &tenant, row.id);
    let work = run(state, &tenant, row.id, &kind, &progress);
    let result = match AssertUnwindSafe(work).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            // A job that panics would panic again: it fails for good, with what it said,
            // and this worker goes on with the others' jobs.
            let what = panic_text(panic.as_ref());
            tracing::error!(%tenant, id = %row.id, what, "job panicked");
            let reason = format!("the job stopped on an unexpected error: {what}");
            return finish(
                state,
                &tenant,
                row.id,
                None,
                Err(AppError::Internal(reason)),
            )
            .await;
        }
    };
    finish(state, &tenant, row.id, Some(row.attempts), result).await
}

/// The text a panic carried.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

/// The job itself.
async fn run(
    state: &AppState,
    tenant: &TenantSlug,
    id: uuid::Uuid,
    kind: &JobKind,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    match kind {
        JobKind::AccountsExport { email, reach } => {
            export::run(state, tenant, id, email, reach, progress).await
        }
        JobKind::ListExport(spec) => list_export::run(state, tenant, id, spec, progress).await,
        JobKind::ReadingsImport(spec) => {
            metering::jobs::readings_import::run(state, tenant, id, spec, progress).await
        }
        JobKind::Calculation(spec) => {
            billing::jobs::calculation::run_calculation(state, tenant, id, spec, progress).await
        }
        JobKind::Closing(spec) => {
            billing::jobs::calculation::run_closing(state, tenant, id, spec, progress).await
        }
        JobKind::Simulation(spec) => {
            billing::jobs::simulation::run(state, tenant, id, spec, progress).await
        }
        JobKind::ActLines(spec) => acts::jobs::run(state, tenant, id, spec, progress).await,
        JobKind::PaymentsImport(spec) => {
            payments::jobs::payments_import::run(state, tenant, id, spec, progress).await
        }
        JobKind::InvoicePdf(spec) => {
            documents::jobs::invoice_pdf::run(state, tenant, id, spec, progress).await
        }
        JobKind::InvoiceXml(spec) => {
            documents::jobs::invoice_xml::run(state, tenant, id, spec, progress).await
        }
        JobKind::InvoiceMailing(spec) => {
            documents::jobs::invoice_mail::run_mailing(state, tenant, spec, progress).await
        }
        JobKind::InvoiceMail(spec) => {
            documents::jobs::invoice_mail::run_one(state, tenant, spec).await
        }
        JobKind::ReminderMailing(spec) => {
            documents::jobs::reminder_mail::run_mailing(state, tenant, spec, progress).await
        }
        JobKind::ReminderMail(spec) => {
            documents::jobs::reminder_mail::run_one(state, tenant, spec).await
        }
        JobKind::Probe(spec) => probe::run(spec).await,
        JobKind::Maintenance(spec) => maintenance::run(state, tenant, id, spec).await,
        JobKind::ScheduledReport(spec) => {
            super::scheduled_report::run(state, tenant, id, spec, progress).await
        }
        JobKind::ClaimLetters(spec) => {
            super::claim_letters::run(state, tenant, id, spec, progress).await
        }
        JobKind::TenantExport(spec) => {
            super::tenant_export::run(state, tenant, id, spec, progress).await
        }
        JobKind::DataImport(spec) => imports::job::run(state, tenant, id, spec, progress).await,
    }
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
    // Every attempt it was given has started: the last one died without an outcome (a
    // worker killed, a job that takes its worker down with it). It is not started again.
    let max = i32::try_from(state.settings.jobs.max_attempts).unwrap_or(i32::MAX);
    if row.attempts >= max {
        let mut active = row.clone().into_active_model();
        active.state = Set(JobState::Failed.as_str().to_owned());
        active.lease_until = Set(None);
        active.finished_at = Set(Some(now));
        active.error = Set(Some(format!(
            "gave up after {} attempts; the last one did not finish",
            row.attempts
        )));
        active.update(&txn).await?;
        txn.commit().await?;
        tracing::warn!(%tenant, %id, attempts = row.attempts, "job out of attempts; failed");
        return Ok(Claim::Finished);
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

/// Records the outcome of an attempt; `attempts` None: the job may not be tried again.
async fn finish(
    state: &AppState,
    tenant: &TenantSlug,
    id: uuid::Uuid,
    attempts: Option<i32>,
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
            let max = i32::try_from(state.settings.jobs.max_attempts).unwrap_or(i32::MAX);
            if permanent || attempts.is_none_or(|a| a >= max) {
                tracing::warn!(%tenant, %id, ?attempts, reason, "job failed");
                active.state = Set(JobState::Failed.as_str().to_owned());
                active.finished_at = Set(Some(now));
                Outcome::Failed(reason)
            } else {
                tracing::info!(%tenant, %id, ?attempts, reason, "job attempt failed; will retry");
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
