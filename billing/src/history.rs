//! An account's history (seed 000 Fig. 8, «История»): its operations over a range of
//! periods, newest first — the charges, recalculations, benefits, subsidies and penalties
//! of its invoices' lines, one row per service, and the payments booked in those periods
//! with their document — filtered by kind and service, paged, with the sum of what is
//! found.
//!
//! Each row's amount is signed by what it does to the balance: charges, recalculations
//! and penalties add (a negative recalculation takes away), benefits, subsidies and
//! payments take away. A payment is one row; asked for one service, a payment split by
//! hand shows that service's part and a payment the calculation split is left out (its
//! share is in the invoice line's `paid`). Cancelled payments stay, marked.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// What an operation of the history is.
#[derive(
    async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize,
)]
pub enum HistoryKind {
    Charge,
    Recalculation,
    Benefit,
    Subsidy,
    Penalty,
    Payment,
}

impl HistoryKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Charge => "charge",
            Self::Recalculation => "recalculation",
            Self::Benefit => "benefit",
            Self::Subsidy => "subsidy",
            Self::Penalty => "penalty",
            Self::Payment => "payment",
        }
    }

    fn of(code: &str) -> Self {
        match code {
            "recalculation" => Self::Recalculation,
            "benefit" => Self::Benefit,
            "subsidy" => Self::Subsidy,
            "penalty" => Self::Penalty,
            "payment" => Self::Payment,
            _ => Self::Charge,
        }
    }
}

/// One operation.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct HistoryRow {
    pub kind: HistoryKind,
    /// The day of the operation: a payment's receipt, an invoice line's month (its 1st).
    pub on: NaiveDate,
    /// The period it is booked in (the 1st of the month).
    pub period: NaiveDate,
    pub service_id: Option<i32>,
    pub service: Option<String>,
    /// Signed by its effect on the balance (see the module).
    pub amount: Decimal,
    /// A payment's source (`bank`, `cash_desk`).
    pub source: Option<String>,
    /// A payment's document: the bank and the statement.
    pub document: Option<String>,
    pub cancelled: bool,
}

#[derive(FromQueryResult)]
struct Found {
    kind: String,
    on_day: NaiveDate,
    period: NaiveDate,
    service_id: Option<i32>,
    service: Option<String>,
    amount: Decimal,
    source: Option<String>,
    document: Option<String>,
    cancelled: bool,
    total: i64,
    sum: Decimal,
}

/// The history's filter as a client sends it (months as `YYYY-MM`), and as an export job
/// keeps it.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    async_graphql::InputObject,
)]
#[serde(rename_all = "camelCase")]
pub struct HistoryFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub kinds: Option<Vec<HistoryKind>>,
    pub service_id: Option<i32>,
}

impl HistoryFilter {
    /// The filter checked: months that are months, `to` not before `from`.
    pub fn parse(&self) -> AppResult<Filter> {
        let period = |field: &str, text: &Option<String>| {
            text.as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    t.trim()
                        .parse::<domain::Period>()
                        .map(domain::Period::first_day)
                        .map_err(|_| AppError::validation(field, "must look like 2026-11"))
                })
                .transpose()
        };
        let filter = Filter {
            from: period("from", &self.from)?,
            to: period("to", &self.to)?,
            kinds: self.kinds.clone().unwrap_or_default(),
            service_id: self.service_id,
        };
        if let (Some(f), Some(t)) = (filter.from, filter.to)
            && t < f
        {
            return Err(AppError::validation("to", "must not be before the start"));
        }
        Ok(filter)
    }
}

/// What the history is asked for: periods `from`–`to` (their 1st days, both optional),
/// the kinds (empty: all), one service.
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kinds: Vec<HistoryKind>,
    pub service_id: Option<i32>,
}

/// A page of the history, the number of rows found and their sum.
pub struct Page {
    pub total: i64,
    pub sum: Decimal,
    pub items: Vec<HistoryRow>,
}

// The lines' five amounts unpivoted, and the payments; the filters apply to both. The
// lines are reached through the account's invoices (keyed by account) and then by their
// own key (period, account): `invoice_lines` has no index by account — a million
// accounts' calculation writes it — so asking it by account alone would read it whole.
const SQL: &str = "\
WITH h AS (
  SELECT k.kind, l.period AS on_day, l.period, l.service_id, s.name AS service, k.amount,
         NULL::text AS source, NULL::text AS document, false AS cancelled, k.ord, 0::bigint AS id
    FROM invoices i
    JOIN invoice_lines l ON l.period = i.period AND l.account_id = i.account_id
    JOIN services s ON s.id = l.service_id
    CROSS JOIN LATERAL (VALUES ('charge', l.charged, 1), ('recalculation', l.recalculation, 2),
                               ('benefit', -l.benefit, 3), ('subsidy', -l.subsidy, 4),
                               ('penalty', l.penalty, 5)) AS k(kind, amount, ord)
   WHERE i.account_id = $1 AND k.amount <> 0
     AND ($2::date IS NULL OR i.period >= $2) AND ($3::date IS NULL OR i.period <= $3)
     AND ($5::int IS NULL OR l.service_id = $5)
  UNION ALL
  SELECT 'payment', p.received_on, p.period, $5::int, s.name,
         -(CASE WHEN $5::int IS NULL THEN p.amount
                ELSE p.part_amounts[array_position(p.part_services, $5::int)] END),
         p.kind, nullif(concat_ws(' · ', b.name, p.statement), ''), p.cancelled_at IS NOT NULL, 6, p.id
    FROM payments p
    LEFT JOIN banks b ON b.id = p.bank_id
    LEFT JOIN services s ON s.id = $5::int
   WHERE p.account_id = $1
     AND ($2::date IS NULL OR p.period >= $2) AND ($3::date IS NULL OR p.period <= $3)
     AND ($5::int IS NULL OR array_position(p.part_services, $5::int) IS NOT NULL)
)
SELECT kind, on_day, period, service_id, service, amount, source, document, cancelled,
       count(*) OVER () AS total,
       coalesce(sum(amount) FILTER (WHERE NOT cancelled) OVER (), 0) AS sum
  FROM h
 WHERE $4::text IS NULL OR kind = ANY (string_to_array($4, ','))
 ORDER BY on_day DESC, ord, service, id DESC
 OFFSET $6 LIMIT $7";

/// The account's history as `filter` asks, rows `offset`.. (at most `limit`).
pub async fn page(
    txn: &DatabaseTransaction,
    account_id: i64,
    filter: &Filter,
    offset: u64,
    limit: u64,
) -> AppResult<Page> {
    let kinds = (!filter.kinds.is_empty()).then(|| {
        filter
            .kinds
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(",")
    });
    let rows = Found::find_by_statement(stmt(
        SQL,
        vec![
            account_id.into(),
            filter.from.into(),
            filter.to.into(),
            kinds.into(),
            filter.service_id.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    let (total, sum) = rows
        .first()
        .map_or((0, Decimal::ZERO), |r| (r.total, r.sum));
    // A page past the end has no row to carry the count: ask again from the start.
    if rows.is_empty() && offset > 0 {
        let whole = Box::pin(page(txn, account_id, filter, 0, 1)).await?;
        return Ok(Page {
            total: whole.total,
            sum: whole.sum,
            items: Vec::new(),
        });
    }
    let items = rows
        .into_iter()
        .map(|r| HistoryRow {
            kind: HistoryKind::of(&r.kind),
            on: r.on_day,
            period: r.period,
            service_id: r.service_id,
            service: r.service,
            amount: r.amount,
            source: r.source,
            document: r.document,
            cancelled: r.cancelled,
        })
        .collect();
    Ok(Page { total, sum, items })
}
