//! An account's lifecycle (seed 001 §4.3 «Змінити статус», single and bulk) and the
//! fields of its card an operator edits afterwards (opening day, "no penalty", comment,
//! the third party who pays, the branch).
//!
//! Rules chosen (DOMAIN.md's statuses):
//! - draft and annulled accounts are not calculated; approved and suspended are; a closed
//!   one is calculated up to its closing day (the calculation already reads `closed_on`).
//! - Closing needs the closing day, not before the opening; the day must fall in an open
//!   month or one not yet opened — a closed month is changed through an act, so the
//!   account is closed from the first day that is still open and the past is recalculated.
//! - An account is closed with a zero balance, or with its balance carried on the closed
//!   account (`keepBalance`: the debt stays for claims and the debtor reports); a balance
//!   is never silently written off.
//! - Back to draft and annulled only for an account never invoiced (annulled is "entered
//!   by mistake"; one with invoices is closed instead).
//! - Any other status clears the closing day (an account reopened after a mistaken close).
//! - The calculation of the month a change falls in is marked stale (period touches).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::account_services::{GroupResult, Skipped, check_selection, resolve};
use access::auth::Reach;
use domain::Period;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::{optional_text, stmt};

/// The five statuses of seed 001 §4.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum AccountStatus {
    /// Being prepared (Чернетка).
    Draft,
    /// In force (Затверджено).
    Approved,
    /// Suspended by agreement (Припинено).
    Suspended,
    /// All obligations met (Закрито).
    Closed,
    /// Void (Анульовано).
    Annulled,
}

impl AccountStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Suspended => "suspended",
            Self::Closed => "closed",
            Self::Annulled => "annulled",
        }
    }
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AccountStatusInput {
    pub status: AccountStatus,
    /// The last day of the account; required for CLOSED.
    pub closed_on: Option<NaiveDate>,
    /// Close an account whose balance is not zero, the balance staying on it.
    #[graphql(default)]
    pub keep_balance: bool,
}

/// The card fields an operator corrects; every field is replaced but the branch.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AccountEditInput {
    pub opened_on: Option<NaiveDate>,
    #[graphql(default)]
    pub no_penalty: bool,
    pub comment: Option<String>,
    /// A third party who actually pays (another subscriber); null: the holder pays.
    pub payer_id: Option<i64>,
    /// Moves the account to this branch; null: it stays where it is.
    pub branch_id: Option<i32>,
    /// The account-types book's record; null: it stays.
    pub type_id: Option<i32>,
}

#[derive(FromQueryResult)]
struct State {
    id: i64,
    number: String,
    status: String,
    opened_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    balance: Decimal,
    invoiced: bool,
    has_holder: bool,
}

async fn states(txn: &DatabaseTransaction, ids: &[i64]) -> AppResult<Vec<State>> {
    Ok(State::find_by_statement(stmt(
        "SELECT a.id, a.number, a.status, a.opened_on, a.closed_on, a.balance, \
           EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = a.id) AS invoiced, \
           a.subscriber_id IS NOT NULL AS has_holder \
         FROM accounts a WHERE a.id = ANY($1) ORDER BY a.id",
        vec![ids.to_vec().into()],
    ))
    .all(txn)
    .await?)
}

/// Holds the month of `day` open (or notes it is not opened yet); a closed month is
/// refused naming `field`.
async fn hold_day(txn: &DatabaseTransaction, day: NaiveDate, field: &str) -> AppResult<()> {
    let p = Period::containing(day).map_err(|e| AppError::validation(field, e.to_string()))?;
    match periods::hold_unless_ahead(txn, p).await {
        Ok(_) => Ok(()),
        Err(AppError::PeriodClosed(_)) => Err(AppError::validation(
            field,
            format!(
                "falls in the closed period {p}; take a day of an open month and correct the past with an act"
            ),
        )),
        Err(e) => Err(e),
    }
}

/// Why `s` cannot take `input`, if it cannot.
fn refusal(s: &State, input: &AccountStatusInput) -> Option<String> {
    let to = input.status;
    if s.status == to.code() && (to != AccountStatus::Closed || s.closed_on == input.closed_on) {
        return Some("already has this status".into());
    }
    if !s.has_holder && !matches!(to, AccountStatus::Draft | AccountStatus::Annulled) {
        return Some("has no holder yet: choose the holder on its card".into());
    }
    match to {
        AccountStatus::Closed => {
            let day = input.closed_on?;
            if s.opened_on.is_some_and(|o| day < o) {
                return Some("cannot close before the day it was opened".into());
            }
            if !s.balance.is_zero() && !input.keep_balance {
                return Some(format!(
                    "has a balance of {}; collect it, or close keeping the balance",
                    domain::money(s.balance)
                ));
            }
            None
        }
        AccountStatus::Draft | AccountStatus::Annulled if s.invoiced => {
            Some("has invoices; close it instead".into())
        }
        _ => None,
    }
}

/// Sets the status of every selected account it applies to; the others are listed with
/// the reason. One statement for the accounts and one for their audit rows.
pub async fn set_status(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_ids: &[i64],
    input: &AccountStatusInput,
) -> AppResult<GroupResult> {
    let ids = check_selection(account_ids)?;
    let closed_on = match (input.status, input.closed_on) {
        (AccountStatus::Closed, None) => {
            return Err(AppError::validation(
                "closedOn",
                "give the day the account closes",
            ));
        }
        (AccountStatus::Closed, Some(d)) => {
            hold_day(txn, d, "closedOn").await?;
            Some(d)
        }
        _ => None,
    };
    let (found, mut skipped) = resolve(txn, reach, &ids).await?;
    let found: Vec<i64> = found.iter().map(|t| t.id).collect();
    let mut changed = Vec::new();
    for s in states(txn, &found).await? {
        match refusal(&s, input) {
            Some(reason) => skipped.push(Skipped {
                account_id: s.id,
                number: Some(s.number),
                reason,
            }),
            None => changed.push(s),
        }
    }
    let ids: Vec<i64> = changed.iter().map(|s| s.id).collect();
    if ids.is_empty() {
        return Ok(GroupResult {
            changed: 0,
            skipped,
        });
    }
    txn.execute_raw(stmt(
        "UPDATE accounts SET status = $2, closed_on = $3 WHERE id = ANY($1)",
        vec![
            ids.clone().into(),
            input.status.code().into(),
            closed_on.into(),
        ],
    ))
    .await?;
    // Each account's state before, keyed by its id (one parameter, not one per account).
    let before: serde_json::Map<String, serde_json::Value> = changed
        .iter()
        .map(|s| {
            let b = json!({ "status": s.status, "closedOn": s.closed_on, "balance": s.balance });
            (s.id.to_string(), b)
        })
        .collect();
    let after = json!({ "status": input.status.code(), "closedOn": closed_on, "keepBalance": input.keep_balance });
    txn.execute_raw(stmt(
        "INSERT INTO audit_log (at, actor_id, actor_login, entity, entity_id, action, before, after) \
         SELECT $2, $3, $4, 'account', u.id::text, 'set_status', $6::jsonb -> u.id::text, $5 \
         FROM unnest($1::bigint[]) AS u(id)",
        vec![
            ids.clone().into(),
            now.into(),
            actor.user_id.into(),
            actor.login.clone().into(),
            after.into(),
            serde_json::Value::Object(before).into(),
        ],
    ))
    .await?;
    // The month whose calculation the change alters: the closing day's, else the open one.
    let period = match closed_on {
        Some(d) => Period::containing(d).ok(),
        None => periods::working_month(txn).await?,
    };
    if let Some(p) = period {
        periods::touches::accounts(txn, p, &ids).await?;
    }
    Ok(GroupResult {
        changed: ids.len() as i64,
        skipped,
    })
}

/// The payer must be another subscriber the user sees; the branch one the user may move
/// accounts into (any, or one of the user's own branches).
async fn check_payer_and_branch(
    txn: &DatabaseTransaction,
    reach: &Reach,
    own_subscriber: Option<i64>,
    input: &AccountEditInput,
) -> AppResult<()> {
    if let Some(p) = input.payer_id {
        if Some(p) == own_subscriber {
            return Err(AppError::validation(
                "payerId",
                "is the account's own subscriber; leave it empty",
            ));
        }
        let seen = crate::subscribers::within_reach(txn, reach, p).await?
            && crate::subscribers::subscriber(txn, p).await.is_ok();
        if !seen {
            return Err(AppError::validation("payerId", "there is no such record"));
        }
    }
    if let Some(b) = input.branch_id {
        if !reach.everything() && !reach.branches.contains(&b) {
            return Err(AppError::validation(
                "branchId",
                "is not one of your branches",
            ));
        }
        #[derive(FromQueryResult)]
        struct One {
            #[allow(dead_code)]
            id: i32,
        }
        One::find_by_statement(stmt(
            "SELECT id FROM branches WHERE id = $1",
            vec![b.into()],
        ))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::validation("branchId", "there is no such record"))?;
    }
    Ok(())
}

/// Corrects the card fields of one account (within reach: the caller checked).
pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    input: &AccountEditInput,
) -> AppResult<()> {
    let comment = optional_text(input.comment.as_deref(), "comment", 1000)?;
    let s = states(txn, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    #[derive(FromQueryResult)]
    struct Card {
        no_penalty: bool,
        comment: Option<String>,
        subscriber_id: Option<i64>,
        payer_id: Option<i64>,
        branch_id: Option<i32>,
        type_id: Option<i32>,
    }
    let card = Card::find_by_statement(stmt(
        "SELECT no_penalty, comment, subscriber_id, payer_id, branch_id, type_id FROM accounts WHERE id = $1 FOR UPDATE",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    check_payer_and_branch(txn, reach, card.subscriber_id, input).await?;
    let branch = input.branch_id.or(card.branch_id);
    if let Some(t) = input.type_id.filter(|t| Some(*t) != card.type_id) {
        crate::account_journal::check_type(txn, t, card.subscriber_id).await?;
    }
    let type_id = input.type_id.or(card.type_id);
    if let (Some(o), Some(c)) = (input.opened_on, s.closed_on)
        && o > c
    {
        return Err(AppError::validation(
            "openedOn",
            "must not be after the day the account closed",
        ));
    }
    if input.opened_on != s.opened_on
        && let Some(d) = input.opened_on.into_iter().chain(s.opened_on).min()
    {
        // Moving the opening changes the charges from the earlier of the two days on.
        hold_day(txn, d, "openedOn").await?;
    }
    txn.execute_raw(stmt(
        "UPDATE accounts SET opened_on = $2, no_penalty = $3, comment = $4, payer_id = $5, branch_id = $6, type_id = $7 WHERE id = $1",
        vec![
            id.into(),
            input.opened_on.into(),
            input.no_penalty.into(),
            comment.clone().into(),
            input.payer_id.into(),
            branch.into(),
            type_id.into(),
        ],
    ))
    .await?;
    if (input.opened_on != s.opened_on || input.no_penalty != card.no_penalty)
        && let Some(p) = periods::working_month(txn).await?
    {
        periods::touches::accounts(txn, p, &[id]).await?;
    }
    let change = Change {
        entity: "account",
        entity_id: id.to_string(),
        action: "update",
        before: Some(
            json!({ "openedOn": s.opened_on, "noPenalty": card.no_penalty,
            "comment": card.comment, "payerId": card.payer_id, "branchId": card.branch_id, "typeId": card.type_id }),
        ),
        after: Some(
            json!({ "openedOn": input.opened_on, "noPenalty": input.no_penalty,
            "comment": comment, "payerId": input.payer_id, "branchId": branch, "typeId": type_id }),
        ),
    };
    audit::record(txn, actor, now, change).await
}
