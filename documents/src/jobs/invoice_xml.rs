//! The e-invoice export job: a period's invoices (within the requester's reach) as XML in
//! the documented schema, stored in the object store and downloaded from
//! `/files/jobs/<id>`.

use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::invoices::{document, xml};
use platform::error::{AppError, AppResult};
use platform::jobs::progress::Progress;
use platform::sql::stmt;
use platform::state::AppState;
use platform::storage::ObjectStore;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceXml {
    /// YYYY-MM.
    pub period: String,
    #[serde(default)]
    pub reach: access::auth::Reach,
}

impl platform::jobs::rows::JobParams for InvoiceXml {
    fn kind(&self) -> &'static str {
        "invoice_xml"
    }
}

#[derive(FromQueryResult)]
struct DueDay {
    due_day: i32,
}

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &InvoiceXml,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let period: domain::Period = spec
        .period
        .parse()
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
    let t = platform::tenants::find(&state.db, tenant).await?;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let settings = document::settings(&txn).await?;
    let due = DueDay::find_by_statement(stmt("SELECT due_day FROM billing_settings", vec![]))
        .one(&txn)
        .await?
        .map_or(20, |d| d.due_day);
    progress.set(10).await?;
    let (body, count) = xml::export(
        &txn,
        &settings,
        period,
        &t.currency,
        u32::try_from(due).unwrap_or(20),
        &spec.reach,
    )
    .await?;
    txn.commit().await?;
    progress.set(80).await?;
    let name = format!("invoices-{period}-{job_id}.xml");
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state.store.put(&key, body, "application/xml").await?;
    Ok(
        json!({ "objectKey": key, "fileName": name, "period": period.to_string(), "invoices": count }),
    )
}
