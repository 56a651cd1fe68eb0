//! Services of accounts with their periods and quantities (seed 000 Fig. 9 "Услуги",
//! seed 001 §6.5), and the group operations on selected accounts: assign a service,
//! change its period, remove it. Each group operation is one set-based statement per step
//! with one audit row per record touched, all in the caller's transaction; accounts it
//! cannot apply to are reported with the reason, never half-changed.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};

use access::auth::Reach;
use platform::audit::Actor;
use platform::error::{AppError, AppResult};

/// Most accounts one group operation may touch (the selection of one screen and more).
pub const MAX_GROUP: usize = 10_000;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountService {
    pub id: i64,
    pub account_id: i64,
    pub service_id: i32,
    pub service_name: String,
    pub method: String,
    pub starts_on: NaiveDate,
    /// The last day; null = until further notice.
    pub ends_on: Option<NaiveDate>,
    /// For fixed-quantity services (e.g. number of units); null = the method decides.
    pub quantity: Option<Decimal>,
}

/// What to assign or change: a service over a period, optionally with a quantity.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ServicePeriodInput {
    pub service_id: i32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Text ("2", "1,5"); empty or null = none.
    pub quantity: Option<String>,
}

/// Why an account of a selection was left as it was.
#[derive(Debug, Clone, PartialEq, Eq, async_graphql::SimpleObject)]
pub struct Skipped {
    pub account_id: i64,
    pub number: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct GroupResult {
    /// Records created, changed or removed.
    pub changed: i64,
    pub skipped: Vec<Skipped>,
}

const SELECT: &str = "SELECT s.id, s.account_id, s.service_id, v.name AS service_name, v.method, s.starts_on, s.ends_on, s.quantity \
     FROM account_services s JOIN services v ON v.id = s.service_id";

/// An account's services, by service and start.
pub async fn of_account(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> AppResult<Vec<AccountService>> {
    Ok(
        AccountService::find_by_statement(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("{SELECT} WHERE s.account_id = $1 ORDER BY v.code, s.starts_on"),
            [account_id.into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(normalized)
        .collect(),
    )
}

/// "2.5", not the column's "2.5000".
fn normalized(mut s: AccountService) -> AccountService {
    s.quantity = s.quantity.map(|q| q.normalize());
    s
}

pub async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<AccountService> {
    AccountService::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE s.id = $1"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .map(normalized)
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The checked period and quantity.
fn parsed(
    input: &ServicePeriodInput,
) -> AppResult<(NaiveDate, Option<NaiveDate>, Option<Decimal>)> {
    if input.ends_on.is_some_and(|e| e < input.starts_on) {
        return Err(AppError::validation(
            "endsOn",
            "must not be before the start",
        ));
    }
    let quantity = match input.quantity.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) => {
            let q = platform::input::parse_amount("quantity", q)?;
            if q < Decimal::ZERO || q > Decimal::from(100_000) || q.normalize().scale() > 4 {
                return Err(AppError::validation(
                    "quantity",
                    "must be from 0 to 100000, at most 4 decimal places",
                ));
            }
            Some(q.normalize())
        }
    };
    Ok((input.starts_on, input.ends_on, quantity))
}

pub(crate) fn check_selection(ids: &[i64]) -> AppResult<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_GROUP {
        return Err(AppError::validation(
            "accountIds",
            format!("choose from 1 to {MAX_GROUP} accounts"),
        ));
    }
    Ok(ids)
}

async fn service_exists(txn: &DatabaseTransaction, id: i32) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct One {
        #[allow(dead_code)]
        id: i32,
    }
    One::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT id FROM services WHERE id = $1",
        [id.into()],
    ))
    .one(txn)
    .await?
    .map(|_| ())
    .ok_or_else(|| AppError::validation("serviceId", "there is no such record"))
}

/// `accounts a` rows of the selection within reach (ids are bound, the reach condition
/// is made of integers from the database).
fn targets(reach: &Reach) -> String {
    let within = reach
        .account_condition()
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    // Locked in id order: concurrent operations on the same accounts queue up instead of
    // both passing their overlap checks (no deadlock, every one locks in the same order).
    format!(
        "SELECT a.id, a.number FROM accounts a WHERE a.id = ANY($1){within} ORDER BY a.id FOR UPDATE"
    )
}

#[derive(FromQueryResult)]
struct Done {
    account_id: i64,
}

#[derive(FromQueryResult)]
pub(crate) struct Target {
    pub id: i64,
    pub number: String,
}

/// The selection's accounts within reach, and a Skipped for each id that is not one.
pub(crate) async fn resolve(
    txn: &DatabaseTransaction,
    reach: &Reach,
    ids: &[i64],
) -> AppResult<(Vec<Target>, Vec<Skipped>)> {
    let found = Target::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        targets(reach),
        [ids.to_vec().into()],
    ))
    .all(txn)
    .await?;
    let missing = ids
        .iter()
        .filter(|id| !found.iter().any(|t| t.id == **id))
        .map(|id| Skipped {
            account_id: *id,
            number: None,
            reason: "there is no such account".into(),
        })
        .collect();
    Ok((found, missing))
}

/// Accounts of `found` not in `done`, skipped for `reason`.
fn not_done(found: &[Target], done: &[Done], reason: &str) -> Vec<Skipped> {
    found
        .iter()
        .filter(|t| !done.iter().any(|d| d.account_id == t.id))
        .map(|t| Skipped {
            account_id: t.id,
            number: Some(t.number.clone()),
            reason: reason.to_owned(),
        })
        .collect()
}

/// The audit CTE tail: one `account_service` row per changed record of CTE `changed`
/// (columns id, before, after), then the accounts touched.
const AUDIT: &str = "logged AS (\
        INSERT INTO audit_log (at, actor_id, actor_login, entity, entity_id, action, before, after) \
        SELECT $2, $3, $4, 'account_service', c.id::text, $5, c.before, c.after FROM changed c) \
     SELECT c.account_id FROM changed c";

/// A checked group operation: the accounts it applies to, those it cannot (and why), and
/// the statement's values — $1 the account ids, $2–$5 the audit's time, actor and action,
/// $6 the service, then (with a period) $7 start, $8 end, $9 quantity.
struct Batch {
    found: Vec<Target>,
    skipped: Vec<Skipped>,
    values: Vec<Value>,
}

#[allow(clippy::too_many_arguments)]
async fn batch(
    txn: &DatabaseTransaction,
    reach: &Reach,
    account_ids: &[i64],
    service_id: i32,
    period: Option<&ServicePeriodInput>,
    actor: &Actor,
    now: DateTime<Utc>,
    action: &str,
) -> AppResult<Batch> {
    let ids = check_selection(account_ids)?;
    let period = period.map(parsed).transpose()?;
    service_exists(txn, service_id).await?;
    let (found, skipped) = resolve(txn, reach, &ids).await?;
    let mut values: Vec<Value> = vec![
        found.iter().map(|t| t.id).collect::<Vec<_>>().into(),
        now.into(),
        actor.user_id.into(),
        actor.login.clone().into(),
        action.into(),
        service_id.into(),
    ];
    if let Some((starts, ends, quantity)) = period {
        values.extend([starts.into(), ends.into(), quantity.into()]);
    }
    Ok(Batch {
        found,
        skipped,
        values,
    })
}

/// Assigns a service over a period to every selected account that does not already have
/// it in an overlapping period.
pub async fn assign(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_ids: &[i64],
    input: &ServicePeriodInput,
) -> AppResult<GroupResult> {
    let Batch {
        found,
        mut skipped,
        values,
    } = batch(
        txn,
        reach,
        account_ids,
        input.service_id,
        Some(input),
        actor,
        now,
        "create",
    )
    .await?;
    let sql = format!(
        "WITH changed AS (\
            INSERT INTO account_services (account_id, service_id, starts_on, ends_on, quantity) \
            SELECT a, $6, $7, $8, $9 FROM unnest($1::bigint[]) AS a \
            WHERE NOT EXISTS (SELECT 1 FROM account_services s WHERE s.account_id = a AND s.service_id = $6 \
                AND daterange(s.starts_on, s.ends_on, '[]') && daterange($7, $8, '[]')) \
            RETURNING id, account_id, NULL::jsonb AS before, \
                jsonb_build_object('serviceId', service_id, 'startsOn', starts_on, 'endsOn', ends_on, 'quantity', quantity) AS after), \
         {AUDIT}"
    );
    let done = Done::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .all(txn)
    .await?;
    skipped.extend(not_done(
        &found,
        &done,
        "already has the service in this period",
    ));
    Ok(GroupResult {
        changed: done.len() as i64,
        skipped,
    })
}

/// Sets a new period (and quantity) on each selected account's latest assignment of the
/// service, unless that would overlap another of its assignments.
pub async fn change_period(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_ids: &[i64],
    input: &ServicePeriodInput,
) -> AppResult<GroupResult> {
    let Batch {
        found,
        mut skipped,
        values,
    } = batch(
        txn,
        reach,
        account_ids,
        input.service_id,
        Some(input),
        actor,
        now,
        "update",
    )
    .await?;
    let sql = format!(
        "WITH latest AS (\
            SELECT DISTINCT ON (account_id) * FROM account_services \
            WHERE account_id = ANY($1) AND service_id = $6 ORDER BY account_id, starts_on DESC), \
         changed AS (\
            UPDATE account_services s SET starts_on = $7, ends_on = $8, quantity = coalesce($9, s.quantity) \
            FROM latest l WHERE s.id = l.id \
              AND NOT EXISTS (SELECT 1 FROM account_services o WHERE o.account_id = s.account_id AND o.service_id = $6 \
                  AND o.id <> s.id AND daterange(o.starts_on, o.ends_on, '[]') && daterange($7, $8, '[]')) \
            RETURNING s.id, s.account_id, \
                jsonb_build_object('serviceId', l.service_id, 'startsOn', l.starts_on, 'endsOn', l.ends_on, 'quantity', l.quantity) AS before, \
                jsonb_build_object('serviceId', s.service_id, 'startsOn', s.starts_on, 'endsOn', s.ends_on, 'quantity', s.quantity) AS after), \
         {AUDIT}"
    );
    let done = Done::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .all(txn)
    .await?;
    skipped.extend(not_done(
        &found,
        &done,
        "has no such service, or the new period overlaps another of its periods",
    ));
    Ok(GroupResult {
        changed: done.len() as i64,
        skipped,
    })
}

/// Removes the service (every period of it) from each selected account.
pub async fn remove(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    account_ids: &[i64],
    service_id: i32,
) -> AppResult<GroupResult> {
    let Batch {
        mut found,
        mut skipped,
        mut values,
    } = batch(
        txn,
        reach,
        account_ids,
        service_id,
        None,
        actor,
        now,
        "delete",
    )
    .await?;
    // Charged in a closed month: the charge rests on the assignment, which is ended instead.
    let charged = charged_accounts(txn, &found, service_id).await?;
    found.retain(|t| {
        let keep = !charged.contains(&t.id);
        if !keep {
            skipped.push(Skipped {
                account_id: t.id,
                number: Some(t.number.clone()),
                reason: CHARGED.into(),
            });
        }
        keep
    });
    values[0] = found.iter().map(|t| t.id).collect::<Vec<_>>().into();
    let sql = format!(
        "WITH changed AS (\
            DELETE FROM account_services WHERE account_id = ANY($1) AND service_id = $6 \
            RETURNING id, account_id, \
                jsonb_build_object('serviceId', service_id, 'startsOn', starts_on, 'endsOn', ends_on, 'quantity', quantity) AS before, \
                NULL::jsonb AS after), \
         {AUDIT}"
    );
    let done = Done::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .all(txn)
    .await?;
    let mut accounts: Vec<Done> = Vec::new();
    for d in &done {
        if !accounts.iter().any(|a| a.account_id == d.account_id) {
            accounts.push(Done {
                account_id: d.account_id,
            });
        }
    }
    skipped.extend(not_done(&found, &accounts, "has no such service"));
    Ok(GroupResult {
        changed: done.len() as i64,
        skipped,
    })
}

/// One assignment by id: a new period and quantity (its account must be within reach).
pub async fn update_one(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: &ServicePeriodInput,
) -> AppResult<()> {
    let before = by_id(txn, id).await?;
    if before.service_id != input.service_id {
        return Err(AppError::validation(
            "serviceId",
            "a period cannot change its service; remove it and assign the other",
        ));
    }
    let (starts, ends, quantity) = parsed(input)?;
    // The account row's lock serialises changes of its services (see `targets`).
    let changed = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH locked AS (SELECT id FROM accounts WHERE id = $5 FOR UPDATE) \
             UPDATE account_services s SET starts_on = $2, ends_on = $3, quantity = $4 \
             FROM locked WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM account_services o \
                 WHERE o.account_id = locked.id AND o.service_id = s.service_id AND o.id <> s.id \
                   AND daterange(o.starts_on, o.ends_on, '[]') && daterange($2, $3, '[]'))",
            [
                id.into(),
                starts.into(),
                ends.into(),
                quantity.into(),
                before.account_id.into(),
            ],
        ))
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(
            "the account already has the service in this period".into(),
        ));
    }
    let after = by_id(txn, id).await?;
    let change = platform::audit::Change {
        entity: "account_service",
        entity_id: id.to_string(),
        action: "update",
        before: Some(serde_json::json!(before)),
        after: Some(serde_json::json!(after)),
    };
    platform::audit::record(txn, actor, now, change).await
}

/// Removes one assignment by id (its account must be within reach).
/// Why an assignment charged in a closed month is not removed.
const CHARGED: &str = "was charged in a closed month; end the service instead";

/// The accounts of `found` charged for the service in a closed month.
async fn charged_accounts(
    txn: &DatabaseTransaction,
    found: &[Target],
    service_id: i32,
) -> AppResult<Vec<i64>> {
    Ok(Done::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT DISTINCT l.account_id FROM invoice_lines l JOIN periods p ON p.month = l.period \
         WHERE p.state = 'closed' AND l.account_id = ANY($1) AND l.service_id = $2",
        [
            found.iter().map(|t| t.id).collect::<Vec<_>>().into(),
            service_id.into(),
        ],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|d| d.account_id)
    .collect())
}

/// Removes one assignment entered by mistake — not one charged in a closed month, whose
/// invoices rest on it (seed 001 §4.3.1: "F8 … only with no documents"): that is ended.
pub async fn remove_one(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let before = by_id(txn, id).await?;
    #[derive(FromQueryResult)]
    struct Charged {
        charged: bool,
    }
    // Only the months this assignment covers count (the service may have had others).
    let charged = Charged::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT EXISTS (SELECT 1 FROM invoice_lines l JOIN periods p ON p.month = l.period \
           WHERE p.state = 'closed' AND l.account_id = $1 AND l.service_id = $2 \
             AND l.period >= date_trunc('month', $3::date) AND ($4::date IS NULL OR l.period <= $4)) AS charged",
        [
            before.account_id.into(),
            before.service_id.into(),
            before.starts_on.into(),
            before.ends_on.into(),
        ],
    ))
    .one(txn)
    .await?
    .is_some_and(|c| c.charged);
    if charged {
        return Err(AppError::Conflict(CHARGED.into()));
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM account_services WHERE id = $1",
        [id.into()],
    ))
    .await?;
    let change = platform::audit::Change {
        entity: "account_service",
        entity_id: id.to_string(),
        action: "delete",
        before: Some(serde_json::json!(before)),
        after: None,
    };
    platform::audit::record(txn, actor, now, change).await
}
