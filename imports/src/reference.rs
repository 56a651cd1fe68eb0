//! The reference tables a migration loads before its accounts: tariffs of price lists (a
//! price list the file names but the tenant lacks is created, so the accounts file can
//! point at it) and the penalty base rate table (the NBU's discount rates, as its .dbf
//! lists them). Both are all-or-nothing and written over a row of the same day.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::FromQueryResult;
use serde_json::json;

use crate::kinds::Kind;
use crate::post::{
    Check, Ctx, Outcome, date_of, exec, lines, reasons, refuse_lines, refused_whole, stage_table,
    text_of,
};
use crate::read::{Record, number};
use platform::error::AppResult;
use platform::sql::stmt;

/// A checked row: the key the protocol shows, what makes it unique in the file (the key
/// and its day), and its staged JSON.
type Row = (String, String, serde_json::Value);

/// One pass over the rows: each checked by `row`, or refused with the reason (and the key,
/// when known) it gives; a row whose day is on an earlier line already is refused naming it.
fn check_rows(
    records: &[Record],
    row: impl Fn(&Record) -> Result<Row, (Option<String>, String)>,
) -> (Vec<Check>, Vec<String>) {
    let mut checks = Vec::with_capacity(records.len());
    let mut stage = Vec::with_capacity(records.len());
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for r in records {
        let mut c = Check {
            line: r.line,
            key: None,
            reason: None,
        };
        match row(r) {
            Ok((key, unique, v)) => {
                c.key = Some(key);
                match first_line.insert(unique, r.line) {
                    Some(l) => c.refuse(format!("validFrom: the same day is on line {l} already")),
                    None => stage.push(v.to_string()),
                }
            }
            Err((key, reason)) => {
                c.key = key;
                c.refuse(reason);
            }
        }
        checks.push(c);
    }
    (checks, stage)
}

/// Tariffs: a price per price list, service and day it applies from (a tariff of that day
/// already there gets the new price, its components dropped: the file sets the price whole).
pub(crate) async fn tariffs(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::Tariffs;
    let (mut checks, stage) = check_rows(records, |r| {
        let list = text_of("priceList", r.get(k, "priceList"), 40, true)
            .map_err(|e| (None, e))?
            .unwrap_or_default();
        let service = text_of("service", r.get(k, "service"), 40, true)
            .map_err(|e| (Some(list.clone()), e))?
            .unwrap_or_default();
        let key = format!("{list} / {service}");
        let fail = |e: String| (Some(key.clone()), e);
        let name = text_of("priceListName", r.get(k, "priceListName"), 200, false).map_err(fail)?;
        let from = date_of("validFrom", r.get(k, "validFrom"), ctx.date_format)
            .map_err(fail)?
            .ok_or_else(|| fail("validFrom: is required".into()))?;
        let price = r
            .get(k, "price")
            .and_then(number)
            .filter(|p| {
                *p >= Decimal::ZERO
                    && p.normalize().scale() <= 4
                    && *p < Decimal::from(1_000_000_000)
            })
            .ok_or_else(|| {
                fail("price: must be a number, not negative, with at most 4 decimals".into())
            })?;
        Ok((
            key.clone(),
            format!("{key} / {from}"),
            json!({"line": r.line, "price_list": list, "name": name, "service": service,
                   "valid_from": from, "price": price}),
        ))
    });
    stage_table(
        ctx,
        "imp_tariffs",
        "SELECT x.*, v.id AS service_id, p.id AS price_list_id FROM jsonb_to_recordset($1::text::jsonb) \
              AS x(line int, price_list text, name text, service text, valid_from date, price numeric) \
         LEFT JOIN services v ON v.code = x.service LEFT JOIN price_lists p ON p.code = x.price_list",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT line, 'service: there is no service ' || service AS reason FROM imp_tariffs WHERE service_id IS NULL",
    )
    .await?;
    refuse_lines(&mut checks, found);
    if let Some(o) = refused_whole(&mut checks, json!({"tariffs": 0, "priceLists": 0})) {
        return Ok(o);
    }
    let lists = exec(
        ctx,
        "INSERT INTO price_lists (code, name) SELECT DISTINCT ON (price_list) price_list, coalesce(name, price_list) \
         FROM imp_tariffs WHERE price_list_id IS NULL ORDER BY price_list, line",
        vec![],
    )
    .await?;
    for sql in [
        "UPDATE imp_tariffs i SET price_list_id = p.id FROM price_lists p WHERE p.code = i.price_list AND i.price_list_id IS NULL",
        "DELETE FROM tariff_components c USING tariffs t, imp_tariffs i WHERE c.tariff_id = t.id \
         AND t.price_list_id = i.price_list_id AND t.service_id = i.service_id AND t.valid_from = i.valid_from",
    ] {
        exec(ctx, sql, vec![]).await?;
    }
    let written = exec(
        ctx,
        "INSERT INTO tariffs (price_list_id, service_id, valid_from, price) \
         SELECT price_list_id, service_id, valid_from, price FROM imp_tariffs \
         ON CONFLICT ON CONSTRAINT tariffs_key DO UPDATE SET price = EXCLUDED.price",
        vec![],
    )
    .await?;
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({"tariffs": written, "priceLists": lists}),
    })
}

/// The penalty base rate (% a year) from a day on; the NBU writes `13,5` or `13.5%`.
pub(crate) async fn penalty_rates(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::PenaltyRates;
    let (mut checks, stage) = check_rows(records, |r| {
        let from = date_of("validFrom", r.get(k, "validFrom"), ctx.date_format)
            .map_err(|e| (None, e))?
            .ok_or((None, "validFrom: is required".to_owned()))?;
        let key = from.to_string();
        let rate = r
            .get(k, "rate")
            .map(|t| t.trim_end_matches('%'))
            .and_then(number)
            .filter(|p| {
                *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED && p.normalize().scale() <= 4
            })
            .ok_or_else(|| {
                (
                    Some(key.clone()),
                    "rate: must be from 0 to 100 (per cent a year), at most 4 decimal places"
                        .to_owned(),
                )
            })?;
        Ok((
            key.clone(),
            key,
            json!({"line": r.line, "valid_from": from, "rate": rate}),
        ))
    });
    if let Some(o) = refused_whole(&mut checks, json!({"rates": 0})) {
        return Ok(o);
    }
    stage_table(
        ctx,
        "imp_rates",
        "SELECT x.* FROM jsonb_to_recordset($1::text::jsonb) AS x(line int, valid_from date, rate numeric)",
        stage,
    )
    .await?;
    #[derive(FromQueryResult)]
    struct Span {
        first: Option<chrono::NaiveDate>,
        last: Option<chrono::NaiveDate>,
    }
    let span = Span::find_by_statement(stmt(
        "SELECT min(valid_from) AS first, max(valid_from) AS last FROM imp_rates",
        vec![],
    ))
    .one(ctx.txn)
    .await?;
    let written = exec(
        ctx,
        "INSERT INTO penalty_rates (valid_from, rate) SELECT valid_from, rate FROM imp_rates \
         ON CONFLICT (valid_from) DO UPDATE SET rate = EXCLUDED.rate",
        vec![],
    )
    .await?;
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({"rates": written, "from": span.as_ref().and_then(|s| s.first),
                       "to": span.and_then(|s| s.last)}),
    })
}
