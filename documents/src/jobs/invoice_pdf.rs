//! The invoice PDF job: the period's invoices of one account, a building, a branch or the
//! whole tenant (within the requester's reach) rendered 200 at a time, each stored in the
//! object store under the tenant's prefix and recorded in `invoice_documents` (rendering
//! again replaces them, so the job is safe to run twice or to resume after a worker died).
//! The invoice's language is the tenant's; a single account's PDF is also the job's file,
//! and several are zipped into one (`invoices-<period>-<job>.zip`, written to disk as the
//! chunks are rendered and uploaded from there).

use domain::Period;
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::invoices::document;
use billing::run::Scope;
use platform::error::{AppError, AppResult};
use platform::jobs::progress::Progress;
use platform::sql::stmt;
use platform::state::AppState;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePdf {
    /// YYYY-MM.
    pub period: String,
    pub scope: Scope,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub login: String,
}

impl platform::jobs::rows::JobParams for InvoicePdf {
    fn kind(&self) -> &'static str {
        "invoice_pdf"
    }
}

const CHUNK: usize = 200;

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// The accounts of the scope (within reach) that have an invoice of the period.
pub async fn accounts(
    txn: &sea_orm::DatabaseTransaction,
    period: Period,
    scope: &Scope,
    reach: &access::auth::Reach,
) -> AppResult<Vec<i64>> {
    let (cond, id): (&str, Option<sea_orm::Value>) = match scope {
        Scope::Tenant | Scope::Missing => ("true", None),
        Scope::Branch(id) => ("a.branch_id = $2", Some((*id).into())),
        Scope::Building(id) => ("p.building_id = $2", Some((*id).into())),
        Scope::Account(id) => ("a.id = $2", Some((*id).into())),
        Scope::Accounts(ids) => ("a.id = ANY($2)", Some(ids.clone().into())),
    };
    let within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let mut values = vec![period.first_day().into()];
    values.extend(id);
    Ok(Id::find_by_statement(stmt(
        &format!(
            "SELECT a.id FROM invoices v JOIN accounts a ON a.id = v.account_id \
             LEFT JOIN premises p ON p.id = a.premises_id \
             WHERE v.period = $1 AND {cond}{within} ORDER BY a.id"
        ),
        values,
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect())
}

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &InvoicePdf,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let period: Period = spec
        .period
        .parse()
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
    let t = platform::tenants::find(&state.db, tenant).await?;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let ids = accounts(&txn, period, &spec.scope, &spec.reach).await?;
    txn.commit().await?;
    let total = ids.len();
    let mut done = 0usize;
    let mut last_key = None;
    // More than one invoice: they also go, as they are rendered, into one zip on disk that
    // becomes the job's file (a print shop takes the batch; nothing is held in memory).
    let single = matches!(spec.scope, Scope::Account(_));
    let zip_path = std::env::temp_dir().join(format!("invoices-{job_id}.zip"));
    let mut zip = if single {
        None
    } else {
        Some(zip::ZipWriter::new(
            std::fs::File::create(&zip_path)
                .map_err(|e| AppError::Internal(format!("zip: {e}")))?,
        ))
    };
    for chunk in ids.chunks(CHUNK) {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let docs = document::load(&txn, period, chunk, &t.currency, t.portal_registration).await?;
        let stored =
            crate::invoices::render_and_store(state, &txn, &t, period, &docs, Some(job_id)).await?;
        txn.commit().await?;
        done += stored.len();
        if let Some(writer) = zip.take() {
            let files: Vec<(String, Vec<u8>)> = stored
                .iter()
                .map(|(_, key, bytes)| {
                    (
                        key.rsplit('/').next().unwrap_or("invoice.pdf").to_owned(),
                        bytes.clone(),
                    )
                })
                .collect();
            zip = Some(
                tokio::task::spawn_blocking(move || add_to_zip(writer, &files))
                    .await
                    .map_err(|e| AppError::Internal(format!("zip: {e}")))??,
            );
        }
        last_key = stored.last().map(|s| s.1.clone()).or(last_key);
        let percent = i32::try_from(done * 100 / total.max(1)).unwrap_or(100);
        progress
            .report(
                percent.min(99),
                json!({ "period": period.to_string(), "rendered": done, "invoices": total }),
            )
            .await?;
    }
    let mut result = json!({ "period": period.to_string(), "rendered": done, "invoices": total });
    // Printed without a payment QR code: the settings lack what the standard needs.
    let txn = tenancy::begin(&state.db, tenant).await?;
    let missing = document::settings(&txn).await?.qr_missing_fields();
    txn.commit().await?;
    if !missing.is_empty() {
        result["qrMissing"] = json!(missing);
    }
    if let (Scope::Account(_), Some(key)) = (&spec.scope, last_key) {
        result["objectKey"] = json!(key);
        result["fileName"] = json!(key.rsplit('/').next().unwrap_or("invoice.pdf"));
    }
    if let Some(writer) = zip {
        tokio::task::spawn_blocking(move || writer.finish().map(|_| ()))
            .await
            .map_err(|e| AppError::Internal(format!("zip: {e}")))?
            .map_err(|e| AppError::Internal(format!("zip: {e}")))?;
        if done > 0 {
            let name = format!("invoices-{period}-{job_id}.zip");
            let key =
                platform::storage::ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
            state
                .store
                .put_file(&key, &zip_path, "application/zip")
                .await?;
            result["objectKey"] = json!(key);
            result["fileName"] = json!(name);
        }
        // A temporary file: losing it only costs a re-run.
        let _ = std::fs::remove_file(&zip_path);
    }
    Ok(result)
}

/// Adds rendered invoices to the batch's zip, stored as they are (PDFs are compressed).
fn add_to_zip(
    mut writer: zip::ZipWriter<std::fs::File>,
    files: &[(String, Vec<u8>)],
) -> AppResult<zip::ZipWriter<std::fs::File>> {
    use std::io::Write as _;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), options)
            .and_then(|()| writer.write_all(bytes).map_err(zip::result::ZipError::from))
            .map_err(|e| AppError::Internal(format!("zip {name}: {e}")))?;
    }
    Ok(writer)
}
