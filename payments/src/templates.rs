//! Per-bank templates of payment files: the format, encoding, delimiter, lines to skip,
//! where each field sits, the date format and the control-total markers — or, for a 1C
//! ClientBankExchange statement (`1c`), only the settlement account it is read for. Several
//! ship ready-made (m0021, m0046); a tenant admin adds and edits them (`settings.update`).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait, FromQueryResult,
};
use serde_json::json;

use crate::entities::payment_template;
use crate::file::{self, Fields, Format, Layout, Place};
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::optional_text;
use platform::sql::stmt;

#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub id: i32,
    pub name: String,
    pub bank_id: Option<i32>,
    /// csv, xlsx, fixed, 1c or dbf.
    pub format: String,
    /// utf-8, cp1251, cp866 or cp1125.
    pub encoding: String,
    pub delimiter: String,
    pub skip_lines: i32,
    /// `{"account": 5, …}` (columns) or `{"account": [1, 10], …}` (start, width).
    pub fields: serde_json::Value,
    pub date_format: String,
    pub sum_marker: Option<String>,
    pub count_marker: Option<String>,
    pub comment_prefix: Option<String>,
    pub active: bool,
    /// The settlement account a `1c` statement is read for (none: the invoices' one).
    pub own_account: Option<String>,
}

/// Where a field sits: `column` for CSV and spreadsheets; `start` and `width` for fixed.
#[derive(Debug, Clone, Copy, async_graphql::InputObject)]
pub struct PlaceInput {
    pub column: Option<i32>,
    pub start: Option<i32>,
    pub width: Option<i32>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct FieldsInput {
    pub account: PlaceInput,
    pub amount: PlaceInput,
    pub payer: Option<PlaceInput>,
    pub address: Option<PlaceInput>,
    pub paid_on: Option<PlaceInput>,
    pub service: Option<PlaceInput>,
    pub document: Option<PlaceInput>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct TemplateInput {
    pub name: String,
    pub bank_id: Option<i32>,
    pub format: String,
    pub encoding: String,
    #[graphql(default_with = "\";\".to_owned()")]
    pub delimiter: String,
    #[graphql(default)]
    pub skip_lines: i32,
    pub fields: FieldsInput,
    #[graphql(default_with = "\"%d.%m.%Y\".to_owned()")]
    pub date_format: String,
    pub sum_marker: Option<String>,
    pub count_marker: Option<String>,
    pub comment_prefix: Option<String>,
    #[graphql(default = true)]
    pub active: bool,
    /// `1c` only: the settlement account the statement is read for; none — the one in
    /// the invoice requisites.
    pub own_account: Option<String>,
}

const SELECT: &str = "SELECT id, name, bank_id, format, encoding, delimiter, skip_lines, fields, date_format, \
        sum_marker, count_marker, comment_prefix, active, own_account FROM payment_templates";

pub async fn list(txn: &DatabaseTransaction) -> AppResult<Vec<TemplateView>> {
    Ok(
        TemplateView::find_by_statement(stmt(&format!("{SELECT} ORDER BY name"), vec![]))
            .all(txn)
            .await?,
    )
}

pub async fn by_id(txn: &DatabaseTransaction, id: i32) -> AppResult<TemplateView> {
    TemplateView::find_by_statement(stmt(&format!("{SELECT} WHERE id = $1"), vec![id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("template {id} does not exist")))
}

/// A stored template as the parser's layout (a stored one was checked when saved).
pub fn layout(t: &TemplateView) -> AppResult<Layout> {
    let bad = |what: &str| {
        AppError::validation("templateId", format!("the template's {what} is not valid"))
    };
    Ok(Layout {
        format: Format::parse(&t.format).ok_or_else(|| bad("format"))?,
        encoding: file::encoding(&t.encoding).ok_or_else(|| bad("encoding"))?,
        delimiter: platform::table::delimiter(&t.delimiter).ok_or_else(|| bad("delimiter"))?,
        skip_lines: usize::try_from(t.skip_lines).unwrap_or(0),
        fields: serde_json::from_value(t.fields.clone()).map_err(|_| bad("fields"))?,
        sum_marker: t.sum_marker.clone(),
        count_marker: t.count_marker.clone(),
        comment_prefix: t.comment_prefix.clone(),
        own_account: t.own_account.clone(),
    })
}

/// A `1c` template without its own settlement account reads statements for the one the
/// invoices print (`invoice_settings.account`): one account is the usual case.
pub async fn with_statement_account(
    txn: &DatabaseTransaction,
    mut t: TemplateView,
) -> AppResult<TemplateView> {
    if t.format == "1c" && t.own_account.as_deref().is_none_or(|a| a.trim().is_empty()) {
        #[derive(FromQueryResult)]
        struct Requisites {
            account: String,
        }
        t.own_account =
            Requisites::find_by_statement(stmt("SELECT account FROM invoice_settings", vec![]))
                .one(txn)
                .await?
                .map(|r| r.account.replace(' ', ""))
                .filter(|a| !a.is_empty());
    }
    Ok(t)
}

/// The template's own settlement account: digits (a Russian account, 20) or an IBAN,
/// spaces dropped; only a `1c` template keeps one.
fn own_account(t: &TemplateInput) -> AppResult<Option<String>> {
    let Some(a) = t.own_account.as_deref().map(|a| a.replace(' ', "")) else {
        return Ok(None);
    };
    if a.is_empty() || t.format != "1c" {
        return Ok(None);
    }
    if a.len() > 34 || !a.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::validation(
            "ownAccount",
            "must be an account number: up to 34 letters and digits",
        ));
    }
    Ok(Some(a))
}

fn place(field: &str, p: PlaceInput, fixed: bool) -> AppResult<Place> {
    let pos = |v: Option<i32>, what: &str| {
        v.filter(|n| (1..=1000).contains(n))
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                AppError::validation(
                    format!("fields.{field}.{what}"),
                    "must be a number from 1 to 1000",
                )
            })
    };
    if fixed {
        Ok(Place::Fixed(pos(p.start, "start")?, pos(p.width, "width")?))
    } else {
        Ok(Place::Column(pos(p.column, "column")?))
    }
}

fn checked(t: &TemplateInput) -> AppResult<(String, Fields)> {
    let name = t.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::validation("name", "must be 1 to 100 characters"));
    }
    let format = Format::parse(&t.format)
        .ok_or_else(|| AppError::validation("format", "must be csv, xlsx, fixed, 1c or dbf"))?;
    platform::table::check_layout(&t.encoding, &t.delimiter, t.skip_lines, &t.date_format)?;
    if format == Format::ClientBank {
        // A statement names its own fields; only the account it is read for matters.
        return Ok((name.to_owned(), Fields::default()));
    }
    let fixed = format == Format::Fixed;
    let opt = |name: &str, p: Option<PlaceInput>| p.map(|p| place(name, p, fixed)).transpose();
    let f = &t.fields;
    Ok((
        name.to_owned(),
        Fields {
            account: Some(place("account", f.account, fixed)?),
            amount: Some(place("amount", f.amount, fixed)?),
            payer: opt("payer", f.payer)?,
            address: opt("address", f.address)?,
            paid_on: opt("paidOn", f.paid_on)?,
            service: opt("service", f.service)?,
            document: opt("document", f.document)?,
        },
    ))
}

/// Creates (id None) or updates a template.
pub async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    id: Option<i32>,
    t: &TemplateInput,
) -> AppResult<i32> {
    let (name, fields) = checked(t)?;
    let fields = serde_json::to_value(&fields).map_err(|e| AppError::Internal(e.to_string()))?;
    let before = match id {
        Some(id) => Some(by_id(txn, id).await?),
        None => None,
    };
    let mut row = payment_template::ActiveModel {
        name: Set(name),
        bank_id: Set(t.bank_id),
        format: Set(t.format.clone()),
        encoding: Set(t.encoding.clone()),
        delimiter: Set(t.delimiter.clone()),
        skip_lines: Set(t.skip_lines),
        fields: Set(fields.clone()),
        date_format: Set(t.date_format.clone()),
        sum_marker: Set(optional_text(t.sum_marker.as_deref(), "sumMarker", 40)?),
        count_marker: Set(optional_text(t.count_marker.as_deref(), "countMarker", 40)?),
        comment_prefix: Set(optional_text(
            t.comment_prefix.as_deref(),
            "commentPrefix",
            10,
        )?),
        active: Set(t.active),
        own_account: Set(own_account(t)?),
        ..Default::default()
    };
    let taken = |e: sea_orm::DbErr| {
        if e.to_string().contains("payment_templates_name_key") {
            AppError::validation("name", "a template with this name already exists")
        } else {
            e.into()
        }
    };
    let saved = match id {
        None => {
            payment_template::Entity::insert(row)
                .exec(txn)
                .await
                .map_err(taken)?
                .last_insert_id
        }
        Some(id) => {
            row.id = Set(id);
            row.update(txn).await.map_err(taken)?.id
        }
    };
    audit::record(
        txn,
        actor,
        now,
        Change {
            entity: "payment_template",
            entity_id: saved.to_string(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            after: Some(
                json!({"name": t.name, "format": t.format, "encoding": t.encoding, "fields": fields,
                               "ownAccount": own_account(t)?}),
            ),
        },
    )
    .await?;
    Ok(saved)
}
