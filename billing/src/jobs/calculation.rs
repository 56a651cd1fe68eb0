//! The period calculation and period closing jobs. Progress after every chunk carries the
//! counts so far (accounts, invoices, errors), so the UI shows them live. A job killed
//! mid-run starts over when the queue delivers it again: chunks re-form their invoices,
//! so the second run leaves exactly the same rows.

use chrono::Utc;
use domain::Period;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::closing;
use crate::run::{self, Scope, Summary};
use periods::touches;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::jobs::progress::Progress;
use platform::sheets::XLSX;
use platform::state::AppState;
use platform::storage::ObjectStore;
use platform::tenancy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calculation {
    /// YYYY-MM.
    pub period: String,
    pub scope: Scope,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub lang: String,
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl platform::jobs::rows::JobParams for Calculation {
    fn kind(&self) -> &'static str {
        "calculation"
    }
}

/// Closing options (DOMAIN.md "Periods"), any combination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloseOptions {
    /// Form the invoices of accounts that have none for the closing period.
    pub form_missing: bool,
    /// Re-form every invoice of the closing period.
    pub reform_all: bool,
    /// Form the new period's invoices once it is open.
    pub form_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub period: String,
    pub options: CloseOptions,
    pub lang: String,
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl platform::jobs::rows::JobParams for Closing {
    fn kind(&self) -> &'static str {
        "closing"
    }
}

fn parse_period(text: &str) -> AppResult<Period> {
    text.parse()
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))
}

fn translated(mut s: Summary, lang: Lang) -> Summary {
    for e in s.errors.iter_mut().chain(s.warnings.iter_mut()) {
        e.reason = i18n::message(lang, &e.reason);
    }
    s
}

#[allow(clippy::too_many_arguments)]
async fn calculate(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    period: Period,
    scope: Scope,
    reach: &access::auth::Reach,
    lang: Lang,
    progress: &Progress<'_>,
    (from, to): (i32, i32),
) -> AppResult<Summary> {
    let summary = run::calculate(
        &state.db,
        tenant,
        period,
        scope,
        reach,
        Some(job_id),
        Utc::now(),
        |done, total, s| async move {
            let pct = from
                + (to - from) * i32::try_from(done).unwrap_or(0)
                    / i32::try_from(total.max(1)).unwrap_or(1);
            let value = serde_json::to_value(translated(s, lang))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            progress.report(pct.min(99), value).await
        },
    )
    .await?;
    Ok(translated(summary, lang))
}

pub async fn run_calculation(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &Calculation,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let period = parse_period(&spec.period)?;
    let summary = calculate(
        state,
        tenant,
        job_id,
        period,
        spec.scope.clone(),
        &spec.reach,
        lang,
        progress,
        (1, 99),
    )
    .await?;
    let actor = Actor {
        user_id: spec.user_id,
        login: spec.login.clone(),
    };
    let txn = tenancy::begin(&state.db, tenant).await?;
    audit::record(
        &txn,
        &actor,
        Utc::now(),
        Change {
            entity: "calculation",
            entity_id: job_id.to_string(),
            action: "calculate",
            before: None,
            after: Some(json!({
                "period": spec.period, "scope": spec.scope, "accounts": summary.accounts,
                "invoices": summary.invoices, "errors": summary.error_count,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    let mut result =
        serde_json::to_value(&summary).map_err(|e| AppError::Internal(e.to_string()))?;
    // The protocol to keep: the accounts that failed or were flagged, as a spreadsheet.
    if !summary.errors.is_empty() || !summary.warnings.is_empty() {
        let name = format!("calculation-protocol-{}-{job_id}.xlsx", spec.period);
        let key = ObjectStore::tenant_key(tenant, &format!("calculations/{name}"));
        state
            .store
            .put(&key, protocol(&summary, lang)?, XLSX)
            .await?;
        result["objectKey"] = json!(key);
        result["fileName"] = json!(name);
    }
    Ok(result)
}

/// The run's errors and warnings, one row each: account, kind, reason.
fn protocol(s: &Summary, lang: Lang) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let heads = [
        "calc-protocol-account",
        "calc-protocol-kind",
        "calc-protocol-reason",
    ]
    .map(|id| i18n::text(lang, id));
    let (error, warning) = (
        i18n::text(lang, "calc-protocol-error"),
        i18n::text(lang, "calc-protocol-warning"),
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = wb.add_worksheet();
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, h, &bold).map_err(err)?;
    }
    let rows = s
        .errors
        .iter()
        .map(|e| (e, &error))
        .chain(s.warnings.iter().map(|w| (w, &warning)));
    for (n, (e, kind)) in (1u32..).zip(rows) {
        ws.write_string(n, 0, &e.number).map_err(err)?;
        ws.write_string(n, 1, kind).map_err(err)?;
        ws.write_string(n, 2, &e.reason).map_err(err)?;
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}

pub async fn run_closing(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &Closing,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let period = parse_period(&spec.period)?;
    let everything = access::auth::Reach::default();
    let actor = Actor {
        user_id: spec.user_id,
        login: spec.login.clone(),
    };
    // A second delivery after the period was closed goes straight to the new period.
    let txn = tenancy::begin(&state.db, tenant).await?;
    let still_open = run::lock_open(&txn, period).await.is_ok();
    txn.commit().await?;
    let mut before = None;
    if still_open && (spec.options.reform_all || spec.options.form_missing) {
        let which = if spec.options.reform_all {
            Scope::Tenant
        } else {
            Scope::Missing
        };
        let s = calculate(
            state,
            tenant,
            job_id,
            period,
            which,
            &everything,
            lang,
            progress,
            (1, 60),
        )
        .await?;
        before = Some(s);
    }
    let mut reformed = Vec::new();
    let working = if still_open {
        // Data written while the invoices were formed (payments, readings): those
        // buildings are re-formed first without holding anyone up...
        let txn = tenancy::begin(&state.db, tenant).await?;
        let stale = touches::stale(&txn, period).await?;
        txn.commit().await?;
        if !stale.is_empty() {
            run::calculate_buildings(&state.db, tenant, period, &stale, Utc::now(), true).await?;
            reformed.extend(stale);
        }
        // ...then, with the period held exclusively (every writer has finished, none can
        // start), whatever changed meanwhile, and the period closes in the same hold: no
        // payment can be booked in it after its invoices are final.
        let txn = tenancy::begin(&state.db, tenant).await?;
        closing::closable(&txn).await?;
        let stale = touches::stale(&txn, period).await?;
        if !stale.is_empty() {
            run::calculate_buildings(&state.db, tenant, period, &stale, Utc::now(), false).await?;
            reformed.extend(stale);
        }
        let w = closing::close(&txn, &actor, Utc::now(), period).await?;
        txn.commit().await?;
        w
    } else {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let w = metering::readings::current_open(&txn).await?;
        txn.commit().await?;
        w
    };
    progress.set(65).await?;
    let mut next = None;
    if spec.options.form_next {
        next = Some(
            calculate(
                state,
                tenant,
                job_id,
                working,
                Scope::Tenant,
                &everything,
                lang,
                progress,
                (65, 99),
            )
            .await?,
        );
    }
    reformed.sort_unstable();
    reformed.dedup();
    Ok(json!({
        "closed": period.to_string(), "working": working.to_string(),
        "closingRun": before, "nextRun": next, "buildingsReformed": reformed.len(),
    }))
}
