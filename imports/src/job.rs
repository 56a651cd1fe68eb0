//! The import job: each of its files (one upload, or the files of a ZIP) read from the
//! object store through its template and applied in its own transaction — rolled back for a
//! check, and for an all-or-nothing kind whose file has a row that cannot be imported;
//! committed with its protocol and one audit row for a post. A file already posted is
//! passed over, so the job is safe to run twice and survives a worker restart (a file
//! half-applied when the worker died left nothing: its transaction never committed).

use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::files;
use crate::kinds::Kind;
use crate::post::{self, Ctx, Options};
use crate::read;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::jobs::progress::Progress;
use platform::sheets::XLSX;
use platform::state::AppState;
use platform::storage::ObjectStore;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataImport {
    /// The import the files are of (its document governs the job). Not `kind`: the
    /// job's own kind is stored under that name.
    pub import: Kind,
    pub file_ids: Vec<i64>,
    /// False: a check — every row applied and protocolled, nothing kept.
    pub post: bool,
    /// Files of the upload refused as loaded before (their names and why).
    #[serde(default)]
    pub duplicates: Vec<String>,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub lang: String,
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl platform::jobs::rows::JobParams for DataImport {
    fn kind(&self) -> &'static str {
        "data_import"
    }
}

/// Protocol rows of a file the job's result carries (the XLSX has them all).
const SHOWN: u64 = 200;

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &DataImport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let actor = Actor {
        user_id: spec.user_id,
        login: spec.login.clone(),
    };
    let mut done = Vec::new();
    let n = spec.file_ids.len().max(1);
    for (i, id) in spec.file_ids.iter().enumerate() {
        one(state, tenant, job_id, spec, &actor, lang, *id).await?;
        let pct = 5 + 85 * (i + 1) / n;
        progress.set(i32::try_from(pct).unwrap_or(90)).await?;
        done.push(*id);
    }
    let txn = tenancy::begin(&state.db, tenant).await?;
    let mut shown = Vec::new();
    let mut all = Vec::new();
    for id in &done {
        let f = files::by_id(&txn, &access::auth::Reach::default(), "", *id).await?;
        let rows = files::rows(&txn, *id, true, lang, 0, u64::MAX).await?;
        shown.push(json!({
            "id": f.id, "fileName": f.file_name, "state": f.state, "rows": f.rows_total,
            "done": f.rows_done, "skipped": f.rows_skipped, "totals": f.totals,
            "message": f.message.as_deref().map(|m| files::reason_text(lang, m)),
            "skippedRows": rows.iter().take(SHOWN as usize).collect::<Vec<_>>(),
        }));
        all.push((f, rows));
    }
    txn.commit().await?;
    let name = format!("import-protocol-{}.xlsx", &job_id.to_string()[..8]);
    let key = ObjectStore::tenant_key(tenant, &format!("imports/{job_id}-{name}"));
    state
        .store
        .put(&key, files::protocol(&all, lang)?, XLSX)
        .await?;
    Ok(json!({
        "objectKey": key, "fileName": name, "post": spec.post, "files": shown,
        "duplicates": spec.duplicates,
    }))
}

async fn one(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &DataImport,
    actor: &Actor,
    lang: Lang,
    id: i64,
) -> AppResult<()> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let f = files::by_id(&txn, &access::auth::Reach::default(), "", id).await?;
    let t = crate::templates::by_id(&txn, f.template_id).await?;
    txn.commit().await?;
    if f.state == "posted" || (spec.post && f.state == "refused") {
        return Ok(());
    }
    let kind = Kind::parse(&f.kind_code)?;
    let bytes = state.store.get(&f.object_key).await?;
    let layout = crate::templates::layout(&t);
    let records = platform::jobs::progress::off_thread(move || {
        layout.and_then(|layout| read::read(&bytes, &layout))
    })
    .await?;
    let now = Utc::now();
    let records = match records {
        Ok(r) => r,
        Err(AppError::Validation { field, message }) => {
            // The file cannot be read at all: refused whole, with the reason.
            let txn = tenancy::begin(&state.db, tenant).await?;
            let why = format!("{field}: {message}");
            files::record_outcome(&txn, id, "refused", &[], &json!({}), Some(&why), now).await?;
            txn.commit().await?;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let options: Options = serde_json::from_value(f.options.clone()).unwrap_or_default();
    let label = platform::i18n::text(lang, "import-resident-card");
    let rules = crate::templates::rules_of(&t.rules);
    let txn = tenancy::begin(&state.db, tenant).await?;
    let open = metering::readings::current_open(&txn).await?;
    periods::hold(&txn, open).await?;
    let ctx = Ctx {
        txn: &txn,
        reach: &spec.reach,
        open,
        today: now.date_naive(),
        date_format: &t.date_format,
        options: &options,
        resident_label: &label,
        rules: &rules,
        actor,
        now,
    };
    let outcome = post::apply(&ctx, kind, &records).await?;
    let skipped = outcome.skipped();
    let whole = outcome.refused.is_some() || (!kind.independent_rows() && skipped > 0);
    let (state_to, message) = if let Some(why) = outcome.refused.clone() {
        ("refused", Some(why))
    } else if whole {
        (
            "refused",
            Some(format!(
                "file: {skipped} of {} rows cannot be imported; nothing was imported",
                records.len()
            )),
        )
    } else if spec.post {
        ("posted", None)
    } else {
        ("checked", None)
    };
    let txn = if spec.post && !whole {
        txn
    } else {
        txn.rollback().await?;
        tenancy::begin(&state.db, tenant).await?
    };
    files::record_outcome(
        &txn,
        id,
        state_to,
        &outcome.lines,
        &outcome.totals,
        message.as_deref(),
        now,
    )
    .await?;
    audit::record(
        &txn,
        actor,
        now,
        Change {
            entity: "import_file",
            entity_id: id.to_string(),
            action: if spec.post { "post" } else { "check" },
            before: None,
            after: Some(json!({
                "kind": kind.code(), "file": f.file_name, "sha256": f.sha256, "jobId": job_id,
                "state": state_to, "rows": records.len(), "skipped": skipped,
                "totals": outcome.totals, "message": message,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
