//! GraphQL output types: thin views of entities.

use async_graphql::{Enum, SimpleObject};
use uuid::Uuid;

use crate::entities::{job, tenant};
use crate::error::AppResult;
use crate::jobs;

#[derive(SimpleObject)]
pub struct Tenant {
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub locale: String,
    pub time_zone: String,
}

impl From<tenant::Model> for Tenant {
    fn from(t: tenant::Model) -> Self {
        Self {
            slug: t.slug,
            name: t.name,
            currency: t.currency,
            locale: t.locale,
            time_zone: t.time_zone,
        }
    }
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
    pub fn seen_by(mut j: job::Model, viewer: &crate::auth::session::Session) -> AppResult<Self> {
        if j.created_by_id != Some(viewer.user_id)
            && let Some(serde_json::Value::Object(result)) = j.result.as_mut()
        {
            for key in jobs::PRIVATE_RESULT_KEYS {
                result.remove(*key);
            }
        }
        Self::from_model(j)
    }

    pub fn from_model(j: job::Model) -> AppResult<Self> {
        let state = match jobs::JobState::parse(&j.state)? {
            jobs::JobState::Queued => JobStateGql::Queued,
            jobs::JobState::Running => JobStateGql::Running,
            jobs::JobState::Retrying => JobStateGql::Retrying,
            jobs::JobState::Done => JobStateGql::Done,
            jobs::JobState::Failed => JobStateGql::Failed,
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
