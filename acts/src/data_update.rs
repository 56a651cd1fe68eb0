//! The data-update act (seed 002 «Актуалізація даних»): news about a closed month arrives
//! late. What has a dated record is entered where it lives, dated in the closed month —
//! an apartment's area (its history), residents, beneficiaries, a service's method, the
//! norms, a price list; what has none comes with the act: a subsidy of a closed month,
//! or a corrective one (±). The act recomputes each closed month of its scope from the
//! records as they stand plus the news of every data-update act on the month, compares
//! with the issued invoice plus what those acts (and approved reading corrections) already
//! booked (`recompute`, `Baseline::Issued`), and books the difference. A subsidy cancels
//! the month's benefit (KMU 319) through the engine's own rule. A house meter's
//! consumption of a closed month that came late (a top-up) is news of a building's act,
//! spread over the house by the month's common-house distribution.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Period;
use domain::billing::{AccountInput, BuildingInput};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::lines::Booked;
use crate::recalculation::{CHUNK, Target, months, reached};
use crate::recompute::{self, Baseline, MonthLine};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use registry::subsidies::parse_money;

/// A subsidy of a closed month that came with the act (text as typed).
#[derive(Debug, Clone, PartialEq, Eq, async_graphql::InputObject, async_graphql::SimpleObject)]
#[graphql(input_name = "ActSubsidyInput")]
pub struct ActSubsidy {
    pub account_id: i64,
    pub service_id: i32,
    /// `YYYY-MM`, a closed month inside the act's months.
    pub period: String,
    /// ± (a negative corrective subsidy takes off an earlier one).
    pub amount: String,
}

/// A subsidy news checked: account, service, month, amount.
pub type News = (i64, i32, Period, Decimal);

/// A house meter's consumption of a closed month that came late (a top-up, seed 002),
/// spread over the house by the month's common-house distribution (text as typed).
#[derive(Debug, Clone, PartialEq, Eq, async_graphql::InputObject, async_graphql::SimpleObject)]
#[graphql(input_name = "ActHouseReadingInput")]
pub struct ActHouseReading {
    /// A building meter of the act's building.
    pub meter_id: i64,
    /// `YYYY-MM`, a closed month inside the act's months.
    pub period: String,
    /// The month's consumption as it should have been read (≥ 0).
    pub consumption: String,
}

/// A top-up checked: meter, month, consumption.
pub type Top = (i64, Period, Decimal);

/// The month of a news row, inside the act's days.
fn month_in(field: &str, text: &str, from: NaiveDate, to: NaiveDate) -> AppResult<Period> {
    let period: Period = text
        .trim()
        .parse()
        .map_err(|_| AppError::validation(field, "the month must look like 2026-11"))?;
    if period.last_day() < from || period.first_day() > to {
        return Err(AppError::validation(
            field,
            "the month must be one of the act's months",
        ));
    }
    Ok(period)
}

#[derive(FromQueryResult)]
struct MeterOf {
    id: i64,
}

/// Checks the act's top-ups: building meters of `building`, months of the act, one per
/// meter and month, consumption a number ≥ 0.
pub async fn parse_tops(
    txn: &DatabaseTransaction,
    tops: &[ActHouseReading],
    building: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Top>> {
    let meters: Vec<i64> = MeterOf::find_by_statement(stmt(
        "SELECT id FROM meters WHERE building_id = $1 AND install_method = 'building'",
        vec![building.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|m| m.id)
    .collect();
    let mut out: Vec<Top> = Vec::with_capacity(tops.len());
    for (i, t) in tops.iter().enumerate() {
        let field = format!("houseReadings.{i}");
        if !meters.contains(&t.meter_id) {
            return Err(AppError::validation(
                &field,
                "must be a house meter of the act's building",
            ));
        }
        let period = month_in(&field, &t.period, from, to)?;
        let consumption = platform::input::parse_amount(&field, &t.consumption)?;
        if consumption < Decimal::ZERO {
            return Err(AppError::validation(&field, "must not be negative"));
        }
        if out.iter().any(|o| (o.0, o.1) == (t.meter_id, period)) {
            return Err(AppError::validation(
                &field,
                "one consumption per meter and month",
            ));
        }
        out.push((t.meter_id, period, consumption));
    }
    Ok(out)
}

#[derive(FromQueryResult)]
struct Topped {
    meter_id: i64,
    consumption: Decimal,
}

/// The month's house-meter consumption as the news of data-update acts has it: every
/// other act's (the latest act's where two name one meter), this act's over them.
async fn tops_of(
    txn: &DatabaseTransaction,
    period: Period,
    buildings: &[i32],
    except: Option<i64>,
    tops: &[Top],
) -> AppResult<HashMap<i64, Decimal>> {
    let mut out: HashMap<i64, Decimal> = Topped::find_by_statement(stmt(
        "SELECT DISTINCT ON (h.meter_id) h.meter_id, h.consumption FROM act_house_readings h \
         JOIN meters m ON m.id = h.meter_id JOIN acts x ON x.id = h.act_id \
         WHERE h.period = $1 AND m.building_id = ANY($2) AND x.id IS DISTINCT FROM $3 \
         ORDER BY h.meter_id, x.id DESC",
        vec![
            period.first_day().into(),
            buildings.to_vec().into(),
            except.into(),
        ],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|t| (t.meter_id, t.consumption))
    .collect();
    for t in tops.iter().filter(|t| t.1 == period) {
        out.insert(t.0, t.2);
    }
    Ok(out)
}

/// Checks the act's subsidies against its scope and months.
pub fn parse(
    subsidies: &[ActSubsidy],
    target: Target,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<News>> {
    let mut out: Vec<News> = Vec::with_capacity(subsidies.len());
    for (i, s) in subsidies.iter().enumerate() {
        let field = format!("subsidies.{i}");
        let period = month_in(&field, &s.period, from, to)?;
        if matches!(target, Target::Account(a) if a != s.account_id) {
            return Err(AppError::validation(&field, "must be of the act's account"));
        }
        let amount = parse_money(&field, &s.amount, true)?;
        if amount.is_zero() {
            return Err(AppError::validation(&field, "must not be 0"));
        }
        if out
            .iter()
            .any(|n| (n.0, n.1, n.2) == (s.account_id, s.service_id, period))
        {
            return Err(AppError::validation(
                &field,
                "one subsidy per account, service and month",
            ));
        }
        out.push((s.account_id, s.service_id, period, amount));
    }
    Ok(out)
}

#[derive(FromQueryResult)]
struct Known {
    account_id: i64,
    service_id: i32,
    amount: Decimal,
}

/// The month's subsidies of the accounts: the records, with the news of every other
/// data-update act and of this one.
async fn subsidies_of(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
    except: Option<i64>,
    news: &[News],
) -> AppResult<HashMap<(i64, i32), (Decimal, bool)>> {
    let rows = Known::find_by_statement(stmt(
        "SELECT account_id, service_id, sum(amount) AS amount FROM ( \
           SELECT account_id, service_id, amount FROM subsidies WHERE period = $1 AND account_id = ANY($2) \
           UNION ALL SELECT s.account_id, s.service_id, s.amount FROM act_subsidies s JOIN acts x ON x.id = s.act_id \
           WHERE s.period = $1 AND s.account_id = ANY($2) AND x.id IS DISTINCT FROM $3) k \
         GROUP BY account_id, service_id",
        vec![
            period.first_day().into(),
            accounts.to_vec().into(),
            except.into(),
        ],
    ))
    .all(txn)
    .await?;
    // (amount, whether news changes it).
    let mut out: HashMap<(i64, i32), (Decimal, bool)> = rows
        .into_iter()
        .map(|k| ((k.account_id, k.service_id), (k.amount, false)))
        .collect();
    for n in news.iter().filter(|n| n.2 == period) {
        let e = out.entry((n.0, n.1)).or_default();
        e.0 += n.3;
        e.1 = true;
    }
    Ok(out)
}

#[derive(FromQueryResult)]
struct AccountId {
    id: i64,
}

/// What the act books and the months it compared.
pub async fn lines(
    txn: &DatabaseTransaction,
    target: Target,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
    news: &[News],
    tops: &[Top],
) -> AppResult<(Vec<(i64, Booked)>, Vec<MonthLine>)> {
    let reach = reached(txn, target).await?;
    let mut found = Vec::new();
    for chunk in reach.buildings.chunks(CHUNK) {
        let accounts: Vec<i64> = AccountId::find_by_statement(stmt(
            "SELECT a.id FROM accounts a JOIN premises p ON p.id = a.premises_id WHERE p.building_id = ANY($1)",
            vec![chunk.to_vec().into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .filter(|a| reach.takes(*a))
        .collect();
        if let Some(i) = news.iter().position(|n| !accounts.contains(&n.0)) {
            return Err(AppError::validation(
                format!("subsidies.{i}"),
                "must be of an account of the act's building",
            ));
        }
        for (period, _) in months(from, to)? {
            let subsidies = subsidies_of(txn, period, &accounts, except, news).await?;
            if let Some(((a, _), _)) = subsidies
                .iter()
                .find(|(_, (amount, changed))| *changed && *amount < Decimal::ZERO)
            {
                return Err(AppError::validation(
                    "subsidies",
                    format!("the subsidy of account {a} in {period} would be below 0"),
                ));
            }
            let change = |acc: &mut AccountInput| {
                for s in &mut acc.services {
                    if let Some((amount, _)) = subsidies.get(&(acc.account_id, s.service_id)) {
                        s.subsidy = Some(*amount);
                    }
                }
            };
            let topped = tops_of(txn, period, chunk, except, tops).await?;
            let house = |bi: &mut BuildingInput| {
                for m in &mut bi.meters {
                    if let Some(c) = topped.get(&m.meter_id) {
                        m.consumption = Some(*c);
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
                    &house,
                    Baseline::Issued { except },
                )
                .await?,
            );
        }
    }
    Ok((
        recompute::book(&found, "updated_month", &|_| Vec::new()),
        found,
    ))
}
