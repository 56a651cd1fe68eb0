//! One payment written or cancelled: the date rules of the open period, the split over
//! the paid invoice's services, the row and its parts, the audit. Batches, files and the
//! hand-matching of a file's row all write through `write`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::payments::{self, DateRules, Due, Refusal, Split};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use metering::readings;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use registry::counters;

/// Bank or cash desk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize,
)]
#[graphql(name = "PaymentKind")]
pub enum Kind {
    Bank,
    CashDesk,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Bank => "bank",
            Kind::CashDesk => "cash_desk",
        }
    }
}

/// A payment about to be written (dates and amount not yet checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub account_id: i64,
    pub charge_period: Period,
    pub amount: Decimal,
    pub kind: Kind,
    pub bank_id: Option<i32>,
    pub statement: Option<String>,
    pub paid_on: NaiveDate,
    pub received_on: NaiveDate,
    /// None: the tenant's rule (proportional or by priority).
    pub split: Option<Split>,
    pub batch_id: Option<i64>,
    pub file: Option<(i64, i32)>,
    pub source_key: Option<String>,
}

/// A refusal of the pure rules as a validation error naming the field.
pub fn refused(r: Refusal) -> AppError {
    AppError::validation(r.field, r.rule)
}

#[derive(FromQueryResult)]
struct RulesRow {
    penalty_rule: String,
    payment_split: String,
}

/// The open period (held open for the transaction), whether penalty accounting is on, and
/// the tenant's split rule.
pub async fn rules(txn: &DatabaseTransaction) -> AppResult<(DateRules, Split)> {
    let open = readings::current_open(txn).await?;
    // Every payment writer asks for the rules first: the period is held open from here to
    // the end of its transaction.
    periods::hold(txn, open).await?;
    let s = RulesRow::find_by_statement(stmt(
        "SELECT penalty_rule, payment_split FROM billing_settings",
        vec![],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("billing settings are missing".into()))?;
    let split = if s.payment_split == "priority" {
        Split::Priority
    } else {
        Split::Proportional
    };
    Ok((
        DateRules {
            open,
            penalty_on: s.penalty_rule != "off",
        },
        split,
    ))
}

#[derive(FromQueryResult)]
struct DueRow {
    account_id: i64,
    service_id: i32,
    closing: Decimal,
    payment_priority: Option<i32>,
}

/// What the invoices of `charge` ask per service, for each of `accounts`.
pub async fn dues(
    txn: &DatabaseTransaction,
    accounts: &[i64],
    charge: Period,
) -> AppResult<std::collections::HashMap<i64, Vec<Due>>> {
    let rows = DueRow::find_by_statement(stmt(
        "SELECT l.account_id, l.service_id, l.closing, s.payment_priority \
         FROM invoice_lines l JOIN services s ON s.id = l.service_id \
         WHERE l.period = $1 AND l.account_id = ANY($2) ORDER BY l.account_id, l.service_id",
        vec![charge.first_day().into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?;
    let mut out: std::collections::HashMap<i64, Vec<Due>> = std::collections::HashMap::new();
    for r in rows {
        out.entry(r.account_id).or_default().push(Due {
            service_id: r.service_id,
            amount: r.closing,
            priority: r.payment_priority,
        });
    }
    Ok(out)
}

/// Checks the payment against the rules, splits it, writes it with its parts and audits
/// it; returns its id.
pub async fn write(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    rules: (DateRules, &Split),
    p: NewPayment,
) -> AppResult<i64> {
    let amount = payments::check_amount("amount", p.amount).map_err(refused)?;
    payments::check_dates(rules.0, p.charge_period, p.paid_on, p.received_on).map_err(refused)?;
    match (p.kind, p.bank_id) {
        (Kind::Bank, None) if p.file.is_none() => {
            return Err(AppError::validation(
                "bankId",
                "is required for a bank payment",
            ));
        }
        (Kind::CashDesk, Some(_)) => {
            return Err(AppError::validation(
                "bankId",
                "must be empty for a cash-desk payment",
            ));
        }
        _ => {}
    }
    let how = p.split.clone().unwrap_or_else(|| rules.1.clone());
    let due = dues(txn, &[p.account_id], p.charge_period).await?;
    let due = due
        .get(&p.account_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if let Split::Manual(parts) = &how
        && let Some((sid, _)) = parts
            .iter()
            .find(|(s, a)| !a.is_zero() && !due.iter().any(|d| d.service_id == *s))
    {
        return Err(AppError::validation(
            "lines",
            format!(
                "service {sid} is not on the account's invoice for {}",
                p.charge_period
            ),
        ));
    }
    let parts = payments::allocate(amount, due, &how).map_err(refused)?;
    let split_code = if parts.is_empty() {
        "engine"
    } else {
        how.code()
    };
    let (services, amounts): (Vec<i32>, Vec<Decimal>) = parts.iter().copied().unzip();
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO payments (account_id, period, charge_period, amount, paid_on, received_on, kind, bank_id, \
                               statement, batch_id, file_id, file_line, source_key, split, created_at, created_by, \
                               part_services, part_amounts) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 nullif($17::int[], '{}'), nullif($18::numeric[], '{}')) RETURNING id",
        vec![
            p.account_id.into(),
            rules.0.open.first_day().into(),
            p.charge_period.first_day().into(),
            amount.into(),
            p.paid_on.into(),
            p.received_on.into(),
            p.kind.code().into(),
            p.bank_id.into(),
            p.statement.clone().into(),
            p.batch_id.into(),
            p.file.map(|f| f.0).into(),
            p.file.map(|f| f.1).into(),
            p.source_key.clone().into(),
            split_code.into(),
            now.into(),
            actor.login.clone().into(),
            services.into(),
            amounts.into(),
        ],
    ))
    .one(txn)
    .await
    .map_err(|e| duplicate_or(e.into()))?
    .ok_or_else(|| AppError::Internal("no id returned".into()))?
    .id;
    counters::shift_balances(txn, &[p.account_id], &[-amount]).await?;
    periods::touches::accounts(txn, rules.0.open, &[p.account_id]).await?;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "payment",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(json!({
                "accountId": p.account_id, "chargePeriod": p.charge_period.to_string(),
                "amount": amount, "kind": p.kind.code(), "bankId": p.bank_id, "statement": p.statement,
                "paidOn": p.paid_on, "receivedOn": p.received_on, "split": split_code,
                "lines": parts.iter().map(|(s, a)| json!({"serviceId": s, "amount": a})).collect::<Vec<_>>(),
                "batchId": p.batch_id, "fileId": p.file.map(|f| f.0),
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The unique index on `source_key` met: the same payment is already paid.
fn duplicate_or(e: AppError) -> AppError {
    match &e {
        AppError::Db(m) if m.contains("payments_source_key") => {
            AppError::Conflict("this payment is already loaded".into())
        }
        _ => e,
    }
}

#[derive(FromQueryResult)]
pub(crate) struct NewId {
    pub id: i64,
}

#[derive(FromQueryResult)]
struct Cancellable {
    account_id: i64,
    amount: Decimal,
    period: NaiveDate,
    cancelled: bool,
    state: Option<String>,
}

/// Cancels a live payment of the open period (a closed period's payments stay; the past
/// is changed by acts).
pub async fn cancel(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let c = Cancellable::find_by_statement(stmt(
        "SELECT p.account_id, p.amount, p.period, p.cancelled_at IS NOT NULL AS cancelled, \
                (SELECT state FROM periods WHERE month = p.period FOR SHARE) AS state \
         FROM payments p WHERE p.id = $1 FOR UPDATE OF p",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("payment {id} does not exist")))?;
    if c.cancelled {
        return Err(AppError::Conflict(format!(
            "payment {id} is already cancelled"
        )));
    }
    if c.state.as_deref() != Some("open") {
        let p = Period::containing(c.period).map_err(|e| AppError::Internal(e.to_string()))?;
        return Err(AppError::PeriodClosed(format!(
            "payment {id} is booked in the closed period {p}; change it through an act"
        )));
    }
    txn.execute_raw(stmt(
        "UPDATE payments SET cancelled_at = $2 WHERE id = $1",
        vec![id.into(), now.into()],
    ))
    .await?;
    counters::shift_balances(txn, &[c.account_id], &[c.amount]).await?;
    let booked = Period::containing(c.period).map_err(|e| AppError::Internal(e.to_string()))?;
    periods::touches::accounts(txn, booked, &[c.account_id]).await?;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "payment",
            entity_id: id.to_string(),
            action: "cancel",
            before: None,
            after: Some(json!({ "cancelledAt": now })),
        },
    )
    .await
}

/// What an operator sees when typing an account number into a payment: the account and
/// the invoice of the paid period (seed 001 §4.7.3: "the previous period's invoice is
/// pulled in").
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueView {
    pub account_id: i64,
    pub account_number: String,
    pub holder_name: String,
    pub address: String,
    pub charge_period: NaiveDate,
    /// The invoice's opening balance and what it asks (closing); None: no invoice.
    pub opening: Option<Decimal>,
    pub due: Option<Decimal>,
    /// Already paid for that period (live payments).
    pub paid: Decimal,
}

/// The account `number` (within reach) and its invoice of the paid period: `charge` when
/// the user chose one, else `fallback` (the previous period, seed 001 §4.7.3) when the
/// account has an invoice of it, else its latest invoice not after `open` (a new account's
/// first, the only one it has), else `fallback`.
pub async fn due_view(
    txn: &DatabaseTransaction,
    reach: &access::auth::Reach,
    number: &str,
    charge: Option<Period>,
    open: Period,
    fallback: Period,
) -> AppResult<DueView> {
    let within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    DueView::find_by_statement(stmt(
        &format!(
            "SELECT a.id AS account_id, a.number AS account_number, a.holder_name, a.address, c.period AS charge_period, \
                    v.opening, v.closing AS due, \
                    (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.account_id = a.id \
                       AND p.charge_period = c.period AND p.cancelled_at IS NULL) AS paid \
             FROM accounts a \
             CROSS JOIN LATERAL (SELECT coalesce($2::date, \
                 (SELECT i.period FROM invoices i WHERE i.account_id = a.id AND i.period = $4::date), \
                 (SELECT max(i.period) FROM invoices i WHERE i.account_id = a.id AND i.period <= $3), $4::date) AS period) c \
             LEFT JOIN invoices v ON v.account_id = a.id AND v.period = c.period \
             WHERE a.number = $1{within}"
        ),
        vec![
            number.trim().into(),
            charge.map(|c| c.first_day()).into(),
            open.first_day().into(),
            fallback.first_day().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("accountNumber", "account not found"))
}

/// What the invoice asks of one service, for a payment split by hand.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueLine {
    pub service_id: i32,
    pub code: String,
    pub name: String,
    /// The line's closing balance (what it asks); may be zero or negative.
    pub due: Decimal,
}

/// The services of the account's invoice of `charge`, in the payment order's code order.
pub async fn due_lines(
    txn: &DatabaseTransaction,
    account_id: i64,
    charge: NaiveDate,
) -> AppResult<Vec<DueLine>> {
    Ok(DueLine::find_by_statement(stmt(
        "SELECT l.service_id, s.code, s.name, sum(l.closing) AS due \
         FROM invoice_lines l JOIN services s ON s.id = l.service_id \
         WHERE l.account_id = $1 AND l.period = $2 GROUP BY l.service_id, s.code, s.name ORDER BY s.code",
        vec![account_id.into(), charge.into()],
    ))
    .all(txn)
    .await?)
}

/// The payment's parts per service.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentLineView {
    pub service_id: i32,
    pub service_name: String,
    pub amount: Decimal,
}

pub async fn lines(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<PaymentLineView>> {
    Ok(PaymentLineView::find_by_statement(stmt(
        "SELECT u.service_id, s.name AS service_name, u.amount \
         FROM payments p CROSS JOIN LATERAL unnest(p.part_services, p.part_amounts) AS u(service_id, amount) \
         JOIN services s ON s.id = u.service_id WHERE p.id = $1 ORDER BY s.code",
        vec![id.into()],
    ))
    .all(txn)
    .await?)
}
