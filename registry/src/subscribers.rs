//! Subscribers, accounts opened for premises, and residents.
//!
//! Rules chosen: an account number is digits only (1–20); when none is given it is the
//! tenant's next automatic number (`numbering`). An account is opened for one
//! premises and one subscriber; its `holder_name` and `address` are kept as they read at
//! opening (the list shows them without joins). `residents` on the account counts the
//! residents actually living there on the day of the last change (the calculation reads
//! the periods themselves).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, FromQueryResult, Statement,
};
use serde_json::json;

use crate::entities::resident;
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::optional_text;

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct SubscriberInput {
    /// true: a legal entity (give `legalName`); false: an individual (give `lastName`).
    #[graphql(default)]
    pub legal: bool,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberView {
    pub id: i64,
    pub kind: String,
    pub display_name: String,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub legal_name: Option<String>,
    pub legal_address: Option<String>,
    pub tax_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// The court case, if any (free text, seed 000 Fig. 6 "Суд").
    pub court: Option<String>,
    /// The contract the subscriber signed (free text, "Договор").
    pub contract: Option<String>,
    /// Works for the utility ("Сотрудник").
    pub employee: bool,
    /// The dwelling's amenities ("Степень благоустройства").
    pub amenities: Option<String>,
    /// The controller (meter reader) who visits the subscriber.
    pub controller_id: Option<i32>,
    pub controller_name: Option<String>,
}

const SUBSCRIBER_SELECT: &str = "SELECT s.id, s.kind, \
    CASE WHEN s.kind = 'legal' THEN s.legal_name ELSE concat_ws(' ', s.last_name, s.first_name, s.middle_name) END AS display_name, \
    s.last_name, s.first_name, s.middle_name, s.legal_name, s.legal_address, \
    s.tax_id, s.phone, s.email, s.birth_date, s.court, s.contract, s.is_employee AS employee, s.amenities, \
    s.controller_id, e.name AS controller_name \
    FROM subscribers s LEFT JOIN employees e ON e.id = s.controller_id";

pub(crate) async fn subscriber(txn: &DatabaseTransaction, id: i64) -> AppResult<SubscriberView> {
    SubscriberView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SUBSCRIBER_SELECT} WHERE s.id = $1"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// A subscriber's names and contacts as checked at the edge, ready to store.
pub(crate) struct Checked {
    pub kind: &'static str,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

/// Checks a subscriber's names and contacts, naming the field at fault.
pub(crate) fn checked(i: &SubscriberInput, today: NaiveDate) -> AppResult<Checked> {
    let last = optional_text(i.last_name.as_deref(), "lastName", 100)?;
    let legal_name = optional_text(i.legal_name.as_deref(), "legalName", 300)?;
    if i.legal && legal_name.is_none() {
        return Err(AppError::validation(
            "legalName",
            "must be given for a legal entity",
        ));
    }
    if !i.legal && last.is_none() {
        return Err(AppError::validation(
            "lastName",
            "must be given for an individual",
        ));
    }
    let email = optional_text(i.email.as_deref(), "email", 200)?;
    if email
        .as_deref()
        .is_some_and(|e| !platform::mail::is_address(e))
    {
        return Err(AppError::validation(
            "email",
            "must be an e-mail address such as name@example.com",
        ));
    }
    if i.birth_date.is_some_and(|d| d > today) {
        return Err(AppError::validation("birthDate", "cannot be in the future"));
    }
    // A legal entity has no personal names; an individual no organisation name.
    let (last, first, middle, legal_name) = if i.legal {
        (None, None, None, legal_name)
    } else {
        (
            last,
            optional_text(i.first_name.as_deref(), "firstName", 100)?,
            optional_text(i.middle_name.as_deref(), "middleName", 100)?,
            None,
        )
    };
    Ok(Checked {
        kind: if i.legal { "legal" } else { "individual" },
        last_name: last,
        first_name: first,
        middle_name: middle,
        legal_name,
        tax_id: optional_text(i.tax_id.as_deref(), "taxId", 20)?,
        phone: optional_text(i.phone.as_deref(), "phone", 40)?,
        email,
        birth_date: i.birth_date,
    })
}

pub async fn create_subscriber(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &SubscriberInput,
) -> AppResult<SubscriberView> {
    let c = checked(i, now.date_naive())?;
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let id = NewId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO subscribers (kind, last_name, first_name, middle_name, legal_name, tax_id, phone, email, birth_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        [
            c.kind.into(),
            c.last_name.into(),
            c.first_name.into(),
            c.middle_name.into(),
            c.legal_name.into(),
            c.tax_id.into(),
            c.phone.into(),
            c.email.into(),
            c.birth_date.into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    let view = subscriber(txn, id).await?;
    let c = Change {
        entity: "subscriber",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!(view)),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(view)
}

/// Whether a reach-limited user sees subscriber `id` (see
/// `contracts::subscriber_condition`).
pub async fn within_reach(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<bool> {
    let Some(c) = crate::contracts::subscriber_condition(reach) else {
        return Ok(true);
    };
    #[derive(FromQueryResult)]
    struct Seen {
        #[allow(dead_code)]
        id: i64,
    }
    Ok(Seen::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT s.id FROM subscribers s WHERE s.id = $1 AND {c}"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .is_some())
}

/// Subscribers by name or tax id, as far as the user's reach goes: those with an account
/// within it (or with no account yet).
pub async fn subscribers(
    txn: &DatabaseTransaction,
    reach: &Reach,
    search: Option<&str>,
    limit: u64,
) -> AppResult<Vec<SubscriberView>> {
    let pattern = platform::sql::like_pattern(search);
    let within = crate::contracts::subscriber_condition(reach)
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Ok(SubscriberView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT * FROM ({SUBSCRIBER_SELECT}) s WHERE ($1::text IS NULL OR display_name ILIKE $1 OR tax_id ILIKE $1){within} \
             ORDER BY display_name LIMIT $2"
        ),
        [pattern.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
    ))
    .all(txn)
    .await?)
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct OpenAccountInput {
    /// Digits only; the next free number when not given.
    pub number: Option<String>,
    /// An existing subscriber; or give `newSubscriber` to create one in the same step.
    pub subscriber_id: Option<i64>,
    pub new_subscriber: Option<SubscriberInput>,
    pub premises_id: i64,
    pub opened_on: NaiveDate,
    #[graphql(default)]
    pub no_penalty: bool,
    pub comment: Option<String>,
}

#[derive(FromQueryResult)]
struct Text {
    t: String,
}

pub async fn open_account(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    i: &OpenAccountInput,
) -> AppResult<i64> {
    // One transaction: a subscriber created here exists only if the account opens.
    let subscriber_id = match (i.subscriber_id, &i.new_subscriber) {
        (Some(id), None) => id,
        (None, Some(new)) => create_subscriber(txn, actor, now, new).await?.id,
        _ => {
            return Err(AppError::validation(
                "subscriberId",
                "give either an existing subscriber or a new one",
            ));
        }
    };
    let holder = subscriber(txn, subscriber_id).await.map_err(|_| {
        AppError::validation(
            "subscriberId",
            format!("there is no subscriber {subscriber_id}"),
        )
    })?;
    let address = Text::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT concat_ws(', ', l.name, s.name, b.number) || CASE WHEN p.kind = 'apartment' THEN ', кв. ' ELSE ', прим. ' END || p.number AS t \
         FROM premises p JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id \
         JOIN localities l ON l.id = s.locality_id WHERE p.id = $1",
        [i.premises_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::validation("premisesId", format!("there is no premises {}", i.premises_id)))?
    .t;
    let number = crate::numbering::number_for(txn, i.number.as_deref()).await?;
    let comment = optional_text(i.comment.as_deref(), "comment", 1000)?;
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let id = NewId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO accounts (number, holder_name, address, account_type, subscriber_id, premises_id, status, opened_on, no_penalty, comment, branch_id, type_id) \
         SELECT $1, $2, $3, $4, $5, $6, 'approved', $7, $8, $9, b.branch_id, (SELECT id FROM account_types WHERE code = $4 AND active) \
         FROM premises p JOIN buildings b ON b.id = p.building_id WHERE p.id = $6 \
         ON CONFLICT (number) DO NOTHING RETURNING id",
        [
            number.clone().into(),
            holder.display_name.clone().into(),
            address.clone().into(),
            holder.kind.clone().into(),
            subscriber_id.into(),
            i.premises_id.into(),
            i.opened_on.into(),
            i.no_penalty.into(),
            comment.into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Conflict(format!("account {number} exists")))?
    .id;
    let after = json!({ "number": number, "holder": holder.display_name, "address": address, "openedOn": i.opened_on });
    let c = Change {
        entity: "account",
        entity_id: id.to_string(),
        action: "open",
        before: None,
        after: Some(after),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(id)
}

#[derive(Debug, Clone, async_graphql::InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResidentInput {
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub living_from: Option<NaiveDate>,
    pub living_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResidentView {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub living_from: Option<NaiveDate>,
    pub living_to: Option<NaiveDate>,
}

fn check_period(from: Option<NaiveDate>, to: Option<NaiveDate>, field: &str) -> AppResult<()> {
    match (from, to) {
        (Some(f), Some(t)) if t < f => Err(AppError::validation(
            field,
            "cannot be before the start of the period",
        )),
        _ => Ok(()),
    }
}

/// Adds a resident and recounts the account's residents living there on `today`.
pub async fn add_resident(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account_id: i64,
    r: &ResidentInput,
) -> AppResult<ResidentView> {
    let name = r.full_name.trim();
    if name.is_empty() || name.chars().count() > 300 {
        return Err(AppError::validation("fullName", "must be 1–300 characters"));
    }
    check_period(r.registered_from, r.registered_to, "registeredTo")?;
    check_period(r.living_from, r.living_to, "livingTo")?;
    // SQL, not the entity: selecting from `accounts` makes an unknown account a NotFound
    // in the same statement instead of a foreign-key violation.
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let id = NewId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO residents (account_id, full_name, birth_date, registered_from, registered_to, living_from, living_to) \
         SELECT id, $2, $3, $4, $5, $6, $7 FROM accounts WHERE id = $1 RETURNING id",
        [
            account_id.into(),
            name.into(),
            r.birth_date.into(),
            r.registered_from.into(),
            r.registered_to.into(),
            r.living_from.into(),
            r.living_to.into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {account_id} does not exist")))?
    .id;
    recount(txn, account_id, now.date_naive()).await?;
    let c = Change {
        entity: "account",
        entity_id: account_id.to_string(),
        action: "add_resident",
        before: None,
        after: Some(json!(r)),
    };
    audit::record(txn, actor, now, c).await?;
    residents(txn, account_id)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| AppError::Internal("resident vanished".into()))
}

pub(crate) async fn recount(
    txn: &DatabaseTransaction,
    account_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE accounts SET residents = (SELECT count(*) FROM residents WHERE account_id = $1 \
           AND (living_from IS NULL OR living_from <= $2) AND (living_to IS NULL OR living_to >= $2)) WHERE id = $1",
        [account_id.into(), today.into()],
    ))
    .await?;
    Ok(())
}

/// The account a resident belongs to.
pub async fn resident_account(txn: &DatabaseTransaction, resident_id: i64) -> AppResult<i64> {
    resident::Entity::find_by_id(resident_id)
        .one(txn)
        .await?
        .map(|r| r.account_id)
        .ok_or_else(|| AppError::NotFound(format!("record {resident_id} does not exist")))
}

/// Corrects a resident (name, birth date, periods — e.g. ends the actual living when
/// someone moves out); the account's count of residents follows.
pub async fn update_resident(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    resident_id: i64,
    r: &ResidentInput,
) -> AppResult<()> {
    let name = r.full_name.trim();
    if name.is_empty() || name.chars().count() > 300 {
        return Err(AppError::validation("fullName", "must be 1–300 characters"));
    }
    check_period(r.registered_from, r.registered_to, "registeredTo")?;
    check_period(r.living_from, r.living_to, "livingTo")?;
    let account_id = resident_account(txn, resident_id).await?;
    let before = residents(txn, account_id)
        .await?
        .into_iter()
        .find(|x| x.id == resident_id);
    resident::ActiveModel {
        id: Set(resident_id),
        full_name: Set(name.to_owned()),
        birth_date: Set(r.birth_date),
        registered_from: Set(r.registered_from),
        registered_to: Set(r.registered_to),
        living_from: Set(r.living_from),
        living_to: Set(r.living_to),
        ..Default::default()
    }
    .update(txn)
    .await?;
    recount(txn, account_id, now.date_naive()).await?;
    let c = Change {
        entity: "resident",
        entity_id: resident_id.to_string(),
        action: "update",
        before: before.map(|b| json!(b)),
        after: Some(json!(r)),
    };
    audit::record(txn, actor, now, c).await
}

/// Removes a resident entered by mistake (one who holds or shares a benefit stays: end
/// the benefit first); returns the account.
pub async fn remove_resident(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    resident_id: i64,
) -> AppResult<i64> {
    let account_id = resident_account(txn, resident_id).await?;
    let before = residents(txn, account_id)
        .await?
        .into_iter()
        .find(|x| x.id == resident_id);
    // Kept, so the removal can be undone (the delete below still refuses a beneficiary).
    crate::resident_archive::keep(txn, actor, now, resident_id).await?;
    resident::Entity::delete_by_id(resident_id)
        .exec(txn)
        .await
        .map_err(|e| {
            if e.to_string().contains("violates foreign key constraint") {
                AppError::Conflict("the resident has a benefit; end or remove it first".into())
            } else {
                e.into()
            }
        })?;
    recount(txn, account_id, now.date_naive()).await?;
    let c = Change {
        entity: "resident",
        entity_id: resident_id.to_string(),
        action: "delete",
        before: before.map(|b| json!(b)),
        after: None,
    };
    audit::record(txn, actor, now, c).await?;
    Ok(account_id)
}

pub async fn residents(txn: &DatabaseTransaction, account_id: i64) -> AppResult<Vec<ResidentView>> {
    Ok(ResidentView::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT id, full_name, birth_date, registered_from, registered_to, living_from, living_to \
         FROM residents WHERE account_id = $1 ORDER BY living_from NULLS FIRST, id",
        [account_id.into()],
    ))
    .all(txn)
    .await?)
}

/// The third party who pays for an account, if any.
pub async fn payer_of(txn: &DatabaseTransaction, account_id: i64) -> AppResult<Option<i64>> {
    #[derive(FromQueryResult)]
    struct Payer {
        payer_id: Option<i64>,
    }
    Ok(Payer::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT payer_id FROM accounts WHERE id = $1",
        [account_id.into()],
    ))
    .one(txn)
    .await?
    .and_then(|p| p.payer_id))
}

/// The names of the third parties who pay for `accounts` (seed 001 §4.3 «Платник»), by
/// account; an account its holder pays for is not in the map.
pub async fn payer_names(
    txn: &DatabaseTransaction,
    accounts: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
    #[derive(FromQueryResult)]
    struct Named {
        account_id: i64,
        display_name: String,
    }
    Ok(Named::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT a.id AS account_id, s.display_name FROM accounts a \
             JOIN ({SUBSCRIBER_SELECT}) s ON s.id = a.payer_id WHERE a.id = ANY($1)"
        ),
        [accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|n| (n.account_id, n.display_name))
    .collect())
}

/// The subscriber an account belongs to.
pub async fn subscriber_of(
    txn: &DatabaseTransaction,
    subscriber_id: Option<i64>,
) -> AppResult<Option<SubscriberView>> {
    match subscriber_id {
        Some(id) => Ok(Some(subscriber(txn, id).await?)),
        None => Ok(None),
    }
}
