//! A billing simulation: the period's calculation over a scope run by the same loader and
//! engine as the real one, but writing nothing — each account's lines are compared with
//! its issued invoice lines instead. "What would change?" before closing or after a
//! tariff change. Memory stays bounded whatever the scope: per service a count and a sum,
//! and only the `LARGEST` differences (with both explanations) are kept.

use std::collections::BTreeMap;
use std::time::Instant;

use domain::billing::{Line, calculate_building};
use domain::{Period, TenantSlug};
use futures::StreamExt;
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, FromQueryResult};
use serde::{Deserialize, Serialize};

use crate::run::{self, Scope};
use crate::{catalog, load};
use access::auth::Reach;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use platform::tenancy;

/// How many of the largest differences a simulation keeps.
pub const LARGEST: usize = 100;

/// One line whose simulated amounts differ from the issued ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub account_id: i64,
    pub number: String,
    pub service_id: i32,
    pub service: String,
    /// The issued line's charge and closing (None: the invoice has no such line).
    pub issued_charged: Option<Decimal>,
    pub issued_closing: Option<Decimal>,
    /// The simulated line's (None: the simulation charges no such line).
    pub charged: Option<Decimal>,
    pub closing: Option<Decimal>,
    /// Simulated closing − issued closing.
    pub difference: Decimal,
    pub issued_steps: serde_json::Value,
    pub steps: serde_json::Value,
}

/// Per service: how many lines differ and by how much in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTotal {
    pub service_id: i32,
    pub service: String,
    pub lines: usize,
    pub difference: Decimal,
}

/// Per service, the simulated lines' amounts: the interim summary of the month (what it
/// would close at now), reconciled like the summary report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSums {
    pub service_id: i32,
    pub service: String,
    pub accounts: usize,
    pub quantity: Decimal,
    pub opening: Decimal,
    pub charged: Decimal,
    pub recalculation: Decimal,
    pub benefit: Decimal,
    pub subsidy: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

impl ServiceSums {
    fn add(&mut self, l: &Line) {
        self.accounts += 1;
        self.quantity += l.quantity;
        self.opening += l.opening;
        self.charged += l.charged;
        self.recalculation += l.recalculation;
        self.benefit += l.benefit;
        self.subsidy += l.subsidy;
        self.penalty += l.penalty;
        self.paid += l.paid;
        self.closing += l.closing;
    }

    fn merge(&mut self, o: &ServiceSums) {
        self.accounts += o.accounts;
        self.quantity += o.quantity;
        self.opening += o.opening;
        self.charged += o.charged;
        self.recalculation += o.recalculation;
        self.benefit += o.benefit;
        self.subsidy += o.subsidy;
        self.penalty += o.penalty;
        self.paid += o.paid;
        self.closing += o.closing;
    }
}

/// What a simulation found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub period: String,
    pub accounts: usize,
    /// Accounts the engine could not calculate (no tariff, no norm): not compared.
    pub error_count: usize,
    pub lines: usize,
    pub differing_lines: usize,
    pub differing_accounts: usize,
    /// Σ (simulated closing − issued closing) over every line.
    pub difference: Decimal,
    pub by_service: Vec<ServiceTotal>,
    /// The `LARGEST` differences by size, largest first.
    pub largest: Vec<Difference>,
    /// The simulated lines summed by service (by id; the interim summary).
    #[serde(default)]
    pub sums: Vec<ServiceSums>,
    /// Their total (service 0, no name).
    #[serde(default)]
    pub sums_total: ServiceSums,
    pub seconds: f64,
}

#[derive(FromQueryResult)]
struct Issued {
    account_id: i64,
    service_id: i32,
    quantity: Decimal,
    charged: Decimal,
    recalculation: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
    steps: serde_json::Value,
}

impl Issued {
    fn same_as(&self, l: &Line) -> bool {
        self.quantity == l.quantity
            && self.charged == l.charged
            && self.recalculation == l.recalculation
            && self.benefit == l.benefit
            && self.subsidy == l.subsidy
            && self.penalty == l.penalty
            && self.paid == l.paid
            && self.closing == l.closing
    }
}

#[derive(FromQueryResult)]
struct Number {
    id: i64,
    number: String,
}

/// What one chunk found.
#[derive(Default)]
struct Found {
    accounts: usize,
    errors: usize,
    lines: usize,
    differing_accounts: usize,
    totals: BTreeMap<i32, (usize, Decimal)>,
    largest: Vec<Difference>,
    sums: BTreeMap<i32, ServiceSums>,
}

/// Keeps the `LARGEST` differences by size (ties: account, service).
fn keep_largest(list: &mut Vec<Difference>) {
    list.sort_by(|a, b| {
        b.difference
            .abs()
            .cmp(&a.difference.abs())
            .then(a.account_id.cmp(&b.account_id))
            .then(a.service_id.cmp(&b.service_id))
    });
    list.truncate(LARGEST);
}

async fn chunk(
    db: &DatabaseConnection,
    tenant: &TenantSlug,
    cat: &catalog::Catalog,
    scope: &Scope,
    buildings: Vec<i32>,
) -> AppResult<Found> {
    let period = cat.period;
    let txn = tenancy::begin(db, tenant).await?;
    let inputs = load::chunk(&txn, cat, &buildings).await?;
    let ids: Vec<i64> = inputs
        .iter()
        .flat_map(|b| b.accounts.iter().map(|a| a.account_id))
        .filter(|id| scope.takes(*id))
        .collect();
    let issued = Issued::find_by_statement(stmt(
        "SELECT account_id, service_id, quantity, charged, recalculation, benefit, subsidy, penalty, paid, closing, steps \
         FROM invoice_lines WHERE period = $1 AND account_id = ANY($2)",
        vec![period.first_day().into(), ids.clone().into()],
    ))
    .all(&txn)
    .await?;
    let numbers: BTreeMap<i64, String> = Number::find_by_statement(stmt(
        "SELECT id, number FROM accounts WHERE id = ANY($1)",
        vec![ids.into()],
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|n| (n.id, n.number))
    .collect();
    txn.commit().await?;
    let mut issued_by: BTreeMap<(i64, i32), Issued> = issued
        .into_iter()
        .map(|i| ((i.account_id, i.service_id), i))
        .collect();
    let mut found = Found::default();
    for b in &inputs {
        let result = calculate_building(b, period, &cat.settings);
        for a in result.accounts {
            let Some(number) = numbers.get(&a.account_id) else {
                continue;
            };
            found.accounts += 1;
            let Ok(lines) = a.lines else {
                found.errors += 1;
                continue;
            };
            for l in &lines {
                found.sums.entry(l.service_id).or_default().add(l);
            }
            let mut differs = false;
            let mut pairs: Vec<(i32, Option<Issued>, Option<&Line>)> = lines
                .iter()
                .map(|l| {
                    (
                        l.service_id,
                        issued_by.remove(&(a.account_id, l.service_id)),
                        Some(l),
                    )
                })
                .collect();
            // Issued lines the simulation no longer charges.
            let gone: Vec<(i64, i32)> = issued_by
                .range((a.account_id, i32::MIN)..=(a.account_id, i32::MAX))
                .map(|(k, _)| *k)
                .collect();
            for k in gone {
                pairs.push((k.1, issued_by.remove(&k), None));
            }
            for (service_id, was, now) in pairs {
                found.lines += 1;
                let same = match (&was, now) {
                    (Some(w), Some(n)) => w.same_as(n),
                    _ => false,
                };
                if same {
                    continue;
                }
                differs = true;
                let difference = now.map_or(Decimal::ZERO, |n| n.closing)
                    - was.as_ref().map_or(Decimal::ZERO, |w| w.closing);
                let t = found.totals.entry(service_id).or_default();
                t.0 += 1;
                t.1 += difference;
                found.largest.push(Difference {
                    account_id: a.account_id,
                    number: number.clone(),
                    service_id,
                    service: cat.names.get(&service_id).cloned().unwrap_or_default(),
                    issued_charged: was.as_ref().map(|w| w.charged),
                    issued_closing: was.as_ref().map(|w| w.closing),
                    charged: now.map(|n| n.charged),
                    closing: now.map(|n| n.closing),
                    difference,
                    issued_steps: was.map_or(serde_json::Value::Null, |w| w.steps),
                    steps: now.map_or(serde_json::Value::Null, |n| {
                        serde_json::to_value(&n.steps).unwrap_or_default()
                    }),
                });
                if found.largest.len() > 2 * LARGEST {
                    keep_largest(&mut found.largest);
                }
            }
            if differs {
                found.differing_accounts += 1;
            }
        }
    }
    keep_largest(&mut found.largest);
    Ok(found)
}

/// Simulates `period` for `scope`; `on_chunk(done, total)` is awaited after each chunk.
pub async fn simulate<F, Fut>(
    db: &DatabaseConnection,
    tenant: &TenantSlug,
    period: Period,
    scope: Scope,
    reach: &Reach,
    today: chrono::NaiveDate,
    mut on_chunk: F,
) -> AppResult<Simulation>
where
    F: FnMut(usize, usize) -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    let started = Instant::now();
    let txn = tenancy::begin(db, tenant).await?;
    let cat = catalog::load(&txn, period).await?.as_of(today);
    let list = run::buildings(&txn, period, &scope, reach).await?;
    txn.commit().await?;
    if let Scope::Account(_) = scope
        && list.is_empty()
    {
        return Err(AppError::NotFound("account not found".into()));
    }
    let plan = run::chunks(&list);
    let total = plan.len();
    let mut out = Simulation {
        period: period.to_string(),
        ..Simulation::default()
    };
    let mut totals: BTreeMap<i32, (usize, Decimal)> = BTreeMap::new();
    let mut sums: BTreeMap<i32, ServiceSums> = BTreeMap::new();
    let cat = &cat;
    let mut outcomes = futures::stream::iter(plan)
        .map(|c| chunk(db, tenant, cat, &scope, c))
        .buffer_unordered(2);
    let mut done = 0;
    while let Some(found) = outcomes.next().await {
        let f = found?;
        done += 1;
        out.accounts += f.accounts;
        out.error_count += f.errors;
        out.lines += f.lines;
        out.differing_accounts += f.differing_accounts;
        for (service, (n, d)) in f.totals {
            let t = totals.entry(service).or_default();
            t.0 += n;
            t.1 += d;
        }
        for (service, s) in &f.sums {
            sums.entry(*service).or_default().merge(s);
        }
        out.largest.extend(f.largest);
        keep_largest(&mut out.largest);
        on_chunk(done, total).await?;
    }
    out.by_service = totals
        .into_iter()
        .map(|(service_id, (lines, difference))| ServiceTotal {
            service_id,
            service: cat.names.get(&service_id).cloned().unwrap_or_default(),
            lines,
            difference,
        })
        .collect();
    out.sums = sums
        .into_iter()
        .map(|(service_id, s)| ServiceSums {
            service_id,
            service: cat.names.get(&service_id).cloned().unwrap_or_default(),
            ..s
        })
        .collect();
    for s in &out.sums {
        out.sums_total.merge(s);
    }
    out.differing_lines = out.by_service.iter().map(|s| s.lines).sum();
    out.difference = out.by_service.iter().map(|s| s.difference).sum();
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}
