//! The penalty statement as a table for its files (XLSX and the PDF print form a court
//! gets): the intervals with their days, debt, rate, fraction and amount, the total, and a
//! subtitle saying whose debt it is and by which rules it was counted.

use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::penalty::{self, PenaltyStatementInput};
use crate::table::{self, ColumnKind, ReportTable};
use access::auth::Reach;
use l10n::{Lang, code_label};
use platform::error::AppResult;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Holder {
    number: String,
    holder_name: String,
    address: String,
}

/// The statement of `input` (the caller's reach applies to its account) as a table, and
/// its subtitle in `lang`.
pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    input: &PenaltyStatementInput,
    today: chrono::NaiveDate,
) -> AppResult<(ReportTable, String)> {
    let s = penalty::statement(txn, reach, input, today).await?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let mut parts = Vec::new();
    if let Some(id) = input.account_id {
        // `statement` has checked the account is within reach.
        if let Some(h) = Holder::find_by_statement(stmt(
            "SELECT number, holder_name, address FROM accounts WHERE id = $1",
            vec![id.into()],
        ))
        .one(txn)
        .await?
        {
            parts.push(format!(
                "{}: {} · {} · {}",
                t("report-col-account"),
                h.number,
                h.holder_name,
                h.address
            ));
        }
    }
    parts.push(code_label(lang, "PenaltyStatementRule", &name_of(s.rule)));
    parts.push(code_label(lang, "PenaltyRateMode", &name_of(s.rate_mode)));
    parts.push(format!("{}: {}", t("report-param-as-of"), s.as_of));
    parts.push(format!("{}: {}", t("report-param-due-day"), s.due_day));
    parts.push(format!(
        "{}: {}",
        t("report-param-grace-days"),
        s.grace_days
    ));
    let columns = table::columns(&[
        ("period", t("report-param-period"), ColumnKind::Text),
        ("from", t("report-col-from"), ColumnKind::Text),
        ("to", t("report-col-to"), ColumnKind::Text),
        ("days", t("report-col-days"), ColumnKind::Count),
        ("debt", t("report-col-debt"), ColumnKind::Money),
        ("rate", t("report-col-rate"), ColumnKind::Quantity),
        ("fraction", t("report-col-fraction"), ColumnKind::Text),
        ("amount", t("report-col-penalty"), ColumnKind::Money),
    ]);
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            vec![
                r.period.clone(),
                r.from.to_string(),
                r.to.to_string(),
                r.days.to_string(),
                table::money(r.debt),
                r.rate.normalize().to_string(),
                r.fraction.clone(),
                table::money(r.amount),
            ]
        })
        .collect();
    let days: i64 = s.rows.iter().map(|r| r.days).sum();
    let totals = vec![
        t("report-total"),
        String::new(),
        String::new(),
        days.to_string(),
        String::new(),
        String::new(),
        String::new(),
        table::money(s.total),
    ];
    let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    Ok((
        ReportTable {
            title: t("report-penalty-statement"),
            columns,
            rows,
            totals,
            total,
        },
        parts.join(" · "),
    ))
}

/// The GraphQL name of an API enum's value (`PAYMENT_DAY`): the key of its label in the
/// codes catalog.
fn name_of<E: async_graphql::EnumType>(value: E) -> String {
    match async_graphql::resolver_utils::enum_value(value) {
        async_graphql::Value::Enum(name) => name.to_string(),
        _ => String::new(),
    }
}
