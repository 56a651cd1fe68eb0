//! How restructuring agreements are kept, read for many accounts at once: each account's
//! months (payments booked in the month, the month before's bill for services), fed to
//! `domain::restructuring::kept`. The account card, the restructuring register and the
//! printed invoice all read an agreement's standing here, so they never disagree.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Period;
use domain::restructuring::{Kept, Month, kept};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, DbBackend, FromQueryResult, Statement};

use platform::error::AppResult;

#[derive(FromQueryResult)]
struct MonthRow {
    account_id: i64,
    period: NaiveDate,
    paid: Decimal,
    current: Decimal,
}

/// The months of `accounts` from `first` through `through`, by account: payments booked
/// in each (not cancelled) and the month before's charges for services (what they pay
/// first).
pub async fn months_of(
    txn: &DatabaseTransaction,
    accounts: &[i64],
    first: Period,
    through: Period,
) -> AppResult<HashMap<i64, Vec<Month>>> {
    let mut out: HashMap<i64, Vec<Month>> = HashMap::new();
    if accounts.is_empty() || through < first {
        return Ok(out);
    }
    let rows = MonthRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT x.account_id, g.period::date AS period, \
                coalesce((SELECT sum(p.amount) FROM payments p WHERE p.account_id = x.account_id \
                          AND p.period = g.period::date AND p.cancelled_at IS NULL), 0) AS paid, \
                coalesce((SELECT i.charged + i.recalculation - i.benefit - i.subsidy \
                          FROM invoices i WHERE i.account_id = x.account_id \
                          AND i.period = (g.period - interval '1 month')::date), 0) AS current \
         FROM unnest($1::bigint[]) AS x(account_id) \
         CROSS JOIN generate_series($2::date, $3::date, interval '1 month') AS g(period)",
        [
            accounts.to_vec().into(),
            first.first_day().into(),
            through.first_day().into(),
        ],
    ))
    .all(txn)
    .await?;
    for r in rows {
        if let Ok(period) = Period::containing(r.period) {
            out.entry(r.account_id).or_default().push(Month {
                period,
                paid: r.paid,
                current: r.current,
            });
        }
    }
    Ok(out)
}

/// An agreement as the standing needs it.
#[derive(FromQueryResult)]
struct PlanRow {
    id: i64,
    account_id: i64,
    number: String,
    /// `YYYY-MM=amount` pairs, in order.
    plan: Vec<String>,
}

/// An agreement's instalments by month.
type Plan = Vec<(Period, Decimal)>;

fn plan_of(r: &PlanRow) -> Plan {
    r.plan
        .iter()
        .filter_map(|s| {
            let (p, a) = s.split_once('=')?;
            Some((p.parse().ok()?, a.parse().ok()?))
        })
        .collect()
}

const PLANS: &str = "SELECT r.id, r.account_id, r.number, \
        array(SELECT to_char(i.period, 'YYYY-MM') || '=' || i.amount::text \
              FROM restructuring_instalments i WHERE i.restructuring_id = r.id ORDER BY i.period) AS plan \
     FROM restructurings r";

/// How each agreement of `plans` was kept through `through`.
async fn kept_of(
    txn: &DatabaseTransaction,
    plans: &[PlanRow],
    through: Period,
) -> AppResult<HashMap<i64, Vec<Kept>>> {
    let schedules: Vec<(i64, i64, Plan)> = plans
        .iter()
        .map(|r| (r.id, r.account_id, plan_of(r)))
        .collect();
    let Some(first) = schedules
        .iter()
        .filter_map(|(_, _, s)| s.first().map(|(p, _)| *p))
        .min()
    else {
        return Ok(HashMap::new());
    };
    let accounts: Vec<i64> = schedules.iter().map(|(_, a, _)| *a).collect();
    let months = months_of(txn, &accounts, first, through).await?;
    Ok(schedules
        .into_iter()
        .map(|(id, account, plan)| {
            let m = months.get(&account).map(Vec::as_slice).unwrap_or_default();
            (id, kept(&plan, m, through))
        })
        .collect())
}

/// How the agreements `ids` were kept through the working month (an empty map before the
/// first month is opened).
pub async fn kept_through_working_month(
    txn: &DatabaseTransaction,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Kept>>> {
    let Some(through) = periods::working_month(txn).await? else {
        return Ok(HashMap::new());
    };
    let plans = PlanRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{PLANS} WHERE r.id = ANY($1)"),
        [ids.to_vec().into()],
    ))
    .all(txn)
    .await?;
    kept_of(txn, &plans, through).await
}

/// What the invoice of `period` asks under an agreement: it is paid in the month after,
/// whose payments cover the invoice's charges for services first, then that month's
/// instalment and what the schedule is behind by at the end of `period`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceAgreement {
    pub number: String,
    /// The month the invoice is paid in (its instalment's month).
    pub month: Period,
    pub instalment: Decimal,
    pub behind: Decimal,
}

/// [`InvoiceAgreement`] for each of `accounts` with an active agreement that asks
/// something in the month after `period`.
pub async fn on_invoices(
    txn: &DatabaseTransaction,
    accounts: &[i64],
    period: Period,
) -> AppResult<HashMap<i64, InvoiceAgreement>> {
    let month = period.next();
    let plans = PlanRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "{PLANS} WHERE r.account_id = ANY($1) AND r.status = 'active' AND r.first_period <= $2"
        ),
        [accounts.to_vec().into(), month.first_day().into()],
    ))
    .all(txn)
    .await?;
    let kept = kept_of(txn, &plans, month).await?;
    let mut out = HashMap::new();
    for r in &plans {
        let Some(k) = kept.get(&r.id) else { continue };
        let instalment = k
            .iter()
            .find(|e| e.period == month)
            .map(|e| e.due)
            .unwrap_or_default();
        // Behind at the end of `period`: every instalment through it counted as due.
        let behind = k
            .iter()
            .rfind(|e| e.period <= period)
            .and_then(|e| e.behind)
            .unwrap_or_default();
        if instalment > Decimal::ZERO || behind > Decimal::ZERO {
            out.insert(
                r.account_id,
                InvoiceAgreement {
                    number: r.number.clone(),
                    month,
                    instalment,
                    behind,
                },
            );
        }
    }
    Ok(out)
}
