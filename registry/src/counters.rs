//! The account row's denormalised fields — kept so that lists of a million accounts sort
//! and sum them without joins — what each one means in terms of the records, how the
//! time-bound one is refreshed, and the check that finds any that drifted.
//!
//! - `meters`: the account's meters not taken out of service (kept by `meters`);
//! - `meter_serials`: their serials, for the word search (kept by `meters`);
//! - `residents`: people living there today (kept by `subscribers` on every change, and
//!   recounted by each day's maintenance job for the dates that arrive by themselves — see
//!   [`recount_residents`]);
//! - `balance`: what the account owes now — its latest invoice's closing plus what that
//!   invoice counted as paid, less every live payment booked in that invoice's period or
//!   later (so a payment lowers it at once, before the invoice is re-formed); without an
//!   invoice, the latest taken-over opening balance less the payments since. Kept by the
//!   calculation (`billing::store`) and by every payment written or cancelled;
//! - `holder_name`, `address`: the subscriber's name and the premises' address when the
//!   account was opened.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use platform::error::AppResult;
use platform::sql::stmt;

/// An account's balance from the records (over `accounts a` joined with [`LATEST`]).
const BALANCE: &str = "CASE WHEN li.period IS NOT NULL THEN li.closing + li.paid - ( \
        SELECT coalesce(sum(p.amount), 0) FROM payments p \
        WHERE p.account_id = a.id AND p.cancelled_at IS NULL AND p.period >= li.period) \
    ELSE coalesce(ob.amount, 0) - ( \
        SELECT coalesce(sum(p.amount), 0) FROM payments p \
        WHERE p.account_id = a.id AND p.cancelled_at IS NULL AND p.period >= coalesce(ob.period, '-infinity')) \
    END";

/// The latest invoice (`li`) and the latest taken-over balance (`ob`) of `accounts a`.
const LATEST: &str = "LEFT JOIN LATERAL (SELECT i.period, i.closing, i.paid FROM invoices i WHERE i.account_id = a.id \
                   ORDER BY i.period DESC LIMIT 1) li ON true \
    LEFT JOIN LATERAL (SELECT o.period, sum(o.amount) AS amount FROM opening_balances o WHERE o.account_id = a.id \
                   GROUP BY o.period ORDER BY o.period DESC LIMIT 1) ob ON true";

/// Each account's fields as the records say, on day `$1`.
fn actual_sql() -> String {
    format!(
        "SELECT a.id, a.number, \
            (SELECT count(*) FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL) AS meters, \
            coalesce((SELECT string_agg(regexp_replace(m.serial, '[^[:alnum:]]+', ' ', 'g'), ' ' ORDER BY m.serial) \
                      FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL), '') AS meter_serials, \
            (SELECT count(*) FROM residents r WHERE r.account_id = a.id \
               AND (r.living_from IS NULL OR r.living_from <= $1) AND (r.living_to IS NULL OR r.living_to >= $1)) \
               AS residents, \
            {BALANCE} AS balance, \
            CASE WHEN s.kind = 'legal' THEN s.legal_name ELSE concat_ws(' ', s.last_name, s.first_name, s.middle_name) END \
                AS holder_name, \
            (SELECT concat_ws(', ', l.name, st.name, b.number) \
                    || CASE WHEN pr.kind = 'apartment' THEN ', кв. ' ELSE ', прим. ' END || pr.number \
             FROM premises pr JOIN buildings b ON b.id = pr.building_id JOIN streets st ON st.id = b.street_id \
             JOIN localities l ON l.id = st.locality_id WHERE pr.id = a.premises_id) AS address \
         FROM accounts a LEFT JOIN subscribers s ON s.id = a.subscriber_id {LATEST}"
    )
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    number: String,
    meters: i64,
    meter_serials: String,
    residents: i64,
    balance: Decimal,
    holder_name: Option<String>,
    address: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct Stored {
    id: i64,
    meters: i32,
    meter_serials: String,
    residents: i32,
    balance: Decimal,
    holder_name: String,
    address: String,
    subscriber_id: Option<i64>,
    premises_id: Option<i64>,
}

/// A stored field that disagrees with the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub account: String,
    pub field: &'static str,
    pub stored: String,
    pub actual: String,
}

/// Every account field that disagrees with the records on `today`. Accounts made before
/// the registry (no subscriber or premises) are checked on what they have.
pub async fn drift(txn: &DatabaseTransaction, today: NaiveDate) -> AppResult<Vec<Drift>> {
    let actual = Row::find_by_statement(stmt(&actual_sql(), vec![today.into()]))
        .all(txn)
        .await?;
    let stored: std::collections::HashMap<i64, Stored> = Stored::find_by_statement(stmt(
        "SELECT id, meters, meter_serials, residents, balance, holder_name, address, subscriber_id, premises_id \
         FROM accounts",
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|s| (s.id, s))
    .collect();
    let mut out = Vec::new();
    for a in actual {
        let Some(s) = stored.get(&a.id) else { continue };
        let mut check = |field: &'static str, stored: String, actual: String| {
            if stored != actual {
                out.push(Drift {
                    account: a.number.clone(),
                    field,
                    stored,
                    actual,
                });
            }
        };
        check("meters", s.meters.to_string(), a.meters.to_string());
        check("meterSerials", s.meter_serials.clone(), a.meter_serials);
        check(
            "residents",
            s.residents.to_string(),
            a.residents.to_string(),
        );
        check(
            "balance",
            domain::money(s.balance).to_string(),
            domain::money(a.balance).to_string(),
        );
        if s.subscriber_id.is_some() {
            check(
                "holderName",
                s.holder_name.clone(),
                a.holder_name.unwrap_or_default(),
            );
        }
        if s.premises_id.is_some() {
            check("address", s.address.clone(), a.address.unwrap_or_default());
        }
    }
    Ok(out)
}

/// Recounts the residents living in each account's premises on `today` where the stored
/// count differs (people move in and out on dates entered beforehand, so a count kept on
/// change alone goes stale at midnight). Returns the accounts changed.
pub async fn recount_residents(txn: &DatabaseTransaction, today: NaiveDate) -> AppResult<u64> {
    Ok(txn
        .execute_raw(stmt(
            "UPDATE accounts a SET residents = c.n FROM ( \
                 SELECT a2.id, count(r.id) AS n FROM accounts a2 \
                 LEFT JOIN residents r ON r.account_id = a2.id \
                   AND (r.living_from IS NULL OR r.living_from <= $1) AND (r.living_to IS NULL OR r.living_to >= $1) \
                 GROUP BY a2.id) c \
             WHERE a.id = c.id AND a.residents IS DISTINCT FROM c.n",
            vec![today.into()],
        ))
        .await?
        .rows_affected())
}

/// Moves the balances of accounts by `delta` each (a payment written: minus its amount;
/// cancelled: plus).
pub async fn shift_balances(
    txn: &DatabaseTransaction,
    accounts: &[i64],
    deltas: &[Decimal],
) -> AppResult<()> {
    txn.execute_raw(stmt(
        "UPDATE accounts a SET balance = a.balance + d.delta \
         FROM (SELECT id, sum(delta) AS delta FROM unnest($1::bigint[], $2::numeric[]) AS u(id, delta) GROUP BY id) d \
         WHERE a.id = d.id",
        vec![accounts.to_vec().into(), deltas.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Sets the balances of `accounts` from the records (after a change that moves them in a
/// way no single delta says: an opening balance entered, an older period re-formed).
pub async fn refresh_balances(txn: &DatabaseTransaction, accounts: &[i64]) -> AppResult<()> {
    txn.execute_raw(stmt(
        &refresh_balances_sql(),
        vec![accounts.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// The statement of [`refresh_balances`] (`$1`: the accounts), for callers on a raw
/// connection (the calculation's writer).
pub fn refresh_balances_sql() -> String {
    format!(
        "UPDATE accounts u SET balance = x.balance \
         FROM (SELECT a.id, {BALANCE} AS balance FROM accounts a {LATEST} WHERE a.id = ANY($1)) x \
         WHERE u.id = x.id AND u.balance IS DISTINCT FROM x.balance"
    )
}
