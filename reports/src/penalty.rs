//! The penalty statement through the API (`penaltyStatement`): the input checked into
//! `domain::penalty_statement::Input`, with what the caller leaves out taken from the
//! tenant — the rule and the due day (billing settings), the rate table (penalty rates),
//! the moratoria of the rule (`penalty_moratoria`) — and, for an account, its real debts
//! and payments: each invoiced month's net charge (charged + recalculation − benefit −
//! subsidy; the penalty itself bears none) and the balance taken over as the debt of the
//! month before it, and its live payments by payment date, each naming the period it pays.

use chrono::NaiveDate;
use domain::Period;
use domain::penalty_statement::{self as ps, Cap, Debt, Payment, RateMode, Rule};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};

use access::auth::Reach;
use platform::error::{AppError, AppResult};
use platform::input::parse_amount;
use platform::sql::{settings_row, stmt};

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, Serialize, Deserialize)]
#[graphql(name = "PenaltyStatementRule")]
pub enum RuleInput {
    Ukraine,
    Russia,
    Kazakhstan,
    Bulgaria,
}

impl RuleInput {
    /// The rule's code in the tenant's tables (`billing_settings.penalty_rule`,
    /// `penalty_moratoria.rule`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Ukraine => "ukraine",
            Self::Russia => "russia",
            Self::Kazakhstan => "kazakhstan",
            Self::Bulgaria => "bulgaria",
        }
    }

    /// The rule of a code; `off` (or anything unknown) is the Ukrainian rule (a tenant
    /// that charges no penalty still gets a statement by the Ukrainian arithmetic).
    pub fn from_code(code: &str) -> Self {
        match code {
            "russia" => Self::Russia,
            "kazakhstan" => Self::Kazakhstan,
            "bulgaria" => Self::Bulgaria,
            _ => Self::Ukraine,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, Serialize, Deserialize)]
pub enum PenaltyRateMode {
    /// Each day's own rate.
    Daily,
    /// The rate on the day a part of the debt was paid (on `asOf` for what is unpaid).
    PaymentDay,
    /// The rate on `asOf` for every day.
    CalculationDay,
}

#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyDebtInput {
    /// `YYYY-MM`: due on `dueDay` of the next month.
    pub period: String,
    pub amount: String,
}

#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyPaymentInput {
    pub date: NaiveDate,
    pub amount: String,
    /// `YYYY-MM`: the period it pays first (none: the oldest debt).
    pub period: Option<String>,
}

#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyRateInput {
    pub from: NaiveDate,
    /// % a year.
    pub percent: String,
}

#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyCapInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub percent: String,
}

#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyDaysInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// An account's debts and payments, or ones typed in (the calculator), with overrides.
#[derive(Debug, Clone, async_graphql::InputObject, Serialize, Deserialize, PartialEq, Eq)]
pub struct PenaltyStatementInput {
    pub account_id: Option<i64>,
    #[graphql(default)]
    pub debts: Vec<PenaltyDebtInput>,
    #[graphql(default)]
    pub payments: Vec<PenaltyPaymentInput>,
    /// None: the tenant's rule (Ukrainian when the tenant charges none).
    pub rule: Option<RuleInput>,
    /// Days are counted up to the day before; none: today.
    pub as_of: Option<NaiveDate>,
    /// None: the tenant's due day.
    pub due_day: Option<i32>,
    /// Instead of the tenant's rate table.
    pub rates: Option<Vec<PenaltyRateInput>>,
    /// None: daily under the Ukrainian rule, the calculation day's under the Russian.
    pub rate_mode: Option<PenaltyRateMode>,
    pub rate_cap: Option<PenaltyCapInput>,
    /// None: 30 under the Russian rule, 0 under the Ukrainian.
    pub grace_days: Option<i32>,
    /// Instead of the tenant's moratoria of the rule.
    pub moratoria: Option<Vec<PenaltyDaysInput>>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct PenaltyStatementRow {
    /// The debt's period, `YYYY-MM`.
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub debt: Decimal,
    pub rate: Decimal,
    /// Of the rate a day: `1/300`, `1/130`, `2/365`…
    pub fraction: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct PenaltyStatement {
    pub rule: RuleInput,
    /// The rules it was made by (the input's, or the tenant's where it said nothing).
    pub rate_mode: PenaltyRateMode,
    pub due_day: i32,
    pub grace_days: i32,
    pub as_of: NaiveDate,
    pub total: Decimal,
    pub rows: Vec<PenaltyStatementRow>,
}

/// Input fields whose rows are refused by index (`rates.2`).
const RATES: &str = "rates";
const MORATORIA: &str = "moratoria";

fn month(field: &str, text: &str) -> AppResult<Period> {
    text.trim()
        .parse()
        .map_err(|_| AppError::validation(field, "must look like 2026-11"))
}

fn positive(field: &str, text: &str) -> AppResult<Decimal> {
    let d = parse_amount(field, text)?;
    if d <= Decimal::ZERO {
        return Err(AppError::validation(field, "must be more than 0"));
    }
    Ok(d)
}

fn between(field: &str, lo: i32, hi: i32) -> AppError {
    AppError::validation(field, format!("must be between {lo} and {hi}"))
}

fn percent(field: &str, text: &str) -> AppResult<Decimal> {
    let d = parse_amount(field, text)?;
    if d < Decimal::ZERO || d > Decimal::from(100) {
        return Err(between(field, 0, 100));
    }
    Ok(d)
}

#[derive(FromQueryResult)]
struct Settings {
    penalty_rule: String,
    due_day: i32,
}

#[derive(FromQueryResult)]
struct DatedRate {
    valid_from: NaiveDate,
    rate: Decimal,
}

#[derive(FromQueryResult)]
struct Days {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
}

#[derive(FromQueryResult)]
struct DebtRow {
    period: NaiveDate,
    amount: Decimal,
}

#[derive(FromQueryResult)]
struct PaymentRow {
    paid_on: NaiveDate,
    amount: Decimal,
    charge_period: NaiveDate,
}

#[derive(FromQueryResult)]
struct Reached {
    id: i64,
}

/// The account's debts before `as_of`'s month and its payments before `as_of`.
async fn account_data(
    txn: &DatabaseTransaction,
    reach: &Reach,
    account: i64,
    as_of: NaiveDate,
) -> AppResult<(Vec<Debt>, Vec<Payment>)> {
    let within = reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    Reached::find_by_statement(stmt(
        &format!("SELECT a.id FROM accounts a WHERE a.id = $1{within}"),
        vec![account.into()],
    ))
    .one(txn)
    .await?
    .map(|r| r.id)
    .ok_or_else(|| AppError::NotFound(format!("record {account} does not exist")))?;
    let debts = DebtRow::find_by_statement(stmt(
        "SELECT period, sum(amount) AS amount FROM ( \
           SELECT period, charged + recalculation - benefit - subsidy AS amount FROM invoice_lines \
           WHERE account_id = $1 AND period < date_trunc('month', $2::date) \
           UNION ALL SELECT (period - interval '1 month')::date, amount FROM opening_balances \
           WHERE account_id = $1 AND period < date_trunc('month', $2::date)) x \
         GROUP BY period HAVING sum(amount) > 0 ORDER BY period",
        vec![account.into(), as_of.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(Debt {
            period: Period::containing(r.period).ok()?,
            amount: r.amount,
        })
    })
    .collect();
    let payments = PaymentRow::find_by_statement(stmt(
        "SELECT paid_on, amount, charge_period FROM payments \
         WHERE account_id = $1 AND cancelled_at IS NULL AND cancelled_by_act IS NULL AND paid_on < $2 \
         ORDER BY paid_on, id",
        vec![account.into(), as_of.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|p| Payment {
        date: p.paid_on,
        amount: p.amount,
        period: Period::containing(p.charge_period).ok(),
    })
    .collect();
    Ok((debts, payments))
}

/// The statement of `input` on `today` (when `asOf` is left out).
pub async fn statement(
    txn: &DatabaseTransaction,
    reach: &Reach,
    input: &PenaltyStatementInput,
    today: NaiveDate,
) -> AppResult<PenaltyStatement> {
    let settings = settings_row::<Settings>(
        txn,
        "billing_settings",
        "SELECT penalty_rule, due_day FROM billing_settings",
    )
    .await?;
    let rule = input
        .rule
        .unwrap_or(RuleInput::from_code(&settings.penalty_rule));
    let code = rule.code();
    let domain_rule = match rule {
        RuleInput::Ukraine => Rule::Ukraine,
        RuleInput::Russia => Rule::Russia,
        RuleInput::Kazakhstan => Rule::Kazakhstan,
        RuleInput::Bulgaria => Rule::Bulgaria,
    };
    let as_of = input.as_of.unwrap_or(today);
    let due_day = input.due_day.unwrap_or(settings.due_day);
    if !(1..=31).contains(&due_day) {
        return Err(between("dueDay", 1, 31));
    }
    let grace = i64::from(input.grace_days.unwrap_or(match rule {
        RuleInput::Russia => 30,
        RuleInput::Ukraine | RuleInput::Kazakhstan | RuleInput::Bulgaria => 0,
    }));
    if !(0..=365).contains(&grace) {
        return Err(between("graceDays", 0, 365));
    }
    let (mut debts, mut payments) = match input.account_id {
        Some(a) => account_data(txn, reach, a, as_of).await?,
        None => (Vec::new(), Vec::new()),
    };
    for (i, d) in input.debts.iter().enumerate() {
        let field = format!("debts.{i}");
        debts.push(Debt {
            period: month(&field, &d.period)?,
            amount: positive(&field, &d.amount)?,
        });
    }
    for (i, p) in input.payments.iter().enumerate() {
        let field = format!("payments.{i}");
        payments.push(Payment {
            date: p.date,
            amount: positive(&field, &p.amount)?,
            period: p
                .period
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| month(&field, t))
                .transpose()?,
        });
    }
    if debts.is_empty() && input.account_id.is_none() {
        return Err(AppError::validation(
            "debts",
            "name an account or type in a debt",
        ));
    }
    let rates = match &input.rates {
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, r)| Ok((r.from, percent(&format!("{RATES}.{i}"), &r.percent)?)))
            .collect::<AppResult<Vec<_>>>()?,
        None => DatedRate::find_by_statement(stmt(
            "SELECT valid_from, rate FROM penalty_rates ORDER BY valid_from",
            vec![],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.valid_from, r.rate))
        .collect(),
    };
    let moratoria = match &input.moratoria {
        Some(list) => {
            if let Some(i) = list.iter().position(|m| m.to < m.from) {
                return Err(AppError::validation(
                    format!("{MORATORIA}.{i}"),
                    "must not end before it starts",
                ));
            }
            list.iter().map(|m| (m.from, m.to)).collect()
        }
        None => Days::find_by_statement(stmt(
            "SELECT starts_on, ends_on FROM penalty_moratoria WHERE rule = $1 ORDER BY starts_on",
            vec![code.into()],
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.starts_on, m.ends_on))
        .collect(),
    };
    let caps = match &input.rate_cap {
        Some(c) if c.to < c.from => {
            return Err(AppError::validation(
                "rateCap",
                "must not end before it starts",
            ));
        }
        Some(c) => vec![Cap {
            from: c.from,
            to: c.to,
            percent: percent("rateCap", &c.percent)?,
        }],
        None => Vec::new(),
    };
    let rate_mode = input.rate_mode.unwrap_or(match rule {
        RuleInput::Russia => PenaltyRateMode::CalculationDay,
        RuleInput::Ukraine | RuleInput::Kazakhstan | RuleInput::Bulgaria => PenaltyRateMode::Daily,
    });
    let mode = match rate_mode {
        PenaltyRateMode::Daily => RateMode::Daily,
        PenaltyRateMode::PaymentDay => RateMode::PaymentDay,
        PenaltyRateMode::CalculationDay => RateMode::CalculationDay,
    };
    let s = ps::statement(&ps::Input {
        rule: domain_rule,
        debts,
        payments,
        as_of,
        due_day: u32::try_from(due_day).unwrap_or(20),
        rates,
        mode,
        caps,
        grace_days: grace,
        moratoria,
    });
    Ok(PenaltyStatement {
        rule,
        rate_mode,
        due_day,
        grace_days: i32::try_from(grace).unwrap_or(0),
        as_of,
        total: s.total,
        rows: s
            .rows
            .into_iter()
            .map(|r| PenaltyStatementRow {
                period: r.period.to_string(),
                from: r.from,
                to: r.to,
                days: r.days,
                debt: r.debt,
                rate: r.rate,
                fraction: format!("{}/{}", r.fraction.0, r.fraction.1),
                amount: r.amount,
            })
            .collect(),
    })
}
