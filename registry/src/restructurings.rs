//! Debt restructuring agreements of an account: number, signing date, debt, months and
//! first period; the monthly schedule comes from `domain::restructuring` and is stored
//! with the agreement. One active agreement per account; cancelling keeps the record.
//! Each instalment shows how it was kept (`domain::restructuring::kept`): what the month's
//! payments brought to the agreement after the month's bill, and how far behind it is.

use chrono::{DateTime, NaiveDate, Utc};
use domain::restructuring::{kept, schedule};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, DbBackend, EntityTrait,
    FromQueryResult, Statement,
};
use serde_json::json;

use crate::entities::{restructuring, restructuring_instalment};
use crate::subsidies::{parse_money, parse_period};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instalment {
    /// `YYYY-MM`.
    pub period: String,
    pub amount: Decimal,
    /// What the month's payments brought to the agreement (none for a month to come).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<Decimal>,
    /// Instalments due so far less what was brought so far (none for a month to come).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behind: Option<Decimal>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restructuring {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub debt: Decimal,
    pub months: i32,
    pub first_period: String,
    /// active or cancelled.
    pub status: String,
    pub instalments: Vec<Instalment>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct RestructuringInput {
    pub number: String,
    pub signed_on: NaiveDate,
    /// Text, e.g. "12 500,00".
    pub debt: String,
    pub months: i32,
    /// `YYYY-MM`.
    pub first_period: String,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    account_id: i64,
    number: String,
    signed_on: NaiveDate,
    debt: Decimal,
    months: i32,
    first_period: String,
    status: String,
    instalments: serde_json::Value,
}

const SELECT: &str = "SELECT r.id, r.account_id, r.number, r.signed_on, r.debt, r.months, \
        to_char(r.first_period, 'YYYY-MM') AS first_period, r.status, \
        (SELECT coalesce(jsonb_agg(jsonb_build_object('period', to_char(i.period, 'YYYY-MM'), 'amount', i.amount::text) \
                 ORDER BY i.period), '[]') FROM restructuring_instalments i WHERE i.restructuring_id = r.id) AS instalments \
     FROM restructurings r";

fn view(r: Row) -> Restructuring {
    let instalments = r
        .instalments
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| {
                    Some(Instalment {
                        period: i["period"].as_str()?.to_owned(),
                        amount: i["amount"].as_str()?.parse().ok()?,
                        paid: None,
                        behind: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Restructuring {
        id: r.id,
        number: r.number,
        signed_on: r.signed_on,
        debt: r.debt,
        months: r.months,
        first_period: r.first_period,
        status: r.status,
        instalments,
    }
}

pub async fn of_account(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> AppResult<Vec<Restructuring>> {
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE r.account_id = $1 ORDER BY r.signed_on DESC, r.id DESC"),
        [account_id.into()],
    ))
    .all(txn)
    .await?;
    let mut list: Vec<Restructuring> = rows.into_iter().map(view).collect();
    let Some(first) = list
        .iter()
        .filter_map(|r| r.instalments.first())
        .filter_map(|i| i.period.parse::<domain::Period>().ok())
        .min()
    else {
        return Ok(list);
    };
    let Some(through) = periods::working_month(txn).await? else {
        return Ok(list);
    };
    if through < first {
        return Ok(list);
    }
    let months = crate::restructuring_kept::months_of(txn, &[account_id], first, through)
        .await?
        .remove(&account_id)
        .unwrap_or_default();
    for r in &mut list {
        let plan: Vec<(domain::Period, Decimal)> = r
            .instalments
            .iter()
            .filter_map(|i| Some((i.period.parse().ok()?, i.amount)))
            .collect();
        for (i, k) in r.instalments.iter_mut().zip(kept(&plan, &months, through)) {
            i.paid = k.paid;
            i.behind = k.behind;
        }
    }
    Ok(list)
}

/// The agreement and its account.
pub async fn by_id(txn: &DatabaseTransaction, id: i64) -> AppResult<(i64, Restructuring)> {
    let r = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE r.id = $1"),
        [id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok((r.account_id, view(r)))
}

fn change<'a>(
    id: i64,
    action: &'a str,
    before: Option<&Restructuring>,
    after: &Restructuring,
) -> Change<'a> {
    Change {
        entity: "restructuring",
        entity_id: id.to_string(),
        action,
        before: before.map(|b| json!(b)),
        after: Some(json!(after)),
    }
}

pub async fn add(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    account_id: i64,
    input: &RestructuringInput,
) -> AppResult<Restructuring> {
    let number = input.number.trim();
    if number.is_empty() || number.chars().count() > 40 {
        return Err(AppError::validation("number", "must be 1–40 characters"));
    }
    let debt = parse_money("debt", &input.debt, false)?;
    let first = parse_period(&input.first_period)
        .map_err(|_| AppError::validation("firstPeriod", "must look like 2026-11"))?;
    let first = domain::Period::containing(first)
        .map_err(|_| AppError::validation("firstPeriod", "must look like 2026-11"))?;
    let months = u32::try_from(input.months).unwrap_or(0);
    let plan = schedule(debt, months, first).map_err(|e| match e {
        domain::restructuring::ScheduleError::Debt => AppError::validation("debt", e.to_string()),
        domain::restructuring::ScheduleError::Months => {
            AppError::validation("months", e.to_string())
        }
    })?;
    let row = restructuring::ActiveModel {
        account_id: Set(account_id),
        number: Set(number.to_owned()),
        signed_on: Set(input.signed_on),
        debt: Set(debt),
        months: Set(input.months),
        first_period: Set(first.first_day()),
        ..Default::default()
    };
    let id = restructuring::Entity::insert(row)
        .exec(txn)
        .await
        .map_err(|e| {
            let text = e.to_string();
            if text.contains("restructurings_number_key") {
                AppError::Conflict(format!("agreement number {number} is already taken"))
            } else if text.contains("restructurings_one_active_idx") {
                AppError::Conflict(
                    "the account already has an active restructuring agreement".into(),
                )
            } else {
                e.into()
            }
        })?
        .last_insert_id;
    restructuring_instalment::Entity::insert_many(plan.iter().map(|(p, a)| {
        restructuring_instalment::ActiveModel {
            restructuring_id: Set(id),
            period: Set(p.first_day()),
            amount: Set(*a),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    let (_, after) = by_id(txn, id).await?;
    audit::record(txn, actor, now, change(id, "create", None, &after)).await?;
    Ok(after)
}

pub async fn cancel(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<()> {
    let (_, before) = by_id(txn, id).await?;
    if before.status == "cancelled" {
        return Err(AppError::Conflict(
            "the agreement is already cancelled".into(),
        ));
    }
    restructuring::ActiveModel {
        id: Set(id),
        status: Set("cancelled".to_owned()),
        ..Default::default()
    }
    .update(txn)
    .await?;
    let (_, after) = by_id(txn, id).await?;
    audit::record(txn, actor, now, change(id, "cancel", Some(&before), &after)).await
}
