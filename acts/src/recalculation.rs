//! The recalculation act's lines (seed 002 «Акт перерахунку»): for every closed month the
//! act's days touch, the accounts in its scope are calculated again by the same loader
//! and engine as the month's own calculation — a virtual invoice — with the chosen
//! services not provided on those days, and compared with the same month calculated
//! without them (`recompute`, `Baseline::Unchanged`: while no dated record of the month
//! changed since, that is the issued invoice). The difference of the net charge (charged
//! − benefit − subsidy) per service, summed over the months, is what the act books in the
//! open month: the interruption's alone, whatever other news of the month waits for a
//! data-update act.

use chrono::NaiveDate;
use domain::Period;
use domain::billing::{AccountInput, Method};
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::lines::Booked;
use crate::recompute::{self, Baseline, MonthLine};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The accounts a recalculation act covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Account(i64),
    Building(i32),
}

#[derive(FromQueryResult)]
struct BuildingOf {
    building_id: i32,
}

/// The building whose accounts the target's months are calculated with.
pub async fn building_of(txn: &DatabaseTransaction, target: Target) -> AppResult<i32> {
    Ok(match target {
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
    })
}

impl Target {
    /// Whether the account is one the act covers (its building's accounts are all read).
    pub fn takes(self, account: i64) -> bool {
        match self {
            Self::Account(a) => a == account,
            Self::Building(_) => true,
        }
    }
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
    let building = building_of(txn, target).await?;
    let mut found = Vec::new();
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
        let takes = |account: i64| target.takes(account);
        found.extend(
            recompute::month(
                txn,
                period,
                &[building],
                &takes,
                &change,
                &|_| {},
                Baseline::Unchanged,
            )
            .await?,
        );
    }
    let days = |m: &MonthLine| {
        let (first, last) = (m.period.first_day().max(from), m.period.last_day().min(to));
        vec![((last - first).num_days() + 1).to_string()]
    };
    Ok((recompute::book(&found, "recalculated_month", &days), found))
}
