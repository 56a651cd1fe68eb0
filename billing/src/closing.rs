//! Closing and reopening billing periods (DOMAIN.md "Periods") and the closing summary.
//!
//! Closing marks the earliest open period closed and, when no later month is open, opens
//! the next one; the closed period's invoice closings are the next period's openings (the
//! loader reads them). Reopening a month reopens it and every month after it. Both lock
//! the period rows, so they wait for a running calculation chunk and the other way round.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct MonthRow {
    month: NaiveDate,
}

fn period_of(d: NaiveDate) -> AppResult<Period> {
    Period::containing(d).map_err(|e| AppError::Internal(e.to_string()))
}

/// The period closing would close: the earliest open one (locked).
pub async fn closable(txn: &DatabaseTransaction) -> AppResult<Period> {
    let m = MonthRow::find_by_statement(stmt(
        "SELECT month FROM periods WHERE state = 'open' ORDER BY month LIMIT 1 FOR UPDATE",
        vec![],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Conflict("the tenant has no open period".into()))?;
    period_of(m.month)
}

/// Closes `period` (which must be the earliest open one) and opens the next month when
/// none after it is open. Returns the new working month.
pub async fn close(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    period: Period,
) -> AppResult<Period> {
    let open = closable(txn).await?;
    if open != period {
        return Err(AppError::validation(
            "period",
            format!("only the earliest open period ({open}) can be closed"),
        ));
    }
    txn.execute_raw(stmt(
        "UPDATE periods SET state = 'closed', closed_at = $2, closed_by = $3 WHERE month = $1",
        vec![
            period.first_day().into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .await?;
    txn.execute_raw(stmt(
        "INSERT INTO periods (month, state) VALUES ($1, 'open') ON CONFLICT (month) DO NOTHING",
        vec![period.next().first_day().into()],
    ))
    .await?;
    let working = metering::readings::current_open(txn).await?;
    // Acts never approved in the month closed go on as drafts of the working month (an
    // act of a closed period can no longer change, so one left behind could never count).
    let carried = txn
        .execute_raw(stmt(
            "UPDATE acts SET period = $2, act_date = $2 WHERE period = $1 AND status = 'draft'",
            vec![period.first_day().into(), working.first_day().into()],
        ))
        .await?
        .rows_affected();
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "period",
            entity_id: period.to_string(),
            action: "close",
            before: Some(json!({"state": "open"})),
            after: Some(
                json!({"state": "closed", "working": working.to_string(), "draftActsCarried": carried}),
            ),
        },
    )
    .await?;
    Ok(working)
}

/// The warning shown with a reopen (translated by the catalog).
pub const REOPEN_WARNING: &str = "invoices of the reopened periods that were already sent will no longer match once they are re-formed";

/// Reopens `period` and every closed month after it. Returns the months reopened.
pub async fn reopen(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    period: Period,
) -> AppResult<Vec<Period>> {
    let rows = MonthRow::find_by_statement(stmt(
        "SELECT month FROM periods WHERE month >= $1 ORDER BY month FOR UPDATE",
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?;
    if rows.first().map(|r| r.month) != Some(period.first_day()) {
        return Err(AppError::validation("period", "was never opened"));
    }
    let reopened = MonthRow::find_by_statement(stmt(
        "UPDATE periods SET state = 'open', closed_at = NULL, closed_by = NULL \
         WHERE month >= $1 AND state = 'closed' RETURNING month",
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?;
    if reopened.is_empty() {
        return Err(AppError::validation("period", "is already open"));
    }
    let mut months = reopened
        .into_iter()
        .map(|r| period_of(r.month))
        .collect::<AppResult<Vec<_>>>()?;
    months.sort();
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "period",
            entity_id: period.to_string(),
            action: "reopen",
            before: None,
            after: Some(
                json!({"reopened": months.iter().map(Period::to_string).collect::<Vec<_>>()}),
            ),
        },
    )
    .await?;
    Ok(months)
}

/// One row of the closing summary: a service's totals over the period's invoices.
#[derive(Debug, Clone, FromQueryResult, async_graphql::SimpleObject)]
pub struct SummaryRow {
    pub service_id: Option<i32>,
    pub service: String,
    pub accounts: i64,
    pub opening: Decimal,
    pub charged: Decimal,
    pub recalculation: Decimal,
    pub benefit: Decimal,
    pub subsidy: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

impl SummaryRow {
    /// Σ opening + charged + recalculation − benefit − subsidy + penalty − paid − closing:
    /// zero when the period reconciles.
    pub fn difference(&self) -> Decimal {
        self.opening + self.charged + self.recalculation - self.benefit - self.subsidy
            + self.penalty
            - self.paid
            - self.closing
    }
}

/// Totals by service, then the grand total (service None), of the period's invoices.
/// A period's totals by service and overall, over the accounts within `reach` (a user
/// limited to branches or buildings reconciles their own part).
pub async fn summary(
    txn: &DatabaseTransaction,
    reach: &access::auth::Reach,
    period: Period,
) -> AppResult<Vec<SummaryRow>> {
    let within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Ok(SummaryRow::find_by_statement(stmt(
        &format!(
            "SELECT l.service_id, CASE WHEN grouping(l.service_id) = 1 THEN '' ELSE coalesce(min(s.name), '') END AS service, count(DISTINCT l.account_id) AS accounts, \
                coalesce(sum(l.opening), 0) AS opening, coalesce(sum(l.charged), 0) AS charged, coalesce(sum(l.recalculation), 0) AS recalculation, \
                coalesce(sum(l.benefit), 0) AS benefit, coalesce(sum(l.subsidy), 0) AS subsidy, coalesce(sum(l.penalty), 0) AS penalty, \
                coalesce(sum(l.paid), 0) AS paid, coalesce(sum(l.closing), 0) AS closing \
             FROM invoice_lines l JOIN accounts a ON a.id = l.account_id LEFT JOIN services s ON s.id = l.service_id \
             WHERE l.period = $1{within} \
             GROUP BY GROUPING SETS ((l.service_id), ()) \
             ORDER BY l.service_id NULLS LAST"
        ),
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?)
}
