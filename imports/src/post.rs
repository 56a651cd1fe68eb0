//! Applying a file's rows: each kind's rows checked (a row that cannot be imported gets
//! its reason, "field: rule", naming the field) and written set-wise — the rows go to the
//! database as one JSON document and land in a temporary table, so 100,000 accounts are a
//! handful of statements, not 100,000 round trips. The caller owns the transaction: it
//! commits a post and rolls back a check, and rolls back an all-or-nothing kind's file
//! when any row was skipped.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Period;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::Kind;
use crate::read::{Record, date, number};
use access::auth::Reach;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The import's choices made at upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// Meters: the account's working meters of the row's service are removed (on the new
    /// meter's installation day) before the new one is added.
    #[serde(default)]
    pub replace: bool,
    /// Subsidies: the month they are for (YYYY-MM; default the open period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Subsidies of a closed month: the employee the data-update acts they become are made
    /// by (an act that recomputes names its executor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<i32>,
}

/// A subsidies template's rules for the sewerage lines (seed 001 §5.3): `fallback` moves a
/// service's amount to another when the account has no such service in the month (hot-water
/// sewerage → sewerage); `split` divides a combined line among services by percent (the
/// sewerage amount 60 % cold, 40 % hot by social norms), to the kopeck: each share rounded,
/// the last taking what is left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRules {
    #[serde(default)]
    pub fallback: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub split: std::collections::BTreeMap<String, Vec<(String, Decimal)>>,
}

impl SubsidyRules {
    /// Each split's shares are positive and add up to 100.
    pub fn check(&self) -> Result<(), String> {
        for (from, shares) in &self.split {
            let sum: Decimal = shares.iter().map(|(_, p)| *p).sum();
            if shares.is_empty()
                || shares.iter().any(|(_, p)| *p <= Decimal::ZERO)
                || sum != Decimal::ONE_HUNDRED
            {
                return Err(format!(
                    "rules: the shares of {from} must be positive and add up to 100"
                ));
            }
        }
        Ok(())
    }

    /// The services an amount of `service` goes to.
    pub fn split(&self, service: &str, amount: Decimal) -> Vec<(String, Decimal)> {
        let Some(shares) = self.split.get(service) else {
            return vec![(service.to_owned(), amount)];
        };
        let mut left = amount;
        let mut out = Vec::with_capacity(shares.len());
        for (i, (to, percent)) in shares.iter().enumerate() {
            let part = if i + 1 == shares.len() {
                left
            } else {
                (amount * percent / Decimal::ONE_HUNDRED).round_dp(2)
            };
            left -= part;
            out.push((to.clone(), part));
        }
        out
    }
}

/// What the rows are applied with.
pub struct Ctx<'a> {
    pub txn: &'a DatabaseTransaction,
    pub reach: &'a Reach,
    /// The working (open) period: balances are its opening ones, services start in it.
    pub open: Period,
    /// Today, for counting who lives in an account.
    pub today: NaiveDate,
    pub date_format: &'a str,
    pub options: &'a Options,
    /// The generated resident cards' name ("Resident" in the requester's language).
    pub resident_label: &'a str,
    /// The template's rules (subsidies).
    pub rules: &'a SubsidyRules,
    /// Who applies the file, and when (acts made by the import are theirs).
    pub actor: &'a platform::audit::Actor,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// One row's result: imported (with its key, e.g. the account number) or skipped with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: usize,
    pub key: Option<String>,
    pub reason: Option<String>,
}

/// What applying a file did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub lines: Vec<Line>,
    /// The kind's totals: balances per service, accounts, meters, residents created.
    pub totals: Value,
    /// Why the whole file was refused (e.g. its month is closed), if it was.
    pub refused: Option<String>,
}

impl Outcome {
    pub fn skipped(&self) -> usize {
        self.lines.iter().filter(|l| l.reason.is_some()).count()
    }
}

pub async fn apply(ctx: &Ctx<'_>, kind: Kind, records: &[Record]) -> AppResult<Outcome> {
    match kind {
        Kind::Accounts => accounts(ctx, records).await,
        Kind::Residents => residents(ctx, records).await,
        Kind::ResidentList => resident_list(ctx, records).await,
        Kind::Meters => meters(ctx, records).await,
        Kind::Balances => balances(ctx, records).await,
        Kind::Subsidies => subsidies(ctx, records).await,
        Kind::Beneficiaries => crate::benefits::beneficiaries(ctx, records).await,
        Kind::Tariffs => crate::reference::tariffs(ctx, records).await,
        Kind::PenaltyRates => crate::reference::penalty_rates(ctx, records).await,
    }
}

/// A row being checked: its line, key and the first reason found.
pub(crate) struct Check {
    pub(crate) line: usize,
    pub(crate) key: Option<String>,
    pub(crate) reason: Option<String>,
}

impl Check {
    pub(crate) fn refuse(&mut self, reason: impl Into<String>) {
        if self.reason.is_none() {
            self.reason = Some(reason.into());
        }
    }
}

pub(crate) fn lines(checks: Vec<Check>) -> Vec<Line> {
    checks
        .into_iter()
        .map(|c| Line {
            line: c.line,
            key: c.key,
            reason: c.reason,
        })
        .collect()
}

/// An all-or-nothing kind's answer once a row is refused: every row's outcome, nothing
/// to write (the caller rolls the file back).
pub(crate) fn refused_whole(checks: &mut Vec<Check>, totals: Value) -> Option<Outcome> {
    checks.iter().any(|c| c.reason.is_some()).then(|| Outcome {
        refused: None,
        lines: lines(std::mem::take(checks)),
        totals,
    })
}

/// An account number as files write it: digits, leading zeros kept.
fn account_number(text: Option<&str>) -> Result<String, &'static str> {
    match text {
        None => Err("account: is required"),
        Some(t) if t.len() <= 20 && t.chars().all(|c| c.is_ascii_digit()) => Ok(t.to_owned()),
        Some(_) => Err("account: must be 1–20 digits"),
    }
}

pub(crate) fn text_of(
    field: &str,
    text: Option<&str>,
    max: usize,
    required: bool,
) -> Result<Option<String>, String> {
    match text {
        None if required => Err(format!("{field}: is required")),
        None => Ok(None),
        Some(t) if t.chars().count() > max => {
            Err(format!("{field}: must be at most {max} characters"))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

pub(crate) fn date_of(
    field: &str,
    text: Option<&str>,
    format: &str,
) -> Result<Option<NaiveDate>, String> {
    text.map(|t| date(t, format).ok_or_else(|| format!("{field}: is not a date")))
        .transpose()
}

fn count_of(field: &str, text: Option<&str>) -> Result<Option<i32>, String> {
    text.map(|t| {
        t.trim_end_matches(".0")
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=99).contains(n))
            .ok_or_else(|| format!("{field}: must be a whole number from 0 to 99"))
    })
    .transpose()
}

#[derive(FromQueryResult)]
struct AccountKey {
    number: String,
    id: i64,
    within: bool,
}

/// The accounts the rows name: id and whether the user's reach covers it.
async fn known_accounts(
    ctx: &Ctx<'_>,
    numbers: Vec<String>,
) -> AppResult<HashMap<String, (i64, bool)>> {
    let within = ctx
        .reach
        .account_condition()
        .unwrap_or_else(|| "true".to_owned());
    let rows = AccountKey::find_by_statement(stmt(
        &format!("SELECT number, id, {within} AS within FROM accounts WHERE number = ANY($1)"),
        vec![numbers.into()],
    ))
    .all(ctx.txn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.number, (r.id, r.within)))
        .collect())
}

/// A row's address, for kinds that may name the account by it (meters).
#[derive(Serialize)]
struct Address<'a> {
    i: usize,
    street: &'a str,
    building: &'a str,
    apartment: &'a str,
}

/// Each row's account: the number checked, the account found and within reach. A kind
/// with address fields takes a row without an account number by its address instead: the
/// one account (not closed or annulled) of the premises at that street, building and
/// apartment (names compared ignoring case; a street of that name in two localities, or
/// two accounts at the address, is refused as ambiguous).
pub(crate) async fn rows_accounts(
    ctx: &Ctx<'_>,
    kind: Kind,
    records: &[Record],
) -> AppResult<(Vec<Check>, Vec<Option<i64>>)> {
    let mut checks = Vec::with_capacity(records.len());
    let mut numbers = Vec::new();
    let mut addresses = Vec::new();
    let by_address = kind.index("street").is_some();
    for (i, r) in records.iter().enumerate() {
        let mut c = Check {
            line: r.line,
            key: None,
            reason: None,
        };
        match (
            r.get(kind, "account"),
            r.get(kind, "street"),
            r.get(kind, "building"),
        ) {
            (None, Some(street), Some(building)) if by_address => addresses.push(Address {
                i,
                street,
                building,
                apartment: r.get(kind, "apartment").unwrap_or_default(),
            }),
            (None, _, _) if by_address => {
                c.refuse("account: give the account number or the address (street, building)");
            }
            (text, _, _) => match account_number(text) {
                Ok(n) => {
                    numbers.push(n.clone());
                    c.key = Some(n);
                }
                Err(e) => c.refuse(e),
            },
        }
        checks.push(c);
    }
    if !addresses.is_empty() {
        #[derive(FromQueryResult)]
        struct At {
            i: i32,
            numbers: Vec<String>,
        }
        let found = At::find_by_statement(stmt(
            "SELECT x.i, coalesce(array_agg(a.number ORDER BY a.number) FILTER (WHERE a.id IS NOT NULL), '{}') AS numbers \
             FROM jsonb_to_recordset($1::text::jsonb) AS x(i int, street text, building text, apartment text) \
             LEFT JOIN streets s ON lower(s.name) = lower(x.street) \
             LEFT JOIN buildings b ON b.street_id = s.id AND lower(b.number) = lower(x.building) \
             LEFT JOIN premises p ON p.building_id = b.id AND lower(p.number) = lower(x.apartment) \
             LEFT JOIN accounts a ON a.premises_id = p.id AND a.status NOT IN ('closed', 'annulled') \
             GROUP BY x.i",
            vec![serde_json::to_string(&addresses).unwrap_or_default().into()],
        ))
        .all(ctx.txn)
        .await?;
        for at in found {
            let Some(c) = usize::try_from(at.i).ok().and_then(|i| checks.get_mut(i)) else {
                continue;
            };
            match at.numbers.as_slice() {
                [] => c.refuse("street: there is no account at this address"),
                [n] => {
                    numbers.push(n.clone());
                    c.key = Some(n.clone());
                }
                more => c.refuse(format!(
                    "apartment: {} accounts are at this address; give the account number",
                    more.len()
                )),
            }
        }
    }
    let known = known_accounts(ctx, numbers).await?;
    let mut ids = Vec::with_capacity(checks.len());
    for c in &mut checks {
        let id = match c.key.as_ref().map(|n| (n, known.get(n))) {
            Some((n, None)) => {
                c.refuse(format!("account: there is no account {n}"));
                None
            }
            Some((_, Some((_, false)))) => {
                c.refuse("account: is outside your reach");
                None
            }
            Some((_, Some((id, true)))) => Some(*id),
            None => None,
        };
        ids.push(id);
    }
    Ok((checks, ids))
}

/// The rows whose account was found, each made into its staged JSON by `row` (given the
/// account's id) or refused with the reason `row` gives.
pub(crate) fn staged(
    records: &[Record],
    checks: &mut [Check],
    ids: Vec<Option<i64>>,
    row: impl Fn(&Record, i64) -> Result<Value, String>,
) -> Vec<String> {
    let mut stage = Vec::new();
    for ((r, c), id) in records.iter().zip(checks.iter_mut()).zip(ids) {
        if let Some(id) = id {
            match row(r, id) {
                Ok(v) => stage.push(v.to_string()),
                Err(e) => c.refuse(e),
            }
        }
    }
    stage
}

/// Rows (each a JSON object as text) go to the database in chunks of this many: a chunk's
/// JSON document is all that is held twice, not the whole file's.
const CHUNK: usize = 20_000;

/// Creates the temporary `table` from `select` (which reads `jsonb_to_recordset($1::text::jsonb)`)
/// over the rows, a chunk at a time.
pub(crate) async fn stage_table(
    ctx: &Ctx<'_>,
    table: &str,
    select: &str,
    rows: Vec<String>,
) -> AppResult<()> {
    let mut chunks = rows.chunks(CHUNK);
    let first = chunks.next().unwrap_or_default();
    exec(
        ctx,
        &format!("CREATE TEMP TABLE {table} ON COMMIT DROP AS {select}"),
        vec![json_array(first).into()],
    )
    .await?;
    for chunk in chunks {
        exec(
            ctx,
            &format!("INSERT INTO {table} {select}"),
            vec![json_array(chunk).into()],
        )
        .await?;
    }
    // A temporary table has no statistics until analysed; without them the checks' joins
    // over it are planned as if it held a handful of rows.
    exec(ctx, &format!("ANALYZE {table}"), vec![]).await?;
    Ok(())
}

/// `[a,b,…]` of rows that are JSON texts already.
pub(crate) fn json_array(rows: &[String]) -> String {
    let mut out = String::with_capacity(rows.iter().map(|r| r.len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r);
    }
    out.push(']');
    out
}

/// The accounts a staged `table` names.
pub(crate) async fn staged_accounts(ctx: &Ctx<'_>, table: &str) -> AppResult<Vec<i64>> {
    #[derive(FromQueryResult)]
    struct Ids {
        ids: Vec<i64>,
    }
    Ok(Ids::find_by_statement(stmt(
        &format!("SELECT coalesce(array_agg(DISTINCT account_id), '{{}}') AS ids FROM {table}"),
        vec![],
    ))
    .one(ctx.txn)
    .await?
    .map(|r| r.ids)
    .unwrap_or_default())
}

pub(crate) async fn exec(ctx: &Ctx<'_>, sql: &str, values: Vec<sea_orm::Value>) -> AppResult<u64> {
    Ok(ctx
        .txn
        .execute_raw(stmt(sql, values))
        .await?
        .rows_affected())
}

#[derive(FromQueryResult)]
struct LineReason {
    line: i32,
    reason: String,
}

pub(crate) async fn reasons(ctx: &Ctx<'_>, sql: &str) -> AppResult<Vec<(usize, String)>> {
    Ok(LineReason::find_by_statement(stmt(sql, vec![]))
        .all(ctx.txn)
        .await?
        .into_iter()
        .map(|r| (usize::try_from(r.line).unwrap_or(0), r.reason))
        .collect())
}

/// Rows stand alone: the lines `found` are refused and taken out of the staged `table`, so
/// the rest are written.
pub(crate) async fn refuse_staged(
    ctx: &Ctx<'_>,
    checks: &mut [Check],
    table: &str,
    found: Vec<(usize, String)>,
) -> AppResult<()> {
    let bad: Vec<i64> = found
        .iter()
        .map(|(l, _)| i64::try_from(*l).unwrap_or(0))
        .collect();
    refuse_lines(checks, found);
    exec(
        ctx,
        &format!("DELETE FROM {table} WHERE line = ANY($1)"),
        vec![bad.into()],
    )
    .await?;
    Ok(())
}

pub(crate) fn refuse_lines(checks: &mut [Check], found: Vec<(usize, String)>) {
    let at: HashMap<usize, usize> = checks
        .iter()
        .enumerate()
        .map(|(i, c)| (c.line, i))
        .collect();
    for (line, reason) in found {
        if let Some(i) = at.get(&line) {
            checks[*i].refuse(reason);
        }
    }
}

/// Accounts with their subscribers and premises (what a migration starts with). The
/// address elements are found by name or created; the account number must be new.
async fn accounts(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    if !ctx.reach.everything() {
        return Err(AppError::Forbidden(
            "importing accounts needs a user without branch or building limits".into(),
        ));
    }
    let k = Kind::Accounts;
    let mut checks = Vec::with_capacity(records.len());
    let mut stage = Vec::with_capacity(records.len());
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let open_from = ctx.open.first_day();
    for r in records {
        let mut c = Check {
            line: r.line,
            key: None,
            reason: None,
        };
        let row = (|| -> Result<Value, String> {
            let acc = account_number(r.get(k, "account")).map_err(str::to_owned)?;
            c.key = Some(acc.clone());
            if let Some(l) = first_line.insert(acc.clone(), r.line) {
                return Err(format!("account: appears twice in the file (line {l})"));
            }
            let locality = text_of("locality", r.get(k, "locality"), 100, true)?;
            let street = text_of("street", r.get(k, "street"), 100, true)?;
            let building = text_of("building", r.get(k, "building"), 20, true)?;
            let apartment = text_of("apartment", r.get(k, "apartment"), 20, false)?;
            let holder = text_of("holder", r.get(k, "holder"), 200, true)?.unwrap_or_default();
            let legal = match r.get(k, "holderKind").map(str::to_lowercase).as_deref() {
                None | Some("individual" | "ф" | "фл" | "фіз" | "физ" | "1") => false,
                Some("legal" | "ю" | "юл" | "юр" | "2") => true,
                Some(_) => return Err("holderKind: must be individual or legal".into()),
            };
            let area = match r.get(k, "area") {
                None => None,
                Some(t) => Some(
                    number(t)
                        .filter(|a| *a > Decimal::ZERO && *a < Decimal::from(100_000))
                        .ok_or("area: must be a positive number of square metres")?,
                ),
            };
            let residents = count_of("residents", r.get(k, "residents"))?.unwrap_or(0);
            let mut services: Vec<String> = Vec::new();
            for code in r
                .get(k, "services")
                .unwrap_or_default()
                .split([',', ' ', '|'])
                .filter(|s| !s.is_empty())
            {
                if services.iter().any(|s| s == code) {
                    return Err(format!("services: {code} is named twice"));
                }
                services.push(code.to_owned());
            }
            let starts_on =
                date_of("startsOn", r.get(k, "startsOn"), ctx.date_format)?.unwrap_or(open_from);
            let mut words = holder.split_whitespace();
            let (last, first) = (words.next().unwrap_or_default(), words.next());
            let middle: Vec<&str> = words.collect();
            Ok(json!({
                "line": r.line, "number": acc, "locality": locality, "street": street,
                "building": building, "apartment": apartment.unwrap_or_default(), "holder": holder,
                "legal": legal, "last_name": last, "first_name": first,
                "middle_name": (!middle.is_empty()).then(|| middle.join(" ")),
                "area": area, "residents": residents, "services": services, "starts_on": starts_on,
                "price_list": r.get(k, "priceList"),
            }))
        })();
        match row {
            Ok(v) => stage.push(v.to_string()),
            Err(e) => c.refuse(e),
        }
        checks.push(c);
    }
    stage_table(
        ctx,
        "imp_accounts",
        "SELECT x.*, NULL::int AS locality_id, NULL::int AS street_id, NULL::int AS building_id, \
                NULL::bigint AS premises_id, NULL::bigint AS subscriber_id, NULL::bigint AS account_id \
         FROM jsonb_to_recordset($1::text::jsonb) AS x(line int, number text, locality text, street text, building text, \
              apartment text, holder text, legal boolean, last_name text, first_name text, middle_name text, \
              area numeric, residents int, services text[], starts_on date, price_list text)",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT i.line, 'account: ' || i.number || ' exists already' AS reason FROM imp_accounts i \
           JOIN accounts a ON a.number = i.number \
         UNION ALL \
         SELECT i.line, 'services: there is no service ' || c AS reason FROM imp_accounts i, unnest(i.services) c \
           WHERE NOT EXISTS (SELECT 1 FROM services v WHERE v.code = c) \
         UNION ALL \
         SELECT i.line, 'priceList: there is no price list ' || i.price_list AS reason FROM imp_accounts i \
           WHERE i.price_list IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_lists p WHERE p.code = i.price_list)",
    )
    .await?;
    refuse_lines(&mut checks, found);
    if let Some(o) = refused_whole(&mut checks, json!({"accounts": 0})) {
        return Ok(o);
    }
    // Address elements by name, created where missing (a locality's name is looked up in
    // every region: the file names no region).
    for sql in [
        "INSERT INTO localities (name) SELECT DISTINCT i.locality FROM imp_accounts i \
         WHERE NOT EXISTS (SELECT 1 FROM localities l WHERE l.name = i.locality) ON CONFLICT DO NOTHING",
        "UPDATE imp_accounts i SET locality_id = l.id FROM (SELECT name, min(id) AS id FROM localities GROUP BY name) l \
         WHERE l.name = i.locality",
        "INSERT INTO streets (locality_id, name) SELECT DISTINCT i.locality_id, i.street FROM imp_accounts i \
         WHERE NOT EXISTS (SELECT 1 FROM streets s WHERE s.locality_id = i.locality_id AND s.name = i.street) \
         ON CONFLICT DO NOTHING",
        "UPDATE imp_accounts i SET street_id = s.id \
         FROM (SELECT locality_id, name, min(id) AS id FROM streets GROUP BY locality_id, name) s \
         WHERE s.locality_id = i.locality_id AND s.name = i.street",
        "INSERT INTO buildings (street_id, number) SELECT DISTINCT street_id, building FROM imp_accounts \
         ON CONFLICT (street_id, number) DO NOTHING",
        "UPDATE imp_accounts i SET building_id = b.id FROM buildings b WHERE b.street_id = i.street_id AND b.number = i.building",
        "INSERT INTO premises (building_id, number) SELECT DISTINCT building_id, apartment FROM imp_accounts \
         ON CONFLICT (building_id, number) DO NOTHING",
        "UPDATE imp_accounts i SET premises_id = p.id, subscriber_id = nextval(pg_get_serial_sequence('subscribers', 'id')), \
                account_id = nextval(pg_get_serial_sequence('accounts', 'id')) \
         FROM premises p WHERE p.building_id = i.building_id AND p.number = i.apartment",
        "INSERT INTO premises_areas (premises_id, valid_from, total_area) \
         SELECT DISTINCT ON (premises_id) premises_id, starts_on, area FROM imp_accounts WHERE area IS NOT NULL \
         ORDER BY premises_id, line ON CONFLICT DO NOTHING",
        "UPDATE premises p SET price_list_id = l.id FROM imp_accounts i JOIN price_lists l ON l.code = i.price_list \
         WHERE p.id = i.premises_id",
        "INSERT INTO subscribers (id, kind, last_name, first_name, middle_name, legal_name) \
         SELECT subscriber_id, CASE WHEN legal THEN 'legal' ELSE 'individual' END, \
                CASE WHEN legal THEN NULL ELSE last_name END, CASE WHEN legal THEN NULL ELSE first_name END, \
                CASE WHEN legal THEN NULL ELSE middle_name END, CASE WHEN legal THEN holder END \
         FROM imp_accounts",
        "INSERT INTO accounts (id, number, holder_name, address, account_type, subscriber_id, premises_id, status, opened_on, branch_id) \
         SELECT i.account_id, i.number, i.holder, \
                concat_ws(', ', l.name, s.name, b.number) || CASE WHEN i.apartment = '' THEN '' ELSE ', кв. ' || i.apartment END, \
                CASE WHEN i.legal THEN 'legal' ELSE 'individual' END, i.subscriber_id, i.premises_id, 'approved', i.starts_on, b.branch_id \
         FROM imp_accounts i JOIN buildings b ON b.id = i.building_id JOIN streets s ON s.id = i.street_id \
         JOIN localities l ON l.id = i.locality_id",
        "INSERT INTO account_services (account_id, service_id, starts_on) \
         SELECT i.account_id, v.id, i.starts_on FROM imp_accounts i, unnest(i.services) c JOIN services v ON v.code = c",
    ] {
        exec(ctx, sql, vec![]).await?;
    }
    generate_residents(ctx, "imp_accounts").await?;
    #[derive(FromQueryResult)]
    struct Totals {
        accounts: i64,
        buildings: i64,
        residents: i64,
        services: i64,
    }
    let t = Totals::find_by_statement(stmt(
        "SELECT count(*) AS accounts, count(DISTINCT building_id) AS buildings, \
                coalesce(sum(residents), 0)::bigint AS residents, \
                coalesce(sum(cardinality(services)), 0)::bigint AS services FROM imp_accounts",
        vec![],
    ))
    .one(ctx.txn)
    .await?
    .ok_or_else(|| AppError::Internal("no totals".into()))?;
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({"accounts": t.accounts, "buildings": t.buildings, "residents": t.residents,
                       "services": t.services}),
    })
}

/// Resident cards for the staged accounts' counts (`account_id`, `residents`, `starts_on`
/// of `table`): registered and living from the start, then the accounts recounted.
async fn generate_residents(ctx: &Ctx<'_>, table: &str) -> AppResult<()> {
    exec(
        ctx,
        &format!(
            "INSERT INTO residents (account_id, full_name, registered_from, living_from) \
             SELECT i.account_id, $1 || ' ' || g, i.starts_on, i.starts_on \
             FROM {table} i, generate_series(1, i.residents) g WHERE i.account_id IS NOT NULL"
        ),
        vec![ctx.resident_label.into()],
    )
    .await?;
    recount(ctx, table).await
}

async fn recount(ctx: &Ctx<'_>, table: &str) -> AppResult<()> {
    exec(
        ctx,
        &format!(
            "UPDATE accounts a SET residents = (SELECT count(*) FROM residents r WHERE r.account_id = a.id \
               AND (r.living_from IS NULL OR r.living_from <= $1) AND (r.living_to IS NULL OR r.living_to >= $1)) \
             WHERE a.id IN (SELECT account_id FROM {table})"
        ),
        vec![ctx.today.into()],
    )
    .await?;
    Ok(())
}

/// Residents from counts: max(registered, living) cards are generated from the open
/// period's first day; a card beyond the registered count is not registered, one beyond
/// the living count does not live there (its registration or living period is closed the
/// day before — a card has no "never" for either, and a period ending before the start
/// counts nowhere). An account that already has resident cards is skipped (the counts
/// would double them).
async fn residents(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::Residents;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let from = ctx.open.first_day();
    let stage = staged(records, &mut checks, ids, |r, id| {
        let registered = count_of("registered", r.get(k, "registered"))?.unwrap_or(0);
        let living = count_of("living", r.get(k, "living"))?.unwrap_or(registered);
        Ok(
            json!({"line": r.line, "account_id": id, "registered": registered,
                  "living": living, "starts_on": from}),
        )
    });
    stage_table(
        ctx,
        "imp_residents",
        "SELECT * FROM jsonb_to_recordset($1::text::jsonb) \
         AS x(line int, account_id bigint, registered int, living int, starts_on date)",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT i.line, 'account: already has ' || count(r.id) || ' resident cards' AS reason \
         FROM imp_residents i JOIN residents r ON r.account_id = i.account_id GROUP BY i.line \
         UNION ALL \
         SELECT i.line, 'account: appears twice in the file (line ' || min(j.line) || ')' AS reason \
         FROM imp_residents i JOIN imp_residents j ON j.account_id = i.account_id AND j.line < i.line GROUP BY i.line",
    )
    .await?;
    refuse_staged(ctx, &mut checks, "imp_residents", found).await?;
    let created = exec(
        ctx,
        "INSERT INTO residents (account_id, full_name, registered_from, registered_to, living_from, living_to) \
         SELECT i.account_id, $1 || ' ' || g, \
                CASE WHEN g <= i.registered THEN i.starts_on END, CASE WHEN g > i.registered THEN i.starts_on - 1 END, \
                CASE WHEN g <= i.living THEN i.starts_on END, CASE WHEN g > i.living THEN i.starts_on - 1 END \
         FROM imp_residents i, generate_series(1, greatest(i.registered, i.living)) g",
        vec![ctx.resident_label.into()],
    )
    .await?;
    recount(ctx, "imp_residents").await?;
    Ok(Outcome {
        refused: None,
        totals: json!({"residents": created}),
        lines: lines(checks),
    })
}

/// Residents from a list of people; one already on the account (same name and birth date)
/// is skipped. A row with a benefit code makes the person a beneficiary of it (from the
/// registration, else the move-in, else the open period's first day; without an end).
async fn resident_list(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::ResidentList;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let stage = staged(records, &mut checks, ids, |r, id| {
        let name = text_of("fullName", r.get(k, "fullName"), 200, true)?;
        let d = |f: &str| date_of(f, r.get(k, f), ctx.date_format);
        let (born, rf, rt, lf, lt) = (
            d("birthDate")?,
            d("registeredFrom")?,
            d("registeredTo")?,
            d("livingFrom")?,
            d("livingTo")?,
        );
        if let (Some(f), Some(t)) = (rf, rt)
            && t < f
        {
            return Err("registeredTo: must not be before the registration".into());
        }
        if let (Some(f), Some(t)) = (lf, lt)
            && t < f
        {
            return Err("livingTo: must not be before the move-in".into());
        }
        let benefit = text_of("benefit", r.get(k, "benefit"), 40, false)?;
        Ok(
            json!({"line": r.line, "account_id": id, "full_name": name, "birth_date": born,
                  "registered_from": rf, "registered_to": rt, "living_from": lf, "living_to": lt,
                  "benefit": benefit}),
        )
    });
    stage_table(
        ctx,
        "imp_people",
        "SELECT x.*, k.id AS benefit_id, NULL::bigint AS resident_id FROM jsonb_to_recordset($1::text::jsonb) \
         AS x(line int, account_id bigint, full_name text, birth_date date, registered_from date, \
              registered_to date, living_from date, living_to date, benefit text) \
         LEFT JOIN benefits k ON k.code = x.benefit",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        // The file's own repeats by a window, not a self-join: `IS NOT DISTINCT FROM` on the
        // birth date would make that a nested loop over the whole file (minutes at 100,000).
        "SELECT line, 'fullName: is already a resident of this account' AS reason FROM ( \
           SELECT i.line, row_number() OVER (PARTITION BY i.account_id, i.full_name, i.birth_date ORDER BY i.line) AS nth, \
                  EXISTS (SELECT 1 FROM residents r WHERE r.account_id = i.account_id AND r.full_name = i.full_name \
                          AND r.birth_date IS NOT DISTINCT FROM i.birth_date) AS there \
           FROM imp_people i) x WHERE there OR nth > 1 \
         UNION ALL SELECT line, 'benefit: there is no benefit ' || benefit FROM imp_people \
           WHERE benefit IS NOT NULL AND benefit_id IS NULL",
    )
    .await?;
    refuse_staged(ctx, &mut checks, "imp_people", found).await?;
    exec(
        ctx,
        "UPDATE imp_people SET resident_id = nextval(pg_get_serial_sequence('residents', 'id'))",
        vec![],
    )
    .await?;
    let created = exec(
        ctx,
        "INSERT INTO residents (id, account_id, full_name, birth_date, registered_from, registered_to, living_from, living_to) \
         SELECT resident_id, account_id, full_name, birth_date, registered_from, registered_to, living_from, living_to \
         FROM imp_people ORDER BY line",
        vec![],
    )
    .await?;
    let beneficiaries = exec(
        ctx,
        "INSERT INTO beneficiaries (account_id, resident_id, benefit_id, starts_on) \
         SELECT account_id, resident_id, benefit_id, coalesce(registered_from, living_from, $1) \
         FROM imp_people WHERE benefit_id IS NOT NULL ORDER BY line",
        vec![ctx.open.first_day().into()],
    )
    .await?;
    recount(ctx, "imp_people").await?;
    Ok(Outcome {
        refused: None,
        totals: json!({"residents": created, "added": beneficiaries}),
        lines: lines(checks),
    })
}

/// The meter registry: each meter on its account's premises for a service of the
/// catalogue; the model, when named, must be in the catalogue (by code or name). Mode
/// Replace first removes the account's working meters of that service on the new one's
/// installation day, their last reading (or the initial one) as the final reading.
async fn meters(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::Meters;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let stage = staged(records, &mut checks, ids, |r, id| {
        let service = text_of("service", r.get(k, "service"), 40, true)?;
        let serial = text_of("serial", r.get(k, "serial"), 40, true)?;
        let installed = date_of("installedOn", r.get(k, "installedOn"), ctx.date_format)?
            .ok_or("installedOn: is required")?;
        let initial = r
            .get(k, "initialReading")
            .and_then(number)
            .filter(|n| *n > Decimal::ZERO && n.scale() <= 4)
            .ok_or("initialReading: must be a positive number with at most 4 decimals")?;
        let verified = date_of("verifiedOn", r.get(k, "verifiedOn"), ctx.date_format)?;
        let next = date_of(
            "nextVerification",
            r.get(k, "nextVerification"),
            ctx.date_format,
        )?;
        Ok(
            json!({"line": r.line, "account_id": id, "service": service, "serial": serial,
                  "model": r.get(k, "model"), "installed_on": installed, "initial": initial,
                  "verified_on": verified, "next_verification": next,
                  "seal": text_of("seal", r.get(k, "seal"), 40, false)?}),
        )
    });
    stage_table(
        ctx,
        "imp_meters",
        "SELECT x.*, v.id AS service_id, v.method, m.id AS model_id, a.premises_id, p.building_id, \
                nextval(pg_get_serial_sequence('meters', 'id')) AS meter_id \
         FROM jsonb_to_recordset($1::text::jsonb) AS x(line int, account_id bigint, service text, serial text, model text, \
              installed_on date, initial numeric, verified_on date, next_verification date, seal text) \
         JOIN accounts a ON a.id = x.account_id LEFT JOIN premises p ON p.id = a.premises_id \
         LEFT JOIN services v ON v.code = x.service \
         LEFT JOIN LATERAL (SELECT min(id) AS id FROM meter_models mm WHERE mm.code = x.model OR mm.name = x.model) m ON true",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT line, 'service: there is no service ' || service AS reason FROM imp_meters WHERE service_id IS NULL \
         UNION ALL SELECT line, 'service: ' || service || ' is not metered' FROM imp_meters \
           WHERE service_id IS NOT NULL AND method <> 'metered' \
         UNION ALL SELECT line, 'model: ' || model || ' is not in the meter catalogue' FROM imp_meters \
           WHERE model IS NOT NULL AND model_id IS NULL \
         UNION ALL SELECT line, 'account: has no premises' FROM imp_meters WHERE premises_id IS NULL \
         UNION ALL SELECT i.line, 'serial: appears twice in the file (line ' || min(j.line) || ')' FROM imp_meters i \
           JOIN imp_meters j ON j.serial = i.serial AND j.model_id IS NOT DISTINCT FROM i.model_id AND j.line < i.line \
           GROUP BY i.line",
    )
    .await?;
    refuse_lines(&mut checks, found);
    if ctx.options.replace {
        // The removed meters' final reading: their last reading, or the initial one.
        exec(
            ctx,
            "UPDATE meters m SET removed_on = greatest(i.installed_on, m.installed_on), \
                    final_reading = coalesce((SELECT r.current FROM readings r WHERE r.meter_id = m.id \
                                              ORDER BY r.period DESC, r.taken_on DESC, r.id DESC LIMIT 1), m.initial_reading) \
             FROM imp_meters i WHERE m.account_id = i.account_id AND m.service_id = i.service_id AND m.removed_on IS NULL",
            vec![],
        )
        .await?;
    }
    let found = reasons(
        ctx,
        "SELECT i.line, 'serial: ' || i.serial || ' is already installed' AS reason FROM imp_meters i \
         WHERE EXISTS (SELECT 1 FROM meters m WHERE m.serial = i.serial AND coalesce(m.model_id, 0) = coalesce(i.model_id, 0) \
                       AND m.removed_on IS NULL)",
    )
    .await?;
    refuse_lines(&mut checks, found);
    if let Some(o) = refused_whole(&mut checks, json!({"meters": 0})) {
        return Ok(o);
    }
    let added = exec(
        ctx,
        "INSERT INTO meters (id, serial, model_id, service_id, install_method, building_id, premises_id, account_id, \
                             installed_on, initial_reading, verified_on, next_verification, seal_number) \
         SELECT meter_id, serial, model_id, service_id, 'apartment', building_id, premises_id, account_id, \
                installed_on, initial, verified_on, next_verification, seal FROM imp_meters",
        vec![],
    )
    .await?;
    exec(
        ctx,
        "UPDATE accounts a SET meters = c.n, meter_serials = c.serials FROM ( \
           SELECT m.account_id, count(*) AS n, string_agg(m.serial, ' ' ORDER BY m.id) AS serials FROM meters m \
           WHERE m.removed_on IS NULL AND m.account_id IN (SELECT account_id FROM imp_meters) GROUP BY m.account_id) c \
         WHERE a.id = c.account_id",
        vec![],
    )
    .await?;
    Ok(Outcome {
        refused: None,
        totals: json!({"meters": added}),
        lines: lines(checks),
    })
}

/// Opening balances per account and service for the open period (a debt positive, an
/// overpayment negative); a balance already there is replaced. Their total per service is
/// the reconciliation the operator compares with the old system before posting.
async fn balances(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::Balances;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let stage = staged(records, &mut checks, ids, |r, id| {
        let service = text_of("service", r.get(k, "service"), 40, true)?;
        let amount = r
            .get(k, "amount")
            .and_then(number)
            .filter(|a| a.scale() <= 2 && a.abs() < Decimal::from(1_000_000_000))
            .ok_or("amount: must be a sum of money with at most 2 decimals")?;
        Ok(json!({"line": r.line, "account_id": id, "service": service, "amount": amount}))
    });
    stage_table(
        ctx,
        "imp_balances",
        "SELECT x.*, v.id AS service_id FROM jsonb_to_recordset($1::text::jsonb) \
              AS x(line int, account_id bigint, service text, amount numeric) \
         LEFT JOIN services v ON v.code = x.service",
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT line, 'service: there is no service ' || service AS reason FROM imp_balances WHERE service_id IS NULL \
         UNION ALL SELECT i.line, 'service: the balance of ' || i.service || ' is already on line ' || min(j.line) \
           FROM imp_balances i JOIN imp_balances j ON j.account_id = i.account_id AND j.service_id = i.service_id \
           AND j.line < i.line GROUP BY i.line, i.service",
    )
    .await?;
    refuse_lines(&mut checks, found);
    #[derive(FromQueryResult)]
    struct Sum {
        service: String,
        rows: i64,
        debit: Decimal,
        credit: Decimal,
    }
    let sums = Sum::find_by_statement(stmt(
        "SELECT service, count(*) AS rows, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debit, \
                coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS credit \
         FROM imp_balances WHERE service_id IS NOT NULL GROUP BY service ORDER BY service",
        vec![],
    ))
    .all(ctx.txn)
    .await?;
    let total: Decimal = sums.iter().map(|s| s.debit - s.credit).sum();
    let totals = json!({
        "period": ctx.open.to_string(),
        "services": sums.iter().map(|s| json!({"service": s.service, "rows": s.rows,
            "debit": s.debit, "credit": s.credit, "net": s.debit - s.credit})).collect::<Vec<_>>(),
        "total": total,
    });
    if let Some(o) = refused_whole(&mut checks, totals.clone()) {
        return Ok(o);
    }
    exec(
        ctx,
        "INSERT INTO opening_balances (account_id, service_id, period, amount) \
         SELECT account_id, service_id, $1, amount FROM imp_balances \
         ON CONFLICT (account_id, service_id, period) DO UPDATE SET amount = EXCLUDED.amount",
        vec![ctx.open.first_day().into()],
    )
    .await?;
    let touched = staged_accounts(ctx, "imp_balances").await?;
    registry::counters::refresh_balances(ctx.txn, &touched).await?;
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals,
    })
}

/// A subsidies file's rows checked and staged in `imp_subsidies` (line, account, service
/// code, amount) with the template's rules applied: a combined line split, a service the
/// account lacks in the month moved to its fallback; a row of an unknown service, or of one
/// the account lacks in the month, refused and taken out. `corrective` (a closed month's
/// file): amounts are ± corrections, not 0; otherwise not negative, and a subsidy an invoice
/// already used is not overwritten.
pub(crate) async fn stage_subsidies(
    ctx: &Ctx<'_>,
    records: &[Record],
    period: Period,
    corrective: bool,
) -> AppResult<Vec<Check>> {
    let k = Kind::Subsidies;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let mut stage = Vec::new();
    for ((r, c), id) in records.iter().zip(checks.iter_mut()).zip(ids) {
        let Some(id) = id else { continue };
        let row = (|| -> Result<Vec<Value>, String> {
            let service = text_of("service", r.get(k, "service"), 40, true)?.unwrap_or_default();
            let amount = r
                .get(k, "amount")
                .and_then(number)
                .filter(|a| a.scale() <= 2 && a.abs() < Decimal::from(10_000_000))
                .filter(|a| {
                    if corrective {
                        !a.is_zero()
                    } else {
                        *a >= Decimal::ZERO
                    }
                })
                .ok_or(if corrective {
                    "amount: must be a sum of money other than 0, with at most 2 decimals"
                } else {
                    "amount: must be a sum of money, not negative, with at most 2 decimals"
                })?;
            Ok(ctx
                .rules
                .split(&service, amount)
                .into_iter()
                .map(|(to, part)| json!({"line": r.line, "account_id": id, "service": to, "amount": part}))
                .collect())
        })();
        match row {
            Ok(parts) => stage.extend(parts.into_iter().map(|v| v.to_string())),
            Err(e) => c.refuse(e),
        }
    }
    stage_table(
        ctx,
        "imp_subsidies",
        "SELECT x.* FROM jsonb_to_recordset($1::text::jsonb) AS x(line int, account_id bigint, service text, amount numeric)",
        stage,
    )
    .await?;
    let (from, to) = (period.first_day(), period.last_day());
    let has = "EXISTS (SELECT 1 FROM account_services x JOIN services v ON v.id = x.service_id \
                WHERE x.account_id = i.account_id AND v.code = i.service AND x.starts_on <= $2 \
                AND (x.ends_on IS NULL OR x.ends_on >= $1))";
    let fallback: Value = serde_json::to_value(&ctx.rules.fallback).unwrap_or_default();
    exec(
        ctx,
        &format!(
            "UPDATE imp_subsidies i SET service = $3::jsonb ->> i.service \
             WHERE $3::jsonb ? i.service AND NOT {has}"
        ),
        vec![from.into(), to.into(), fallback.to_string().into()],
    )
    .await?;
    let bad = LineReason::find_by_statement(stmt(
        &format!(
            "SELECT i.line, CASE WHEN NOT EXISTS (SELECT 1 FROM services v WHERE v.code = i.service) \
                    THEN 'service: there is no service ' || i.service \
                    ELSE 'service: the account has no service ' || i.service || ' in ' || to_char($1::date, 'YYYY-MM') END AS reason \
             FROM imp_subsidies i WHERE NOT {has} \
             UNION ALL \
             SELECT i.line, 'service: the subsidy of ' || i.service || ' is used in an invoice already' \
             FROM imp_subsidies i JOIN services v ON v.code = i.service \
             JOIN subsidies s ON s.account_id = i.account_id AND s.service_id = v.id AND s.period = $1 \
             WHERE s.invoice_id IS NOT NULL AND NOT $3"
        ),
        vec![from.into(), to.into(), corrective.into()],
    ))
    .all(ctx.txn)
    .await?;
    let bad = bad
        .into_iter()
        .map(|b| (usize::try_from(b.line).unwrap_or(0), b.reason))
        .collect();
    refuse_staged(ctx, &mut checks, "imp_subsidies", bad).await?;
    Ok(checks)
}

/// The social-protection office's subsidies of a month (the upload's `period`, default
/// the open one) per account and service: the template's rules applied (a combined line
/// split, a service the account lacks moved to its fallback), amounts of one account and
/// service added up, and each written over the month's subsidy — unless an invoice already
/// used it. A row of an unknown account, an unknown service, or a service the account does
/// not have in the month is listed and the rest credited. A closed month refuses the file:
/// its corrections are data-update acts.
async fn subsidies(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let period = match ctx.options.period.as_deref() {
        None => ctx.open,
        Some(t) => t
            .parse::<Period>()
            .map_err(|_| AppError::validation("period", "must look like 2026-11"))?,
    };
    ctx.rules
        .check()
        .map_err(|e| AppError::validation("rules", e))?;
    let open = match periods::hold_unless_ahead(ctx.txn, period).await {
        Ok(open) => open,
        Err(AppError::PeriodClosed(_)) => {
            return match ctx.options.executor_id {
                Some(executor) => crate::closed::subsidies(ctx, records, period, executor).await,
                None => Ok(Outcome {
                    refused: Some(format!(
                        "executorId: {period} is closed: its subsidies become data-update acts; choose the employee who makes them"
                    )),
                    ..Outcome::default()
                }),
            };
        }
        Err(e) => return Err(e),
    };
    let checks = stage_subsidies(ctx, records, period, false).await?;
    let from = period.first_day();
    #[derive(FromQueryResult)]
    struct Sum {
        service: String,
        rows: i64,
        amount: Decimal,
    }
    let sums = Sum::find_by_statement(stmt(
        "SELECT service, count(DISTINCT account_id) AS rows, sum(amount) AS amount FROM imp_subsidies \
         GROUP BY service ORDER BY service",
        vec![],
    ))
    .all(ctx.txn)
    .await?;
    let total: Decimal = sums.iter().map(|s| s.amount).sum();
    exec(
        ctx,
        "INSERT INTO subsidies (account_id, service_id, period, amount) \
         SELECT i.account_id, v.id, $1, sum(i.amount) FROM imp_subsidies i JOIN services v ON v.code = i.service \
         GROUP BY i.account_id, v.id \
         ON CONFLICT (account_id, service_id, period) DO UPDATE SET amount = EXCLUDED.amount",
        vec![from.into()],
    )
    .await?;
    let touched = staged_accounts(ctx, "imp_subsidies").await?;
    // An open month's invoices of these accounts are stale now (the calculation re-forms
    // them); a month ahead has none yet.
    if open {
        periods::touches::accounts(ctx.txn, period, &touched).await?;
    }
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({
            "period": period.to_string(),
            "services": sums.iter().map(|s| json!({"service": s.service, "rows": s.rows,
                "debit": s.amount, "credit": Decimal::ZERO, "net": s.amount})).collect::<Vec<_>>(),
            "total": total,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_combined_sewerage_line_splits_to_the_kopeck() {
        use rust_decimal_macros::dec;
        let rules = SubsidyRules {
            split: [(
                "stoki".to_owned(),
                vec![
                    ("vv_xv".to_owned(), dec!(60)),
                    ("vv_gv".to_owned(), dec!(40)),
                ],
            )]
            .into_iter()
            .collect(),
            ..SubsidyRules::default()
        };
        assert_eq!(rules.check(), Ok(()));
        assert_eq!(
            rules.split("stoki", dec!(100.01)),
            [
                ("vv_xv".to_owned(), dec!(60.01)),
                ("vv_gv".to_owned(), dec!(40.00))
            ]
        );
        assert_eq!(rules.split("xvs", dec!(5)), [("xvs".to_owned(), dec!(5))]);
        let bad = SubsidyRules {
            split: [("stoki".to_owned(), vec![("vv".to_owned(), dec!(90))])]
                .into_iter()
                .collect(),
            ..SubsidyRules::default()
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn numbers_and_counts_are_checked_naming_the_field() {
        assert_eq!(account_number(Some("000123")), Ok("000123".to_owned()));
        assert!(account_number(Some("12a")).is_err());
        assert_eq!(account_number(None), Err("account: is required"));
        assert_eq!(count_of("registered", Some("3")), Ok(Some(3)));
        assert_eq!(count_of("registered", Some("3.0")), Ok(Some(3)));
        assert!(count_of("registered", Some("-1")).is_err());
        assert!(
            count_of("living", Some("x"))
                .err()
                .is_some_and(|e| e.starts_with("living: "))
        );
        assert_eq!(
            date_of("startsOn", Some("01.12.2026"), "%d.%m.%Y"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 1))
        );
        assert!(date_of("startsOn", Some("2026-13-01"), "%d.%m.%Y").is_err());
    }
}
