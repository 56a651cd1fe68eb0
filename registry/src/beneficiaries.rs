//! Beneficiaries of an account (seed 001 §4.3.1): which resident holds which benefit over
//! which period, on what document, and which residents the benefit extends to. Ending a
//! benefit ends it for the members too (their end is capped at the beneficiary's).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, FromQueryResult, Statement,
};
use serde_json::json;

use crate::entities::{beneficiary, beneficiary_member};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub resident_id: i64,
    pub full_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Beneficiary {
    pub id: i64,
    pub resident_id: i64,
    pub full_name: String,
    pub benefit_id: i32,
    pub benefit_name: String,
    pub percent: Decimal,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub document: Option<String>,
    /// The residents the benefit extends to.
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct BeneficiaryInput {
    pub resident_id: i64,
    pub benefit_id: i32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub document: Option<String>,
    /// Residents of the same account the benefit extends to (a benefit that extends to
    /// family only).
    #[graphql(default)]
    pub member_ids: Vec<i64>,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    resident_id: i64,
    full_name: String,
    benefit_id: i32,
    benefit_name: String,
    percent: Decimal,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    document: Option<String>,
    members: serde_json::Value,
}

const SELECT: &str = "SELECT b.id, b.resident_id, r.full_name, b.benefit_id, k.name AS benefit_name, k.percent, \
        b.starts_on, b.ends_on, b.document, \
        (SELECT coalesce(jsonb_agg(jsonb_build_object('residentId', m.resident_id, 'fullName', mr.full_name, \
                 'startsOn', m.starts_on, 'endsOn', m.ends_on) ORDER BY mr.full_name), '[]') \
         FROM beneficiary_members m JOIN residents mr ON mr.id = m.resident_id WHERE m.beneficiary_id = b.id) AS members \
     FROM beneficiaries b JOIN residents r ON r.id = b.resident_id JOIN benefits k ON k.id = b.benefit_id";

fn view(r: Row) -> Beneficiary {
    Beneficiary {
        id: r.id,
        resident_id: r.resident_id,
        full_name: r.full_name,
        benefit_id: r.benefit_id,
        benefit_name: r.benefit_name,
        percent: r.percent.normalize(),
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        document: r.document,
        members: serde_json::from_value(r.members).unwrap_or_default(),
    }
}

pub async fn of_account(txn: &DatabaseTransaction, account_id: i64) -> AppResult<Vec<Beneficiary>> {
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE b.account_id = $1 ORDER BY b.starts_on, r.full_name"),
        [account_id.into()],
    ))
    .all(txn)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The beneficiary and the account it belongs to.
pub async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<(i64, Beneficiary)> {
    #[derive(FromQueryResult)]
    struct Owner {
        account_id: i64,
    }
    let owner = Owner::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT account_id FROM beneficiaries WHERE id = $1",
        [id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE b.id = $1"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok((owner.account_id, view(row)))
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// How many of `ids` are residents of the account.
async fn residents_of(txn: &DatabaseTransaction, account_id: i64, ids: &[i64]) -> AppResult<i64> {
    Ok(Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT count(*) AS n FROM residents WHERE account_id = $1 AND id = ANY($2)",
        [account_id.into(), ids.to_vec().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n))
}

fn record<'a>(
    id: i64,
    action: &'a str,
    before: Option<&Beneficiary>,
    after: Option<&Beneficiary>,
) -> Change<'a> {
    Change {
        entity: "beneficiary",
        entity_id: id.to_string(),
        action,
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
    }
}

pub async fn add(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account_id: i64,
    input: &BeneficiaryInput,
) -> AppResult<Beneficiary> {
    if input.ends_on.is_some_and(|e| e < input.starts_on) {
        return Err(AppError::validation(
            "endsOn",
            "must not be before the start",
        ));
    }
    let document = input
        .document
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if document.is_some_and(|d| d.chars().count() > 200) {
        return Err(AppError::validation(
            "document",
            "must be at most 200 characters",
        ));
    }
    if residents_of(txn, account_id, &[input.resident_id]).await? != 1 {
        return Err(AppError::validation(
            "residentId",
            "must be a resident of this account",
        ));
    }
    let mut members = input.member_ids.clone();
    members.sort_unstable();
    members.dedup();
    if members.contains(&input.resident_id) {
        return Err(AppError::validation(
            "memberIds",
            "must not include the beneficiary",
        ));
    }
    if residents_of(txn, account_id, &members).await? != members.len() as i64 {
        return Err(AppError::validation(
            "memberIds",
            "must be residents of this account",
        ));
    }
    #[derive(FromQueryResult)]
    struct Family {
        family: bool,
    }
    let family = Family::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT family FROM benefits WHERE id = $1",
        [input.benefit_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("benefitId", "there is no such record"))?
    .family;
    if !family && !members.is_empty() {
        return Err(AppError::validation(
            "memberIds",
            "this benefit does not extend to family members",
        ));
    }
    let id = beneficiary::Entity::insert(beneficiary::ActiveModel {
        account_id: Set(account_id),
        resident_id: Set(input.resident_id),
        benefit_id: Set(input.benefit_id),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        document: Set(document.map(str::to_owned)),
        ..Default::default()
    })
    .exec(txn)
    .await?
    .last_insert_id;
    // insert_many of nothing is an error in sea-orm, and most benefits have no members.
    if !members.is_empty() {
        beneficiary_member::Entity::insert_many(members.iter().map(|&resident_id| {
            beneficiary_member::ActiveModel {
                beneficiary_id: Set(id),
                resident_id: Set(resident_id),
                starts_on: Set(input.starts_on),
                ends_on: Set(input.ends_on),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    let (_, after) = by_id(txn, id).await?;
    audit::record(txn, actor, now, record(id, "create", None, Some(&after))).await?;
    Ok(after)
}

/// Ends the benefit on `ends_on` (or reopens it with None); every member's period ends no
/// later than that, and a member whose period would start after it is ended on its start.
pub async fn set_end(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    ends_on: Option<NaiveDate>,
) -> AppResult<Beneficiary> {
    let (_, before) = by_id(txn, id).await?;
    if ends_on.is_some_and(|e| e < before.starts_on) {
        return Err(AppError::validation(
            "endsOn",
            "must not be before the start",
        ));
    }
    beneficiary::ActiveModel {
        id: Set(id),
        ends_on: Set(ends_on),
        ..Default::default()
    }
    .update(txn)
    .await?;
    if let Some(end) = ends_on {
        // One statement caps every member's end; an entity update would load each row.
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE beneficiary_members SET ends_on = greatest(starts_on, least(coalesce(ends_on, $2), $2)) \
             WHERE beneficiary_id = $1",
            [id.into(), end.into()],
        ))
        .await?;
    }
    let (_, after) = by_id(txn, id).await?;
    audit::record(
        txn,
        actor,
        now,
        record(id, "update", Some(&before), Some(&after)),
    )
    .await?;
    Ok(after)
}

pub async fn remove(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let (_, before) = by_id(txn, id).await?;
    beneficiary::Entity::delete_by_id(id).exec(txn).await?;
    audit::record(txn, actor, now, record(id, "delete", Some(&before), None)).await
}
