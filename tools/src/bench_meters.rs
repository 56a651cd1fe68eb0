//! Meter benchmarks on an existing (generated) tenant, printing their figures:
//!
//! - `tools bench-meters SLUG`: the meters dashboard through the repository function
//!   the API uses — the first page, search by serial, by address, "due soon", "overdue" —
//!   with p50/p95 latencies;
//! - `tools bench-readings-import SLUG [N]`: an XLSX of N readings (default 100,000)
//!   for the tenant's apartment meters, parsed and applied as the import job does, then the
//!   same file again (nothing changes); the readings it wrote are removed afterwards.

use std::time::Instant;

use chrono::Utc;
use domain::TenantSlug;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use crate::bench::percentile;
use backend::audit::Actor;
use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use metering::meters::{self, MeterState, VerificationFilter};
use metering::reading_file;
use metering::reading_import;
use metering::readings;

/// What one dashboard request asks for a sample meter: the search text and the filter.
type Case = dyn Fn(&Sample) -> (Option<String>, Option<VerificationFilter>);

#[derive(FromQueryResult)]
struct Sample {
    serial: String,
    street: String,
}

pub async fn dashboard(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let txn = tenancy::begin(&state.db, slug).await?;
    let samples = Sample::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT m.serial, st.name || ', ' || b.number AS street FROM meters m \
         JOIN buildings b ON b.id = m.building_id JOIN streets st ON st.id = b.street_id \
         WHERE m.install_method = 'apartment' AND m.id % 997 = 0 ORDER BY m.id LIMIT 100",
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    if samples.is_empty() {
        return Err(AppError::Internal(format!("{slug} has no meters")));
    }
    let today = Utc::now().date_naive();
    let cases: Vec<(&str, Box<Case>)> = vec![
        ("first page", Box::new(|_| (None, None))),
        ("by serial", Box::new(|s| (Some(s.serial.clone()), None))),
        ("by address", Box::new(|s| (Some(s.street.clone()), None))),
        (
            "due soon",
            Box::new(|_| (None, Some(VerificationFilter::DueSoon))),
        ),
        (
            "overdue",
            Box::new(|_| (None, Some(VerificationFilter::Overdue))),
        ),
    ];
    for (name, case) in cases {
        let mut times = Vec::with_capacity(samples.len());
        for s in &samples {
            let (search, verification) = case(s);
            let t = Instant::now();
            let txn = tenancy::begin(&state.db, slug).await?;
            let (total, items) = meters::list(
                &txn,
                &Reach::default(),
                MeterState::Working,
                search.as_deref(),
                verification,
                None,
                today,
                0,
                20,
            )
            .await?;
            txn.commit().await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if total == 0 || items.is_empty() {
                return Err(AppError::Internal(format!("{name} found nothing")));
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "meters {name:<11} n={:<4} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or_default()
        );
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Last {
    serial: String,
    current: Decimal,
}

pub async fn import(state: &AppState, slug: &TenantSlug, n: i64) -> AppResult<()> {
    let t = Instant::now();
    let txn = tenancy::begin(&state.db, slug).await?;
    let period = readings::current_open(&txn).await?;
    let meters = Last::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT m.serial, coalesce((SELECT r.current FROM readings r WHERE r.meter_id = m.id \
                                   ORDER BY r.period DESC LIMIT 1), m.initial_reading) AS current \
         FROM meters m WHERE m.install_method = 'apartment' AND m.removed_on IS NULL ORDER BY m.id LIMIT $1",
        [n.into()],
    ))
    .all(&txn)
    .await?;
    txn.commit().await?;
    let xlsx_err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write(0, 0, "Serial").map_err(xlsx_err)?;
    ws.write(0, 1, "Reading").map_err(xlsx_err)?;
    for (row, m) in (1u32..).zip(&meters) {
        let next = (m.current + Decimal::new(45, 1)) % Decimal::from(100_000);
        ws.write(row, 0, m.serial.as_str()).map_err(xlsx_err)?;
        ws.write(row, 1, next.to_string()).map_err(xlsx_err)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx_err)?;
    println!(
        "readings file: {} rows, {:.1} MB, written in {:.2} s",
        meters.len(),
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let actor = Actor {
        user_id: None,
        login: "bench".into(),
    };
    for run in ["first import", "same file again"] {
        let t = Instant::now();
        let rows = reading_file::parse(&bytes)?;
        let parsed = t.elapsed().as_secs_f64();
        let txn = tenancy::begin(&state.db, slug).await?;
        let report = reading_import::apply(
            &txn,
            &actor,
            Utc::now(),
            &Reach::default(),
            period,
            &rows,
            None,
        )
        .await?;
        txn.commit().await?;
        println!(
            "{run:<15}: {} rows, imported {}, unchanged {}, rejected {} — parse {parsed:.2} s, total {:.2} s",
            report.rows,
            report.imported,
            report.unchanged,
            report.rejected.len(),
            t.elapsed().as_secs_f64()
        );
    }
    let txn = tenancy::begin(&state.db, slug).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM readings WHERE entered_by = 'bench' AND period = $1",
        [period.first_day().into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}
