//! Writing acts: creating one with its lines, changing or deleting a draft, approving and
//! returning to draft (one act or a selection of one kind). Acts live in the open period:
//! every writer holds the act's period open (`periods::hold`), so an act of a closed period
//! is PERIOD_CLOSED whatever is asked of it. Approving or un-approving changes what the
//! period's invoices owe, so it marks the accounts' buildings stale (`periods::touches`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::data_update::{self, ActHouseReading, ActSubsidy, News, Top};
use crate::lines::{self, Booked};
use crate::model::{Act, ActKind, ActLine, ActMonth, ActStatus, BasisDocument, HouseMeter, SELECT};
use crate::payments::{self, Closed};
use crate::reading::Correction;
use crate::recalculation::{self, Target};
use crate::recompute::MonthLine;
use domain::Period;
use domain::billing::Method;
use metering::readings;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use registry::subsidies::parse_money;

/// An act as the form sends it.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ActInput {
    pub kind: ActKind,
    /// The account (every kind but a recalculation over a building).
    pub account_id: Option<i64>,
    /// A recalculation or data update over every account of a building (instead of
    /// `accountId`).
    pub building_id: Option<i32>,
    /// A recalculation or data update over every account of a branch (computed by a job).
    pub branch_id: Option<i32>,
    /// A recalculation or data update over every account (computed by a job).
    #[graphql(default)]
    pub all_accounts: bool,
    /// Storno: none spreads the amount over every service owing (by its debt);
    /// recalculation: none takes every service (of `method`, when given).
    pub service_id: Option<i32>,
    /// A recalculation: only the services of this calculation method (`norm`, `area`…).
    pub method: Option<String>,
    /// A recalculation: the days the services were not provided (closed months only).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub basis_document: Option<BasisDocument>,
    /// Storno and fine: more than 0; correction: ± (not 0); none for a recalculation.
    /// Text, a point or a comma.
    #[graphql(default)]
    pub amount: String,
    /// From the reasons book, of the act's kind; none takes the kind's default.
    pub reason_id: Option<i32>,
    /// The employee who made it (required for a storno and a recalculation).
    pub executor_id: Option<i32>,
    /// Inside the open period; none: its first day.
    pub act_date: Option<NaiveDate>,
    pub comment: Option<String>,
    /// A reading correction: the account's meter, the closed month of the reading
    /// (`YYYY-MM`) and the corrected current reading (text).
    pub meter_id: Option<i64>,
    pub reading_period: Option<String>,
    pub reading_value: Option<String>,
    /// A data-update act: subsidies of its closed months that came with it (±).
    #[graphql(default)]
    pub subsidies: Vec<ActSubsidy>,
    /// A data-update act over a building: house meters' consumption of its closed months
    /// that came late (a top-up spread over the house).
    #[graphql(default)]
    pub house_readings: Vec<ActHouseReading>,
    /// A data-update act over an account: payments booked in its closed months to close
    /// (their parts are owed again; see `payments`).
    #[graphql(default)]
    pub cancel_payments: Vec<i64>,
    /// Consumers 1 and 2 (seed 002, optional): accounts the act concerns besides its scope.
    pub consumer1_account_id: Option<i64>,
    pub consumer2_account_id: Option<i64>,
}

impl ActInput {
    /// An act of `kind` with nothing filled in (the caller fills in what applies).
    pub fn of(kind: ActKind) -> Self {
        Self {
            kind,
            account_id: None,
            building_id: None,
            branch_id: None,
            all_accounts: false,
            service_id: None,
            method: None,
            from: None,
            to: None,
            basis_document: None,
            amount: String::new(),
            reason_id: None,
            executor_id: None,
            act_date: None,
            comment: None,
            meter_id: None,
            reading_period: None,
            reading_value: None,
            subsidies: Vec::new(),
            house_readings: Vec::new(),
            cancel_payments: Vec::new(),
            consumer1_account_id: None,
            consumer2_account_id: None,
        }
    }
}

/// The input checked against the books, with its lines computed.
struct Checked {
    amount: Option<Decimal>,
    act_date: NaiveDate,
    reason_id: Option<i32>,
    executor_id: Option<i32>,
    method: Option<Method>,
    comment: String,
    /// Per account, what it books.
    lines: Vec<(i64, Booked)>,
    /// The closed months it recomputed (acts that recompute).
    months: Vec<MonthLine>,
    correction: Option<Correction>,
    news: Vec<News>,
    tops: Vec<Top>,
    closed: Vec<Closed>,
    /// The open month the lines were computed in.
    computed_in: NaiveDate,
    /// Over a branch or every account: the lines are left to a worker job.
    deferred: bool,
}

#[derive(FromQueryResult)]
struct Id {
    id: i32,
}

async fn exists(txn: &DatabaseTransaction, sql: &str, id: i32) -> AppResult<Option<i32>> {
    Ok(Id::find_by_statement(stmt(sql, vec![id.into()]))
        .one(txn)
        .await?
        .map(|r| r.id))
}

/// The days (recalculation) or months (data update) of closed months the act reaches.
fn closed_days(input: &ActInput, open: Period) -> AppResult<(NaiveDate, NaiveDate)> {
    let (from, to) = match (input.from, input.to) {
        (Some(f), Some(t)) => (f, t),
        (None, _) => return Err(AppError::validation("from", "is required")),
        (_, None) => return Err(AppError::validation("to", "is required")),
    };
    if to < from {
        return Err(AppError::validation("to", "must not be before the start"));
    }
    if to >= open.first_day() {
        return Err(AppError::validation(
            "to",
            format!(
                "must be before the open period {open}: a recalculation corrects closed months"
            ),
        ));
    }
    Ok((from, to))
}

async fn check(
    txn: &DatabaseTransaction,
    open: Period,
    id: Option<i64>,
    input: &ActInput,
    in_job: bool,
) -> AppResult<Checked> {
    let kind = input.kind;
    let recomputes = matches!(
        kind,
        ActKind::Recalculation | ActKind::ReadingCorrection | ActKind::DataUpdate
    );
    let by_building = matches!(kind, ActKind::Recalculation | ActKind::DataUpdate);
    let amount = if recomputes {
        None
    } else {
        let amount = parse_money("amount", &input.amount, kind == ActKind::Correction)?;
        if amount.is_zero() {
            return Err(AppError::validation(
                "amount",
                if kind == ActKind::Correction {
                    "must not be 0"
                } else {
                    "must be more than 0"
                },
            ));
        }
        Some(amount)
    };
    let scopes = [
        input.account_id.map(Target::Account),
        input.building_id.map(Target::Building),
        input.branch_id.map(Target::Branch),
        input.all_accounts.then_some(Target::All),
    ];
    let target = match scopes.iter().flatten().collect::<Vec<_>>()[..] {
        [t] if by_building || matches!(t, Target::Account(_)) => *t,
        [] | [_] => return Err(AppError::validation("accountId", "is required")),
        _ => {
            return Err(AppError::validation(
                "buildingId",
                "choose one of an account, a building, a branch or every account",
            ));
        }
    };
    if target.wide()
        && !(input.subsidies.is_empty()
            && input.house_readings.is_empty()
            && input.cancel_payments.is_empty())
    {
        return Err(AppError::validation(
            "subsidies",
            "news names an account or a house: make the act over that account or building",
        ));
    }
    let deferred = target.wide() && !in_job;
    let act_date = input.act_date.unwrap_or(open.first_day());
    if Period::containing(act_date).ok() != Some(open) {
        return Err(AppError::validation(
            "actDate",
            format!("must be inside the open period {open}"),
        ));
    }
    match (kind, input.service_id) {
        (ActKind::Correction | ActKind::Fine, None) => {
            return Err(AppError::validation("serviceId", "is required"));
        }
        (ActKind::Fine, Some(s)) => {
            exists(txn, "SELECT id FROM services WHERE id = $1 AND fine", s)
                .await?
                .ok_or_else(|| {
                    AppError::validation("serviceId", "must be a service marked as a fine")
                })?;
        }
        (_, Some(s)) => {
            exists(txn, "SELECT id FROM services WHERE id = $1", s)
                .await?
                .ok_or_else(|| AppError::validation("serviceId", "there is no such record"))?;
        }
        (_, None) => {}
    }
    let reason_id = match (kind.reasons(), input.reason_id) {
        (None, _) => None,
        (Some(applies), Some(r)) => Some(
            Id::find_by_statement(stmt(
                "SELECT id FROM recalculation_reasons WHERE id = $1 AND applies_to = $2",
                vec![r.into(), applies.into()],
            ))
            .one(txn)
            .await?
            .ok_or_else(|| {
                AppError::validation("reasonId", "must be a reason for this kind of act")
            })?
            .id,
        ),
        // The kind's own reason ("Storno", "Correction"), while the tenant keeps it.
        (Some(applies), None) => Id::find_by_statement(stmt(
            "SELECT id FROM recalculation_reasons WHERE applies_to = $1 AND active ORDER BY code = $1 DESC, id LIMIT 1",
            vec![applies.into()],
        ))
        .one(txn)
        .await?
        .map(|r| r.id),
    };
    // A reason tied to services (seed 002 Table 1) recalculates those alone.
    let reason_services: Vec<i32> = match reason_id {
        Some(r) if kind == ActKind::Recalculation => Id::find_by_statement(stmt(
            "SELECT service_id AS id FROM reason_services WHERE reason_id = $1",
            vec![r.into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect(),
        _ => Vec::new(),
    };
    if let Some(s) = input.service_id
        && !reason_services.is_empty()
        && !reason_services.contains(&s)
    {
        return Err(AppError::validation(
            "reasonId",
            "does not apply to this service",
        ));
    }
    let executor_id = match input.executor_id {
        Some(e) => Some(
            exists(txn, "SELECT id FROM employees WHERE id = $1 AND active", e)
                .await?
                .ok_or_else(|| AppError::validation("executorId", "there is no such record"))?,
        ),
        None if kind == ActKind::Storno || recomputes => {
            return Err(AppError::validation("executorId", "is required"));
        }
        None => None,
    };
    let method = match input.method.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) if kind == ActKind::Recalculation => Some(
            Method::parse(m.trim())
                .ok_or_else(|| AppError::validation("method", "there is no such record"))?,
        ),
        _ => None,
    };
    let account = match target {
        Target::Account(a) => a,
        Target::Building(_) | Target::Branch(_) | Target::All => 0,
    };
    let nothing = || {
        AppError::validation(
            "from",
            "no invoice of these days and services changes: there is nothing to recalculate",
        )
    };
    let (mut correction, mut news, mut tops, mut closed) =
        (None, Vec::new(), Vec::new(), Vec::new());
    let services: Option<Vec<i32>> = match (input.service_id, reason_services.is_empty()) {
        (Some(s), _) => Some(vec![s]),
        (None, false) => Some(reason_services),
        (None, true) => None,
    };
    let (lines, months) = match (kind, amount) {
        (ActKind::Recalculation | ActKind::DataUpdate, _) if deferred => {
            closed_days(input, open)?;
            (Vec::new(), Vec::new())
        }
        (ActKind::Recalculation, _) => {
            let (from, to) = closed_days(input, open)?;
            let found =
                recalculation::lines(txn, target, services.as_deref(), method, from, to).await?;
            // A wide act's job keeps an act that finds nothing (it says so by its total).
            if found.0.is_empty() && !target.wide() {
                return Err(nothing());
            }
            found
        }
        (ActKind::DataUpdate, _) => {
            let (from, to) = closed_days(input, open)?;
            news = data_update::parse(&input.subsidies, target, from, to)?;
            tops = match (target, input.house_readings.is_empty()) {
                (_, true) => Vec::new(),
                (Target::Building(b), false) => {
                    data_update::parse_tops(txn, &input.house_readings, b, from, to).await?
                }
                (_, false) => {
                    return Err(AppError::validation(
                        "houseReadings",
                        "a house meter's consumption is spread over the house: make the act over the building",
                    ));
                }
            };
            closed = payments::parse(txn, &input.cancel_payments, target, from, to, id).await?;
            let (booked, months) =
                data_update::lines(txn, target, from, to, id, &news, &tops).await?;
            let found = (
                payments::merge([booked, payments::book(&closed)].concat()),
                months,
            );
            // A wide act's job keeps an act that finds nothing (it says so by its total).
            if found.0.is_empty() && !target.wide() {
                return Err(nothing());
            }
            found
        }
        (ActKind::ReadingCorrection, _) => {
            let meter = input
                .meter_id
                .ok_or_else(|| AppError::validation("meterId", "is required"))?;
            let period: Period = input
                .reading_period
                .as_deref()
                .unwrap_or_default()
                .trim()
                .parse()
                .map_err(|_| AppError::validation("readingPeriod", "must look like 2026-11"))?;
            let value = platform::input::parse_amount(
                "readingValue",
                input.reading_value.as_deref().unwrap_or_default(),
            )?;
            let c = Correction::check(txn, account, meter, period, value, open).await?;
            let found = c.lines(txn, account, open).await?;
            correction = Some(c);
            // A correction that moves consumption between months of one price books
            // nothing, yet the reading is put right when it is approved.
            found
        }
        (ActKind::Storno, Some(amount)) => (
            lines::storno_lines(txn, account, open, input.service_id, amount)
                .await?
                .into_iter()
                .map(|b| (account, b))
                .collect(),
            Vec::new(),
        ),
        (ActKind::Correction | ActKind::Fine, Some(amount)) => {
            let service = input.service_id.unwrap_or_default();
            (
                lines::single(kind.code(), service, amount)
                    .into_iter()
                    .map(|b| (account, b))
                    .collect(),
                Vec::new(),
            )
        }
        (_, None) => (Vec::new(), Vec::new()),
    };
    Ok(Checked {
        amount,
        act_date,
        reason_id,
        executor_id,
        method,
        comment: input.comment.clone().unwrap_or_default().trim().to_owned(),
        lines,
        months,
        correction,
        news,
        tops,
        closed,
        computed_in: open.first_day(),
        deferred,
    })
}

/// The columns a user's input writes, in the order of `written`.
const WRITTEN: &str = "act_date, account_id, building_id, service_id, method, from_date, to_date, \
                       basis_document, reason_id, executor_id, amount, comment, meter_id, reading_period, \
                       reading_was, reading_value, computed_in, branch_id, all_accounts, computing, \
                       consumer1_account_id, consumer2_account_id";

/// `$from, $from+1, …`, `n` of them.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The values of `WRITTEN` for a checked input (creating and changing write the same).
fn written(input: &ActInput, c: &Checked) -> Vec<sea_orm::Value> {
    vec![
        c.act_date.into(),
        input.account_id.into(),
        input.building_id.into(),
        input.service_id.into(),
        c.method.map(Method::code).into(),
        input.from.into(),
        input.to.into(),
        input.basis_document.map(BasisDocument::code).into(),
        c.reason_id.into(),
        c.executor_id.into(),
        c.amount.into(),
        c.comment.clone().into(),
        c.correction.map(|r| r.meter_id).into(),
        c.correction.map(|r| r.period.first_day()).into(),
        c.correction.map(|r| r.was).into(),
        c.correction.map(|r| r.value).into(),
        c.computed_in.into(),
        input.branch_id.into(),
        input.all_accounts.into(),
        c.deferred.into(),
        input.consumer1_account_id.into(),
        input.consumer2_account_id.into(),
    ]
}

/// The act, whatever its kind or period (None when there is none).
pub async fn find(txn: &DatabaseTransaction, id: i64) -> AppResult<Option<Act>> {
    Ok(
        Act::find_by_statement(stmt(&format!("{SELECT} WHERE x.id = $1"), vec![id.into()]))
            .one(txn)
            .await?,
    )
}

/// The act, or NOT_FOUND.
pub async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<Act> {
    find(txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The lines the act books.
pub async fn lines_of(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<ActLine>> {
    Ok(ActLine::find_by_statement(stmt(
        "SELECT l.account_id, a.number AS account_number, l.service_id, s.name AS service, l.amount, l.steps \
         FROM act_lines l JOIN accounts a ON a.id = l.account_id JOIN services s ON s.id = l.service_id \
         WHERE l.act_id = $1 ORDER BY a.number, coalesce(s.priority, 999), s.id",
        vec![id.into()],
    ))
    .all(txn)
    .await?)
}

/// The closed months the act recomputed, with the invoice of each (the Specification).
pub async fn months_of(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<ActMonth>> {
    Ok(ActMonth::find_by_statement(stmt(
        "SELECT m.account_id, a.number AS account_number, to_char(m.period, 'YYYY-MM') AS period, i.id AS invoice_id, \
                m.service_id, s.name AS service, m.was, m.now \
         FROM act_months m JOIN accounts a ON a.id = m.account_id JOIN services s ON s.id = m.service_id \
         LEFT JOIN invoices i ON i.account_id = m.account_id AND i.period = m.period \
         WHERE m.act_id = $1 ORDER BY m.period, a.number, coalesce(s.priority, 999), s.id",
        vec![id.into()],
    ))
    .all(txn)
    .await?)
}

/// The working house meters of a building.
pub async fn house_meters(txn: &DatabaseTransaction, building: i32) -> AppResult<Vec<HouseMeter>> {
    Ok(HouseMeter::find_by_statement(stmt(
        "SELECT m.id, m.serial, s.name AS service FROM meters m JOIN services s ON s.id = m.service_id \
         WHERE m.building_id = $1 AND m.install_method = 'building' AND m.removed_on IS NULL ORDER BY s.name, m.serial",
        vec![building.into()],
    ))
    .all(txn)
    .await?)
}

/// The data-update act's house-meter top-ups as entered.
pub async fn house_readings_of(
    txn: &DatabaseTransaction,
    id: i64,
) -> AppResult<Vec<ActHouseReading>> {
    #[derive(FromQueryResult)]
    struct Row {
        meter_id: i64,
        period: String,
        consumption: Decimal,
    }
    Ok(Row::find_by_statement(stmt(
        "SELECT meter_id, to_char(period, 'YYYY-MM') AS period, consumption FROM act_house_readings \
         WHERE act_id = $1 ORDER BY period, meter_id",
        vec![id.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| ActHouseReading {
        meter_id: r.meter_id,
        period: r.period,
        consumption: r.consumption.normalize().to_string(),
    })
    .collect())
}

/// The data-update act's subsidies as entered.
pub async fn subsidies_of(txn: &DatabaseTransaction, id: i64) -> AppResult<Vec<ActSubsidy>> {
    #[derive(FromQueryResult)]
    struct Row {
        account_id: i64,
        service_id: i32,
        period: String,
        amount: Decimal,
    }
    Ok(Row::find_by_statement(stmt(
        "SELECT account_id, service_id, to_char(period, 'YYYY-MM') AS period, amount FROM act_subsidies \
         WHERE act_id = $1 ORDER BY period, account_id, service_id",
        vec![id.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| ActSubsidy {
        account_id: r.account_id,
        service_id: r.service_id,
        period: r.period,
        amount: r.amount.normalize().to_string(),
    })
    .collect())
}

async fn write_lines(txn: &DatabaseTransaction, id: i64, c: &Checked) -> AppResult<()> {
    for table in [
        "act_lines",
        "act_months",
        "act_subsidies",
        "act_house_readings",
    ] {
        txn.execute_raw(stmt(
            &format!("DELETE FROM {table} WHERE act_id = $1"),
            vec![id.into()],
        ))
        .await?;
    }
    for m in &c.months {
        txn.execute_raw(stmt(
            "INSERT INTO act_months (act_id, account_id, service_id, period, was, now) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                id.into(),
                m.account_id.into(),
                m.service_id.into(),
                m.period.first_day().into(),
                m.was.into(),
                m.now.into(),
            ],
        ))
        .await?;
    }
    for (account, service, period, amount) in &c.news {
        txn.execute_raw(stmt(
            "INSERT INTO act_subsidies (act_id, account_id, service_id, period, amount) VALUES ($1, $2, $3, $4, $5)",
            vec![
                id.into(),
                (*account).into(),
                (*service).into(),
                period.first_day().into(),
                (*amount).into(),
            ],
        ))
        .await?;
    }
    for (meter, period, consumption) in &c.tops {
        txn.execute_raw(stmt(
            "INSERT INTO act_house_readings (act_id, meter_id, period, consumption) VALUES ($1, $2, $3, $4)",
            vec![
                id.into(),
                (*meter).into(),
                period.first_day().into(),
                (*consumption).into(),
            ],
        ))
        .await?;
    }
    payments::write(txn, id, &c.closed).await?;
    for (account, l) in &c.lines {
        txn.execute_raw(stmt(
            "INSERT INTO act_lines (act_id, account_id, service_id, amount, steps) VALUES ($1, $2, $3, $4, $5)",
            vec![
                id.into(),
                (*account).into(),
                l.service_id.into(),
                l.amount.into(),
                l.steps.clone().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

fn change<'a>(id: i64, action: &'a str, before: Option<&Act>, after: Option<&Act>) -> Change<'a> {
    Change {
        entity: "act",
        entity_id: id.to_string(),
        action,
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
    }
}

/// The open period, held open for the transaction.
async fn open(txn: &DatabaseTransaction) -> AppResult<Period> {
    let open = readings::current_open(txn).await?;
    periods::hold(txn, open).await?;
    Ok(open)
}

/// Creates an act in the open period; `approve`: approved at once (the card's corrections
/// and fines, which an operator enters and means).
pub async fn create(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    input: &ActInput,
    approve: bool,
) -> AppResult<Act> {
    let open = open(txn).await?;
    let c = check(txn, open, None, input, false).await?;
    #[derive(FromQueryResult)]
    struct NewId {
        id: i64,
    }
    let status = if approve {
        ActStatus::Approved
    } else {
        ActStatus::Draft
    };
    let id = NewId::find_by_statement(stmt(
        &format!(
            "INSERT INTO acts (kind, status, period, {WRITTEN}, created_at, created_by, approved_at, approved_by) \
             VALUES ({}) RETURNING id",
            // kind, status, period; the written columns; who made and approved it.
            placeholders(1, 3 + WRITTEN.split(',').count() + 4)
        ),
        [
            vec![
                input.kind.code().into(),
                status.code().into(),
                open.first_day().into(),
            ],
            written(input, &c),
            vec![
                now.into(),
                actor.login.clone().into(),
                approve.then_some(now).into(),
                approve.then(|| actor.login.clone()).into(),
            ],
        ]
        .concat(),
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    write_lines(txn, id, &c).await?;
    if approve {
        let accounts: Vec<i64> = c.lines.iter().map(|(a, _)| *a).collect();
        periods::touches::accounts(txn, open, &accounts).await?;
    }
    let after = by_id(txn, id).await?;
    audit::record(txn, actor, now, change(id, "create", None, Some(&after))).await?;
    Ok(after)
}

/// Changes a draft of the open period (its lines are computed again).
pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: &ActInput,
) -> AppResult<Act> {
    let before = by_id(txn, id).await?;
    let period = held(txn, &before).await?;
    if before.status == ActStatus::Approved {
        return Err(AppError::Conflict(
            "an approved act cannot be changed; return it to draft first".into(),
        ));
    }
    if before.kind != input.kind {
        return Err(AppError::validation("kind", "an act's kind cannot change"));
    }
    let c = check(txn, period, Some(id), input, false).await?;
    txn.execute_raw(stmt(
        &format!(
            "UPDATE acts SET ({WRITTEN}) = ({}) WHERE id = $1",
            placeholders(2, WRITTEN.split(',').count())
        ),
        [vec![id.into()], written(input, &c)].concat(),
    ))
    .await?;
    write_lines(txn, id, &c).await?;
    let after = by_id(txn, id).await?;
    audit::record(
        txn,
        actor,
        now,
        change(id, "update", Some(&before), Some(&after)),
    )
    .await?;
    Ok(after)
}

/// Holds the act's period open (PERIOD_CLOSED when it is closed: acts of a closed period
/// never change) and returns it.
async fn held(txn: &DatabaseTransaction, act: &Act) -> AppResult<Period> {
    let period: Period = act
        .period
        .parse()
        .map_err(|_| AppError::Internal(format!("act {} has a bad period", act.id)))?;
    periods::hold(txn, period).await?;
    Ok(period)
}

/// Deletes a draft of an open period.
pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let before = by_id(txn, id).await?;
    held(txn, &before).await?;
    if before.status == ActStatus::Approved {
        return Err(AppError::Conflict(
            "an approved act cannot be deleted; return it to draft first".into(),
        ));
    }
    txn.execute_raw(stmt("DELETE FROM acts WHERE id = $1", vec![id.into()]))
        .await?;
    audit::record(txn, actor, now, change(id, "delete", Some(&before), None)).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct AccountOf {
    account_id: i64,
}

/// Approves the acts or returns them to draft; all of one kind, all of open periods.
/// Acts already in `status` stay as they are. Returns the acts as they now are.
pub async fn set_status(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    acts: Vec<Act>,
    status: ActStatus,
) -> AppResult<Vec<Act>> {
    let Some(first) = acts.first() else {
        return Err(AppError::validation("ids", "choose at least one act"));
    };
    if acts.iter().any(|a| a.kind != first.kind) {
        return Err(AppError::validation("ids", "choose acts of one kind"));
    }
    let mut out = Vec::with_capacity(acts.len());
    for before in acts {
        let period = held(txn, &before).await?;
        if before.status == status {
            out.push(before);
            continue;
        }
        let approve = status == ActStatus::Approved;
        // Lines that depend on the month they were computed in (closed months recomputed,
        // debts spread) go stale when a closing carries the draft on.
        let dated = matches!(
            before.kind,
            ActKind::Recalculation | ActKind::ReadingCorrection | ActKind::DataUpdate
        ) || (before.kind == ActKind::Storno && before.service_id.is_none());
        if approve && before.computing {
            return Err(AppError::Conflict(format!(
                "act {} is still being computed; approve it when its lines are there",
                before.number
            )));
        }
        if approve && dated && before.computed_in.is_some_and(|c| c != period.first_day()) {
            return Err(AppError::Conflict(format!(
                "act {} was computed before its month closed; save it again so that it is computed for {period}",
                before.number
            )));
        }
        if let (Some(meter), Some(p), Some(was), Some(value)) = (
            before.meter_id,
            before.reading_period.as_deref(),
            before.reading_was,
            before.reading_value,
        ) {
            let p: Period = p
                .parse()
                .map_err(|_| AppError::Internal(format!("act {} has a bad month", before.id)))?;
            let c = Correction::of_act(txn, meter, p, was, value).await?;
            if approve {
                c.write(txn, was, value).await?;
            } else {
                c.write(txn, value, was).await?;
            }
        }
        if before.kind == ActKind::DataUpdate {
            payments::mark(txn, before.id, approve).await?;
        }
        txn.execute_raw(stmt(
            "UPDATE acts SET status = $2, approved_at = $3, approved_by = $4 WHERE id = $1",
            vec![
                before.id.into(),
                status.code().into(),
                approve.then_some(now).into(),
                approve.then(|| actor.login.clone()).into(),
            ],
        ))
        .await?;
        // A reading correction also changes the open month's consumption of its account.
        let accounts: Vec<i64> = AccountOf::find_by_statement(stmt(
            "SELECT account_id FROM act_lines WHERE act_id = $1 \
             UNION SELECT account_id FROM acts WHERE id = $1 AND meter_id IS NOT NULL AND account_id IS NOT NULL",
            vec![before.id.into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| a.account_id)
        .collect();
        periods::touches::accounts(txn, period, &accounts).await?;
        let after = by_id(txn, before.id).await?;
        let action = if approve { "approve" } else { "unapprove" };
        audit::record(
            txn,
            actor,
            now,
            change(before.id, action, Some(&before), Some(&after)),
        )
        .await?;
        out.push(after);
    }
    Ok(out)
}

/// The act as its form would send it again (the job computing a wide act's lines checks it
/// the same way).
fn input_of(a: &Act) -> ActInput {
    ActInput {
        account_id: a.account_id,
        building_id: a.building_id,
        branch_id: a.branch_id,
        all_accounts: a.all_accounts,
        service_id: a.service_id,
        method: a.method.clone(),
        from: a.from_date,
        to: a.to_date,
        basis_document: a.basis_document,
        reason_id: a.reason_id,
        executor_id: a.executor_id,
        act_date: Some(a.act_date),
        comment: Some(a.comment.clone()),
        consumer1_account_id: a.consumer1_account_id,
        consumer2_account_id: a.consumer2_account_id,
        ..ActInput::of(a.kind)
    }
}

/// Computes the lines of an act over a branch or every account (the worker's job): the
/// act as saved, checked again, its lines written; safe to run twice. An act changed or
/// deleted since the job was queued is left as it is (its own job computes it).
pub async fn compute(
    txn: &DatabaseTransaction,
    id: i64,
    job: uuid::Uuid,
) -> AppResult<Option<Act>> {
    let Some(act) = find(txn, id).await? else {
        return Ok(None);
    };
    if act.job_id.as_deref() != Some(job.to_string().as_str()) {
        return Ok(Some(act));
    }
    let period = held(txn, &act).await?;
    let c = check(txn, period, Some(id), &input_of(&act), true).await?;
    write_lines(txn, id, &c).await?;
    txn.execute_raw(stmt(
        "UPDATE acts SET computing = false WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    Ok(Some(by_id(txn, id).await?))
}

/// Marks the act as computed by `job` (a wide act's lines come from it).
pub async fn computed_by(txn: &DatabaseTransaction, id: i64, job: uuid::Uuid) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE acts SET job_id = $2::uuid WHERE id = $1",
        vec![id.into(), job.to_string().into()],
    ))
    .await?;
    Ok(())
}
