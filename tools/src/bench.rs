//! Benchmarks kept in the repository: commands that print the figure they measure.
//!
//! `tools bench-registry N [SEED]`: generates a fresh tenant of N accounts and reports
//! how long that took, then searches it by account number, holder name and address
//! through the same repository function the API uses, and prints p50/p95 latencies.

use std::time::Instant;

use domain::TenantSlug;
use sea_orm::{DbBackend, FromQueryResult, Statement};

use crate::generator::{self, Size};
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use backend::tenants::{self, NewTenant};
use registry::accounts::{self, AccountFilter, AccountSort};

#[derive(FromQueryResult)]
struct Sample {
    number: String,
    holder_name: String,
    address: String,
}

/// The value at fraction `p` of sorted latencies (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

pub async fn registry(state: &AppState, accounts_n: i64, seed: i64) -> AppResult<()> {
    let slug = TenantSlug::parse(&format!("bench_{accounts_n}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tenants::migrate_control(&state.owner_db).await?;
    tenants::drop(&state.owner_db, &slug).await?;
    tenants::create(
        &state.owner_db,
        &NewTenant::ukrainian(slug.clone(), "Benchmark"),
        chrono::Utc::now(),
    )
    .await?;
    let started = Instant::now();
    let report = generator::generate(
        state,
        &slug,
        Size {
            accounts: accounts_n,
            seed,
        },
    )
    .await?;
    let total = started.elapsed().as_secs_f64();
    for (step, secs) in &report.steps {
        println!("generate {step:<16} {secs:>8.2} s");
    }
    searches(state, &slug, Some(total)).await
}

/// The search figures on an existing tenant (`tools bench-search SLUG`), e.g. again
/// after the generator's writes have settled; with `generated_in`, also the accounts/s.
pub async fn searches(
    state: &AppState,
    slug: &TenantSlug,
    generated_in: Option<f64>,
) -> AppResult<()> {
    let slug = slug.clone();
    let txn = tenancy::begin(&state.db, &slug).await?;
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    let made = N::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT count(*) AS n FROM accounts",
    ))
    .one(&txn)
    .await?
    .map_or(0, |r| r.n);
    let samples = Sample::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT number, holder_name, address FROM accounts WHERE id % $1 = 0 ORDER BY id LIMIT 200",
        [(made / 200).max(1).into()],
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    match generated_in {
        Some(total) => println!(
            "generated {made} accounts in {total:.1} s ({:.0} accounts/s)",
            made as f64 / total.max(0.001)
        ),
        None => println!("{made} accounts"),
    }

    type Pick = fn(&Sample) -> String;
    let kinds: [(&str, Pick); 4] = [
        ("number", |s| s.number.clone()),
        ("name", |s| s.holder_name.clone()),
        ("address", |s| s.address.clone()),
        ("surname+name", |s| {
            s.holder_name
                .split(' ')
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        }),
    ];
    for (kind, pick) in kinds {
        let mut times = Vec::with_capacity(samples.len());
        for s in &samples {
            let filter = AccountFilter {
                search: Some(pick(s)),
                ..Default::default()
            };
            let t = Instant::now();
            let txn = tenancy::begin(&state.db, &slug).await?;
            let (found, _) =
                accounts::page(&txn, &filter, AccountSort::Number, false, 0, 20).await?;
            txn.commit().await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if found == 0 {
                return Err(AppError::Internal(format!(
                    "search by {kind} found nothing for {}",
                    pick(s)
                )));
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "search by {kind:<13} n={:<4} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or_default()
        );
    }
    Ok(())
}
