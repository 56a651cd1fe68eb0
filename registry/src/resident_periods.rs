//! Re-registration (seed 001 §4.3): a resident who left and came back keeps one row; the
//! ended period moves to `resident_periods` with who ended it and when, and the row opens
//! a new one. The calculation counts every period (`billing::load`), so a month recalculated
//! later still sees the person in the earlier one.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// An earlier period of a resident.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResidentPeriod {
    pub resident_id: i64,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub living_from: Option<NaiveDate>,
    pub living_to: Option<NaiveDate>,
    pub ended_at: DateTime<Utc>,
    pub ended_by: String,
}

/// The new period: registered from a day, living from the same day unless told.
#[derive(Debug, Clone, async_graphql::InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReregisterInput {
    pub registered_from: NaiveDate,
    pub living_from: Option<NaiveDate>,
}

#[derive(FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Current {
    registered_from: Option<NaiveDate>,
    registered_to: Option<NaiveDate>,
    living_from: Option<NaiveDate>,
    living_to: Option<NaiveDate>,
    has_benefit: bool,
}

/// The earlier periods of an account's residents, oldest first.
pub async fn of_account(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> AppResult<Vec<ResidentPeriod>> {
    Ok(ResidentPeriod::find_by_statement(stmt(
        "SELECT p.resident_id, p.registered_from, p.registered_to, p.living_from, p.living_to, p.ended_at, p.ended_by \
         FROM resident_periods p JOIN residents r ON r.id = p.resident_id \
         WHERE r.account_id = $1 ORDER BY p.resident_id, coalesce(p.registered_from, p.living_from), p.id",
        vec![account_id.into()],
    ))
    .all(txn)
    .await?)
}

/// Opens a new period for a resident whose current one has ended: the ended period is kept
/// as history. Refused, naming the field: a period still open (`registeredTo`), a new start
/// not after the old end (`registeredFrom`), living before registering (`livingFrom`), and
/// a resident a benefit rests on (its past months are counted on the period it had).
pub async fn reregister(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    resident_id: i64,
    input: &ReregisterInput,
) -> AppResult<()> {
    let old = Current::find_by_statement(stmt(
        "SELECT registered_from, registered_to, living_from, living_to, \
                EXISTS (SELECT 1 FROM beneficiaries b WHERE b.resident_id = r.id) \
                OR EXISTS (SELECT 1 FROM beneficiary_members m WHERE m.resident_id = r.id) AS has_benefit \
         FROM residents r WHERE id = $1 FOR UPDATE",
        vec![resident_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {resident_id} does not exist")))?;
    if old.has_benefit {
        return Err(AppError::Conflict(
            "a benefit rests on the resident's period: add the returning person as a new resident"
                .into(),
        ));
    }
    let still_registered = old.registered_from.is_some() && old.registered_to.is_none();
    let still_living = old.living_from.is_some() && old.living_to.is_none();
    if still_registered || still_living {
        return Err(AppError::validation(
            if still_registered {
                "registeredTo"
            } else {
                "livingTo"
            },
            "end the current period first",
        ));
    }
    let ended = old.registered_to.max(old.living_to);
    if ended.is_some_and(|e| input.registered_from <= e) {
        return Err(AppError::validation(
            "registeredFrom",
            "must be after the previous period ended",
        ));
    }
    let living_from = input.living_from.unwrap_or(input.registered_from);
    if living_from < input.registered_from {
        return Err(AppError::validation(
            "livingFrom",
            "cannot be before the registration",
        ));
    }
    txn.execute_raw(stmt(
        "INSERT INTO resident_periods (resident_id, registered_from, registered_to, living_from, living_to, ended_at, ended_by) \
         SELECT id, registered_from, registered_to, living_from, living_to, $2, $3 FROM residents WHERE id = $1",
        vec![resident_id.into(), now.into(), actor.login.clone().into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "UPDATE residents SET registered_from = $2, registered_to = NULL, living_from = $3, living_to = NULL \
         WHERE id = $1",
        vec![
            resident_id.into(),
            input.registered_from.into(),
            living_from.into(),
        ],
    ))
    .await?;
    let account_id = crate::subscribers::resident_account(txn, resident_id).await?;
    crate::subscribers::recount(txn, account_id, now.date_naive()).await?;
    let c = Change {
        entity: "resident",
        entity_id: resident_id.to_string(),
        action: "reregister",
        before: Some(json!(old)),
        after: Some(json!({ "registeredFrom": input.registered_from, "livingFrom": living_from })),
    };
    audit::record(txn, actor, now, c).await
}
