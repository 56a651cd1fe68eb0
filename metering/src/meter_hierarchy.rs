//! The main-meter hierarchy: assign a main meter to selected meters, remove it, replace a
//! removed main by a new one — each meter checked by `domain::meters::check_main`, one
//! audit row ("protocol") per meter touched, meters the rules refuse listed with the
//! reason, and the warning that the open period's invoices must be re-formed.

use chrono::{DateTime, Utc};
use domain::meters::{MeterFacts, check_main, check_replace};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement};
use serde_json::json;

use crate::meters::by_id;
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Eq, async_graphql::SimpleObject)]
pub struct MeterSkipped {
    pub meter_id: i64,
    pub serial: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct HierarchyResult {
    pub changed: i64,
    pub skipped: Vec<MeterSkipped>,
    /// Set when something changed: the open period's invoices no longer match.
    pub warning: Option<String>,
}

const WARNING: &str = "invoices of the open period must be re-formed";

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    serial: String,
    service_id: i32,
    install_method: String,
    building_id: i32,
    removed: bool,
    parent_id: Option<i64>,
}

/// The meters of `ids` within reach, with their facts, locked for the change.
async fn load(txn: &DatabaseTransaction, reach: &Reach, ids: &[i64]) -> AppResult<Vec<Row>> {
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT m.id, m.serial, m.service_id, m.install_method, m.building_id, m.removed_on IS NOT NULL AS removed, \
                    m.parent_id FROM meters m JOIN buildings b ON b.id = m.building_id \
             WHERE m.id = ANY($1){within} ORDER BY m.id FOR UPDATE OF m"
        ),
        [ids.to_vec().into()],
    ))
    .all(txn)
    .await?)
}

fn facts(r: &Row) -> MeterFacts {
    MeterFacts {
        id: r.id,
        service_id: r.service_id,
        install_method: r.install_method.clone(),
        building_id: r.building_id,
        removed: r.removed,
        parent_id: r.parent_id,
    }
}

/// The ids above `id`: its main, that one's main, and so on.
async fn chain(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<i64>> {
    #[derive(FromQueryResult)]
    struct Up {
        id: i64,
    }
    Ok(Up::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "WITH RECURSIVE up AS (SELECT parent_id AS id FROM meters WHERE id = $1 \
           UNION SELECT m.parent_id FROM meters m JOIN up ON m.id = up.id) \
         SELECT id FROM up WHERE id IS NOT NULL",
        [id.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|u| u.id)
    .collect())
}

fn missing(ids: &[i64], found: &[Row]) -> Vec<MeterSkipped> {
    ids.iter()
        .filter(|id| !found.iter().any(|r| r.id == **id))
        .map(|id| MeterSkipped {
            meter_id: *id,
            serial: None,
            reason: "there is no such meter".into(),
        })
        .collect()
}

async fn link(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    meter: &Row,
    parent: Option<i64>,
    action: &str,
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE meters SET parent_id = $2 WHERE id = $1",
        [meter.id.into(), parent.into()],
    ))
    .await?;
    let c = Change {
        entity: "meter",
        entity_id: meter.id.to_string(),
        action,
        before: Some(json!({ "parentId": meter.parent_id })),
        after: Some(json!({ "parentId": parent })),
    };
    audit::record(txn, actor, now, c).await
}

fn result(changed: i64, skipped: Vec<MeterSkipped>) -> HierarchyResult {
    HierarchyResult {
        changed,
        skipped,
        warning: (changed > 0).then(|| WARNING.to_owned()),
    }
}

fn check_selection(ids: &[i64]) -> AppResult<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > 10_000 {
        return Err(AppError::validation(
            "meterIds",
            "choose from 1 to 10000 meters",
        ));
    }
    Ok(ids)
}

/// Puts the selected meters under `main_id`.
pub async fn assign(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    main_id: i64,
    meter_ids: &[i64],
) -> AppResult<HierarchyResult> {
    let ids = check_selection(meter_ids)?;
    let main = load(txn, reach, &[main_id])
        .await?
        .pop()
        .ok_or_else(|| AppError::validation("mainId", "there is no such meter"))?;
    let above = chain(txn, main_id).await?;
    let meters = load(txn, reach, &ids).await?;
    let mut skipped = missing(&ids, &meters);
    let mut changed = 0;
    for m in &meters {
        match check_main(&facts(&main), &facts(m), &above) {
            Ok(()) => {
                link(txn, actor, now, m, Some(main_id), "assign_main").await?;
                changed += 1;
            }
            Err(e) => skipped.push(MeterSkipped {
                meter_id: m.id,
                serial: Some(m.serial.clone()),
                reason: e.to_string(),
            }),
        }
    }
    Ok(result(changed, skipped))
}

/// Takes the selected meters from under their main meter.
pub async fn remove(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    meter_ids: &[i64],
) -> AppResult<HierarchyResult> {
    let ids = check_selection(meter_ids)?;
    let meters = load(txn, reach, &ids).await?;
    let mut skipped = missing(&ids, &meters);
    let mut changed = 0;
    for m in &meters {
        if m.parent_id.is_none() {
            skipped.push(MeterSkipped {
                meter_id: m.id,
                serial: Some(m.serial.clone()),
                reason: "the meter has no main meter".into(),
            });
        } else {
            link(txn, actor, now, m, None, "remove_main").await?;
            changed += 1;
        }
    }
    Ok(result(changed, skipped))
}

/// Hands every meter under a removed main meter to a new one installed the day the old
/// one was taken out.
pub async fn replace(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    old_id: i64,
    new_id: i64,
) -> AppResult<HierarchyResult> {
    let old = by_id(txn, reach, old_id).await?;
    let new = by_id(txn, reach, new_id).await?;
    check_replace(old.removed_on, new.installed_on)
        .map_err(|e| AppError::validation("newMainId", e.to_string()))?;
    let new_row = load(txn, reach, &[new_id])
        .await?
        .pop()
        .ok_or_else(|| AppError::validation("newMainId", "there is no such meter"))?;
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    let children: Vec<i64> = Id::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT id FROM meters WHERE parent_id = $1 ORDER BY id",
        [old_id.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let above = chain(txn, new_id).await?;
    let meters = load(txn, reach, &children).await?;
    let mut skipped = Vec::new();
    let mut changed = 0;
    for m in &meters {
        // Judged as if free: its old main is the one being replaced.
        let free = MeterFacts {
            parent_id: None,
            ..facts(m)
        };
        match check_main(&facts(&new_row), &free, &above) {
            Ok(()) => {
                link(txn, actor, now, m, Some(new_id), "replace_main").await?;
                changed += 1;
            }
            Err(e) => skipped.push(MeterSkipped {
                meter_id: m.id,
                serial: Some(m.serial.clone()),
                reason: e.to_string(),
            }),
        }
    }
    Ok(result(changed, skipped))
}

/// A meter that could be the main meter of another, as the card's choice shows it.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct MainChoice {
    pub id: i64,
    pub serial: String,
    pub install_method: String,
    pub address: String,
}

/// The working meters that may become `meter_id`'s main meter under `check_main`'s rules
/// (same service, not an apartment meter, in its building or a building-group meter),
/// within reach; a cycle is still refused when assigned.
pub async fn main_choices(
    txn: &DatabaseTransaction,
    reach: &Reach,
    meter_id: i64,
) -> AppResult<Vec<MainChoice>> {
    let within = reach
        .building_condition("b")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Ok(MainChoice::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT m.id, m.serial, m.install_method, concat_ws(', ', l.name, s.name, b.number) AS address \
             FROM meters c JOIN meters m ON m.service_id = c.service_id AND m.id <> c.id \
             JOIN buildings b ON b.id = m.building_id JOIN streets s ON s.id = b.street_id \
             JOIN localities l ON l.id = s.locality_id \
             WHERE c.id = $1 AND m.removed_on IS NULL AND m.install_method <> 'apartment' \
               AND (m.building_id = c.building_id OR m.install_method = 'building_group'){within} \
             ORDER BY m.building_id = c.building_id DESC, m.serial LIMIT 200"
        ),
        [meter_id.into()],
    ))
    .all(txn)
    .await?)
}
