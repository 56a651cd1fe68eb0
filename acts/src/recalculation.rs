//! The recalculation act's lines (seed 002 «Акт перерахунку»): for every closed month the
//! act's days touch, the accounts in its scope are calculated again by the same loader
//! and engine as the month's own calculation — a virtual invoice — with the chosen
//! services not provided on those days, and compared with the same month calculated
//! without them (`recompute`, `Baseline::Unchanged`: while no dated record of the month
//! changed since, that is the issued invoice). The difference of the net charge (charged
//! − benefit − subsidy) per service, summed over the months, is what the act books in the
//! open month: the interruption's alone, whatever other news of the month waits for a
//! data-update act.

use std::collections::HashSet;

use chrono::NaiveDate;
use domain::Period;
use domain::billing::{AccountInput, Method};
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::lines::Booked;
use crate::recompute::{self, Baseline, MonthLine};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The accounts a recalculation or data-update act covers (seed 002 «Тип розподілу»).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Account(i64),
    Building(i32),
    /// Every account of a branch (computed by a worker job).
    Branch(i32),
    /// Every account of the tenant (computed by a worker job).
    All,
}

impl Target {
    /// Over a branch or every account: too many houses to compute while the user waits.
    pub fn wide(self) -> bool {
        matches!(self, Self::Branch(_) | Self::All)
    }
}

#[derive(FromQueryResult)]
struct BuildingOf {
    building_id: i32,
}

/// The building whose accounts an account's months are calculated with.
pub async fn building_of(txn: &DatabaseTransaction, target: Target) -> AppResult<i32> {
    match target {
        Target::Building(b) => Ok(b),
        Target::Account(a) => Ok(BuildingOf::find_by_statement(stmt(
            "SELECT p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id WHERE a.id = $1",
            vec![a.into()],
        ))
        .one(txn)
        .await?
        .ok_or_else(|| {
            AppError::validation("accountId", "the account has no premises, so it is not calculated")
        })?
        .building_id),
        Target::Branch(_) | Target::All => Err(AppError::Internal(
            "a branch or the whole tenant has no one building".into(),
        )),
    }
}

/// The houses a target's months are calculated over, and the accounts of them it takes.
pub struct Reached {
    pub buildings: Vec<i32>,
    /// None: every account of those houses.
    pub accounts: Option<HashSet<i64>>,
}

impl Reached {
    pub fn takes(&self, account: i64) -> bool {
        self.accounts.as_ref().is_none_or(|a| a.contains(&account))
    }
}

#[derive(FromQueryResult)]
struct AccountOf {
    id: i64,
}

/// What `target` reaches.
pub async fn reached(txn: &DatabaseTransaction, target: Target) -> AppResult<Reached> {
    let houses = |sql: &str, values: Vec<sea_orm::Value>| {
        BuildingOf::find_by_statement(stmt(sql, values)).all(txn)
    };
    Ok(match target {
        Target::Account(a) => Reached {
            buildings: vec![building_of(txn, target).await?],
            accounts: Some(HashSet::from([a])),
        },
        Target::Building(b) => Reached {
            buildings: vec![b],
            accounts: None,
        },
        Target::Branch(b) => Reached {
            buildings: houses(
                "SELECT DISTINCT p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id \
                 WHERE a.branch_id = $1 ORDER BY 1",
                vec![b.into()],
            )
            .await?
            .into_iter()
            .map(|h| h.building_id)
            .collect(),
            accounts: Some(
                AccountOf::find_by_statement(stmt(
                    "SELECT id FROM accounts WHERE branch_id = $1",
                    vec![b.into()],
                ))
                .all(txn)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect(),
            ),
        },
        Target::All => Reached {
            buildings: houses(
                "SELECT DISTINCT p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id ORDER BY 1",
                vec![],
            )
            .await?
            .into_iter()
            .map(|h| h.building_id)
            .collect(),
            accounts: None,
        },
    })
}

/// Houses calculated together (one loader call each month), as the calculation chunks.
pub const CHUNK: usize = 50;

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

/// What the act books: per account and service, Σ over its months of the net charge
/// with the days not provided − without, with a step per month.
pub async fn lines(
    txn: &DatabaseTransaction,
    target: Target,
    services: Option<&[i32]>,
    method: Option<Method>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(Vec<(i64, Booked)>, Vec<MonthLine>)> {
    let reach = reached(txn, target).await?;
    let mut found = Vec::new();
    for chunk in reach.buildings.chunks(CHUNK) {
        for (period, (a, b)) in months(from, to)? {
            let change = |acc: &mut AccountInput| {
                for s in &mut acc.services {
                    if services.is_none_or(|ids| ids.contains(&s.service_id))
                        && method.is_none_or(|m| m == s.method)
                    {
                        s.not_provided = vec![(a, b)];
                    }
                }
            };
            let takes = |account: i64| reach.takes(account);
            found.extend(
                recompute::month(
                    txn,
                    period,
                    chunk,
                    &takes,
                    &change,
                    &|_| {},
                    Baseline::Unchanged,
                )
                .await?,
            );
        }
    }
    let days = |m: &MonthLine| {
        let (first, last) = (m.period.first_day().max(from), m.period.last_day().min(to));
        vec![((last - first).num_days() + 1).to_string()]
    };
    Ok((recompute::book(&found, "recalculated_month", &days), found))
}
