//! Meter readings: entering the current reading or the consumption for an open period
//! (the other half derived by `domain::readings`), corrections under the two rules,
//! clearing a building's readings for the open period, and a meter's history. One reading
//! per meter per period; every change is audited as entity `reading`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::readings::{self, Basis, Entry, ReadingError};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::held_readings;
use crate::meters::{self, MeterView};
use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::input::parse_amount;
use platform::sql::stmt;

/// Reading basis flags (DOMAIN.md glossary) as the API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
pub enum ReadingBasis {
    /// Ф
    Actual,
    /// Р
    Calculated,
    /// СМ
    MonthlyAverage,
    /// СС
    DailyAverage,
}

impl From<ReadingBasis> for Basis {
    fn from(b: ReadingBasis) -> Basis {
        match b {
            ReadingBasis::Actual => Basis::Actual,
            ReadingBasis::Calculated => Basis::Calculated,
            ReadingBasis::MonthlyAverage => Basis::MonthlyAverage,
            ReadingBasis::DailyAverage => Basis::DailyAverage,
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
pub enum ReadingSource {
    Operator,
    Controller,
    /// Reported by the subscriber to an operator (phone, visit).
    Subscriber,
    Import,
    Verification,
    /// Submitted by the subscriber in the portal; set only by the portal.
    Portal,
}

impl ReadingSource {
    pub fn code(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Controller => "controller",
            Self::Subscriber => "subscriber",
            Self::Import => "import",
            Self::Verification => "verification",
            Self::Portal => "portal",
        }
    }
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadingView {
    pub id: i64,
    pub meter_id: i64,
    /// The first day of the period's month.
    pub period: NaiveDate,
    pub taken_on: NaiveDate,
    pub previous: Decimal,
    pub current: Decimal,
    pub consumption: Decimal,
    /// actual, calculated, monthly_average or daily_average.
    pub basis: String,
    /// Ф, Р, СМ or СС.
    pub flag: String,
    pub source: String,
    pub entered_by: String,
    pub entered_at: DateTime<Utc>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ReadingInput {
    pub meter_id: i64,
    /// YYYY-MM; the current open period when left out.
    pub period: Option<String>,
    /// The day the meter was read; when left out, today (or the period's nearest end).
    pub taken_on: Option<NaiveDate>,
    /// The meter's current reading (text) — or:
    pub current: Option<String>,
    /// the period's consumption (text). Exactly one of the two.
    pub consumption: Option<String>,
    #[graphql(default_with = "ReadingBasis::Actual")]
    pub basis: ReadingBasis,
    #[graphql(default_with = "ReadingSource::Operator")]
    pub source: ReadingSource,
    /// The user saw that the consumption is far above the meter's usual and confirms it
    /// (asked for by a `NEEDS_CONFIRMATION` error; `domain::plausibility`).
    #[graphql(default)]
    pub confirmed: bool,
}

/// What entering a reading did.
#[derive(Debug)]
pub enum Entered {
    /// Written, with the warning the change carries.
    Saved(ReadingView, String),
    /// A subscriber's implausible value, held for the office to review, not written.
    Held(crate::held_readings::HeldReading),
    /// A 0 typed over the period's reading cleared it (seed 001 §4.4.4), with the warning.
    Cleared(String),
}

/// The warning a change to the open period's readings carries.
pub const REFORM_WARNING: &str = "invoices of the open period must be re-formed";

const VIEW: &str = "SELECT r.id, r.meter_id, r.period, r.taken_on, r.previous, r.current, r.consumption, r.basis, \
       CASE r.basis WHEN 'actual' THEN 'Ф' WHEN 'calculated' THEN 'Р' WHEN 'monthly_average' THEN 'СМ' ELSE 'СС' END AS flag, \
       r.source, r.entered_by, r.entered_at FROM readings r";

fn normalized(mut r: ReadingView) -> ReadingView {
    r.previous = r.previous.normalize();
    r.current = r.current.normalize();
    r.consumption = r.consumption.normalize();
    r
}

/// A domain refusal as the field it concerns.
pub fn refusal(field: &str, e: ReadingError) -> AppError {
    AppError::validation(field, e.to_string())
}

/// The working month: the latest open period.
pub async fn current_open(txn: &DatabaseTransaction) -> AppResult<Period> {
    periods::working_month(txn)
        .await?
        .ok_or_else(|| AppError::Conflict("the tenant has no open period".into()))
}

/// The period a change may be written into: given (YYYY-MM) or the working month, held
/// open for the caller's transaction; a closed month is PERIOD_CLOSED, one not yet opened a
/// VALIDATION error.
pub async fn writable_period(txn: &DatabaseTransaction, given: Option<&str>) -> AppResult<Period> {
    let p = match given.map(str::trim).filter(|t| !t.is_empty()) {
        None => current_open(txn).await?,
        Some(text) => text
            .parse()
            .map_err(|_| AppError::validation("period", "must look like 2026-11"))?,
    };
    // Held open until the writer's transaction ends (closing waits for it).
    periods::hold(txn, p).await?;
    Ok(p)
}

/// What a correction of the meter's reading in `period` must know.
#[derive(Debug, FromQueryResult)]
pub struct Neighbours {
    /// The reading the new one follows: the latest earlier period's, else the initial one.
    pub previous: Decimal,
    pub later_readings: bool,
    pub paid_in_period: bool,
}

pub async fn neighbours(
    txn: &DatabaseTransaction,
    meter: &MeterView,
    period: Period,
) -> AppResult<Neighbours> {
    Neighbours::find_by_statement(stmt(
        &format!("SELECT {} FROM meters m WHERE m.id = $1", facts_sql("$2")),
        vec![meter.id.into(), period.first_day().into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("neighbours returned nothing".into()))
}

/// The columns the rules look at for meter `m` in the period `period` (a bound parameter
/// or a column): `previous` (the reading a new one follows), `later_readings`,
/// `paid_in_period`. One text for the typed entry, the import and the building clear.
pub(crate) fn facts_sql(period: &str) -> String {
    format!(
        "coalesce((SELECT rr.current FROM readings rr WHERE rr.meter_id = m.id AND rr.period < {period} \
                   ORDER BY rr.period DESC LIMIT 1), m.initial_reading) AS previous, \
         EXISTS (SELECT 1 FROM readings rr WHERE rr.meter_id = m.id AND rr.period > {period}) AS later_readings, \
         EXISTS (SELECT 1 FROM payments pp WHERE pp.account_id = m.account_id AND pp.charge_period = {period} \
                 AND pp.cancelled_at IS NULL) AS paid_in_period"
    )
}

pub async fn in_period(
    txn: &DatabaseTransaction,
    meter_id: i64,
    period: Period,
) -> AppResult<Option<ReadingView>> {
    Ok(ReadingView::find_by_statement(stmt(
        &format!("{VIEW} WHERE r.meter_id = $1 AND r.period = $2"),
        vec![meter_id.into(), period.first_day().into()],
    ))
    .one(txn)
    .await?
    .map(normalized))
}

/// The checks every entry passes whatever its source: the meter worked in the period and
/// the day lies between its install date and the period's end.
pub fn check_meter_and_day(
    meter: &MeterView,
    period: Period,
    taken_on: NaiveDate,
) -> AppResult<()> {
    if meter.removed_on.is_some_and(|r| r < period.first_day()) {
        return Err(AppError::validation(
            "meterId",
            "the meter was removed before this period",
        ));
    }
    if taken_on < meter.installed_on {
        return Err(AppError::validation(
            "takenOn",
            "must not be before the install date",
        ));
    }
    if taken_on > period.last_day() {
        return Err(AppError::validation(
            "takenOn",
            "must not be after the period's last day",
        ));
    }
    Ok(())
}

/// Enters (or corrects) the meter's reading for a period. A consumption far above the
/// meter's usual is refused until confirmed (an operator) or held for review (the portal).
pub async fn enter(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    i: &ReadingInput,
) -> AppResult<Entered> {
    let meter = meters::by_id(txn, reach, i.meter_id).await?;
    let period = writable_period(txn, i.period.as_deref()).await?;
    let taken_on = i.taken_on.unwrap_or_else(|| {
        now.date_naive()
            .clamp(period.first_day(), period.last_day())
    });
    check_meter_and_day(&meter, period, taken_on)?;
    let (field, entry) = match (i.current.as_deref(), i.consumption.as_deref()) {
        (Some(c), None) => ("current", Entry::Current(parse_amount("current", c)?)),
        (None, Some(c)) => (
            "consumption",
            Entry::Consumption(parse_amount("consumption", c)?),
        ),
        _ => {
            return Err(AppError::validation(
                "current",
                "give either the current reading or the consumption",
            ));
        }
    };
    let n = neighbours(txn, &meter, period).await?;
    let before = in_period(txn, meter.id, period).await?;
    // What a meter reader or a verification found stands above what a subscriber types.
    if i.source == ReadingSource::Portal
        && let Some(b) = before
            .as_ref()
            .filter(|b| matches!(b.source.as_str(), "controller" | "verification"))
    {
        return Err(AppError::Conflict(format!(
            "the meter was read by the utility this month ({}); ask the office to correct it",
            b.current
        )));
    }
    // A later reading was derived from this period's: neither a new nor a corrected value
    // may slip in under it. A payment protects only a value already there.
    readings::check_correction(n.later_readings, before.is_some() && n.paid_in_period)
        .map_err(|e| refusal(field, e))?;
    // The office types 0 over the period's reading to clear it (seed 001 §4.4.4). A meter
    // never starts at 0, so a 0 with nothing to clear is a mistake (a dial that rolled
    // over to exactly zero is entered as its consumption). Not from the portal.
    if i.source != ReadingSource::Portal && matches!(entry, Entry::Current(c) if c.is_zero()) {
        return match before {
            Some(b) => cleared(txn, actor, now, meter.id, period, b).await,
            None => Err(AppError::validation(
                "current",
                "0 clears the period's reading, and this meter has none; enter the reading, or the consumption after +",
            )),
        };
    }
    let digits = meter.digits.and_then(|d| u32::try_from(d).ok());
    let d = readings::derive(n.previous, entry, digits).map_err(|e| refusal(field, e))?;
    if !i.confirmed
        && let Some(usual) = held_readings::implausible(txn, &meter, period, d.consumption).await?
    {
        if i.source == ReadingSource::Portal {
            let source = ReadingSource::Portal;
            let held =
                held_readings::hold(txn, actor, now, meter.id, period, &d, usual, source).await?;
            return Ok(Entered::Held(held));
        }
        return Err(AppError::NeedsConfirmation {
            field: field.to_owned(),
            message: format!(
                "the consumption {} is more than three times the usual {} of this meter; check the value and confirm it if it is right",
                d.consumption.normalize(),
                usual.value().normalize()
            ),
        });
    }
    let basis = Basis::from(i.basis);
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    let id = Id::find_by_statement(stmt(
        "INSERT INTO readings (meter_id, period, taken_on, previous, current, consumption, basis, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (meter_id, period) DO UPDATE SET taken_on = EXCLUDED.taken_on, previous = EXCLUDED.previous, \
             current = EXCLUDED.current, consumption = EXCLUDED.consumption, basis = EXCLUDED.basis, \
             source = EXCLUDED.source, entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at, job_id = NULL \
         RETURNING id",
        vec![
            meter.id.into(),
            period.first_day().into(),
            taken_on.into(),
            n.previous.into(),
            d.current.into(),
            d.consumption.into(),
            basis.code().into(),
            i.source.code().into(),
            actor.login.clone().into(),
            now.into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    periods::touches::meters(txn, period, &[meter.id]).await?;
    let after = in_period(txn, meter.id, period)
        .await?
        .ok_or_else(|| AppError::Internal("reading vanished".into()))?;
    let action = if before.is_some() { "correct" } else { "enter" };
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "reading",
            entity_id: id.to_string(),
            action,
            before: before.map(|b| json!(b)),
            after: Some(json!(after)),
        },
    )
    .await?;
    Ok(Entered::Saved(after, REFORM_WARNING.to_owned()))
}

/// Removes a meter's reading of an open period (the correction rules already checked).
async fn cleared(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    meter_id: i64,
    period: Period,
    before: ReadingView,
) -> AppResult<Entered> {
    txn.execute_raw(stmt(
        "DELETE FROM readings WHERE meter_id = $1 AND period = $2",
        vec![meter_id.into(), period.first_day().into()],
    ))
    .await?;
    periods::touches::meters(txn, period, &[meter_id]).await?;
    let change = Change {
        entity: "reading",
        entity_id: before.id.to_string(),
        action: "delete",
        before: Some(json!(before)),
        after: None,
    };
    audit::record(txn, actor, now, change).await?;
    Ok(Entered::Cleared(REFORM_WARNING.to_owned()))
}

/// A meter's readings from one period to another (both included, either open-ended),
/// oldest first.
pub async fn history(
    txn: &DatabaseTransaction,
    reach: &Reach,
    meter_id: i64,
    from: Option<Period>,
    to: Option<Period>,
) -> AppResult<Vec<ReadingView>> {
    meters::by_id(txn, reach, meter_id).await?;
    let rows = ReadingView::find_by_statement(stmt(
        &format!(
            "{VIEW} WHERE r.meter_id = $1 AND ($2::date IS NULL OR r.period >= $2) \
               AND ($3::date IS NULL OR r.period <= $3) ORDER BY r.period"
        ),
        vec![
            meter_id.into(),
            from.map(Period::first_day).into(),
            to.map(Period::first_day).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok(rows.into_iter().map(normalized).collect())
}

/// A meter whose reading a group operation left alone, and why.
#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
pub struct ReadingSkip {
    pub meter_id: i64,
    pub serial: String,
    pub reason: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct ClearResult {
    pub period: String,
    pub cleared: i64,
    pub skipped: Vec<ReadingSkip>,
    /// Set when something was cleared.
    pub warning: Option<String>,
}

/// Clears the readings of every meter of a building (its own and its apartments') in an
/// open period, except those the correction rules protect; one audit row for the building
/// lists what was removed.
pub async fn clear_building(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    building_id: i32,
    period: Period,
) -> AppResult<ClearResult> {
    #[derive(FromQueryResult, serde::Serialize)]
    struct Row {
        id: i64,
        meter_id: i64,
        serial: String,
        current: Decimal,
        consumption: Decimal,
        later_readings: bool,
        paid_in_period: bool,
    }
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT r.id, r.meter_id, m.serial, r.current, r.consumption, {} \
             FROM readings r JOIN meters m ON m.id = r.meter_id \
             WHERE m.building_id = $1 AND r.period = $2 ORDER BY m.serial",
            facts_sql("r.period")
        ),
        vec![building_id.into(), period.first_day().into()],
    ))
    .all(txn)
    .await?;
    let mut skipped = Vec::new();
    let mut cleared = Vec::new();
    for r in rows {
        match readings::check_correction(r.later_readings, r.paid_in_period) {
            Ok(()) => cleared.push(r),
            Err(e) => skipped.push(ReadingSkip {
                meter_id: r.meter_id,
                serial: r.serial,
                reason: e.to_string(),
            }),
        }
    }
    let ids: Vec<i64> = cleared.iter().map(|r| r.id).collect();
    if !ids.is_empty() {
        txn.execute_raw(stmt(
            "DELETE FROM readings WHERE id = ANY($1)",
            vec![ids.clone().into()],
        ))
        .await?;
        periods::touches::buildings(txn, period, &[building_id]).await?;
        audit::record(
            txn,
            actor,
            now,
            Change {
                entity: "building",
                entity_id: building_id.to_string(),
                action: "clear_readings",
                before: Some(json!({ "period": period.to_string(), "readings": cleared })),
                after: None,
            },
        )
        .await?;
    }
    Ok(ClearResult {
        period: period.to_string(),
        cleared: i64::try_from(ids.len()).unwrap_or(i64::MAX),
        skipped,
        warning: (!ids.is_empty()).then(|| REFORM_WARNING.to_owned()),
    })
}
