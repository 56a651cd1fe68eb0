//! `tools bench-imports N`: a fresh tenant (the demo's reference books, no accounts of the
//! set) onboarded from the generator's set of N accounts — accounts with premises,
//! residents from counts, the meter registry, opening balances — each file stored, read
//! and posted by the import job exactly as an upload is; the time per file, in all, and the
//! process's peak memory. `tools onboarding-set SLUG N DIR` writes the same set for a
//! tenant's services, to try by hand (docs/onboarding.md).

use std::time::Instant;

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::FromQueryResult;

use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use imports::files::{self, Registration};
use imports::job::DataImport;
use imports::kinds::Kind;
use imports::samples;
use platform::audit::Actor;
use platform::jobs::progress::Progress;
use platform::storage::ObjectStore;

/// The first account number of a generated set (above the demo's and the samples').
const FIRST: u64 = 1_000_001;

async fn catalogue_and_start(
    state: &AppState,
    slug: &TenantSlug,
) -> AppResult<(samples::Catalogue, chrono::NaiveDate)> {
    let txn = tenancy::begin(&state.db, slug).await?;
    let catalogue = samples::catalogue(&txn).await?;
    let open = metering::readings::current_open(&txn).await?;
    txn.commit().await?;
    Ok((catalogue, open.first_day()))
}

/// Writes the onboarding set of `n` accounts for `slug`'s services into `dir`.
pub async fn write_set(state: &AppState, slug: &TenantSlug, n: usize, dir: &str) -> AppResult<()> {
    let (catalogue, start) = catalogue_and_start(state, slug).await?;
    std::fs::create_dir_all(dir).map_err(|e| AppError::Internal(e.to_string()))?;
    for (_, name, text) in samples::set(n, FIRST, &catalogue, start) {
        let path = format!("{dir}/{name}");
        std::fs::write(&path, text).map_err(|e| AppError::Internal(e.to_string()))?;
        println!("{path}");
    }
    Ok(())
}

pub async fn onboarding(state: &AppState, n: usize) -> AppResult<()> {
    let slug = TenantSlug::parse(&format!("bench_imports_{n}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    backend::tenants::migrate_control(&state.owner_db).await?;
    backend::tenants::drop(&state.owner_db, &slug).await?;
    crate::demo::fixture::ensure(state, &slug, Utc::now()).await?;
    state.store.ensure_bucket().await?;
    let (catalogue, start) = catalogue_and_start(state, &slug).await?;
    let set = samples::set(n, FIRST, &catalogue, start);
    let actor = Actor {
        user_id: None,
        login: "bench".into(),
    };
    let all = Instant::now();
    for (kind, name, text) in set {
        let started = Instant::now();
        let bytes = text.into_bytes();
        let rows = bytes.iter().filter(|b| **b == b'\n').count() - 1;
        let key = ObjectStore::tenant_key(&slug, &format!("uploads/bench-{name}"));
        let sha256 = access::uploads::sha256(&bytes);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        state.store.put(&key, bytes, "text/csv").await?;
        let txn = tenancy::begin(&state.db, &slug).await?;
        let template = template(&txn, kind).await?;
        let id = files::register(
            &txn,
            &actor,
            Utc::now(),
            &Registration {
                kind,
                template_id: template,
                options: Default::default(),
                file_name: name.clone(),
                archive: None,
                sha256,
                object_key: key,
                size,
            },
        )
        .await?;
        txn.commit().await?;
        let spec = DataImport {
            import: kind,
            file_ids: vec![id],
            post: true,
            duplicates: Vec::new(),
            reach: Default::default(),
            lang: "en".into(),
            user_id: None,
            login: actor.login.clone(),
        };
        // The job's row, as the resolver records it (its progress is written there); the
        // bench runs it here rather than through the queue.
        let txn = tenancy::begin(&state.db, &slug).await?;
        let (row, _) = platform::jobs::rows::record(&txn, &slug, &spec, Utc::now()).await?;
        txn.commit().await?;
        let job_id = row.id;
        let result = imports::job::run(
            state,
            &slug,
            job_id,
            &spec,
            &Progress::new(state, &slug, job_id),
        )
        .await?;
        let f = &result["files"][0];
        if f["state"] != "posted" {
            return Err(AppError::Internal(format!("{name} was not posted: {f}")));
        }
        println!(
            "{:<14} {rows:>8} rows  {:>7.1} s",
            kind.code(),
            started.elapsed().as_secs_f64()
        );
    }
    println!(
        "onboarding of {n} accounts: {:.1} s in all; peak memory of this process {:.0} MB",
        all.elapsed().as_secs_f64(),
        crate::bench_reports::peak_rss_mb().unwrap_or_default()
    );
    Ok(())
}

async fn template(txn: &sea_orm::DatabaseTransaction, kind: Kind) -> AppResult<i32> {
    #[derive(FromQueryResult)]
    struct Id {
        id: i32,
    }
    Id::find_by_statement(platform::sql::stmt(
        "SELECT id FROM import_templates WHERE kind = $1 AND name = 'CSV (UTF-8, ;)'",
        vec![kind.code().into()],
    ))
    .one(txn)
    .await?
    .map(|r| r.id)
    .ok_or_else(|| AppError::Internal("the shipped CSV template is missing".into()))
}
