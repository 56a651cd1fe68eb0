//! The demo's months, replayed through the use cases in the order a utility lives them:
//! the meter readers' walk and the readings subscribers phone in or submit, payments at
//! the cash desk, by bank statement and in the post office's batch, the events of the
//! month (a family grows, a meter goes for verification, a new meter, a restructuring),
//! then the calculation and the closing. Each step is dated inside its month.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::payments::Split;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use super::calendar::{CLOSED, Calendar, mix};
use super::setup::{FlatIds, World, apartment_meter};
use super::spec::{Flat, Kit, Payer, Spec, Story};
use acts::data_update::ActSubsidy;
use acts::model::{ActKind, ActStatus, BasisDocument};
use acts::store::ActInput;
use backend::audit::{self, Actor, Change};
use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use backend::tenancy;
use billing::{closing, run};
use metering::meters;
use metering::readings::{self, ReadingBasis, ReadingInput, ReadingSource};
use payments::{batches, entry};
use platform::sql::stmt;
use registry::subscribers;
use registry::subsidies;
use registry::{debt_cases, restructurings};

/// Who does what in the demo's history.
pub struct Cast {
    pub admin: Actor,
    pub operator: Actor,
    pub accountant: Actor,
    pub controller: Actor,
    pub portal: Actor,
}

/// One step of the history: a tenant transaction.
pub struct Ctx<'a> {
    pub state: &'a backend::state::AppState,
    pub tenant: &'a domain::TenantSlug,
    pub spec: &'a Spec,
    pub cal: &'a Calendar,
    pub world: &'a World,
    pub cast: &'a Cast,
}

impl Ctx<'_> {
    pub async fn begin(&self) -> AppResult<DatabaseTransaction> {
        tenancy::begin(&self.state.db, self.tenant).await
    }

    fn flats(&self) -> impl Iterator<Item = (&Flat, &FlatIds)> {
        self.spec.flats.iter().zip(&self.world.flats)
    }
}

/// People living in the flat in month `i` (0..=CLOSED, the last being the open month).
fn persons(f: &Flat, i: usize) -> i64 {
    let mut n = 1 + i64::try_from(f.family.len()).unwrap_or(0);
    if f.story.iter().any(|s| matches!(s, Story::MovesIn(_))) && i >= 1 {
        n += 1;
    }
    if f.story.contains(&Story::MovesOut) && i >= 2 {
        n -= 1;
    }
    n.max(1)
}

/// Whole cubic metres used in month `i`: per person, with the month's swing and a little
/// noise, at least one.
fn used(key: &str, per_person: Decimal, persons: i64, i: usize) -> Decimal {
    let swing = [100, 94, 106, 101][i % 4];
    let noise = i64::try_from(mix(key, 30 + i as u64) % 3).unwrap_or(1) - 1;
    let v = (per_person * Decimal::from(persons * swing) / Decimal::from(100)).round()
        + Decimal::from(noise);
    v.max(Decimal::ONE)
}

/// Runs the whole history: three closed months, then the open one so far.
pub async fn replay(ctx: &Ctx<'_>) -> AppResult<()> {
    for (i, month) in ctx.cal.closed().into_iter().enumerate() {
        events(ctx, i, month).await?;
        readings_of(ctx, i, month).await?;
        payments_of(ctx, i, month).await?;
        calculate(ctx, month, ctx.cal.at(ctx.cal.day(month, 31), 16)).await?;
        close(ctx, month).await?;
    }
    let open = ctx.cal.open;
    events(ctx, CLOSED, open).await?;
    readings_of(ctx, CLOSED, open).await?;
    payments_of(ctx, CLOSED, open).await?;
    Ok(())
}

/// What happens in month `i` besides readings and payments.
async fn events(ctx: &Ctx<'_>, i: usize, month: Period) -> AppResult<()> {
    let (cal, cast) = (ctx.cal, ctx.cast);
    let txn = ctx.begin().await?;
    // The executor of the demo's acts (the chief accountant of the employees book).
    #[derive(FromQueryResult)]
    struct Employee {
        id: i32,
    }
    let employee =
        Employee::find_by_statement(stmt("SELECT id FROM employees WHERE code = 'e01'", vec![]))
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::Internal("the demo's employee e01 is missing".into()))?
            .id;
    if i == CLOSED {
        // Sewerage was not provided in the first house on the 10th–12th of the last closed
        // month (a collector broke): a recalculation act over the house, approved.
        let last = cal.closed()[CLOSED - 1];
        if let Some((_, first)) = ctx.flats().next() {
            let act = acts::store::create(
                &txn,
                &cast.accountant,
                cal.at(cal.day(month, 2), 10),
                &ActInput {
                    building_id: Some(first.building),
                    service_id: Some(ctx.world.service("vv")?),
                    from: Some(cal.day(last, 10)),
                    to: Some(cal.day(last, 12)),
                    basis_document: Some(BasisDocument::Interruption),
                    executor_id: Some(employee),
                    act_date: Some(cal.day(month, 2)),
                    comment: Some(ctx.spec.words.recalculation_comment.into()),
                    ..ActInput::of(ActKind::Recalculation)
                },
                false,
            )
            .await?;
            acts::store::set_status(
                &txn,
                &cast.accountant,
                cal.at(cal.day(month, 2), 11),
                vec![act],
                ActStatus::Approved,
            )
            .await?;
        }
    }
    for (f, ids) in ctx.flats() {
        for s in f.story {
            match (s, i) {
                // The social office's subsidies arrive monthly.
                (Story::Subsidy(amount), _) if i >= 1 => {
                    subsidies::set_subsidy(
                        &txn,
                        &cast.operator,
                        cal.at(cal.day(month, 5), 9),
                        ids.account,
                        ctx.world.service("opal")?,
                        &month.to_string(),
                        amount,
                    )
                    .await?;
                }
                (Story::MovesIn(name), 1) => {
                    let day = cal.day(month, 15);
                    subscribers::add_resident(
                        &txn,
                        &cast.operator,
                        cal.at(day, 11),
                        ids.account,
                        &subscribers::ResidentInput {
                            full_name: (*name).into(),
                            birth_date: Some(day),
                            registered_from: Some(day),
                            registered_to: None,
                            living_from: Some(day),
                            living_to: None,
                        },
                    )
                    .await?;
                }
                (Story::MovesOut, 2) => {
                    let (Some(name), Some(id)) = (f.family.last(), ids.family.last()) else {
                        continue;
                    };
                    let day = cal.day(month, 10);
                    let opened = NaiveDate::from_ymd_opt(2008, 1, 1);
                    let r = subscribers::residents(&txn, ids.account)
                        .await?
                        .into_iter()
                        .find(|r| r.id == *id)
                        .ok_or_else(|| AppError::Internal("demo resident vanished".into()))?;
                    subscribers::update_resident(
                        &txn,
                        &cast.operator,
                        cal.at(day, 12),
                        *id,
                        &subscribers::ResidentInput {
                            full_name: (*name).into(),
                            birth_date: r.birth_date,
                            registered_from: r.registered_from.or(opened),
                            registered_to: Some(day),
                            living_from: r.living_from.or(opened),
                            living_to: Some(day),
                        },
                    )
                    .await?;
                }
                (Story::Restructuring(number), 1) => {
                    restructurings::add(
                        &txn,
                        &cast.accountant,
                        cal.at(cal.day(month, 6), 10),
                        ids.account,
                        &restructurings::RestructuringInput {
                            number: (*number).into(),
                            signed_on: cal.day(month, 6),
                            debt: f.taken_over.into(),
                            months: 12,
                            first_period: month.next().to_string(),
                        },
                    )
                    .await?;
                    // The debt collection that led to it: a notice, then the agreement.
                    for (day, status, comment) in [
                        (
                            2,
                            debt_cases::DebtStatus::NoticeSent,
                            "Попередження про борг",
                        ),
                        (6, debt_cases::DebtStatus::Agreement, *number),
                    ] {
                        debt_cases::add(
                            &txn,
                            &cast.accountant,
                            cal.at(cal.day(month, day), 11),
                            ids.account,
                            &debt_cases::DebtCaseInput {
                                status,
                                since: cal.day(month, day),
                                comment: comment.into(),
                            },
                        )
                        .await?;
                    }
                }
                (Story::MeterInstalled, 2) => {
                    let day = cal.day(month, 12);
                    let house = ctx.world.houses[f.house].1;
                    let id = apartment_meter(
                        &txn,
                        ctx.spec,
                        ctx.world,
                        &cast.controller,
                        cal.at(day, 10),
                        (ids.building, ids.premises),
                        f,
                        false,
                        Some(day),
                    )
                    .await?;
                    if let Some(main) = house {
                        metering::meter_hierarchy::assign(
                            &txn,
                            &cast.controller,
                            cal.at(day, 10),
                            &Reach::default(),
                            main,
                            &[id],
                        )
                        .await?;
                    }
                }
                (Story::Storno(amount), CLOSED) => {
                    let day = cal.day(month, 3);
                    let storno = |service_id, amount: &str| ActInput {
                        account_id: Some(ids.account),
                        service_id,
                        amount: amount.into(),
                        executor_id: Some(employee),
                        act_date: Some(day),
                        comment: Some(ctx.spec.words.storno_comment.into()),
                        ..ActInput::of(ActKind::Storno)
                    };
                    let at = cal.at(day, 11);
                    let act = acts::store::create(
                        &txn,
                        &cast.accountant,
                        at,
                        &storno(None, amount),
                        false,
                    )
                    .await?;
                    acts::store::set_status(
                        &txn,
                        &cast.accountant,
                        at,
                        vec![act],
                        ActStatus::Approved,
                    )
                    .await?;
                    let xvs = Some(ctx.world.service("xvs")?);
                    acts::store::create(&txn, &cast.accountant, at, &storno(xvs, "50.00"), false)
                        .await?;
                }
                (Story::LateSubsidy(amount), CLOSED) => {
                    let last = cal.closed()[CLOSED - 1];
                    let day = cal.day(month, 5);
                    let news = ActInput {
                        account_id: Some(ids.account),
                        from: Some(last.first_day()),
                        to: Some(last.last_day()),
                        basis_document: Some(BasisDocument::Memo),
                        executor_id: Some(employee),
                        act_date: Some(day),
                        comment: Some(ctx.spec.words.late_subsidy_comment.into()),
                        subsidies: vec![ActSubsidy {
                            account_id: ids.account,
                            service_id: ctx.world.service("xvs")?,
                            period: last.to_string(),
                            amount: (*amount).into(),
                        }],
                        ..ActInput::of(ActKind::DataUpdate)
                    };
                    let act =
                        acts::store::create(&txn, &cast.accountant, cal.at(day, 10), &news, false)
                            .await?;
                    acts::store::set_status(
                        &txn,
                        &cast.accountant,
                        cal.at(day, 11),
                        vec![act],
                        ActStatus::Approved,
                    )
                    .await?;
                }
                (Story::ReadingSlip, CLOSED) => {
                    let [.., second, last] = cal.closed();
                    let cold = working_meters(&txn, ids, second).await?;
                    let Some((meter, _)) = cold.iter().find(|(_, hot)| !hot) else {
                        continue;
                    };
                    let Some(this) = readings::in_period(&txn, *meter, second).await? else {
                        continue;
                    };
                    // Halfway to the next reading: a value the dial and the next month allow.
                    let value = match readings::in_period(&txn, *meter, last).await? {
                        Some(next) => ((this.current + next.current) / Decimal::TWO).round_dp(3),
                        None => this.current + Decimal::ONE,
                    };
                    if value == this.current {
                        continue;
                    }
                    let day = cal.day(month, 6);
                    let slip = ActInput {
                        account_id: Some(ids.account),
                        meter_id: Some(*meter),
                        reading_period: Some(second.to_string()),
                        reading_value: Some(value.normalize().to_string()),
                        executor_id: Some(employee),
                        act_date: Some(day),
                        comment: Some(ctx.spec.words.reading_slip_comment.into()),
                        ..ActInput::of(ActKind::ReadingCorrection)
                    };
                    acts::store::create(&txn, &cast.accountant, cal.at(day, 10), &slip, false)
                        .await?;
                }
                (Story::ClosedKeepingDebt, CLOSED) => {
                    // The owner sold the flat and left owing: the account is closed on the
                    // 3rd, the debt staying on it for collection.
                    let day = cal.day(month, 3);
                    let close = registry::account_lifecycle::AccountStatusInput {
                        status: registry::account_lifecycle::AccountStatus::Closed,
                        closed_on: Some(day),
                        keep_balance: true,
                    };
                    // Boxed: the month's events are one deep future already.
                    Box::pin(registry::account_lifecycle::set_status(
                        &txn,
                        &cast.operator,
                        cal.at(day, 12),
                        &Reach::default(),
                        &[ids.account],
                        &close,
                    ))
                    .await?;
                }
                (Story::Fine(amount), CLOSED) => {
                    let day = cal.day(month, 4);
                    let fine = ActInput {
                        account_id: Some(ids.account),
                        service_id: Some(ctx.world.service("fine")?),
                        amount: (*amount).into(),
                        executor_id: Some(employee),
                        act_date: Some(day),
                        comment: Some(ctx.spec.words.fine_comment.into()),
                        ..ActInput::of(ActKind::Fine)
                    };
                    acts::store::create(&txn, &cast.operator, cal.at(day, 14), &fine, true).await?;
                }
                _ => {}
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct MeterId {
    id: i64,
}

/// The flat's working meters in month `i`, with whether each is hot.
async fn working_meters(
    txn: &DatabaseTransaction,
    ids: &FlatIds,
    month: Period,
) -> AppResult<Vec<(i64, bool)>> {
    let cold = MeterId::find_by_statement(stmt(
        "SELECT id FROM meters WHERE premises_id = $1 AND id <> coalesce($2, 0) \
           AND (removed_on IS NULL OR removed_on >= $3) AND installed_on <= $4 ORDER BY id",
        vec![
            ids.premises.into(),
            ids.hot.into(),
            month.first_day().into(),
            month.last_day().into(),
        ],
    ))
    .all(txn)
    .await?;
    let mut out: Vec<(i64, bool)> = cold.into_iter().map(|m| (m.id, false)).collect();
    if let Some(h) = ids.hot {
        out.push((h, true));
    }
    Ok(out)
}

/// The readings of month `i`: the walk of the meter reader (the first month, the house
/// meters), what subscribers phone in or submit in the portal, what the operator types
/// from the notes left in letterboxes. In the open month only some are in so far.
async fn readings_of(ctx: &Ctx<'_>, i: usize, month: Period) -> AppResult<()> {
    let (cal, cast) = (ctx.cal, ctx.cast);
    let open = i == CLOSED;
    let txn = ctx.begin().await?;
    let mut by_house: Vec<Decimal> = vec![Decimal::ZERO; ctx.spec.houses.len()];
    let mut by_riser = Decimal::ZERO;
    for (f, ids) in ctx.flats() {
        let persons = persons(f, i);
        let silent = f.story.contains(&Story::SilentLastMonth) && i == CLOSED - 1;
        let skipped_now = open
            && !f.story.contains(&Story::MeterInstalled)
            && mix(f.account, 31).is_multiple_of(3);
        let mut cold_read = Decimal::ZERO;
        let meters_now = if f.kit == Kit::None {
            Vec::new()
        } else {
            working_meters(&txn, ids, month).await?
        };
        // A meter installed this month has no reading yet (the norm applies).
        let new_meter = f.story.contains(&Story::MeterInstalled) && i == CLOSED - 1;
        for (meter, hot) in &meters_now {
            // A slip of the finger in the portal: far above the usual, so it is held for
            // the office's review instead of being charged.
            if open && !hot && f.story.contains(&Story::HeldReading) {
                let q = used(
                    &format!("{}{hot}", f.account),
                    Decimal::new(29, 1),
                    persons,
                    i,
                );
                readings::enter(
                    &txn,
                    &cast.portal,
                    cal.at(cal.day(month, 1), 9),
                    &Reach::default(),
                    &ReadingInput {
                        meter_id: *meter,
                        period: Some(month.to_string()),
                        taken_on: None,
                        current: None,
                        consumption: Some((q * Decimal::from(30)).to_string()),
                        basis: ReadingBasis::Actual,
                        source: ReadingSource::Portal,
                        confirmed: false,
                    },
                )
                .await?;
                continue;
            }
            if silent || skipped_now || new_meter {
                continue;
            }
            let per_person = if *hot {
                Decimal::new(15, 1)
            } else {
                Decimal::new(29, 1)
            };
            let q = used(&format!("{}{hot}", f.account), per_person, persons, i);
            if !hot {
                cold_read += q;
            }
            let portal = f.story.contains(&Story::Portal) && i >= 1;
            let (source, actor) = if portal {
                (ReadingSource::Portal, &cast.portal)
            } else if i == 0 || mix(f.account, 40 + i as u64).is_multiple_of(3) {
                (ReadingSource::Controller, &cast.controller)
            } else if mix(f.account, 50 + i as u64).is_multiple_of(2) {
                (ReadingSource::Subscriber, &cast.operator)
            } else {
                (ReadingSource::Operator, &cast.operator)
            };
            let day = cal.day(
                month,
                20 + u32::try_from(mix(f.account, 60) % 6).unwrap_or(0),
            );
            readings::enter(
                &txn,
                actor,
                cal.at(day, 10),
                &Reach::default(),
                &ReadingInput {
                    meter_id: *meter,
                    period: Some(month.to_string()),
                    taken_on: Some(day),
                    current: None,
                    consumption: Some(q.to_string()),
                    basis: ReadingBasis::Actual,
                    source,
                    // Generated months, not typed: nothing to confirm.
                    confirmed: true,
                },
            )
            .await?;
            // The meter goes for verification after its last reading of the second month.
            if f.story.contains(&Story::MeterRemoved) && i == 1 && !hot {
                let last = readings::in_period(&txn, *meter, month)
                    .await?
                    .ok_or_else(|| AppError::Internal("demo reading vanished".into()))?;
                meters::set_removed(
                    &txn,
                    &cast.controller,
                    cal.at(month.last_day(), 15),
                    &Reach::default(),
                    *meter,
                    Some((month.last_day(), &last.current.to_string())),
                )
                .await?;
            }
        }
        // What the house meter sees of this flat: its meter, else about the norm.
        let seen = if cold_read.is_zero() {
            Decimal::from(5 * persons)
        } else {
            cold_read
        };
        by_house[f.house] += seen;
        if ctx.spec.riser_house == Some(f.house) && f.riser() == 1 {
            by_riser += seen;
        }
    }
    // The meter reader reads the house meters and the company's at the month's end.
    if !open {
        let day = cal.day(month, 26);
        let houses = ctx
            .world
            .houses
            .iter()
            .enumerate()
            .filter_map(|(k, (_, m))| {
                m.map(|m| {
                    (
                        m,
                        (by_house[k] * Decimal::new(106, 2)).round() + Decimal::TWO,
                    )
                })
            });
        let points = ctx
            .spec
            .company
            .points
            .iter()
            .zip(&ctx.world.company_meters);
        let points = points.map(|(p, m)| (*m, used(p.serial, Decimal::from(p.monthly), 1, i)));
        // The riser's main sees its apartments and a little more (leaks, the stairwell).
        let riser = ctx
            .world
            .riser_meter
            .map(|m| (m, (by_riser * Decimal::new(103, 2)).round() + Decimal::ONE));
        for (meter, q) in houses.chain(riser).chain(points).collect::<Vec<_>>() {
            enter_consumption(&txn, &cast.controller, cal.at(day, 9), meter, month, day, q).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

async fn enter_consumption(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    meter: i64,
    month: Period,
    day: NaiveDate,
    q: Decimal,
) -> AppResult<()> {
    readings::enter(
        txn,
        actor,
        now,
        &Reach::default(),
        &ReadingInput {
            meter_id: meter,
            period: Some(month.to_string()),
            taken_on: Some(day),
            current: None,
            consumption: Some(q.to_string()),
            basis: ReadingBasis::Actual,
            source: ReadingSource::Controller,
            confirmed: true,
        },
    )
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Bill {
    closing: Decimal,
    current: Decimal,
}

/// What the account's invoice of `period` asks, and its own charges of that month.
async fn bill(txn: &DatabaseTransaction, account: i64, period: Period) -> AppResult<Option<Bill>> {
    Ok(Bill::find_by_statement(stmt(
        "SELECT closing, charged + recalculation - benefit - subsidy AS current FROM invoices \
         WHERE account_id = $1 AND period = $2",
        vec![account.into(), period.first_day().into()],
    ))
    .one(txn)
    .await?)
}

/// How a household pays: by cash at the desk, by bank transfer, or at the post office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Cash,
    Bank,
    Post,
}

pub fn channel(f: &Flat) -> Channel {
    match mix(f.account, 41) % 3 {
        0 => Channel::Cash,
        1 => Channel::Bank,
        _ => Channel::Post,
    }
}

/// What a household pays in month `i` against what it was asked.
fn amount(f: &Flat, i: usize, due: Decimal, current: Decimal) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    match f.payer {
        Payer::Prompt => due,
        Payer::Late if i % 2 == 1 => due,
        Payer::Late => Decimal::ZERO,
        Payer::Partial => {
            let fifty = Decimal::from(50);
            ((due * Decimal::new(6, 1)) / fifty).floor() * fifty
        }
        Payer::Advance => ((due / hundred).ceil() + Decimal::ONE) * hundred,
        Payer::Debtor => {
            // Under a restructuring agreement: this month's charges and an instalment.
            let agreement = f.story.iter().any(|s| matches!(s, Story::Restructuring(_)));
            if agreement && i >= 2 {
                let debt: Decimal = f.taken_over.parse().unwrap_or_default();
                current.max(Decimal::ZERO) + (debt / Decimal::from(12)).floor()
            } else {
                Decimal::ZERO
            }
        }
    }
}

/// One payment the month brings.
pub struct Due {
    pub account: String,
    pub account_id: i64,
    pub payer: String,
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    pub channel: Channel,
}

/// The payments of month `i` for the month before: each household's by its habit and
/// channel; the company pays by bank. In the open month, about half have paid so far.
async fn payments_of(ctx: &Ctx<'_>, i: usize, month: Period) -> AppResult<()> {
    let cal = ctx.cal;
    let charge = month.prev();
    let txn = ctx.begin().await?;
    let mut dues = Vec::new();
    for (f, ids) in ctx.flats() {
        let (due, current) = match bill(&txn, ids.account, charge).await? {
            Some(b) => (b.closing, b.current),
            None => {
                let t: Decimal = f.taken_over.parse().unwrap_or_default();
                (t, t)
            }
        };
        if i == CLOSED && mix(f.account, 70) % 2 == 1 {
            continue;
        }
        let a = amount(f, i, due, current).round_dp(2);
        if a <= Decimal::ZERO {
            continue;
        }
        dues.push(Due {
            account: f.account.into(),
            account_id: ids.account,
            payer: f.holder.join(" "),
            amount: a,
            paid_on: cal.day(
                month,
                3 + u32::try_from(mix(f.account, 80 + i as u64) % 14).unwrap_or(0),
            ),
            channel: channel(f),
        });
    }
    if let Some(b) = bill(&txn, ctx.world.company_account, charge).await?
        && b.closing > Decimal::ZERO
    {
        dues.push(Due {
            account: ctx.spec.company.account.into(),
            account_id: ctx.world.company_account,
            payer: ctx.spec.company.name.into(),
            amount: b.closing,
            paid_on: cal.day(month, 8),
            channel: Channel::Bank,
        });
    }
    let (rules, split) = entry::rules(&txn).await?;
    let open = i == CLOSED;
    for d in dues
        .iter()
        .filter(|d| d.channel == Channel::Cash || (d.channel == Channel::Bank && !open))
    {
        let bank = d.channel == Channel::Bank;
        let received = if bank {
            (d.paid_on + chrono::Days::new(1))
                .min(month.last_day())
                .min(cal.today())
        } else {
            d.paid_on
        };
        entry::write(
            &txn,
            &ctx.cast.operator,
            cal.at(received, 12),
            (rules, &split),
            entry::NewPayment {
                account_id: d.account_id,
                charge_period: charge,
                amount: d.amount,
                kind: if bank {
                    entry::Kind::Bank
                } else {
                    entry::Kind::CashDesk
                },
                bank_id: bank.then(|| ctx.world.bank(ctx.spec.banks.0)).transpose()?,
                statement: bank.then(|| {
                    format!(
                        "{} № {}",
                        ctx.spec.words.bank_statement,
                        100 + mix(&d.account, 90 + i as u64) % 800
                    )
                }),
                paid_on: d.paid_on,
                received_on: received,
                split: None::<Split>,
                batch_id: None,
                file: None,
                source_key: None,
            },
        )
        .await?;
    }
    txn.commit().await?;
    let post: Vec<&Due> = dues.iter().filter(|d| d.channel == Channel::Post).collect();
    batch(ctx, i, month, &post).await?;
    if open {
        let bank: Vec<&Due> = dues.iter().filter(|d| d.channel == Channel::Bank).collect();
        super::bank_file::upload_and_post(ctx, month, &bank).await?;
        super::import_file::post_rates(ctx, month).await?;
        super::import_file::check_residents(ctx, month, &bank).await?;
    }
    Ok(())
}

/// The post office's batch of the month: posted in a closed month, still a draft (being
/// checked against its control sum) in the open one.
async fn batch(ctx: &Ctx<'_>, i: usize, month: Period, rows: &[&Due]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let cal = ctx.cal;
    let day = rows
        .iter()
        .map(|d| d.paid_on)
        .max()
        .unwrap_or(month.first_day());
    let now = cal.at(day, 15);
    let sum: Decimal = rows.iter().map(|d| d.amount).sum();
    let txn = ctx.begin().await?;
    let id = batches::create(
        &txn,
        &ctx.cast.operator,
        now,
        &batches::BatchInput {
            number: format!("{}/{:02}", 40 + i, month.month()),
            batch_date: day,
            kind: entry::Kind::Bank,
            bank_id: Some(ctx.world.bank(ctx.spec.banks.1)?),
            control_count: i32::try_from(rows.len()).unwrap_or(i32::MAX),
            control_sum: sum.to_string(),
            comment: Some(ctx.spec.words.batch_comment.into()),
        },
    )
    .await?;
    let items: Vec<batches::BatchItemInput> = rows
        .iter()
        .map(|d| batches::BatchItemInput {
            account_number: d.account.clone(),
            charge_period: None,
            amount: d.amount.to_string(),
            paid_on: d.paid_on,
        })
        .collect();
    batches::set_items(&txn, &ctx.cast.operator, now, &Reach::default(), id, &items).await?;
    if i < CLOSED {
        batches::post(&txn, &ctx.cast.accountant, now, id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The month's calculation for the whole tenant, as the calculation job runs it.
pub async fn calculate(ctx: &Ctx<'_>, month: Period, now: DateTime<Utc>) -> AppResult<()> {
    let summary = run::calculate(
        &ctx.state.db,
        ctx.tenant,
        month,
        run::Scope::Tenant,
        &Reach::default(),
        None,
        now,
        |_, _, _| async { Ok(()) },
    )
    .await?;
    if let Some(e) = summary.errors.first() {
        return Err(AppError::Internal(format!(
            "the demo's calculation of {month} refused account {}: {}",
            e.number, e.reason
        )));
    }
    let txn = ctx.begin().await?;
    audit::record(
        &txn,
        &ctx.cast.accountant,
        now,
        Change {
            entity: "calculation",
            entity_id: format!("demo-{month}"),
            action: "calculate",
            before: None,
            after: Some(json!({
                "period": month.to_string(), "scope": "tenant", "accounts": summary.accounts,
                "invoices": summary.invoices, "errors": summary.error_count,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn close(ctx: &Ctx<'_>, month: Period) -> AppResult<()> {
    let txn = ctx.begin().await?;
    closing::close(
        &txn,
        &ctx.cast.accountant,
        ctx.cal.at(month.next().first_day(), 7),
        month,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Renders the invoices of `month` as the "render PDFs" button does: the job, run here.
pub async fn render(ctx: &Ctx<'_>, month: Period) -> AppResult<()> {
    use backend::jobs::{self, JobKind, runner};
    use documents::jobs::invoice_pdf::InvoicePdf;
    let spec = JobKind::InvoicePdf(InvoicePdf {
        period: month.to_string(),
        scope: run::Scope::Tenant,
        reach: Reach::default(),
        login: ctx.cast.accountant.login.clone(),
    });
    let txn = ctx.begin().await?;
    let all = Reach::default();
    let owner = Some((&ctx.cast.accountant, jobs::stored_reach(&all)?));
    let (_, msg) = jobs::record_as(&txn, ctx.tenant, &spec, ctx.cal.now, owner).await?;
    txn.commit().await?;
    match runner::execute(ctx.state, &msg).await? {
        runner::Outcome::Done => Ok(()),
        other => Err(AppError::Internal(format!(
            "the demo's invoices of {month} were not rendered: {other:?}"
        ))),
    }
}

#[derive(FromQueryResult)]
struct Debtor {
    number: String,
}

/// Claim letters to the three largest debtors of `month`, printed as the debtors report's
/// «Claim letters» does: the job, run here; each records the debtor's "notice sent".
pub async fn claim_letters(ctx: &Ctx<'_>, month: Period) -> AppResult<()> {
    use backend::jobs::{self, JobKind, runner};
    use reports::claims::{ClaimDelivery, ClaimLetters, ClaimLettersInput};
    let txn = ctx.begin().await?;
    let largest: Vec<String> = Debtor::find_by_statement(stmt(
        "SELECT a.number FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
         WHERE l.period = $1 GROUP BY a.number HAVING sum(l.closing) > 0 \
         ORDER BY sum(l.closing) DESC, a.number LIMIT 3",
        vec![month.first_day().into()],
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|d| d.number)
    .collect();
    let run = ClaimLetters::of(
        ClaimLettersInput {
            period: month.to_string(),
            branch_id: None,
            building_id: None,
            min_debt: None,
            accounts: Some(largest),
            delivery: ClaimDelivery::Print,
        },
        Reach::default(),
        ctx.cast.accountant.clone(),
    )?;
    let all = Reach::default();
    let owner = Some((&ctx.cast.accountant, jobs::stored_reach(&all)?));
    let (_, msg) = jobs::record_as(
        &txn,
        ctx.tenant,
        &JobKind::ClaimLetters(run),
        ctx.cal.now,
        owner,
    )
    .await?;
    txn.commit().await?;
    match runner::execute(ctx.state, &msg).await? {
        runner::Outcome::Done => Ok(()),
        other => Err(AppError::Internal(format!(
            "the demo's claim letters of {month} were not formed: {other:?}"
        ))),
    }
}
