//! Idempotency keys of the mutations a user may send twice — a double click, a retry after
//! an answer lost on the way — that must not act twice (a payment, posting a batch, paying
//! a refused row of a bank file). The client sends a key it made for the action; the first
//! request with it claims the key, does the work and records its result in the same
//! transaction; a repeat by the same user returns that result without doing anything. A
//! repeat that arrives while the first is still running waits for it (the key's row is
//! locked by the first transaction) and then returns its result; if the first failed, the
//! repeat does the work. A key used for a different request is a CONFLICT. Keys are kept
//! for a day.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::sql::stmt;

/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

/// A checked key: 8–100 letters, digits, `-`, `_` or `:` (a UUID fits).
pub fn parse(text: &str) -> AppResult<String> {
    let t = text.trim();
    let ok = (8..=100).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'));
    if ok {
        Ok(t.to_owned())
    } else {
        Err(AppError::validation(
            "idempotencyKey",
            "must be 8–100 letters, digits, '-', '_' or ':'",
        ))
    }
}

/// A request's fingerprint: what the key stands for.
pub fn fingerprint(request: &impl std::fmt::Debug) -> String {
    format!("{:x}", Sha256::digest(format!("{request:?}").as_bytes()))
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is new: do the work, then [`record`] its result.
    Fresh,
    /// The same request was done already: its result.
    Done(serde_json::Value),
}

#[derive(FromQueryResult)]
struct Inserted {
    #[allow(dead_code)]
    key: String,
}

#[derive(FromQueryResult)]
struct Stored {
    operation: String,
    fingerprint: String,
    result: Option<serde_json::Value>,
}

/// Claims `key` of `login` for `operation` on the request `print` (see [`fingerprint`]).
pub async fn claim(
    txn: &DatabaseTransaction,
    login: &str,
    operation: &str,
    key: &str,
    print: &str,
    now: DateTime<Utc>,
) -> AppResult<Claim> {
    let inserted = Inserted::find_by_statement(stmt(
        "INSERT INTO idempotency_keys (login, key, operation, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login, key) DO NOTHING RETURNING key",
        vec![
            login.into(),
            key.into(),
            operation.into(),
            print.into(),
            now.into(),
        ],
    ))
    .one(txn)
    .await?;
    if inserted.is_some() {
        return Ok(Claim::Fresh);
    }
    let s = Stored::find_by_statement(stmt(
        "SELECT operation, fingerprint, result FROM idempotency_keys WHERE login = $1 AND key = $2",
        vec![login.into(), key.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("idempotency key vanished".into()))?;
    match s.result {
        Some(r) if s.operation == operation && s.fingerprint == print => Ok(Claim::Done(r)),
        _ => Err(AppError::Conflict(
            "the idempotency key was used for another request".into(),
        )),
    }
}

/// Records the result of the work a [`Claim::Fresh`] key stands for.
pub async fn record(
    txn: &DatabaseTransaction,
    login: &str,
    key: &str,
    result: serde_json::Value,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE idempotency_keys SET result = $3 WHERE login = $1 AND key = $2",
        vec![login.into(), key.into(), result.into()],
    ))
    .await?;
    Ok(())
}

/// Forgets keys older than [`KEEP_HOURS`]; returns how many.
pub async fn purge(txn: &DatabaseTransaction, now: DateTime<Utc>) -> AppResult<u64> {
    Ok(txn
        .execute_raw(stmt(
            "DELETE FROM idempotency_keys WHERE created_at < $1",
            vec![(now - chrono::Duration::hours(KEEP_HOURS)).into()],
        ))
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_plain_text() {
        assert_eq!(
            parse(" 0f8e2c1a-9b7d-4c3e-a1f2-1234567890ab ")
                .ok()
                .as_deref(),
            Some("0f8e2c1a-9b7d-4c3e-a1f2-1234567890ab")
        );
        assert!(parse("short").is_err());
        assert!(parse("with space in it").is_err());
        assert!(parse(&"k".repeat(101)).is_err());
        assert_ne!(fingerprint(&("a", 1)), fingerprint(&("a", 2)));
    }
}
