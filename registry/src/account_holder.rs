//! The holder of an account opened without one (a group opening's drafts) or entered
//! wrongly: an existing subscriber, or a new one created in the same step.
//!
//! Rule chosen: the holder is set or replaced only while the account has no invoice —
//! once billed, a new owner gets a new account (close this one and open another), so
//! invoices already sent never change whose name they bear.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::subscribers::{self, SubscriberInput};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AccountHolderInput {
    /// An existing subscriber; or give `newSubscriber`.
    pub subscriber_id: Option<i64>,
    pub new_subscriber: Option<SubscriberInput>,
}

#[derive(FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Holder {
    subscriber_id: Option<i64>,
    holder_name: String,
    #[serde(skip)]
    invoiced: bool,
}

pub async fn set_holder(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_id: i64,
    i: &AccountHolderInput,
) -> AppResult<()> {
    let before = Holder::find_by_statement(stmt(
        "SELECT subscriber_id, holder_name, EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = a.id) AS invoiced \
         FROM accounts a WHERE id = $1 FOR UPDATE",
        vec![account_id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {account_id} does not exist")))?;
    if before.invoiced {
        return Err(AppError::validation(
            "subscriberId",
            "the account has invoices: close it and open a new one for the new holder",
        ));
    }
    let id = match (i.subscriber_id, &i.new_subscriber) {
        (Some(id), None) => {
            if !subscribers::within_reach(txn, reach, id).await? {
                return Err(AppError::validation(
                    "subscriberId",
                    "there is no such record",
                ));
            }
            id
        }
        (None, Some(new)) => {
            subscribers::create_subscriber(txn, actor, now, new)
                .await?
                .id
        }
        _ => {
            return Err(AppError::validation(
                "subscriberId",
                "give either an existing subscriber or a new one",
            ));
        }
    };
    let holder = subscribers::subscriber(txn, id)
        .await
        .map_err(|_| AppError::validation("subscriberId", "there is no such record"))?;
    txn.execute_raw(stmt(
        // The type follows the holder's kind when the one it had is for the other kind.
        "UPDATE accounts a SET subscriber_id = $2, holder_name = $3, account_type = $4, \
             type_id = CASE WHEN t.legal = ($4 = 'legal') THEN a.type_id \
                            ELSE (SELECT id FROM account_types WHERE code = $4 AND active) END \
         FROM accounts o LEFT JOIN account_types t ON t.id = o.type_id WHERE a.id = $1 AND o.id = a.id",
        vec![
            account_id.into(),
            id.into(),
            holder.display_name.clone().into(),
            holder.kind.clone().into(),
        ],
    ))
    .await?;
    let c = Change {
        entity: "account",
        entity_id: account_id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!({ "subscriberId": id, "holderName": holder.display_name })),
    };
    audit::record(txn, actor, now, c).await
}
