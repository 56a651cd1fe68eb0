//! Mutation resolvers.

use async_graphql::{Context, Object};
use chrono::Utc;

use super::query::parts;
use super::types::Job;
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind};
use crate::tenancy;

pub struct MutationRoot;

#[Object]
impl MutationRoot {
    /// Queues a job that writes the account list to the object store and e-mails it.
    async fn request_accounts_export(&self, ctx: &Context<'_>, email: String) -> AppResult<Job> {
        let email = email.trim();
        if email.parse::<lettre::Address>().is_err() {
            return Err(AppError::validation(
                "email",
                "must be an e-mail address such as name@example.com",
            ));
        }
        let (state, req) = parts(ctx)?;
        let txn = tenancy::begin(&state.db, &req.tenant).await?;
        let kind = JobKind::AccountsExport {
            email: email.to_owned(),
        };
        let (row, msg) = jobs::record(&txn, &req.tenant, &kind, Utc::now()).await?;
        txn.commit().await?;
        if let Err(e) = state.queue.push(msg).await {
            // Without a queued message the job would wait forever: record why it failed.
            jobs::mark_failed(state, &req.tenant, row.id, &e.to_string()).await?;
            return Err(e);
        }
        Job::from_model(row)
    }
}
