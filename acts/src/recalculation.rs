//! The recalculation act's lines (seed 002 «Акт перерахунку»): for every closed month the
//! act's days touch, the accounts in its scope are calculated again by the same loader
//! and engine as the month's own calculation — a virtual invoice — with the chosen
//! services not provided on those days, and compared with the invoice as issued. The
//! difference of the net charge (charged − benefit − subsidy) per service, summed over
//! the months, is what the act books in the open month. A closed month's inputs never
//! change, so a virtual invoice without the interruption is the issued one: the
//! difference is the interruption's alone.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use domain::Period;
use domain::billing::{Method, calculate_building};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::{Value, json};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The accounts a recalculation act covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Account(i64),
    Building(i32),
}

/// One account's line: service, amount, steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub account_id: i64,
    pub service_id: i32,
    pub amount: Decimal,
    pub steps: Value,
}

#[derive(FromQueryResult)]
struct BuildingOf {
    building_id: i32,
}

#[derive(FromQueryResult)]
struct Issued {
    account_id: i64,
    service_id: i32,
    net: Decimal,
}

/// The most months one act may reach back over.
pub const MONTHS: u32 = 36;

/// The months `from`..=`to` touches, each with the days of it inside the range.
pub fn months(from: NaiveDate, to: NaiveDate) -> AppResult<Vec<(Period, (NaiveDate, NaiveDate))>> {
    let mut out = Vec::new();
    let mut p = Period::containing(from).map_err(|e| AppError::Internal(e.to_string()))?;
    let last = Period::containing(to).map_err(|e| AppError::Internal(e.to_string()))?;
    while p <= last {
        out.push((p, (from.max(p.first_day()), to.min(p.last_day()))));
        if out.len() > MONTHS as usize {
            return Err(AppError::validation(
                "from",
                format!("must be at most {MONTHS} months before the end"),
            ));
        }
        p = p.next();
    }
    Ok(out)
}

/// What the act books: per account and service, Σ over its months of (virtual − issued)
/// net charge, with a step per month.
pub async fn lines(
    txn: &DatabaseTransaction,
    target: Target,
    service: Option<i32>,
    method: Option<Method>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Line>> {
    let building = match target {
        Target::Building(b) => b,
        Target::Account(a) => {
            BuildingOf::find_by_statement(stmt(
                "SELECT p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id WHERE a.id = $1",
                vec![a.into()],
            ))
            .one(txn)
            .await?
            .ok_or_else(|| {
                AppError::validation("accountId", "the account has no premises, so it is not calculated")
            })?
            .building_id
        }
    };
    let mut booked: BTreeMap<(i64, i32), (Decimal, Vec<Value>)> = BTreeMap::new();
    for (period, (a, b)) in months(from, to)? {
        let cat = billing::catalog::load(txn, period).await?;
        let mut inputs = billing::load::chunk(txn, &cat, &[building]).await?;
        let mut touched: HashSet<(i64, i32)> = HashSet::new();
        for bi in &mut inputs {
            for acc in &mut bi.accounts {
                if matches!(target, Target::Account(only) if only != acc.account_id) {
                    continue;
                }
                for s in &mut acc.services {
                    let wanted = service.is_none_or(|id| id == s.service_id)
                        && method.is_none_or(|m| m == s.method);
                    if wanted {
                        s.not_provided = vec![(a, b)];
                        touched.insert((acc.account_id, s.service_id));
                    }
                }
            }
        }
        if touched.is_empty() {
            continue;
        }
        let mut ids: Vec<i64> = touched.iter().map(|t| t.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let issued: HashMap<(i64, i32), Decimal> = Issued::find_by_statement(stmt(
            "SELECT account_id, service_id, charged - benefit - subsidy AS net FROM invoice_lines \
             WHERE period = $1 AND account_id = ANY($2)",
            vec![period.first_day().into(), ids.into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|i| ((i.account_id, i.service_id), i.net))
        .collect();
        for bi in &inputs {
            let result = calculate_building(bi, period, &cat.settings);
            for acc in result.accounts {
                let Ok(lines) = acc.lines else { continue };
                for l in lines {
                    let key = (acc.account_id, l.service_id);
                    if !touched.contains(&key) {
                        continue;
                    }
                    // A month the account was not invoiced for has nothing to correct.
                    let Some(was) = issued.get(&key) else {
                        continue;
                    };
                    let now = l.charged - l.benefit - l.subsidy;
                    let diff = now - *was;
                    if diff.is_zero() {
                        continue;
                    }
                    let days = (b - a).num_days() + 1;
                    let e = booked.entry(key).or_default();
                    e.0 += diff;
                    e.1.push(json!({
                        "kind": "recalculated_month",
                        "args": [
                            period.first_day().year().to_string(),
                            format!("{:02}", period.first_day().month()),
                            days.to_string(),
                            was.normalize().to_string(),
                            now.normalize().to_string(),
                        ],
                        "value": diff.normalize().to_string(),
                    }));
                }
            }
        }
    }
    Ok(booked
        .into_iter()
        .map(|((account_id, service_id), (amount, steps))| Line {
            account_id,
            service_id,
            amount,
            steps: Value::Array(steps),
        })
        .collect())
}
