//! The trader's customers (seed 003 «досиета»): companies and households with their
//! identifiers, contacts and invoicing settings — payment term, how invoices travel and
//! to which address, one invoice for all points or one per point, the intermediary who
//! brought them. The list and the card read only customers of branches within reach.

use chrono::{DateTime, Utc};
use domain::electricity::parties;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use access::auth::Reach;
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult, Check, named_check};
use platform::sql::{like_pattern, stmt};

use crate::contracts::{self, RetailContract};
use crate::points::{self, RetailPoint};
use crate::text;

pub const KINDS: [&str; 2] = ["company", "household"];
pub const DELIVERIES: [&str; 3] = ["email", "post", "portal"];
pub const GROUPINGS: [&str; 2] = ["customer", "point"];

/// A row of the list.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct RetailCustomerRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub identifier: Option<String>,
    pub branch_name: String,
    /// Points supplied today (registered, not left).
    pub points: i64,
    pub contracts: i64,
    pub intermediary_name: Option<String>,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct RetailCustomerPage {
    pub total: i64,
    pub items: Vec<RetailCustomerRow>,
}

/// The customer's own fields, as stored and audited.
#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult, serde::Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RetailCustomer {
    pub id: i64,
    pub branch_id: i32,
    pub kind: String,
    pub name: String,
    pub identifier: Option<String>,
    pub vat_number: Option<String>,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub email: String,
    pub payment_days: i32,
    pub delivery: String,
    pub invoice_email: String,
    pub grouping: String,
    pub intermediary_id: Option<i32>,
}

/// The dossier: the customer, its points, its contracts and annexes.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct RetailCustomerCard {
    pub customer: RetailCustomer,
    pub branch_name: String,
    pub intermediary_name: Option<String>,
    pub points: Vec<RetailPoint>,
    /// Contracts, each followed by its annexes (`contractId` set), by first day.
    pub contracts: Vec<RetailContract>,
    /// Scanned papers, newest first.
    pub documents: Vec<crate::documents::RetailDocument>,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct RetailCustomerInput {
    pub branch_id: i32,
    /// company or household.
    pub kind: String,
    pub name: String,
    pub identifier: Option<String>,
    pub vat_number: Option<String>,
    #[graphql(default)]
    pub address: String,
    #[graphql(default)]
    pub contact: String,
    #[graphql(default)]
    pub phone: String,
    #[graphql(default)]
    pub email: String,
    #[graphql(default = 10)]
    pub payment_days: i32,
    /// email, post or portal.
    #[graphql(default_with = "\"email\".to_owned()")]
    pub delivery: String,
    #[graphql(default)]
    pub invoice_email: String,
    /// customer (one invoice for all points) or point (one per point).
    #[graphql(default_with = "\"customer\".to_owned()")]
    pub grouping: String,
    pub intermediary_id: Option<i32>,
}

const COLUMNS: &str = "id, branch_id, kind, name, identifier, vat_number, address, contact, phone, \
     email, payment_days, delivery, invoice_email, grouping, intermediary_id";

const CHECKS: &[Check] = &[(
    "el_customers_identifier_key",
    "identifier",
    "another customer has this identifier",
)];

fn within(reach: &Reach) -> String {
    reach
        .branch_condition("c")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default()
}

/// Customers by name, identifier, VAT number, a point's EIC or number, or a contract's
/// number; by name.
pub async fn list(
    txn: &DatabaseTransaction,
    reach: &Reach,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<RetailCustomerPage> {
    let pattern = like_pattern(search);
    let filter = format!(
        "WHERE ($1::text IS NULL OR c.name ILIKE $1 OR c.identifier ILIKE $1 OR c.vat_number ILIKE $1 \
           OR EXISTS (SELECT 1 FROM el_points p WHERE p.customer_id = c.id \
                      AND (p.eic ILIKE $1 OR p.point_number ILIKE $1)) \
           OR EXISTS (SELECT 1 FROM el_contracts k WHERE k.customer_id = c.id AND k.number ILIKE $1)){}",
        within(reach)
    );
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let total = Count::find_by_statement(stmt(
        &format!("SELECT count(*) AS n FROM el_customers c {filter}"),
        vec![pattern.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    let items = RetailCustomerRow::find_by_statement(stmt(
        &format!(
            "SELECT c.id, c.kind, c.name, c.identifier, b.name AS branch_name, \
               (SELECT count(*) FROM el_points p WHERE p.customer_id = c.id \
                  AND (p.registered_to IS NULL OR p.registered_to >= current_date)) AS points, \
               (SELECT count(*) FROM el_contracts k WHERE k.customer_id = c.id \
                  AND k.contract_id IS NULL) AS contracts, \
               i.name AS intermediary_name \
             FROM el_customers c JOIN branches b ON b.id = c.branch_id \
             LEFT JOIN intermediaries i ON i.id = c.intermediary_id \
             {filter} ORDER BY c.name, c.id OFFSET $2 LIMIT $3"
        ),
        vec![
            pattern.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    ))
    .all(txn)
    .await?;
    Ok(RetailCustomerPage { total, items })
}

/// The customer's own row; NOT_FOUND outside the reach.
pub async fn one(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<RetailCustomer> {
    RetailCustomer::find_by_statement(stmt(
        &format!(
            "SELECT {COLUMNS} FROM el_customers c WHERE c.id = $1{}",
            within(reach)
        ),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

pub async fn card(
    txn: &DatabaseTransaction,
    reach: &Reach,
    id: i64,
) -> AppResult<RetailCustomerCard> {
    let customer = one(txn, reach, id).await?;
    #[derive(FromQueryResult)]
    struct Names {
        branch_name: String,
        intermediary_name: Option<String>,
    }
    let names = Names::find_by_statement(stmt(
        "SELECT b.name AS branch_name, i.name AS intermediary_name FROM el_customers c \
         JOIN branches b ON b.id = c.branch_id LEFT JOIN intermediaries i ON i.id = c.intermediary_id \
         WHERE c.id = $1",
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok(RetailCustomerCard {
        points: points::of_customer(txn, id).await?,
        contracts: contracts::of_customer(txn, id).await?,
        documents: crate::documents::of_customer(txn, id).await?,
        customer,
        branch_name: names.branch_name,
        intermediary_name: names.intermediary_name,
    })
}

/// The input checked field by field; the identifier by the kind's rule.
fn checked(txn_input: &RetailCustomerInput) -> AppResult<RetailCustomer> {
    let i = txn_input;
    let code = crate::one_of;
    let kind = code("kind", &i.kind, &KINDS)?;
    let name = text("name", &i.name, 300)?;
    if name.is_empty() {
        return Err(AppError::validation("name", "is required"));
    }
    let identifier = platform::sql::optional_text(i.identifier.as_deref(), "identifier", 13)?;
    if let Some(id) = &identifier {
        let rule = if kind == "company" {
            parties::check_company(id)
        } else {
            parties::check_person(id)
        };
        rule.map_err(|e| AppError::validation("identifier", e.to_string()))?;
    } else if kind == "company" {
        return Err(AppError::validation(
            "identifier",
            "a company's identifier (EIK) is required",
        ));
    }
    let vat_number = platform::sql::optional_text(i.vat_number.as_deref(), "vatNumber", 15)?
        .map(|v| v.to_uppercase().replace(' ', ""));
    if let Some(v) = &vat_number
        && !parties::check_vat_number(v)
    {
        return Err(AppError::validation(
            "vatNumber",
            "must be a country's two letters and its number (BG and 9 or 10 digits)",
        ));
    }
    if !(0..=120).contains(&i.payment_days) {
        return Err(AppError::validation("paymentDays", "must be from 0 to 120"));
    }
    let email = text("email", &i.email, 200)?;
    let invoice_email = text("invoiceEmail", &i.invoice_email, 200)?;
    for (field, v) in [("email", &email), ("invoiceEmail", &invoice_email)] {
        if !v.is_empty() && !platform::mail::is_address(v) {
            return Err(AppError::validation(
                field,
                "must be an e-mail address such as name@example.com",
            ));
        }
    }
    let delivery = code("delivery", &i.delivery, &DELIVERIES)?;
    if delivery == "email" && invoice_email.is_empty() && email.is_empty() {
        return Err(AppError::validation(
            "invoiceEmail",
            "invoices go by e-mail: give the address",
        ));
    }
    Ok(RetailCustomer {
        id: 0,
        branch_id: i.branch_id,
        kind,
        name,
        identifier,
        vat_number,
        address: text("address", &i.address, 300)?,
        contact: text("contact", &i.contact, 200)?,
        phone: text("phone", &i.phone, 50)?,
        email,
        payment_days: i.payment_days,
        delivery,
        invoice_email,
        grouping: code("grouping", &i.grouping, &GROUPINGS)?,
        intermediary_id: i.intermediary_id,
    })
}

/// A choice of a form: a book's row.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult)]
pub struct RetailChoice {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct RetailChoices {
    pub branches: Vec<RetailChoice>,
    pub grid_operators: Vec<RetailChoice>,
    pub intermediaries: Vec<RetailChoice>,
}

pub async fn choices(txn: &DatabaseTransaction, reach: &Reach) -> AppResult<RetailChoices> {
    let rows = |sql: String| async move {
        RetailChoice::find_by_statement(stmt(&sql, vec![]))
            .all(txn)
            .await
    };
    // A branch list is short: those out of reach are dropped here.
    let mut branches =
        rows("SELECT id, name FROM branches WHERE active ORDER BY name".into()).await?;
    branches.retain(|b| reach.has_branch(b.id));
    Ok(RetailChoices {
        branches,
        grid_operators: rows(
            "SELECT id, name FROM grid_operators WHERE active ORDER BY name".into(),
        )
        .await?,
        intermediaries: rows(
            "SELECT id, name FROM intermediaries WHERE active ORDER BY name".into(),
        )
        .await?,
    })
}

/// Whether a row of a reference book exists and is active.
pub(crate) async fn book_has(txn: &DatabaseTransaction, table: &str, id: i32) -> AppResult<bool> {
    #[derive(FromQueryResult)]
    struct Found {
        #[allow(dead_code)]
        id: i32,
    }
    Ok(Found::find_by_statement(stmt(
        &format!("SELECT id FROM {table} WHERE id = $1 AND active"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .is_some())
}

/// Creates a customer (`id` none) or changes one within reach; one audited record.
pub async fn save(
    txn: &DatabaseTransaction,
    reach: &Reach,
    actor: &Actor,
    now: DateTime<Utc>,
    id: Option<i64>,
    input: &RetailCustomerInput,
) -> AppResult<i64> {
    let before = match id {
        Some(id) => Some(one(txn, reach, id).await?),
        None => None,
    };
    let c = checked(input)?;
    if !reach.has_branch(c.branch_id) || !book_has(txn, "branches", c.branch_id).await? {
        return Err(AppError::validation(
            "branchId",
            format!("there is no branch {}", c.branch_id),
        ));
    }
    if let Some(i) = c.intermediary_id
        && !book_has(txn, "intermediaries", i).await?
    {
        return Err(AppError::validation(
            "intermediaryId",
            format!("there is no intermediary {i}"),
        ));
    }
    let values = vec![
        c.branch_id.into(),
        c.kind.clone().into(),
        c.name.clone().into(),
        c.identifier.clone().into(),
        c.vat_number.clone().into(),
        c.address.clone().into(),
        c.contact.clone().into(),
        c.phone.clone().into(),
        c.email.clone().into(),
        c.payment_days.into(),
        c.delivery.clone().into(),
        c.invoice_email.clone().into(),
        c.grouping.clone().into(),
        c.intermediary_id.into(),
        id.into(),
    ];
    let sql = if id.is_some() {
        format!(
            "UPDATE el_customers SET branch_id = $1, kind = $2, name = $3, identifier = $4, \
             vat_number = $5, address = $6, contact = $7, phone = $8, email = $9, \
             payment_days = $10, delivery = $11, invoice_email = $12, grouping = $13, \
             intermediary_id = $14 WHERE id = $15 RETURNING {COLUMNS}"
        )
    } else {
        format!(
            "INSERT INTO el_customers (branch_id, kind, name, identifier, vat_number, address, \
             contact, phone, email, payment_days, delivery, invoice_email, grouping, \
             intermediary_id, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() \
             WHERE $15::bigint IS NULL RETURNING {COLUMNS}"
        )
    };
    let saved = RetailCustomer::find_by_statement(stmt(&sql, values))
        .one(txn)
        .await
        .map_err(|e| named_check(&e, CHECKS).unwrap_or_else(|| e.into()))?
        .ok_or_else(|| AppError::Internal("the customer was not written".into()))?;
    audit::record_row(
        txn,
        actor,
        now,
        ("retail_customer", saved.id.to_string()),
        before.as_ref(),
        Some(&saved),
    )
    .await?;
    Ok(saved.id)
}
