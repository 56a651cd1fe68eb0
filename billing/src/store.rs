//! Writing a chunk's invoices: the accounts' old invoices of the period and their lines
//! are deleted and the new ones loaded with `COPY … FROM STDIN` (text format), inside the
//! chunk's write transaction — so a chunk is either wholly re-formed or untouched, and
//! running it again gives the same rows. COPY, not INSERT: at a million accounts the
//! statement parameters (one boxed value per cell) cost the client more than the engine.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use domain::Period;
use domain::billing::Line;
use rust_decimal::Decimal;
use sea_orm::sqlx::{self, PgConnection};
use uuid::Uuid;

use platform::error::{AppError, AppResult};

/// Bytes sent to COPY at a time.
const SEND: usize = 1 << 20;

fn amounts(l: &Line) -> [Decimal; 8] {
    [
        l.opening,
        l.charged,
        l.recalculation,
        l.benefit,
        l.subsidy,
        l.penalty,
        l.paid,
        l.closing,
    ]
}

/// Appends `text` escaped for COPY's text format.
fn push_text(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => buf.push_str("\\\\"),
            '\t' => buf.push_str("\\t"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            c => buf.push(c),
        }
    }
}

fn fmt_err(e: std::fmt::Error) -> AppError {
    AppError::Internal(format!("formatting COPY data: {e}"))
}

/// Streams `data` (whole lines) into `COPY <statement>`.
async fn copy(conn: &mut PgConnection, statement: &str, data: &str) -> AppResult<()> {
    let mut c = conn.copy_in_raw(statement).await?;
    let bytes = data.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + SEND).min(bytes.len());
        c.send(&bytes[start..end]).await?;
        start = end;
    }
    c.finish().await?;
    Ok(())
}

/// Replaces the period's invoices of `scope` (every account the chunk covered, so an
/// account that could not be calculated is left without a stale invoice) with `results`.
/// With `balances`, the accounts' current balance becomes the invoice's closing.
pub async fn write(
    conn: &mut PgConnection,
    period: Period,
    job_id: Option<Uuid>,
    now: DateTime<Utc>,
    scope: &[i64],
    results: &[(i64, &[Line])],
    balances: bool,
) -> AppResult<usize> {
    let first = period.first_day();
    // A chunk lost to a crash before it reached the disk is formed again by the job's next
    // attempt, so its commit need not wait for the flush.
    sqlx::raw_sql("SET LOCAL synchronous_commit = off")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM invoice_lines WHERE period = $1 AND account_id = ANY($2)")
        .bind(first)
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM invoices WHERE period = $1 AND account_id = ANY($2)")
        .bind(first)
        .bind(scope)
        .execute(&mut *conn)
        .await?;

    let head = format!(
        "{first}\t{}\t{}",
        now.to_rfc3339(),
        job_id.map_or_else(|| "\\N".to_owned(), |j| j.to_string())
    );
    let mut invoices = String::with_capacity(results.len() * 96);
    let mut lines = String::with_capacity(results.len() * 6 * 256);
    let mut ids = Vec::with_capacity(results.len());
    let mut closings = Vec::with_capacity(results.len());
    for (account, ls) in results {
        let mut t = [Decimal::ZERO; 8];
        for l in *ls {
            let a = amounts(l);
            for (sum, v) in t.iter_mut().zip(a) {
                *sum += v;
            }
            write!(
                lines,
                "{first}\t{account}\t{}\t{}\t{}\t{}\t{}",
                l.service_id,
                l.method.code(),
                l.basis.map_or("\\N", |b| b.code()),
                l.quantity,
                l.tariff
            )
            .map_err(fmt_err)?;
            for v in a {
                write!(lines, "\t{v}").map_err(fmt_err)?;
            }
            lines.push('\t');
            let json =
                serde_json::to_string(&l.steps).map_err(|e| AppError::Internal(e.to_string()))?;
            push_text(&mut lines, &json);
            lines.push('\n');
        }
        write!(invoices, "{account}\t{head}").map_err(fmt_err)?;
        for v in t {
            write!(invoices, "\t{v}").map_err(fmt_err)?;
        }
        invoices.push('\n');
        ids.push(*account);
        closings.push(t[7]);
    }
    copy(
        conn,
        "COPY invoices (account_id, period, formed_at, job_id, opening, charged, recalculation, \
                        benefit, subsidy, penalty, paid, closing) FROM STDIN",
        &invoices,
    )
    .await?;
    copy(
        conn,
        "COPY invoice_lines (period, account_id, service_id, method, basis, quantity, tariff, opening, \
                             charged, recalculation, benefit, subsidy, penalty, paid, closing, steps) FROM STDIN",
        &lines,
    )
    .await?;
    if balances {
        sqlx::query(
            "UPDATE accounts SET balance = u.cl FROM unnest($1::bigint[], $2::numeric[]) AS u(a, cl) \
             WHERE accounts.id = u.a AND accounts.balance IS DISTINCT FROM u.cl",
        )
        .bind(&ids)
        .bind(&closings)
        .execute(&mut *conn)
        .await?;
    } else {
        // An earlier open month re-formed: where it is still an account's latest invoice
        // (the working month has none yet), the balance follows it and the payments since.
        sqlx::query(sqlx::AssertSqlSafe(
            registry::counters::refresh_balances_sql(),
        ))
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
    }
    // Subsidies used by an invoice can no longer be deleted.
    sqlx::query(
        "UPDATE subsidies s SET invoice_id = i.id FROM invoices i \
         WHERE s.period = $1 AND s.account_id = ANY($2) AND i.account_id = s.account_id AND i.period = s.period",
    )
    .bind(first)
    .bind(scope)
    .execute(&mut *conn)
    .await?;
    Ok(ids.len())
}

/// Records the versions of the buildings the chunk formed every invoice of (see
/// `touches`).
pub async fn formed(
    conn: &mut PgConnection,
    period: Period,
    versions: &[(i32, i64)],
) -> AppResult<()> {
    if versions.is_empty() {
        return Ok(());
    }
    let (buildings, numbers): (Vec<i32>, Vec<i64>) = versions.iter().copied().unzip();
    sqlx::query(periods::touches::RECORD_FORMED)
        .bind(period.first_day())
        .bind(&buildings)
        .bind(&numbers)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The period must be open; its row is share-locked in the write transaction, so closing
/// waits for the chunk (and a chunk started after closing is refused).
pub async fn lock_open(conn: &mut PgConnection, period: Period) -> AppResult<()> {
    let state: Option<(String,)> =
        sqlx::query_as("SELECT state FROM periods WHERE month = $1 FOR SHARE")
            .bind(period.first_day())
            .fetch_optional(&mut *conn)
            .await?;
    periods::open_or_refused(period, state.as_ref().map(|s| s.0.as_str()))
}

/// Account numbers of `ids` (for the errors list).
pub async fn numbers(conn: &mut PgConnection, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, number FROM accounts WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?,
    )
}
