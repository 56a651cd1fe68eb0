//! Payments of closed months closed by a data-update act (seed 002 «Додавання/закриття
//! оплат»): a payment booked in a closed month that should not have been (returned by the
//! bank, paid to the wrong account). The closed invoice keeps it as issued; the act books
//! its parts back into the open period as recalculation (the debt it paid is owed again),
//! and while the act is approved the payment is marked as cancelled by it.
//!
//! A payment's parts are the ones it was split into when entered; a payment left to the
//! calculation's split (`split = 'engine'`) takes back what its month's invoice shows as
//! paid, in proportion per service (largest remainder, to the kopeck). A payment that came
//! late for a closed month is not act news: it is entered as a payment of the open period
//! with its true payment date (the payment form allows a date in the month it pays).

use chrono::NaiveDate;
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::lines::Booked;
use crate::recalculation::Target;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// A payment of a closed month an act may close (the form's list), or one it closes.
#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult)]
pub struct ActPayment {
    pub payment_id: i64,
    pub account_id: i64,
    /// The month it is booked in (`YYYY-MM`).
    pub period: String,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    /// The act that closes it while approved (its number).
    pub cancelled_by: Option<String>,
}

const SELECT: &str = "SELECT p.id AS payment_id, p.account_id, to_char(p.period, 'YYYY-MM') AS period, \
                             p.paid_on, p.amount, x.number::text AS cancelled_by \
                      FROM payments p LEFT JOIN acts x ON x.id = p.cancelled_by_act";

/// The account's live payments booked in closed months, newest first (at most 200).
pub async fn closed_of(txn: &DatabaseTransaction, account: i64) -> AppResult<Vec<ActPayment>> {
    Ok(ActPayment::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE p.account_id = $1 AND p.cancelled_at IS NULL \
             AND EXISTS (SELECT 1 FROM periods WHERE month = p.period AND state = 'closed') \
             ORDER BY p.period DESC, p.paid_on DESC, p.id DESC LIMIT 200"
        ),
        vec![account.into()],
    ))
    .all(txn)
    .await?)
}

/// The payments the act closes.
pub async fn of_act(txn: &DatabaseTransaction, act: i64) -> AppResult<Vec<ActPayment>> {
    Ok(ActPayment::find_by_statement(stmt(
        &format!(
            "{SELECT} JOIN act_payments a ON a.payment_id = p.id WHERE a.act_id = $1 ORDER BY p.period, p.id"
        ),
        vec![act.into()],
    ))
    .all(txn)
    .await?)
}

/// A payment checked for closing: its month and what it books back per service.
#[derive(Debug, Clone, PartialEq)]
pub struct Closed {
    pub payment_id: i64,
    pub account_id: i64,
    pub period: Period,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    pub parts: Vec<(i32, Decimal)>,
}

#[derive(FromQueryResult)]
struct Row {
    account_id: i64,
    period: NaiveDate,
    paid_on: NaiveDate,
    amount: Decimal,
    live: bool,
    closed: bool,
    part_services: Option<Vec<i32>>,
    part_amounts: Option<Vec<Decimal>>,
    other_act: Option<String>,
}

#[derive(FromQueryResult)]
struct Paid {
    service_id: i32,
    paid: Decimal,
}

/// Checks the payments an act closes: each the act's account's, live, booked in a closed
/// month of the act's days, named by no other act; `except` is the act itself.
pub async fn parse(
    txn: &DatabaseTransaction,
    ids: &[i64],
    target: Target,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
) -> AppResult<Vec<Closed>> {
    let mut out: Vec<Closed> = Vec::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let Target::Account(account) = target else {
        return Err(AppError::validation(
            "cancelPayments",
            "a payment is an account's: make the act over that account",
        ));
    };
    for (i, id) in ids.iter().enumerate() {
        let field = format!("cancelPayments.{i}");
        if out.iter().any(|c| c.payment_id == *id) {
            return Err(AppError::validation(&field, "is named twice"));
        }
        let r = Row::find_by_statement(stmt(
            "SELECT p.account_id, p.period, p.paid_on, p.amount, p.cancelled_at IS NULL AS live, \
                    EXISTS (SELECT 1 FROM periods WHERE month = p.period AND state = 'closed') AS closed, \
                    p.part_services, p.part_amounts, \
                    (SELECT x.number::text FROM act_payments a JOIN acts x ON x.id = a.act_id \
                     WHERE a.payment_id = p.id AND x.id IS DISTINCT FROM $2 LIMIT 1) AS other_act \
             FROM payments p WHERE p.id = $1",
            vec![(*id).into(), except.into()],
        ))
        .one(txn)
        .await?
        .filter(|r| r.account_id == account)
        .ok_or_else(|| AppError::validation(&field, "must be a payment of the act's account"))?;
        if !r.live {
            return Err(AppError::validation(&field, "the payment is cancelled"));
        }
        let period = Period::containing(r.period).map_err(|e| AppError::Internal(e.to_string()))?;
        if !r.closed || period.last_day() < from || period.first_day() > to {
            return Err(AppError::validation(
                &field,
                "must be booked in a closed month of the act's days",
            ));
        }
        if let Some(other) = r.other_act {
            return Err(AppError::validation(
                &field,
                format!("the payment is already closed by act {other}"),
            ));
        }
        let parts = match (r.part_services, r.part_amounts) {
            (Some(s), Some(a)) if !s.is_empty() => s.into_iter().zip(a).collect(),
            _ => as_paid(txn, account, period, r.amount).await?,
        };
        out.push(Closed {
            payment_id: *id,
            account_id: account,
            period,
            paid_on: r.paid_on,
            amount: r.amount,
            parts,
        });
    }
    Ok(out)
}

/// A payment the calculation split: what its month's invoice shows as paid, in proportion.
async fn as_paid(
    txn: &DatabaseTransaction,
    account: i64,
    period: Period,
    amount: Decimal,
) -> AppResult<Vec<(i32, Decimal)>> {
    let paid = Paid::find_by_statement(stmt(
        "SELECT service_id, paid FROM invoice_lines WHERE account_id = $1 AND period = $2 AND paid > 0 ORDER BY service_id",
        vec![account.into(), period.first_day().into()],
    ))
    .all(txn)
    .await?;
    if paid.is_empty() {
        return Err(AppError::validation(
            "cancelPayments",
            format!("the invoice of {period} shows nothing paid to take the payment back from"),
        ));
    }
    let weights: Vec<Decimal> = paid.iter().map(|p| p.paid).collect();
    Ok(paid
        .iter()
        .map(|p| p.service_id)
        .zip(domain::billing::split(amount, &weights))
        .filter(|(_, a)| !a.is_zero())
        .collect())
}

/// What closing the payments books: each part back as owed, a `payment_closed` step per
/// payment and service (`[date, month, payment amount]`).
pub fn book(closed: &[Closed]) -> Vec<(i64, Booked)> {
    let mut out = Vec::new();
    for c in closed {
        for (service_id, part) in &c.parts {
            out.push((
                c.account_id,
                Booked {
                    service_id: *service_id,
                    amount: *part,
                    steps: json!([{
                        "kind": "payment_closed",
                        "args": [c.paid_on.to_string(), c.period.to_string(), c.amount.normalize().to_string()],
                        "value": part.normalize().to_string(),
                    }]),
                },
            ));
        }
    }
    out
}

/// Lines of one account and service add up, their steps one after another.
pub fn merge(lines: Vec<(i64, Booked)>) -> Vec<(i64, Booked)> {
    let mut out: Vec<(i64, Booked)> = Vec::with_capacity(lines.len());
    for (account, b) in lines {
        match out
            .iter_mut()
            .find(|(a, o)| *a == account && o.service_id == b.service_id)
        {
            Some((_, o)) => {
                o.amount += b.amount;
                if let (Some(steps), Some(more)) = (o.steps.as_array_mut(), b.steps.as_array()) {
                    steps.extend(more.iter().cloned());
                }
            }
            None => out.push((account, b)),
        }
    }
    out.retain(|(_, b)| !b.amount.is_zero());
    out
}

/// Writes the act's payments (replacing what it named before).
pub async fn write(txn: &DatabaseTransaction, act: i64, closed: &[Closed]) -> AppResult<()> {
    txn.execute_raw(stmt(
        "DELETE FROM act_payments WHERE act_id = $1",
        vec![act.into()],
    ))
    .await?;
    for c in closed {
        txn.execute_raw(stmt(
            "INSERT INTO act_payments (act_id, payment_id) VALUES ($1, $2)",
            vec![act.into(), c.payment_id.into()],
        ))
        .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Taken {
    id: i64,
    number: Option<String>,
}

/// Approving marks the act's payments as closed by it (CONFLICT when another act or a
/// cancellation got there first); returning to draft takes the mark off.
pub async fn mark(txn: &DatabaseTransaction, act: i64, approve: bool) -> AppResult<()> {
    if !approve {
        txn.execute_raw(stmt(
            "UPDATE payments SET cancelled_by_act = NULL WHERE cancelled_by_act = $1",
            vec![act.into()],
        ))
        .await?;
        return Ok(());
    }
    let taken = Taken::find_by_statement(stmt(
        "SELECT p.id, x.number::text AS number FROM act_payments a JOIN payments p ON p.id = a.payment_id \
         LEFT JOIN acts x ON x.id = p.cancelled_by_act \
         WHERE a.act_id = $1 AND (p.cancelled_at IS NOT NULL OR p.cancelled_by_act IS NOT NULL) \
         ORDER BY p.id FOR UPDATE OF p LIMIT 1",
        vec![act.into()],
    ))
    .one(txn)
    .await?;
    if let Some(t) = taken {
        return Err(AppError::Conflict(match t.number {
            Some(n) => format!("payment {} is already closed by act {n}", t.id),
            None => format!("payment {} is cancelled", t.id),
        }));
    }
    txn.execute_raw(stmt(
        "UPDATE payments SET cancelled_by_act = $1 WHERE id IN (SELECT payment_id FROM act_payments WHERE act_id = $1)",
        vec![act.into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn line(account: i64, service_id: i32, amount: Decimal, kind: &str) -> (i64, Booked) {
        (
            account,
            Booked {
                service_id,
                amount,
                steps: json!([{ "kind": kind }]),
            },
        )
    }

    #[test]
    fn lines_of_one_service_add_up_and_keep_every_step() {
        let merged = merge(vec![
            line(1, 10, dec!(-5.00), "updated_month"),
            line(1, 11, dec!(3.00), "updated_month"),
            line(1, 10, dec!(12.50), "payment_closed"),
            line(2, 10, dec!(1.00), "payment_closed"),
            line(1, 11, dec!(-3.00), "payment_closed"),
        ]);
        let amounts: Vec<(i64, i32, Decimal, usize)> = merged
            .iter()
            .map(|(a, b)| {
                (
                    *a,
                    b.service_id,
                    b.amount,
                    b.steps.as_array().map_or(0, Vec::len),
                )
            })
            .collect();
        // Service 11 of account 1 cancels out and books nothing.
        assert_eq!(
            amounts,
            vec![(1, 10, dec!(7.50), 2), (2, 10, dec!(1.00), 1)]
        );
    }

    #[test]
    fn a_closed_payment_books_each_part_back() {
        let c = Closed {
            payment_id: 7,
            account_id: 3,
            period: Period::new(2026, 9).unwrap_or_else(|_| unreachable!()),
            paid_on: NaiveDate::from_ymd_opt(2026, 9, 14).unwrap_or_default(),
            amount: dec!(120.00),
            parts: vec![(1, dec!(80.00)), (2, dec!(40.00))],
        };
        let booked = book(&[c]);
        let sum: Decimal = booked.iter().map(|(_, b)| b.amount).sum();
        assert_eq!(sum, dec!(120.00));
        assert_eq!(
            booked[0].1.steps[0]["args"],
            json!(["2026-09-14", "2026-09", "120"])
        );
    }
}
