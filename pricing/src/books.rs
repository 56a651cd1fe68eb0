//! Reference books: code + name lists with a few typed attributes each, one table per
//! book (so foreign keys guard rows in use). One generic implementation serves them all,
//! driven by each book's field list; table and column names come from this file only,
//! never from input.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};
use serde_json::{Map, json};

use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, async_graphql::Enum,
)]
pub enum Book {
    Branches,
    Banks,
    PaymentTypes,
    RecalculationReasons,
    AccountTypes,
    Employees,
    Journals,
    Units,
    Services,
    Seasons,
    MeterTypes,
    MeterBrands,
    MeterModels,
    Benefits,
    PriceLists,
    /// Electricity retail: the distribution grid operators (ЕРП) whose points a trader supplies.
    GridOperators,
    /// Electricity retail: who brings customers, for a commission per MWh.
    Intermediaries,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum FieldKind {
    Text,
    Bool,
    Choice,
    /// A decimal number, sent and returned as a string ("12.5") so nothing is rounded.
    Number,
    Integer,
    /// `YYYY-MM-DD`.
    Date,
    /// The id of a row of `target`.
    Reference,
    /// A list of ids of rows of `target`, kept in a link table.
    References,
}

/// Where a `References` field keeps its ids: `table (owner, column)`.
#[derive(Debug, Clone, Copy)]
pub struct LinkTable {
    pub table: &'static str,
    pub owner: &'static str,
    pub column: &'static str,
}

/// An attribute of a book beyond code, name and active.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The name clients use.
    pub name: &'static str,
    pub column: &'static str,
    pub kind: FieldKind,
    pub choices: &'static [&'static str],
    /// The book a `Reference` or `References` field points into.
    pub target: Option<Book>,
    pub link: Option<LinkTable>,
}

const fn field(name: &'static str, column: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        column,
        kind,
        choices: &[],
        target: None,
        link: None,
    }
}

const fn text(name: &'static str, column: &'static str) -> Field {
    field(name, column, FieldKind::Text)
}

const fn choice(
    name: &'static str,
    column: &'static str,
    choices: &'static [&'static str],
) -> Field {
    Field {
        choices,
        ..field(name, column, FieldKind::Choice)
    }
}

const fn reference(name: &'static str, column: &'static str, target: Book) -> Field {
    Field {
        target: Some(target),
        ..field(name, column, FieldKind::Reference)
    }
}

/// Database checks that are the user's to satisfy: constraint → (field, rule).
const CHECKS: &[platform::error::Check] = &[
    (
        "services_common_limit_check",
        "commonLimit",
        "must be 0 or more",
    ),
    (
        "services_priority_check",
        "priority",
        "must be from 1 to 999",
    ),
    (
        "seasons_dates_check",
        "endsOn",
        "must not be before the start",
    ),
    (
        "meter_models_diameter_check",
        "diameterMm",
        "must be from 1 to 2000",
    ),
    (
        "meter_models_digits_check",
        "digits",
        "must be from 1 to 12",
    ),
    (
        "meter_models_interval_check",
        "verificationMonths",
        "must be from 1 to 240",
    ),
    (
        "intermediaries_commission_check",
        "commission",
        "must be 0 or more",
    ),
    (
        "benefits_percent_check",
        "percent",
        "must be more than 0 and at most 100",
    ),
];

impl Book {
    pub const ALL: [Book; 17] = [
        Book::Branches,
        Book::Banks,
        Book::PaymentTypes,
        Book::RecalculationReasons,
        Book::AccountTypes,
        Book::Employees,
        Book::Journals,
        Book::Units,
        Book::Services,
        Book::Seasons,
        Book::MeterTypes,
        Book::MeterBrands,
        Book::MeterModels,
        Book::Benefits,
        Book::PriceLists,
        Book::GridOperators,
        Book::Intermediaries,
    ];

    pub fn table(self) -> &'static str {
        match self {
            Book::Branches => "branches",
            Book::Banks => "banks",
            Book::PaymentTypes => "payment_types",
            Book::RecalculationReasons => "recalculation_reasons",
            Book::AccountTypes => "account_types",
            Book::Employees => "employees",
            Book::Journals => "journals",
            Book::Units => "units",
            Book::Services => "services",
            Book::Seasons => "seasons",
            Book::MeterTypes => "meter_types",
            Book::MeterBrands => "meter_brands",
            Book::MeterModels => "meter_models",
            Book::Benefits => "benefits",
            Book::PriceLists => "price_lists",
            Book::GridOperators => "grid_operators",
            Book::Intermediaries => "intermediaries",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        const BANKS: &[Field] = &[text("taxId", "tax_id"), text("iban", "iban")];
        const PAYMENT_TYPES: &[Field] = &[choice(
            "channel",
            "channel",
            &["bank", "cash_desk", "online", "other"],
        )];
        const EMPLOYEES: &[Field] = &[
            text("position", "position"),
            field("isController", "is_controller", FieldKind::Bool),
        ];
        const SERVICES: &[Field] = &[
            reference("unit", "unit_id", Book::Units),
            choice(
                "method",
                "method",
                &["metered", "norm", "area", "common_house", "fixed"],
            ),
            choice(
                "subMethod",
                "sub_method",
                &["main", "common_areas", "own_needs"],
            ),
            field("seasonal", "seasonal", FieldKind::Bool),
            choice(
                "benefitRule",
                "benefit_rule",
                &["social_norm", "full", "none"],
            ),
            field("priority", "priority", FieldKind::Integer),
            field("fine", "fine", FieldKind::Bool),
            // A common-house service distributes the house meters of its base service;
            // the limit caps one person's (or m²'s) share (DOMAIN.md, "common house").
            reference("baseService", "base_service_id", Book::Services),
            field("commonLimit", "common_limit", FieldKind::Number),
        ];
        const SEASONS: &[Field] = &[
            field("startsOn", "starts_on", FieldKind::Date),
            field("endsOn", "ends_on", FieldKind::Date),
            // Repeats every year, moved by whole years to the period calculated.
            field("yearly", "yearly", FieldKind::Bool),
        ];
        const METER_TYPES: &[Field] = &[
            choice(
                "resource",
                "resource",
                &["cold_water", "hot_water", "heat", "electricity", "gas"],
            ),
            reference("unit", "unit_id", Book::Units),
        ];
        const METER_MODELS: &[Field] = &[
            reference("brand", "brand_id", Book::MeterBrands),
            reference("meterType", "meter_type_id", Book::MeterTypes),
            field("diameterMm", "diameter_mm", FieldKind::Integer),
            field("digits", "digits", FieldKind::Integer),
            field(
                "verificationMonths",
                "verification_months",
                FieldKind::Integer,
            ),
        ];
        const BENEFITS: &[Field] = &[
            field("percent", "percent", FieldKind::Number),
            field("family", "family", FieldKind::Bool),
            Field {
                target: Some(Book::Services),
                link: Some(LinkTable {
                    table: "benefit_services",
                    owner: "benefit_id",
                    column: "service_id",
                }),
                ..field("services", "", FieldKind::References)
            },
        ];
        const REASONS: &[Field] = &[
            choice(
                "appliesTo",
                "applies_to",
                &["recalculation", "storno", "correction"],
            ),
            // The services a reason applies to (none: every service).
            Field {
                target: Some(Book::Services),
                link: Some(LinkTable {
                    table: "reason_services",
                    owner: "reason_id",
                    column: "service_id",
                }),
                ..field("services", "", FieldKind::References)
            },
        ];
        // A type for legal entities' accounts (their card, their documents).
        const ACCOUNT_TYPES: &[Field] = &[field("legal", "legal", FieldKind::Bool)];
        // The operator's own EIC (a party's, X), printed on data exchanged with it.
        const GRID_OPERATORS: &[Field] = &[text("eic", "eic")];
        // Per MWh the intermediary's customers use.
        const INTERMEDIARIES: &[Field] = &[field("commission", "commission", FieldKind::Number)];
        match self {
            Book::AccountTypes => ACCOUNT_TYPES,
            Book::Banks => BANKS,
            Book::RecalculationReasons => REASONS,
            Book::PaymentTypes => PAYMENT_TYPES,
            Book::Employees => EMPLOYEES,
            Book::Services => SERVICES,
            Book::Seasons => SEASONS,
            Book::MeterTypes => METER_TYPES,
            Book::MeterModels => METER_MODELS,
            Book::Benefits => BENEFITS,
            Book::GridOperators => GRID_OPERATORS,
            Book::Intermediaries => INTERMEDIARIES,
            Book::Branches
            | Book::Journals
            | Book::Units
            | Book::MeterBrands
            | Book::PriceLists => &[],
        }
    }
}

/// A row another book's field may point at.
#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject)]
pub struct BookOption {
    pub id: i32,
    pub code: String,
    pub name: String,
}

/// The rows of `book` a reference may point at, by code (a reference book is short).
pub async fn options(txn: &DatabaseTransaction, book: Book) -> AppResult<Vec<BookOption>> {
    #[derive(FromQueryResult)]
    struct O {
        id: i32,
        code: String,
        name: String,
    }
    let rows = O::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT id, code, name FROM {} ORDER BY code LIMIT 5000",
            book.table()
        ),
    ))
    .all(txn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|o| BookOption {
            id: o.id,
            code: o.code,
            name: o.name,
        })
        .collect())
}

/// One row of a book; `extra` holds the book's own fields by their client names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, async_graphql::SimpleObject)]
pub struct Item {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub active: bool,
    pub extra: serde_json::Value,
}

/// What a user enters for a row.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ItemInput {
    pub code: String,
    pub name: String,
    #[graphql(default = true)]
    pub active: bool,
    /// The book's own fields by name, e.g. `{"taxId": "…", "iban": "…"}`.
    #[graphql(default)]
    pub extra: Option<serde_json::Value>,
}

#[derive(FromQueryResult)]
struct Row {
    id: i32,
    code: String,
    name: String,
    active: bool,
    extra: serde_json::Value,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

fn select(book: Book) -> String {
    let pairs: Vec<String> = book
        .fields()
        .iter()
        .map(|f| match (f.kind, f.link) {
            // Text keeps every digit of a decimal (a JSON number would become a float).
            (FieldKind::Number, _) => format!("'{}', {}::text", f.name, f.column),
            (FieldKind::References, Some(l)) => format!(
                "'{}', (SELECT coalesce(jsonb_agg({c} ORDER BY {c}), '[]') FROM {t} WHERE {t}.{o} = b.id)",
                f.name,
                c = l.column,
                t = l.table,
                o = l.owner
            ),
            _ => format!("'{}', b.{}", f.name, f.column),
        })
        .collect();
    format!(
        "SELECT b.id, b.code, b.name, b.active, jsonb_build_object({}) AS extra FROM {} b",
        pairs.join(", "),
        book.table()
    )
}

fn item(r: Row) -> Item {
    Item {
        id: r.id,
        code: r.code,
        name: r.name,
        active: r.active,
        extra: r.extra,
    }
}

/// Rows by code; `search` matches code or name.
pub async fn list(
    txn: &DatabaseTransaction,
    book: Book,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(i64, Vec<Item>)> {
    let pattern = platform::sql::like_pattern(search);
    let filter = "WHERE ($1::text IS NULL OR b.code ILIKE $1 OR b.name ILIKE $1)";
    let total = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT count(*) AS n FROM {} b {filter}", book.table()),
        [pattern.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "{} {filter} ORDER BY b.code OFFSET $2 LIMIT $3",
            select(book)
        ),
        [
            pattern.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok((total, rows.into_iter().map(item).collect()))
}

async fn one(txn: &DatabaseTransaction, book: Book, id: i32) -> AppResult<Item> {
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{} WHERE b.id = $1", select(book)),
        [id.into()],
    ))
    .one(txn)
    .await?
    .map(item)
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The checked input of a row: the column values (code, name, active, then the book's
/// column fields in order) and the ids of each link-table field.
struct Parsed {
    values: Vec<Value>,
    links: Vec<(LinkTable, Vec<i32>)>,
}

/// An id (JSON number) of a row that must exist in `target`.
fn id_of(f: &Field, v: &serde_json::Value) -> AppResult<i32> {
    v.as_i64()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| AppError::validation(f.name, "must be the id of a record"))
}

async fn check_exist(txn: &DatabaseTransaction, f: &Field, ids: &[i32]) -> AppResult<()> {
    let Some(target) = f.target else {
        return Ok(());
    };
    let found = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT count(DISTINCT id) AS n FROM {} WHERE id = ANY($1)",
            target.table()
        ),
        [ids.to_vec().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if usize::try_from(found).unwrap_or(0) != distinct.len() {
        return Err(AppError::validation(f.name, "there is no such record"));
    }
    Ok(())
}

async fn parse(txn: &DatabaseTransaction, book: Book, input: &ItemInput) -> AppResult<Parsed> {
    let out = values(book, input)?;
    let extra = input.extra.as_ref().and_then(|e| e.as_object());
    let mut links = Vec::new();
    for f in book.fields() {
        let v = extra.and_then(|m| m.get(f.name)).filter(|v| !v.is_null());
        match (f.kind, f.link) {
            (FieldKind::Reference, _) => {
                if let Some(v) = v {
                    check_exist(txn, f, &[id_of(f, v)?]).await?;
                }
            }
            (FieldKind::References, Some(l)) => {
                let ids = match v {
                    None => Vec::new(),
                    Some(serde_json::Value::Array(a)) => a
                        .iter()
                        .map(|x| id_of(f, x))
                        .collect::<AppResult<Vec<_>>>()?,
                    Some(_) => {
                        return Err(AppError::validation(f.name, "must be a list of record ids"));
                    }
                };
                check_exist(txn, f, &ids).await?;
                links.push((l, ids));
            }
            _ => {}
        }
    }
    Ok(Parsed { values: out, links })
}

/// The checked column values of a row: code, name, active, then the book's column fields.
fn values(book: Book, input: &ItemInput) -> AppResult<Vec<Value>> {
    let code = input.code.trim();
    if code.is_empty() || code.chars().count() > 40 {
        return Err(AppError::validation("code", "must be 1–40 characters"));
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::validation("name", "must be 1–200 characters"));
    }
    let empty = Map::new();
    let extra = match &input.extra {
        None | Some(serde_json::Value::Null) => &empty,
        Some(serde_json::Value::Object(m)) => m,
        Some(_) => {
            return Err(AppError::validation(
                "extra",
                "must be an object of the book's fields",
            ));
        }
    };
    if let Some(unknown) = extra
        .keys()
        .find(|k| !book.fields().iter().any(|f| f.name == k.as_str()))
    {
        return Err(AppError::validation(unknown, "is not a field of this book"));
    }
    let mut out: Vec<Value> = vec![code.into(), name.into(), input.active.into()];
    for f in book.fields() {
        let v = extra.get(f.name).filter(|v| !v.is_null());
        out.push(match (f.kind, v) {
            (FieldKind::References, _) => continue,
            (FieldKind::Reference, None) => Option::<i32>::None.into(),
            (FieldKind::Reference, Some(v)) => id_of(f, v)?.into(),
            (FieldKind::Integer, None) => Option::<i32>::None.into(),
            (FieldKind::Integer, Some(v)) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .or_else(|| v.as_str().and_then(|s| s.trim().parse::<i32>().ok()))
                .ok_or_else(|| AppError::validation(f.name, "must be a whole number"))?
                .into(),
            (FieldKind::Number, None) => Option::<Decimal>::None.into(),
            (FieldKind::Number, Some(v)) => {
                let text = match v {
                    serde_json::Value::String(s) => s.trim().replace(',', "."),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => String::new(),
                };
                if text.is_empty() && v.is_string() {
                    Option::<Decimal>::None.into()
                } else {
                    text.parse::<Decimal>()
                        .map_err(|_| AppError::validation(f.name, "must be a number such as 12.5"))?
                        .into()
                }
            }
            (FieldKind::Date, None) => Option::<NaiveDate>::None.into(),
            (FieldKind::Date, Some(serde_json::Value::String(s))) if s.trim().is_empty() => {
                Option::<NaiveDate>::None.into()
            }
            (FieldKind::Date, Some(v)) => v
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
                .ok_or_else(|| AppError::validation(f.name, "must be a date such as 2026-10-15"))?
                .into(),
            (FieldKind::Bool, None) => false.into(),
            (FieldKind::Bool, Some(serde_json::Value::Bool(b))) => (*b).into(),
            (FieldKind::Bool, Some(_)) => {
                return Err(AppError::validation(f.name, "must be true or false"));
            }
            (FieldKind::Choice, None) => f.choices.first().map(|c| (*c).to_owned()).into(),
            (FieldKind::Choice, Some(serde_json::Value::String(s)))
                if f.choices.contains(&s.as_str()) =>
            {
                s.clone().into()
            }
            (FieldKind::Choice, Some(_)) => {
                return Err(AppError::validation(
                    f.name,
                    format!("must be one of {}", f.choices.join(", ")),
                ));
            }
            (FieldKind::Text, None) => Option::<String>::None.into(),
            (FieldKind::Text, Some(serde_json::Value::String(s))) if s.chars().count() <= 200 => {
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_owned()).into()
            }
            (FieldKind::Text, Some(_)) => {
                return Err(AppError::validation(
                    f.name,
                    "must be text of at most 200 characters",
                ));
            }
        });
    }
    Ok(out)
}

/// Database refusals that are the user's to fix.
fn refused(e: sea_orm::DbErr, code: &str) -> AppError {
    let text = e.to_string();
    if let Some(refusal) = platform::error::named_check(&e, CHECKS) {
        refusal
    } else if text.contains("_code_key") {
        AppError::Conflict(format!("code {code} is already in this book"))
    } else if text.contains("violates foreign key constraint") {
        AppError::Conflict("the record is in use and cannot be deleted".into())
    } else {
        e.into()
    }
}

fn columns(book: Book) -> Vec<&'static str> {
    let mut c = vec!["code", "name", "active"];
    c.extend(
        book.fields()
            .iter()
            .filter(|f| f.kind != FieldKind::References)
            .map(|f| f.column),
    );
    c
}

/// Replaces the link-table rows of record `id`.
async fn write_links(
    txn: &DatabaseTransaction,
    id: i32,
    links: &[(LinkTable, Vec<i32>)],
) -> AppResult<()> {
    for (l, ids) in links {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("DELETE FROM {} WHERE {} = $1", l.table, l.owner),
            [id.into()],
        ))
        .await?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "INSERT INTO {} ({}, {}) SELECT $1, x FROM unnest($2::int[]) AS x ON CONFLICT DO NOTHING",
                l.table, l.owner, l.column
            ),
            [id.into(), ids.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct NewId {
    id: i32,
}

pub async fn create(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    book: Book,
    input: &ItemInput,
) -> AppResult<Item> {
    let Parsed {
        values: vals,
        links,
    } = parse(txn, book, input).await?;
    let cols = columns(book);
    let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING id",
        book.table(),
        cols.join(", "),
        params.join(", ")
    );
    let id = NewId::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        vals,
    ))
    .one(txn)
    .await
    .map_err(|e| refused(e, input.code.trim()))?
    .ok_or_else(|| AppError::Internal("insert returned nothing".into()))?
    .id;
    write_links(txn, id, &links).await?;
    let after = one(txn, book, id).await?;
    audit::record(txn, actor, now, change(book, "create", None, Some(&after))).await?;
    Ok(after)
}

pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    book: Book,
    id: i32,
    input: &ItemInput,
) -> AppResult<Item> {
    let before = one(txn, book, id).await?;
    let Parsed {
        values: mut vals,
        links,
    } = parse(txn, book, input).await?;
    let sets: Vec<String> = columns(book)
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    vals.push(id.into());
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ${}",
        book.table(),
        sets.join(", "),
        vals.len()
    );
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        vals,
    ))
    .await
    .map_err(|e| refused(e, input.code.trim()))?;
    write_links(txn, id, &links).await?;
    let after = one(txn, book, id).await?;
    audit::record(
        txn,
        actor,
        now,
        change(book, "update", Some(&before), Some(&after)),
    )
    .await?;
    Ok(after)
}

pub async fn delete(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    book: Book,
    id: i32,
) -> AppResult<()> {
    let before = one(txn, book, id).await?;
    let sql = format!("DELETE FROM {} WHERE id = $1", book.table());
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        [id.into()],
    ))
    .await
    .map_err(|e| refused(e, &before.code))?;
    audit::record(txn, actor, now, change(book, "delete", Some(&before), None)).await?;
    Ok(())
}

fn change<'a>(
    book: Book,
    action: &'a str,
    before: Option<&Item>,
    after: Option<&Item>,
) -> Change<'a> {
    Change {
        entity: book.table(),
        entity_id: after
            .or(before)
            .map(|i| i.id.to_string())
            .unwrap_or_default(),
        action,
        before: before.map(|i| json!(i)),
        after: after.map(|i| json!(i)),
    }
}
