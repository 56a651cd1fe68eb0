//! A job's row in the tenant's `jobs` table — the truth about it; the queue message
//! carries only `(tenant, job id)`: recording one (any context's parameters, tagged with
//! their kind), reading and listing them, failing one that could not be queued, and the
//! sweep that re-queues those whose message was lost.

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use super::JobMessage;
use crate::entities::job;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A job's parameters as a context defines them: stored as `jobs.params` with `kind`
/// beside the fields (the shape the worker's `JobKind` reads back: an internally tagged
/// enum), so a context records its own job without knowing the others'.
pub trait JobParams: Serialize {
    /// The stored kind (`readings_import`): the worker dispatches on it.
    fn kind(&self) -> &'static str;

    /// The stored parameters: the fields and `kind`.
    fn params(&self) -> AppResult<serde_json::Value> {
        let mut v = serde_json::to_value(self).map_err(|e| AppError::Internal(e.to_string()))?;
        match v.as_object_mut() {
            Some(fields) => {
                fields.insert("kind".to_owned(), self.kind().into());
                Ok(v)
            }
            None => Err(AppError::Internal(format!(
                "the parameters of a {} job are not an object",
                self.kind()
            ))),
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
pub async fn record<P: JobParams + ?Sized>(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    kind: &P,
    now: DateTime<Utc>,
) -> AppResult<(job::Model, JobMessage)> {
    record_as(txn, tenant, kind, now, None).await
}

/// Records a new job started by `owner` (the actor, and the reach they had as JSON: what
/// the job made may later be fetched only by someone whose reach covers it).
pub async fn record_as<P: JobParams + ?Sized>(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    kind: &P,
    now: DateTime<Utc>,
    owner: Option<(&crate::audit::Actor, serde_json::Value)>,
) -> AppResult<(job::Model, JobMessage)> {
    let id = Uuid::new_v4();
    let params = kind.params()?;
    let row = job::ActiveModel {
        id: Set(id),
        kind: Set(kind.kind().to_owned()),
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
        created_by_id: Set(owner.as_ref().and_then(|(a, _)| a.user_id)),
        created_by: Set(owner.as_ref().map(|(a, _)| a.login.clone())),
        reach: Set(owner.map(|(_, r)| r)),
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
pub async fn record_each<T, P: JobParams>(
    txn: &DatabaseTransaction,
    tenant: &TenantSlug,
    now: DateTime<Utc>,
    items: &[T],
    job: impl Fn(&T) -> P,
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
pub async fn push_all(state: &AppState, messages: Vec<JobMessage>) -> AppResult<()> {
    state.queue.push_many(&messages).await
}

/// Marks a job failed outside the worker (e.g. its message could not be queued).
pub async fn mark_failed(
    state: &AppState,
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
pub async fn recover(state: &AppState, stale_after: chrono::Duration) -> AppResult<usize> {
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
