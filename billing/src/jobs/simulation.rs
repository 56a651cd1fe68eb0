//! The billing simulation job: the period's calculation run without writing (see
//! `simulate`), its findings as the job's result, and a spreadsheet of them (per service,
//! then the largest differences). Safe to run twice: it writes nothing but its file.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::run::Scope;
use crate::simulate::{self, Simulation};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::jobs::progress::Progress;
use platform::sheets::XLSX;
use platform::state::AppState;
use platform::storage::ObjectStore;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationJob {
    /// YYYY-MM.
    pub period: String,
    pub scope: Scope,
    #[serde(default)]
    pub reach: access::auth::Reach,
    pub lang: String,
}

impl platform::jobs::rows::JobParams for SimulationJob {
    fn kind(&self) -> &'static str {
        "simulation"
    }
}

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &SimulationJob,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    let period = spec
        .period
        .parse()
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
    let found = simulate::simulate(
        &state.db,
        tenant,
        period,
        spec.scope.clone(),
        &spec.reach,
        chrono::Utc::now().date_naive(),
        |done, total| async move {
            let pct = 1 + 98 * i32::try_from(done).unwrap_or(0)
                / i32::try_from(total.max(1)).unwrap_or(1);
            progress.set(pct.min(99)).await
        },
    )
    .await?;
    let mut result = serde_json::to_value(&found).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("simulation-{}-{job_id}.xlsx", spec.period);
    let key = ObjectStore::tenant_key(tenant, &format!("calculations/{name}"));
    state.store.put(&key, sheet(&found, lang)?, XLSX).await?;
    result["objectKey"] = json!(key);
    result["fileName"] = json!(name);
    Ok(result)
}

/// Two sheets: the differences per service, then the largest ones line by line.
fn sheet(s: &Simulation, lang: Lang) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let t = |id: &str| i18n::text(lang, id);
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let number = |d: rust_decimal::Decimal| {
        use rust_decimal::prelude::ToPrimitive;
        d.to_f64().unwrap_or_default()
    };
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t("sim-sheet-services")).map_err(err)?;
    for (c, h) in (0u16..).zip(["sim-service", "sim-lines", "sim-difference"]) {
        ws.write_string_with_format(0, c, t(h), &bold)
            .map_err(err)?;
    }
    for (r, st) in (1u32..).zip(&s.by_service) {
        ws.write_string(r, 0, &st.service).map_err(err)?;
        ws.write_number(r, 1, st.lines as f64).map_err(err)?;
        ws.write_number_with_format(r, 2, number(st.difference), &money)
            .map_err(err)?;
    }
    ws.autofit();
    let ws = wb.add_worksheet();
    ws.set_name(t("sim-sheet-largest")).map_err(err)?;
    let heads = [
        "sim-account",
        "sim-service",
        "sim-issued-charged",
        "sim-charged",
        "sim-issued-closing",
        "sim-closing",
        "sim-difference",
    ];
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, t(h), &bold)
            .map_err(err)?;
    }
    for (r, d) in (1u32..).zip(&s.largest) {
        ws.write_string(r, 0, &d.number).map_err(err)?;
        ws.write_string(r, 1, &d.service).map_err(err)?;
        for (c, v) in (2u16..).zip([d.issued_charged, d.charged, d.issued_closing, d.closing]) {
            if let Some(v) = v {
                ws.write_number_with_format(r, c, number(v), &money)
                    .map_err(err)?;
            }
        }
        ws.write_number_with_format(r, 6, number(d.difference), &money)
            .map_err(err)?;
    }
    ws.autofit();
    // The interim summary: the simulated lines by service, with their total.
    let ws = wb.add_worksheet();
    ws.set_name(t("sim-sheet-interim")).map_err(err)?;
    let heads = [
        "report-col-service",
        "report-col-accounts",
        "report-col-opening",
        "report-col-charged",
        "report-col-recalculation",
        "report-col-benefit",
        "report-col-subsidy",
        "report-col-penalty",
        "report-col-paid",
        "report-col-closing",
    ];
    for (c, h) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, t(h), &bold)
            .map_err(err)?;
    }
    let amounts = |x: &crate::simulate::ServiceSums| {
        [
            x.opening,
            x.charged,
            x.recalculation,
            x.benefit,
            x.subsidy,
            x.penalty,
            x.paid,
            x.closing,
        ]
    };
    let mut total = [rust_decimal::Decimal::ZERO; 8];
    let mut accounts = 0;
    let mut row = 1u32;
    for x in &s.sums {
        ws.write_string(row, 0, &x.service).map_err(err)?;
        ws.write_number(row, 1, x.accounts as f64).map_err(err)?;
        accounts += x.accounts;
        for (c, (v, sum)) in (2u16..).zip(amounts(x).into_iter().zip(total.iter_mut())) {
            *sum += v;
            ws.write_number_with_format(row, c, number(v), &money)
                .map_err(err)?;
        }
        row += 1;
    }
    let money_bold = rust_xlsxwriter::Format::new()
        .set_num_format("#,##0.00")
        .set_bold();
    ws.write_string_with_format(row, 0, t("report-total"), &bold)
        .map_err(err)?;
    ws.write_number_with_format(row, 1, accounts as f64, &bold)
        .map_err(err)?;
    for (c, v) in (2u16..).zip(total) {
        ws.write_number_with_format(row, c, number(v), &money_bold)
            .map_err(err)?;
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}
