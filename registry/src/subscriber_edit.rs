//! Editing a subscriber after the fact (seed 000 §4.2 «Изменить», §4.3 «Изменить
//! контрагента»): names, contacts, the legal address and the additional information of
//! the card.
//!
//! Rules chosen: an individual stays an individual and a legal entity a legal entity (the
//! accounts' type and contracts hang on it; a new owner gets a new account); the name
//! the account list shows (`accounts.holder_name`, kept as read at opening) follows a
//! corrected name on every account of the subscriber, so the list, the search and the
//! invoices print the fixed spelling; the controller must be an active employee marked as
//! a controller.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::subscribers::{self, SubscriberInput, SubscriberView};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::{optional_text, stmt};

/// Everything the subscriber card edits; every field is replaced (null clears it).
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct SubscriberEditInput {
    #[graphql(flatten)]
    pub base: SubscriberInput,
    /// A legal entity's registered address.
    pub legal_address: Option<String>,
    pub court: Option<String>,
    pub contract: Option<String>,
    #[graphql(default)]
    pub employee: bool,
    pub amenities: Option<String>,
    pub controller_id: Option<i32>,
}

async fn check_controller(txn: &DatabaseTransaction, id: Option<i32>) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    #[derive(FromQueryResult)]
    struct One {
        #[allow(dead_code)]
        id: i32,
    }
    One::find_by_statement(stmt(
        "SELECT id FROM employees WHERE id = $1 AND is_controller AND active",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .map(|_| ())
    .ok_or_else(|| {
        AppError::validation(
            "controllerId",
            "must be an active employee who is a controller",
        )
    })
}

/// Replaces the subscriber's fields; the caller has checked the subscriber is within reach.
pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    i: &SubscriberEditInput,
) -> AppResult<SubscriberView> {
    let before = subscribers::subscriber(txn, id).await?;
    let c = subscribers::checked(&i.base, now.date_naive())?;
    if c.kind != before.kind {
        return Err(AppError::validation(
            "legal",
            "cannot change between an individual and a legal entity; open an account for the new subscriber",
        ));
    }
    let legal_address = optional_text(i.legal_address.as_deref(), "legalAddress", 300)?;
    let court = optional_text(i.court.as_deref(), "court", 300)?;
    let contract = optional_text(i.contract.as_deref(), "contract", 300)?;
    let amenities = optional_text(i.amenities.as_deref(), "amenities", 300)?;
    check_controller(txn, i.controller_id).await?;
    txn.execute_raw(stmt(
        "UPDATE subscribers SET last_name = $2, first_name = $3, middle_name = $4, legal_name = $5, \
           tax_id = $6, phone = $7, email = $8, birth_date = $9, legal_address = $10, court = $11, \
           contract = $12, is_employee = $13, amenities = $14, controller_id = $15 WHERE id = $1",
        vec![
            id.into(),
            c.last_name.into(),
            c.first_name.into(),
            c.middle_name.into(),
            c.legal_name.into(),
            c.tax_id.into(),
            c.phone.into(),
            c.email.into(),
            c.birth_date.into(),
            legal_address.into(),
            court.into(),
            contract.into(),
            i.employee.into(),
            amenities.into(),
            i.controller_id.into(),
        ],
    ))
    .await?;
    let after = subscribers::subscriber(txn, id).await?;
    if after.display_name != before.display_name {
        txn.execute_raw(stmt(
            "UPDATE accounts SET holder_name = $2 WHERE subscriber_id = $1",
            vec![id.into(), after.display_name.clone().into()],
        ))
        .await?;
    }
    let change = Change {
        entity: "subscriber",
        entity_id: id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    audit::record(txn, actor, now, change).await?;
    Ok(after)
}
