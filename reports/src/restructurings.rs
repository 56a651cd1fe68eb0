//! The restructuring register (seed 001 «Реєстр реструктуризацій»): agreements signed in
//! a date range, with the account, the debt restructured, the months, the first period,
//! the state, the instalments due by today (their months come) and the rest of the debt
//! after them, what payments brought to the agreement and how far behind its schedule it
//! is (`registry::restructuring_kept`, as the account card shows it); totals of each.

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
    id: i64,
    number: String,
    signed_on: NaiveDate,
    account: String,
    holder_name: String,
    debt: Decimal,
    months: i32,
    first_period: NaiveDate,
    status: String,
    paid: Decimal,
}

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// What payments brought to the agreement so far and how far behind it is now.
fn standing(kept: &[domain::restructuring::Kept]) -> (Decimal, Decimal) {
    let brought = kept.iter().filter_map(|k| k.paid).sum();
    let behind = kept.iter().rev().find_map(|k| k.behind).unwrap_or_default();
    (brought, behind)
}

#[derive(FromQueryResult)]
struct Totals {
    count: i64,
    debt: Option<Decimal>,
    paid: Option<Decimal>,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
    today: NaiveDate,
) -> AppResult<ReportTable> {
    let (Some(from), Some(to)) = (p.from, p.to) else {
        return Err(AppError::validation("from", "is required"));
    };
    let within = accounts_where(reach, p, "a");
    let rows_sql = format!(
        "SELECT r.id, r.number, r.signed_on, a.number AS account, a.holder_name, r.debt, r.months, r.first_period, r.status, \
                coalesce((SELECT sum(i.amount) FROM restructuring_instalments i WHERE i.restructuring_id = r.id AND i.period <= $3), 0) AS paid \
         FROM restructurings r JOIN accounts a ON a.id = r.account_id \
         WHERE r.signed_on BETWEEN $1 AND $2 AND {within}"
    );
    let rows = Row::find_by_statement(stmt(
        &format!(
            "{rows_sql} ORDER BY r.signed_on, r.number LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        vec![from.into(), to.into(), today.into()],
    ))
    .all(txn)
    .await?;
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS count, sum(debt) AS debt, sum(paid) AS paid FROM ({rows_sql}) t"
        ),
        vec![from.into(), to.into(), today.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    // Every agreement of the range for the totals, the page's among them.
    let ids: Vec<i64> = Id::find_by_statement(stmt(
        &format!("SELECT id FROM ({rows_sql}) t"),
        vec![from.into(), to.into(), today.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let kept = registry::restructuring_kept::kept_through_working_month(txn, &ids).await?;
    let of = |id: i64| standing(kept.get(&id).map(Vec::as_slice).unwrap_or_default());
    let (brought, behind) = ids
        .iter()
        .fold((Decimal::ZERO, Decimal::ZERO), |(b, h), id| {
            let (b1, h1) = of(*id);
            (b + b1, h + h1)
        });
    let t = |id: &str| platform::i18n::text(lang, id);
    let (debt, paid) = (sums.debt.unwrap_or_default(), sums.paid.unwrap_or_default());
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("number", t("report-col-agreement"), ColumnKind::Text),
            ("signed", t("report-col-date"), ColumnKind::Text),
            ("account", t("report-col-account"), ColumnKind::Text),
            ("holder", t("report-col-holder"), ColumnKind::Text),
            ("debt", t("report-col-debt"), ColumnKind::Money),
            ("months", t("report-col-months"), ColumnKind::Count),
            ("first", t("report-col-first-period"), ColumnKind::Text),
            ("status", t("report-col-status"), ColumnKind::Text),
            ("due", t("report-col-scheduled"), ColumnKind::Money),
            ("left", t("report-col-left"), ColumnKind::Money),
            (
                "brought",
                t("report-col-paid-under-agreement"),
                ColumnKind::Money,
            ),
            ("behind", t("report-col-behind"), ColumnKind::Money),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.signed_on.to_string(),
                    r.account.clone(),
                    r.holder_name.clone(),
                    money(r.debt),
                    r.months.to_string(),
                    r.first_period.format("%Y-%m").to_string(),
                    code_label(lang, "restructurings_status", &r.status),
                    money(r.paid),
                    money(r.debt - r.paid),
                    money(of(r.id).0),
                    money(of(r.id).1),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            sums.count.to_string(),
            String::new(),
            money(debt),
            String::new(),
            String::new(),
            String::new(),
            money(paid),
            money(debt - paid),
            money(brought),
            money(behind),
        ],
        total: sums.count,
    })
}
