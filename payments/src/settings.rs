//! How the tenant splits a payment over services: in proportion to the amounts due, or by
//! its priority order of services (seed 001 "Розподіл оплат … з урахуванням черговості").

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::sql::settings_row;
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePriority {
    pub service_id: i32,
    pub code: String,
    pub name: String,
    /// 1 is paid first; None: after the numbered ones.
    pub priority: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
pub struct PaymentSettings {
    /// proportional or priority.
    pub split: String,
    pub services: Vec<ServicePriority>,
}

#[derive(FromQueryResult)]
struct SplitRow {
    payment_split: String,
}

pub async fn load(txn: &DatabaseTransaction) -> AppResult<PaymentSettings> {
    let split = settings_row::<SplitRow>(
        txn,
        "billing_settings",
        "SELECT payment_split FROM billing_settings",
    )
    .await?
    .payment_split;
    let services = ServicePriority::find_by_statement(stmt(
        "SELECT id AS service_id, code, name, payment_priority AS priority FROM services \
         ORDER BY payment_priority NULLS LAST, code",
        vec![],
    ))
    .all(txn)
    .await?;
    Ok(PaymentSettings { split, services })
}

/// Sets the split rule and the priority order (`order`: service ids, first paid first;
/// services not named lose their place).
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    split: &str,
    order: &[i32],
) -> AppResult<PaymentSettings> {
    if !matches!(split, "proportional" | "priority") {
        return Err(AppError::validation(
            "split",
            "must be proportional or priority",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if order.iter().any(|s| !seen.insert(*s)) {
        return Err(AppError::validation("order", "a service must appear once"));
    }
    let before = load(txn).await?;
    if let Some(s) = order
        .iter()
        .find(|s| !before.services.iter().any(|x| x.service_id == **s))
    {
        return Err(AppError::validation(
            "order",
            format!("service {s} does not exist"),
        ));
    }
    txn.execute_raw(stmt(
        "UPDATE billing_settings SET payment_split = $1",
        vec![split.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "UPDATE services s SET payment_priority = o.n::int \
         FROM (SELECT * FROM unnest($1::int[]) WITH ORDINALITY AS t(id, n)) o WHERE o.id = s.id",
        vec![order.to_vec().into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "UPDATE services SET payment_priority = NULL WHERE NOT (id = ANY($1)) AND payment_priority IS NOT NULL",
        vec![order.to_vec().into()],
    ))
    .await?;
    let after = load(txn).await?;
    audit::settings_changed(txn, actor, now, "payment_settings", "update", Some(json!({"split": before.split, "order": before.services.iter().filter(|s| s.priority.is_some()).map(|s| s.service_id).collect::<Vec<_>>()})), json!({"split": split, "order": order}))
    .await?;
    Ok(after)
}
