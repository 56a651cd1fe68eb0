//! Payment batches (пачки, seed 001 §4.7.3): a number, a date (the receipt date of all its
//! payments, inside the open period), a payment type and control count and sum. Rows are
//! entered by account number while the batch is a draft; posting — only when the rows
//! match the control figures — turns them into payments; cancelling cancels those; a
//! cancelled batch may be deleted.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::payments::{self, DateRules};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::entry::{self, Kind, NewId, NewPayment};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchView {
    pub id: i64,
    pub number: String,
    pub batch_date: NaiveDate,
    pub kind: String,
    pub bank_id: Option<i32>,
    pub bank_name: Option<String>,
    pub control_count: i32,
    pub control_sum: Decimal,
    pub comment: Option<String>,
    /// draft (green: editable), posted, cancelled (red: may be deleted).
    pub state: String,
    /// Rows entered and their sum.
    pub entered_count: i64,
    pub entered_sum: Decimal,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub posted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItemView {
    pub line: i32,
    pub account_id: i64,
    pub account_number: String,
    pub holder_name: String,
    pub address: String,
    pub charge_period: NaiveDate,
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    /// The opening balance of the paid period's invoice (what the row was entered against).
    pub opening: Option<Decimal>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct BatchInput {
    pub number: String,
    pub batch_date: NaiveDate,
    pub kind: Kind,
    pub bank_id: Option<i32>,
    pub control_count: i32,
    /// Text: 1234.56 or 1234,56.
    pub control_sum: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct BatchItemInput {
    pub account_number: String,
    /// YYYY-MM; default: the period before the open one.
    pub charge_period: Option<String>,
    pub amount: String,
    pub paid_on: NaiveDate,
}

const SELECT: &str = "SELECT pb.id, pb.number, pb.batch_date, pb.kind, pb.bank_id, b.name AS bank_name, pb.control_count, \
        pb.control_sum, pb.comment, pb.state, \
        (SELECT count(*) FROM payment_batch_items i WHERE i.batch_id = pb.id) AS entered_count, \
        (SELECT coalesce(sum(i.amount), 0) FROM payment_batch_items i WHERE i.batch_id = pb.id) AS entered_sum, \
        pb.created_at, pb.created_by, pb.posted_at \
     FROM payment_batches pb LEFT JOIN banks b ON b.id = pb.bank_id";

/// The condition, on `payment_batches pb`, that a reach-limited user sees the batch: every
/// row of it is an account within reach (a batch is one document; a part of it is not
/// shown). None: all.
fn within(reach: &Reach) -> Option<String> {
    reach.account_condition_of("ra").map(|c| {
        format!(
            "NOT EXISTS (SELECT 1 FROM payment_batch_items ri JOIN accounts ra ON ra.id = ri.account_id \
                         WHERE ri.batch_id = pb.id AND NOT {c})"
        )
    })
}

/// NOT_FOUND unless the batch is the user's to see.
pub async fn check_reach(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<()> {
    let Some(c) = within(reach) else {
        return Ok(());
    };
    let seen = txn
        .execute_raw(stmt(
            &format!("SELECT 1 FROM payment_batches pb WHERE pb.id = $1 AND {c}"),
            vec![id.into()],
        ))
        .await?
        .rows_affected();
    if seen == 0 {
        return Err(AppError::NotFound(format!("batch {id} does not exist")));
    }
    Ok(())
}

pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    state: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<BatchView>> {
    let within = within(reach)
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Ok(BatchView::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE ($1::text IS NULL OR pb.state = $1){within} ORDER BY pb.batch_date DESC, pb.id DESC OFFSET $2 LIMIT $3"
        ),
        vec![
            state.map(str::to_owned).into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?)
}

pub async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<BatchView> {
    BatchView::find_by_statement(stmt(&format!("{SELECT} WHERE pb.id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("batch {id} does not exist")))
}

pub async fn items(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<BatchItemView>> {
    Ok(BatchItemView::find_by_statement(stmt(
        "SELECT i.line, i.account_id, a.number AS account_number, a.holder_name, a.address, i.charge_period, \
                i.amount, i.paid_on, \
                (SELECT v.opening FROM invoices v WHERE v.account_id = i.account_id AND v.period = i.charge_period) AS opening \
         FROM payment_batch_items i JOIN accounts a ON a.id = i.account_id WHERE i.batch_id = $1 ORDER BY i.line",
        vec![id.into()],
    ))
    .all(txn)
    .await?)
}

fn money(field: &str, text: &str) -> AppResult<Decimal> {
    let v = super::file::parse_amount(text)
        .ok_or_else(|| AppError::validation(field, "must be a number such as 1234.56"))?;
    payments::check_amount("amount", v).map_err(|r| AppError::validation(field, r.rule))
}

fn check_head(rules: DateRules, b: &BatchInput) -> AppResult<(String, Decimal)> {
    let number = b.number.trim();
    if number.is_empty() || number.chars().count() > 40 {
        return Err(AppError::validation("number", "must be 1 to 40 characters"));
    }
    if b.batch_date < rules.open.first_day() || b.batch_date > rules.open.last_day() {
        return Err(AppError::validation(
            "batchDate",
            format!("must lie in the open period {}", rules.open),
        ));
    }
    if b.control_count < 1 {
        return Err(AppError::validation("controlCount", "must be at least 1"));
    }
    match (b.kind, b.bank_id) {
        (Kind::Bank, None) => Err(AppError::validation(
            "bankId",
            "is required for a bank payment",
        )),
        (Kind::CashDesk, Some(_)) => Err(AppError::validation(
            "bankId",
            "must be empty for a cash-desk payment",
        )),
        _ => Ok((number.to_owned(), money("controlSum", &b.control_sum)?)),
    }
}

/// A new draft batch.
pub async fn create(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    b: &BatchInput,
) -> AppResult<i64> {
    let (rules, _) = entry::rules(txn).await?;
    let (number, sum) = check_head(rules, b)?;
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO payment_batches (number, batch_date, kind, bank_id, control_count, control_sum, comment, \
                                      created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        vec![
            number.clone().into(),
            b.batch_date.into(),
            b.kind.code().into(),
            b.bank_id.into(),
            b.control_count.into(),
            sum.into(),
            platform::sql::optional_text(b.comment.as_deref(), "comment", 500)?.into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no id returned".into()))?
    .id;
    audit_batch(
        txn,
        actor,
        now,
        id,
        "create",
        None,
        Some(
            json!({"number": number, "batchDate": b.batch_date, "kind": b.kind.code(),
                "bankId": b.bank_id, "controlCount": b.control_count, "controlSum": sum}),
        ),
    )
    .await?;
    Ok(id)
}

/// The batch, its row locked for the rest of the transaction.
async fn locked(txn: &DatabaseTransaction, id: i64) -> AppResult<BatchView> {
    txn.execute_raw(stmt(
        "SELECT 1 FROM payment_batches WHERE id = $1 FOR UPDATE",
        vec![id.into()],
    ))
    .await?;
    by_id(txn, id).await
}

async fn draft(txn: &DatabaseTransaction, id: i64) -> AppResult<BatchView> {
    let b = locked(txn, id).await?;
    if b.state != "draft" {
        return Err(AppError::Conflict(format!(
            "batch {} is {}; only a draft batch can be changed",
            b.number, b.state
        )));
    }
    Ok(b)
}

#[derive(FromQueryResult)]
struct AccountId {
    id: i64,
    number: String,
}

/// Replaces the rows of a draft batch (the grid as entered). Each row is checked by the
/// payment rules now, with the field named by its row (`items[2].paidOn`).
pub async fn set_items(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    rows: &[BatchItemInput],
) -> AppResult<()> {
    let b = draft(txn, id).await?;
    let (rules, _) = entry::rules(txn).await?;
    if rows.len() > 10_000 {
        return Err(AppError::validation(
            "items",
            "a batch holds at most 10000 rows",
        ));
    }
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| r.account_number.trim().to_owned())
        .collect();
    let within = reach
        .account_condition()
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let found = AccountId::find_by_statement(stmt(
        &format!("SELECT id, number FROM accounts WHERE number = ANY($1){within}"),
        vec![numbers.clone().into()],
    ))
    .all(txn)
    .await?;
    let (mut accounts, mut periods, mut amounts, mut dates) = (vec![], vec![], vec![], vec![]);
    for (i, r) in rows.iter().enumerate() {
        let at = |f: &str| format!("items[{i}].{f}");
        let account = found
            .iter()
            .find(|a| a.number == numbers[i])
            .ok_or_else(|| AppError::validation(at("accountNumber"), "account not found"))?;
        let charge = match r
            .charge_period
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => rules.open.prev(),
            Some(t) => t
                .parse::<Period>()
                .map_err(|_| AppError::validation(at("chargePeriod"), "must look like 2026-11"))?,
        };
        let amount = money(&at("amount"), &r.amount)?;
        payments::check_dates(rules, charge, r.paid_on, b.batch_date)
            .map_err(|e| AppError::validation(at(e.field), e.rule))?;
        accounts.push(account.id);
        periods.push(charge.first_day());
        amounts.push(amount);
        dates.push(r.paid_on);
    }
    txn.execute_raw(stmt(
        "DELETE FROM payment_batch_items WHERE batch_id = $1",
        vec![id.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "INSERT INTO payment_batch_items (batch_id, line, account_id, charge_period, amount, paid_on) \
         SELECT $1, n::int, a, p, x, d FROM unnest($2::bigint[], $3::date[], $4::numeric[], $5::date[]) \
         WITH ORDINALITY AS t(a, p, x, d, n)",
        vec![
            id.into(),
            accounts.into(),
            periods.into(),
            amounts.clone().into(),
            dates.into(),
        ],
    ))
    .await?;
    audit_batch(
        txn,
        actor,
        now,
        id,
        "update",
        Some(json!({"rows": b.entered_count, "sum": b.entered_sum})),
        Some(json!({"rows": rows.len(), "sum": amounts.iter().copied().sum::<Decimal>()})),
    )
    .await
}

/// Posts a draft batch whose rows match its control count and sum: each row becomes a
/// payment (split by the tenant's rule), all or none.
pub async fn post(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<usize> {
    let b = draft(txn, id).await?;
    if b.entered_count != i64::from(b.control_count) {
        return Err(AppError::validation(
            "controlCount",
            format!(
                "the batch has {} rows, its control count is {}",
                b.entered_count, b.control_count
            ),
        ));
    }
    if b.entered_sum != b.control_sum {
        return Err(AppError::validation(
            "controlSum",
            format!(
                "the rows add up to {}, the control sum is {}",
                b.entered_sum, b.control_sum
            ),
        ));
    }
    let (rules, split) = entry::rules(txn).await?;
    let kind = if b.kind == "cash_desk" {
        Kind::CashDesk
    } else {
        Kind::Bank
    };
    let rows = items(txn, id).await?;
    for (i, r) in rows.iter().enumerate() {
        let charge =
            Period::containing(r.charge_period).map_err(|e| AppError::Internal(e.to_string()))?;
        entry::write(
            txn,
            actor,
            now,
            (rules, &split),
            NewPayment {
                account_id: r.account_id,
                charge_period: charge,
                amount: r.amount,
                kind,
                bank_id: b.bank_id,
                statement: Some(b.number.clone()),
                paid_on: r.paid_on,
                received_on: b.batch_date,
                split: None,
                batch_id: Some(id),
                file: None,
                source_key: None,
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Validation { field, message } => {
                AppError::validation(format!("items[{i}].{field}"), message)
            }
            e => e,
        })?;
    }
    txn.execute_raw(stmt(
        "UPDATE payment_batches SET state = 'posted', posted_at = $2 WHERE id = $1",
        vec![id.into(), now.into()],
    ))
    .await?;
    audit_batch(
        txn,
        actor,
        now,
        id,
        "post",
        None,
        Some(json!({"payments": rows.len(), "sum": b.entered_sum})),
    )
    .await?;
    Ok(rows.len())
}

#[derive(FromQueryResult)]
struct Live {
    id: i64,
}

/// Cancels a batch: its payments (all in the open period, else PERIOD_CLOSED) are cancelled.
pub async fn cancel(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let b = locked(txn, id).await?;
    if b.state == "cancelled" {
        return Err(AppError::Conflict(format!(
            "batch {} is already cancelled",
            b.number
        )));
    }
    let live = Live::find_by_statement(stmt(
        "SELECT id FROM payments WHERE batch_id = $1 AND cancelled_at IS NULL ORDER BY id",
        vec![id.into()],
    ))
    .all(txn)
    .await?;
    for p in &live {
        entry::cancel(txn, actor, now, p.id).await?;
    }
    txn.execute_raw(stmt(
        "UPDATE payment_batches SET state = 'cancelled', cancelled_at = $2 WHERE id = $1",
        vec![id.into(), now.into()],
    ))
    .await?;
    audit_batch(
        txn,
        actor,
        now,
        id,
        "cancel",
        Some(json!({"state": b.state})),
        Some(json!({"state": "cancelled", "payments": live.len()})),
    )
    .await
}

/// Deletes a cancelled batch (its cancelled payments stay, no longer linked to it).
pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let b = by_id(txn, id).await?;
    if b.state != "cancelled" {
        return Err(AppError::Conflict(format!(
            "batch {} is {}; cancel it before deleting it",
            b.number, b.state
        )));
    }
    txn.execute_raw(stmt(
        "DELETE FROM payment_batches WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    audit_batch(
        txn,
        actor,
        now,
        id,
        "delete",
        Some(serde_json::to_value(&b).unwrap_or_default()),
        None,
    )
    .await
}

/// One audit row of a batch's life.
#[allow(clippy::too_many_arguments)]
async fn audit_batch(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AppResult<()> {
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "payment_batch",
            entity_id: id.to_string(),
            action,
            before,
            after,
        },
    )
    .await
}
