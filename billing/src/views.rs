//! What the account card shows of billing: the billing table (one row per invoice:
//! opening, paid, charged, correction, penalty, closing; seed 000 Fig. 9) and an invoice's
//! lines with the steps of every amount ("why this amount").

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::AppResult;
use platform::sql::stmt;

#[derive(Debug, Clone, FromQueryResult, async_graphql::SimpleObject)]
pub struct InvoiceView {
    pub id: i64,
    pub account_id: i64,
    /// The first day of the period's month.
    pub period: NaiveDate,
    pub formed_at: DateTime<Utc>,
    pub opening: Decimal,
    pub charged: Decimal,
    pub recalculation: Decimal,
    pub benefit: Decimal,
    pub subsidy: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

#[derive(Debug, Clone, FromQueryResult, async_graphql::SimpleObject)]
pub struct InvoiceLineView {
    pub service_id: i32,
    pub service: String,
    pub unit: Option<String>,
    pub method: String,
    /// Ф, Р, СМ or СС where a quantity has one.
    pub flag: Option<String>,
    pub quantity: Decimal,
    pub tariff: Decimal,
    pub opening: Decimal,
    pub charged: Decimal,
    pub recalculation: Decimal,
    pub benefit: Decimal,
    pub subsidy: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
    /// The steps: `[{kind, args, value}]`, kinds as in `domain::billing::StepKind`.
    pub steps: serde_json::Value,
}

/// The account's invoices, newest first.
pub async fn invoices(
    txn: &DatabaseTransaction,
    account_id: i64,
    limit: u64,
) -> AppResult<Vec<InvoiceView>> {
    Ok(InvoiceView::find_by_statement(stmt(
        "SELECT id, account_id, period, formed_at, opening, charged, recalculation, benefit, subsidy, \
                penalty, paid, closing FROM invoices WHERE account_id = $1 ORDER BY period DESC LIMIT $2",
        vec![account_id.into(), i64::try_from(limit).unwrap_or(120).into()],
    ))
    .all(txn)
    .await?)
}

/// Kinds after which the charge comes in the engine's order of steps.
const AFTER_CHARGE: [&str; 7] = [
    "benefit_quantity",
    "benefit",
    "benefit_skipped_for_subsidy",
    "subsidy",
    "penalty_interval",
    "penalty_under_agreement",
    "act",
];

fn step(kind: &str, args: &[Decimal], value: Decimal) -> serde_json::Value {
    let args: Vec<String> = args.iter().map(|a| a.normalize().to_string()).collect();
    serde_json::json!({ "kind": kind, "args": args, "value": value.normalize().to_string() })
}

/// The stored steps with the line's own tariff, charge and closing put in as steps (the
/// engine does not repeat the line's fields in its steps).
fn with_restated(mut l: InvoiceLineView) -> InvoiceLineView {
    let mut steps = match l.steps.take() {
        serde_json::Value::Array(a) => a,
        _ => Vec::new(),
    };
    let charged_days = !(l.quantity.is_zero() && l.tariff.is_zero() && l.charged.is_zero());
    if charged_days {
        let at = steps
            .iter()
            .position(|s| AFTER_CHARGE.contains(&s["kind"].as_str().unwrap_or_default()))
            .unwrap_or(steps.len());
        steps.insert(at, step("charge", &[l.quantity, l.tariff], l.charged));
        steps.insert(at, step("tariff", &[], l.tariff));
    }
    steps.push(step(
        "closing",
        &[
            l.opening,
            l.charged,
            l.recalculation,
            l.benefit,
            l.subsidy,
            l.penalty,
            l.paid,
        ],
        l.closing,
    ));
    l.steps = serde_json::Value::Array(steps);
    l
}

/// The lines of the account's invoice of `period`.
pub async fn lines(
    txn: &DatabaseTransaction,
    account_id: i64,
    period: NaiveDate,
) -> AppResult<Vec<InvoiceLineView>> {
    Ok(InvoiceLineView::find_by_statement(stmt(
        "SELECT l.service_id, s.name AS service, u.name AS unit, l.method, \
                CASE l.basis WHEN 'actual' THEN 'Ф' WHEN 'calculated' THEN 'Р' \
                     WHEN 'monthly_average' THEN 'СМ' WHEN 'daily_average' THEN 'СС' END AS flag, \
                l.quantity, l.tariff, l.opening, l.charged, l.recalculation, l.benefit, l.subsidy, \
                l.penalty, l.paid, l.closing, l.steps \
         FROM invoice_lines l JOIN services s ON s.id = l.service_id LEFT JOIN units u ON u.id = s.unit_id \
         WHERE l.period = $1 AND l.account_id = $2 ORDER BY coalesce(s.priority, 999), s.id",
        vec![period.into(), account_id.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(with_restated)
    .collect())
}
