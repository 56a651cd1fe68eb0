//! The portal registration code of an account: eight characters (`ABCD-2345`, no letters
//! that read as digits) printed on the account's invoice, with which its subscriber
//! registers in the portal beside the account number. Made when first printed or shown,
//! renewed by the office (the old one stops working). 32⁸ ≈ 10¹² codes, and registration
//! is throttled, so guessing is out of reach.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A fresh random code, `XXXX-XXXX`.
pub fn new_code() -> AppResult<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

/// A typed code as stored: upper case, spaces and dashes dropped, the dash put back.
pub fn normalise(typed: &str) -> Option<String> {
    let chars: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (chars.len() == 8 && chars.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| format!("{}-{}", &chars[..4], &chars[4..]))
}

#[derive(FromQueryResult)]
struct CodeRow {
    account_id: i64,
    code: String,
}

/// The codes of `accounts`, made for those that have none yet.
pub async fn codes_for(
    txn: &DatabaseTransaction,
    accounts: &[i64],
    now: DateTime<Utc>,
) -> AppResult<HashMap<i64, String>> {
    let fresh = accounts
        .iter()
        .map(|_| new_code())
        .collect::<AppResult<Vec<_>>>()?;
    txn.execute_raw(stmt(
        "INSERT INTO portal_codes (account_id, code, created_at) \
         SELECT u.id, u.code, $3 FROM unnest($1::bigint[], $2::text[]) AS u(id, code) \
         ON CONFLICT (account_id) DO NOTHING",
        vec![accounts.to_vec().into(), fresh.into(), now.into()],
    ))
    .await?;
    Ok(CodeRow::find_by_statement(stmt(
        "SELECT account_id, code FROM portal_codes WHERE account_id = ANY($1)",
        vec![accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| (r.account_id, r.code))
    .collect())
}

/// A new code for the account (the old one stops working).
pub async fn renew(
    txn: &DatabaseTransaction,
    account_id: i64,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let code = new_code()?;
    txn.execute_raw(stmt(
        "INSERT INTO portal_codes (account_id, code, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO UPDATE SET code = EXCLUDED.code, created_at = EXCLUDED.created_at",
        vec![account_id.into(), code.clone().into(), now.into()],
    ))
    .await?;
    Ok(code)
}

/// The account numbered `number` if `typed` is its code.
pub async fn account_of(
    txn: &DatabaseTransaction,
    number: &str,
    typed: &str,
) -> AppResult<Option<i64>> {
    let Some(code) = normalise(typed) else {
        return Ok(None);
    };
    let row = CodeRow::find_by_statement(stmt(
        "SELECT a.id AS account_id, p.code FROM accounts a JOIN portal_codes p ON p.account_id = a.id \
         WHERE a.number = $1 AND a.status NOT IN ('closed', 'annulled')",
        vec![number.trim().into()],
    ))
    .one(txn)
    .await?;
    Ok(row
        .filter(|r| crate::auth::token::same(r.code.as_bytes(), code.as_bytes()))
        .map(|r| r.account_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_readable_and_typed_loosely() {
        let a = new_code().unwrap_or_default();
        let b = new_code().unwrap_or_default();
        assert_eq!(a.len(), 9);
        assert_ne!(a, b);
        assert!(
            a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))),
            "{a}"
        );
        assert_eq!(
            normalise(&a.to_lowercase().replace('-', " ")),
            Some(a.clone())
        );
        assert_eq!(normalise("abcd2345"), Some("ABCD-2345".into()));
        // 0, 1, I and O are not in codes: a typed one is no code.
        assert_eq!(normalise("ABCD-2340"), None);
        assert_eq!(normalise("ABC-2345"), None);
        assert_eq!(normalise(""), None);
    }
}
