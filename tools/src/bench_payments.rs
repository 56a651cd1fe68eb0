//! `tools bench-payments SLUG [N]`: a bank registry of N rows (100,000) for as many of
//! the tenant's accounts, in the common `#FILESUM` cp1251 layout, parsed, matched and
//! posted the way the worker job does it (one transaction); then a second file with the
//! same payments, which must pay nothing. Last month's invoices are stood in for the time
//! of the run (so every payment is split over its services) and everything is removed
//! afterwards.

use std::time::Instant;

use chrono::{Datelike, Utc};
use domain::TenantSlug;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use backend::audit::Actor;
use backend::auth::Reach;
use backend::error::AppResult;
use backend::state::AppState;
use backend::tenancy;
use metering::readings;
use payments::{file, import, templates, upload};

#[derive(FromQueryResult)]
struct Account {
    id: i64,
    number: String,
}

#[derive(FromQueryResult)]
struct TemplateId {
    id: i32,
}

fn stmt(sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

pub async fn file_import(state: &AppState, slug: &TenantSlug, n: i64) -> AppResult<()> {
    let run = Utc::now().timestamp();
    let txn = tenancy::begin(&state.db, slug).await?;
    let open = readings::current_open(&txn).await?;
    let prev = open.prev();
    let accounts = Account::find_by_statement(stmt(
        "SELECT id, number FROM accounts ORDER BY id LIMIT $1",
        vec![n.into()],
    ))
    .all(&txn)
    .await?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    // Last month's invoice lines for these accounts, as the calculation leaves them.
    txn.execute_raw(stmt(
        "INSERT INTO invoice_lines (period, account_id, service_id, method, quantity, tariff, opening, charged, \
                                    recalculation, benefit, subsidy, penalty, paid, closing, steps) \
         SELECT $1, s.account_id, s.service_id, 'fixed', 0, 0, 0, 40 + s.service_id * 7, 0, 0, 0, 0, 0, \
                40 + s.service_id * 7, '[]' \
         FROM (SELECT DISTINCT account_id, service_id FROM account_services WHERE account_id = ANY($2)) s \
         ON CONFLICT DO NOTHING",
        vec![prev.first_day().into(), ids.clone().into()],
    ))
    .await?;
    let template = TemplateId::find_by_statement(stmt(
        "SELECT id FROM payment_templates WHERE encoding = 'cp1251' AND sum_marker = '#FILESUM' ORDER BY id LIMIT 1",
        vec![],
    ))
    .one(&txn)
    .await?
    .map(|t| t.id)
    .ok_or_else(|| backend::error::AppError::NotFound("the #FILESUM template".into()))?;
    txn.commit().await?;

    let t = Instant::now();
    let paid_on = prev.first_day().with_day(20).unwrap_or(prev.first_day());
    let mut body = String::with_capacity(accounts.len() * 90);
    let mut sum = Decimal::ZERO;
    for (i, a) in accounts.iter().enumerate() {
        let amount = Decimal::new(10_000 + (i as i64 * 37) % 90_000, 2);
        sum += amount;
        body.push_str(&format!(
            "{};10:{:02};B{run}-{i};1;{};Платник {i};Адреса {i};{};{}\n",
            paid_on.format("%d-%m-%Y"),
            i % 60,
            a.number,
            prev,
            amount.to_string().replace('.', ",")
        ));
    }
    let text = format!(
        "#FILESUM {}\n#FILELINES {}\n{body}",
        sum.to_string().replace('.', ","),
        accounts.len()
    );
    let bytes = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
    println!(
        "payments file: {} rows, {:.1} MB, written in {:.2} s",
        accounts.len(),
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let actor = Actor {
        user_id: None,
        login: "bench".into(),
    };
    let received_on = open
        .first_day()
        .max(Utc::now().date_naive().min(open.last_day()));
    let mut files = Vec::new();
    for (label, bytes) in [
        ("first file", bytes.clone()),
        (
            "same payments again",
            [b"#NOTE resent\n".as_slice(), &bytes].concat(),
        ),
    ] {
        let t = Instant::now();
        let txn = tenancy::begin(&state.db, slug).await?;
        let (file_id, date_format) = upload::register(
            &txn,
            &actor,
            Utc::now(),
            &upload::Registration {
                file_name: format!("bench-{run}.txt"),
                sha256: format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes)),
                object_key: "bench".into(),
                size: bytes.len() as i64,
                template_id: template,
                bank_id: None,
                received_on,
                charge_period: Some(prev),
            },
        )
        .await?;
        let tv = templates::by_id(&txn, template).await?;
        let parse_started = Instant::now();
        let parsed = file::parse(&bytes, &templates::layout(&tv)?);
        let parse = parse_started.elapsed().as_secs_f64();
        let outcome = import::apply(
            &txn,
            &actor,
            Utc::now(),
            &Reach::default(),
            file_id,
            &date_format,
            parsed,
        )
        .await?;
        txn.commit().await?;
        files.push(file_id);
        println!(
            "{label:<20}: {} rows, paid {} ({}), refused {}{} — parse {parse:.2} s, parse+match+post {:.2} s",
            outcome.rows,
            outcome.loaded,
            outcome.amount_loaded,
            outcome.refused,
            outcome
                .message
                .map(|m| format!(" [{m}]"))
                .unwrap_or_default(),
            t.elapsed().as_secs_f64()
        );
    }
    let txn = tenancy::begin(&state.db, slug).await?;
    txn.execute_raw(stmt(
        "DELETE FROM payments WHERE file_id = ANY($1)",
        vec![files.clone().into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "DELETE FROM payment_files WHERE id = ANY($1)",
        vec![files.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "DELETE FROM invoice_lines WHERE period = $1 AND method = 'fixed' AND steps::text = '[]' AND account_id = ANY($2)",
        vec![prev.first_day().into(), ids.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}
