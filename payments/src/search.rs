//! The payments search (seed 000 Fig. 18): by subscriber (words of the account's number,
//! holder or address), payment source (bank, cash desk, batch, bank file), bank, and the
//! booking periods from–to, with the found list's count and sum; a page at a time, sorted.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult, Value};

use access::auth::Reach;
use platform::error::AppResult;
use platform::sql::stmt;
use registry::accounts::word_query;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub id: i64,
    pub account_id: i64,
    pub account_number: String,
    pub holder_name: String,
    pub address: String,
    /// The booking period (of the receipt date), first day.
    pub period: NaiveDate,
    pub charge_period: NaiveDate,
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    pub received_on: NaiveDate,
    /// bank or cash_desk.
    pub kind: String,
    pub bank_id: Option<i32>,
    pub bank_name: Option<String>,
    pub statement: Option<String>,
    pub batch_id: Option<i64>,
    pub batch_number: Option<String>,
    pub file_id: Option<i64>,
    pub file_name: Option<String>,
    /// engine, proportional, priority or manual.
    pub split: String,
    /// "service: amount; …" as split when entered.
    pub lines: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The data-update act (its number) that closes this payment of a closed month while
    /// it is approved (the closed invoice keeps the payment; the act books it back).
    pub cancelled_by_act: Option<String>,
}

/// Where a payment came from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize,
)]
#[graphql(name = "PaymentSource")]
pub enum Source {
    /// Typed at the bank's statement.
    Bank,
    CashDesk,
    Batch,
    File,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize,
)]
pub enum PaymentSort {
    ReceivedDesc,
    ReceivedAsc,
    AmountDesc,
    AmountAsc,
    Account,
}

#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    async_graphql::InputObject,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PaymentFilter {
    /// Words of the account's number, holder or address.
    pub subscriber: Option<String>,
    pub account_id: Option<i64>,
    pub source: Option<Source>,
    pub bank_id: Option<i32>,
    pub batch_id: Option<i64>,
    pub file_id: Option<i64>,
    /// Booking periods, YYYY-MM, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    #[graphql(default)]
    pub with_cancelled: bool,
}

#[derive(Debug, Clone, Default, async_graphql::SimpleObject, FromQueryResult)]
pub struct Totals {
    /// Live payments found (cancelled ones are listed but not summed).
    pub count: i64,
    pub amount: Decimal,
}

const COLUMNS: &str = "SELECT p.id, p.account_id, a.number AS account_number, a.holder_name, a.address, p.period, \
        p.charge_period, p.amount, p.paid_on, p.received_on, p.kind, p.bank_id, b.name AS bank_name, p.statement, \
        p.batch_id, pb.number AS batch_number, p.file_id, pf.file_name, p.split, \
        (SELECT string_agg(s.name || ': ' || u.amount, '; ' ORDER BY s.code) \
           FROM unnest(p.part_services, p.part_amounts) AS u(service_id, amount) \
           JOIN services s ON s.id = u.service_id) AS lines, \
        p.created_at, p.created_by, p.cancelled_at, \
        (SELECT x.number::text FROM acts x WHERE x.id = p.cancelled_by_act) AS cancelled_by_act";

const FROM: &str = " FROM payments p JOIN accounts a ON a.id = p.account_id LEFT JOIN banks b ON b.id = p.bank_id \
     LEFT JOIN payment_batches pb ON pb.id = p.batch_id LEFT JOIN payment_files pf ON pf.id = p.file_id";

fn period(text: Option<&str>, field: &str) -> AppResult<Option<NaiveDate>> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<Period>()
                .map(Period::first_day)
                .map_err(|_| platform::error::AppError::validation(field, "must look like 2026-11"))
        })
        .transpose()
}

/// The WHERE clause and its values ($1…).
fn filter(f: &PaymentFilter, reach: &Reach) -> AppResult<(String, Vec<Value>)> {
    let mut w = vec!["true".to_owned()];
    let mut v: Vec<Value> = Vec::new();
    let mut bind = |w: &mut Vec<String>, cond: &str, value: Value| {
        v.push(value);
        w.push(cond.replace('?', &format!("${}", v.len())));
    };
    if let Some(q) = f.subscriber.as_deref().and_then(word_query) {
        bind(&mut w, "a.search @@ to_tsquery('simple', ?)", q.into());
    }
    if let Some(a) = f.account_id {
        bind(&mut w, "p.account_id = ?", a.into());
    }
    match f.source {
        Some(Source::Bank) => {
            w.push("p.kind = 'bank' AND p.batch_id IS NULL AND p.file_id IS NULL".into())
        }
        Some(Source::CashDesk) => w.push("p.kind = 'cash_desk' AND p.batch_id IS NULL".into()),
        Some(Source::Batch) => w.push("p.batch_id IS NOT NULL".into()),
        Some(Source::File) => w.push("p.file_id IS NOT NULL".into()),
        None => {}
    }
    if let Some(b) = f.bank_id {
        bind(&mut w, "p.bank_id = ?", b.into());
    }
    if let Some(b) = f.batch_id {
        bind(&mut w, "p.batch_id = ?", b.into());
    }
    if let Some(b) = f.file_id {
        bind(&mut w, "p.file_id = ?", b.into());
    }
    if let Some(d) = period(f.from.as_deref(), "from")? {
        bind(&mut w, "p.period >= ?", d.into());
    }
    if let Some(d) = period(f.to.as_deref(), "to")? {
        bind(&mut w, "p.period <= ?", d.into());
    }
    if !f.with_cancelled {
        w.push("p.cancelled_at IS NULL".into());
    }
    if let Some(c) = reach.account_condition_of("a") {
        w.push(c);
    }
    Ok((w.join(" AND "), v))
}

/// A page of payments with the totals of everything found.
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    f: &PaymentFilter,
    sort: PaymentSort,
    offset: u64,
    limit: u64,
) -> AppResult<(Totals, Vec<PaymentView>)> {
    let (cond, values) = filter(f, reach)?;
    let totals = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) FILTER (WHERE p.cancelled_at IS NULL) AS count, \
                    coalesce(sum(p.amount) FILTER (WHERE p.cancelled_at IS NULL), 0) AS amount \
             FROM payments p JOIN accounts a ON a.id = p.account_id WHERE {cond}"
        ),
        values.clone(),
    ))
    .one(txn)
    .await?
    .unwrap_or_default();
    let order = match sort {
        PaymentSort::ReceivedDesc => "p.received_on DESC, p.id DESC",
        PaymentSort::ReceivedAsc => "p.received_on, p.id",
        PaymentSort::AmountDesc => "p.amount DESC, p.id DESC",
        PaymentSort::AmountAsc => "p.amount, p.id",
        PaymentSort::Account => "a.number, p.id",
    };
    let n = values.len();
    let mut values = values;
    values.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
    values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let rows = PaymentView::find_by_statement(stmt(
        &format!(
            "{COLUMNS}{FROM} WHERE {cond} ORDER BY {order} OFFSET ${} LIMIT ${}",
            n + 1,
            n + 2
        ),
        values,
    ))
    .all(txn)
    .await?;
    Ok((totals, rows))
}

/// One payment by id within the filter (None: not found or out of reach).
pub async fn list_one(
    txn: &DatabaseTransaction,
    reach: &Reach,
    f: &PaymentFilter,
    id: i64,
) -> AppResult<Option<PaymentView>> {
    let (cond, mut values) = filter(f, reach)?;
    values.push(id.into());
    let row = PaymentView::find_by_statement(stmt(
        &format!("{COLUMNS}{FROM} WHERE {cond} AND p.id = ${}", values.len()),
        values,
    ))
    .one(txn)
    .await?;
    Ok(row)
}
