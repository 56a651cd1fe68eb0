//! The reading-correction act (seed 002 «Акт коригування показань»): a meter's current
//! reading of a closed month was wrong. The act recomputes every closed month from that
//! one on with the corrected value — that month's consumption, the next reading's (whose
//! previous it is) and the averages taken from them — over the whole building (the house
//! meter's remainder follows the apartments), and books each account's difference.
//! The readings themselves change only while the act is approved: approving writes the
//! corrected value (and the next reading's consumption follows), returning to draft
//! writes the old one back; either refuses when the readings moved since.

use domain::Period;
use domain::billing::{AccountInput, PeriodReading};
use domain::readings::{Derived, Entry, derive};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::lines::Booked;
use crate::recalculation::{Target, building_of};
use crate::recompute::{self, Baseline, MonthLine};
use metering::readings::refusal;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// A stored reading of the meter.
#[derive(Debug, Clone, Copy, FromQueryResult)]
struct Stored {
    period: chrono::NaiveDate,
    previous: Decimal,
    current: Decimal,
}

/// What a correction changes: the month's reading, and the next one's (if any).
#[derive(Debug, Clone, Copy)]
pub struct Correction {
    pub meter_id: i64,
    pub period: Period,
    /// The current reading as it stands.
    pub was: Decimal,
    pub value: Decimal,
    digits: Option<u32>,
    previous: Decimal,
    /// The next reading's month and current value, and whether it went round the dial.
    next: Option<(Period, Decimal, bool)>,
}

#[derive(FromQueryResult)]
struct MeterOf {
    digits: Option<i32>,
}

async fn stored(
    txn: &DatabaseTransaction,
    meter: i64,
    period: Period,
    next: bool,
) -> AppResult<Option<Stored>> {
    let sql = if next {
        "SELECT period, previous, current FROM readings WHERE meter_id = $1 AND period > $2 ORDER BY period LIMIT 1"
    } else {
        "SELECT period, previous, current FROM readings WHERE meter_id = $1 AND period = $2"
    };
    Ok(
        Stored::find_by_statement(stmt(sql, vec![meter.into(), period.first_day().into()]))
            .one(txn)
            .await?,
    )
}

fn month_of(d: chrono::NaiveDate) -> AppResult<Period> {
    Period::containing(d).map_err(|e| AppError::Internal(e.to_string()))
}

impl Correction {
    /// Checks the correction of `meter`'s reading of the closed month `period` to `value`
    /// against the account and the readings as they stand.
    pub async fn check(
        txn: &DatabaseTransaction,
        account: i64,
        meter: i64,
        period: Period,
        value: Decimal,
        open: Period,
    ) -> AppResult<Self> {
        let m = MeterOf::find_by_statement(stmt(
            "SELECT m.digits FROM meters m WHERE m.id = $1 AND m.install_method = 'apartment' \
               AND (m.account_id = $2 OR (m.account_id IS NULL AND m.premises_id = (SELECT premises_id FROM accounts WHERE id = $2)))",
            vec![meter.into(), account.into()],
        ))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::validation("meterId", "must be a meter of the account"))?;
        if period >= open {
            return Err(AppError::validation(
                "readingPeriod",
                format!("must be a closed month, before the open period {open}"),
            ));
        }
        let this = stored(txn, meter, period, false).await?.ok_or_else(|| {
            AppError::validation("readingPeriod", "the meter has no reading in this month")
        })?;
        if this.current == value {
            return Err(AppError::validation(
                "readingValue",
                "must differ from the reading it corrects",
            ));
        }
        let next = stored(txn, meter, period, true).await?;
        let c = Self {
            meter_id: meter,
            period,
            was: this.current,
            value,
            digits: m.digits.and_then(|d| u32::try_from(d).ok()),
            previous: this.previous,
            next: match next {
                Some(n) => Some((month_of(n.period)?, n.current, n.current < n.previous)),
                None => None,
            },
        };
        c.derived(value)?;
        Ok(c)
    }

    /// The month's and the next reading's consumption with `value` as the current reading.
    /// A correction does not send a reading round the dial that did not go round before:
    /// below the previous reading or above the next one is a typing error, not a wrap.
    fn derived(&self, value: Decimal) -> AppResult<(Derived, Option<Derived>)> {
        if value < self.previous && self.was >= self.previous {
            return Err(refusal(
                "readingValue",
                domain::readings::ReadingError::BelowPrevious(self.previous.normalize()),
            ));
        }
        let this = derive(self.previous, Entry::Current(value), self.digits)
            .map_err(|e| refusal("readingValue", e))?;
        let next = match self.next {
            Some((p, current, wrapped)) => {
                let above = || {
                    AppError::validation(
                        "readingValue",
                        format!(
                            "must not be more than the next reading {} of {p}",
                            current.normalize()
                        ),
                    )
                };
                if value > current && !wrapped {
                    return Err(above());
                }
                Some(derive(value, Entry::Current(current), self.digits).map_err(|_| above())?)
            }
            None => None,
        };
        Ok((this, next))
    }

    /// The closed months the correction reaches: its own to the last closed one.
    fn months(&self, open: Period) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = self.period;
        while p < open {
            out.push(p);
            p = p.next();
        }
        out
    }

    /// The meter's readings of month `p` as the corrected value makes them.
    fn apply(&self, acc: &mut AccountInput, p: Period, this: Derived, next: Option<Derived>) {
        let next_period = self.next.map(|n| n.0);
        for s in &mut acc.services {
            for m in s.meters.iter_mut().filter(|m| m.id == self.meter_id) {
                if p == self.period {
                    m.reading = Some(PeriodReading {
                        previous: self.previous,
                        current: self.value,
                        consumption: this.consumption,
                    });
                }
                if let (Some(np), Some(n), Some(r)) = (next_period, next, m.reading.as_mut())
                    && np == p
                {
                    r.previous = self.value;
                    r.consumption = n.consumption;
                }
                for (hp, c) in &mut m.history {
                    if *hp == self.period {
                        *c = this.consumption;
                    } else if let (Some(np), Some(n)) = (next_period, next)
                        && *hp == np
                    {
                        *c = n.consumption;
                    }
                }
            }
        }
    }

    /// What the act books over the account's building, and the months it compared.
    pub async fn lines(
        &self,
        txn: &DatabaseTransaction,
        account: i64,
        open: Period,
    ) -> AppResult<(Vec<(i64, Booked)>, Vec<MonthLine>)> {
        let building = building_of(txn, Target::Account(account)).await?;
        let (this, next) = self.derived(self.value)?;
        let mut found = Vec::new();
        for p in self.months(open) {
            let change = |acc: &mut AccountInput| self.apply(acc, p, this, next);
            found.extend(
                recompute::month(
                    txn,
                    p,
                    &[building],
                    &|_| true,
                    &change,
                    &|_| {},
                    Baseline::Unchanged,
                )
                .await?,
            );
        }
        Ok((
            recompute::book(&found, "corrected_month", &|_| Vec::new()),
            found,
        ))
    }

    /// Writes `to` as the month's current reading where `from` stands (approving:
    /// the corrected value; returning to draft: the old one), the next reading following.
    pub async fn write(
        &self,
        txn: &DatabaseTransaction,
        from: Decimal,
        to: Decimal,
    ) -> AppResult<()> {
        let moved = || {
            AppError::Conflict(format!(
                "the meter's reading of {} changed since the act was made; make the act again",
                self.period
            ))
        };
        let this = stored(txn, self.meter_id, self.period, false)
            .await?
            .ok_or_else(moved)?;
        if this.current != from {
            return Err(moved());
        }
        // Checked as the readings stand now: the month's previous, the value moved from.
        let c = Self {
            previous: this.previous,
            was: from,
            next: None,
            ..*self
        };
        let (d, _) = c.derived(to)?;
        txn.execute_raw(stmt(
            "UPDATE readings SET current = $3, consumption = $4 WHERE meter_id = $1 AND period = $2",
            vec![self.meter_id.into(), self.period.first_day().into(), d.current.into(), d.consumption.into()],
        ))
        .await?;
        if let Some(n) = stored(txn, self.meter_id, self.period, true).await? {
            let d = derive(to, Entry::Current(n.current), self.digits).map_err(|_| moved())?;
            txn.execute_raw(stmt(
                "UPDATE readings SET previous = $3, consumption = $4 WHERE meter_id = $1 AND period = $2",
                vec![self.meter_id.into(), n.period.into(), to.into(), d.consumption.into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// The correction an act stored (for approving and returning to draft).
    pub async fn of_act(
        txn: &DatabaseTransaction,
        meter: i64,
        period: Period,
        was: Decimal,
        value: Decimal,
    ) -> AppResult<Self> {
        let m = MeterOf::find_by_statement(stmt(
            "SELECT digits FROM meters WHERE id = $1",
            vec![meter.into()],
        ))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {meter} does not exist")))?;
        Ok(Self {
            meter_id: meter,
            period,
            was,
            value,
            digits: m.digits.and_then(|d| u32::try_from(d).ok()),
            previous: Decimal::ZERO,
            next: None,
        })
    }
}
