//! The audit log: who, when, which record, before → after (seed 001 "Протокол змін
//! записів"). Written in the same transaction as the change it describes, so a change
//! without its audit row cannot exist. The tenant role may only append to it.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement};
use serde_json::Value;
use uuid::Uuid;

use crate::audit_changes::{FieldChange, field_changes};
use crate::error::AppResult;

/// Who made a change: a signed-in user, or the system (a job, the demo set-up).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub login: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            user_id: None,
            login: "system".into(),
        }
    }
}

/// Every action an audit row may name; each has a label in the codes catalog (list
/// `audit_action`), which a test in `l10n` checks against this list.
pub const ACTIONS: &[&str] = &[
    "create",
    "reregister",
    "update",
    "delete",
    "cancel",
    "open",
    "close",
    "reopen",
    "calculate",
    "import",
    "upload",
    "post",
    "form",
    "start",
    "verify",
    "reseal",
    "seeded",
    "enter",
    "correct",
    "remove",
    "restore",
    "activate",
    "deactivate",
    "suspend",
    "resume",
    "sign_in",
    "sign_in_failed",
    "change_password",
    "reset_password",
    "invite",
    "accept_invitation",
    "reset_password_by_link",
    "register",
    "renew_portal_code",
    "export",
    "add_address",
    "add_resident",
    "clear_readings",
    "set_areas",
    "set_price_list",
    "assign_main",
    "remove_main",
    "replace_main",
    "hold",
    "accept",
    "reject",
    "logo",
    "approve",
    "unapprove",
    "check",
    "match",
    "set_status",
    "move",
];

/// Every kind of record an audit row may name (list `audit_entity` in the codes catalog).
pub const ENTITIES: &[&str] = &[
    "tenant",
    "enterprise",
    "tenant_sso_secret",
    "session",
    "user",
    "role",
    "settings",
    "billing_settings",
    "invoice_settings",
    "mail_settings",
    "payment_settings",
    "reminder_settings",
    "locality",
    "street",
    "building",
    "premises",
    "subscriber",
    "account",
    "account_service",
    "resident",
    "beneficiary",
    "contract",
    "metering_point",
    "subsidy",
    "opening_balance",
    "restructuring",
    "debt_case",
    "claim_template",
    "report_schedule",
    "meter",
    "reading",
    "held_reading",
    "readings_import",
    "tariff",
    "norm",
    "penalty_rate",
    "penalty_moratorium",
    "heating_coefficient",
    "period",
    "calculation",
    "invoice",
    "payment",
    "payment_batch",
    "payment_file",
    "payment_template",
    "import_file",
    "import_template",
    "reminder_run",
    "act",
    "job",
    "demo",
    "branches",
    "banks",
    "payment_types",
    "recalculation_reasons",
    "account_types",
    "employees",
    "journals",
    "units",
    "services",
    "seasons",
    "meter_types",
    "meter_brands",
    "meter_models",
    "benefits",
    "price_lists",
    "grid_operators",
    "intermediaries",
    "retail_customer",
    "retail_point",
    "retail_contract",
    "retail_document",
];

/// One change of one record.
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends to the tenant's `audit_log` (the transaction must be a tenant unit of work).
pub async fn record(
    txn: &DatabaseTransaction,
    actor: &Actor,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<()> {
    insert(txn, "audit_log", actor, at, change).await
}

/// Records a record's change from its state `before` to `after` (none before: created;
/// none after: deleted), each as JSON.
pub async fn record_row<T: serde::Serialize>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    at: DateTime<Utc>,
    (entity, entity_id): (&str, String),
    before: Option<&T>,
    after: Option<&T>,
) -> AppResult<()> {
    let action = match (before, after) {
        (None, _) => "create",
        (_, None) => "delete",
        _ => "update",
    };
    let json = |v: &T| serde_json::to_value(v).unwrap_or(Value::Null);
    let change = Change {
        entity,
        entity_id,
        action,
        before: before.map(json),
        after: after.map(json),
    };
    record(txn, actor, at, change).await
}

/// Records a change of a tenant's one-row settings table (`entity`, row "1").
pub async fn settings_changed(
    txn: &DatabaseTransaction,
    actor: &Actor,
    at: DateTime<Utc>,
    entity: &str,
    action: &str,
    before: Option<Value>,
    after: Value,
) -> AppResult<()> {
    record(
        txn,
        actor,
        at,
        Change {
            entity,
            entity_id: "1".into(),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// Appends to `public.platform_audit` (tenants created, suspended, resumed).
pub async fn record_platform(
    txn: &DatabaseTransaction,
    actor: &Actor,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<()> {
    insert(txn, "public.platform_audit", actor, at, change).await
}

async fn insert(
    txn: &DatabaseTransaction,
    table: &str,
    actor: &Actor,
    at: DateTime<Utc>,
    c: Change<'_>,
) -> AppResult<()> {
    // A new action or record kind needs its words in the codes catalog first; tests run
    // every audited path in a debug build, so one left out of the lists fails there.
    debug_assert!(
        ACTIONS.contains(&c.action),
        "audit action {:?} is not in audit::ACTIONS",
        c.action
    );
    debug_assert!(
        ENTITIES.contains(&c.entity),
        "audit entity {:?} is not in audit::ENTITIES",
        c.entity
    );
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "INSERT INTO {table} (at, actor_id, actor_login, entity, entity_id, action, before, after) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ),
        [
            at.into(),
            actor.user_id.into(),
            actor.login.clone().into(),
            c.entity.into(),
            c.entity_id.into(),
            c.action.into(),
            c.before.into(),
            c.after.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// One row of the audit log, as the history view shows it.
#[derive(Debug, Clone, async_graphql::SimpleObject, sea_orm::FromQueryResult)]
#[graphql(complex)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_login: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[async_graphql::ComplexObject]
impl AuditEntry {
    /// The fields the change touched, before → after, named in the reader's language.
    async fn changes(&self, ctx: &async_graphql::Context<'_>) -> Vec<FieldChange> {
        let lang = ctx
            .data_opt::<l10n::Lang>()
            .copied()
            .unwrap_or(l10n::Lang::EN);
        self.field_changes(lang)
    }
}

impl AuditEntry {
    /// [`field_changes`] of this row, labelled in `lang`.
    pub fn field_changes(&self, lang: l10n::Lang) -> Vec<FieldChange> {
        field_changes(self.before.as_ref(), self.after.as_ref(), |f| {
            crate::i18n::field(lang, f)
        })
    }
}

/// Filters of the history view; all optional.
#[derive(Debug, Clone, Default, async_graphql::InputObject)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_login: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[derive(sea_orm::FromQueryResult)]
struct Count {
    n: i64,
}

/// Newest first.
/// The audit log, newest first; `actor`: only what that user did (a user limited to
/// branches or buildings reads only their own actions: the log of the whole tenant tells
/// of every branch).
pub async fn query(
    txn: &DatabaseTransaction,
    f: &AuditFilter,
    actor: Option<uuid::Uuid>,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<AuditEntry>)> {
    use sea_orm::FromQueryResult;
    let filter = "WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2) \
                  AND ($3::text IS NULL OR lower(actor_login) = lower($3)) \
                  AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5) \
                  AND ($6::uuid IS NULL OR actor_id = $6)";
    let values = || -> Vec<sea_orm::Value> {
        vec![
            f.entity.clone().into(),
            f.entity_id.clone().into(),
            f.actor_login.clone().into(),
            f.from.into(),
            f.to.into(),
            actor.into(),
        ]
    };
    let total = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT count(*) AS n FROM audit_log {filter}"),
        values(),
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let mut v = values();
    v.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
    v.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let rows = AuditEntry::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT id, at, actor_id, actor_login, entity, entity_id, action, before, after \
             FROM audit_log {filter} ORDER BY at DESC, id DESC OFFSET $7 LIMIT $8"
        ),
        v,
    ))
    .all(txn)
    .await?;
    Ok((total, rows))
}
