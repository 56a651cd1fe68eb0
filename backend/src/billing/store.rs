//! Writing a chunk's invoices: the accounts' old invoices of the period and their lines
//! are deleted and the new ones inserted in bulk (`unnest` of column arrays), inside the
//! chunk's transaction — so a chunk is either wholly re-formed or untouched, and running
//! it again gives the same rows.

use chrono::{DateTime, Utc};
use domain::Period;
use domain::billing::Line;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::registry::stmt;

/// Rows per statement (a statement's arrays stay a few MB).
const ROWS: usize = 20_000;

#[derive(Default)]
struct Invoices {
    account: Vec<i64>,
    totals: [Vec<Decimal>; 8],
}

#[derive(Default)]
struct Lines {
    account: Vec<i64>,
    service: Vec<i32>,
    method: Vec<String>,
    basis: Vec<String>,
    quantity: Vec<Decimal>,
    tariff: Vec<Decimal>,
    amounts: [Vec<Decimal>; 8],
    steps: Vec<String>,
}

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

/// Replaces the period's invoices of `scope` (every account the chunk covered, so an
/// account that could not be calculated is left without a stale invoice) with `results`.
/// With `balances`, the accounts' current balance becomes the invoice's closing.
pub async fn write(
    txn: &DatabaseTransaction,
    period: Period,
    job_id: Option<Uuid>,
    now: DateTime<Utc>,
    scope: &[i64],
    results: &[(i64, &[Line])],
    balances: bool,
) -> AppResult<usize> {
    let first = period.first_day();
    txn.execute_raw(stmt(
        "DELETE FROM invoice_lines WHERE period = $1 AND account_id = ANY($2)",
        vec![first.into(), scope.to_vec().into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "DELETE FROM invoices WHERE period = $1 AND account_id = ANY($2)",
        vec![first.into(), scope.to_vec().into()],
    ))
    .await?;
    let mut inv = Invoices::default();
    let mut lines = Lines::default();
    for (account, ls) in results {
        inv.account.push(*account);
        let mut t = [Decimal::ZERO; 8];
        for l in *ls {
            let a = amounts(l);
            for (sum, v) in t.iter_mut().zip(a) {
                *sum += v;
            }
            lines.account.push(*account);
            lines.service.push(l.service_id);
            lines.method.push(l.method.code().to_owned());
            lines
                .basis
                .push(l.basis.map(|b| b.code().to_owned()).unwrap_or_default());
            lines.quantity.push(l.quantity);
            lines.tariff.push(l.tariff);
            for (col, v) in lines.amounts.iter_mut().zip(a) {
                col.push(v);
            }
            lines.steps.push(
                serde_json::to_string(&l.steps).map_err(|e| AppError::Internal(e.to_string()))?,
            );
        }
        for (col, v) in inv.totals.iter_mut().zip(t) {
            col.push(v);
        }
    }
    for start in (0..inv.account.len()).step_by(ROWS) {
        let end = (start + ROWS).min(inv.account.len());
        let mut values: Vec<sea_orm::Value> = vec![inv.account[start..end].to_vec().into()];
        values.extend(inv.totals.iter().map(|c| c[start..end].to_vec().into()));
        values.extend([first.into(), now.into(), job_id.into()]);
        txn.execute_raw(stmt(
            "INSERT INTO invoices (account_id, period, formed_at, job_id, opening, charged, recalculation, \
                                   benefit, subsidy, penalty, paid, closing) \
             SELECT u.a, $10, $11, $12, u.o, u.c, u.r, u.b, u.s, u.p, u.pd, u.cl \
             FROM unnest($1::bigint[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[], \
                         $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[]) \
                  AS u(a, o, c, r, b, s, p, pd, cl)",
            values,
        ))
        .await?;
        if balances {
            txn.execute_raw(stmt(
                "UPDATE accounts SET balance = u.cl FROM unnest($1::bigint[], $2::numeric[]) AS u(a, cl) \
                 WHERE accounts.id = u.a AND accounts.balance IS DISTINCT FROM u.cl",
                vec![
                    inv.account[start..end].to_vec().into(),
                    inv.totals[7][start..end].to_vec().into(),
                ],
            ))
            .await?;
        }
    }
    for start in (0..lines.account.len()).step_by(ROWS) {
        let end = (start + ROWS).min(lines.account.len());
        let mut values: Vec<sea_orm::Value> = vec![
            lines.account[start..end].to_vec().into(),
            lines.service[start..end].to_vec().into(),
            lines.method[start..end].to_vec().into(),
            lines.basis[start..end].to_vec().into(),
            lines.quantity[start..end].to_vec().into(),
            lines.tariff[start..end].to_vec().into(),
        ];
        values.extend(lines.amounts.iter().map(|c| c[start..end].to_vec().into()));
        values.push(lines.steps[start..end].to_vec().into());
        values.push(first.into());
        txn.execute_raw(stmt(
            "INSERT INTO invoice_lines (period, account_id, service_id, method, basis, quantity, tariff, \
                                        opening, charged, recalculation, benefit, subsidy, penalty, paid, \
                                        closing, steps) \
             SELECT $16, u.a, u.s, u.m, nullif(u.b, ''), u.q, u.t, u.o, u.c, u.r, u.bn, u.sb, u.p, u.pd, \
                    u.cl, u.st::jsonb \
             FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], \
                         $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], \
                         $12::numeric[], $13::numeric[], $14::numeric[], $15::text[]) \
                  AS u(a, s, m, b, q, t, o, c, r, bn, sb, p, pd, cl, st)",
            values,
        ))
        .await?;
    }
    // Subsidies used by an invoice can no longer be deleted.
    txn.execute_raw(stmt(
        "UPDATE subsidies s SET invoice_id = i.id FROM invoices i \
         WHERE s.period = $1 AND s.account_id = ANY($2) AND i.account_id = s.account_id AND i.period = s.period",
        vec![first.into(), scope.to_vec().into()],
    ))
    .await?;
    Ok(inv.account.len())
}
