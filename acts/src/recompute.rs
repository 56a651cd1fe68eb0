//! Recomputing a closed month for an act (seed 002: "a virtual invoice is compared with
//! the issued one; the difference is the recalculation"). The month's accounts are read by
//! the month's own loader (`billing::load::chunk`, the dated records as they stand now)
//! and calculated by the same engine, once with the act's change applied. What the change
//! is compared against is the act kind's rule (`Baseline`):
//!
//! - `Unchanged`: the same month calculated without the change — the days not provided,
//!   a corrected reading. The act books its own change alone; news of other data not yet
//!   booked stays for a data-update act.
//! - `Issued`: the invoice as issued plus what other acts already booked on the month from
//!   the same kind of news (every other data-update act, approved reading corrections) —
//!   a data-update act books whatever the dated data and its news change since, and two
//!   such acts over one month never book the same news twice.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use domain::Period;
use domain::billing::{AccountInput, BuildingInput, calculate_building};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::{Value, json};

use crate::lines::Booked;
use platform::error::AppResult;
use platform::sql::stmt;

/// What one month's line of an account is compared against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Unchanged,
    /// The issued invoice and other acts' news; `except` is the act being computed.
    Issued {
        except: Option<i64>,
    },
}

/// One account's service in one closed month: the net charge (charged − benefit −
/// subsidy) it is compared against, and as recomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthLine {
    pub account_id: i64,
    pub service_id: i32,
    pub period: Period,
    pub was: Decimal,
    pub now: Decimal,
}

#[derive(FromQueryResult)]
struct Net {
    account_id: i64,
    service_id: i32,
    net: Decimal,
}

/// Net charge per account and service as issued in `period`, with what other acts booked
/// on the month from news (see the module); accounts not invoiced that month are absent.
async fn issued(
    txn: &DatabaseTransaction,
    period: Period,
    accounts: &[i64],
    except: Option<i64>,
) -> AppResult<(HashMap<(i64, i32), Decimal>, Vec<i64>)> {
    let rows = Net::find_by_statement(stmt(
        "SELECT account_id, service_id, sum(net) AS net FROM ( \
           SELECT account_id, service_id, charged - benefit - subsidy AS net FROM invoice_lines \
           WHERE period = $1 AND account_id = ANY($2) \
           UNION ALL SELECT m.account_id, m.service_id, m.now - m.was FROM act_months m JOIN acts x ON x.id = m.act_id \
           WHERE m.period = $1 AND m.account_id = ANY($2) AND x.id IS DISTINCT FROM $3 \
             AND (x.kind = 'data_update' OR (x.kind = 'reading_correction' AND x.status = 'approved')) \
         ) n GROUP BY account_id, service_id",
        vec![
            period.first_day().into(),
            accounts.to_vec().into(),
            except.into(),
        ],
    ))
    .all(txn)
    .await?;
    #[derive(FromQueryResult)]
    struct Invoiced {
        account_id: i64,
    }
    let invoiced = Invoiced::find_by_statement(stmt(
        "SELECT account_id FROM invoices WHERE period = $1 AND account_id = ANY($2)",
        vec![period.first_day().into(), accounts.to_vec().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|i| i.account_id)
    .collect();
    Ok((
        rows.into_iter()
            .map(|r| ((r.account_id, r.service_id), r.net))
            .collect(),
        invoiced,
    ))
}

/// Net charge per account and service of the calculated buildings (accounts the engine
/// cannot calculate are left out).
fn nets(
    inputs: &[domain::billing::BuildingInput],
    period: Period,
    settings: &domain::billing::Settings,
    only: &(dyn Fn(i64) -> bool + Sync),
) -> HashMap<(i64, i32), Decimal> {
    let mut out = HashMap::new();
    for bi in inputs {
        for acc in calculate_building(bi, period, settings).accounts {
            if !only(acc.account_id) {
                continue;
            }
            let Ok(lines) = acc.lines else { continue };
            for l in lines {
                out.insert(
                    (acc.account_id, l.service_id),
                    l.charged - l.benefit - l.subsidy,
                );
            }
        }
    }
    out
}

/// The month's lines of the accounts of `buildings` that `only` takes, with `change`
/// applied to every such account and `house` to each building (its house meters),
/// compared by `baseline`; lines that do not change are left out.
pub async fn month(
    txn: &DatabaseTransaction,
    period: Period,
    buildings: &[i32],
    only: &(dyn Fn(i64) -> bool + Sync),
    change: &(dyn Fn(&mut AccountInput) + Sync),
    house: &(dyn Fn(&mut BuildingInput) + Sync),
    baseline: Baseline,
) -> AppResult<Vec<MonthLine>> {
    let cat = billing::catalog::load(txn, period).await?;
    let mut inputs = billing::load::chunk(txn, &cat, buildings).await?;
    let was = match baseline {
        Baseline::Unchanged => Some(nets(&inputs, period, &cat.settings, only)),
        Baseline::Issued { .. } => None,
    };
    let mut accounts = Vec::new();
    for bi in &mut inputs {
        house(bi);
        for acc in &mut bi.accounts {
            if only(acc.account_id) {
                change(acc);
                accounts.push(acc.account_id);
            }
        }
    }
    let now = nets(&inputs, period, &cat.settings, only);
    let (was, invoiced) = match (was, baseline) {
        (Some(w), _) => (w, None),
        (None, Baseline::Issued { except }) => {
            let (w, i) = issued(txn, period, &accounts, except).await?;
            (w, Some(i))
        }
        (None, Baseline::Unchanged) => (HashMap::new(), None),
    };
    // A month the account was not invoiced for has nothing to correct.
    let counted = |a: i64| invoiced.as_ref().is_none_or(|i| i.contains(&a));
    let mut keys: Vec<(i64, i32)> = was.keys().chain(now.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    Ok(keys
        .into_iter()
        .filter(|(a, _)| counted(*a))
        .filter_map(|key| {
            let w = was.get(&key).copied().unwrap_or_default();
            let n = now.get(&key).copied().unwrap_or_default();
            (w != n).then_some(MonthLine {
                account_id: key.0,
                service_id: key.1,
                period,
                was: w,
                now: n,
            })
        })
        .collect())
}

/// The act's lines from its months: per account and service, Σ (now − was), one step of
/// `kind` per month (`[year, month, extra…, was, now]`).
pub fn book(
    months: &[MonthLine],
    kind: &str,
    extra: &dyn Fn(&MonthLine) -> Vec<String>,
) -> Vec<(i64, Booked)> {
    let mut booked: BTreeMap<(i64, i32), (Decimal, Vec<Value>)> = BTreeMap::new();
    for m in months {
        let diff = m.now - m.was;
        let e = booked.entry((m.account_id, m.service_id)).or_default();
        e.0 += diff;
        let first = m.period.first_day();
        let mut args = vec![first.year().to_string(), format!("{:02}", first.month())];
        args.extend(extra(m));
        args.push(m.was.normalize().to_string());
        args.push(m.now.normalize().to_string());
        e.1.push(json!({ "kind": kind, "args": args, "value": diff.normalize().to_string() }));
    }
    booked
        .into_iter()
        // Months that cancel out (a reading moved between two months of one tariff) book
        // nothing; the months stay on the act's specification.
        .filter(|(_, (amount, _))| !amount.is_zero())
        .map(|((account, service_id), (amount, steps))| {
            (
                account,
                Booked {
                    service_id,
                    amount,
                    steps: Value::Array(steps),
                },
            )
        })
        .collect()
}
