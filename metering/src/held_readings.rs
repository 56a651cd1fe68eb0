//! Readings held for review: what a meter usually shows (its actual readings' average, else
//! the account's norm; `domain::plausibility` judges), and the values far above it that a
//! subscriber submitted in the portal or a readings file brought, kept apart from
//! `readings` until an operator accepts (the reading is entered under its source) or
//! rejects them (with a reason the subscriber reads). Every step is audited as entity
//! `held_reading`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::Period;
use domain::plausibility::{self, Usual};
use domain::readings::Derived;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::meters::{self, MeterView};
use crate::readings::{self, Entered, ReadingBasis, ReadingInput, ReadingSource, ReadingView};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// A subscriber's reading waiting for (or past) the office's review.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldReading {
    pub id: i64,
    pub meter_id: i64,
    pub meter_serial: String,
    pub service_name: String,
    pub account_id: Option<i64>,
    pub account_number: Option<String>,
    /// YYYY-MM.
    pub period: String,
    pub current: Decimal,
    pub consumption: Decimal,
    /// The usual month it was measured against.
    pub usual: Decimal,
    /// `average` (of the meter's past actual readings) or `norm`.
    pub usual_basis: String,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    /// `portal` or `import` (a readings file).
    pub source: String,
    /// `held`, `accepted` or `rejected`.
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why it was rejected.
    pub note: Option<String>,
}

const VIEW: &str = "SELECT h.id, h.meter_id, m.serial AS meter_serial, s.name AS service_name, \
       m.account_id, a.number AS account_number, to_char(h.period, 'YYYY-MM') AS period, \
       h.current, h.consumption, h.usual, h.usual_basis, h.submitted_by, h.submitted_at, h.source, \
       h.state, h.decided_by, h.decided_at, h.note \
     FROM held_readings h JOIN meters m ON m.id = h.meter_id JOIN services s ON s.id = m.service_id \
     LEFT JOIN accounts a ON a.id = m.account_id";

#[derive(FromQueryResult)]
struct Past {
    meter_id: i64,
    history: Vec<Decimal>,
}

#[derive(FromQueryResult)]
struct Norm {
    meter_id: i64,
    norm: Option<Decimal>,
}

/// The usual month of each of `meters` in `period`, for those that have one: their last
/// actual consumptions (newest first) in one statement, and the account's norm for the
/// meters the history says nothing about in another, so a file of many rows costs two
/// statements, not two a row.
pub async fn usuals(
    txn: &DatabaseTransaction,
    meters: &[i64],
    period: Period,
) -> AppResult<HashMap<i64, Usual>> {
    let months = i64::try_from(plausibility::HISTORY_MONTHS).unwrap_or(12);
    let past = Past::find_by_statement(stmt(
        "SELECT meter_id, (array_agg(consumption ORDER BY period DESC))[1:$3] AS history \
         FROM readings WHERE meter_id = ANY($1) AND period < $2 AND basis = 'actual' GROUP BY meter_id",
        vec![meters.to_vec().into(), period.first_day().into(), months.into()],
    ))
    .all(txn)
    .await?;
    let mut found: HashMap<i64, Usual> = past
        .into_iter()
        .filter_map(|p| plausibility::usual(&p.history, None).map(|u| (p.meter_id, u)))
        .collect();
    let rest: Vec<i64> = meters
        .iter()
        .copied()
        .filter(|m| !found.contains_key(m))
        .collect();
    if rest.is_empty() {
        return Ok(found);
    }
    // The norm in force at the period's end, for the account's residents or area.
    let norms = Norm::find_by_statement(stmt(
        "SELECT m.id AS meter_id, n.quantity * CASE n.basis WHEN 'person' THEN a.residents ELSE coalesce( \
             (SELECT pa.total_area FROM premises_areas pa WHERE pa.premises_id = a.premises_id \
              AND pa.valid_from <= $2 ORDER BY pa.valid_from DESC LIMIT 1), 0) END AS norm \
         FROM meters m JOIN accounts a ON a.id = m.account_id \
         JOIN LATERAL (SELECT quantity, basis FROM norms WHERE service_id = m.service_id AND kind = 'consumption' \
                       AND valid_from <= $2 ORDER BY valid_from DESC LIMIT 1) n ON true \
         WHERE m.id = ANY($1)",
        vec![rest.into(), period.last_day().into()],
    ))
    .all(txn)
    .await?;
    found.extend(
        norms
            .into_iter()
            .filter_map(|n| plausibility::usual(&[], n.norm).map(|u| (n.meter_id, u))),
    );
    Ok(found)
}

/// The meter's usual month if `consumption` is implausible against it.
pub async fn implausible(
    txn: &DatabaseTransaction,
    meter: &MeterView,
    period: Period,
    consumption: Decimal,
) -> AppResult<Option<Usual>> {
    let usual = usuals(txn, &[meter.id], period).await?.remove(&meter.id);
    Ok(plausibility::implausible(consumption, usual))
}

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// Holds a value for review; a second one for the meter and month replaces the waiting one.
#[allow(clippy::too_many_arguments)]
pub async fn hold(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    meter_id: i64,
    period: Period,
    d: &Derived,
    usual: Usual,
    source: ReadingSource,
) -> AppResult<HeldReading> {
    let basis = match usual {
        Usual::Average { .. } => "average",
        Usual::Norm { .. } => "norm",
    };
    let id = Id::find_by_statement(stmt(
        "INSERT INTO held_readings (meter_id, period, current, consumption, usual, usual_basis, submitted_by, submitted_at, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (meter_id, period) WHERE state = 'held' DO UPDATE SET current = EXCLUDED.current, \
             consumption = EXCLUDED.consumption, usual = EXCLUDED.usual, usual_basis = EXCLUDED.usual_basis, \
             submitted_by = EXCLUDED.submitted_by, submitted_at = EXCLUDED.submitted_at, source = EXCLUDED.source \
         RETURNING id",
        vec![
            meter_id.into(),
            period.first_day().into(),
            d.current.into(),
            d.consumption.into(),
            usual.value().into(),
            basis.into(),
            actor.login.clone().into(),
            now.into(),
            source.code().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    let held = by_id(txn, id).await?;
    record(txn, actor, now, &held, "hold", None).await?;
    Ok(held)
}

async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<HeldReading> {
    HeldReading::find_by_statement(stmt(&format!("{VIEW} WHERE h.id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .map(normalized)
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

fn normalized(mut h: HeldReading) -> HeldReading {
    h.current = h.current.normalize();
    h.consumption = h.consumption.normalize();
    h.usual = h.usual.normalize();
    h
}

async fn record(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    held: &HeldReading,
    action: &str,
    before: Option<&HeldReading>,
) -> AppResult<()> {
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "held_reading",
            entity_id: held.id.to_string(),
            action,
            before: before.map(|b| json!(b)),
            after: Some(json!(held)),
        },
    )
    .await
}

/// Held readings within `reach`, newest first; `state` filters (`held` for the review
/// list), `accounts` limits to a subscriber's own.
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    state: Option<&str>,
    accounts: Option<&[i64]>,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<HeldReading>)> {
    let mut conditions = vec!["true".to_owned()];
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if let Some(s) = state {
        values.push(s.into());
        conditions.push(format!("h.state = ${}", values.len()));
    }
    if let Some(ids) = accounts {
        values.push(ids.to_vec().into());
        conditions.push(format!("m.account_id = ANY(${})", values.len()));
    }
    if let Some(c) = reach.account_condition_of("a") {
        conditions.push(c);
    }
    let filter = conditions.join(" AND ");
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let total = Count::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS n FROM held_readings h JOIN meters m ON m.id = h.meter_id \
             LEFT JOIN accounts a ON a.id = m.account_id WHERE {filter}"
        ),
        values.clone(),
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    values.push(i64::try_from(limit.min(500)).unwrap_or(500).into());
    values.push(i64::try_from(offset).unwrap_or(0).into());
    let rows = HeldReading::find_by_statement(stmt(
        &format!(
            "{VIEW} WHERE {filter} ORDER BY h.submitted_at DESC, h.id DESC LIMIT ${} OFFSET ${}",
            values.len() - 1,
            values.len()
        ),
        values,
    ))
    .all(txn)
    .await?;
    Ok((total, rows.into_iter().map(normalized).collect()))
}

/// The waiting row `id` within `reach`, locked for the decision.
async fn waiting(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<HeldReading> {
    Id::find_by_statement(stmt(
        "SELECT id FROM held_readings WHERE id = $1 FOR UPDATE",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    let held = by_id(txn, id).await?;
    // Out of reach reads as absent, as everywhere.
    meters::by_id(txn, reach, held.meter_id).await?;
    if held.state != "held" {
        return Err(AppError::Conflict(
            "this reading was already decided".to_owned(),
        ));
    }
    Ok(held)
}

/// Accepts a held reading: it is entered as submitted, under its source (`portal` or
/// `import`), by the same rules as any entry of the open period.
pub async fn accept(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
) -> AppResult<(HeldReading, ReadingView, String)> {
    let before = waiting(txn, reach, id).await?;
    let input = ReadingInput {
        meter_id: before.meter_id,
        period: Some(before.period.clone()),
        taken_on: None,
        current: Some(before.current.to_string()),
        consumption: None,
        basis: ReadingBasis::Actual,
        source: if before.source == ReadingSource::Import.code() {
            ReadingSource::Import
        } else {
            ReadingSource::Portal
        },
        // Accepting is the confirmation.
        confirmed: true,
    };
    let (reading, warning) = match readings::enter(txn, actor, now, reach, &input).await? {
        Entered::Saved(r, w) => (r, w),
        Entered::Held(_) => return Err(AppError::Internal("a confirmed entry was held".into())),
        // A held value is far above the usual, never a 0 over a reading.
        Entered::Cleared(_) => return Err(AppError::Internal("a held reading cleared one".into())),
    };
    let after = decide(txn, actor, now, &before, "accepted", None).await?;
    Ok((after, reading, warning))
}

/// Rejects a held reading with the reason the subscriber will read.
pub async fn reject(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    id: i64,
    note: &str,
) -> AppResult<HeldReading> {
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::validation(
            "note",
            "say why, for the subscriber to read",
        ));
    }
    let before = waiting(txn, reach, id).await?;
    decide(txn, actor, now, &before, "rejected", Some(note)).await
}

async fn decide(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    before: &HeldReading,
    state: &str,
    note: Option<&str>,
) -> AppResult<HeldReading> {
    sea_orm::ConnectionTrait::execute_raw(
        txn,
        stmt(
            "UPDATE held_readings SET state = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1",
            vec![
                before.id.into(),
                state.into(),
                actor.login.clone().into(),
                now.into(),
                note.map(str::to_owned).into(),
            ],
        ),
    )
    .await?;
    let after = by_id(txn, before.id).await?;
    let action = if state == "accepted" {
        "accept"
    } else {
        "reject"
    };
    record(txn, actor, now, &after, action, Some(before)).await?;
    Ok(after)
}
