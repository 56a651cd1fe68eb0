//! A contract's price terms (seed 003: individual invoicing per customer): how a MWh is
//! priced — one fixed price, a price per time-of-use zone (day and night, and peak for
//! three zones), or the hour's exchange price plus a margin — and the minimum and maximum
//! price clauses that bound any of them. Prices are per MWh in the tenant's currency.

use rust_decimal::Decimal;

/// How a MWh is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRule {
    Fixed {
        price: Decimal,
    },
    Zones {
        day: Decimal,
        night: Decimal,
        peak: Option<Decimal>,
    },
    Exchange {
        margin: Decimal,
    },
}

/// A rule with its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceTerms {
    pub rule: PriceRule,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// The terms as a form sends them: the kind's code and every price field, each optional.
#[derive(Debug, Clone, Default)]
pub struct TermsDraft<'a> {
    pub kind: &'a str,
    pub price: Option<Decimal>,
    pub day: Option<Decimal>,
    pub night: Option<Decimal>,
    pub peak: Option<Decimal>,
    pub margin: Option<Decimal>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// What is wrong with a draft: the field (as the API names it) and the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTerms {
    #[error("must be fixed, zones or exchange")]
    Kind,
    #[error("is required by this kind of price")]
    Missing(&'static str),
    #[error("does not belong to this kind of price")]
    NotOfKind(&'static str),
    #[error("must not be negative")]
    Negative(&'static str),
    #[error("must not be below the minimum price")]
    MaxBelowMin,
}

impl InvalidTerms {
    /// The field the rule is about.
    pub fn field(&self) -> &'static str {
        match self {
            InvalidTerms::Kind => "priceKind",
            InvalidTerms::Missing(f) | InvalidTerms::NotOfKind(f) | InvalidTerms::Negative(f) => f,
            InvalidTerms::MaxBelowMin => "priceMax",
        }
    }
}

impl PriceTerms {
    /// Checks a draft: the kind's prices present (a margin may be negative: a discount
    /// on the exchange), the others absent, no negative price, the maximum not below the
    /// minimum.
    pub fn parse(d: &TermsDraft<'_>) -> Result<Self, InvalidTerms> {
        let need = |v: Option<Decimal>, f: &'static str| v.ok_or(InvalidTerms::Missing(f));
        let absent = |v: Option<Decimal>, f: &'static str| match v {
            Some(_) => Err(InvalidTerms::NotOfKind(f)),
            None => Ok(()),
        };
        let rule = match d.kind {
            "fixed" => {
                absent(d.day, "priceDay")?;
                absent(d.night, "priceNight")?;
                absent(d.peak, "pricePeak")?;
                absent(d.margin, "margin")?;
                PriceRule::Fixed {
                    price: need(d.price, "price")?,
                }
            }
            "zones" => {
                absent(d.price, "price")?;
                absent(d.margin, "margin")?;
                PriceRule::Zones {
                    day: need(d.day, "priceDay")?,
                    night: need(d.night, "priceNight")?,
                    peak: d.peak,
                }
            }
            "exchange" => {
                absent(d.price, "price")?;
                absent(d.day, "priceDay")?;
                absent(d.night, "priceNight")?;
                absent(d.peak, "pricePeak")?;
                PriceRule::Exchange {
                    margin: need(d.margin, "margin")?,
                }
            }
            _ => return Err(InvalidTerms::Kind),
        };
        for (v, f) in [
            (d.price, "price"),
            (d.day, "priceDay"),
            (d.night, "priceNight"),
            (d.peak, "pricePeak"),
            (d.min, "priceMin"),
            (d.max, "priceMax"),
        ] {
            if v.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
                return Err(InvalidTerms::Negative(f));
            }
        }
        if let (Some(min), Some(max)) = (d.min, d.max)
            && max < min
        {
            return Err(InvalidTerms::MaxBelowMin);
        }
        Ok(Self {
            rule,
            min: d.min,
            max: d.max,
        })
    }

    /// A price held within the minimum and maximum clauses.
    pub fn bounded(&self, price: Decimal) -> Decimal {
        let low = self.min.map_or(price, |m| price.max(m));
        self.max.map_or(low, |m| low.min(m))
    }
}

/// Of a contract's terms and its annexes' (each from its first day on), the ones in force
/// on `day`: the annex with the latest first day not after it, else the contract's own.
/// Annexes of the same first day: the later in the list (the later signed) wins.
pub fn in_force<'a, T>(
    contract: &'a T,
    annexes: &'a [(chrono::NaiveDate, T)],
    day: chrono::NaiveDate,
) -> &'a T {
    annexes
        .iter()
        .filter(|(from, _)| *from <= day)
        .max_by_key(|(from, _)| *from)
        .map_or(contract, |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn draft(kind: &str) -> TermsDraft<'_> {
        TermsDraft {
            kind,
            ..TermsDraft::default()
        }
    }

    #[test]
    fn each_kind_needs_its_prices_and_only_those() {
        let fixed = TermsDraft {
            price: Some(dec!(210.5)),
            ..draft("fixed")
        };
        assert_eq!(
            PriceTerms::parse(&fixed).map(|t| t.rule),
            Ok(PriceRule::Fixed { price: dec!(210.5) })
        );
        assert_eq!(
            PriceTerms::parse(&draft("fixed")),
            Err(InvalidTerms::Missing("price"))
        );
        let mixed = TermsDraft {
            margin: Some(dec!(5)),
            ..fixed.clone()
        };
        assert_eq!(
            PriceTerms::parse(&mixed).map_err(|e| e.field()),
            Err("margin")
        );
        let two_zones = TermsDraft {
            day: Some(dec!(230)),
            night: Some(dec!(150)),
            ..draft("zones")
        };
        assert!(matches!(
            PriceTerms::parse(&two_zones).map(|t| t.rule),
            Ok(PriceRule::Zones { peak: None, .. })
        ));
        let no_night = TermsDraft {
            night: None,
            ..two_zones.clone()
        };
        assert_eq!(
            PriceTerms::parse(&no_night),
            Err(InvalidTerms::Missing("priceNight"))
        );
        // A negative margin is a discount on the exchange price; a negative price is not.
        let discount = TermsDraft {
            margin: Some(dec!(-3)),
            ..draft("exchange")
        };
        assert!(PriceTerms::parse(&discount).is_ok());
        let negative = TermsDraft {
            day: Some(dec!(-1)),
            ..two_zones
        };
        assert_eq!(
            PriceTerms::parse(&negative),
            Err(InvalidTerms::Negative("priceDay"))
        );
        assert_eq!(PriceTerms::parse(&draft("hourly")), Err(InvalidTerms::Kind));
    }

    #[test]
    fn the_bounds_hold_the_price() {
        let t = PriceTerms::parse(&TermsDraft {
            margin: Some(dec!(8)),
            min: Some(dec!(90)),
            max: Some(dec!(250)),
            ..draft("exchange")
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.bounded(dec!(40.12)), dec!(90));
        assert_eq!(t.bounded(dec!(130.5)), dec!(130.5));
        assert_eq!(t.bounded(dec!(612)), dec!(250));
        let upside_down = TermsDraft {
            margin: Some(dec!(8)),
            min: Some(dec!(250)),
            max: Some(dec!(90)),
            ..draft("exchange")
        };
        assert_eq!(
            PriceTerms::parse(&upside_down),
            Err(InvalidTerms::MaxBelowMin)
        );
    }

    #[test]
    fn the_latest_annex_begun_wins() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let annexes = [(d(3, 1), "annex 1"), (d(7, 1), "annex 2")];
        assert_eq!(*in_force(&"contract", &annexes, d(2, 28)), "contract");
        assert_eq!(*in_force(&"contract", &annexes, d(3, 1)), "annex 1");
        assert_eq!(*in_force(&"contract", &annexes, d(6, 30)), "annex 1");
        assert_eq!(*in_force(&"contract", &annexes, d(12, 31)), "annex 2");
    }
}
