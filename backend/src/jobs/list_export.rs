//! Lists exported to XLSX (the product's rule: every list can be exported): the accounts,
//! the users, the change log — with the filter the user had on screen and headers in the
//! user's language. The file goes to the object store under the tenant's prefix and is
//! downloaded through `/files/jobs/<job id>`.
//!
//! Amounts are written as numbers with two decimals: XLSX cells hold binary doubles, so
//! the Decimal is converted at this last step, for display only.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::{Deserialize, Serialize};

use super::runner::Progress;
use crate::audit::{self, AuditFilter};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::storage::ObjectStore;
use crate::{admin, tenancy, tenants};
use l10n::code_label;
use platform::audit_changes::describe;
use pricing::books::{self, Book};
use registry::accounts::{self, AccountFilter, AccountSort};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum ListKind {
    Accounts,
    Users,
    AuditLog,
    ReferenceBook,
    /// A period's closing summary (`period`).
    ClosingSummary,
    /// An account's billing table (`account_id`).
    AccountInvoices,
    /// The payments found (`payments`: the search on screen).
    Payments,
    /// The register of acts (`acts`: the filter on screen).
    Acts,
    /// An account's history of operations (`account_id`, `history`: the filter on screen).
    AccountHistory,
    /// A report of the catalogue (`report`: the report and its parameters).
    Report,
    /// A penalty statement (`penalty`: the statement's input), XLSX or its print form.
    PenaltyStatement,
    /// The Meters list (`meters`: the filter on screen).
    Meters,
    /// Electricity retail's customers (`search`: the search on screen).
    RetailCustomers,
}

impl ListKind {
    /// The permission a list export needs: viewing that list.
    pub fn document(self) -> crate::auth::Document {
        use crate::auth::Document;
        match self {
            Self::Accounts => Document::Accounts,
            Self::Users | Self::AuditLog => Document::Users,
            Self::ReferenceBook => Document::ReferenceBooks,
            Self::ClosingSummary | Self::AccountInvoices | Self::AccountHistory => {
                Document::Invoices
            }
            Self::Payments => Document::Payments,
            Self::Acts => Document::Acts,
            Self::Report | Self::PenaltyStatement => Document::Reports,
            Self::Meters => Document::Meters,
            Self::RetailCustomers => Document::Subscribers,
        }
    }
}

/// The file an export writes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum,
)]
pub enum ExportFormat {
    /// A spreadsheet: every list.
    #[default]
    Xlsx,
    /// A print form: a report's table on A4 landscape pages.
    Pdf,
}

/// What to export: the list and the filter the user had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListExport {
    pub list: ListKind,
    pub search: Option<String>,
    /// The account list's journal and type, as filtered on screen.
    #[serde(default)]
    pub journal_id: Option<i32>,
    #[serde(default)]
    pub type_id: Option<i32>,
    #[serde(default)]
    pub reach: crate::auth::Reach,
    /// For `AuditLog` by a user limited to branches or buildings: only their own actions.
    #[serde(default)]
    pub actor: Option<uuid::Uuid>,
    #[serde(default)]
    pub sort: AccountSort,
    #[serde(default)]
    pub desc: bool,
    /// A locale of the catalogs (`uk`, `ru`, `en`…): the language of the headers.
    pub lang: String,
    /// Which book, for `ReferenceBook`.
    #[serde(default)]
    pub book: Option<Book>,
    /// YYYY-MM, for `ClosingSummary`.
    #[serde(default)]
    pub period: Option<String>,
    /// For `AccountInvoices`.
    #[serde(default)]
    pub account_id: Option<i64>,
    /// For `Payments`.
    #[serde(default)]
    pub payments: Option<payments::search::PaymentFilter>,
    /// For `Acts`.
    #[serde(default)]
    pub acts: Option<acts::register::ActFilter>,
    /// For `AccountHistory`.
    #[serde(default)]
    pub history: Option<billing::history::HistoryFilter>,
    /// For `Report`.
    #[serde(default)]
    pub report: Option<reports::catalog::ReportInput>,
    /// For `PenaltyStatement`.
    #[serde(default)]
    pub penalty: Option<reports::penalty::PenaltyStatementInput>,
    /// XLSX, or PDF for a report or a penalty statement.
    #[serde(default)]
    pub format: ExportFormat,
    /// For `Meters`.
    #[serde(default)]
    pub meters: Option<metering::meters::MeterListFilter>,
}

impl ListExport {
    /// An export of `list` read with `reach`, headed in `lang`, with no filter: the
    /// fields a list takes are set over it.
    pub fn new(list: ListKind, reach: crate::auth::Reach, lang: String) -> Self {
        Self {
            list,
            search: None,
            journal_id: None,
            type_id: None,
            reach,
            actor: None,
            sort: AccountSort::default(),
            desc: false,
            lang,
            book: None,
            period: None,
            account_id: None,
            payments: None,
            acts: None,
            history: None,
            report: None,
            penalty: None,
            format: ExportFormat::Xlsx,
            meters: None,
        }
    }
}

pub use platform::sheets::XLSX;
const CHUNK: u64 = 5_000;

fn headers(list: ListKind, lang: Lang) -> Vec<String> {
    let t = |id: &str| crate::i18n::text(lang, id);
    match list {
        ListKind::Accounts => vec![
            t("export-accounts-account"),
            t("export-accounts-name"),
            t("export-accounts-address"),
            t("export-accounts-residents"),
            t("export-accounts-branch"),
            t("export-accounts-type"),
            t("export-accounts-meters"),
            t("export-accounts-balance"),
        ],
        ListKind::Users => vec![
            t("export-users-login"),
            t("export-users-name"),
            "E-mail".to_owned(),
            t("export-users-kind"),
            t("export-users-roles"),
            t("export-users-accounts"),
            t("export-users-active"),
        ],
        ListKind::ReferenceBook => vec![
            t("export-book-code"),
            t("export-book-name"),
            t("export-book-active"),
        ],
        ListKind::ClosingSummary | ListKind::AccountInvoices => {
            let first = if list == ListKind::ClosingSummary {
                t("export-summary-service")
            } else {
                t("export-summary-period")
            };
            vec![
                first,
                t("export-summary-opening"),
                t("export-summary-charged"),
                t("export-summary-correction"),
                t("export-summary-benefit"),
                t("export-summary-subsidy"),
                t("export-summary-penalty"),
                t("export-summary-paid"),
                t("export-summary-closing"),
            ]
        }
        ListKind::Payments => vec![
            t("export-payments-account"),
            t("export-payments-subscriber"),
            t("export-payments-address"),
            t("export-payments-received"),
            t("export-payments-paid-on"),
            t("export-payments-charge-period"),
            t("export-payments-amount"),
            t("export-payments-type"),
            t("export-payments-bank"),
            t("export-payments-statement-batch-file"),
            t("export-payments-per-service"),
            t("export-payments-cancelled"),
        ],
        ListKind::Acts => vec![
            t("export-acts-number"),
            t("export-acts-kind"),
            t("export-acts-status"),
            t("export-acts-period"),
            t("export-acts-date"),
            t("export-acts-account"),
            t("export-acts-address"),
            t("export-acts-service"),
            t("export-acts-reason"),
            t("export-acts-executor"),
            t("export-acts-amount"),
            t("export-acts-total"),
            t("export-acts-comment"),
            t("export-acts-created-by"),
            t("export-acts-approved-by"),
        ],
        ListKind::AccountHistory => vec![
            t("export-history-date"),
            t("export-history-operation"),
            t("export-history-service"),
            t("export-history-amount"),
            t("export-history-document"),
            t("export-history-period"),
            t("export-history-cancelled"),
        ],
        // A report's columns come with its table.
        ListKind::Report | ListKind::PenaltyStatement => Vec::new(),
        ListKind::Meters => vec![
            t("export-meters-serial"),
            t("export-meters-holder"),
            t("export-meters-address"),
            t("export-meters-account"),
            t("export-meters-service"),
            t("export-meters-model"),
            t("export-meters-seal"),
            t("export-meters-installed"),
            t("export-meters-next-verification"),
            t("export-meters-main"),
            t("export-meters-point"),
            t("export-meters-period"),
            t("export-meters-previous"),
            t("export-meters-current"),
            t("export-meters-consumption"),
        ],
        ListKind::RetailCustomers => vec![
            t("export-retail-name"),
            t("export-retail-kind"),
            t("export-retail-identifier"),
            t("export-retail-branch"),
            t("export-retail-points"),
            t("export-retail-contracts"),
            t("export-retail-intermediary"),
        ],
        ListKind::AuditLog => vec![
            t("export-audit-when-utc"),
            t("export-audit-user"),
            t("export-audit-record"),
            "ID".to_owned(),
            t("export-audit-action"),
            t("export-audit-changes"),
        ],
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}

fn put(ws: &mut Worksheet, row: u32, col: u16, text: &str) -> AppResult<()> {
    ws.write_string(row, col, text)
        .map(|_| ())
        .map_err(xlsx_err)
}

pub async fn run(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ListExport,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let file = write(state, tenant, job_id, spec, progress).await?;
    Ok(serde_json::json!({ "objectKey": file.key, "rows": file.rows, "fileName": file.name }))
}

/// A list written and stored: its object key, file name, rows and bytes.
pub struct Written {
    pub key: String,
    pub name: String,
    pub rows: u64,
    pub body: Vec<u8>,
}

/// Writes the list to XLSX and stores it under the job's name (a re-run overwrites it).
pub async fn write(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ListExport,
    progress: &Progress<'_>,
) -> AppResult<Written> {
    let lang = Lang::from_code(&spec.lang).unwrap_or(Lang::EN);
    if spec.list == ListKind::PenaltyStatement {
        return write_penalty_statement(state, tenant, job_id, spec, lang).await;
    }
    if spec.format == ExportFormat::Pdf {
        return write_print_form(state, tenant, job_id, spec, lang, progress).await;
    }
    if spec.list == ListKind::Report {
        return write_report_book(state, tenant, job_id, spec, lang, progress).await;
    }
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let ws = wb.add_worksheet();
    for (i, h) in headers(spec.list, lang).iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(i).unwrap_or(0), h, &bold)
            .map_err(xlsx_err)?;
    }
    let rows = match spec.list {
        ListKind::Accounts => {
            write_accounts(state, tenant, spec, lang, ws, &money, progress).await?
        }
        ListKind::Users => write_users(state, tenant, spec, lang, ws).await?,
        ListKind::AuditLog => write_audit(state, tenant, spec.actor, lang, ws).await?,
        ListKind::ReferenceBook => {
            let book = spec
                .book
                .ok_or_else(|| AppError::validation("book", "name the reference book"))?;
            write_book(state, tenant, book, spec.search.as_deref(), ws).await?
        }
        ListKind::ClosingSummary | ListKind::AccountInvoices => {
            write_billing(state, tenant, spec, lang, ws, &money).await?
        }
        ListKind::Payments => {
            write_payments(state, tenant, spec, lang, ws, &money, progress).await?
        }
        ListKind::Acts => write_acts(state, tenant, spec, lang, ws, &money, progress).await?,
        ListKind::AccountHistory => write_history(state, tenant, spec, lang, ws, &money).await?,
        ListKind::Meters => write_meters(state, tenant, spec, ws, progress).await?,
        ListKind::RetailCustomers => write_retail_customers(state, tenant, spec, lang, ws).await?,
        // Written by `write_report_book` and `write_penalty_statement`.
        ListKind::Report | ListKind::PenaltyStatement => 0,
    };
    ws.autofit();
    let body = wb.save_to_buffer().map_err(xlsx_err)?;
    let name = format!("{:?}-{job_id}.xlsx", spec.list).to_lowercase();
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state.store.put(&key, body.clone(), XLSX).await?;
    Ok(Written {
        key,
        name,
        rows,
        body,
    })
}

async fn write_accounts(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
    money: &Format,
    progress: &Progress<'_>,
) -> AppResult<u64> {
    let filter = AccountFilter {
        search: spec.search.clone(),
        reach: spec.reach.clone(),
        journal_id: spec.journal_id,
        type_id: spec.type_id,
    };
    let mut offset = 0;
    let mut row = 1u32;
    loop {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let (total, page) =
            accounts::page(&txn, &filter, spec.sort, spec.desc, offset, CHUNK).await?;
        txn.commit().await?;
        for (a, branch) in &page {
            put(ws, row, 0, &a.number)?;
            put(ws, row, 1, &a.holder_name)?;
            put(ws, row, 2, &a.address)?;
            ws.write_number(row, 3, f64::from(a.residents))
                .map_err(xlsx_err)?;
            put(ws, row, 4, branch.as_deref().unwrap_or(""))?;
            put(
                ws,
                row,
                5,
                &code_label(lang, "accounts_type", &a.account_type),
            )?;
            ws.write_number(row, 6, f64::from(a.meters))
                .map_err(xlsx_err)?;
            let amount = domain::money(a.balance).to_f64().unwrap_or_default();
            ws.write_number_with_format(row, 7, amount, money)
                .map_err(xlsx_err)?;
            row += 1;
        }
        offset += CHUNK;
        if page.is_empty() || offset >= total {
            return Ok(u64::from(row - 1));
        }
        let pct = i32::try_from(offset.saturating_mul(90) / total.max(1)).unwrap_or(90);
        progress.set(pct).await?;
    }
}

async fn write_users(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
) -> AppResult<u64> {
    let t = tenants::find(&state.db, tenant).await?;
    let (_, users) =
        admin::users::list_in(&state.db, t.id, tenant, spec.search.as_deref(), 0, 100_000).await?;
    for (i, u) in users.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        put(ws, row, 0, &u.login)?;
        put(ws, row, 1, &u.display_name)?;
        put(ws, row, 2, u.email.as_deref().unwrap_or(""))?;
        put(ws, row, 3, &code_label(lang, "users_kind", &u.kind))?;
        put(ws, row, 4, &u.roles.join(", "))?;
        put(ws, row, 5, &u.account_numbers.join(", "))?;
        ws.write_boolean(row, 6, u.active).map_err(xlsx_err)?;
    }
    Ok(users.len() as u64)
}

async fn write_audit(
    state: &AppState,
    tenant: &domain::TenantSlug,
    actor: Option<uuid::Uuid>,
    lang: Lang,
    ws: &mut Worksheet,
) -> AppResult<u64> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let (_, rows) = audit::query(&txn, &AuditFilter::default(), actor, 0, 100_000).await?;
    txn.commit().await?;
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        put(ws, row, 0, &r.at.format("%Y-%m-%d %H:%M:%S").to_string())?;
        put(ws, row, 1, r.actor_login.as_deref().unwrap_or(""))?;
        put(ws, row, 2, &code_label(lang, "audit_entity", &r.entity))?;
        put(ws, row, 3, &r.entity_id)?;
        put(ws, row, 4, &code_label(lang, "audit_action", &r.action))?;
        put(ws, row, 5, &describe(&r.field_changes(lang)))?;
    }
    Ok(rows.len() as u64)
}

async fn write_book(
    state: &AppState,
    tenant: &domain::TenantSlug,
    book: Book,
    search: Option<&str>,
    ws: &mut Worksheet,
) -> AppResult<u64> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let (_, items) = books::list(&txn, book, search, 0, 1_000_000).await?;
    // Referenced rows by id, to write names instead of ids.
    let mut names = std::collections::HashMap::new();
    for f in book.fields() {
        if let Some(t) = f.target {
            for o in books::options(&txn, t).await? {
                names.insert((f.name, o.id), o.name);
            }
        }
    }
    txn.commit().await?;
    for (i, item) in items.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        put(ws, row, 0, &item.code)?;
        put(ws, row, 1, &item.name)?;
        ws.write_boolean(row, 2, item.active).map_err(xlsx_err)?;
        for (j, f) in book.fields().iter().enumerate() {
            let col = u16::try_from(3 + j).unwrap_or(u16::MAX);
            match &item.extra[f.name] {
                serde_json::Value::String(s) => put(ws, row, col, s)?,
                serde_json::Value::Bool(b) => ws
                    .write_boolean(row, col, *b)
                    .map(|_| ())
                    .map_err(xlsx_err)?,
                serde_json::Value::Number(n) => {
                    let id = n.as_i64().and_then(|n| i32::try_from(n).ok());
                    match id.and_then(|id| names.get(&(f.name, id))) {
                        Some(name) => put(ws, row, col, name)?,
                        None => put(ws, row, col, &n.to_string())?,
                    }
                }
                serde_json::Value::Array(ids) => {
                    let list: Vec<&str> = ids
                        .iter()
                        .filter_map(|v| v.as_i64().and_then(|n| i32::try_from(n).ok()))
                        .filter_map(|id| names.get(&(f.name, id)).map(String::as_str))
                        .collect();
                    put(ws, row, col, &list.join(", "))?;
                }
                _ => {}
            }
        }
    }
    Ok(items.len() as u64)
}

/// The closing summary of a period (a row per service, then the total) or an account's
/// billing table (a row per invoice, newest first).
async fn write_billing(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
    money: &Format,
) -> AppResult<u64> {
    use billing::{closing, views};
    let txn = tenancy::begin(&state.db, tenant).await?;
    let rows: Vec<(String, [rust_decimal::Decimal; 8])> = if spec.list == ListKind::ClosingSummary {
        let period: domain::Period = spec
            .period
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
        let total = crate::i18n::text(lang, "export-summary-total");
        closing::summary(&txn, &spec.reach, period)
            .await?
            .into_iter()
            .map(|r| {
                let name = if r.service_id.is_none() {
                    total.to_owned()
                } else {
                    r.service.clone()
                };
                (
                    name,
                    [
                        r.opening,
                        r.charged,
                        r.recalculation,
                        r.benefit,
                        r.subsidy,
                        r.penalty,
                        r.paid,
                        r.closing,
                    ],
                )
            })
            .collect()
    } else {
        let id = named_account(&txn, spec).await?;
        views::invoices(&txn, id, 240)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.period.format("%Y-%m").to_string(),
                    [
                        i.opening,
                        i.charged,
                        i.recalculation,
                        i.benefit,
                        i.subsidy,
                        i.penalty,
                        i.paid,
                        i.closing,
                    ],
                )
            })
            .collect()
    };
    txn.commit().await?;
    for (i, (name, amounts)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        put(ws, row, 0, name)?;
        for (j, a) in amounts.iter().enumerate() {
            let col = u16::try_from(j + 1).unwrap_or(u16::MAX);
            ws.write_number_with_format(
                row,
                col,
                domain::money(*a).to_f64().unwrap_or_default(),
                money,
            )
            .map_err(xlsx_err)?;
        }
    }
    Ok(rows.len() as u64)
}

/// The payments found by the search on screen, oldest receipt first, page by page.
/// Electricity retail's customers as searched on screen, a page at a time.
async fn write_retail_customers(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
) -> AppResult<u64> {
    let mut offset = 0u64;
    loop {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let page =
            retail::customers::list(&txn, &spec.reach, spec.search.as_deref(), offset, CHUNK)
                .await?;
        txn.commit().await?;
        for (i, c) in page.items.iter().enumerate() {
            let r = u32::try_from(offset + i as u64 + 1).unwrap_or(u32::MAX);
            let cells = [
                c.name.clone(),
                l10n::code_label(lang, "el_customers_kind", &c.kind),
                c.identifier.clone().unwrap_or_default(),
                c.branch_name.clone(),
            ];
            for (col, v) in cells.iter().enumerate() {
                ws.write_string(r, u16::try_from(col).unwrap_or(0), v)
                    .map_err(xlsx_err)?;
            }
            for (col, n) in [(4u16, c.points), (5, c.contracts)] {
                ws.write_number(r, col, n as f64).map_err(xlsx_err)?;
            }
            ws.write_string(r, 6, c.intermediary_name.clone().unwrap_or_default())
                .map_err(xlsx_err)?;
        }
        offset += page.items.len() as u64;
        if page.items.len() < CHUNK as usize || offset >= page.total as u64 {
            return Ok(offset);
        }
    }
}

/// The Meters list as filtered on screen, a page of the list at a time.
async fn write_meters(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    ws: &mut Worksheet,
    progress: &Progress<'_>,
) -> AppResult<u64> {
    use metering::meters::{self, MeterState};
    let filter = spec.meters.clone().unwrap_or_default();
    let state_of = if filter.archive {
        MeterState::Archive
    } else {
        MeterState::Working
    };
    let today = chrono::Utc::now().date_naive();
    let mut offset = 0u64;
    let page = CHUNK;
    loop {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let (total, rows) = meters::list(
            &txn,
            &spec.reach,
            state_of,
            filter.search.as_deref(),
            filter.verification,
            None,
            today,
            offset,
            page,
        )
        .await?;
        txn.commit().await?;
        for (i, m) in rows.iter().enumerate() {
            let r = u32::try_from(offset + i as u64 + 1).unwrap_or(u32::MAX);
            let text = |d: Option<String>| d.unwrap_or_default();
            let number =
                |d: Option<rust_decimal::Decimal>| d.map(|v| v.to_string()).unwrap_or_default();
            let cells = [
                m.serial.clone(),
                text(m.holder_name.clone()),
                m.address.clone(),
                text(m.account_number.clone()),
                m.service_name.clone(),
                text(m.model_name.clone()),
                text(m.seal_number.clone()),
                m.installed_on.to_string(),
                text(m.next_verification.map(|d| d.to_string())),
                text(m.parent_serial.clone()),
                text(m.metering_point_name.clone()),
                text(m.last_period.map(|d| d.format("%Y-%m").to_string())),
                number(m.last_previous),
                number(m.last_reading),
                number(m.last_consumption),
            ];
            for (c, v) in cells.iter().enumerate() {
                put(ws, r, u16::try_from(c).unwrap_or(0), v)?;
            }
        }
        offset += rows.len() as u64;
        let shown = u64::try_from(total.max(1)).unwrap_or(1);
        progress
            .set(i32::try_from((offset * 100 / shown).min(99)).unwrap_or(99))
            .await?;
        if (rows.len() as u64) < page {
            return Ok(offset);
        }
    }
}

async fn write_payments(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
    money: &Format,
    progress: &Progress<'_>,
) -> AppResult<u64> {
    use payments::search::{self, PaymentSort};
    let filter = spec.payments.clone().unwrap_or_default();
    let mut offset = 0u64;
    loop {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let (totals, rows) = search::list(
            &txn,
            &spec.reach,
            &filter,
            PaymentSort::ReceivedAsc,
            offset,
            CHUNK,
        )
        .await?;
        txn.commit().await?;
        for (i, p) in rows.iter().enumerate() {
            let r = u32::try_from(offset + i as u64 + 1).unwrap_or(u32::MAX);
            put(ws, r, 0, &p.account_number)?;
            put(ws, r, 1, &p.holder_name)?;
            put(ws, r, 2, &p.address)?;
            put(ws, r, 3, &p.received_on.to_string())?;
            put(ws, r, 4, &p.paid_on.to_string())?;
            put(ws, r, 5, &p.charge_period.format("%Y-%m").to_string())?;
            ws.write_number_with_format(r, 6, p.amount.to_f64().unwrap_or_default(), money)
                .map_err(xlsx_err)?;
            put(ws, r, 7, &code_label(lang, "payments_kind", &p.kind))?;
            put(ws, r, 8, p.bank_name.as_deref().unwrap_or_default())?;
            let source = [
                p.statement.clone(),
                p.batch_number.clone(),
                p.file_name.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
            put(ws, r, 9, &source)?;
            put(ws, r, 10, p.lines.as_deref().unwrap_or_default())?;
            put(
                ws,
                r,
                11,
                &p.cancelled_at
                    .map(|c| c.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            )?;
        }
        offset += rows.len() as u64;
        let shown = totals.count.max(1) as u64;
        progress
            .set(i32::try_from((offset * 100 / shown).min(99)).unwrap_or(99))
            .await?;
        if (rows.len() as u64) < CHUNK {
            return Ok(offset);
        }
    }
}

/// The register of acts with the filter on screen, within the requester's reach.
async fn write_acts(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
    money: &Format,
    progress: &Progress<'_>,
) -> AppResult<u64> {
    let filter = spec.acts.clone().unwrap_or_default();
    let mut offset = 0u64;
    loop {
        let txn = tenancy::begin(&state.db, tenant).await?;
        let page = acts::register::page(&txn, &spec.reach, &filter, offset, CHUNK).await?;
        txn.commit().await?;
        for (i, a) in page.items.iter().enumerate() {
            let r = u32::try_from(offset + i as u64 + 1).unwrap_or(u32::MAX);
            ws.write_number(r, 0, a.number as f64).map_err(xlsx_err)?;
            put(ws, r, 1, &code_label(lang, "acts_kind", a.kind.code()))?;
            put(ws, r, 2, &code_label(lang, "acts_status", a.status.code()))?;
            put(ws, r, 3, &a.period)?;
            put(ws, r, 4, &a.act_date.to_string())?;
            put(ws, r, 5, a.account_number.as_deref().unwrap_or_default())?;
            put(ws, r, 6, a.address.as_deref().unwrap_or_default())?;
            put(ws, r, 7, a.service.as_deref().unwrap_or_default())?;
            put(ws, r, 8, a.reason.as_deref().unwrap_or_default())?;
            put(ws, r, 9, a.executor.as_deref().unwrap_or_default())?;
            if let Some(amount) = a.amount {
                ws.write_number_with_format(r, 10, amount.to_f64().unwrap_or_default(), money)
                    .map_err(xlsx_err)?;
            }
            ws.write_number_with_format(r, 11, a.total.to_f64().unwrap_or_default(), money)
                .map_err(xlsx_err)?;
            put(ws, r, 12, &a.comment)?;
            put(ws, r, 13, &a.created_by)?;
            put(ws, r, 14, a.approved_by.as_deref().unwrap_or_default())?;
        }
        offset += page.items.len() as u64;
        let shown = u64::try_from(page.total.max(1)).unwrap_or(1);
        progress
            .set(i32::try_from((offset * 100 / shown).min(99)).unwrap_or(99))
            .await?;
        if (page.items.len() as u64) < CHUNK {
            return Ok(offset);
        }
    }
}

/// The account the export names, NOT_FOUND unless it is within the requester's reach
/// (kept with the job).
async fn named_account(txn: &sea_orm::DatabaseTransaction, spec: &ListExport) -> AppResult<i64> {
    let id = spec
        .account_id
        .ok_or_else(|| AppError::validation("accountId", "name the account"))?;
    let Some(cond) = spec.reach.account_condition() else {
        return Ok(id);
    };
    #[derive(sea_orm::FromQueryResult)]
    struct Found {
        id: i64,
    }
    use sea_orm::FromQueryResult;
    let found = Found::find_by_statement(platform::sql::stmt(
        &format!("SELECT id FROM accounts WHERE id = $1 AND {cond}"),
        vec![id.into()],
    ))
    .one(txn)
    .await?;
    if found.map(|f| f.id) != Some(id) {
        return Err(AppError::NotFound(format!("record {id} does not exist")));
    }
    Ok(id)
}

/// An account's history with the filter on screen, newest first, each amount signed by
/// its effect on the balance.
async fn write_history(
    state: &AppState,
    tenant: &domain::TenantSlug,
    spec: &ListExport,
    lang: Lang,
    ws: &mut Worksheet,
    money: &Format,
) -> AppResult<u64> {
    let filter = spec.history.clone().unwrap_or_default().parse()?;
    let txn = tenancy::begin(&state.db, tenant).await?;
    let id = named_account(&txn, spec).await?;
    // One account's history is small (years of lines and payments): one page holds it.
    let page = billing::history::page(&txn, id, &filter, 0, u64::from(u32::MAX)).await?;
    txn.commit().await?;
    let cancelled = crate::i18n::text(lang, "export-history-cancelled");
    for (r, h) in (1u32..).zip(&page.items) {
        put(ws, r, 0, &h.on.to_string())?;
        put(ws, r, 1, &code_label(lang, "HistoryKind", h.kind.code()))?;
        put(ws, r, 2, h.service.as_deref().unwrap_or_default())?;
        ws.write_number_with_format(r, 3, h.amount.to_f64().unwrap_or_default(), money)
            .map_err(xlsx_err)?;
        let document = match (&h.source, &h.document) {
            (Some(s), Some(d)) => format!("{} · {d}", code_label(lang, "payments_kind", s)),
            (Some(s), None) => code_label(lang, "payments_kind", s),
            (None, d) => d.clone().unwrap_or_default(),
        };
        put(ws, r, 4, &document)?;
        put(ws, r, 5, &h.period.format("%Y-%m").to_string())?;
        put(ws, r, 6, if h.cancelled { cancelled.as_str() } else { "" })?;
    }
    Ok(page.items.len() as u64)
}

/// A report of the catalogue as XLSX, written in constant memory (each row goes to a
/// temporary file as it is written; the workbook holds no rows): its columns as the
/// header (frozen, widths by kind), money with two decimals, counts as whole numbers, the
/// totals row in bold under the rows. The turnover sheet is read by keyset pages (after
/// the last account number), the other reports by offset pages.
async fn write_report_book(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ListExport,
    lang: Lang,
    progress: &Progress<'_>,
) -> AppResult<Written> {
    use reports::catalog::ReportKind;
    use reports::table::ColumnKind;
    let params = report_params(spec)?;
    let today = chrono::Utc::now().date_naive();
    let keyset = params.kind == ReportKind::Turnover;
    // The columns, the totals and the count: for the turnover sheet from its totals
    // alone (its rows come by keyset), for the others with their first page.
    let txn = tenancy::begin(&state.db, tenant).await?;
    let first = if keyset {
        let (totals, total) = reports::turnover::totals(&txn, &spec.reach, lang, &params).await?;
        reports::table::ReportTable {
            title: String::new(),
            columns: reports::turnover::columns_in(lang),
            rows: Vec::new(),
            totals,
            total,
        }
    } else {
        reports::catalog::run(&txn, &spec.reach, lang, &params, 0, CHUNK, today).await?
    };
    txn.commit().await?;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx_err)?;
    let bold = Format::new().set_bold();
    let plain = CellFormats::new(false);
    let strong = CellFormats::new(true);
    for (i, c) in first.columns.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        let width = match c.kind {
            ColumnKind::Text => 28.0,
            ColumnKind::Entry => 16.0,
            _ => 14.0,
        };
        ws.set_column_width(col, width).map_err(xlsx_err)?;
        ws.write_string_with_format(0, col, &c.title, &bold)
            .map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let kinds: Vec<ColumnKind> = first.columns.iter().map(|c| c.kind).collect();
    let total = u64::try_from(first.total).unwrap_or(0);
    let mut row = 1u32;
    let put_rows = |ws: &mut Worksheet, rows: &[Vec<String>], row: &mut u32| {
        for values in rows {
            for (i, (v, k)) in values.iter().zip(&kinds).enumerate() {
                report_cell(ws, *row, i, v, *k, &plain)?;
            }
            *row += 1;
        }
        AppResult::Ok(())
    };
    let mut done = 0u64;
    if keyset {
        let mut after: Option<String> = None;
        loop {
            let txn = tenancy::begin(&state.db, tenant).await?;
            let page =
                reports::turnover::page_after(&txn, &spec.reach, &params, after.as_deref(), CHUNK)
                    .await?;
            txn.commit().await?;
            let Some(last) = page.last().and_then(|r| r.first()).cloned() else {
                break;
            };
            put_rows(ws, &page, &mut row)?;
            done += u64::try_from(page.len()).unwrap_or(0);
            after = Some(last);
            progress.set(pct(done, total)).await?;
        }
    } else {
        put_rows(ws, &first.rows, &mut row)?;
        done = u64::try_from(first.rows.len()).unwrap_or(0);
        let mut offset = CHUNK;
        while offset < total {
            let txn = tenancy::begin(&state.db, tenant).await?;
            let page =
                reports::catalog::run(&txn, &spec.reach, lang, &params, offset, CHUNK, today)
                    .await?;
            txn.commit().await?;
            if page.rows.is_empty() {
                break;
            }
            put_rows(ws, &page.rows, &mut row)?;
            done += u64::try_from(page.rows.len()).unwrap_or(0);
            offset += CHUNK;
            progress.set(pct(done, total)).await?;
        }
    }
    for (i, (v, k)) in first.totals.iter().zip(&kinds).enumerate() {
        let kind = if i == 0 { ColumnKind::Text } else { *k };
        report_cell(ws, row, i, v, kind, &strong)?;
    }
    let body = wb.save_to_buffer().map_err(xlsx_err)?;
    let name = format!("report-{job_id}.xlsx");
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state.store.put(&key, body.clone(), XLSX).await?;
    Ok(Written {
        key,
        name,
        rows: u64::from(row - 1),
        body,
    })
}

/// The report an export names, checked.
fn report_params(spec: &ListExport) -> AppResult<reports::catalog::Params> {
    let input = spec
        .report
        .as_ref()
        .ok_or_else(|| AppError::validation("report", "name the report"))?;
    reports::catalog::check(input)
}

/// Progress of `done` rows of `total`, up to 95 % (storing the file is the rest).
fn pct(done: u64, total: u64) -> i32 {
    i32::try_from(done.saturating_mul(95) / total.max(1)).unwrap_or(95)
}

/// A report's print form: the whole report read page by page (at most
/// `reports::print::MAX_ROWS` rows), its parameters in words, drawn as PDF.
async fn write_print_form(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ListExport,
    lang: Lang,
    progress: &Progress<'_>,
) -> AppResult<Written> {
    let params = report_params(spec)?;
    let today = chrono::Utc::now().date_naive();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let mut table =
        reports::catalog::run(&txn, &spec.reach, lang, &params, 0, CHUNK, today).await?;
    if table.total > reports::print::MAX_ROWS {
        return Err(AppError::validation(
            "format",
            "a print form holds at most 20000 rows; export the report to XLSX",
        ));
    }
    let total = u64::try_from(table.total).unwrap_or(0);
    let mut offset = CHUNK;
    while offset < total {
        let more =
            reports::catalog::run(&txn, &spec.reach, lang, &params, offset, CHUNK, today).await?;
        table.rows.extend(more.rows);
        offset += CHUNK;
        progress
            .set(i32::try_from(offset.min(total) * 80 / total.max(1)).unwrap_or(80))
            .await?;
    }
    let subtitle = reports::print::subtitle(&txn, lang, &params).await?;
    txn.commit().await?;
    store_print_form(state, tenant, job_id, "report", table, subtitle, lang).await
}

/// Draws a table as an A4 landscape print form and stores it as `<stem>-<job>.pdf`.
async fn store_print_form(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    stem: &str,
    table: reports::table::ReportTable,
    subtitle: String,
    lang: Lang,
) -> AppResult<Written> {
    use reports::table::ColumnKind;
    let today = chrono::Utc::now().date_naive();
    let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind).collect();
    let print = documents::print_table::PrintTable {
        title: table.title,
        subtitle,
        footer: format!("{}: {today}", crate::i18n::text(lang, "report-formed-on")),
        headers: table.columns.into_iter().map(|c| c.title).collect(),
        numeric: kinds
            .iter()
            .map(|k| !matches!(k, ColumnKind::Text | ColumnKind::Entry))
            .collect(),
        blank: kinds.iter().map(|k| *k == ColumnKind::Entry).collect(),
        rows: table.rows,
        totals: table.totals,
        page_of: Box::new(move |n, m| {
            crate::i18n::text_with(
                lang,
                "report-page-of",
                &[("n", &n.to_string()), ("m", &m.to_string())],
            )
        }),
    };
    let rows = u64::try_from(print.rows.len()).unwrap_or(0);
    let body = tokio::task::spawn_blocking(move || documents::print_table::render(&print))
        .await
        .map_err(|e| AppError::Internal(format!("print form: {e}")))??;
    let name = format!("{stem}-{job_id}.pdf");
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state
        .store
        .put(&key, body.clone(), "application/pdf")
        .await?;
    Ok(Written {
        key,
        name,
        rows,
        body,
    })
}

/// A penalty statement as XLSX (the subtitle over the table, the header frozen, the
/// total in bold) or as its print form.
async fn write_penalty_statement(
    state: &AppState,
    tenant: &domain::TenantSlug,
    job_id: uuid::Uuid,
    spec: &ListExport,
    lang: Lang,
) -> AppResult<Written> {
    let input = spec
        .penalty
        .as_ref()
        .ok_or_else(|| AppError::validation("penalty", "name the statement"))?;
    let today = chrono::Utc::now().date_naive();
    let txn = tenancy::begin(&state.db, tenant).await?;
    let (table, subtitle) =
        reports::penalty_print::table(&txn, &spec.reach, lang, input, today).await?;
    txn.commit().await?;
    if spec.format == ExportFormat::Pdf {
        return store_print_form(state, tenant, job_id, "penalty", table, subtitle, lang).await;
    }
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let plain = CellFormats::new(false);
    let strong = CellFormats::new(true);
    ws.write_string_with_format(0, 0, &table.title, &bold)
        .map_err(xlsx_err)?;
    put(ws, 1, 0, &subtitle)?;
    for (i, c) in table.columns.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        ws.set_column_width(col, if i == 6 { 18.0 } else { 14.0 })
            .map_err(xlsx_err)?;
        ws.write_string_with_format(3, col, &c.title, &bold)
            .map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(4, 0).map_err(xlsx_err)?;
    let kinds: Vec<_> = table.columns.iter().map(|c| c.kind).collect();
    let mut row = 4u32;
    for values in &table.rows {
        for (i, (v, k)) in values.iter().zip(&kinds).enumerate() {
            report_cell(ws, row, i, v, *k, &plain)?;
        }
        row += 1;
    }
    for (i, (v, k)) in table.totals.iter().zip(&kinds).enumerate() {
        let kind = if i == 0 {
            reports::table::ColumnKind::Text
        } else {
            *k
        };
        report_cell(ws, row, i, v, kind, &strong)?;
    }
    let body = wb.save_to_buffer().map_err(xlsx_err)?;
    let name = format!("penalty-{job_id}.xlsx");
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state.store.put(&key, body.clone(), XLSX).await?;
    Ok(Written {
        key,
        name,
        rows: u64::try_from(table.rows.len()).unwrap_or(0),
        body,
    })
}

/// The number formats of a report's cells, bold for the totals row.
struct CellFormats {
    text: Format,
    money: Format,
    count: Format,
    quantity: Format,
    percent: Format,
}

impl CellFormats {
    fn new(bold: bool) -> Self {
        let f = |num: &str| {
            let f = Format::new().set_num_format(num);
            if bold { f.set_bold() } else { f }
        };
        Self {
            text: if bold {
                Format::new().set_bold()
            } else {
                Format::new()
            },
            money: f("#,##0.00"),
            count: f("0"),
            quantity: f("#,##0.0###"),
            percent: f("0.0"),
        }
    }
}

/// One cell of a report: money, counts, quantities and shares as numbers (the Decimal
/// converted for display only), text as text.
fn report_cell(
    ws: &mut Worksheet,
    row: u32,
    i: usize,
    v: &str,
    kind: reports::table::ColumnKind,
    formats: &CellFormats,
) -> AppResult<()> {
    use reports::table::ColumnKind;
    let col = u16::try_from(i).unwrap_or(0);
    let number = v
        .parse::<rust_decimal::Decimal>()
        .ok()
        .and_then(|d| d.to_f64());
    let format = match kind {
        ColumnKind::Text | ColumnKind::Entry => None,
        ColumnKind::Money => Some(&formats.money),
        ColumnKind::Count => Some(&formats.count),
        ColumnKind::Quantity => Some(&formats.quantity),
        ColumnKind::Percent => Some(&formats.percent),
    };
    match (format, number) {
        (Some(f), Some(n)) => ws.write_number_with_format(row, col, n, f),
        _ => ws.write_string_with_format(row, col, v, &formats.text),
    }
    .map(|_| ())
    .map_err(xlsx_err)
}
