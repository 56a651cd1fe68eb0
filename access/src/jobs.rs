//! Jobs on a user's behalf: recording one as the scope's actor (audited, with the reach
//! they had) and queueing it, the job as the user sees it (`Job`), and who may see which
//! job and fetch what it made. The rows and the queue are `platform::jobs`'.

use async_graphql::{Enum, SimpleObject};
use chrono::Utc;
use uuid::Uuid;

use crate::auth::session::Session;
use crate::auth::{self, Action, Document, Reach};
use platform::audit::{self, Change};
use platform::entities::job;
use platform::error::{AppError, AppResult};
use platform::jobs::JobMessage;
use platform::jobs::rows::{self, JobParams, JobState};

/// The reach as a job row keeps it (`jobs.reach`): what the job made is later fetched only
/// by someone whose reach covers it.
pub fn stored_reach(reach: &Reach) -> AppResult<serde_json::Value> {
    serde_json::to_value(reach).map_err(|e| AppError::Internal(e.to_string()))
}

/// Records the job (audited) and queues it.
pub async fn queue(scope: &auth::Scope<'_>, kind: impl JobParams) -> AppResult<Job> {
    let txn = scope.begin().await?;
    let (row, msg) = record_in(scope, &txn, &kind).await?;
    txn.commit().await?;
    push(scope, row, msg).await
}

/// Records the job (audited) in the caller's transaction, which also writes what the job
/// works on; `push` it after the commit.
pub async fn record_in(
    scope: &auth::Scope<'_>,
    txn: &sea_orm::DatabaseTransaction,
    kind: &(impl JobParams + ?Sized),
) -> AppResult<(job::Model, JobMessage)> {
    let now = Utc::now();
    let actor = scope.actor();
    let (row, msg) = rows::record_as(
        txn,
        scope.tenant,
        kind,
        now,
        Some((&actor, stored_reach(&scope.session.reach)?)),
    )
    .await?;
    audit::record(
        txn,
        &scope.actor(),
        now,
        Change {
            entity: "job",
            entity_id: row.id.to_string(),
            action: "create",
            before: None,
            after: Some(row.params.clone()),
        },
    )
    .await?;
    Ok((row, msg))
}

/// Queues a recorded, committed job.
pub async fn push(scope: &auth::Scope<'_>, row: job::Model, msg: JobMessage) -> AppResult<Job> {
    if let Err(e) = scope.state.queue.push(msg).await {
        // Without a queued message the job would wait for the recovery sweep: say so now.
        rows::mark_failed(scope.state, scope.tenant, row.id, &e.to_string()).await?;
        return Err(e);
    }
    Job::from_model(row)
}

/// Whether `session` may see `job`: their own, or any when they administer the users of
/// the whole tenant (a tenant admin without limits). Another's job reads as not found.
pub fn visible(job: &job::Model, session: &Session) -> bool {
    job.created_by_id == Some(session.user_id) || sees_all_jobs(session)
}

pub fn sees_all_jobs(session: &Session) -> bool {
    session.permissions.allows(Document::Users, Action::Update) && session.reach.everything()
}

/// Whether what `job` worked on lies within `reach` (a file made for a wider reach than the
/// user's now is not theirs to download).
pub fn within(job: &job::Model, reach: &Reach) -> bool {
    let made_for: Reach = job
        .reach
        .clone()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    reach.covers(&made_for)
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "JobState")]
pub enum JobStateGql {
    Queued,
    Running,
    Retrying,
    Done,
    Failed,
}

#[derive(SimpleObject)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub state: JobStateGql,
    pub attempts: i32,
    pub progress: i32,
    /// Why the last attempt failed.
    pub error: Option<String>,
    pub result: Option<async_graphql::Json<serde_json::Value>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Job {
    /// The job as `viewer` sees it: a result's file location and recipients only for the
    /// one who started it.
    pub fn seen_by(mut j: job::Model, viewer: &Session) -> AppResult<Self> {
        if j.created_by_id != Some(viewer.user_id)
            && let Some(serde_json::Value::Object(result)) = j.result.as_mut()
        {
            for key in rows::PRIVATE_RESULT_KEYS {
                result.remove(*key);
            }
        }
        Self::from_model(j)
    }

    pub fn from_model(j: job::Model) -> AppResult<Self> {
        let state = match JobState::parse(&j.state)? {
            JobState::Queued => JobStateGql::Queued,
            JobState::Running => JobStateGql::Running,
            JobState::Retrying => JobStateGql::Retrying,
            JobState::Done => JobStateGql::Done,
            JobState::Failed => JobStateGql::Failed,
        };
        Ok(Self {
            id: j.id,
            kind: j.kind,
            state,
            attempts: j.attempts,
            progress: j.progress,
            error: j.error,
            result: j.result.map(async_graphql::Json),
            created_at: j.created_at,
            finished_at: j.finished_at,
        })
    }
}
