//! Import templates: a tenant's layouts of each import kind (format, encoding, delimiter,
//! lines before the data, date format, and each field's column or fixed-width place — none
//! = by the header row). The shipped ones read every kind by its header.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, FromQueryResult};
use serde_json::json;

use crate::kinds::Kind;
use crate::post::SubsidyRules;
use crate::read::{Format, Layout};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use platform::table::Place;

#[derive(Debug, Clone, FromQueryResult, serde::Serialize)]
pub struct TemplateRow {
    pub id: i32,
    pub kind: String,
    pub name: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    pub skip_lines: i32,
    pub date_format: String,
    pub columns: serde_json::Value,
    pub rules: serde_json::Value,
    pub active: bool,
}

/// Subsidies: a service whose amount goes to another when the account lacks it.
#[derive(Debug, Clone, async_graphql::SimpleObject, async_graphql::InputObject)]
#[graphql(input_name = "SubsidyFallbackInput")]
pub struct SubsidyFallback {
    pub from: String,
    pub to: String,
}

/// Subsidies: a share of a combined line that goes to a service.
#[derive(Debug, Clone, async_graphql::SimpleObject, async_graphql::InputObject)]
#[graphql(input_name = "SubsidyShareInput")]
pub struct SubsidyShare {
    pub from: String,
    pub to: String,
    pub percent: rust_decimal::Decimal,
}

/// A field's place as the editor shows it.
#[derive(Debug, Clone, async_graphql::SimpleObject, async_graphql::InputObject)]
#[graphql(input_name = "ImportColumnInput")]
pub struct ImportColumn {
    pub field: String,
    /// 1-based column (DBF: the field's order), or the start of a fixed-width field.
    pub column: i32,
    /// Fixed-width only.
    pub width: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct ImportTemplate {
    pub id: i32,
    pub kind: Kind,
    pub name: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    pub skip_lines: i32,
    pub date_format: String,
    /// Empty: the columns are found by the header row.
    pub columns: Vec<ImportColumn>,
    /// Subsidies: the sewerage rules.
    pub fallback: Vec<SubsidyFallback>,
    pub split: Vec<SubsidyShare>,
    pub active: bool,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ImportTemplateInput {
    pub kind: Kind,
    pub name: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    pub skip_lines: i32,
    pub date_format: String,
    #[graphql(default)]
    pub columns: Vec<ImportColumn>,
    #[graphql(default)]
    pub fallback: Vec<SubsidyFallback>,
    #[graphql(default)]
    pub split: Vec<SubsidyShare>,
    #[graphql(default = true)]
    pub active: bool,
}

const SELECT: &str = "SELECT id, kind, name, format, encoding, delimiter, skip_lines, date_format, columns, rules, active \
                      FROM import_templates";

fn view(r: TemplateRow) -> AppResult<ImportTemplate> {
    let columns = places(&r.columns)
        .into_iter()
        .map(|(field, p)| {
            let (column, width) = match p {
                Place::Column(c) => (c, None),
                Place::Fixed(s, w) => (s, Some(w)),
            };
            ImportColumn {
                field,
                column: i32::try_from(column).unwrap_or(i32::MAX),
                width: width.map(|w| i32::try_from(w).unwrap_or(i32::MAX)),
            }
        })
        .collect();
    let rules = rules_of(&r.rules);
    Ok(ImportTemplate {
        id: r.id,
        kind: Kind::parse(&r.kind)?,
        name: r.name,
        format: r.format,
        encoding: r.encoding,
        delimiter: r.delimiter,
        skip_lines: r.skip_lines,
        date_format: r.date_format,
        columns,
        fallback: rules
            .fallback
            .into_iter()
            .map(|(from, to)| SubsidyFallback { from, to })
            .collect(),
        split: rules
            .split
            .into_iter()
            .flat_map(|(from, shares)| {
                shares.into_iter().map(move |(to, percent)| SubsidyShare {
                    from: from.clone(),
                    to,
                    percent,
                })
            })
            .collect(),
        active: r.active,
    })
}

/// A stored template's subsidy rules (none when it has none).
pub fn rules_of(rules: &serde_json::Value) -> SubsidyRules {
    serde_json::from_value(rules.clone()).unwrap_or_default()
}

/// The rules an editor's lists make, checked.
fn rules_from(t: &ImportTemplateInput) -> AppResult<SubsidyRules> {
    let mut rules = SubsidyRules::default();
    for f in &t.fallback {
        let (from, to) = (f.from.trim(), f.to.trim());
        if from.is_empty() || to.is_empty() || from == to {
            return Err(AppError::validation(
                "rules",
                "a fallback needs two different services",
            ));
        }
        rules.fallback.insert(from.to_owned(), to.to_owned());
    }
    for sh in &t.split {
        rules
            .split
            .entry(sh.from.trim().to_owned())
            .or_default()
            .push((sh.to.trim().to_owned(), sh.percent));
    }
    rules.check().map_err(|e| match e.split_once(": ") {
        Some((field, rule)) => AppError::validation(field, rule),
        None => AppError::validation("rules", e),
    })?;
    Ok(rules)
}

fn places(columns: &serde_json::Value) -> Vec<(String, Place)> {
    columns
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    serde_json::from_value::<Place>(v.clone())
                        .ok()
                        .map(|p| (k.clone(), p))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub async fn list(txn: &DatabaseTransaction, kind: Option<Kind>) -> AppResult<Vec<ImportTemplate>> {
    let rows = TemplateRow::find_by_statement(stmt(
        &format!("{SELECT} WHERE $1::text IS NULL OR kind = $1 ORDER BY kind, id"),
        vec![kind.map(|k| k.code().to_owned()).into()],
    ))
    .all(txn)
    .await?;
    rows.into_iter().map(view).collect()
}

pub async fn by_id(txn: &DatabaseTransaction, id: i32) -> AppResult<TemplateRow> {
    TemplateRow::find_by_statement(stmt(&format!("{SELECT} WHERE id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::validation("templateId", format!("there is no template {id}")))
}

/// The stored template as a reader's layout.
pub fn layout(t: &TemplateRow) -> AppResult<Layout> {
    let kind = Kind::parse(&t.kind)?;
    let bad = |f: &str| AppError::Internal(format!("import template {} has a bad {f}", t.id));
    let mut columns = Vec::new();
    for (field, p) in places(&t.columns) {
        columns.push((kind.index(&field).ok_or_else(|| bad("column"))?, p));
    }
    Ok(Layout {
        kind,
        format: Format::parse(&t.format).ok_or_else(|| bad("format"))?,
        encoding: platform::table::encoding(&t.encoding).ok_or_else(|| bad("encoding"))?,
        delimiter: platform::table::delimiter(&t.delimiter).ok_or_else(|| bad("delimiter"))?,
        skip_lines: usize::try_from(t.skip_lines).unwrap_or(0),
        columns,
        date_format: t.date_format.clone(),
    })
}

fn checked(t: &ImportTemplateInput) -> AppResult<(String, serde_json::Value)> {
    let name = t.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::validation("name", "must be 1 to 100 characters"));
    }
    let format = Format::parse(&t.format)
        .ok_or_else(|| AppError::validation("format", "must be csv, xlsx, fixed or dbf"))?;
    platform::table::check_layout(&t.encoding, &t.delimiter, t.skip_lines, &t.date_format)?;
    let mut map = serde_json::Map::new();
    for c in &t.columns {
        if t.kind.index(&c.field).is_none() {
            return Err(AppError::validation(
                "columns",
                format!("\"{}\" is not a field of this import", c.field),
            ));
        }
        let pos = |v: i32| {
            usize::try_from(v)
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    AppError::validation(
                        "columns",
                        format!("{}: the place must be from 1 to 1000", c.field),
                    )
                })
        };
        let place = match (format, c.width) {
            (Format::Fixed, Some(w)) => Place::Fixed(pos(c.column)?, pos(w)?),
            (Format::Fixed, None) => {
                return Err(AppError::validation(
                    "columns",
                    format!("{}: a fixed-width field needs its width", c.field),
                ));
            }
            _ => Place::Column(pos(c.column)?),
        };
        if map
            .insert(
                c.field.clone(),
                serde_json::to_value(place).unwrap_or_default(),
            )
            .is_some()
        {
            return Err(AppError::validation(
                "columns",
                format!("{}: is placed twice", c.field),
            ));
        }
    }
    if !map.is_empty() || format == Format::Fixed {
        for f in t.kind.fields().iter().filter(|f| f.required) {
            if !map.contains_key(f.name) {
                return Err(AppError::validation(
                    "columns",
                    format!("{}: is required; give its place", f.name),
                ));
            }
        }
    }
    Ok((name.to_owned(), serde_json::Value::Object(map)))
}

/// Creates (id None) or updates a template.
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: Option<i32>,
    t: &ImportTemplateInput,
) -> AppResult<i32> {
    let (name, columns) = checked(t)?;
    let rules = serde_json::to_value(rules_from(t)?).unwrap_or_default();
    let before = match id {
        Some(id) => Some(by_id(txn, id).await?),
        None => None,
    };
    #[derive(FromQueryResult)]
    struct Id {
        id: i32,
    }
    let values = vec![
        t.kind.code().into(),
        name.clone().into(),
        t.format.clone().into(),
        t.encoding.clone().into(),
        t.delimiter.clone().into(),
        t.skip_lines.into(),
        t.date_format.clone().into(),
        columns.clone().into(),
        t.active.into(),
        rules.clone().into(),
    ];
    let sql = match id {
        None => "INSERT INTO import_templates (kind, name, format, encoding, delimiter, skip_lines, date_format, columns, active, rules) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
            .to_owned(),
        Some(id) => format!(
            "UPDATE import_templates SET kind = $1, name = $2, format = $3, encoding = $4, delimiter = $5, \
             skip_lines = $6, date_format = $7, columns = $8, active = $9, rules = $10 WHERE id = {id} RETURNING id"
        ),
    };
    let saved = Id::find_by_statement(stmt(&sql, values))
        .one(txn)
        .await
        .map_err(|e| {
            if e.to_string().contains("import_templates_name_key") {
                AppError::validation("name", "a template with this name already exists")
            } else {
                e.into()
            }
        })?
        .ok_or_else(|| AppError::NotFound("template".into()))?
        .id;
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "import_template",
            entity_id: saved.to_string(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            after: Some(
                json!({"kind": t.kind.code(), "name": name, "format": t.format,
                "encoding": t.encoding, "columns": columns}),
            ),
        },
    )
    .await?;
    Ok(saved)
}
