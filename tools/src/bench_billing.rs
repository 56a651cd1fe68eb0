//! Billing benchmarks, printing their figures:
//!
//! - `tools bench-engine [N]`: the engine alone over N synthetic account-periods
//!   (default 200,000; buildings of 60 accounts with six services each: cold water by a
//!   meter, hot water averaged, sewerage by norm, heating and maintenance by area, the
//!   common-house share; payments, opening debt with penalty, a few beneficiaries) on one
//!   core: account-periods per second.
//! - `tools bench-billing SLUG`: a generated tenant's open period calculated as the job
//!   does (after this month's readings are added for every meter, as controllers would
//!   enter them), then re-formed; next to it the time PostgreSQL takes to `COPY` the same
//!   rows (invoices and lines) into copies of the tables, the floor; and the process's peak
//!   memory (it runs the worker's code).

use std::time::Instant;

use chrono::NaiveDate;
use domain::billing::{
    AccountInput, BenefitInput, BuildingInput, BuildingMeter, MeterInput, Method, Norm,
    PaymentInput, PenaltyRule, PeriodReading, ServiceInput, Settings, Stay, calculate_building,
};
use domain::{Period, TenantSlug};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, TransactionTrait};

use backend::auth::Reach;
use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::tenancy;
use billing::run::{self, Scope};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn svc(id: i32, method: Method, tariff: Decimal) -> ServiceInput {
    ServiceInput {
        tariff: Some(tariff),
        ..ServiceInput::new(id, method, Stay::new(Some(d(2020, 1, 1)), None))
    }
}

/// Synthetic buildings for the engine benchmark (deterministic).
fn synthetic(accounts: usize, period: Period) -> Vec<BuildingInput> {
    let prev = period.prev();
    let mut out = Vec::new();
    let mut k = 0usize;
    while k < accounts {
        let n = (accounts - k).min(60);
        let mut list = Vec::with_capacity(n);
        for j in 0..n {
            let i = k + j;
            let used = Decimal::from(3 + i % 8);
            let mut xvs = svc(1, Method::Metered, Decimal::new(284_500, 4));
            xvs.meters = vec![MeterInput {
                id: i as i64,
                installed_on: d(2021, 1, 1),
                removed_on: None,
                reading: Some(PeriodReading {
                    previous: Decimal::from(100),
                    current: Decimal::from(100) + used,
                    consumption: used,
                }),
                history: vec![(prev, used)],
                main_id: Some(-1),
            }];
            xvs.norm = Some(Norm::PerPerson(Decimal::new(36, 1)));
            xvs.social_norm = Some(Decimal::new(24, 1));
            let mut gvs = svc(2, Method::Metered, Decimal::new(982_400, 4));
            gvs.meters = vec![MeterInput {
                id: (i + 10_000_000) as i64,
                installed_on: d(2021, 1, 1),
                removed_on: None,
                reading: None,
                history: vec![(prev, Decimal::from(2)), (prev.prev(), Decimal::from(3))],
                main_id: None,
            }];
            let mut vv = svc(3, Method::Norm, Decimal::new(171_100, 4));
            vv.norm = Some(Norm::PerPerson(Decimal::new(59, 1)));
            let mut opal = svc(4, Method::Area, Decimal::new(486_200, 4));
            opal.seasonal = true;
            opal.seasons = vec![
                (d(2025, 10, 15), d(2026, 4, 15)),
                (d(2026, 10, 15), d(2027, 4, 15)),
            ];
            let utr = svc(5, Method::Area, Decimal::new(84_500, 4));
            let mut odn = svc(6, Method::CommonHouse, Decimal::new(284_500, 4));
            odn.base_service_id = Some(1);
            odn.common_limit = Some(Decimal::new(15, 1));
            let mut services = vec![xvs, gvs, vv, opal, utr, odn];
            if i.is_multiple_of(3) {
                for (s, amount) in services.iter_mut().zip([120, 300, 150, 900, 400, 10]) {
                    s.opening = Decimal::from(amount);
                    s.debt_history = vec![(prev, Decimal::from(amount))];
                }
            }
            if i.is_multiple_of(20) {
                for s in services.iter_mut().take(4) {
                    s.benefits = vec![BenefitInput {
                        percent: Decimal::from(50),
                        covered: vec![Stay::new(Some(d(2020, 1, 1)), None)],
                    }];
                }
            }
            list.push(AccountInput {
                account_id: i as i64,
                total_area: Decimal::new(520 + (i % 400) as i64, 1),
                heated_area: Decimal::new(520 + (i % 400) as i64, 1),
                residents: vec![Stay::new(Some(d(2020, 1, 1)), None); 1 + i % 4],
                services,
                payments: if i % 10 == 9 {
                    Vec::new()
                } else {
                    vec![PaymentInput {
                        paid_on: period.first_day() + chrono::Duration::days(14),
                        amount: Decimal::from(150 + i % 500),
                        service_id: None,
                    }]
                },
                no_penalty: false,
                penalty_under_agreement_waived: false,
                riser: None,
                entrance: None,
            });
        }
        out.push(BuildingInput {
            building_id: out.len() as i32,
            accounts: list,
            meters: vec![BuildingMeter::house(
                -1,
                1,
                Some(Decimal::from(n as i64 * 7)),
            )],
        });
        k += n;
    }
    out
}

/// The engine alone, on this thread.
pub fn engine(accounts: usize) -> AppResult<()> {
    let period = Period::new(2026, 11).map_err(|e| AppError::Internal(e.to_string()))?;
    let inputs = synthetic(accounts, period);
    let settings = Settings {
        penalty: PenaltyRule::Ukraine,
        rates: vec![(d(2026, 1, 1), Decimal::new(155, 1))],
        ..Settings::default()
    };
    let started = Instant::now();
    let mut lines = 0usize;
    let mut errors = 0usize;
    for b in &inputs {
        let r = calculate_building(b, period, &settings);
        for a in &r.accounts {
            match &a.lines {
                Ok(l) => lines += l.len(),
                Err(_) => errors += 1,
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "engine: {accounts} account-periods ({lines} lines, {errors} errors) in {secs:.3} s = {:.0} account-periods/s on one core",
        accounts as f64 / secs
    );
    Ok(())
}

/// A tenant's open period, calculated and re-formed, against the COPY floor.
pub async fn billing(state: &AppState, slug: &TenantSlug) -> AppResult<()> {
    let txn = tenancy::begin(&state.db, slug).await?;
    let period = metering::readings::current_open(&txn).await?;
    let first = period.first_day();
    let started = Instant::now();
    let added = txn
        .execute_raw(platform::sql::stmt(
            "INSERT INTO readings (meter_id, period, taken_on, previous, current, consumption, basis, source, \
                                   entered_by, entered_at) \
             SELECT meter_id, $1, $1 + 20, current, current + consumption, consumption, 'actual', 'controller', \
                    'bench', now() FROM readings WHERE period = $2 ON CONFLICT (meter_id, period) DO NOTHING",
            vec![first.into(), period.prev().first_day().into()],
        ))
        .await?
        .rows_affected();
    txn.commit().await?;
    // Statistics need the tables' owner (the tenant role may not gather them).
    state
        .owner_db
        .execute_unprepared(&format!("ANALYZE \"{}\".readings", slug.schema()))
        .await?;
    println!(
        "readings of {period} added: {added} in {:.1} s (not part of the calculation)",
        started.elapsed().as_secs_f64()
    );
    // A period calculated for the first time: no invoices of it yet (those of an earlier
    // run of this benchmark are removed, and the tables vacuumed, before the clock starts).
    let started = Instant::now();
    let owner = state.owner_db.begin().await?;
    owner
        .execute_unprepared(&format!(
            "DELETE FROM \"{s}\".invoice_lines WHERE period = DATE '{first}'; \
             DELETE FROM \"{s}\".invoices WHERE period = DATE '{first}'",
            s = slug.schema()
        ))
        .await?;
    owner.commit().await?;
    state
        .db
        .execute_unprepared(&format!(
            "VACUUM ANALYZE \"{s}\".invoice_lines, \"{s}\".invoices, \"{s}\".accounts",
            s = slug.schema()
        ))
        .await?;
    println!(
        "earlier invoices of {period} removed, tables vacuumed: {:.1} s (not part of the calculation)",
        started.elapsed().as_secs_f64()
    );
    let everything = Reach::default();
    let mut first_run = None;
    for label in ["calculate", "re-form"] {
        let now = chrono::Utc::now();
        let s = run::calculate(
            &state.db,
            slug,
            period,
            Scope::Tenant,
            &everything,
            None,
            now,
            |_, _, _| async { Ok(()) },
        )
        .await?;
        println!(
            "{label} {period}: {} accounts, {} invoices, {} errors, {} negative house remainders in {:.1} s ({:.0} accounts/s; reading {:.1} s, engine {:.1} s, writing {:.1} s)",
            s.accounts,
            s.invoices,
            s.error_count,
            s.negative_remainders,
            s.seconds,
            s.accounts as f64 / s.seconds.max(1e-9),
            s.load_seconds,
            s.engine_seconds,
            s.write_seconds
        );
        if first_run.is_none() {
            first_run = Some(s.seconds);
        }
    }
    // The first run (nothing to replace) is the one the floor compares with.
    let run_secs = first_run.unwrap_or(0.0);

    // The simulation of the same period: the same reading and engine, compared instead of
    // written (issue 19: within 1.5× the calculation, memory bounded).
    let sim = billing::simulate::simulate(
        &state.db,
        slug,
        period,
        Scope::Tenant,
        &everything,
        chrono::Utc::now().date_naive(),
        |_, _| async { Ok(()) },
    )
    .await?;
    println!(
        "simulate {period}: {} accounts, {} lines compared, {} differ, in {:.1} s ({:.2}x the calculation); peak RSS so far {:.0} MB",
        sim.accounts,
        sim.lines,
        sim.differing_lines,
        sim.seconds,
        sim.seconds / run_secs.max(1e-9),
        crate::bench_reports::peak_rss_mb().unwrap_or_default()
    );

    // The floor: the same rows loaded by COPY into copies of the tables (same keys).
    let schema = slug.schema();
    let txn = state.owner_db.begin().await?;
    let files = [
        ("invoices", "/tmp/billing-bench-invoices.copy"),
        ("invoice_lines", "/tmp/billing-bench-lines.copy"),
    ];
    for (table, file) in files {
        txn.execute_unprepared(&format!(
            "CREATE TABLE \"{schema}\".bench_copy_{table} (LIKE \"{schema}\".{table} INCLUDING ALL); \
             COPY (SELECT * FROM \"{schema}\".{table} WHERE period = DATE '{first}') TO '{file}'"
        ))
        .await?;
    }
    txn.commit().await?;
    let txn = state.owner_db.begin().await?;
    let started = Instant::now();
    let mut rows = 0;
    for (table, file) in files {
        rows += txn
            .execute_unprepared(&format!(
                "COPY \"{schema}\".bench_copy_{table} FROM '{file}'"
            ))
            .await?
            .rows_affected();
    }
    txn.commit().await?;
    let floor = started.elapsed().as_secs_f64();
    let txn = state.owner_db.begin().await?;
    for (table, _) in files {
        txn.execute_unprepared(&format!("DROP TABLE \"{schema}\".bench_copy_{table}"))
            .await?;
    }
    txn.commit().await?;
    println!(
        "COPY floor: {rows} rows (invoices and lines) in {floor:.1} s; the first calculation took {:.1}× that",
        run_secs / floor.max(1e-9)
    );
    if let Some(mb) = crate::bench_reports::peak_rss_mb() {
        println!("peak memory of this process (the worker's code): {mb:.0} MB");
    }
    Ok(())
}
