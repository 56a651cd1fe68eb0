//! The bank payment file job: the stored file is read from the object store, parsed by its
//! template and posted in one transaction with its protocol rows and one audit row (a
//! worker killed mid-run leaves nothing; the next attempt starts over, and a file already
//! posted is not posted again). The protocol — every row not paid, with its reason in the
//! requester's language — is in the result and, as XLSX, at `/files/jobs/<id>`.

use chrono::Utc;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::import::{self, FileRowView};
use crate::{file, templates};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::jobs::progress::Progress;
use platform::sheets::XLSX;
use platform::state::AppState;
use platform::storage::ObjectStore;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsImport {
    pub file_id: i64,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub lang: String,
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl platform::jobs::rows::JobParams for PaymentsImport {
    fn kind(&self) -> &'static str {
        "payments_import"
    }
}

/// How many refused (and skipped) rows the job's result carries (the XLSX protocol has
/// them all).
const SHOWN: u64 = 500;

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &PaymentsImport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let actor = Actor {
        user_id: spec.user_id,
        login: spec.login.clone(),
    };
    let txn = tenancy::begin(&state.db, tenant).await?;
    let f = import::file(&txn, spec.file_id).await?;
    let t = templates::by_id(&txn, f.template_id).await?;
    let t = templates::with_statement_account(&txn, t).await?;
    txn.commit().await?;
    let bytes = state.store.get(&f.object_key).await?;
    progress.set(10).await?;
    let layout = templates::layout(&t);
    let parsed = platform::jobs::progress::off_thread(move || {
        layout.and_then(|layout| file::parse(&bytes, &layout))
    })
    .await?;
    progress.set(30).await?;
    let now = Utc::now();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let outcome =
        import::apply(&txn, &actor, now, &spec.reach, f.id, &t.date_format, parsed).await?;
    audit::record(
        &txn,
        &actor,
        now,
        Change {
            entity: "payment_file",
            entity_id: f.id.to_string(),
            action: "post",
            before: None,
            after: Some(json!({
                "file": f.file_name, "sha256": f.sha256, "jobId": job_id,
                "rows": outcome.rows, "loaded": outcome.loaded, "amountLoaded": outcome.amount_loaded,
                "refused": outcome.refused, "skipped": outcome.skipped, "message": outcome.message,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    progress.set(90).await?;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let refused = import::rows(&txn, &spec.reach, f.id, true, lang, 0, u64::MAX).await?;
    txn.commit().await?;
    let name = format!("payments-protocol-{}.xlsx", f.id);
    let key = ObjectStore::tenant_key(tenant, &format!("imports/{job_id}-{name}"));
    let message = outcome
        .message
        .as_deref()
        .map(|m| import::reason_text(lang, m));
    state
        .store
        .put(&key, protocol(&refused, message.as_deref(), lang)?, XLSX)
        .await?;
    Ok(json!({
        "objectKey": key, "fileName": name, "fileId": f.id,
        "rows": outcome.rows, "loaded": outcome.loaded, "amountLoaded": outcome.amount_loaded,
        "refusedCount": outcome.refused, "skippedCount": outcome.skipped, "message": message,
        "refused": refused.iter().take(SHOWN as usize).collect::<Vec<_>>(),
    }))
}

fn protocol(rows: &[FileRowView], message: Option<&str>, lang: Lang) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let heads: [String; 6] = [
        "payments-protocol-line",
        "payments-protocol-account",
        "payments-protocol-payer",
        "payments-protocol-amount",
        "payments-protocol-date",
        "payments-protocol-reason",
    ]
    .map(|id| platform::i18n::text(lang, id));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    let mut r = 0u32;
    if let Some(m) = message {
        ws.write_string_with_format(0, 0, m, &bold).map_err(err)?;
        r = 2;
    }
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(r, c, h, &bold).map_err(err)?;
    }
    for row in rows {
        r += 1;
        ws.write_number(r, 0, f64::from(row.line)).map_err(err)?;
        for (c, v) in (1u16..).zip([
            &row.account,
            &row.payer,
            &row.amount,
            &row.paid_on,
            &row.reason,
        ]) {
            ws.write_string(r, c, v.as_deref().unwrap_or_default())
                .map_err(err)?;
        }
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}
