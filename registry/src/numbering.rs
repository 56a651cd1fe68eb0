//! How new accounts are numbered (seed 001 §4.3: automatic numbering, the number's
//! format and length, padding with zeros), and the next number.
//!
//! Rules chosen: a number is digits only. Automatic: the tenant's prefix (0–10 digits, a
//! branch's or a journal's code, say) followed by the largest number after that prefix
//! plus one, padded with zeros to the length (a number that outgrows it keeps its
//! digits, never cut); a number typed by hand is still taken.
//! Manual: every account's number is typed; none given is refused naming the field.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(
    Debug, Clone, PartialEq, Eq, async_graphql::SimpleObject, FromQueryResult, serde::Serialize,
)]
#[graphql(name = "AccountNumbering")]
#[serde(rename_all = "camelCase")]
pub struct Numbering {
    /// The next number is given when none is typed.
    pub auto: bool,
    /// Digits every automatic number starts with (may be empty).
    pub prefix: String,
    /// Digits an automatic number is padded to with zeros, the prefix included.
    pub length: i32,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct NumberingInput {
    pub auto: bool,
    pub prefix: Option<String>,
    pub length: i32,
}

pub async fn get(txn: &DatabaseTransaction) -> AppResult<Numbering> {
    Numbering::find_by_statement(stmt(
        "SELECT auto, prefix, length FROM account_numbering",
        vec![],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("account_numbering has no row".into()))
}

/// The checked setting: a prefix of digits shorter than the length, a length of 1–20.
fn checked(i: &NumberingInput) -> AppResult<Numbering> {
    let prefix = i.prefix.as_deref().unwrap_or_default().trim().to_owned();
    if prefix.len() > 10 || !prefix.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::validation("prefix", "must be at most 10 digits"));
    }
    if !(1..=20).contains(&i.length) {
        return Err(AppError::validation("length", "must be from 1 to 20"));
    }
    if prefix.len() >= usize::try_from(i.length).unwrap_or(0) {
        return Err(AppError::validation(
            "length",
            "must be longer than the prefix",
        ));
    }
    Ok(Numbering {
        auto: i.auto,
        prefix,
        length: i.length,
    })
}

pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &NumberingInput,
) -> AppResult<Numbering> {
    let after = checked(i)?;
    let before = get(txn).await?;
    txn.execute_raw(stmt(
        "UPDATE account_numbering SET auto = $1, prefix = $2, length = $3",
        vec![
            after.auto.into(),
            after.prefix.clone().into(),
            after.length.into(),
        ],
    ))
    .await?;
    let change = Change {
        entity: "settings",
        entity_id: "account_numbering".into(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(txn, actor, now, change).await?;
    Ok(after)
}

/// The number of a new account: the one typed (digits, 1–20), else the next automatic
/// one; manual numbering wants it typed.
pub async fn number_for(txn: &DatabaseTransaction, typed: Option<&str>) -> AppResult<String> {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) if n.len() <= 20 && n.chars().all(|c| c.is_ascii_digit()) => Ok(n.to_owned()),
        Some(_) => Err(AppError::validation("number", "must be 1–20 digits")),
        None => {
            let n = get(txn).await?;
            if !n.auto {
                return Err(AppError::validation(
                    "number",
                    "numbering is manual: type the account's number",
                ));
            }
            next(txn, &n).await
        }
    }
}

/// The prefix, then the largest number after it plus one, padded with zeros to the
/// length (a number that outgrows the length keeps its digits: it is never cut).
async fn next(txn: &DatabaseTransaction, n: &Numbering) -> AppResult<String> {
    let first = first_free(txn, n).await?;
    formatted(n, first)
}

/// The largest number after the prefix plus one.
async fn first_free(txn: &DatabaseTransaction, n: &Numbering) -> AppResult<u128> {
    #[derive(FromQueryResult)]
    struct Text {
        t: String,
    }
    let next = Text::find_by_statement(stmt(
        "SELECT (coalesce(max(substr(number, length($1) + 1)::numeric), 0) + 1)::text AS t \
         FROM accounts WHERE number ~ '^[0-9]{1,20}$' AND starts_with(number, $1) AND length(number) > length($1)",
        vec![n.prefix.clone().into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("no next number".into()))?
    .t;
    next.parse()
        .map_err(|_| AppError::Internal(format!("next number {next} is not a number")))
}

fn formatted(n: &Numbering, value: u128) -> AppResult<String> {
    let width = usize::try_from(n.length)
        .unwrap_or(0)
        .saturating_sub(n.prefix.len());
    let number = format!("{}{value:0>width$}", n.prefix);
    if number.len() > 20 {
        return Err(AppError::Conflict(
            "automatic numbers after this prefix are used up: change the prefix".into(),
        ));
    }
    Ok(number)
}

/// `count` automatic numbers in a row, for accounts opened together (the largest number
/// is looked up once, not per account); manual numbering refuses.
pub async fn next_numbers(txn: &DatabaseTransaction, count: usize) -> AppResult<Vec<String>> {
    let n = get(txn).await?;
    if !n.auto {
        return Err(AppError::validation(
            "number",
            "numbering is manual: type the account's number",
        ));
    }
    let first = first_free(txn, &n).await?;
    (0..count as u128)
        .map(|i| formatted(&n, first + i))
        .collect()
}
