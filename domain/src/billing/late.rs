//! Tariffs "before / after the 20th" (seed 001 §6.2: two price lists, «до 20 числа» and
//! «після 20», "if the tariffs do not depend on the payment date, one price list is
//! enough"). Rule chosen: month M is charged at the regular price list; when the payments
//! dated from the first of M + 1 through the due day (the tenant's, the 20th by default)
//! do not cover what M's invoice asked to pay, M + 1 charges each of M's services the
//! difference, M's quantity × (the late list's tariff on M's first day − the tariff M was
//! charged at), booked as a recalculation with a step of its own. A late tariff below
//! the regular one charges nothing (a late payer is never paid back); benefits and
//! subsidies stay as M computed them at the regular tariff.

use rust_decimal::Decimal;

use crate::Period;
use crate::money;

/// The difference month M's service owes because M's invoice was paid late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateCharge {
    /// The month whose invoice was not paid by the due day.
    pub period: Period,
    pub quantity: Decimal,
    /// The tariff M was charged at.
    pub regular: Decimal,
    /// The late price list's tariff on M's first day.
    pub late: Decimal,
}

impl LateCharge {
    /// quantity × (late − regular), to the kopeck; nothing when late is not dearer.
    pub fn amount(&self) -> Decimal {
        if self.late <= self.regular || self.quantity <= Decimal::ZERO {
            return Decimal::ZERO;
        }
        money(self.quantity * (self.late - self.regular))
    }
}

/// Month M's invoice was paid late: it asked for something (`to_pay` > 0) and the
/// payments dated by the due day brought less.
pub fn paid_late(to_pay: Decimal, paid_by_due: Decimal) -> bool {
    to_pay > Decimal::ZERO && paid_by_due < to_pay
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn charge(quantity: Decimal, regular: Decimal, late: Decimal) -> LateCharge {
        LateCharge {
            period: Period::new(2026, 11).unwrap_or_else(|e| panic!("{e}")),
            quantity,
            regular,
            late,
        }
    }

    #[test]
    fn the_difference_is_charged_to_the_kopeck_and_never_paid_back() {
        assert_eq!(
            charge(dec!(8.5), dec!(31.408), dec!(34.55)).amount(),
            dec!(26.71)
        );
        assert_eq!(
            charge(dec!(8.5), dec!(31.408), dec!(30)).amount(),
            Decimal::ZERO
        );
        assert_eq!(
            charge(dec!(0), dec!(31.408), dec!(40)).amount(),
            Decimal::ZERO
        );
    }

    #[test]
    fn an_invoice_is_late_unless_the_payments_by_the_due_day_cover_it() {
        assert!(paid_late(dec!(400), dec!(0)));
        assert!(paid_late(dec!(400), dec!(399.99)));
        assert!(!paid_late(dec!(400), dec!(400)));
        assert!(!paid_late(dec!(400), dec!(500)));
        // An invoice that asks nothing (paid ahead) is never late.
        assert!(!paid_late(dec!(-20), dec!(0)));
        assert!(!paid_late(dec!(0), dec!(0)));
    }
}
