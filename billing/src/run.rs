//! A period calculation over a scope (tenant, branch, building, account): the scope's
//! buildings are cut into chunks of about `CHUNK` accounts (a building is never split, so
//! the common-house distribution sees the whole house); each chunk is read, calculated
//! and written in its own transaction, after which progress is reported.

use std::time::Instant;

use chrono::{DateTime, Utc};
use domain::billing::{CalcError, HierarchyWarning, calculate_building};
use domain::{Period, TenantSlug};
use futures::StreamExt;
use sea_orm::{DatabaseConnection, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{catalog, load, store};
use access::auth::Reach;
use periods::touches;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use platform::tenancy;

/// Accounts per chunk.
pub const CHUNK: i64 = 5_000;

/// What to calculate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    Tenant,
    Branch(i32),
    Building(i32),
    Account(i64),
    /// The accounts ticked in a list, in id order without repeats (see [`Scope::accounts`]).
    Accounts(Vec<i64>),
    /// The accounts without an invoice for the period (closing's "form missing").
    Missing,
}

/// How many accounts one ticked selection may name: a bigger group is a building, a
/// branch or the tenant, which the calculation takes by building.
pub const MAX_SELECTION: usize = 10_000;

/// Ticked account ids sorted and without repeats, so a run can look an account up by
/// binary search.
pub fn selection(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl Scope {
    /// The ticked accounts as a scope (see [`selection`]).
    pub fn accounts(ids: Vec<i64>) -> Self {
        Scope::Accounts(selection(ids))
    }

    /// Whether the scope takes `account` of a building it calculates (a building's run
    /// calculates every account of it; an account scope keeps only its own).
    pub fn takes(&self, account: i64) -> bool {
        match self {
            Scope::Account(only) => *only == account,
            Scope::Accounts(ids) => ids.binary_search(&account).is_ok(),
            _ => true,
        }
    }

    /// Whether a chunk of this scope forms every invoice of its buildings.
    pub fn whole_buildings(&self) -> bool {
        matches!(self, Scope::Tenant | Scope::Branch(_) | Scope::Building(_))
    }
}

/// An account that could not be calculated, and why (English; the job translates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountError {
    pub account_id: i64,
    pub number: String,
    pub reason: String,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub period: String,
    pub accounts: usize,
    pub invoices: usize,
    pub error_count: usize,
    pub errors: Vec<AccountError>,
    /// Accounts not calculated for want of premises, and services charged nothing for a
    /// missing input (no area, nobody living there, no reading): nothing fails silently.
    #[serde(default)]
    pub warning_count: usize,
    #[serde(default)]
    pub warnings: Vec<AccountError>,
    /// House meters whose apartments used more than they show (nothing distributed).
    pub negative_remainders: usize,
    pub seconds: f64,
    /// Where the time went: reading inputs, the engine, writing invoices.
    #[serde(default)]
    pub load_seconds: f64,
    #[serde(default)]
    pub engine_seconds: f64,
    #[serde(default)]
    pub write_seconds: f64,
}

/// How many errors a summary carries.
const SHOWN: usize = 200;

#[derive(FromQueryResult)]
struct BuildingCount {
    building_id: i32,
    n: i64,
}

/// The scope's buildings with their account counts, in id order.
pub(crate) async fn buildings(
    txn: &DatabaseTransaction,
    period: Period,
    scope: &Scope,
    reach: &Reach,
) -> AppResult<Vec<(i32, i64)>> {
    let (cond, values): (&str, Vec<sea_orm::Value>) = match scope {
        Scope::Tenant => ("true", vec![]),
        Scope::Branch(id) => ("b.branch_id = $1", vec![(*id).into()]),
        Scope::Building(id) => ("b.id = $1", vec![(*id).into()]),
        Scope::Account(id) => ("a.id = $1", vec![(*id).into()]),
        Scope::Accounts(ids) => ("a.id = ANY($1)", vec![ids.clone().into()]),
        Scope::Missing => (
            "NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = a.id AND i.period = $1)",
            vec![period.first_day().into()],
        ),
    };
    let reach = reach
        .building_condition("b")
        .map_or(String::new(), |c| format!(" AND {c}"));
    let chosen = format!(
        "SELECT p.building_id, count(*) AS n FROM accounts a JOIN premises p ON p.id = a.premises_id \
         JOIN buildings b ON b.id = p.building_id WHERE {cond}{reach} GROUP BY 1 ORDER BY 1"
    );
    // A chunk loads its buildings whole (the common-house share needs every apartment), so
    // a scope of some accounts is weighed by all the accounts of their buildings: 5,000
    // ticked accounts spread over 500 houses are 500 houses of work, not one chunk's worth.
    let sql = if scope.whole_buildings() {
        chosen
    } else {
        format!(
            "SELECT p.building_id, count(*) AS n FROM accounts a JOIN premises p ON p.id = a.premises_id \
             WHERE p.building_id IN (SELECT building_id FROM ({chosen}) c) GROUP BY 1 ORDER BY 1"
        )
    };
    let rows = BuildingCount::find_by_statement(stmt(&sql, values))
        .all(txn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.building_id, r.n)).collect())
}

/// Buildings cut into chunks of about `CHUNK` accounts.
pub fn chunks(buildings: &[(i32, i64)]) -> Vec<Vec<i32>> {
    let mut out: Vec<Vec<i32>> = Vec::new();
    let mut size = CHUNK;
    for (b, n) in buildings {
        if size + n > CHUNK && out.last().is_none_or(|c| !c.is_empty()) {
            out.push(Vec::new());
            size = 0;
        }
        if let Some(c) = out.last_mut() {
            c.push(*b);
        }
        size += n;
    }
    out
}

/// The period must be open; the row is share-locked so closing waits for the chunk.
pub async fn lock_open(txn: &DatabaseTransaction, period: Period) -> AppResult<()> {
    periods::hold(txn, period).await
}

/// Calculates `period` for `scope`; `on_chunk(done, total, summary)` is awaited after each
/// chunk (the job reports progress through it).
#[allow(clippy::too_many_arguments)]
pub async fn calculate<F, Fut>(
    db: &DatabaseConnection,
    tenant: &TenantSlug,
    period: Period,
    scope: Scope,
    reach: &Reach,
    job_id: Option<Uuid>,
    now: DateTime<Utc>,
    on_chunk: F,
) -> AppResult<Summary>
where
    F: FnMut(usize, usize, Summary) -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    let started = Instant::now();
    let txn = tenancy::begin(db, tenant).await?;
    lock_open(&txn, period).await?;
    let cat = catalog::load(&txn, period).await?.as_of(now.date_naive());
    let list = buildings(&txn, period, &scope, reach).await?;
    let (unplaced_count, unplaced) = unplaced(&txn, &scope, reach).await?;
    let working = metering::readings::current_open(&txn).await? == period;
    txn.commit().await?;
    if let Scope::Account(_) = scope
        && list.is_empty()
    {
        return Err(AppError::NotFound("account not found".into()));
    }
    let job = Job {
        db,
        tenant,
        cat: &cat,
        scope,
        job_id,
        now,
        working,
        hold: true,
    };
    let mut summary = job.run(&list, started, on_chunk).await?;
    // The accounts the run could not reach come first: they were not calculated at all.
    summary.warning_count += unplaced_count;
    let charged = std::mem::take(&mut summary.warnings);
    summary.warnings = unplaced.into_iter().chain(charged).take(SHOWN).collect();
    Ok(summary)
}

/// Open accounts of the scope with no premises, how many and the first `SHOWN`: the
/// calculation goes by building, so they are not calculated; the run says so instead of
/// passing over them.
async fn unplaced(
    txn: &DatabaseTransaction,
    scope: &Scope,
    reach: &Reach,
) -> AppResult<(usize, Vec<AccountError>)> {
    let (cond, values): (&str, Vec<sea_orm::Value>) = match scope {
        Scope::Tenant | Scope::Missing => ("true", vec![]),
        Scope::Branch(id) => ("a.branch_id = $1", vec![(*id).into()]),
        // Ticked accounts without premises are named, not passed over.
        Scope::Accounts(ids) => ("a.id = ANY($1)", vec![ids.clone().into()]),
        // A building's accounts have premises by definition; one account is refused
        // as not found when it has none.
        Scope::Building(_) | Scope::Account(_) => return Ok((0, Vec::new())),
    };
    let reach = reach
        .account_condition_of("a")
        .map_or(String::new(), |c| format!(" AND {c}"));
    #[derive(FromQueryResult)]
    struct Unplaced {
        id: i64,
        number: String,
        total: i64,
    }
    let rows = Unplaced::find_by_statement(stmt(
        &format!(
            "SELECT a.id, a.number, count(*) OVER () AS total FROM accounts a \
             WHERE a.premises_id IS NULL AND a.status NOT IN ('closed', 'annulled') \
             AND {cond}{reach} ORDER BY a.number LIMIT {SHOWN}"
        ),
        values,
    ))
    .all(txn)
    .await?;
    let total = rows
        .first()
        .map_or(0, |r| usize::try_from(r.total).unwrap_or(usize::MAX));
    let listed = rows
        .into_iter()
        .map(|u| AccountError {
            account_id: u.id,
            number: u.number,
            reason: "the account has no premises, so it is not calculated".into(),
        })
        .collect();
    Ok((total, listed))
}

/// Re-forms every invoice of `buildings` (the stale ones the closing found). `hold: false`
/// when the caller holds the period row exclusively (the closing's last step): the chunks
/// then neither take nor wait for it, and no writer can run meanwhile.
pub async fn calculate_buildings(
    db: &DatabaseConnection,
    tenant: &TenantSlug,
    period: Period,
    buildings: &[i32],
    now: DateTime<Utc>,
    hold: bool,
) -> AppResult<Summary> {
    let started = Instant::now();
    let txn = tenancy::begin(db, tenant).await?;
    if hold {
        lock_open(&txn, period).await?;
    }
    let cat = catalog::load(&txn, period).await?.as_of(now.date_naive());
    let list = BuildingCount::find_by_statement(stmt(
        "SELECT p.building_id, count(*) AS n FROM accounts a JOIN premises p ON p.id = a.premises_id \
         WHERE p.building_id = ANY($1) GROUP BY 1 ORDER BY 1",
        vec![buildings.to_vec().into()],
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|r| (r.building_id, r.n))
    .collect::<Vec<_>>();
    let working = metering::readings::current_open(&txn).await? == period;
    txn.commit().await?;
    let job = Job {
        db,
        tenant,
        cat: &cat,
        scope: Scope::Tenant,
        job_id: None,
        now,
        working,
        hold,
    };
    job.run(&list, started, |_, _, _| async { Ok(()) }).await
}

/// Chunks in flight at once.
const PARALLEL: usize = 2;

/// What every chunk of one run shares.
struct Job<'a> {
    db: &'a DatabaseConnection,
    tenant: &'a TenantSlug,
    cat: &'a catalog::Catalog,
    scope: Scope,
    job_id: Option<Uuid>,
    now: DateTime<Utc>,
    /// The period is the working month: invoiced accounts' balances are set.
    working: bool,
    /// Chunks hold the period open (false: the caller holds it exclusively).
    hold: bool,
}

impl Job<'_> {
    /// Runs the chunks of `list` (buildings with their account counts), two at a time.
    async fn run<F, Fut>(
        &self,
        list: &[(i32, i64)],
        started: Instant,
        mut on_chunk: F,
    ) -> AppResult<Summary>
    where
        F: FnMut(usize, usize, Summary) -> Fut,
        Fut: std::future::Future<Output = AppResult<()>>,
    {
        let period = self.cat.period;
        let job = self;
        let plan = chunks(list);
        let mut summary = Summary {
            period: period.to_string(),
            ..Summary::default()
        };
        // Two chunks at a time: while one is in the engine or waiting on a write, the other's
        // reads and writes keep PostgreSQL busy.
        let total = plan.len();
        let mut outcomes = futures::stream::iter(plan)
            .map(|c| job.chunk(c))
            .buffer_unordered(PARALLEL);
        let mut done = 0;
        while let Some(outcome) = outcomes.next().await {
            let c = outcome?;
            done += 1;
            summary.accounts += c.accounts;
            summary.invoices += c.invoices;
            summary.error_count += c.error_count;
            summary.negative_remainders += c.negative_remainders;
            summary.load_seconds += c.load_seconds;
            summary.engine_seconds += c.engine_seconds;
            summary.write_seconds += c.write_seconds;
            for e in c.errors {
                if summary.errors.len() < SHOWN {
                    summary.errors.push(e);
                }
            }
            summary.warning_count += c.warning_count;
            for w in c.warnings {
                if summary.warnings.len() < SHOWN {
                    summary.warnings.push(w);
                }
            }
            summary.seconds = started.elapsed().as_secs_f64();
            on_chunk(done, total, summary.clone()).await?;
        }
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    /// Reads, calculates and writes one chunk in its own transaction.
    async fn chunk(&self, buildings: Vec<i32>) -> AppResult<Summary> {
        let period = self.cat.period;
        let mut out = Summary::default();
        let txn = tenancy::begin(self.db, self.tenant).await?;
        if self.hold {
            lock_open(&txn, period).await?;
        }
        let t = Instant::now();
        // The buildings' versions before their data (see `touches`), when the chunk forms
        // every invoice of its buildings.
        let whole = self.scope.whole_buildings();
        let formed = if whole {
            touches::versions(&txn, period, &buildings).await?
        } else {
            Vec::new()
        };
        let inputs = load::chunk(&txn, self.cat, &buildings).await?;
        let invoiced = if self.scope == Scope::Missing {
            invoiced(&txn, period, &inputs).await?
        } else {
            Vec::new()
        };
        txn.commit().await?;
        out.load_seconds = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let results: Vec<_> = inputs
            .iter()
            .map(|b| calculate_building(b, period, &self.cat.settings))
            .collect();
        out.engine_seconds = t.elapsed().as_secs_f64();
        let mut scope_ids = Vec::new();
        let mut failed: Vec<(i64, CalcError)> = Vec::new();
        let mut ok = Vec::new();
        let mut gaps: Vec<(i64, Flag)> = Vec::new();
        for (b, r) in inputs.iter().zip(&results) {
            out.negative_remainders += r
                .distributions
                .iter()
                .filter(|d| d.remainder < rust_decimal::Decimal::ZERO)
                .count();
            // The hierarchy's warnings: an account's for accounts in the scope, a main
            // meter's (no account: 0) for every building the scope's accounts live in.
            for w in &r.warnings {
                match w {
                    HierarchyWarning::NoMain { account_id, .. } => {
                        if self.scope.takes(*account_id) {
                            gaps.push((*account_id, Flag::Hierarchy(w.clone())));
                        }
                    }
                    HierarchyWarning::MainGap { .. } => gaps.push((0, Flag::Hierarchy(w.clone()))),
                }
            }
            // The engine answers each building's accounts in their input order.
            for (input, a) in b.accounts.iter().zip(&r.accounts) {
                if !self.scope.takes(a.account_id) {
                    continue;
                }
                if invoiced.binary_search(&a.account_id).is_ok() {
                    continue;
                }
                scope_ids.push(a.account_id);
                match &a.lines {
                    Ok(lines) => {
                        gaps.extend(
                            domain::billing::gaps(input, lines, period)
                                .into_iter()
                                .map(|w| (a.account_id, Flag::Gap(w))),
                        );
                        ok.push((a.account_id, lines.as_slice()))
                    }
                    Err(e) => failed.push((a.account_id, e.clone())),
                }
            }
        }
        let t = Instant::now();
        let mut tx = tenancy::begin_raw(self.db, self.tenant).await?;
        if self.hold {
            store::lock_open(&mut tx, period).await?;
        }
        out.invoices = store::write(
            &mut tx,
            period,
            self.job_id,
            self.now,
            &scope_ids,
            &ok,
            self.working,
        )
        .await?;
        store::formed(&mut tx, period, &formed).await?;
        out.accounts = scope_ids.len();
        out.error_count = failed.len();
        out.errors = listed(&mut tx, failed, |e| reason(self.cat, e)).await?;
        out.warning_count = gaps.len();
        out.warnings = listed(&mut tx, gaps, |w| flag_reason(self.cat, w)).await?;
        tx.commit().await?;
        out.write_seconds = t.elapsed().as_secs_f64();
        Ok(out)
    }
}

#[derive(FromQueryResult)]
struct Id {
    account_id: i64,
}

/// The chunk's accounts that already have an invoice of the period, sorted.
async fn invoiced(
    txn: &DatabaseTransaction,
    period: Period,
    inputs: &[domain::billing::BuildingInput],
) -> AppResult<Vec<i64>> {
    let ids: Vec<i64> = inputs
        .iter()
        .flat_map(|b| b.accounts.iter().map(|a| a.account_id))
        .collect();
    let mut found: Vec<i64> = Id::find_by_statement(stmt(
        "SELECT account_id FROM invoices WHERE period = $1 AND account_id = ANY($2) ORDER BY account_id",
        vec![period.first_day().into(), ids.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.account_id)
    .collect();
    found.sort_unstable();
    Ok(found)
}

/// The first `SHOWN` of `found` with their accounts' numbers and `why` in words.
async fn listed<T>(
    tx: &mut sea_orm::sqlx::PgConnection,
    found: Vec<(i64, T)>,
    why: impl Fn(&T) -> String,
) -> AppResult<Vec<AccountError>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = found.iter().take(SHOWN).map(|f| f.0).collect();
    let numbers = store::numbers(tx, &ids).await?;
    Ok(found
        .into_iter()
        .take(SHOWN)
        .map(|(id, item)| AccountError {
            account_id: id,
            number: numbers
                .iter()
                .find(|n| n.0 == id)
                .map(|n| n.1.clone())
                .unwrap_or_default(),
            reason: why(&item),
        })
        .collect())
}

/// A warning of the run: a zero charge for a missing input, or what the main-meter
/// hierarchy leaves unmeasured.
enum Flag {
    Gap(domain::billing::Warning),
    Hierarchy(HierarchyWarning),
}

fn flag_reason(cat: &catalog::Catalog, f: &Flag) -> String {
    use domain::billing::Gap;
    let name = |id: &i32| cat.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    match f {
        Flag::Gap(w) => {
            let why = match w.gap {
                Gap::NoArea => "is charged nothing: the premises have no area",
                Gap::NoResidents => "is charged nothing: nobody lives there in the period",
            };
            format!("service {} {why}", name(&w.service_id))
        }
        Flag::Hierarchy(HierarchyWarning::NoMain { service_id, .. }) => format!(
            "the apartment meter of service {} has no working main meter though the building has one: assign it",
            name(service_id)
        ),
        Flag::Hierarchy(HierarchyWarning::MainGap {
            serial,
            service_id,
            removed_on,
            next: Some(next),
            ..
        }) => format!(
            "main meter {serial} of service {} was removed on {removed_on} and its replacement installed on {next}: the days between are not metered",
            name(service_id)
        ),
        Flag::Hierarchy(HierarchyWarning::MainGap {
            serial,
            service_id,
            removed_on,
            next: None,
            ..
        }) => format!(
            "main meter {serial} of service {} was removed on {removed_on} and no replacement is installed: the rest of the period is not metered",
            name(service_id)
        ),
    }
}

fn reason(cat: &catalog::Catalog, e: &CalcError) -> String {
    let (what, id) = match e {
        CalcError::NoTariff(id) => ("has no tariff in force on", *id),
        CalcError::NoNorm(id) => ("has no consumption norm in force on", *id),
    };
    let name = cat
        .names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| id.to_string());
    format!("service {name} {what} {}", cat.period.first_day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_buildings_whole_and_near_the_size() {
        let list: Vec<(i32, i64)> = (1..=300).map(|b| (b, 20 + i64::from(b % 80))).collect();
        let plan = chunks(&list);
        let all: Vec<i32> = plan.iter().flatten().copied().collect();
        assert_eq!(
            all,
            (1..=300).collect::<Vec<_>>(),
            "every building once, in order"
        );
        for c in &plan {
            let n: i64 = c.iter().map(|b| list[(*b - 1) as usize].1).sum();
            assert!(n <= CHUNK, "{n}");
        }
        assert!(plan.len() >= 4);
        // A building bigger than a chunk is a chunk of its own.
        let big = chunks(&[(1, 10), (2, CHUNK * 2), (3, 10)]);
        assert_eq!(big, vec![vec![1], vec![2], vec![3]]);
        assert!(chunks(&[]).is_empty());
    }
}
