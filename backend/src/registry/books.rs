//! Reference books: code + name lists with a few typed attributes each, one table per
//! book (so foreign keys guard rows in use). One generic implementation serves them all,
//! driven by each book's field list; table and column names come from this file only,
//! never from input.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};
use serde_json::{Map, json};

use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum FieldKind {
    Text,
    Bool,
    Choice,
}

/// An attribute of a book beyond code, name and active.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The name clients use.
    pub name: &'static str,
    pub column: &'static str,
    pub kind: FieldKind,
    pub choices: &'static [&'static str],
}

const fn text(name: &'static str, column: &'static str) -> Field {
    Field {
        name,
        column,
        kind: FieldKind::Text,
        choices: &[],
    }
}

impl Book {
    pub const ALL: [Book; 7] = [
        Book::Branches,
        Book::Banks,
        Book::PaymentTypes,
        Book::RecalculationReasons,
        Book::AccountTypes,
        Book::Employees,
        Book::Journals,
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
        }
    }

    pub fn fields(self) -> &'static [Field] {
        const BANKS: &[Field] = &[text("taxId", "tax_id"), text("iban", "iban")];
        const PAYMENT_TYPES: &[Field] = &[Field {
            name: "channel",
            column: "channel",
            kind: FieldKind::Choice,
            choices: &["bank", "cash_desk", "online", "other"],
        }];
        const EMPLOYEES: &[Field] = &[
            text("position", "position"),
            Field {
                name: "isController",
                column: "is_controller",
                kind: FieldKind::Bool,
                choices: &[],
            },
        ];
        match self {
            Book::Banks => BANKS,
            Book::PaymentTypes => PAYMENT_TYPES,
            Book::Employees => EMPLOYEES,
            _ => &[],
        }
    }
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
        .map(|f| format!("'{}', {}", f.name, f.column))
        .collect();
    format!(
        "SELECT id, code, name, active, jsonb_build_object({}) AS extra FROM {}",
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
    let pattern = super::like_pattern(search);
    let filter = "WHERE ($1::text IS NULL OR code ILIKE $1 OR name ILIKE $1)";
    let total = Count::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT count(*) AS n FROM {} {filter}", book.table()),
        [pattern.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{} {filter} ORDER BY code OFFSET $2 LIMIT $3", select(book)),
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
        format!("{} WHERE id = $1", select(book)),
        [id.into()],
    ))
    .one(txn)
    .await?
    .map(item)
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// The checked values of a row: code, name, active, then the book's fields in order.
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
    if text.contains("_code_key") {
        AppError::Conflict(format!("code {code} is already in this book"))
    } else if text.contains("violates foreign key constraint") {
        AppError::Conflict("the record is in use and cannot be deleted".into())
    } else {
        e.into()
    }
}

fn columns(book: Book) -> Vec<&'static str> {
    let mut c = vec!["code", "name", "active"];
    c.extend(book.fields().iter().map(|f| f.column));
    c
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
    let vals = values(book, input)?;
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
    let mut vals = values(book, input)?;
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
