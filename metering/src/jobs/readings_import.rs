//! The readings import job: the uploaded file is read from the object store, parsed, and
//! applied to the period in one transaction (a worker killed mid-run leaves nothing; the
//! next attempt starts over and, the rows being compared with what is stored, a second
//! run changes nothing). The protocol — every row not imported, with its reason in the
//! requester's language — is returned with the counts and written as XLSX for download.

use chrono::Utc;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::reading_file;
use crate::reading_import::{self, Report};
use crate::readings;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::jobs::progress::{Progress, off_thread};
use platform::jobs::rows::JobParams;
use platform::sheets::XLSX;
use platform::state::AppState;
use platform::storage::ObjectStore;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingsImport {
    pub object_key: String,
    pub file_name: String,
    /// SHA-256 of the file, hex (shown in the audit log; the same file twice is harmless).
    pub sha256: String,
    /// YYYY-MM.
    pub period: String,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub lang: String,
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl JobParams for ReadingsImport {
    fn kind(&self) -> &'static str {
        "readings_import"
    }
}

/// How many rejected rows the job's result carries (the XLSX protocol has them all).
const SHOWN: usize = 500;

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ReadingsImport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let bytes = state.store.get(&spec.object_key).await?;
    progress.set(10).await?;
    let rows = off_thread(move || reading_file::parse(&bytes)).await??;
    progress.set(30).await?;
    let actor = Actor {
        user_id: spec.user_id,
        login: spec.login.clone(),
    };
    let txn = tenancy::begin(&state.db, tenant).await?;
    let now = Utc::now();
    let period = readings::writable_period(&txn, Some(&spec.period)).await?;
    let mut report =
        reading_import::apply(&txn, &actor, now, &spec.reach, period, &rows, Some(job_id)).await?;
    audit::record(
        &txn,
        &actor,
        now,
        Change {
            entity: "readings_import",
            entity_id: job_id.to_string(),
            action: "import",
            before: None,
            after: Some(json!({
                "file": spec.file_name, "sha256": spec.sha256, "period": period.to_string(),
                "rows": report.rows, "imported": report.imported, "unchanged": report.unchanged,
                "rejected": report.rejected.len(), "held": report.held.len(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    progress.set(90).await?;
    for r in report.rejected.iter_mut().chain(report.held.iter_mut()) {
        r.reason = i18n::message(lang, &r.reason);
    }
    let name = format!("readings-protocol-{job_id}.xlsx");
    let key = ObjectStore::tenant_key(tenant, &format!("imports/{name}"));
    state
        .store
        .put(&key, protocol(&report, lang)?, XLSX)
        .await?;
    Ok(json!({
        "objectKey": key, "fileName": name, "period": period.to_string(),
        "rows": report.rows, "imported": report.imported, "unchanged": report.unchanged,
        "rejectedCount": report.rejected.len(),
        "rejected": report.rejected.iter().take(SHOWN).collect::<Vec<_>>(),
        "heldCount": report.held.len(),
        "held": report.held.iter().take(SHOWN).collect::<Vec<_>>(),
    }))
}

fn protocol(report: &Report, lang: Lang) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let heads: [String; 4] = [
        "readings-protocol-line",
        "readings-protocol-meter-account",
        "readings-protocol-value",
        "readings-protocol-reason",
    ]
    .map(|id| platform::i18n::text(lang, id));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, h, &bold).map_err(err)?;
    }
    // Rows not imported, then rows held for review; each reason says which.
    for (n, r) in (1u32..).zip(report.rejected.iter().chain(&report.held)) {
        ws.write_number(n, 0, r.line as f64).map_err(err)?;
        ws.write_string(n, 1, &r.meter).map_err(err)?;
        ws.write_string(n, 2, &r.value).map_err(err)?;
        ws.write_string(n, 3, &r.reason).map_err(err)?;
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}
