//! Posting a parsed bank payment file: each row is matched to an account by number,
//! checked by the payment rules, split like a typed payment and written — all rows of a
//! file in one transaction, in a few statements (a 100,000-row file in seconds). A row
//! that cannot be paid is kept with its reason ("field: rule") and may be matched by hand
//! later. The same file twice is refused at upload (its SHA-256); the same payment in two
//! files is recognised by its source key (bank, account, document or date and amount).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::payments::{self, Split};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::Serialize;

use crate::entry::{self, Kind, NewPayment};
use crate::file::{Parsed, RawRow, parse_amount};
use access::auth::Reach;
use platform::audit::Actor;
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    #[graphql(skip)]
    #[serde(skip)]
    pub object_key: String,
    pub size: i64,
    pub template_id: i32,
    pub template_name: String,
    pub bank_id: Option<i32>,
    pub bank_name: Option<String>,
    pub received_on: NaiveDate,
    pub charge_period: NaiveDate,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
    pub job_id: Option<uuid::Uuid>,
    /// queued, loaded or refused (the whole file).
    pub state: String,
    pub posted_at: Option<DateTime<Utc>>,
    pub rows_total: i32,
    pub rows_loaded: i32,
    pub amount_loaded: Decimal,
    pub rows_refused: i32,
    /// A statement's documents no payment comes of (the tenant paying, another account).
    pub rows_skipped: i32,
    pub amount_total: Decimal,
    /// Why the whole file was refused.
    pub message: Option<String>,
}

const SELECT: &str = "SELECT f.id, f.file_name, f.sha256, f.object_key, f.size, f.template_id, t.name AS template_name, \
        f.bank_id, b.name AS bank_name, f.received_on, f.charge_period, f.uploaded_at, f.uploaded_by, f.job_id, \
        f.state, f.posted_at, f.rows_total, f.rows_loaded, f.amount_loaded, f.rows_refused, f.rows_skipped, f.amount_total, f.message \
     FROM payment_files f JOIN payment_templates t ON t.id = f.template_id LEFT JOIN banks b ON b.id = f.bank_id";

pub async fn file(txn: &DatabaseTransaction, id: i64) -> AppResult<FileView> {
    seen_file(txn, &Reach::default(), "", id).await
}

/// The condition, on `payment_files f`, that a reach-limited user sees the file: they
/// uploaded it, or every row of it is of an account within their reach (a bank's file is
/// one document with its totals; a file spanning branches is for the unlimited staff).
/// `login` is the placeholder of the user's login among the statement's values.
fn file_within(reach: &Reach, login: &str) -> Option<String> {
    reach.account_condition_of("ra").map(|c| {
        format!(
            "(f.uploaded_by = {login} OR NOT EXISTS (SELECT 1 FROM payment_file_rows fr WHERE fr.file_id = f.id \
               AND fr.outcome <> 'skipped' \
               AND NOT EXISTS (SELECT 1 FROM accounts ra WHERE {c} AND (ra.id = (SELECT p.account_id FROM payments p \
               WHERE p.id = fr.payment_id) OR ra.number = fr.account))))"
        )
    })
}

/// The file, if `login` (limited to `reach`) may see it.
pub async fn seen_file(
    txn: &DatabaseTransaction,
    reach: &Reach,
    login: &str,
    id: i64,
) -> AppResult<FileView> {
    let within = file_within(reach, "$2")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_else(|| " AND $2::text IS NOT NULL".into());
    FileView::find_by_statement(stmt(
        &format!("{SELECT} WHERE f.id = $1{within}"),
        vec![id.into(), login.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("payment file {id} does not exist")))
}

/// The registry of loaded files, newest first, optionally of one upload month: those
/// `login` (limited to `reach`) may see.
pub async fn files(
    txn: &DatabaseTransaction,
    reach: &Reach,
    login: &str,
    month: Option<Period>,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<FileView>> {
    let within = file_within(reach, "$5")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_else(|| " AND $5::text IS NOT NULL".into());
    Ok(FileView::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE ($1::date IS NULL OR f.received_on BETWEEN $1 AND $2){within} \
             ORDER BY f.uploaded_at DESC, f.id DESC OFFSET $3 LIMIT $4"
        ),
        vec![
            month.map(Period::first_day).into(),
            month.map(Period::last_day).into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
            login.into(),
        ],
    ))
    .all(txn)
    .await?)
}

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRowView {
    pub line: i32,
    pub account: Option<String>,
    pub payer: Option<String>,
    pub address: Option<String>,
    pub amount: Option<String>,
    pub paid_on: Option<String>,
    pub service: Option<String>,
    pub document: Option<String>,
    /// paid, refused, matched (by hand) or skipped (a statement's document that is no
    /// payment to the tenant).
    pub outcome: String,
    /// "field: rule", in the reader's language.
    pub reason: Option<String>,
    pub payment_id: Option<i64>,
}

/// A file's protocol: every row and its fate (`refused_only`: the rows still unpaid —
/// refused, and a statement's skipped documents). A
/// reach-limited user sees the rows of accounts within reach (paid or named), not those of
/// others nor those no account could be found for.
pub async fn rows(
    txn: &DatabaseTransaction,
    reach: &Reach,
    id: i64,
    refused_only: bool,
    lang: Lang,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<FileRowView>> {
    let within = reach
        .account_condition_of("ra")
        .map(|c| {
            format!(
                " AND EXISTS (SELECT 1 FROM accounts ra WHERE {c} AND (ra.id = (SELECT p.account_id FROM payments p \
                   WHERE p.id = r.payment_id) OR ra.number = r.account))"
            )
        })
        .unwrap_or_default();
    let rows = FileRowView::find_by_statement(stmt(
        &format!(
            "SELECT line, account, payer, address, amount, paid_on, service, document, outcome, reason, payment_id \
             FROM payment_file_rows r WHERE file_id = $1 AND (NOT $2 OR outcome IN ('refused', 'skipped')){within} \
             ORDER BY line OFFSET $3 LIMIT $4"
        ),
        vec![
            id.into(),
            refused_only.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            r.reason = r.reason.map(|x| reason_text(lang, &x));
            r
        })
        .collect())
}

/// "field: rule" in `lang` (the protocols' reasons).
pub use platform::i18n::reason as reason_text;

/// What posting a file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub rows: usize,
    pub loaded: usize,
    pub amount_loaded: Decimal,
    pub refused: usize,
    /// A statement's documents that are no payment to the tenant.
    pub skipped: usize,
    /// Why the whole file was refused (nothing paid).
    pub message: Option<String>,
}

#[derive(FromQueryResult)]
struct AccountRow {
    id: i64,
    number: String,
}

#[derive(FromQueryResult)]
struct KeyRow {
    source_key: String,
}

#[derive(FromQueryResult)]
struct ServiceRow {
    id: i32,
    code: String,
    name: String,
}

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

/// One row's fate before writing.
struct Fate {
    line: usize,
    refused: Option<String>,
    payment: Option<usize>,
}

/// A payment of the file about to be written.
struct Pay {
    account_id: i64,
    amount: Decimal,
    paid_on: NaiveDate,
    key: String,
    line: usize,
    statement: Option<String>,
    parts: Vec<(i32, Decimal)>,
    /// How it was split (engine: not at all, no invoice to split by).
    split: &'static str,
}

/// The date in one of the usual shapes: the template's, ISO (spreadsheets' dates) or
/// `dd.mm.yy`.
fn date(text: &str, format: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    NaiveDate::parse_from_str(t, format)
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .ok()
}

/// The key that makes the same payment recognisable in another file.
fn source_key(
    bank: Option<i32>,
    account: &str,
    document: Option<&str>,
    paid_on: NaiveDate,
    amount: Decimal,
) -> String {
    let bank = bank.map_or_else(|| "-".to_owned(), |b| b.to_string());
    match document {
        Some(d) => format!("{bank}|{account}|doc:{d}|{amount}"),
        None => format!("{bank}|{account}|{paid_on}|{amount}"),
    }
}

/// Posts `parsed` (or refuses the whole file with `parsed`'s error). The file row is
/// locked: a second run of the job finds it posted and changes nothing.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    file_id: i64,
    date_format: &str,
    parsed: AppResult<Parsed>,
) -> AppResult<Outcome> {
    txn.execute_raw(stmt(
        "SELECT 1 FROM payment_files WHERE id = $1 FOR UPDATE",
        vec![file_id.into()],
    ))
    .await?;
    let f = file(txn, file_id).await?;
    if f.state != "queued" {
        return Ok(Outcome {
            rows: usize::try_from(f.rows_total).unwrap_or(0),
            loaded: usize::try_from(f.rows_loaded).unwrap_or(0),
            amount_loaded: f.amount_loaded,
            refused: usize::try_from(f.rows_refused).unwrap_or(0),
            skipped: usize::try_from(f.rows_skipped).unwrap_or(0),
            message: f.message,
        });
    }
    let (rules, split) = entry::rules(txn).await?;
    let whole = |message: String| Outcome {
        message: Some(message),
        ..Outcome::default()
    };
    let outcome = match parsed {
        Err(AppError::Validation { field, message }) => whole(format!("{field}: {message}")),
        Err(e) => return Err(e),
        Ok(p) => {
            let charge = Period::containing(f.charge_period)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if f.received_on < rules.open.first_day() || f.received_on > rules.open.last_day() {
                whole(format!(
                    "receivedOn: the receipt date {} is no longer in the open period {}",
                    f.received_on, rules.open
                ))
            } else if let Some(m) = control_mismatch(&p) {
                whole(m)
            } else {
                post_rows(
                    txn,
                    actor,
                    now,
                    reach,
                    &f,
                    charge,
                    (rules, &split),
                    date_format,
                    &p,
                )
                .await?
            }
        }
    };
    txn.execute_raw(stmt(
        "UPDATE payment_files SET state = $2, posted_at = $3, rows_total = $4, rows_loaded = $5, amount_loaded = $6, \
                rows_refused = $7, message = $8, rows_skipped = $9 WHERE id = $1",
        vec![
            file_id.into(),
            if outcome.message.is_some() { "refused" } else { "loaded" }.into(),
            now.into(),
            i32::try_from(outcome.rows).unwrap_or(i32::MAX).into(),
            i32::try_from(outcome.loaded).unwrap_or(i32::MAX).into(),
            outcome.amount_loaded.into(),
            i32::try_from(outcome.refused).unwrap_or(i32::MAX).into(),
            outcome.message.clone().into(),
            i32::try_from(outcome.skipped).unwrap_or(i32::MAX).into(),
        ],
    ))
    .await?;
    Ok(outcome)
}

/// The file's own control totals against its rows; Some(reason) when they differ (a
/// registry that does not add up is refused whole: a bank resends it).
fn control_mismatch(p: &Parsed) -> Option<String> {
    if let Some(n) = p.control_count
        && n != p.rows.len()
    {
        return Some(format!(
            "file: the control count {n} differs from the {} rows in the file",
            p.rows.len()
        ));
    }
    if let Some(sum) = p.control_sum {
        let rows: Decimal = p
            .rows
            .iter()
            .filter_map(|r| r.amount.as_deref().and_then(parse_amount))
            .sum();
        if rows != sum {
            return Some(format!(
                "file: the control sum {sum} differs from the rows' sum {rows}"
            ));
        }
    }
    if p.rows.is_empty() && p.skipped.is_empty() {
        return Some("file: has no payment rows".into());
    }
    None
}

#[allow(clippy::too_many_arguments)]
async fn post_rows(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    f: &FileView,
    charge: Period,
    rules: (payments::DateRules, &Split),
    date_format: &str,
    p: &Parsed,
) -> AppResult<Outcome> {
    let started = std::time::Instant::now();
    let numbers: Vec<String> = p.rows.iter().filter_map(|r| r.account.clone()).collect();
    let within = reach
        .account_condition()
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let accounts: HashMap<String, i64> = AccountRow::find_by_statement(stmt(
        &format!("SELECT id, number FROM accounts WHERE number = ANY($1){within}"),
        vec![numbers.into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|a| (a.number, a.id))
    .collect();
    let services =
        ServiceRow::find_by_statement(stmt("SELECT id, code, name FROM services", vec![]))
            .all(txn)
            .await?;
    let ids: Vec<i64> = accounts.values().copied().collect();
    let dues = entry::dues(txn, &ids, charge).await?;

    let read = started.elapsed();
    let mut fates: Vec<Fate> = Vec::with_capacity(p.rows.len());
    let mut pays: Vec<Pay> = Vec::new();
    let mut keys: HashSet<String> = HashSet::new();
    for r in &p.rows {
        match check_row(
            r,
            &accounts,
            &services,
            &dues,
            f,
            charge,
            rules,
            date_format,
        ) {
            Err(reason) => fates.push(Fate {
                line: r.line,
                refused: Some(reason),
                payment: None,
            }),
            Ok(pay) => {
                if !keys.insert(pay.key.clone()) {
                    fates.push(Fate {
                        line: r.line,
                        refused: Some("document: the same payment is in the file twice".into()),
                        payment: None,
                    });
                } else {
                    fates.push(Fate {
                        line: r.line,
                        refused: None,
                        payment: Some(pays.len()),
                    });
                    pays.push(pay);
                }
            }
        }
    }
    // Payments another file (or this one, earlier) already brought.
    let known: HashSet<String> = KeyRow::find_by_statement(stmt(
        "SELECT source_key FROM payments WHERE source_key = ANY($1) AND cancelled_at IS NULL",
        vec![keys.into_iter().collect::<Vec<_>>().into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|k| k.source_key)
    .collect();
    let mut kept: Vec<Option<usize>> = vec![None; pays.len()];
    let mut live: Vec<&Pay> = Vec::with_capacity(pays.len());
    for (i, pay) in pays.iter().enumerate() {
        if !known.contains(&pay.key) {
            kept[i] = Some(live.len());
            live.push(pay);
        }
    }
    for fate in &mut fates {
        if let Some(i) = fate.payment
            && kept[i].is_none()
        {
            fate.payment = None;
            fate.refused =
                Some("document: this payment is already loaded from another file".into());
        }
    }
    let checked = started.elapsed();
    let ids = write(txn, actor, now, f, charge, rules.0.open, &live).await?;
    let written = started.elapsed();
    let mut out = Outcome {
        rows: p.rows.len(),
        ..Outcome::default()
    };
    let (mut lines, mut outcomes, mut reasons, mut payment_ids) = (vec![], vec![], vec![], vec![]);
    for fate in &fates {
        lines.push(i32::try_from(fate.line).unwrap_or(i32::MAX));
        let pid = fate.payment.and_then(|i| kept[i]).map(|k| ids[k]);
        match (&fate.refused, pid) {
            (None, Some(id)) => {
                out.loaded += 1;
                outcomes.push("paid");
                reasons.push(None);
                payment_ids.push(Some(id));
            }
            (reason, _) => {
                out.refused += 1;
                outcomes.push("refused");
                reasons.push(reason.clone());
                payment_ids.push(None);
            }
        }
    }
    out.amount_loaded = live.iter().map(|p| p.amount).sum();
    // A statement's skipped documents are kept in the protocol with their reason.
    for (row, reason) in &p.skipped {
        lines.push(i32::try_from(row.line).unwrap_or(i32::MAX));
        outcomes.push("skipped");
        reasons.push(Some(reason.clone()));
        payment_ids.push(None);
    }
    out.skipped = p.skipped.len();
    // Arrays cannot carry NULLs through the driver: empty text (never a parsed value,
    // those are trimmed and non-empty) and id 0 stand for none.
    let col = |get: fn(&RawRow) -> &Option<String>| -> Vec<String> {
        p.rows
            .iter()
            .chain(p.skipped.iter().map(|(r, _)| r))
            .map(|r| get(r).clone().unwrap_or_default())
            .collect()
    };
    txn.execute_raw(stmt(
        "INSERT INTO payment_file_rows (file_id, line, account, payer, address, amount, paid_on, service, document, \
                                        outcome, reason, payment_id) \
         SELECT $1, u.line, nullif(u.account, ''), nullif(u.payer, ''), nullif(u.address, ''), nullif(u.amount, ''), \
                nullif(u.paid_on, ''), nullif(u.service, ''), nullif(u.document, ''), u.outcome, nullif(u.reason, ''), \
                nullif(u.payment_id, 0) \
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], \
                     $9::text[], $10::text[], $11::text[], $12::bigint[]) \
              AS u(line, account, payer, address, amount, paid_on, service, document, outcome, reason, payment_id)",
        vec![
            f.id.into(),
            lines.into(),
            col(|r| &r.account).into(),
            col(|r| &r.payer).into(),
            col(|r| &r.address).into(),
            col(|r| &r.amount).into(),
            col(|r| &r.paid_on).into(),
            col(|r| &r.service).into(),
            col(|r| &r.document).into(),
            outcomes.into_iter().map(str::to_owned).collect::<Vec<_>>().into(),
            reasons.into_iter().map(Option::unwrap_or_default).collect::<Vec<String>>().into(),
            payment_ids.into_iter().map(|p| p.unwrap_or(0)).collect::<Vec<i64>>().into(),
        ],
    ))
    .await?;
    tracing::debug!(
        rows = p.rows.len(),
        read_s = read.as_secs_f64(),
        checked_s = checked.as_secs_f64(),
        payments_s = written.as_secs_f64(),
        protocol_s = started.elapsed().as_secs_f64(),
        "payment file posted"
    );
    Ok(out)
}

/// A row checked into a payment, or the reason ("field: rule") it cannot be one.
#[allow(clippy::too_many_arguments)]
fn check_row(
    r: &RawRow,
    accounts: &HashMap<String, i64>,
    services: &[ServiceRow],
    dues: &HashMap<i64, Vec<payments::Due>>,
    f: &FileView,
    charge: Period,
    rules: (payments::DateRules, &Split),
    date_format: &str,
) -> Result<Pay, String> {
    let number = r.account.as_deref().ok_or("account: is missing")?;
    let account_id = *accounts.get(number).ok_or("account: not found")?;
    let text = r.amount.as_deref().ok_or("amount: is missing")?;
    let amount = parse_amount(text).ok_or("amount: is not a number")?;
    let amount =
        payments::check_amount("amount", amount).map_err(|e| format!("amount: {}", e.rule))?;
    let paid_on = match r.paid_on.as_deref() {
        None => f.received_on,
        Some(t) => date(t, date_format).ok_or("paidOn: is not a date")?,
    };
    payments::check_dates(rules.0, charge, paid_on, f.received_on)
        .map_err(|e| format!("{}: {}", e.field, e.rule))?;
    let due = dues.get(&account_id).map(Vec::as_slice).unwrap_or_default();
    let how = match r.service.as_deref() {
        None => rules.1.clone(),
        Some(s) => {
            let sid = services
                .iter()
                .find(|x| x.code.eq_ignore_ascii_case(s) || x.name.eq_ignore_ascii_case(s))
                .map(|x| x.id)
                .ok_or("service: service not found")?;
            if !due.iter().any(|d| d.service_id == sid) {
                return Err("service: is not on the account's invoice".into());
            }
            Split::Manual(vec![(sid, amount)])
        }
    };
    let parts =
        payments::allocate(amount, due, &how).map_err(|e| format!("{}: {}", e.field, e.rule))?;
    Ok(Pay {
        account_id,
        amount,
        paid_on,
        key: source_key(f.bank_id, number, r.document.as_deref(), paid_on, amount),
        line: r.line,
        statement: r.document.clone(),
        split: if parts.is_empty() {
            "engine"
        } else {
            how.code()
        },
        parts,
    })
}

/// Writes the file's payments and their parts; returns their ids in order.
async fn write(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    f: &FileView,
    charge: Period,
    open: Period,
    pays: &[&Pay],
) -> AppResult<Vec<i64>> {
    if pays.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = IdRow::find_by_statement(stmt(
        "SELECT nextval('payments_id_seq') AS id FROM generate_series(1, $1)",
        vec![i64::try_from(pays.len()).unwrap_or(i64::MAX).into()],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    const CHUNK: usize = 20_000;
    for start in (0..pays.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(pays.len());
        let part = &pays[start..end];
        txn.execute_raw(stmt(
            "INSERT INTO payments (id, account_id, period, charge_period, amount, paid_on, received_on, kind, bank_id, \
                                   statement, file_id, file_line, source_key, split, created_at, created_by, \
                                   part_services, part_amounts) \
             SELECT u.id, u.account_id, $6, $7, u.amount, u.paid_on, $8, 'bank', $9, nullif(u.statement, ''), $10, u.line, u.key, \
                    u.split, $11, $12, \
                    (SELECT array_agg(split_part(x, ':', 1)::int ORDER BY o) FROM unnest(string_to_array(nullif(u.parts, ''), ';')) \
                       WITH ORDINALITY AS t(x, o)), \
                    (SELECT array_agg(split_part(x, ':', 2)::numeric ORDER BY o) FROM unnest(string_to_array(nullif(u.parts, ''), ';')) \
                       WITH ORDINALITY AS t(x, o)) \
             FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::date[], $5::text[], $13::int[], $14::text[], \
                         $15::text[], $16::text[]) AS u(id, account_id, amount, paid_on, statement, line, key, split, parts)",
            vec![
                ids[start..end].to_vec().into(),
                part.iter().map(|p| p.account_id).collect::<Vec<_>>().into(),
                part.iter().map(|p| p.amount).collect::<Vec<_>>().into(),
                part.iter().map(|p| p.paid_on).collect::<Vec<_>>().into(),
                part.iter()
                    .map(|p| p.statement.clone().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .into(),
                open.first_day().into(),
                charge.first_day().into(),
                f.received_on.into(),
                f.bank_id.into(),
                f.id.into(),
                now.into(),
                actor.login.clone().into(),
                part.iter()
                    .map(|p| i32::try_from(p.line).unwrap_or(i32::MAX))
                    .collect::<Vec<_>>()
                    .into(),
                part.iter().map(|p| p.key.clone()).collect::<Vec<_>>().into(),
                part.iter().map(|p| p.split.to_owned()).collect::<Vec<_>>().into(),
                // "service:amount;…" per payment (arrays of arrays do not pass as values).
                part.iter()
                    .map(|p| {
                        p.parts
                            .iter()
                            .map(|(s, a)| format!("{s}:{a}"))
                            .collect::<Vec<_>>()
                            .join(";")
                    })
                    .collect::<Vec<_>>()
                    .into(),
            ],
        ))
        .await
        .map_err(|e| {
            if e.to_string().contains("payments_source_key") {
                AppError::Conflict("a payment of this file is already loaded".into())
            } else {
                e.into()
            }
        })?;
    }
    let (accounts, deltas): (Vec<i64>, Vec<Decimal>) =
        pays.iter().map(|p| (p.account_id, -p.amount)).unzip();
    registry::counters::shift_balances(txn, &accounts, &deltas).await?;
    periods::touches::accounts(txn, open, &accounts).await?;
    Ok(ids)
}

/// Pays a refused row of a file by hand: to `account_id` (the row's own account, or the
/// one the operator found), by the rules of today's open period.
pub async fn match_row(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    file_id: i64,
    line: i32,
    account_id: i64,
    date_format: &str,
) -> AppResult<i64> {
    let f = file(txn, file_id).await?;
    let row = FileRowView::find_by_statement(stmt(
        "SELECT line, account, payer, address, amount, paid_on, service, document, outcome, reason, payment_id \
         FROM payment_file_rows WHERE file_id = $1 AND line = $2 FOR UPDATE",
        vec![file_id.into(), line.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("line {line} of file {file_id} does not exist")))?;
    if row.outcome != "refused" {
        return Err(AppError::Conflict(format!("line {line} is already paid")));
    }
    let (rules, split) = entry::rules(txn).await?;
    let amount = row
        .amount
        .as_deref()
        .and_then(parse_amount)
        .ok_or_else(|| AppError::validation("amount", "is not a number"))?;
    let paid_on = match row.paid_on.as_deref() {
        None => f.received_on,
        Some(t) => {
            date(t, date_format).ok_or_else(|| AppError::validation("paidOn", "is not a date"))?
        }
    };
    let charge =
        Period::containing(f.charge_period).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = entry::write(
        txn,
        actor,
        now,
        (rules, &split),
        NewPayment {
            account_id,
            charge_period: charge,
            amount,
            kind: Kind::Bank,
            bank_id: f.bank_id,
            statement: row.document.clone(),
            paid_on,
            // Matched now: received in today's open period if the file's is closed.
            received_on: if f.received_on >= rules.open.first_day() {
                f.received_on
            } else {
                rules.open.first_day().max(paid_on)
            },
            split: None,
            batch_id: None,
            file: Some((file_id, line)),
            source_key: Some(format!(
                "{}|match:{file_id}:{line}",
                f.bank_id.map_or_else(|| "-".into(), |b| b.to_string())
            )),
        },
    )
    .await?;
    txn.execute_raw(stmt(
        "UPDATE payment_file_rows SET outcome = 'matched', payment_id = $3 WHERE file_id = $1 AND line = $2",
        vec![file_id.into(), line.into(), id.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        "UPDATE payment_files SET rows_loaded = rows_loaded + 1, rows_refused = rows_refused - 1, \
                amount_loaded = amount_loaded + $2 WHERE id = $1",
        vec![file_id.into(), amount.into()],
    ))
    .await?;
    Ok(id)
}
