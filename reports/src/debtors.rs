//! Debtors (seed 001 «Боржники», «Боржники за періодами з пенею»): the accounts whose
//! invoices of the period close at or above a threshold, largest debt first, with the
//! period's penalty and the debt by age. Rule chosen for the age: payments pay the oldest
//! debt first (DOMAIN.md), so what is still owed is the newest charges — the debt is laid
//! over the month's own net charge (charged + recalculation − benefit − subsidy +
//! penalty; a month in credit adds nothing), then the month before, back over twelve
//! months; what the twelve months' charges do not cover is older (12+). Buckets: the
//! period's own charges (not yet due), 1, 2, 3–5, 6–11 and 12+ months old. The last
//! column is the account's debt collection state (its case's latest entry and its day).

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
    number: String,
    holder_name: String,
    address: String,
    debt: Decimal,
    penalty: Decimal,
    m0: Decimal,
    m1: Decimal,
    m2: Decimal,
    m3: Decimal,
    m6: Decimal,
    m12: Decimal,
    case_status: Option<String>,
    case_since: Option<chrono::NaiveDate>,
}

#[derive(FromQueryResult)]
struct Totals {
    count: i64,
    debt: Option<Decimal>,
    penalty: Option<Decimal>,
    m0: Option<Decimal>,
    m1: Option<Decimal>,
    m2: Option<Decimal>,
    m3: Option<Decimal>,
    m6: Option<Decimal>,
    m12: Option<Decimal>,
}

/// Every debtor with the buckets ($1 the period, $2 the threshold).
pub(crate) fn debtors_sql(within: &str) -> String {
    format!(
        "WITH d AS ( \
           SELECT l.account_id, sum(l.closing) AS debt, sum(l.penalty) AS penalty \
           FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
           WHERE l.period = $1 AND {within} \
           GROUP BY l.account_id HAVING sum(l.closing) >= $2), \
         c AS ( \
           SELECT l.account_id, l.period, \
                  greatest(sum(l.charged + l.recalculation - l.benefit - l.subsidy + l.penalty), 0) AS net \
           FROM invoice_lines l JOIN d ON d.account_id = l.account_id \
           WHERE l.period <= $1 AND l.period > $1::date - interval '12 months' \
           GROUP BY l.account_id, l.period), \
         w AS ( \
           SELECT c.account_id, c.net, \
                  ((extract(year FROM $1::date) - extract(year FROM c.period)) * 12 \
                    + extract(month FROM $1::date) - extract(month FROM c.period))::int AS age, \
                  sum(c.net) OVER (PARTITION BY c.account_id ORDER BY c.period DESC) AS upto \
           FROM c), \
         b AS ( \
           SELECT w.account_id, w.age, greatest(least(d.debt - (w.upto - w.net), w.net), 0) AS part \
           FROM w JOIN d ON d.account_id = w.account_id) \
         SELECT a.number, a.holder_name, a.address, d.debt, d.penalty, \
                coalesce(sum(b.part) FILTER (WHERE b.age = 0), 0) AS m0, \
                coalesce(sum(b.part) FILTER (WHERE b.age = 1), 0) AS m1, \
                coalesce(sum(b.part) FILTER (WHERE b.age = 2), 0) AS m2, \
                coalesce(sum(b.part) FILTER (WHERE b.age BETWEEN 3 AND 5), 0) AS m3, \
                coalesce(sum(b.part) FILTER (WHERE b.age BETWEEN 6 AND 11), 0) AS m6, \
                d.debt - coalesce(sum(b.part), 0) AS m12, min(k.status) AS case_status, min(k.since) AS case_since \
         FROM d JOIN accounts a ON a.id = d.account_id LEFT JOIN b ON b.account_id = d.account_id \
         LEFT JOIN LATERAL (SELECT status, since FROM debt_cases c WHERE c.account_id = d.account_id \
                            ORDER BY since DESC, id DESC LIMIT 1) k ON true \
         GROUP BY a.number, a.holder_name, a.address, d.debt, d.penalty"
    )
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
    let all = debtors_sql(&accounts_where(reach, p, "a"));
    let values = || vec![period.first_day().into(), p.min_debt.into()];
    let rows = Row::find_by_statement(stmt(
        &format!(
            "{all} ORDER BY d.debt DESC, a.number LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        values(),
    ))
    .all(txn)
    .await?;
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS count, sum(debt) AS debt, sum(penalty) AS penalty, sum(m0) AS m0, sum(m1) AS m1, \
                    sum(m2) AS m2, sum(m3) AS m3, sum(m6) AS m6, sum(m12) AS m12 FROM ({all}) t"
        ),
        values(),
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let z = |d: Option<Decimal>| money(d.unwrap_or_default());
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("account", t("report-col-account"), ColumnKind::Text),
            ("holder", t("report-col-holder"), ColumnKind::Text),
            ("address", t("report-col-address"), ColumnKind::Text),
            ("debt", t("report-col-debt"), ColumnKind::Money),
            ("penalty", t("report-col-penalty"), ColumnKind::Money),
            ("age0", t("report-col-age-current"), ColumnKind::Money),
            ("age1", t("report-col-age-1"), ColumnKind::Money),
            ("age2", t("report-col-age-2"), ColumnKind::Money),
            ("age3", t("report-col-age-3-5"), ColumnKind::Money),
            ("age6", t("report-col-age-6-11"), ColumnKind::Money),
            ("age12", t("report-col-age-12"), ColumnKind::Money),
            ("case", t("report-col-debt-case"), ColumnKind::Text),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.holder_name.clone(),
                    r.address.clone(),
                    money(r.debt),
                    money(r.penalty),
                    money(r.m0),
                    money(r.m1),
                    money(r.m2),
                    money(r.m3),
                    money(r.m6),
                    money(r.m12),
                    match (&r.case_status, r.case_since) {
                        (Some(status), Some(since)) => {
                            format!("{} {since}", code_label(lang, "debt_cases_status", status))
                        }
                        _ => String::new(),
                    },
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            sums.count.to_string(),
            String::new(),
            z(sums.debt),
            z(sums.penalty),
            z(sums.m0),
            z(sums.m1),
            z(sums.m2),
            z(sums.m3),
            z(sums.m6),
            z(sums.m12),
            String::new(),
        ],
        total: sums.count,
    })
}
