//! Where an account is kept in the registry (seed 001 §4.3): its type, a record of the
//! account-types book, and its journal; moving a selection of accounts to another
//! journal («Перемістити в журнал», Shift+Ins).
//!
//! Rules chosen: a type marked "legal entity" is for accounts of legal entities and the
//! others for individuals (an account without a holder yet takes either); an inactive
//! type or journal is not given to an account, though accounts already in it stay.
//! Moving to a journal changes no charge, so no period is marked stale.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::account_services::{GroupResult, check_selection, resolve};
use access::auth::Reach;
use platform::audit::Actor;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Entry {
    active: bool,
    legal: bool,
}

/// Refuses a type the account may not take, naming `typeId`.
pub(crate) async fn check_type(
    txn: &DatabaseTransaction,
    type_id: i32,
    subscriber_id: Option<i64>,
) -> AppResult<()> {
    let t = Entry::find_by_statement(stmt(
        "SELECT active, legal FROM account_types WHERE id = $1",
        vec![type_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("typeId", "there is no such record"))?;
    if !t.active {
        return Err(AppError::validation("typeId", "is no longer in use"));
    }
    #[derive(FromQueryResult)]
    struct Kind {
        kind: String,
    }
    let kind = match subscriber_id {
        Some(s) => Kind::find_by_statement(stmt(
            "SELECT kind FROM subscribers WHERE id = $1",
            vec![s.into()],
        ))
        .one(txn)
        .await?
        .map(|k| k.kind),
        None => None,
    };
    match kind.as_deref() {
        Some("legal") if !t.legal => Err(AppError::validation(
            "typeId",
            "is a type for individuals; the holder is a legal entity",
        )),
        Some("individual") if t.legal => Err(AppError::validation(
            "typeId",
            "is a type for legal entities; the holder is an individual",
        )),
        _ => Ok(()),
    }
}

/// Moves the selected accounts to `journal_id` (none: out of every journal); accounts
/// already there are listed as skipped.
pub async fn move_to_journal(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_ids: &[i64],
    journal_id: Option<i32>,
) -> AppResult<GroupResult> {
    let ids = check_selection(account_ids)?;
    if let Some(j) = journal_id {
        let found = Entry::find_by_statement(stmt(
            "SELECT active, false AS legal FROM journals WHERE id = $1",
            vec![j.into()],
        ))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::validation("journalId", "there is no such record"))?;
        if !found.active {
            return Err(AppError::validation("journalId", "is no longer in use"));
        }
    }
    let (targets, mut skipped) = resolve(txn, reach, &ids).await?;
    let found: Vec<i64> = targets.iter().map(|t| t.id).collect();
    #[derive(FromQueryResult)]
    struct Moved {
        id: i64,
    }
    // One statement moves them and writes their audit rows (the journal each left).
    let moved = Moved::find_by_statement(stmt(
        "WITH m AS (UPDATE accounts a SET journal_id = $2 FROM accounts o \
             WHERE a.id = ANY($1) AND o.id = a.id AND a.journal_id IS DISTINCT FROM $2 \
             RETURNING a.id, o.journal_id AS was), \
         l AS (INSERT INTO audit_log (at, actor_id, actor_login, entity, entity_id, action, before, after) \
             SELECT $3, $4, $5, 'account', m.id::text, 'move', jsonb_build_object('journalId', m.was), $6 FROM m) \
         SELECT id FROM m ORDER BY id",
        vec![
            found.into(),
            journal_id.into(),
            now.into(),
            actor.user_id.into(),
            actor.login.clone().into(),
            json!({ "journalId": journal_id }).into(),
        ],
    ))
    .all(txn)
    .await?;
    let moved: Vec<i64> = moved.into_iter().map(|m| m.id).collect();
    // The selection's numbers are known already: the ones not moved were there before.
    skipped.extend(
        targets
            .into_iter()
            .filter(|t| !moved.contains(&t.id))
            .map(|t| crate::account_services::Skipped {
                account_id: t.id,
                number: Some(t.number),
                reason: "is in this journal already".into(),
            }),
    );
    Ok(GroupResult {
        changed: i64::try_from(moved.len()).unwrap_or(i64::MAX),
        skipped,
    })
}
