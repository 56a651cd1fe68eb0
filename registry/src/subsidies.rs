//! Subsidies per service and period (deletable only while no invoice uses them) and
//! opening balances per service taken over from a previous system. Amounts are money:
//! two decimals, entered as text with a point or a comma.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult};
use serde_json::json;

use crate::entities::subsidy;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Subsidy {
    pub id: i64,
    pub service_id: i32,
    pub service_name: String,
    /// `YYYY-MM`.
    pub period: String,
    pub amount: Decimal,
    /// true once an invoice uses it (it can no longer be deleted).
    pub used: bool,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct OpeningBalance {
    pub service_id: i32,
    pub service_name: String,
    pub period: String,
    /// Positive: the subscriber owes; negative: paid in advance.
    pub amount: Decimal,
}

/// A money amount typed by a user, two decimals at most, within ±10 million.
pub fn parse_money(field: &str, text: &str, negative_ok: bool) -> AppResult<Decimal> {
    let v = platform::input::parse_amount(field, text)?;
    let limit = Decimal::from(10_000_000);
    if v.normalize().scale() > 2 {
        return Err(AppError::validation(
            field,
            "must have at most 2 decimal places",
        ));
    }
    if v.abs() >= limit || (!negative_ok && v < Decimal::ZERO) {
        return Err(AppError::validation(
            field,
            if negative_ok {
                "must be between -10000000 and 10000000"
            } else {
                "must be from 0 to 10000000"
            },
        ));
    }
    Ok(v.round_dp(2))
}

/// `2026-11` → the period's first day.
pub fn parse_period(text: &str) -> AppResult<NaiveDate> {
    text.trim()
        .parse::<Period>()
        .map(Period::first_day)
        .map_err(|_| AppError::validation("period", "must look like 2026-11"))
}

const SUBSIDY_SELECT: &str = "SELECT s.id, s.service_id, v.name AS service_name, to_char(s.period, 'YYYY-MM') AS period, \
        s.amount, s.invoice_id IS NOT NULL AS used \
     FROM subsidies s JOIN services v ON v.id = s.service_id";

pub async fn subsidies(txn: &DatabaseTransaction, account_id: i64) -> AppResult<Vec<Subsidy>> {
    Ok(Subsidy::find_by_statement(stmt(
        &format!("{SUBSIDY_SELECT} WHERE s.account_id = $1 ORDER BY s.period DESC, v.code"),
        vec![account_id.into()],
    ))
    .all(txn)
    .await?)
}

/// The subsidy and its account.
pub async fn subsidy(txn: &DatabaseTransaction, id: i64) -> AppResult<(i64, Subsidy)> {
    #[derive(FromQueryResult)]
    struct Owner {
        account_id: i64,
    }
    let owner = Owner::find_by_statement(stmt(
        "SELECT account_id FROM subsidies WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    let s = Subsidy::find_by_statement(stmt(
        &format!("{SUBSIDY_SELECT} WHERE s.id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok((owner.account_id, s))
}

async fn require_service(txn: &DatabaseTransaction, id: i32) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct One {
        #[allow(dead_code)]
        id: i32,
    }
    One::find_by_statement(stmt(
        "SELECT id FROM services WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(|_| ())
    .ok_or_else(|| AppError::validation("serviceId", "there is no such record"))
}

fn change<'a, T: serde::Serialize>(
    entity: &'a str,
    id: String,
    action: &'a str,
    before: Option<&T>,
    after: Option<&T>,
) -> Change<'a> {
    Change {
        entity,
        entity_id: id,
        action,
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
    }
}

/// Enters the subsidy of a service for a period (replacing an unused one of the same
/// service and period).
pub async fn set_subsidy(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account_id: i64,
    service_id: i32,
    period: &str,
    amount: &str,
) -> AppResult<Subsidy> {
    let period = parse_period(period)?;
    let amount = parse_money("amount", amount, false)?;
    require_service(txn, service_id).await?;
    let month = Period::containing(period).map_err(|e| AppError::Internal(e.to_string()))?;
    if periods::hold_unless_ahead(txn, month).await? {
        periods::touches::accounts(txn, month, &[account_id]).await?;
    }
    #[derive(FromQueryResult)]
    struct Existing {
        id: i64,
        used: bool,
    }
    let existing = Existing::find_by_statement(stmt(
        "SELECT id, invoice_id IS NOT NULL AS used FROM subsidies WHERE account_id = $1 AND service_id = $2 AND period = $3",
        vec![account_id.into(), service_id.into(), period.into()],
    ))
    .one(txn)
    .await?;
    if existing.as_ref().is_some_and(|e| e.used) {
        return Err(AppError::Conflict(
            "the subsidy is already used in an invoice and cannot be changed".into(),
        ));
    }
    let before = match &existing {
        Some(e) => Some(subsidy(txn, e.id).await?.1),
        None => None,
    };
    // SQL, not the entity: one upsert on `subsidies_key` whether the month had one or not.
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO subsidies (account_id, service_id, period, amount) VALUES ($1, $2, $3, $4) \
         ON CONFLICT ON CONSTRAINT subsidies_key DO UPDATE SET amount = EXCLUDED.amount RETURNING id",
        vec![account_id.into(), service_id.into(), period.into(), amount.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    let (_, after) = subsidy(txn, id).await?;
    let action = if before.is_some() { "update" } else { "create" };
    let c = change(
        "subsidy",
        id.to_string(),
        action,
        before.as_ref(),
        Some(&after),
    );
    audit::record(txn, actor, now, c).await?;
    Ok(after)
}

pub async fn delete_subsidy(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let (_, before) = subsidy(txn, id).await?;
    if before.used {
        return Err(AppError::Conflict(
            "the subsidy is already used in an invoice and cannot be deleted".into(),
        ));
    }
    subsidy::Entity::delete_by_id(id).exec(txn).await?;
    let c = change("subsidy", id.to_string(), "delete", Some(&before), None);
    audit::record(txn, actor, now, c).await
}

const BALANCE_SELECT: &str = "SELECT o.service_id, v.name AS service_name, to_char(o.period, 'YYYY-MM') AS period, o.amount \
     FROM opening_balances o JOIN services v ON v.id = o.service_id";

pub async fn opening_balances(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> AppResult<Vec<OpeningBalance>> {
    Ok(OpeningBalance::find_by_statement(stmt(
        &format!("{BALANCE_SELECT} WHERE o.account_id = $1 ORDER BY o.period DESC, v.code"),
        vec![account_id.into()],
    ))
    .all(txn)
    .await?)
}

async fn balance(
    txn: &DatabaseTransaction,
    account_id: i64,
    service_id: i32,
    period: NaiveDate,
) -> AppResult<Option<OpeningBalance>> {
    Ok(OpeningBalance::find_by_statement(stmt(
        &format!(
            "{BALANCE_SELECT} WHERE o.account_id = $1 AND o.service_id = $2 AND o.period = $3"
        ),
        vec![account_id.into(), service_id.into(), period.into()],
    ))
    .one(txn)
    .await?)
}

/// Enters (or, with an empty amount, removes) the opening balance of a service.
pub async fn set_opening_balance(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account_id: i64,
    service_id: i32,
    period: &str,
    amount: &str,
) -> AppResult<Option<OpeningBalance>> {
    let period = parse_period(period)?;
    require_service(txn, service_id).await?;
    let before = balance(txn, account_id, service_id, period).await?;
    let key = format!("{account_id}/{service_id}/{period}");
    if amount.trim().is_empty() {
        txn.execute_raw(stmt(
            "DELETE FROM opening_balances WHERE account_id = $1 AND service_id = $2 AND period = $3",
            vec![account_id.into(), service_id.into(), period.into()],
        ))
        .await?;
        if before.is_some() {
            let c = change("opening_balance", key, "delete", before.as_ref(), None);
            audit::record(txn, actor, now, c).await?;
        }
        crate::counters::refresh_balances(txn, &[account_id]).await?;
        return Ok(None);
    }
    let amount = parse_money("amount", amount, true)?;
    txn.execute_raw(stmt(
        "INSERT INTO opening_balances (account_id, service_id, period, amount) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account_id, service_id, period) DO UPDATE SET amount = EXCLUDED.amount",
        vec![account_id.into(), service_id.into(), period.into(), amount.into()],
    ))
    .await?;
    crate::counters::refresh_balances(txn, &[account_id]).await?;
    let after = balance(txn, account_id, service_id, period).await?;
    let action = if before.is_some() { "update" } else { "create" };
    let c = change(
        "opening_balance",
        key,
        action,
        before.as_ref(),
        after.as_ref(),
    );
    audit::record(txn, actor, now, c).await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_is_checked_and_kept_to_the_kopeck() {
        assert_eq!(
            parse_money("amount", "120,50", false).ok(),
            Some(dec!(120.50))
        );
        assert_eq!(parse_money("amount", "-25", true).ok(), Some(dec!(-25)));
        assert!(parse_money("amount", "-25", false).is_err());
        assert!(parse_money("amount", "1.005", false).is_err());
        assert!(parse_money("amount", "10000000", true).is_err());
        assert_eq!(
            parse_period("2026-11").ok(),
            NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert!(parse_period("2026-13").is_err());
    }
}
