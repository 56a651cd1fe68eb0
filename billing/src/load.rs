//! Reading one chunk's inputs in bulk: a fixed number of queries per chunk of buildings
//! (accounts, residents, services, meters with readings and history, house meters,
//! beneficiaries, subsidies, earlier invoice lines, take-over balances, payments),
//! assembled into the engine's `BuildingInput`s. No query per account.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use domain::Period;
use domain::billing::{
    AccountInput, ActAmount, BenefitInput, BuildingInput, BuildingMeter, LateCharge, MainPlace,
    MeterInput, PaymentInput, PeriodReading, ServiceInput, Stay, floor_coefficient, paid_late,
};
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::Catalog;
use platform::error::AppResult;
use platform::sql::stmt;

/// How far back earlier invoices and readings are read (debt age, averages).
const HISTORY_MONTHS: u32 = 12;

#[derive(FromQueryResult)]
struct AccountRow {
    id: i64,
    building_id: i32,
    premises_id: i64,
    no_penalty: bool,
    /// An active restructuring agreement has an instalment in the period.
    under_agreement: bool,
    price_list_id: Option<i32>,
    /// The price list "after the due day" (the premises', else the building's).
    late_price_list_id: Option<i32>,
    total_area: Decimal,
    heated_area: Decimal,
    riser: Option<i32>,
    entrance: Option<i32>,
    floors: Option<i32>,
}

#[derive(FromQueryResult)]
struct StayRow {
    account_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

#[derive(FromQueryResult)]
struct ServiceRow {
    account_id: i64,
    service_id: i32,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    quantity: Option<Decimal>,
}

#[derive(FromQueryResult)]
struct MeterRow {
    id: i64,
    account_id: i64,
    service_id: i32,
    installed_on: NaiveDate,
    removed_on: Option<NaiveDate>,
    previous: Option<Decimal>,
    current: Option<Decimal>,
    consumption: Option<Decimal>,
    parent_id: Option<i64>,
}

#[derive(FromQueryResult)]
struct HistoryRow {
    meter_id: i64,
    period: NaiveDate,
    consumption: Decimal,
}

#[derive(FromQueryResult)]
struct HouseMeterRow {
    id: i64,
    building_id: i32,
    service_id: i32,
    consumption: Option<Decimal>,
    serial: String,
    install_method: String,
    riser: Option<i32>,
    entrance: Option<i32>,
    installed_on: NaiveDate,
    removed_on: Option<NaiveDate>,
}

#[derive(FromQueryResult)]
struct CoveredRow {
    beneficiary_id: i64,
    account_id: i64,
    benefit_id: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

#[derive(FromQueryResult)]
struct AmountRow {
    account_id: i64,
    service_id: i32,
    amount: Decimal,
}

#[derive(FromQueryResult)]
struct ActRow {
    account_id: i64,
    service_id: i32,
    number: i64,
    amount: Decimal,
}

#[derive(FromQueryResult)]
struct LineRow {
    account_id: i64,
    period: NaiveDate,
    service_id: i32,
    net: Decimal,
    closing: Decimal,
}

#[derive(FromQueryResult)]
struct PaymentRow {
    account_id: i64,
    paid_on: NaiveDate,
    amount: Decimal,
    service_id: Option<i32>,
}

/// The accounts of `buildings` billed in the period, grouped by building (in the order
/// of `buildings`), ready for the engine.
pub async fn chunk(
    txn: &DatabaseTransaction,
    cat: &Catalog,
    buildings: &[i32],
) -> AppResult<Vec<BuildingInput>> {
    let first = cat.period.first_day();
    let last = cat.period.last_day();
    let since = first
        .checked_sub_months(Months::new(HISTORY_MONTHS))
        .unwrap_or(first);
    let accounts = AccountRow::find_by_statement(stmt(
        "SELECT a.id, p.building_id, p.id AS premises_id, a.no_penalty, p.riser, p.entrance, b.floors, \
                EXISTS (SELECT 1 FROM restructurings r WHERE r.account_id = a.id AND r.status = 'active' \
                        AND r.first_period <= $3 \
                        AND r.first_period + make_interval(months => r.months) > $2) AS under_agreement, \
                coalesce(p.price_list_id, b.price_list_id) AS price_list_id, \
                coalesce(p.late_price_list_id, b.late_price_list_id) AS late_price_list_id, \
                coalesce(ar.total_area, 0) AS total_area, \
                coalesce(ar.heated_area, ar.total_area, 0) AS heated_area \
         FROM accounts a JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id \
         LEFT JOIN LATERAL (SELECT x.total_area, x.heated_area FROM premises_areas x \
                            WHERE x.premises_id = p.id AND x.valid_from <= $3 \
                            ORDER BY x.valid_from DESC LIMIT 1) ar ON true \
         WHERE p.building_id = ANY($1) AND a.status IN ('approved', 'suspended', 'closed') \
           AND (a.closed_on IS NULL OR a.closed_on >= $2) AND (a.opened_on IS NULL OR a.opened_on <= $3) \
         ORDER BY p.building_id, a.id",
        vec![buildings.to_vec().into(), first.into(), last.into()],
    ))
    .all(txn)
    .await?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    let premises: Vec<i64> = accounts.iter().map(|a| a.premises_id).collect();

    // Each resident's current period and the earlier ones a re-registration kept
    // (`resident_periods`): a month recalculated later sees whoever lived there then.
    let residents_sql = if cat.living {
        "SELECT account_id, coalesce(living_from, registered_from) AS \"from\", \
                CASE WHEN living_from IS NULL THEN registered_to ELSE living_to END AS \"to\" \
         FROM residents WHERE account_id = ANY($1) \
         UNION ALL \
         SELECT r.account_id, coalesce(p.living_from, p.registered_from), \
                CASE WHEN p.living_from IS NULL THEN p.registered_to ELSE p.living_to END \
         FROM resident_periods p JOIN residents r ON r.id = p.resident_id WHERE r.account_id = ANY($1)"
    } else {
        "SELECT account_id, registered_from AS \"from\", registered_to AS \"to\" \
         FROM residents WHERE account_id = ANY($1) AND registered_from IS NOT NULL \
         UNION ALL \
         SELECT r.account_id, p.registered_from, p.registered_to \
         FROM resident_periods p JOIN residents r ON r.id = p.resident_id \
         WHERE r.account_id = ANY($1) AND p.registered_from IS NOT NULL"
    };
    let residents = StayRow::find_by_statement(stmt(residents_sql, vec![ids.clone().into()]))
        .all(txn)
        .await?;
    let services = ServiceRow::find_by_statement(stmt(
        "SELECT account_id, service_id, starts_on, ends_on, quantity FROM account_services \
         WHERE account_id = ANY($1) AND starts_on <= $3 AND (ends_on IS NULL OR ends_on >= $2) \
         ORDER BY account_id, service_id, starts_on",
        vec![ids.clone().into(), first.into(), last.into()],
    ))
    .all(txn)
    .await?;
    // Apartment meters: the account's own, or the premises' when none names an account.
    // Readings are looked up per meter (LATERAL): a join lets the planner, misled by
    // statistics taken before the month's readings came in, scan the whole period.
    let meters = MeterRow::find_by_statement(stmt(
        "SELECT m.id, m.account_id, m.service_id, m.installed_on, m.removed_on, \
                r.previous, r.current, r.consumption, m.parent_id \
         FROM meters m LEFT JOIN LATERAL (SELECT x.previous, x.current, x.consumption FROM readings x WHERE x.meter_id = m.id AND x.period = $2) r ON true \
         WHERE m.account_id = ANY($1) AND m.install_method = 'apartment' AND m.installed_on <= $4 \
         UNION ALL \
         SELECT m.id, a.id, m.service_id, m.installed_on, m.removed_on, r.previous, r.current, r.consumption, m.parent_id \
         FROM meters m JOIN accounts a ON a.premises_id = m.premises_id \
         LEFT JOIN LATERAL (SELECT x.previous, x.current, x.consumption FROM readings x WHERE x.meter_id = m.id AND x.period = $2) r ON true \
         WHERE m.account_id IS NULL AND m.premises_id = ANY($3) AND a.id = ANY($1) \
           AND m.install_method = 'apartment' AND m.installed_on <= $4",
        vec![ids.clone().into(), first.into(), premises.into(), last.into()],
    ))
    .all(txn)
    .await?;
    // History only where it can matter: meters without this period's reading (СМ, СС) or
    // with a zero one (which may take the previous period's).
    let meter_ids: Vec<i64> = meters
        .iter()
        .filter(|m| m.consumption.is_none_or(|c| c.is_zero()))
        .map(|m| m.id)
        .collect();
    let history = HistoryRow::find_by_statement(stmt(
        "SELECT meter_id, period, consumption FROM readings \
         WHERE meter_id = ANY($1) AND period < $2 AND period >= $3 AND basis = 'actual' \
         ORDER BY meter_id, period DESC",
        vec![meter_ids.into(), first.into(), since.into()],
    ))
    .all(txn)
    .await?;
    let house = HouseMeterRow::find_by_statement(stmt(
        "SELECT m.id, m.building_id, m.service_id, r.consumption, m.serial, m.install_method, m.riser, \
                m.entrance, m.installed_on, m.removed_on FROM meters m \
         LEFT JOIN LATERAL (SELECT x.previous, x.current, x.consumption FROM readings x WHERE x.meter_id = m.id AND x.period = $2) r ON true \
         WHERE m.building_id = ANY($1) AND m.install_method IN ('building', 'group', 'riser', 'entrance') \
           AND m.installed_on <= $3 AND (m.removed_on IS NULL OR m.removed_on >= $2)",
        vec![buildings.to_vec().into(), first.into(), last.into()],
    ))
    .all(txn)
    .await?;
    // Everyone a benefit covers: the beneficiary and the members, each over the days both
    // the benefit and their own stay allow.
    let covered = CoveredRow::find_by_statement(stmt(
        "SELECT b.id AS beneficiary_id, b.account_id, b.benefit_id, \
                greatest(b.starts_on, r.living_from) AS \"from\", \
                least(b.ends_on, r.living_to) AS \"to\" \
         FROM beneficiaries b JOIN residents r ON r.id = b.resident_id \
         WHERE b.account_id = ANY($1) AND b.starts_on <= $3 AND (b.ends_on IS NULL OR b.ends_on >= $2) \
         UNION ALL \
         SELECT b.id, b.account_id, b.benefit_id, greatest(b.starts_on, m.starts_on, r.living_from), \
                least(b.ends_on, m.ends_on, r.living_to) \
         FROM beneficiaries b JOIN benefits bf ON bf.id = b.benefit_id AND bf.family \
         JOIN beneficiary_members m ON m.beneficiary_id = b.id JOIN residents r ON r.id = m.resident_id \
         WHERE b.account_id = ANY($1) AND b.starts_on <= $3 AND (b.ends_on IS NULL OR b.ends_on >= $2) \
         ORDER BY 1",
        vec![ids.clone().into(), first.into(), last.into()],
    ))
    .all(txn)
    .await?;
    let subsidies = AmountRow::find_by_statement(stmt(
        "SELECT account_id, service_id, amount FROM subsidies WHERE account_id = ANY($1) AND period = $2",
        vec![ids.clone().into(), first.into()],
    ))
    .all(txn)
    .await?;
    let lines = LineRow::find_by_statement(stmt(
        "SELECT account_id, period, service_id, charged + recalculation - benefit - subsidy AS net, closing \
         FROM invoice_lines WHERE period >= $2 AND period < $3 AND account_id = ANY($1) \
         ORDER BY account_id, period DESC",
        vec![ids.clone().into(), since.into(), first.into()],
    ))
    .all(txn)
    .await?;
    let takeover = AmountRow::find_by_statement(stmt(
        "SELECT DISTINCT ON (account_id, service_id) account_id, service_id, amount FROM opening_balances \
         WHERE account_id = ANY($1) AND period <= $2 ORDER BY account_id, service_id, period DESC",
        vec![ids.clone().into(), first.into()],
    ))
    .all(txn)
    .await?;
    // Approved acts booked in this period (`acts` crate): each one's amount per service.
    let acts = ActRow::find_by_statement(stmt(
        "SELECT l.account_id, l.service_id, a.number, l.amount FROM act_lines l JOIN acts a ON a.id = l.act_id \
         WHERE l.account_id = ANY($1) AND a.period = $2 AND a.status = 'approved' \
         ORDER BY l.account_id, l.service_id, a.number",
        vec![ids.clone().into(), first.into()],
    ))
    .all(txn)
    .await?;
    let payments = PaymentRow::find_by_statement(stmt(
        // A payment split when entered brings its parts; one never split comes whole.
        "SELECT p.account_id, p.paid_on, coalesce(l.amount, p.amount) AS amount, l.service_id \
         FROM payments p LEFT JOIN LATERAL unnest(p.part_services, p.part_amounts) AS l(service_id, amount) ON true \
         WHERE p.account_id = ANY($1) AND p.period = $2 AND p.cancelled_at IS NULL \
         ORDER BY p.account_id, p.paid_on, p.id, l.service_id",
        vec![ids.into(), first.into()],
    ))
    .all(txn)
    .await?;

    let late = late_charges(txn, cat, &accounts).await?;

    Ok(assemble(
        cat,
        buildings,
        Rows {
            late,
            accounts,
            residents,
            services,
            meters,
            history,
            house,
            covered,
            subsidies,
            lines,
            takeover,
            acts,
            payments,
        },
    ))
}

struct Rows {
    late: HashMap<(i64, i32), LateCharge>,
    accounts: Vec<AccountRow>,
    residents: Vec<StayRow>,
    services: Vec<ServiceRow>,
    meters: Vec<MeterRow>,
    history: Vec<HistoryRow>,
    house: Vec<HouseMeterRow>,
    covered: Vec<CoveredRow>,
    subsidies: Vec<AmountRow>,
    lines: Vec<LineRow>,
    takeover: Vec<AmountRow>,
    acts: Vec<ActRow>,
    payments: Vec<PaymentRow>,
}

fn group<T, K: std::hash::Hash + Eq>(rows: Vec<T>, key: impl Fn(&T) -> K) -> HashMap<K, Vec<T>> {
    let mut m: HashMap<K, Vec<T>> = HashMap::new();
    for r in rows {
        m.entry(key(&r)).or_default().push(r);
    }
    m
}

fn period_of(d: NaiveDate) -> Option<Period> {
    Period::containing(d).ok()
}

fn assemble(cat: &Catalog, buildings: &[i32], rows: Rows) -> Vec<BuildingInput> {
    let mut residents = group(rows.residents, |r| r.account_id);
    let mut services = group(rows.services, |r| r.account_id);
    let mut history = group(rows.history, |r| r.meter_id);
    let mut meters: HashMap<(i64, i32), Vec<MeterInput>> = HashMap::new();
    for m in rows.meters {
        let reading = match (m.previous, m.current, m.consumption) {
            (Some(previous), Some(current), Some(consumption)) => Some(PeriodReading {
                previous,
                current,
                consumption,
            }),
            _ => None,
        };
        let h = history
            .remove(&m.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|h| period_of(h.period).map(|p| (p, h.consumption)))
            .collect();
        meters
            .entry((m.account_id, m.service_id))
            .or_default()
            .push(MeterInput {
                id: m.id,
                installed_on: m.installed_on,
                removed_on: m.removed_on,
                reading,
                history: h,
                main_id: m.parent_id,
            });
    }
    // beneficiary → (account, benefit, covered stays)
    let mut benefits: HashMap<i64, Vec<(i32, Vec<Stay>)>> = HashMap::new();
    for rows in group(rows.covered, |c| c.beneficiary_id).into_values() {
        let Some(first) = rows.first() else { continue };
        let (account, benefit) = (first.account_id, first.benefit_id);
        let stays = rows.iter().map(|c| Stay::new(c.from, c.to)).collect();
        benefits.entry(account).or_default().push((benefit, stays));
    }
    let subsidies: HashMap<(i64, i32), Decimal> = rows
        .subsidies
        .into_iter()
        .map(|s| ((s.account_id, s.service_id), s.amount))
        .collect();
    let mut takeover = group(rows.takeover, |t| t.account_id);
    let mut acts = group(rows.acts, |a| a.account_id);
    let mut lines_by_account = group(rows.lines, |l| l.account_id);
    let mut payments = group(rows.payments, |p| p.account_id);
    let mut house = group(rows.house, |h| h.building_id);
    let mut by_building = group(rows.accounts, |a| a.building_id);
    let mut late = rows.late;

    let mut out = Vec::with_capacity(buildings.len());
    for b in buildings {
        let accounts = by_building.remove(b).unwrap_or_default();
        let mut inputs = Vec::with_capacity(accounts.len());
        for a in accounts {
            let mut lines = group(lines_by_account.remove(&a.id).unwrap_or_default(), |l| {
                l.service_id
            });
            let mut acts: HashMap<i32, Vec<ActAmount>> = acts
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .fold(HashMap::new(), |mut m, r| {
                    m.entry(r.service_id).or_default().push(ActAmount {
                        number: r.number,
                        amount: r.amount,
                    });
                    m
                });
            let takeover: HashMap<i32, Decimal> = takeover
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .map(|t| (t.service_id, t.amount))
                .collect();
            let mut svc_ids: Vec<i32> = Vec::new();
            let mut svcs: Vec<ServiceInput> = Vec::new();
            for s in services.remove(&a.id).unwrap_or_default() {
                let Some(def) = cat.services.get(&s.service_id) else {
                    continue;
                };
                // Two spells of one service in a month: one line over both (the first
                // start, the last end).
                if let Some(i) = svc_ids.iter().position(|x| *x == s.service_id) {
                    svcs[i].stay.to = s.ends_on;
                    continue;
                }
                svc_ids.push(s.service_id);
                let history: Vec<LineRow> = lines.remove(&s.service_id).unwrap_or_default();
                let opening = history.first().map_or_else(
                    || takeover.get(&s.service_id).copied().unwrap_or_default(),
                    |l| l.closing,
                );
                let covers: Vec<BenefitInput> = benefits
                    .get(&a.id)
                    .map(|list| {
                        list.iter()
                            .filter_map(|(bid, stays)| {
                                let (pct, covered_services) = cat.benefits.get(bid)?;
                                covered_services
                                    .contains(&s.service_id)
                                    .then(|| BenefitInput {
                                        percent: *pct,
                                        covered: stays.clone(),
                                    })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                svcs.push(ServiceInput {
                    service_id: s.service_id,
                    method: def.method,
                    stay: Stay::new(Some(s.starts_on), s.ends_on),
                    tariff: a
                        .price_list_id
                        .and_then(|pl| cat.tariffs.get(&(pl, s.service_id)).copied()),
                    norm: def.norm,
                    social_norm: def.social_norm,
                    benefit_rule: def.benefit_rule,
                    fixed_quantity: s.quantity,
                    seasonal: def.seasonal,
                    seasons: if def.seasonal {
                        cat.seasons.clone()
                    } else {
                        Vec::new()
                    },
                    meters: meters.remove(&(a.id, s.service_id)).unwrap_or_default(),
                    benefits: covers,
                    subsidy: subsidies.get(&(a.id, s.service_id)).copied(),
                    opening,
                    acts: acts.remove(&s.service_id).unwrap_or_default(),
                    debt_history: debt_history(&history),
                    base_service_id: def.base_service_id,
                    by_area: def.by_area,
                    common_limit: def.common_limit,
                    // Interruptions reach the engine through recalculation acts' virtual
                    // invoices, never the period's own calculation.
                    not_provided: Vec::new(),
                    floor_coefficient: match (def.seasonal, cat.heating, a.floors) {
                        (true, Some((low, high)), Some(floors)) => {
                            Some((floor_coefficient(low, high, floors), floors))
                        }
                        _ => None,
                    },
                    // Set below, with the carried balances' lines.
                    late: None,
                });
            }
            // Balances of services the account no longer has.
            let mut owed: Vec<(i32, Decimal, Vec<LineRow>)> = Vec::new();
            for (svc, h) in lines {
                if let Some(l) = h.first().filter(|l| !l.closing.is_zero()) {
                    owed.push((svc, l.closing, h));
                }
            }
            for (svc, amount) in &takeover {
                if !svc_ids.contains(svc) && !owed.iter().any(|o| o.0 == *svc) && !amount.is_zero()
                {
                    owed.push((*svc, *amount, Vec::new()));
                }
            }
            // An act on a service the account neither has nor owes on (a fine, a
            // correction of a service ended long ago) still needs its line.
            for svc in acts.keys() {
                if !svc_ids.contains(svc) && !owed.iter().any(|o| o.0 == *svc) {
                    owed.push((*svc, Decimal::ZERO, Vec::new()));
                }
            }
            owed.sort_by_key(|o| o.0);
            svcs.extend(owed.iter().filter_map(|(svc, amount, h)| {
                let mut line = carried(cat, *svc, *amount, h)?;
                line.acts = acts.remove(svc).unwrap_or_default();
                Some(line)
            }));
            for s in &mut svcs {
                s.late = late.remove(&(a.id, s.service_id));
            }
            inputs.push(AccountInput {
                account_id: a.id,
                total_area: a.total_area,
                heated_area: a.heated_area,
                residents: residents
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| Stay::new(r.from, r.to))
                    .collect(),
                services: svcs,
                payments: payments
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PaymentInput {
                        paid_on: p.paid_on,
                        amount: p.amount,
                        service_id: p.service_id,
                    })
                    .collect(),
                no_penalty: a.no_penalty,
                penalty_under_agreement_waived: a.under_agreement && !cat.penalty_under_agreement,
                riser: a.riser,
                entrance: a.entrance,
            });
        }
        out.push(BuildingInput {
            building_id: *b,
            accounts: inputs,
            meters: house
                .remove(b)
                .unwrap_or_default()
                .into_iter()
                .map(|m| BuildingMeter {
                    meter_id: m.id,
                    service_id: m.service_id,
                    consumption: m.consumption,
                    place: match m.install_method.as_str() {
                        "group" => MainPlace::Group,
                        "riser" => MainPlace::Riser(m.riser),
                        "entrance" => MainPlace::Entrance(m.entrance),
                        _ => MainPlace::Building,
                    },
                    serial: m.serial,
                    installed_on: m.installed_on,
                    removed_on: m.removed_on,
                })
                .collect(),
        });
    }
    out
}

#[derive(FromQueryResult)]
struct LateInvoiceRow {
    account_id: i64,
    to_pay: Decimal,
    paid_by_due: Decimal,
}

#[derive(FromQueryResult)]
struct LateLineRow {
    account_id: i64,
    service_id: i32,
    quantity: Decimal,
    tariff: Decimal,
}

#[derive(FromQueryResult)]
struct LateTariffRow {
    price_list_id: i32,
    service_id: i32,
    price: Decimal,
}

/// Tariffs "after the due day" (`domain::billing::late`): for the accounts with such a
/// price list whose last month's invoice the payments dated by this month's due day did
/// not cover, what each of last month's services owes at the late tariffs.
async fn late_charges(
    txn: &DatabaseTransaction,
    cat: &Catalog,
    accounts: &[AccountRow],
) -> AppResult<HashMap<(i64, i32), LateCharge>> {
    let mut out = HashMap::new();
    let lists: HashMap<i64, i32> = accounts
        .iter()
        .filter_map(|a| Some((a.id, a.late_price_list_id?)))
        .collect();
    if lists.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = lists.keys().copied().collect();
    let month = cat.period.prev();
    let first = cat.period.first_day();
    let due = first
        .with_day(cat.settings.due_day.clamp(1, cat.period.days()))
        .unwrap_or(first);
    // Until the due day has passed the subscriber may still pay on time: nothing yet.
    if cat.as_of.is_some_and(|today| today <= due) {
        return Ok(out);
    }
    // Payments booked this month and dated by the due day are those M's invoice did not
    // count yet and that came on time.
    let late: Vec<i64> = LateInvoiceRow::find_by_statement(stmt(
        "SELECT v.account_id, v.closing AS to_pay, \
                coalesce((SELECT sum(p.amount) FROM payments p WHERE p.account_id = v.account_id \
                          AND p.period = $3 AND p.paid_on <= $4 AND p.cancelled_at IS NULL), 0) AS paid_by_due \
         FROM invoices v WHERE v.account_id = ANY($1) AND v.period = $2",
        vec![
            ids.into(),
            month.first_day().into(),
            first.into(),
            due.into(),
        ],
    ))
    .all(txn)
    .await?
    .into_iter()
    .filter(|r| paid_late(r.to_pay, r.paid_by_due))
    .map(|r| r.account_id)
    .collect();
    if late.is_empty() {
        return Ok(out);
    }
    let mut wanted: Vec<i32> = late.iter().filter_map(|a| lists.get(a).copied()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let tariffs: HashMap<(i32, i32), Decimal> = LateTariffRow::find_by_statement(stmt(
        "SELECT DISTINCT ON (price_list_id, service_id) price_list_id, service_id, price FROM tariffs \
         WHERE price_list_id = ANY($1) AND valid_from <= $2 \
         ORDER BY price_list_id, service_id, valid_from DESC",
        vec![wanted.into(), month.first_day().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|t| ((t.price_list_id, t.service_id), t.price))
    .collect();
    for l in LateLineRow::find_by_statement(stmt(
        "SELECT account_id, service_id, quantity, tariff FROM invoice_lines \
         WHERE account_id = ANY($1) AND period = $2",
        vec![late.into(), month.first_day().into()],
    ))
    .all(txn)
    .await?
    {
        let Some(price) = lists
            .get(&l.account_id)
            .and_then(|list| tariffs.get(&(*list, l.service_id)))
        else {
            continue;
        };
        out.insert(
            (l.account_id, l.service_id),
            LateCharge {
                period: month,
                quantity: l.quantity,
                regular: l.tariff,
                late: *price,
            },
        );
    }
    Ok(out)
}

/// A service the account no longer has this period but still owes (or is owed) on: a
/// line with no days, so the balance is carried, paid and charged penalty on.
fn carried(
    cat: &Catalog,
    service_id: i32,
    opening: Decimal,
    history: &[LineRow],
) -> Option<ServiceInput> {
    let def = cat.services.get(&service_id)?;
    let before = cat.period.first_day().pred_opt()?;
    Some(ServiceInput {
        norm: def.norm,
        benefit_rule: def.benefit_rule,
        opening,
        debt_history: debt_history(history),
        ..ServiceInput::new(service_id, def.method, Stay::new(None, Some(before)))
    })
}

/// Net charges of earlier periods, newest first (the rows come ordered so).
fn debt_history(lines: &[LineRow]) -> Vec<(Period, Decimal)> {
    lines
        .iter()
        .filter_map(|l| period_of(l.period).map(|p| (p, l.net)))
        .collect()
}
