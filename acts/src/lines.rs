//! What an act books, per account and service, with the steps that explain each amount:
//! the pure rules (`storno`, `single`) and the reading of the debts they spread over.
//!
//! A storno over every service is spread in proportion to each service's debt — the
//! opening balance of the open period (the closing of the account's latest invoice, or the
//! balance taken over from the previous system when it has none); services owing nothing
//! or in credit get nothing. The parts add up to the amount to the kopeck (largest
//! remainder, `domain::billing::split`).

use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::{Value, json};

use domain::Period;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// One line to write: service, amount (signed by its effect on the balance), steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Booked {
    pub service_id: i32,
    pub amount: Decimal,
    pub steps: Value,
}

fn step(kind: &str, args: &[Decimal], value: Decimal) -> Value {
    let args: Vec<String> = args.iter().map(|a| a.normalize().to_string()).collect();
    json!([{ "kind": kind, "args": args, "value": value.normalize().to_string() }])
}

/// A storno of `amount` (> 0, written off) over the services' `debts`; None when no
/// service owes anything to spread it over.
pub fn storno(amount: Decimal, debts: &[(i32, Decimal)]) -> Option<Vec<Booked>> {
    let owing: Vec<(i32, Decimal)> = debts
        .iter()
        .copied()
        .filter(|(_, d)| *d > Decimal::ZERO)
        .collect();
    if owing.is_empty() {
        return None;
    }
    let total: Decimal = owing.iter().map(|(_, d)| *d).sum();
    let weights: Vec<Decimal> = owing.iter().map(|(_, d)| *d).collect();
    let parts = domain::billing::split(-amount, &weights);
    Some(
        owing
            .iter()
            .zip(parts)
            .filter(|(_, part)| !part.is_zero())
            .map(|((service_id, debt), part)| Booked {
                service_id: *service_id,
                amount: part,
                steps: step("storno_share", &[-amount, *debt, total], part),
            })
            .collect(),
    )
}

/// One service's amount as entered: `kind` is the step's (`storno`, `correction`, `fine`).
pub fn single(kind: &str, service_id: i32, amount: Decimal) -> Vec<Booked> {
    vec![Booked {
        service_id,
        amount,
        steps: step(kind, &[], amount),
    }]
}

#[derive(FromQueryResult)]
struct DebtRow {
    service_id: i32,
    amount: Decimal,
}

/// The account's debt per service at the opening of `open` (see the module).
pub async fn debts(
    txn: &DatabaseTransaction,
    account_id: i64,
    open: Period,
) -> AppResult<Vec<(i32, Decimal)>> {
    // Through the account's invoices: invoice_lines has no index by account alone.
    let rows = DebtRow::find_by_statement(stmt(
        "WITH l AS (SELECT DISTINCT ON (l.service_id) l.service_id, l.closing AS amount \
                    FROM invoices i JOIN invoice_lines l ON l.period = i.period AND l.account_id = i.account_id \
                    WHERE i.account_id = $1 AND i.period < $2 ORDER BY l.service_id, l.period DESC), \
              o AS (SELECT DISTINCT ON (service_id) service_id, amount FROM opening_balances \
                    WHERE account_id = $1 AND period <= $2 ORDER BY service_id, period DESC) \
         SELECT service_id, amount FROM l \
         UNION ALL SELECT service_id, amount FROM o WHERE service_id NOT IN (SELECT service_id FROM l) \
         ORDER BY service_id",
        vec![account_id.into(), open.first_day().into()],
    ))
    .all(txn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.service_id, r.amount)).collect())
}

/// The storno's lines for the account: on `service` alone, or spread over its debts.
pub async fn storno_lines(
    txn: &DatabaseTransaction,
    account_id: i64,
    open: Period,
    service: Option<i32>,
    amount: Decimal,
) -> AppResult<Vec<Booked>> {
    if let Some(s) = service {
        return Ok(single("storno", s, -amount));
    }
    storno(amount, &debts(txn, account_id, open).await?).ok_or_else(|| {
        AppError::validation(
            "serviceId",
            "the account owes nothing to spread the storno over; choose a service",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn storno_spreads_over_the_services_owing_in_proportion_to_their_debt() {
        // 100.00 written off debts of 150.00, 50.00 and 100.00 (and a credit of −20.00).
        let lines = storno(
            dec!(100.00),
            &[
                (1, dec!(150.00)),
                (2, dec!(50.00)),
                (3, dec!(100.00)),
                (4, dec!(-20.00)),
            ],
        )
        .unwrap_or_default();
        let amounts: Vec<(i32, Decimal)> = lines.iter().map(|l| (l.service_id, l.amount)).collect();
        assert_eq!(
            amounts,
            vec![(1, dec!(-50.00)), (2, dec!(-16.67)), (3, dec!(-33.33))]
        );
        assert_eq!(lines[1].steps[0]["kind"], "storno_share");
        assert_eq!(lines[1].steps[0]["args"], json!(["-100", "50", "300"]));
    }

    #[test]
    fn storno_without_debt_is_refused() {
        assert_eq!(storno(dec!(10), &[(1, dec!(0)), (2, dec!(-5))]), None);
        assert_eq!(storno(dec!(10), &[]), None);
    }

    #[test]
    fn the_parts_always_add_up_to_the_amount() {
        let debts = [(1, dec!(0.01)), (2, dec!(0.01)), (3, dec!(0.01))];
        let lines = storno(dec!(0.10), &debts).unwrap_or_default();
        let sum: Decimal = lines.iter().map(|l| l.amount).sum();
        assert_eq!(sum, dec!(-0.10));
    }
}
