//! A running attempt: its progress (which renews its lease) and CPU work run off the
//! async threads.

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenancy;

/// Reports progress of a running job and renews its lease.
pub struct Progress<'a> {
    state: &'a AppState,
    tenant: &'a TenantSlug,
    job_id: uuid::Uuid,
}

impl<'a> Progress<'a> {
    /// The progress of job `job_id` of `tenant` (the runner makes one per attempt).
    pub fn new(state: &'a AppState, tenant: &'a TenantSlug, job_id: uuid::Uuid) -> Self {
        Self {
            state,
            tenant,
            job_id,
        }
    }

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
        let row = super::rows::get(&txn, self.job_id).await?;
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

/// Runs `f` on a blocking thread (CPU work — parsing a file, rendering — off the async
/// threads that serve every other job); a panic there comes back here, where the runner
/// catches it.
pub async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => Ok(v),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => Err(AppError::Internal(format!("blocking task: {e}"))),
    }
}
