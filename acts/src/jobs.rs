//! The job that computes an act over a branch or every account (too many houses to compute
//! while the user waits): the act as saved, checked and computed again, its lines written.
//! Safe to run twice (the lines are replaced); an act changed since by a newer job is left
//! to that one.

use serde::{Deserialize, Serialize};
use serde_json::json;

use platform::error::AppResult;
use platform::jobs::progress::Progress;
use platform::state::AppState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActLinesJob {
    pub act_id: i64,
}

impl platform::jobs::rows::JobParams for ActLinesJob {
    fn kind(&self) -> &'static str {
        "act_lines"
    }
}

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ActLinesJob,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    progress.set(5).await?;
    let txn = platform::tenancy::begin(&state.db, tenant).await?;
    let act = crate::store::compute(&txn, spec.act_id, job_id).await?;
    txn.commit().await?;
    Ok(match act {
        Some(a) => {
            json!({ "actId": a.id, "number": a.number, "total": a.total, "computing": a.computing })
        }
        None => json!({ "actId": spec.act_id, "deleted": true }),
    })
}
