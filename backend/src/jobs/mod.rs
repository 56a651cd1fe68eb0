//! Background jobs: what they are (payloads in the library), how they are requested
//! (a row in the tenant's `jobs` table + a message on the Redis queue), and how their
//! state is read.
//!
//! The `jobs` row is the truth. The queue message carries only `(tenant, job id)`, so a
//! message delivered twice, or re-delivered after a worker died, finds the row and either
//! skips (already done) or carries on — jobs are safe to run twice.

pub mod calculation;
pub mod export;
pub mod invoice_mail;
pub mod invoice_pdf;
pub mod invoice_xml;
pub mod list_export;
pub mod maintenance;
pub mod payments_import;
pub mod probe;
pub mod readings_import;
pub mod reminder_mail;
pub mod runner;
pub mod worker;

pub use platform::jobs::{JobMessage, fair, queue};

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::job;
use crate::error::{AppError, AppResult};

/// What a job does, with its parameters (stored as `jobs.params`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    /// Writes the tenant's account list as CSV to the object store and e-mails it.
    /// `reach`: the requester's branches and buildings (empty = all).
    AccountsExport {
        email: String,
        #[serde(default)]
        reach: crate::auth::Reach,
    },
    /// Writes a list, filtered as the user had it, to an XLSX file in the object store.
    ListExport(list_export::ListExport),
    /// Applies an uploaded readings file to an open period.
    ReadingsImport(readings_import::ReadingsImport),
    /// Calculates a period for a scope (invoices re-formed).
    Calculation(calculation::Calculation),
    /// Closes the open period, with the chosen options.
    Closing(calculation::Closing),
    /// Parses and posts an uploaded bank payment file.
    PaymentsImport(payments_import::PaymentsImport),
    /// Renders a period's invoices as PDFs.
    InvoicePdf(invoice_pdf::InvoicePdf),
    /// Exports a period's invoices as XML (the e-invoice export).
    InvoiceXml(invoice_xml::InvoiceXml),
    /// Queues a period's invoices by e-mail, one job per message.
    InvoiceMailing(invoice_mail::InvoiceMailing),
    /// Sends one invoice by e-mail.
    InvoiceMail(invoice_mail::InvoiceMail),
    /// Queues a reminder run's messages, one job per message.
    ReminderMailing(reminder_mail::ReminderMailing),
    /// Sends one reminder by e-mail.
    ReminderMail(reminder_mail::ReminderMail),
    /// Waits a moment and finishes (or panics): the pickup-latency benchmark's and the
    /// fault drills' job.
    Probe(probe::Probe),
    /// The tenant's daily maintenance: residents recounted, old jobs and keys removed.
    Maintenance(maintenance::Maintenance),
}

impl JobKind {
    /// The list a job reads or writes: viewing it is what reading the job's state and
    /// downloading its file need.
    pub fn document(&self) -> crate::auth::Document {
        use crate::auth::Document;
        match self {
            Self::AccountsExport { .. } => Document::Accounts,
            Self::ListExport(spec) => spec.list.document(),
            Self::ReadingsImport(_) => Document::Readings,
            Self::Calculation(_) | Self::Closing(_) => Document::Invoices,
            Self::PaymentsImport(_) => Document::Payments,
            Self::InvoicePdf(_)
            | Self::InvoiceXml(_)
            | Self::InvoiceMailing(_)
            | Self::InvoiceMail(_) => Document::Invoices,
            Self::ReminderMailing(_) | Self::ReminderMail(_) => Document::Settings,
            Self::Probe(_) | Self::Maintenance(_) => Document::Reports,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::AccountsExport { .. } => "accounts_export",
            Self::ListExport(_) => "list_export",
            Self::ReadingsImport(_) => "readings_import",
            Self::Calculation(_) => "calculation",
            Self::Closing(_) => "closing",
            Self::PaymentsImport(_) => "payments_import",
            Self::InvoicePdf(_) => "invoice_pdf",
            Self::InvoiceXml(_) => "invoice_xml",
            Self::InvoiceMailing(_) => "invoice_mailing",
            Self::InvoiceMail(_) => "invoice_mail",
            Self::ReminderMailing(_) => "reminder_mailing",
            Self::ReminderMail(_) => "reminder_mail",
            Self::Probe(_) => "probe",
            Self::Maintenance(_) => "maintenance",
        }
    }
}

/// Job states as stored; `retrying` means the last attempt failed and another is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Retrying,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Retrying => "retrying",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> AppResult<Self> {
        Ok(match s {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "retrying" => Self::Retrying,
            "done" => Self::Done,
            "failed" => Self::Failed,
            other => return Err(AppError::Internal(format!("unknown job state {other:?}"))),
        })
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

/// Records a new job the system starts (no owner) in the tenant's schema (inside the
/// caller's transaction). The caller pushes the message after commit, so a worker never
/// sees a job whose row is missing.
pub async fn record(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    kind: &JobKind,
    now: DateTime<Utc>,
) -> AppResult<(job::Model, JobMessage)> {
    record_as(txn, tenant, kind, now, None).await
}

/// Records a new job started by `owner` (the actor and the reach they had).
pub async fn record_as(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    kind: &JobKind,
    now: DateTime<Utc>,
    owner: Option<(&crate::audit::Actor, &crate::auth::Reach)>,
) -> AppResult<(job::Model, JobMessage)> {
    let id = Uuid::new_v4();
    let params = serde_json::to_value(kind).map_err(|e| AppError::Internal(e.to_string()))?;
    let row = job::ActiveModel {
        id: Set(id),
        kind: Set(kind.name().to_owned()),
        params: Set(params),
        state: Set(JobState::Queued.as_str().to_owned()),
        attempts: Set(0),
        progress: Set(0),
        error: Set(None),
        result: Set(None),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        lease_until: Set(None),
        created_by_id: Set(owner.and_then(|(a, _)| a.user_id)),
        created_by: Set(owner.map(|(a, _)| a.login.clone())),
        reach: Set(owner
            .map(|(_, r)| serde_json::to_value(r))
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?),
    };
    let model = job::Entity::insert(row).exec_with_returning(txn).await?;
    Ok((
        model,
        JobMessage {
            tenant: tenant.as_str().to_owned(),
            job_id: id,
        },
    ))
}

/// Records one job per item in `txn` (each linked to its item's row by the statement
/// `link` makes from the job id); the caller pushes the returned messages after commit
/// with [`push_all`]. A crash between the two leaves them to the recovery sweep.
pub async fn record_each<T>(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    now: DateTime<Utc>,
    items: &[T],
    job: impl Fn(&T) -> JobKind,
    link: impl Fn(&T, Uuid) -> sea_orm::Statement,
) -> AppResult<Vec<JobMessage>> {
    use sea_orm::ConnectionTrait;
    let mut messages = Vec::with_capacity(items.len());
    for item in items {
        let (row, msg) = record(txn, tenant, &job(item), now).await?;
        txn.execute_raw(link(item, row.id)).await?;
        messages.push(msg);
    }
    Ok(messages)
}

/// Queues recorded, committed jobs.
pub async fn push_all(state: &crate::state::AppState, messages: Vec<JobMessage>) -> AppResult<()> {
    state.queue.push_many(&messages).await
}

/// Marks a job failed outside the worker (e.g. its message could not be queued).
pub async fn mark_failed(
    state: &crate::state::AppState,
    tenant: &TenantSlug,
    id: Uuid,
    reason: &str,
) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let txn = crate::tenancy::begin(&state.db, tenant).await?;
    let mut row = get(&txn, id).await?.into_active_model();
    row.state = Set(JobState::Failed.as_str().to_owned());
    row.error = Set(Some(reason.to_owned()));
    row.finished_at = Set(Some(Utc::now()));
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Jobs one sweep re-queues per tenant at most (a bigger loss goes over several sweeps).
const RECOVER_PER_SWEEP: u64 = 10_000;

/// Re-queues jobs that should be moving but are not: queued or retrying long ago, or
/// running with a lease that ran out. Covers a message lost by Redis (a flushed or failed
/// over instance); a duplicate of a message still in the queue is harmless, since the
/// runner claims each job once. Returns how many messages were pushed.
pub async fn recover(
    state: &crate::state::AppState,
    stale_after: chrono::Duration,
) -> AppResult<usize> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
    let now = Utc::now();
    let mut pushed = 0;
    for t in crate::tenants::list(&state.db).await? {
        let tenant = crate::tenants::parse_stored_slug(&t.slug)?;
        let found = async {
            // A tenant with messages still in the fair buffer has a backlog, not lost
            // messages: its queued jobs wait their turn (the sweep would only re-add
            // them); the buffer drains and the next sweep after that looks again.
            let states: &[&str] = if state.queue.waiting(tenant.as_str()).await? > 0 {
                &["retrying", "running"]
            } else {
                &["queued", "retrying", "running"]
            };
            let txn = crate::tenancy::begin(&state.db, &tenant).await?;
            let stuck = job::Entity::find()
                .filter(job::Column::State.is_in(states.iter().copied()))
                .filter(job::Column::CreatedAt.lt(now - stale_after))
                .filter(
                    Condition::any()
                        .add(job::Column::LeaseUntil.is_null())
                        .add(job::Column::LeaseUntil.lt(now)),
                )
                .order_by_asc(job::Column::CreatedAt)
                .limit(RECOVER_PER_SWEEP)
                .all(&txn)
                .await?;
            txn.commit().await?;
            AppResult::Ok(stuck)
        }
        .await;
        // One tenant that cannot be read (dropped since the list was taken, a broken
        // schema) must not stop the others' recovery.
        let stuck = match found {
            Ok(stuck) => stuck,
            Err(e) => {
                tracing::warn!(%tenant, error = %e, "skipping a tenant in the job sweep");
                continue;
            }
        };
        for j in &stuck {
            tracing::info!(%tenant, id = %j.id, state = j.state, "re-queueing a stalled job");
        }
        let messages: Vec<JobMessage> = stuck
            .iter()
            .map(|j| JobMessage {
                tenant: tenant.as_str().to_owned(),
                job_id: j.id,
            })
            .collect();
        state.queue.push_many(&messages).await?;
        pushed += messages.len();
    }
    Ok(pushed)
}

/// Whether `session` may see `job`: their own, or any when they administer the users of
/// the whole tenant (a tenant admin without limits). Another's job reads as not found.
pub fn visible(job: &job::Model, session: &crate::auth::session::Session) -> bool {
    job.created_by_id == Some(session.user_id) || sees_all_jobs(session)
}

pub fn sees_all_jobs(session: &crate::auth::session::Session) -> bool {
    session
        .permissions
        .allows(crate::auth::Document::Users, crate::auth::Action::Update)
        && session.reach.everything()
}

/// Whether what `job` worked on lies within `reach` (a file made for a wider reach than the
/// user's now is not theirs to download).
pub fn within(job: &job::Model, reach: &crate::auth::Reach) -> bool {
    let made_for: crate::auth::Reach = job
        .reach
        .clone()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    reach.covers(&made_for)
}

/// What of a job's result only its starter sees: where its file is, whom it went to.
pub const PRIVATE_RESULT_KEYS: &[&str] = &["objectKey", "emailedTo", "email", "recipients"];

pub async fn get(txn: &DatabaseTransaction, id: Uuid) -> AppResult<job::Model> {
    job::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job {id} does not exist")))
}

/// The newest jobs; `owner`: only theirs.
pub async fn recent(
    txn: &DatabaseTransaction,
    owner: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<job::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut q = job::Entity::find();
    if let Some(o) = owner {
        q = q.filter(job::Column::CreatedById.eq(o));
    }
    Ok(q.order_by_desc(job::Column::CreatedAt)
        .limit(limit)
        .all(txn)
        .await?)
}
