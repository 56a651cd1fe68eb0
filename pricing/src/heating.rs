//! The heating floor coefficients (seed 001 §2, «Параметри опалення»: the correcting
//! coefficient for heating by the number of storeys): from a date on, one coefficient for
//! buildings of 1–4 storeys and one for 5 storeys and more. The calculation multiplies a
//! seasonal service's quantity charged by area (or by a per-m² norm) by the coefficient of
//! the account's building in force on the period's first day. A reference book: viewing
//! and editing take the reference-book permissions; each change is one audited record.

use async_graphql::{Context, Object};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use access::auth::{self, Action, Document};
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::input::parse_amount;
use platform::sql::stmt;

#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, serde::Serialize, FromQueryResult,
)]
#[serde(rename_all = "camelCase")]
pub struct HeatingCoefficient {
    pub id: i32,
    pub valid_from: NaiveDate,
    /// Buildings of 1–4 storeys.
    pub low_rise: Decimal,
    /// Buildings of 5 storeys and more.
    pub high_rise: Decimal,
    pub note: String,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct HeatingCoefficientInput {
    pub valid_from: NaiveDate,
    /// Text, e.g. "1,05".
    pub low_rise: String,
    pub high_rise: String,
    #[graphql(default)]
    pub note: String,
}

/// The columns as shown: coefficients without trailing zeros ("1.08", not "1.0800").
const COLUMNS: &str =
    "id, valid_from, trim_scale(low_rise) AS low_rise, trim_scale(high_rise) AS high_rise, note";
/// A coefficient scales a heating charge; outside 0.5–3 it is a typing slip.
fn coefficient(field: &str, text: &str) -> AppResult<Decimal> {
    let v = parse_amount(field, text)?;
    if v < Decimal::new(5, 1) || v > Decimal::from(3) || v.scale() > 4 {
        return Err(AppError::validation(
            field,
            "must lie from 0.5 to 3, with at most 4 decimals",
        ));
    }
    Ok(v.normalize())
}

/// Every coefficient, newest first.
pub async fn list(txn: &DatabaseTransaction) -> AppResult<Vec<HeatingCoefficient>> {
    Ok(HeatingCoefficient::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM heating_coefficients ORDER BY valid_from DESC"),
        vec![],
    ))
    .all(txn)
    .await?)
}

async fn one(txn: &DatabaseTransaction, id: i32) -> AppResult<HeatingCoefficient> {
    HeatingCoefficient::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM heating_coefficients WHERE id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

async fn log(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
    before: Option<&HeatingCoefficient>,
    after: Option<&HeatingCoefficient>,
) -> AppResult<()> {
    audit::record_row(
        txn,
        actor,
        now,
        ("heating_coefficient", id.to_string()),
        before,
        after,
    )
    .await
}

/// Adds coefficients from a day (`id` none) or changes a row: both coefficients 0.5–3, a
/// note of at most 300 characters, one row per first day.
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: Option<i32>,
    input: &HeatingCoefficientInput,
) -> AppResult<HeatingCoefficient> {
    let before = match id {
        Some(id) => Some(one(txn, id).await?),
        None => None,
    };
    let low = coefficient("lowRise", &input.low_rise)?;
    let high = coefficient("highRise", &input.high_rise)?;
    let note = input.note.trim().to_owned();
    if note.chars().count() > 300 {
        return Err(AppError::validation(
            "note",
            "must be at most 300 characters",
        ));
    }
    let taken = HeatingCoefficient::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM heating_coefficients WHERE valid_from = $1 AND id IS DISTINCT FROM $2"
        ),
        vec![input.valid_from.into(), id.into()],
    ))
    .one(txn)
    .await?;
    if taken.is_some() {
        return Err(AppError::validation(
            "validFrom",
            "coefficients from this day are already in the book",
        ));
    }
    let mut values = vec![
        input.valid_from.into(),
        low.into(),
        high.into(),
        note.into(),
    ];
    let sql = match id {
        Some(id) => {
            values.push(id.into());
            format!(
                "UPDATE heating_coefficients SET valid_from = $1, low_rise = $2, high_rise = $3, \
                 note = $4 WHERE id = $5 RETURNING {COLUMNS}"
            )
        }
        None => format!(
            "INSERT INTO heating_coefficients (valid_from, low_rise, high_rise, note) \
             VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
        ),
    };
    let saved = HeatingCoefficient::find_by_statement(stmt(&sql, values))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal("the coefficients were not written".into()))?;
    log(txn, actor, now, saved.id, before.as_ref(), Some(&saved)).await?;
    Ok(saved)
}

pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i32,
) -> AppResult<()> {
    let before = one(txn, id).await?;
    txn.execute_raw(stmt(
        "DELETE FROM heating_coefficients WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    log(txn, actor, now, id, Some(&before), None).await
}

#[derive(Default)]
pub struct HeatingQuery;

#[Object]
impl HeatingQuery {
    /// The heating floor coefficients, newest first.
    async fn heating_coefficients(&self, ctx: &Context<'_>) -> AppResult<Vec<HeatingCoefficient>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let rows = list(&txn).await?;
        txn.commit().await?;
        Ok(rows)
    }
}

#[derive(Default)]
pub struct HeatingMutation;

#[Object]
impl HeatingMutation {
    /// Adds heating floor coefficients from a day (no `id`) or changes a row.
    async fn save_heating_coefficient(
        &self,
        ctx: &Context<'_>,
        id: Option<i32>,
        input: HeatingCoefficientInput,
    ) -> AppResult<HeatingCoefficient> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let c = save(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        txn.commit().await?;
        Ok(c)
    }

    async fn delete_heating_coefficient(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        delete(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }
}
