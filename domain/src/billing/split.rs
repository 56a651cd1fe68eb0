//! Splitting one amount over several lines in proportion to weights, to the kopeck, with
//! no kopeck lost (largest remainder).

use rust_decimal::Decimal;

/// Splits `amount` (2 places) over `weights` proportionally; negative weights count as
/// zero; when no weight is positive the whole amount goes to the first line. Σ = amount.
pub fn split(amount: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let mut out = vec![Decimal::ZERO; weights.len()];
    if weights.is_empty() {
        return out;
    }
    let total: Decimal = weights.iter().map(|w| (*w).max(Decimal::ZERO)).sum();
    if total.is_zero() {
        out[0] = amount;
        return out;
    }
    let mut given = Decimal::ZERO;
    let mut cuts: Vec<(Decimal, usize)> = Vec::with_capacity(weights.len());
    // One division, not one per line: the kopecks lost to flooring are handed out below,
    // so the parts still add up exactly.
    let per_weight = amount / total;
    for (i, w) in weights.iter().enumerate() {
        let raw = (*w).max(Decimal::ZERO) * per_weight;
        let mut floor = raw.trunc_with_scale(2);
        if floor.scale() != 2 {
            floor.rescale(2);
        }
        out[i] = floor;
        given += floor;
        cuts.push(((raw - floor).abs(), i));
    }
    cuts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let unit = if amount >= Decimal::ZERO {
        Decimal::new(1, 2)
    } else {
        Decimal::new(-1, 2)
    };
    let mut left = amount - given;
    for (_, i) in cuts.iter().cycle().take(weights.len() * 2) {
        if left.is_zero() || (left.abs() < unit.abs()) {
            break;
        }
        if weights[*i] > Decimal::ZERO {
            out[*i] += unit;
            left -= unit;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn splits_in_proportion_without_losing_a_kopeck() {
        assert_eq!(
            split(dec!(100.00), &[dec!(1), dec!(1), dec!(1)]),
            vec![dec!(33.34), dec!(33.33), dec!(33.33)]
        );
        assert_eq!(
            split(dec!(50.00), &[dec!(0), dec!(-3)]),
            vec![dec!(50.00), dec!(0)]
        );
        assert_eq!(
            split(dec!(10.00), &[dec!(30), dec!(10)]),
            vec![dec!(7.50), dec!(2.50)]
        );
    }

    proptest! {
        #[test]
        fn parts_add_up(amount in -1_000_000i64..1_000_000, ws in proptest::collection::vec(-100i64..10_000, 1..12)) {
            let a = Decimal::new(amount, 2);
            let weights: Vec<Decimal> = ws.iter().map(|w| Decimal::new(*w, 1)).collect();
            let parts = split(a, &weights);
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), a);
        }
    }
}
