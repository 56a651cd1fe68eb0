//! `tools bench-report SLUG`: the turnover sheet (оборотно-сальдова відомість) of the
//! latest month with invoices, every account of the tenant, written to XLSX by the
//! list-export job run in this process as a worker runs it (keyset pages, constant-memory
//! sheet) and stored; prints the rows, the seconds, the file's size and the process's peak
//! resident memory (the process does nothing else).

use std::time::Instant;

use chrono::Utc;
use domain::TenantSlug;
use sea_orm::FromQueryResult;

use backend::error::{AppError, AppResult};
use backend::jobs::list_export::{ListExport, ListKind};
use backend::jobs::{self, JobKind, runner};
use backend::state::AppState;
use backend::tenancy;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Month {
    month: Option<chrono::NaiveDate>,
}

/// The process's peak resident memory, MB (Linux).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn turnover(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let txn = tenancy::begin(&state.db, slug).await?;
    let month = Month::find_by_statement(stmt("SELECT max(period) AS month FROM invoices", vec![]))
        .one(&txn)
        .await?
        .and_then(|m| m.month)
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{slug} has no invoices: run `tools bench-billing {slug}` first"
            ))
        })?;
    let spec = JobKind::ListExport(Box::new(ListExport {
        report: Some(reports::catalog::ReportInput {
            kind: reports::catalog::ReportKind::Turnover,
            period: Some(month.format("%Y-%m").to_string()),
            from: None,
            to: None,
            branch_id: None,
            building_id: None,
            min_debt: None,
            controller_id: None,
        }),
        ..ListExport::new(ListKind::Report, Default::default(), "uk".into())
    }));
    let (row, msg) = jobs::record(&txn, slug, &spec, Utc::now()).await?;
    txn.commit().await?;
    let started = Instant::now();
    let outcome = runner::execute(state, &msg).await?;
    let secs = started.elapsed().as_secs_f64();
    let txn = tenancy::begin(&state.db, slug).await?;
    let job = jobs::get(&txn, row.id).await?;
    txn.commit().await?;
    let result = job.result.unwrap_or_default();
    let key = result["objectKey"].as_str().unwrap_or_default().to_owned();
    let size = if key.is_empty() {
        0
    } else {
        state.store.get(&key).await.map(|b| b.len()).unwrap_or(0)
    };
    println!(
        "turnover of {}: {outcome:?}, {} rows to XLSX in {secs:.1} s ({:.1} MB); peak RSS of the process {:.0} MB",
        month.format("%Y-%m"),
        result["rows"],
        size as f64 / 1_048_576.0,
        peak_rss_mb().unwrap_or_default()
    );
    Ok(())
}
