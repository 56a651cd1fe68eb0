//! Residents removed from an account are kept and may be restored (seed 001 §4.3): the
//! row moves to `removed_residents` with who removed it and when, and back with its id.
//! The people the calculation counts stay alone in `residents`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

const COLUMNS: &str =
    "id, account_id, full_name, birth_date, registered_from, registered_to, living_from, living_to";

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedResident {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub living_from: Option<NaiveDate>,
    pub living_to: Option<NaiveDate>,
    pub removed_at: DateTime<Utc>,
    pub removed_by: String,
}

/// Copies the resident into the archive (before the caller deletes the row).
pub(crate) async fn keep(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    resident_id: i64,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        &format!(
            "INSERT INTO removed_residents ({COLUMNS}, removed_at, removed_by) \
             SELECT {COLUMNS}, $2, $3 FROM residents WHERE id = $1 \
             ON CONFLICT (id) DO UPDATE SET removed_at = EXCLUDED.removed_at, removed_by = EXCLUDED.removed_by"
        ),
        vec![resident_id.into(), now.into(), actor.login.clone().into()],
    ))
    .await?;
    Ok(())
}

/// The account of a removed resident.
pub async fn account_of(txn: &DatabaseTransaction, id: i64) -> AppResult<i64> {
    #[derive(FromQueryResult)]
    struct A {
        account_id: i64,
    }
    A::find_by_statement(stmt(
        "SELECT account_id FROM removed_residents WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(|a| a.account_id)
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// An account's removed residents, the latest removed first.
pub async fn removed(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> AppResult<Vec<RemovedResident>> {
    Ok(RemovedResident::find_by_statement(stmt(
        "SELECT id, full_name, birth_date, registered_from, registered_to, living_from, living_to, removed_at, removed_by \
         FROM removed_residents WHERE account_id = $1 ORDER BY removed_at DESC, id",
        vec![account_id.into()],
    ))
    .all(txn)
    .await?)
}

/// Puts a removed resident back on the account, with the id and periods it had; the
/// account's counts are recounted. Returns the account.
pub async fn restore(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<i64> {
    let account_id = account_of(txn, id).await?;
    let before = removed(txn, account_id)
        .await?
        .into_iter()
        .find(|r| r.id == id);
    txn.execute_raw(stmt(
        &format!("INSERT INTO residents ({COLUMNS}) SELECT {COLUMNS} FROM removed_residents WHERE id = $1"),
        vec![id.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "DELETE FROM removed_residents WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    crate::subscribers::recount(txn, account_id, now.date_naive()).await?;
    let c = Change {
        entity: "resident",
        entity_id: id.to_string(),
        action: "restore",
        before: before.map(|b| json!(b)),
        after: Some(json!({ "accountId": account_id })),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(account_id)
}
