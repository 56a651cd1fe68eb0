//! Sales of services (seed 001 «Реалізація послуг»): the period's invoice lines by service,
//! calculation method and tariff — accounts, quantity (in the service's unit) and charged
//! — so the accountant sees what was sold at which price. A service whose tariff changed
//! within the month, or that differs by building, makes a row per tariff. Totals: accounts
//! and charged (quantities of different units are not added).

use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, accounts_where};
use crate::table::{ColumnKind, ReportTable, columns, money};
use access::auth::Reach;
use l10n::{Lang, code_label};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    service: String,
    unit: Option<String>,
    method: String,
    tariff: Decimal,
    accounts: i64,
    quantity: Decimal,
    charged: Decimal,
}

#[derive(FromQueryResult)]
struct Totals {
    groups: i64,
    accounts: i64,
    charged: Option<Decimal>,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period = p
        .period
        .ok_or_else(|| AppError::validation("period", "is required"))?;
    let within = accounts_where(reach, p, "a");
    let lines = format!(
        "FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
         JOIN services s ON s.id = l.service_id LEFT JOIN units u ON u.id = s.unit_id \
         WHERE l.period = $1 AND {within}"
    );
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT s.name AS service, min(u.name) AS unit, l.method, l.tariff, count(DISTINCT l.account_id) AS accounts, \
                    sum(l.quantity) AS quantity, sum(l.charged) AS charged {lines} \
             GROUP BY s.id, s.name, l.method, l.tariff \
             ORDER BY min(s.priority) NULLS LAST, s.id, l.method, l.tariff LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?;
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(DISTINCT (l.service_id, l.method, l.tariff)) AS groups, count(DISTINCT l.account_id) AS accounts, \
                    sum(l.charged) AS charged {lines}"
        ),
        vec![period.first_day().into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("service", t("report-col-service"), ColumnKind::Text),
            ("method", t("report-col-method"), ColumnKind::Text),
            ("unit", t("report-col-unit"), ColumnKind::Text),
            ("tariff", t("report-col-tariff"), ColumnKind::Text),
            ("accounts", t("report-col-accounts"), ColumnKind::Count),
            ("quantity", t("report-col-quantity"), ColumnKind::Text),
            ("charged", t("report-col-charged"), ColumnKind::Money),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.service.clone(),
                    code_label(lang, "services_method", &r.method),
                    r.unit.clone().unwrap_or_default(),
                    r.tariff.normalize().to_string(),
                    r.accounts.to_string(),
                    r.quantity.normalize().to_string(),
                    money(r.charged),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            String::new(),
            String::new(),
            sums.accounts.to_string(),
            String::new(),
            money(sums.charged.unwrap_or_default()),
        ],
        total: sums.groups,
    })
}
