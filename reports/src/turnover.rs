//! Turnover per account (оборотно-сальдова відомість, seed 001): every account invoiced in
//! the period with its opening, charged, recalculation, benefit, subsidy, penalty, paid and
//! closing over all its services, by account number; totals over every account (the
//! summary's total row). Each row reconciles like an invoice.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, accounts_where};
use crate::table::{ColumnKind, ReportTable, columns, invoice_money_columns, money};
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

/// The rows of the accounts numbered after `after` (all: None), `limit` of them, by
/// number — a keyset page: each page reads its accounts by the number's index and each
/// account's lines by the lines' key (a lateral sum, whatever the planner's statistics
/// say), so the thousandth page costs what the first does.
pub async fn page_after(
    txn: &DatabaseTransaction,
    reach: &Reach,
    p: &Params,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<Vec<String>>> {
    let period = p.month()?;
    let within = accounts_where(reach, p, "a");
    // A page costs milliseconds; compiling it (JIT, which the large estimates of a
    // million-account table invite) cost twice the query itself.
    txn.execute_unprepared("SET LOCAL jit = off").await?;
    let rows = Row::find_by_statement(stmt(
        &format!(
            "WITH page AS (SELECT a.id, a.number, a.holder_name, a.address FROM accounts a \
                WHERE {within} AND a.number > $2 \
                  AND EXISTS (SELECT 1 FROM invoice_lines x WHERE x.period = $1 AND x.account_id = a.id) \
                ORDER BY a.number LIMIT {}) \
             SELECT a.number, a.holder_name, a.address, 1::bigint AS accounts, s.* FROM page a \
             CROSS JOIN LATERAL (SELECT {SUMS} FROM invoice_lines l \
                                  WHERE l.period = $1 AND l.account_id = a.id) s \
             ORDER BY a.number",
            limit.max(1)
        ),
        vec![period.first_day().into(), after.unwrap_or("").into()],
    ))
    .all(txn)
    .await?;
    Ok(rows.iter().map(|r| r.cells(None)).collect())
}

/// The totals row over every account, and how many accounts there are.
pub async fn totals(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
) -> AppResult<(Vec<String>, i64)> {
    let period = p.month()?;
    let within = accounts_where(reach, p, "a");
    let total = Row::find_by_statement(stmt(
        &format!(
            "SELECT NULL::text AS number, NULL::text AS holder_name, NULL::text AS address, \
                    count(DISTINCT l.account_id) AS accounts, {SUMS} \
             FROM invoice_lines l JOIN accounts a ON a.id = l.account_id WHERE l.period = $1 AND {within}"
        ),
        vec![period.first_day().into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a sum returned nothing".into()))?;
    let mut cells = total.cells(Some(platform::i18n::text(lang, "report-total")));
    cells[1] = total.accounts.to_string();
    Ok((cells, total.accounts))
}

/// The sheet's columns in `lang`.
pub fn columns_in(lang: Lang) -> Vec<crate::table::Column> {
    let t = |id: &str| platform::i18n::text(lang, id);
    columns(&[
        ("account", t("report-col-account"), ColumnKind::Text),
        ("holder", t("report-col-holder"), ColumnKind::Text),
        ("address", t("report-col-address"), ColumnKind::Text),
    ])
    .into_iter()
    .chain(invoice_money_columns(lang))
    .collect()
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period = p.month()?;
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
    let (totals, total) = totals(txn, reach, lang, p).await?;
    Ok(ReportTable {
        title: String::new(),
        columns: columns_in(lang),
        rows: rows.iter().map(|r| r.cells(None)).collect(),
        totals,
        total,
    })
}
