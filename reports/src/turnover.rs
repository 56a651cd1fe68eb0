//! Turnover per account (оборотно-сальдова відомість, seed 001): every account invoiced in
//! the period with its opening, charged, recalculation, benefit, subsidy, penalty, paid and
//! closing over all its services, by account number; totals over every account (the
//! summary's total row). Each row reconciles like an invoice.

use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, accounts_where};
use crate::table::{ColumnKind, ReportTable, columns, money};
use access::auth::Reach;
use l10n::Lang;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    number: Option<String>,
    holder_name: Option<String>,
    address: Option<String>,
    accounts: i64,
    opening: Decimal,
    charged: Decimal,
    recalculation: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
}

impl Row {
    fn cells(&self, first: Option<String>) -> Vec<String> {
        let mut out = vec![
            first.or_else(|| self.number.clone()).unwrap_or_default(),
            self.holder_name.clone().unwrap_or_default(),
            self.address.clone().unwrap_or_default(),
        ];
        out.extend(
            [
                self.opening,
                self.charged,
                self.recalculation,
                self.benefit,
                self.subsidy,
                self.penalty,
                self.paid,
                self.closing,
            ]
            .map(money),
        );
        out
    }
}

const SUMS: &str = "coalesce(sum(l.opening), 0) AS opening, coalesce(sum(l.charged), 0) AS charged, \
     coalesce(sum(l.recalculation), 0) AS recalculation, coalesce(sum(l.benefit), 0) AS benefit, \
     coalesce(sum(l.subsidy), 0) AS subsidy, coalesce(sum(l.penalty), 0) AS penalty, \
     coalesce(sum(l.paid), 0) AS paid, coalesce(sum(l.closing), 0) AS closing";

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
    let from = format!(
        "FROM invoice_lines l JOIN accounts a ON a.id = l.account_id WHERE l.period = $1 AND {within}"
    );
    // The page: the accounts first (by number), then their lines summed.
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT a.number, a.holder_name, a.address, 1::bigint AS accounts, {SUMS} {from} \
             GROUP BY a.id, a.number, a.holder_name, a.address \
             ORDER BY a.number LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?;
    let total = Row::find_by_statement(stmt(
        &format!(
            "SELECT NULL::text AS number, NULL::text AS holder_name, NULL::text AS address, \
                    count(DISTINCT l.account_id) AS accounts, {SUMS} {from}"
        ),
        vec![period.first_day().into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a sum returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let mut totals = total.cells(Some(t("report-total")));
    totals[1] = total.accounts.to_string();
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("account", t("report-col-account"), ColumnKind::Text),
            ("holder", t("report-col-holder"), ColumnKind::Text),
            ("address", t("report-col-address"), ColumnKind::Text),
            ("opening", t("report-col-opening"), ColumnKind::Money),
            ("charged", t("report-col-charged"), ColumnKind::Money),
            (
                "recalculation",
                t("report-col-recalculation"),
                ColumnKind::Money,
            ),
            ("benefit", t("report-col-benefit"), ColumnKind::Money),
            ("subsidy", t("report-col-subsidy"), ColumnKind::Money),
            ("penalty", t("report-col-penalty"), ColumnKind::Money),
            ("paid", t("report-col-paid"), ColumnKind::Money),
            ("closing", t("report-col-closing"), ColumnKind::Money),
        ]),
        rows: rows.iter().map(|r| r.cells(None)).collect(),
        totals,
        total: total.accounts,
    })
}
