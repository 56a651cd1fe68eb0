//! The Reports screen's dashboard (seed 000 §4.1): what a month-end looks at before any
//! report — charges against collections over the last twelve invoiced months, the debt by
//! its age at the latest invoiced month (the debtors report's totals), the meters read in
//! the working month and those due for verification, and this month's payments by day.
//! Within the user's reach, like every report.

use chrono::NaiveDate;
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, ReportKind, accounts_where};
use access::auth::Reach;
use l10n::Lang;
use platform::error::AppResult;
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub period: String,
    /// Net charge: charged + recalculation − benefit − subsidy.
    pub charged: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct AgeFigure {
    pub title: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct DayFigure {
    pub day: NaiveDate,
    pub amount: Decimal,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct Dashboard {
    pub months: Vec<MonthFigures>,
    /// The month the debt's age is of (`YYYY-MM`), none when nothing was invoiced.
    pub debt_period: Option<String>,
    pub debt_by_age: Vec<AgeFigure>,
    pub meters_working: i64,
    pub meters_read: i64,
    pub verification_overdue: i64,
    pub payments_by_day: Vec<DayFigure>,
}

#[derive(FromQueryResult)]
struct Latest {
    period: Option<NaiveDate>,
}

pub async fn dashboard(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    open: Period,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let params = |kind: ReportKind, period: Option<Period>| Params {
        kind,
        period,
        from: None,
        to: None,
        branch: None,
        building: None,
        min_debt: Decimal::new(1, 2),
        controller: None,
    };
    let within = accounts_where(reach, &params(ReportKind::Summary, None), "a");
    let months = MonthFigures::find_by_statement(stmt(
        &format!(
            "SELECT to_char(l.period, 'YYYY-MM') AS period, \
                    sum(l.charged + l.recalculation - l.benefit - l.subsidy) AS charged, \
                    sum(l.paid) AS paid, sum(l.closing) AS closing \
             FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
             WHERE l.period > $1::date - interval '12 months' AND l.period <= $1 AND {within} \
             GROUP BY l.period ORDER BY l.period"
        ),
        vec![open.first_day().into()],
    ))
    .all(txn)
    .await?;
    let latest = Latest::find_by_statement(stmt(
        "SELECT max(period) AS period FROM invoices WHERE period < $1",
        vec![open.first_day().into()],
    ))
    .one(txn)
    .await?
    .and_then(|l| l.period)
    .and_then(|d| Period::containing(d).ok());
    let mut debt_by_age = Vec::new();
    if let Some(p) = latest {
        let t = crate::debtors::table(
            txn,
            reach,
            lang,
            &params(ReportKind::Debtors, Some(p)),
            0,
            1,
        )
        .await?;
        // The six age columns follow debt and penalty (the collection state comes last).
        for (c, v) in t.columns.iter().zip(&t.totals).skip(5).take(6) {
            debt_by_age.push(AgeFigure {
                title: c.title.clone(),
                amount: v.parse().unwrap_or_default(),
            });
        }
    }
    let m = crate::meters::table(
        txn,
        reach,
        lang,
        &params(ReportKind::Meters, Some(open)),
        0,
        1,
    )
    .await?;
    let count = |i: usize| {
        m.totals
            .get(i)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let (working, overdue, unread) = (count(2), count(3), count(5));
    let payments_by_day = DayFigure::find_by_statement(stmt(
        &format!(
            "SELECT p.received_on AS day, sum(p.amount) AS amount FROM payments p JOIN accounts a ON a.id = p.account_id \
             WHERE p.cancelled_at IS NULL AND p.received_on BETWEEN $1 AND $2 AND {within} \
             GROUP BY p.received_on ORDER BY p.received_on"
        ),
        vec![open.first_day().into(), today.min(open.last_day()).into()],
    ))
    .all(txn)
    .await?;
    Ok(Dashboard {
        months,
        debt_period: latest.map(|p| p.to_string()),
        debt_by_age,
        meters_working: working,
        meters_read: working - unread,
        verification_overdue: overdue,
        payments_by_day,
    })
}
