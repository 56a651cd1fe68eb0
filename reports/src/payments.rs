//! The payment register (seed 001 «Реєстр оплат»): live payments received within a date
//! range (both days included; the receipt date is the one a payment is booked by), by
//! day, kind (bank, cash desk) and bank, with their count and sum. Cancelled payments are
//! left out; a payment closed by an act stays (it was received).

use chrono::NaiveDate;
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
    received_on: NaiveDate,
    kind: String,
    bank: Option<String>,
    count: i64,
    amount: Decimal,
}

#[derive(FromQueryResult)]
struct Totals {
    groups: i64,
    count: Option<i64>,
    amount: Option<Decimal>,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let (Some(from), Some(to)) = (p.from, p.to) else {
        return Err(AppError::validation("from", "is required"));
    };
    let within = accounts_where(reach, p, "a");
    let grouped = format!(
        "SELECT p.received_on, p.kind, b.name AS bank, count(*) AS count, sum(p.amount) AS amount \
         FROM payments p JOIN accounts a ON a.id = p.account_id LEFT JOIN banks b ON b.id = p.bank_id \
         WHERE p.cancelled_at IS NULL AND p.received_on BETWEEN $1 AND $2 AND {within} \
         GROUP BY p.received_on, p.kind, b.name"
    );
    let values = || vec![from.into(), to.into()];
    let rows = Row::find_by_statement(stmt(
        &format!(
            "{grouped} ORDER BY p.received_on, p.kind, b.name NULLS FIRST LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        values(),
    ))
    .all(txn)
    .await?;
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS groups, sum(count)::bigint AS count, sum(amount) AS amount FROM ({grouped}) t"
        ),
        values(),
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("date", t("report-col-date"), ColumnKind::Text),
            ("kind", t("report-col-kind"), ColumnKind::Text),
            ("bank", t("report-col-bank"), ColumnKind::Text),
            ("count", t("report-col-count"), ColumnKind::Count),
            ("amount", t("report-col-amount"), ColumnKind::Money),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.received_on.to_string(),
                    code_label(lang, "payments_kind", &r.kind),
                    r.bank.clone().unwrap_or_default(),
                    r.count.to_string(),
                    money(r.amount),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            String::new(),
            sums.count.unwrap_or_default().to_string(),
            money(sums.amount.unwrap_or_default()),
        ],
        total: sums.groups,
    })
}
