//! Counts of subscribers (seed 001 «Кількість абонентів»): accounts by branch, type
//! (individual, legal), state (open, closed — closed when its closing day has come) and
//! whether it has working meters, with their residents; totals over every account.

use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, accounts_where};
use crate::table::{ColumnKind, ReportTable, columns};
use access::auth::Reach;
use l10n::{Lang, code_label};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    branch: Option<String>,
    account_type: String,
    closed: bool,
    metered: bool,
    accounts: i64,
    residents: i64,
}

#[derive(FromQueryResult)]
struct Totals {
    groups: i64,
    accounts: Option<i64>,
    residents: Option<i64>,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
    today: chrono::NaiveDate,
) -> AppResult<ReportTable> {
    let within = accounts_where(reach, p, "a");
    let grouped = format!(
        "SELECT b.name AS branch, a.account_type, coalesce(a.closed_on <= $1, false) AS closed, \
                a.meters > 0 AS metered, count(*) AS accounts, sum(a.residents)::bigint AS residents \
         FROM accounts a LEFT JOIN branches b ON b.id = a.branch_id WHERE {within} \
         GROUP BY b.name, a.account_type, coalesce(a.closed_on <= $1, false), a.meters > 0"
    );
    let rows = Row::find_by_statement(stmt(
        &format!(
            "{grouped} ORDER BY 1 NULLS LAST, 2, 3, 4 DESC LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        vec![today.into()],
    ))
    .all(txn)
    .await?;
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS groups, sum(accounts)::bigint AS accounts, sum(residents)::bigint AS residents FROM ({grouped}) t"
        ),
        vec![today.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let yes_no = |b: bool| t(if b { "report-yes" } else { "report-no" });
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("branch", t("report-col-branch"), ColumnKind::Text),
            ("type", t("report-col-account-type"), ColumnKind::Text),
            ("closed", t("report-col-closed"), ColumnKind::Text),
            ("metered", t("report-col-metered"), ColumnKind::Text),
            ("accounts", t("report-col-accounts"), ColumnKind::Count),
            ("residents", t("report-col-residents"), ColumnKind::Count),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.branch.clone().unwrap_or_default(),
                    code_label(lang, "accounts_type", &r.account_type),
                    yes_no(r.closed),
                    yes_no(r.metered),
                    r.accounts.to_string(),
                    r.residents.to_string(),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            String::new(),
            String::new(),
            sums.accounts.unwrap_or_default().to_string(),
            sums.residents.unwrap_or_default().to_string(),
        ],
        total: sums.groups,
    })
}
