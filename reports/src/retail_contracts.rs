//! Contracts and annexes (seed 003 «справка за сключени договори и анекси»): an
//! electricity trader's contracts and annexes signed in a date range, customer by
//! customer — the customer and its identifier, the branch, the number (an annex with the
//! contract it amends), the days, the kind of price and its terms — of customers whose
//! branch is within reach (then the branch asked for).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::Params;
use crate::table::{ColumnKind, ReportTable, columns};
use access::auth::Reach;
use l10n::{Lang, code_label};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    customer: String,
    identifier: Option<String>,
    branch: String,
    number: String,
    amends: Option<String>,
    signed_on: NaiveDate,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    price_kind: String,
    price: Option<Decimal>,
    price_day: Option<Decimal>,
    price_night: Option<Decimal>,
    price_peak: Option<Decimal>,
    margin: Option<Decimal>,
    price_min: Option<Decimal>,
    price_max: Option<Decimal>,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// The terms as the dossier shows them: "231.5 / 148.2 / 290", "+6.8", then the bounds.
fn terms(r: &Row) -> String {
    let t = |d: &Option<Decimal>| d.map(|v| v.normalize().to_string());
    let main = match r.price_kind.as_str() {
        "fixed" => t(&r.price).unwrap_or_default(),
        "zones" => [t(&r.price_day), t(&r.price_night), t(&r.price_peak)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / "),
        _ => format!("+{}", t(&r.margin).unwrap_or_default()),
    };
    match (t(&r.price_min), t(&r.price_max)) {
        (Some(min), Some(max)) => format!("{main} ({min}–{max})"),
        (Some(min), None) => format!("{main} (≥ {min})"),
        (None, Some(max)) => format!("{main} (≤ {max})"),
        (None, None) => main,
    }
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
    let mut within: Vec<String> = reach.branch_condition("c").into_iter().collect();
    if let Some(b) = p.branch {
        within.push(format!("c.branch_id = {b}"));
    }
    let within = within
        .iter()
        .map(|w| format!(" AND {w}"))
        .collect::<String>();
    let rows_sql = format!(
        "FROM el_contracts k JOIN el_customers c ON c.id = k.customer_id \
         JOIN branches b ON b.id = c.branch_id LEFT JOIN el_contracts m ON m.id = k.contract_id \
         WHERE k.signed_on BETWEEN $1 AND $2{within}"
    );
    let total = Count::find_by_statement(stmt(
        &format!("SELECT count(*) AS n {rows_sql}"),
        vec![from.into(), to.into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT c.name AS customer, c.identifier, b.name AS branch, k.number, m.number AS amends, \
               k.signed_on, k.valid_from, k.valid_to, k.price_kind, k.price, k.price_day, \
               k.price_night, k.price_peak, k.margin, k.price_min, k.price_max {rows_sql} \
             ORDER BY c.name, c.id, coalesce(k.contract_id, k.id), k.contract_id IS NOT NULL, \
               k.valid_from, k.id LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        vec![from.into(), to.into()],
    ))
    .all(txn)
    .await?;
    let t = |id: &str| platform::i18n::text(lang, id);
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("customer", t("export-retail-name"), ColumnKind::Text),
            (
                "identifier",
                t("export-retail-identifier"),
                ColumnKind::Text,
            ),
            ("branch", t("report-col-branch"), ColumnKind::Text),
            ("number", t("report-col-contract"), ColumnKind::Text),
            ("amends", t("report-col-amends"), ColumnKind::Text),
            ("signed", t("report-col-date"), ColumnKind::Text),
            ("from", t("report-col-valid-from"), ColumnKind::Text),
            ("to", t("report-col-valid-to"), ColumnKind::Text),
            ("kind", t("report-col-price-kind"), ColumnKind::Text),
            ("terms", t("report-col-terms"), ColumnKind::Text),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.customer.clone(),
                    r.identifier.clone().unwrap_or_default(),
                    r.branch.clone(),
                    r.number.clone(),
                    r.amends.clone().unwrap_or_default(),
                    r.signed_on.to_string(),
                    r.valid_from.to_string(),
                    r.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                    code_label(lang, "el_contracts_price_kind", &r.price_kind),
                    terms(r),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            String::new(),
            total.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ],
        total,
    })
}
