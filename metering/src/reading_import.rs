//! Applying a readings file to an open period in bulk: rows are matched to working meters
//! by serial or by account (with the service when the account has several), checked with
//! the same rules as a typed reading, and written in a few statements. A row equal to the
//! stored reading is "unchanged", so importing the same file twice changes nothing; a row
//! that cannot be taken is kept in the protocol with its reason. A row whose consumption
//! is far above the meter's usual month (`domain::plausibility`, the rule a typed reading
//! is asked to confirm by) is held for review instead of charged, and listed apart.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::plausibility;
use domain::readings::{self, Basis, Derived, Entry};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::Serialize;

use crate::held_readings;
use crate::reading_file::FileRow;
use crate::readings::ReadingSource;
use access::auth::Reach;
use platform::audit::Actor;
use platform::error::AppResult;
use platform::sql::stmt;

/// A row of the file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub line: usize,
    /// The serial or account the row named.
    pub meter: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub rows: usize,
    pub imported: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
    /// Rows held for review (the reason says against which usual month).
    pub held: Vec<Rejected>,
}

#[derive(Debug, FromQueryResult)]
struct Candidate {
    id: i64,
    serial_key: String,
    account_number: Option<String>,
    service_code: String,
    service_name: String,
    digits: Option<i32>,
    installed_on: NaiveDate,
    previous: Decimal,
    cur_current: Option<Decimal>,
    cur_consumption: Option<Decimal>,
    cur_basis: Option<String>,
    later_readings: bool,
    paid_in_period: bool,
}

/// Rows to write, column by column (for `unnest`).
#[derive(Default)]
struct Batch {
    meter: Vec<i64>,
    taken_on: Vec<NaiveDate>,
    previous: Vec<Decimal>,
    current: Vec<Decimal>,
    consumption: Vec<Decimal>,
    /// The file's line, what it named and the value it gave, for the protocol.
    line: Vec<(usize, String, String)>,
}

impl Batch {
    fn push(&mut self, other: &Batch, i: usize) {
        self.meter.push(other.meter[i]);
        self.taken_on.push(other.taken_on[i]);
        self.previous.push(other.previous[i]);
        self.current.push(other.current[i]);
        self.consumption.push(other.consumption[i]);
        self.line.push(other.line[i].clone());
    }
}

fn day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

fn amount(text: &str) -> Option<Decimal> {
    text.trim()
        .replace([' ', '\u{a0}'], "")
        .replace(',', ".")
        .parse::<Decimal>()
        .ok()
}

/// Applies `rows` to `period` inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    period: Period,
    rows: &[FileRow],
    job_id: Option<uuid::Uuid>,
) -> AppResult<Report> {
    let serials: Vec<String> = rows
        .iter()
        .filter_map(|r| r.serial.as_ref().map(|s| s.to_lowercase()))
        .collect();
    let accounts: Vec<String> = rows.iter().filter_map(|r| r.account.clone()).collect();
    // The building is joined only to limit the user's reach.
    let (buildings, within) = match reach.building_condition("b") {
        Some(c) => (
            " JOIN buildings b ON b.id = m.building_id",
            format!(" AND {c}"),
        ),
        None => ("", String::new()),
    };
    let candidates = Candidate::find_by_statement(stmt(
        &format!(
            "SELECT m.id, lower(m.serial) AS serial_key, a.number AS account_number, s.code AS service_code, \
                    lower(s.name) AS service_name, m.digits, m.installed_on, {facts}, \
                    cur.current AS cur_current, cur.consumption AS cur_consumption, cur.basis AS cur_basis \
             FROM meters m JOIN services s ON s.id = m.service_id{buildings} \
             LEFT JOIN accounts a ON a.id = m.account_id \
             LEFT JOIN readings cur ON cur.meter_id = m.id AND cur.period = $3 \
             WHERE m.id IN (SELECT x.id FROM meters x WHERE lower(x.serial) = ANY($1) \
                            UNION SELECT x.id FROM meters x JOIN accounts y ON y.id = x.account_id \
                                  WHERE y.number = ANY($2)) \
               AND (m.removed_on IS NULL OR m.removed_on >= $3){within}",
            facts = crate::readings::facts_sql("$3"),
        ),
        vec![serials.into(), accounts.into(), period.first_day().into()],
    ))
    .all(txn)
    .await?;
    let mut by_serial: HashMap<&str, Vec<&Candidate>> = HashMap::new();
    let mut by_account: HashMap<&str, Vec<&Candidate>> = HashMap::new();
    for c in &candidates {
        by_serial.entry(c.serial_key.as_str()).or_default().push(c);
        if let Some(a) = &c.account_number {
            by_account.entry(a.as_str()).or_default().push(c);
        }
    }
    let default_day = now
        .date_naive()
        .clamp(period.first_day(), period.last_day());
    let mut report = Report {
        rows: rows.len(),
        ..Report::default()
    };
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut batch = Batch::default();
    for row in rows {
        let named = row
            .serial
            .clone()
            .or_else(|| row.account.clone())
            .unwrap_or_default();
        let value = row
            .current
            .clone()
            .or_else(|| row.consumption.clone())
            .unwrap_or_default();
        let mut reject = |reason: String| {
            report.rejected.push(Rejected {
                line: row.line,
                meter: named.clone(),
                value: value.clone(),
                reason,
            })
        };
        let meter = match pick(row, &by_serial, &by_account) {
            Ok(m) => m,
            Err(reason) => {
                reject(reason);
                continue;
            }
        };
        if let Some(first) = seen.get(&meter.id) {
            reject(format!("the file names this meter twice (line {first})"));
            continue;
        }
        seen.insert(meter.id, row.line);
        let entry = match (row.current.as_deref(), row.consumption.as_deref()) {
            (Some(c), _) => amount(c).map(Entry::Current),
            (None, Some(c)) => amount(c).map(Entry::Consumption),
            (None, None) => {
                reject("no reading or consumption".into());
                continue;
            }
        };
        let Some(entry) = entry else {
            reject(format!("{value:?} is not a number"));
            continue;
        };
        let taken_on = match row.date.as_deref() {
            None => default_day,
            Some(d) => match day(d) {
                Some(d) => d,
                None => {
                    reject(format!("date {d:?} is not a date"));
                    continue;
                }
            },
        };
        if taken_on < meter.installed_on || taken_on > period.last_day() {
            reject("the date lies outside the meter's service in this period".into());
            continue;
        }
        let digits = meter.digits.and_then(|d| u32::try_from(d).ok());
        let d = match readings::derive(meter.previous, entry, digits) {
            Ok(d) => d,
            Err(e) => {
                reject(e.to_string());
                continue;
            }
        };
        let stored = meter.cur_current.zip(meter.cur_consumption);
        if stored == Some((d.current, d.consumption))
            && meter.cur_basis.as_deref() == Some(Basis::Actual.code())
        {
            report.unchanged += 1;
            continue;
        }
        if let Err(e) = readings::check_correction(
            meter.later_readings,
            stored.is_some() && meter.paid_in_period,
        ) {
            reject(e.to_string());
            continue;
        }
        batch.meter.push(meter.id);
        batch.taken_on.push(taken_on);
        batch.previous.push(meter.previous);
        batch.current.push(d.current);
        batch.consumption.push(d.consumption);
        batch.line.push((row.line, named.clone(), value.clone()));
    }
    let batch = hold_implausible(txn, actor, now, period, batch, &mut report).await?;
    report.imported = batch.meter.len();
    write(txn, actor, now, period, batch, job_id).await?;
    Ok(report)
}

/// Holds the rows far above their meter's usual month for review; returns the rest.
async fn hold_implausible(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    period: Period,
    batch: Batch,
    report: &mut Report,
) -> AppResult<Batch> {
    let usual = held_readings::usuals(txn, &batch.meter, period).await?;
    let mut kept = Batch::default();
    for i in 0..batch.meter.len() {
        let consumption = batch.consumption[i];
        let Some(u) = plausibility::implausible(consumption, usual.get(&batch.meter[i]).copied())
        else {
            kept.push(&batch, i);
            continue;
        };
        let d = Derived {
            current: batch.current[i],
            consumption,
        };
        let source = ReadingSource::Import;
        held_readings::hold(txn, actor, now, batch.meter[i], period, &d, u, source).await?;
        let (line, meter, value) = batch.line[i].clone();
        report.held.push(Rejected {
            line,
            meter,
            value,
            reason: format!(
                "held for review: the consumption {} is more than three times the usual {} of this meter",
                consumption.normalize(),
                u.value().normalize()
            ),
        });
    }
    Ok(kept)
}

/// The one working meter a row names, or why there is none.
fn pick<'a>(
    row: &FileRow,
    by_serial: &HashMap<&str, Vec<&'a Candidate>>,
    by_account: &HashMap<&str, Vec<&'a Candidate>>,
) -> Result<&'a Candidate, String> {
    let mut found: Vec<&Candidate> = match (&row.serial, &row.account) {
        (Some(s), _) => by_serial
            .get(s.to_lowercase().as_str())
            .cloned()
            .unwrap_or_default(),
        (None, Some(a)) => by_account.get(a.as_str()).cloned().unwrap_or_default(),
        (None, None) => return Err("no meter serial or account".into()),
    };
    if let (Some(_), Some(a)) = (&row.serial, &row.account) {
        found.retain(|c| c.account_number.as_deref() == Some(a.as_str()));
    }
    if let Some(service) = &row.service {
        let s = service.trim().to_lowercase();
        found.retain(|c| c.service_code.to_lowercase() == s || c.service_name == s);
    }
    let distinct: HashSet<i64> = found.iter().map(|c| c.id).collect();
    match (distinct.len(), found.first()) {
        (1, Some(c)) => Ok(c),
        (0, _) => Err("no working meter matches".into()),
        (n, _) => Err(format!(
            "{n} working meters match; give the serial, the account and the service"
        )),
    }
}

/// Writes the accepted readings, 10,000 per statement.
async fn write(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    period: Period,
    b: Batch,
    job_id: Option<uuid::Uuid>,
) -> AppResult<()> {
    const CHUNK: usize = 10_000;
    for start in (0..b.meter.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(b.meter.len());
        txn.execute_raw(stmt(
            "INSERT INTO readings (meter_id, period, taken_on, previous, current, consumption, basis, source, \
                                   entered_by, entered_at, job_id) \
             SELECT u.meter_id, $6, u.taken_on, u.previous, u.current, u.consumption, 'actual', 'import', $7, $8, $9 \
             FROM unnest($1::bigint[], $2::date[], $3::numeric[], $4::numeric[], $5::numeric[]) \
                  AS u(meter_id, taken_on, previous, current, consumption) \
             ON CONFLICT (meter_id, period) DO UPDATE SET taken_on = EXCLUDED.taken_on, previous = EXCLUDED.previous, \
                 current = EXCLUDED.current, consumption = EXCLUDED.consumption, basis = EXCLUDED.basis, \
                 source = EXCLUDED.source, entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at, \
                 job_id = EXCLUDED.job_id",
            vec![
                b.meter[start..end].to_vec().into(),
                b.taken_on[start..end].to_vec().into(),
                b.previous[start..end].to_vec().into(),
                b.current[start..end].to_vec().into(),
                b.consumption[start..end].to_vec().into(),
                period.first_day().into(),
                actor.login.clone().into(),
                now.into(),
                job_id.into(),
            ],
        ))
        .await?;
    }
    periods::touches::meters(txn, period, &b.meter).await?;
    Ok(())
}
