//! Payment rules with no IO (DOMAIN.md "Payments"): which dates and charge periods a
//! payment may have in the open period, and how a total is split over an invoice's
//! services — in proportion to the amounts due, by the tenant's priority order, or by hand.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::Period;
use crate::billing::split::split;

/// A refused payment: the field at fault and the rule it broke (English; translated at
/// the edge like every message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub rule: String,
}

fn refuse(field: &'static str, rule: impl Into<String>) -> Refusal {
    Refusal {
        field,
        rule: rule.into(),
    }
}

/// What a payment's dates are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRules {
    /// The open period: receipts are booked in it.
    pub open: Period,
    /// Penalty accounting is on: only the previous period may be paid.
    pub penalty_on: bool,
}

/// The date rules of a payment paying `charge` (DOMAIN.md): the receipt date lies in the
/// open period; the charge period is earlier than the open one (and, with penalty
/// accounting on, no older than open − 1, since its penalty was reckoned on the payments
/// known then); the payment date is no earlier than the charge period's first day and no
/// later than the receipt date.
pub fn check_dates(
    rules: DateRules,
    charge: Period,
    paid_on: NaiveDate,
    received_on: NaiveDate,
) -> Result<(), Refusal> {
    let open = rules.open;
    if received_on < open.first_day() || received_on > open.last_day() {
        return Err(refuse(
            "receivedOn",
            format!(
                "must lie in the open period {open} ({} – {})",
                open.first_day(),
                open.last_day()
            ),
        ));
    }
    if charge >= open {
        return Err(refuse(
            "chargePeriod",
            format!("must be earlier than the open period {open}: payments pay issued invoices"),
        ));
    }
    if rules.penalty_on && charge < open.prev() {
        return Err(refuse(
            "chargePeriod",
            format!(
                "must be {} with penalty accounting on: the penalty of older periods was reckoned on the payments known then",
                open.prev()
            ),
        ));
    }
    if paid_on < charge.first_day() {
        return Err(refuse(
            "paidOn",
            format!(
                "must not be earlier than the first day of the charge period ({})",
                charge.first_day()
            ),
        ));
    }
    if paid_on > received_on {
        return Err(refuse(
            "paidOn",
            format!("must not be later than the receipt date ({received_on})"),
        ));
    }
    Ok(())
}

/// A payment amount: positive, at most two decimals, under a billion.
pub fn check_amount(field: &'static str, amount: Decimal) -> Result<Decimal, Refusal> {
    if amount <= Decimal::ZERO {
        return Err(refuse(field, "must be greater than zero"));
    }
    if amount.normalize().scale() > 2 {
        return Err(refuse(field, "must have at most two decimals"));
    }
    if amount >= Decimal::from(1_000_000_000) {
        return Err(refuse(field, "must be less than 1,000,000,000"));
    }
    let mut a = amount;
    a.rescale(2);
    Ok(a)
}

/// One service of the invoice being paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub service_id: i32,
    /// What the invoice asks for it (its closing balance; ≤ 0 asks nothing).
    pub amount: Decimal,
    /// The tenant's priority (1 is paid first; None after every numbered one).
    pub priority: Option<i32>,
}

/// How a total is split over services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// In proportion to the amounts due.
    Proportional,
    /// Each service in priority order up to its amount due; what is left over goes to
    /// the first service in that order (an advance).
    Priority,
    /// The operator's own amounts per service; they must add up to the total.
    Manual(Vec<(i32, Decimal)>),
}

impl Split {
    pub fn code(&self) -> &'static str {
        match self {
            Split::Proportional => "proportional",
            Split::Priority => "priority",
            Split::Manual(_) => "manual",
        }
    }
}

/// Splits `total` over the invoice's `dues` (Σ parts = total, to the kopeck). With no
/// invoice lines the payment stays whole (the calculation splits it by opening debt).
pub fn allocate(total: Decimal, dues: &[Due], how: &Split) -> Result<Vec<(i32, Decimal)>, Refusal> {
    match how {
        Split::Manual(parts) => {
            let mut out: Vec<(i32, Decimal)> = Vec::with_capacity(parts.len());
            for (service, amount) in parts {
                if *amount < Decimal::ZERO {
                    return Err(refuse("lines", "amounts per service must not be negative"));
                }
                if amount.normalize().scale() > 2 {
                    return Err(refuse(
                        "lines",
                        "amounts per service must have at most two decimals",
                    ));
                }
                if out.iter().any(|(s, _)| s == service) {
                    return Err(refuse("lines", "a service must appear once"));
                }
                if !amount.is_zero() {
                    let mut a = *amount;
                    a.rescale(2);
                    out.push((*service, a));
                }
            }
            let sum: Decimal = out.iter().map(|(_, a)| *a).sum();
            if sum != total {
                return Err(refuse(
                    "lines",
                    format!("the amounts per service add up to {sum}, not to the total {total}"),
                ));
            }
            Ok(out)
        }
        _ if dues.is_empty() => Ok(Vec::new()),
        Split::Proportional => {
            let weights: Vec<Decimal> = dues.iter().map(|d| d.amount).collect();
            Ok(nonzero(dues, split(total, &weights)))
        }
        Split::Priority => {
            let mut order: Vec<&Due> = dues.iter().collect();
            order.sort_by_key(|d| (d.priority.unwrap_or(i32::MAX), d.service_id));
            let mut left = total;
            let mut out: Vec<(i32, Decimal)> = Vec::with_capacity(order.len());
            for d in &order {
                let part = d.amount.max(Decimal::ZERO).min(left);
                out.push((d.service_id, part));
                left -= part;
            }
            if let Some(first) = out.first_mut() {
                first.1 += left;
            }
            out.retain(|(_, a)| !a.is_zero());
            Ok(out)
        }
    }
}

fn nonzero(dues: &[Due], parts: Vec<Decimal>) -> Vec<(i32, Decimal)> {
    dues.iter()
        .zip(parts)
        .filter(|(_, a)| !a.is_zero())
        .map(|(d, a)| (d.service_id, a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap_or_else(|e| panic!("{e}"))
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("date"))
    }
    fn rules() -> DateRules {
        DateRules {
            open: p(2026, 11),
            penalty_on: true,
        }
    }

    #[test]
    fn every_date_rule_names_its_field() {
        let ok = check_dates(rules(), p(2026, 10), d(2026, 10, 28), d(2026, 11, 2));
        assert_eq!(ok, Ok(()));
        let field = |r: Result<(), Refusal>| r.err().map(|e| e.field);
        // Receipt outside the open period.
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 10),
                d(2026, 10, 28),
                d(2026, 10, 31)
            )),
            Some("receivedOn")
        );
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 10),
                d(2026, 10, 28),
                d(2026, 12, 1)
            )),
            Some("receivedOn")
        );
        // The open period itself cannot be paid; older ones only without penalty.
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 11),
                d(2026, 11, 2),
                d(2026, 11, 2)
            )),
            Some("chargePeriod")
        );
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 9),
                d(2026, 10, 2),
                d(2026, 11, 2)
            )),
            Some("chargePeriod")
        );
        let lenient = DateRules {
            penalty_on: false,
            ..rules()
        };
        assert_eq!(
            check_dates(lenient, p(2026, 9), d(2026, 10, 2), d(2026, 11, 2)),
            Ok(())
        );
        // Payment date before the charge period or after the receipt.
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 10),
                d(2026, 9, 30),
                d(2026, 11, 2)
            )),
            Some("paidOn")
        );
        assert_eq!(
            field(check_dates(
                rules(),
                p(2026, 10),
                d(2026, 11, 3),
                d(2026, 11, 2)
            )),
            Some("paidOn")
        );
        assert_eq!(
            check_dates(rules(), p(2026, 10), d(2026, 11, 2), d(2026, 11, 2)),
            Ok(())
        );
    }

    #[test]
    fn amounts_are_positive_money() {
        assert_eq!(check_amount("amount", dec!(10.5)), Ok(dec!(10.50)));
        assert!(check_amount("amount", dec!(0)).is_err());
        assert!(check_amount("amount", dec!(-1)).is_err());
        assert!(check_amount("amount", dec!(1.005)).is_err());
        assert_eq!(check_amount("amount", dec!(1.500)), Ok(dec!(1.50)));
    }

    fn dues() -> Vec<Due> {
        vec![
            Due {
                service_id: 1,
                amount: dec!(300.00),
                priority: Some(2),
            },
            Due {
                service_id: 2,
                amount: dec!(100.00),
                priority: Some(1),
            },
            Due {
                service_id: 3,
                amount: dec!(-20.00),
                priority: None,
            },
        ]
    }

    #[test]
    fn proportional_priority_and_manual_splits() {
        assert_eq!(
            allocate(dec!(200.00), &dues(), &Split::Proportional),
            Ok(vec![(1, dec!(150.00)), (2, dec!(50.00))])
        );
        // Priority: service 2 first up to its 100, then 1; the overpayment goes to 2.
        assert_eq!(
            allocate(dec!(150.00), &dues(), &Split::Priority),
            Ok(vec![(2, dec!(100.00)), (1, dec!(50.00))])
        );
        assert_eq!(
            allocate(dec!(450.00), &dues(), &Split::Priority),
            Ok(vec![(2, dec!(150.00)), (1, dec!(300.00))])
        );
        assert_eq!(
            allocate(
                dec!(50),
                &dues(),
                &Split::Manual(vec![(3, dec!(50)), (1, dec!(0))])
            ),
            Ok(vec![(3, dec!(50.00))])
        );
        let e = allocate(dec!(50), &dues(), &Split::Manual(vec![(3, dec!(40))])).err();
        assert_eq!(
            e.map(|e| e.rule),
            Some("the amounts per service add up to 40.00, not to the total 50".to_owned())
        );
        assert_eq!(allocate(dec!(50), &[], &Split::Proportional), Ok(vec![]));
    }

    proptest! {
        #[test]
        fn splits_keep_every_kopeck(total in 1i64..10_000_000, amounts in proptest::collection::vec(-10_000i64..1_000_000, 1..8), by_priority: bool) {
            let total = Decimal::new(total, 2);
            let dues: Vec<Due> = amounts.iter().enumerate().map(|(i, a)| Due {
                service_id: i as i32, amount: Decimal::new(*a, 2), priority: Some((7 - i) as i32),
            }).collect();
            let how = if by_priority { Split::Priority } else { Split::Proportional };
            let parts = allocate(total, &dues, &how).unwrap_or_default();
            prop_assert_eq!(parts.iter().map(|(_, a)| *a).sum::<Decimal>(), total);
            prop_assert!(parts.iter().all(|(_, a)| *a > Decimal::ZERO));
        }
    }
}
