//! Invoices by e-mail as jobs: the mailing job queues a period's messages of a scope and
//! one job per message, which sends it (retried with back-off by the runner; a message
//! already sent is not sent again).

use chrono::Utc;
use domain::Period;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::invoice_pdf;
use crate::invoices::mailing;
use billing::run::Scope;
use platform::error::{AppError, AppResult};
use platform::jobs::progress::Progress;
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceMailing {
    /// YYYY-MM.
    pub period: String,
    pub scope: Scope,
    #[serde(default)]
    pub reach: access::auth::Reach,
    #[serde(default)]
    pub resend: bool,
    /// When the resend was asked (messages sent after it are not sent again).
    #[serde(default)]
    pub requested_at: Option<chrono::DateTime<Utc>>,
}

impl platform::jobs::rows::JobParams for InvoiceMailing {
    fn kind(&self) -> &'static str {
        "invoice_mailing"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceMail {
    pub account_id: i64,
    /// YYYY-MM.
    pub period: String,
}

impl platform::jobs::rows::JobParams for InvoiceMail {
    fn kind(&self) -> &'static str {
        "invoice_mail"
    }
}

fn period_of(text: &str) -> AppResult<Period> {
    text.parse()
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))
}

pub async fn run_mailing(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &InvoiceMailing,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let period = period_of(&spec.period)?;
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let ids = invoice_pdf::accounts(&txn, period, &spec.scope, &spec.reach).await?;
    let resend = spec.resend.then(|| spec.requested_at.unwrap_or(now));
    let queued = mailing::queue(&txn, period, &ids, resend, now).await?;
    // One job per message, recorded with the messages.
    let messages = platform::jobs::rows::record_each(
        &txn,
        tenant,
        now,
        &queued,
        |q| InvoiceMail {
            account_id: q.account_id,
            period: period.to_string(),
        },
        |q, job| {
            stmt(
                "UPDATE invoice_mails SET job_id = $3 WHERE account_id = $1 AND period = $2",
                vec![q.account_id.into(), period.first_day().into(), job.into()],
            )
        },
    )
    .await?;
    txn.commit().await?;
    progress.set(50).await?;
    platform::jobs::rows::push_all(state, messages).await?;
    Ok(json!({
        "period": period.to_string(),
        "invoices": ids.len(),
        "messages": queued.len(),
        "withoutEmail": ids.len().saturating_sub(queued.len()),
    }))
}

pub async fn run_one(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &InvoiceMail,
) -> AppResult<serde_json::Value> {
    let period = period_of(&spec.period)?;
    let sent = mailing::send(state, tenant, spec.account_id, period).await?;
    Ok(json!({ "accountId": spec.account_id, "period": period.to_string(), "sent": sent }))
}
