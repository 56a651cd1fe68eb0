//! Common-house distribution (DOMAIN.md method 4): the house meter's volume less what the
//! apartments under it consumed is shared among the recipients by weight (persons or m²),
//! each share capped by the limit × weight. Shares keep 4 places; nothing is created or
//! lost: Σ shares + undistributed = the remainder when it is positive, else 0.

use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;

/// One account receiving a share: its weight (day-weighted persons or m²).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub weight: Decimal,
}

/// The outcome: remainder, a share per recipient (in input order), what was not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub remainder: Decimal,
    pub shares: Vec<Decimal>,
    pub undistributed: Decimal,
}

/// Shares `volume − apartments` over `recipients` by weight, each at most `limit × weight`.
/// A negative remainder (apartments used more than the house meter shows) gives nothing.
pub fn distribute(
    volume: Decimal,
    apartments: Decimal,
    recipients: &[Recipient],
    limit: Option<Decimal>,
) -> Distribution {
    let remainder = volume - apartments;
    let total: Decimal = recipients.iter().map(|r| r.weight.max(Decimal::ZERO)).sum();
    if remainder <= Decimal::ZERO || total <= Decimal::ZERO {
        return Distribution {
            remainder,
            shares: vec![Decimal::ZERO; recipients.len()],
            undistributed: remainder.max(Decimal::ZERO),
        };
    }
    let target = remainder.round_dp_with_strategy(4, RoundingStrategy::ToZero);
    let mut capped = false;
    // Floor every share to 4 places, remembering what the floor cut off.
    let mut shares = Vec::with_capacity(recipients.len());
    let mut cut = Vec::with_capacity(recipients.len());
    let per_weight = remainder / total;
    for r in recipients {
        let w = r.weight.max(Decimal::ZERO);
        let mut raw = w * per_weight;
        if let Some(l) = limit {
            let cap = l * w;
            if raw > cap {
                raw = cap;
                capped = true;
            }
        }
        let floor = raw.round_dp_with_strategy(4, RoundingStrategy::ToZero);
        cut.push(if raw > floor && !capped_at(raw, limit, w) {
            raw - floor
        } else {
            Decimal::ZERO
        });
        shares.push(floor);
    }
    // Without caps the floors' dust goes, 0.0001 at a time, to the largest cuts, so the
    // whole 4-place remainder is given out.
    if !capped {
        let unit = Decimal::new(1, 4);
        let mut dust = target - shares.iter().copied().sum::<Decimal>();
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|a, b| cut[*b].cmp(&cut[*a]).then(a.cmp(b)));
        for i in order.into_iter().cycle().take(shares.len() * 2) {
            if dust < unit {
                break;
            }
            if recipients[i].weight > Decimal::ZERO {
                shares[i] += unit;
                dust -= unit;
            }
        }
    }
    let given: Decimal = shares.iter().copied().sum();
    Distribution {
        remainder,
        shares,
        undistributed: remainder - given,
    }
}

fn capped_at(raw: Decimal, limit: Option<Decimal>, w: Decimal) -> bool {
    limit.is_some_and(|l| raw >= l * w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn r(w: Decimal) -> Recipient {
        Recipient { weight: w }
    }

    #[test]
    fn remainder_is_shared_by_weight() {
        let d = distribute(dec!(130), dec!(100), &[r(dec!(1)), r(dec!(2))], None);
        assert_eq!(d.remainder, dec!(30));
        assert_eq!(d.shares, vec![dec!(10), dec!(20)]);
        assert_eq!(d.undistributed, dec!(0));
    }

    #[test]
    fn thirds_keep_every_ten_thousandth() {
        let d = distribute(
            dec!(11),
            dec!(10),
            &[r(dec!(1)), r(dec!(1)), r(dec!(1))],
            None,
        );
        assert_eq!(d.shares.iter().copied().sum::<Decimal>(), dec!(1));
        assert_eq!(d.shares, vec![dec!(0.3334), dec!(0.3333), dec!(0.3333)]);
        assert_eq!(d.undistributed, dec!(0));
    }

    #[test]
    fn negative_remainder_gives_nothing() {
        let d = distribute(dec!(90), dec!(100), &[r(dec!(2))], None);
        assert_eq!(d.remainder, dec!(-10));
        assert_eq!(d.shares, vec![dec!(0)]);
        assert_eq!(d.undistributed, dec!(0));
    }

    #[test]
    fn the_limit_caps_a_share_and_the_rest_stays_undistributed() {
        // 40 m³ over 2 + 2 persons = 20 each, capped at 1.5 m³ × 2 persons = 3.
        let d = distribute(
            dec!(140),
            dec!(100),
            &[r(dec!(2)), r(dec!(2))],
            Some(dec!(1.5)),
        );
        assert_eq!(d.shares, vec![dec!(3), dec!(3)]);
        assert_eq!(d.undistributed, dec!(34));
    }

    proptest! {
        #[test]
        fn never_creates_or_loses_volume(
            volume in 0i64..10_000_000,
            apartments in 0i64..10_000_000,
            weights in proptest::collection::vec(0i64..100_000, 0..40),
            limit in proptest::option::of(1i64..100_000),
        ) {
            let rs: Vec<Recipient> = weights.iter().map(|w| r(Decimal::new(*w, 4))).collect();
            let d = distribute(Decimal::new(volume, 4), Decimal::new(apartments, 4), &rs,
                limit.map(|l| Decimal::new(l, 3)));
            let given: Decimal = d.shares.iter().copied().sum();
            prop_assert_eq!(given + d.undistributed, d.remainder.max(Decimal::ZERO));
            prop_assert!(d.shares.iter().all(|s| *s >= Decimal::ZERO));
            prop_assert!(d.undistributed >= Decimal::ZERO);
            if let Some(l) = limit {
                for (s, rr) in d.shares.iter().zip(&rs) {
                    prop_assert!(*s <= Decimal::new(l, 3) * rr.weight);
                }
            }
        }
    }
}
