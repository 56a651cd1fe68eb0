//! Legal entities (seed 000 §4.3): legal subscribers with their legal address, contracts
//! (each billed through its own account, opened with the contract in one transaction) and
//! the metering points a contract serves.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
};
use serde_json::json;

use crate::entities::{contract, metering_point};
use crate::subscribers::{self, OpenAccountInput, SubscriberInput, SubscriberView};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::{optional_text, stmt};

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct LegalEntityRow {
    pub id: i64,
    pub name: String,
    pub tax_id: Option<String>,
    pub legal_address: Option<String>,
    pub contracts: i64,
    /// The contracts' account numbers.
    pub account_numbers: Vec<String>,
    /// Where the contracts' objects are (their accounts' addresses).
    pub addresses: Vec<String>,
    /// The branches of those accounts.
    pub branches: Vec<String>,
    /// Working meters on those accounts.
    pub meters: i64,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeteringPoint {
    pub id: i64,
    pub name: String,
    pub service_name: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub account_id: i64,
    pub account_number: String,
    pub address: String,
    pub metering_points: Vec<MeteringPoint>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct LegalEntityCard {
    pub subscriber: SubscriberView,
    pub legal_address: Option<String>,
    /// The contracts whose accounts are within the user's reach.
    pub contracts: Vec<Contract>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct LegalEntityInput {
    pub name: String,
    pub tax_id: Option<String>,
    pub legal_address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ContractInput {
    pub number: String,
    pub signed_on: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Where the contract's objects are; its account is opened there.
    pub premises_id: i64,
    /// The account's number; the next free one when not given.
    pub account_number: Option<String>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct MeteringPointInput {
    pub name: String,
    pub service_id: Option<i32>,
    pub comment: Option<String>,
}

fn record<'a>(entity: &'a str, id: i64, action: &'a str, after: serde_json::Value) -> Change<'a> {
    Change {
        entity,
        entity_id: id.to_string(),
        action,
        before: None,
        after: Some(after),
    }
}

/// Creates a legal subscriber with its legal address.
pub async fn create(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    input: &LegalEntityInput,
) -> AppResult<i64> {
    let legal_address = optional_text(input.legal_address.as_deref(), "legalAddress", 300)?;
    let s = subscribers::create_subscriber(
        txn,
        actor,
        now,
        &SubscriberInput {
            legal: true,
            last_name: None,
            first_name: None,
            middle_name: None,
            legal_name: Some(input.name.clone()),
            tax_id: input.tax_id.clone(),
            phone: input.phone.clone(),
            email: input.email.clone(),
            birth_date: None,
        },
    )
    .await?;
    txn.execute_raw(stmt(
        "UPDATE subscribers SET legal_address = $2 WHERE id = $1",
        vec![s.id.into(), legal_address.into()],
    ))
    .await?;
    Ok(s.id)
}

/// The condition, on `subscribers s`, that a reach-limited user sees the subscriber: one
/// of its accounts is within reach, or it has none (tied to no branch yet). None: all.
pub fn subscriber_condition(reach: &Reach) -> Option<String> {
    reach.account_condition_of("ra").map(|c| {
        format!(
            "(EXISTS (SELECT 1 FROM accounts ra WHERE ra.subscriber_id = s.id AND {c}) \
              OR NOT EXISTS (SELECT 1 FROM accounts ra WHERE ra.subscriber_id = s.id))"
        )
    })
}

/// Legal entities by name, tax id, contract number or account number — those with a
/// contract within reach (or none yet).
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<LegalEntityRow>)> {
    let pattern = platform::sql::like_pattern(search);
    let within = subscriber_condition(reach)
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let account_within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let filter = format!(
        "WHERE s.kind = 'legal'{within} AND ($1::text IS NULL OR s.legal_name ILIKE $1 OR s.tax_id ILIKE $1 \
        OR EXISTS (SELECT 1 FROM contracts c JOIN accounts a ON a.id = c.account_id \
                   WHERE c.subscriber_id = s.id{account_within} AND (c.number ILIKE $1 OR a.number ILIKE $1 \
                     OR a.address ILIKE $1 OR EXISTS (SELECT 1 FROM meters m WHERE m.account_id = a.id AND m.serial ILIKE $1))))"
    );
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let total = Count::find_by_statement(stmt(
        &format!("SELECT count(*) AS n FROM subscribers s {filter}"),
        vec![pattern.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = LegalEntityRow::find_by_statement(stmt(
        &format!(
            "SELECT s.id, s.legal_name AS name, s.tax_id, s.legal_address, \
               (SELECT count(*) FROM contracts c JOIN accounts a ON a.id = c.account_id \
                WHERE c.subscriber_id = s.id{account_within}) AS contracts, \
               ARRAY(SELECT a.number FROM contracts c JOIN accounts a ON a.id = c.account_id \
                     WHERE c.subscriber_id = s.id{account_within} ORDER BY a.number) AS account_numbers, \
               ARRAY(SELECT DISTINCT a.address FROM contracts c JOIN accounts a ON a.id = c.account_id \
                     WHERE c.subscriber_id = s.id{account_within} ORDER BY a.address) AS addresses, \
               ARRAY(SELECT DISTINCT br.name FROM contracts c JOIN accounts a ON a.id = c.account_id \
                     JOIN branches br ON br.id = a.branch_id \
                     WHERE c.subscriber_id = s.id{account_within} ORDER BY br.name) AS branches, \
               (SELECT count(*) FROM contracts c JOIN accounts a ON a.id = c.account_id \
                  JOIN meters m ON m.account_id = a.id AND m.removed_on IS NULL \
                WHERE c.subscriber_id = s.id{account_within}) AS meters \
             FROM subscribers s {filter} ORDER BY s.legal_name, s.id OFFSET $2 LIMIT $3"
        ),
        vec![
            pattern.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok((total, rows))
}

#[derive(FromQueryResult)]
struct ContractRow {
    id: i64,
    number: String,
    signed_on: NaiveDate,
    valid_to: Option<NaiveDate>,
    account_id: i64,
    account_number: String,
    address: String,
    points: serde_json::Value,
}

/// The legal entity with its contracts within reach; one whose contracts are all outside
/// it is not found.
pub async fn card(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<LegalEntityCard> {
    let subscriber = subscribers::subscriber_of(txn, Some(id))
        .await?
        .filter(|s| s.kind == "legal")
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    if !subscribers::within_reach(txn, reach, id).await? {
        return Err(AppError::NotFound(format!("record {id} does not exist")));
    }
    #[derive(FromQueryResult)]
    struct Address {
        legal_address: Option<String>,
    }
    let legal_address = Address::find_by_statement(stmt(
        "SELECT legal_address FROM subscribers WHERE id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .and_then(|a| a.legal_address);
    let within = reach
        .account_condition()
        .map(|c| format!(" AND a.id IN (SELECT id FROM accounts WHERE {c})"))
        .unwrap_or_default();
    let rows = ContractRow::find_by_statement(stmt(
        &format!(
            "SELECT c.id, c.number, c.signed_on, c.valid_to, a.id AS account_id, a.number AS account_number, a.address, \
               (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'name', m.name, 'serviceName', v.name, 'comment', m.comment) \
                        ORDER BY m.name), '[]') \
                FROM metering_points m LEFT JOIN services v ON v.id = m.service_id WHERE m.contract_id = c.id) AS points \
             FROM contracts c JOIN accounts a ON a.id = c.account_id \
             WHERE c.subscriber_id = $1{within} ORDER BY c.signed_on, c.number"
        ),
        vec![id.into()],
    ))
    .all(txn)
    .await?;
    let contracts = rows
        .into_iter()
        .map(|r| Contract {
            id: r.id,
            number: r.number,
            signed_on: r.signed_on,
            valid_to: r.valid_to,
            account_id: r.account_id,
            account_number: r.account_number,
            address: r.address,
            metering_points: serde_json::from_value(r.points).unwrap_or_default(),
        })
        .collect();
    Ok(LegalEntityCard {
        subscriber,
        legal_address,
        contracts,
    })
}

/// Makes a contract and opens its account in the same transaction.
pub async fn add_contract(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    subscriber_id: i64,
    input: &ContractInput,
) -> AppResult<i64> {
    let number = input.number.trim();
    if number.is_empty() || number.chars().count() > 40 {
        return Err(AppError::validation("number", "must be 1–40 characters"));
    }
    if input.valid_to.is_some_and(|v| v < input.signed_on) {
        return Err(AppError::validation(
            "validTo",
            "must not be before the start",
        ));
    }
    let legal = subscribers::subscriber_of(txn, Some(subscriber_id))
        .await?
        .is_some_and(|s| s.kind == "legal");
    if !legal {
        return Err(AppError::NotFound(format!(
            "record {subscriber_id} does not exist"
        )));
    }
    let account_id = subscribers::open_account(
        txn,
        actor,
        now,
        &OpenAccountInput {
            number: input.account_number.clone(),
            subscriber_id: Some(subscriber_id),
            new_subscriber: None,
            premises_id: input.premises_id,
            opened_on: input.signed_on,
            no_penalty: false,
            comment: Some(format!("contract {number}")),
        },
    )
    .await?;
    let id = contract::Entity::insert(contract::ActiveModel {
        subscriber_id: Set(subscriber_id),
        account_id: Set(account_id),
        number: Set(number.to_owned()),
        signed_on: Set(input.signed_on),
        valid_to: Set(input.valid_to),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(|e| {
        if e.to_string().contains("contracts_number_key") {
            AppError::Conflict(format!("contract number {number} is already taken"))
        } else {
            e.into()
        }
    })?
    .last_insert_id;
    let after = json!({ "number": number, "subscriberId": subscriber_id, "accountId": account_id, "signedOn": input.signed_on, "validTo": input.valid_to });
    audit::record(txn, actor, now, record("contract", id, "create", after)).await?;
    Ok(id)
}

/// The contract's owner and account (for the reach check).
pub async fn contract_owner(txn: &DatabaseTransaction, contract_id: i64) -> AppResult<(i64, i64)> {
    contract::Entity::find_by_id(contract_id)
        .one(txn)
        .await?
        .map(|c| (c.subscriber_id, c.account_id))
        .ok_or_else(|| AppError::NotFound(format!("record {contract_id} does not exist")))
}

pub async fn add_metering_point(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    contract_id: i64,
    input: &MeteringPointInput,
) -> AppResult<i64> {
    let name = optional_text(Some(&input.name), "name", 100)?
        .ok_or_else(|| AppError::validation("name", "must be 1–100 characters"))?;
    let comment = optional_text(input.comment.as_deref(), "comment", 500)?;
    // SQL, not the entity: the service's existence is checked in the same statement, so an
    // unknown service reads as a validation error on `serviceId` rather than a foreign key.
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let id = NewId::find_by_statement(stmt(
        "INSERT INTO metering_points (contract_id, name, service_id, comment) \
         SELECT $1, $2, $3, $4 WHERE $3::int IS NULL OR EXISTS (SELECT 1 FROM services WHERE id = $3) \
         RETURNING id",
        vec![
            contract_id.into(),
            name.clone().into(),
            input.service_id.into(),
            comment.clone().into(),
        ],
    ))
    .one(txn)
    .await
    .map_err(|e| {
        if e.to_string().contains("metering_points_name_key") {
            AppError::Conflict(format!("the contract already has a metering point {name}"))
        } else {
            e.into()
        }
    })?
    .ok_or_else(|| AppError::validation("serviceId", "there is no such record"))?
    .id;
    let after = json!({ "contractId": contract_id, "name": name, "serviceId": input.service_id, "comment": comment });
    audit::record(
        txn,
        actor,
        now,
        record("metering_point", id, "create", after),
    )
    .await?;
    Ok(id)
}

/// Removes a metering point; returns its contract.
pub async fn remove_metering_point(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<i64> {
    let p = metering_point::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    // A concurrent removal between the read and the delete leaves nothing to audit.
    if metering_point::Entity::delete_by_id(id)
        .exec(txn)
        .await?
        .rows_affected
        == 0
    {
        return Err(AppError::NotFound(format!("record {id} does not exist")));
    }
    let c = Change {
        entity: "metering_point",
        entity_id: id.to_string(),
        action: "delete",
        before: Some(json!({ "contractId": p.contract_id, "name": p.name })),
        after: None,
    };
    audit::record(txn, actor, now, c).await?;
    Ok(p.contract_id)
}
