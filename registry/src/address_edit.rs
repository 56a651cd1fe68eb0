//! Correcting the address book (seed 001 §2.1, §6.4; issue 22): rename a locality or a
//! street, change a building's number, and give each the utility's code and postal
//! index. Accounts keep their address as text (the list, the word search and invoices
//! read it), and meters their search text, so both are rewritten in the same unit of
//! work for every building the change touches.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde_json::json;

use access::auth::Reach;
use platform::audit::{self, Actor, Change};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

use crate::addresses::required;

/// The parts of a building's address as the card edits them.
#[derive(Debug, Clone, async_graphql::SimpleObject, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressParts {
    pub building_number: String,
    pub building_code: String,
    pub building_postal_code: String,
    pub street_id: i32,
    pub street_kind: String,
    pub street_name: String,
    pub street_code: String,
    pub street_postal_code: String,
    /// How many buildings a rename of the street changes.
    pub street_buildings: i64,
    pub locality_id: i32,
    pub locality_name: String,
    pub locality_code: String,
    pub locality_postal_code: String,
    pub locality_buildings: i64,
    /// The index mail goes to: the building's, else the street's, else the locality's.
    pub postal_code: String,
}

/// A locality's or a street's name, code and postal index; `kind` only for a street.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct AddressPartInput {
    pub name: String,
    /// street, avenue, lane, square, boulevard, district, road or other (streets only).
    pub kind: Option<String>,
    #[graphql(default)]
    pub code: String,
    #[graphql(default)]
    pub postal_code: String,
}

/// Which part of the address book a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Locality,
    Street,
    Building,
}

impl Part {
    fn table(self) -> &'static str {
        match self {
            Part::Locality => "localities",
            Part::Street => "streets",
            Part::Building => "buildings",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Part::Locality => "locality",
            Part::Street => "street",
            Part::Building => "building",
        }
    }

    /// The buildings a change of this row touches (`$1` is the row's id).
    fn buildings(self) -> &'static str {
        match self {
            Part::Locality => {
                "SELECT b.id FROM buildings b JOIN streets s ON s.id = b.street_id WHERE s.locality_id = $1"
            }
            Part::Street => "SELECT b.id FROM buildings b WHERE b.street_id = $1",
            Part::Building => "SELECT b.id FROM buildings b WHERE b.id = $1",
        }
    }
}

/// Database checks that are the user's to satisfy: constraint → (field, rule).
const CHECKS: &[platform::error::Check] = &[
    (
        "_postal_code_check",
        "postalCode",
        "must be at most 10 capital letters, digits, spaces or hyphens",
    ),
    ("_code_check", "code", "must be at most 20 characters"),
    ("_code_key", "code", "is already used by another record"),
    (
        "streets_kind_check",
        "kind",
        "must be street, avenue, lane, square, boulevard, district, road or other",
    ),
    (
        "localities_name_key",
        "name",
        "there is already one with this name",
    ),
    (
        "streets_name_key",
        "name",
        "there is already one with this name",
    ),
    (
        "buildings_number_key",
        "number",
        "the street already has a building with this number",
    ),
];

fn refused(e: sea_orm::DbErr) -> AppError {
    platform::error::named_check(&e, CHECKS).unwrap_or_else(|| e.into())
}

const PARTS: &str = "SELECT b.number AS building_number, b.code AS building_code, b.postal_code AS building_postal_code, \
        s.id AS street_id, s.kind AS street_kind, s.name AS street_name, s.code AS street_code, s.postal_code AS street_postal_code, \
        (SELECT count(*) FROM buildings x WHERE x.street_id = s.id) AS street_buildings, \
        l.id AS locality_id, l.name AS locality_name, l.code AS locality_code, l.postal_code AS locality_postal_code, \
        (SELECT count(*) FROM buildings x JOIN streets y ON y.id = x.street_id WHERE y.locality_id = l.id) AS locality_buildings, \
        coalesce(nullif(b.postal_code, ''), nullif(s.postal_code, ''), l.postal_code) AS postal_code \
     FROM buildings b JOIN streets s ON s.id = b.street_id JOIN localities l ON l.id = s.locality_id WHERE b.id = $1";

pub async fn parts(txn: &DatabaseTransaction, building_id: i32) -> AppResult<AddressParts> {
    AddressParts::find_by_statement(stmt(PARTS, vec![building_id.into()]))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {building_id} does not exist")))
}

/// A building's address as accounts and meters carry it: "locality, street, number".
#[derive(FromQueryResult)]
struct Prefix {
    id: i32,
    prefix: String,
}

async fn prefixes(txn: &DatabaseTransaction, part: Part, id: i32) -> AppResult<Vec<Prefix>> {
    Ok(Prefix::find_by_statement(stmt(
        &format!(
            "SELECT b.id, concat_ws(', ', l.name, s.name, b.number) AS prefix \
             FROM buildings b JOIN streets s ON s.id = b.street_id JOIN localities l ON l.id = s.locality_id \
             WHERE b.id IN ({}) ORDER BY b.id",
            part.buildings()
        ),
        vec![id.into()],
    ))
    .all(txn)
    .await?)
}

/// Refuses a change that would reach buildings outside the user's branches and buildings
/// (a street shared with another branch is renamed by someone who sees all of it).
async fn check_reach(
    txn: &DatabaseTransaction,
    reach: &Reach,
    part: Part,
    id: i32,
) -> AppResult<()> {
    let Some(within) = reach.building_condition("b") else {
        return Ok(());
    };
    #[derive(FromQueryResult)]
    struct Counts {
        inside: i64,
        outside: i64,
    }
    let c = Counts::find_by_statement(stmt(
        &format!(
            // `x IN (NULL)` is NULL, not false: coalesced, or NOT would let it through.
            "SELECT count(*) FILTER (WHERE coalesce({within}, false)) AS inside, \
                    count(*) FILTER (WHERE NOT coalesce({within}, false)) AS outside \
             FROM buildings b WHERE b.id IN ({})",
            part.buildings()
        ),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("count returned no row".into()))?;
    if c.inside == 0 {
        return Err(AppError::NotFound(format!("record {id} does not exist")));
    }
    if c.outside > 0 {
        return Err(AppError::Forbidden(
            "your access is limited to chosen branches and buildings".into(),
        ));
    }
    Ok(())
}

/// Rewrites the address text of the accounts and meters of the buildings whose prefix
/// changed: the start that named the old address is replaced, whatever follows it
/// (", кв. 5", ", прим. 2") stays.
async fn follow(txn: &DatabaseTransaction, before: &[Prefix], after: &[Prefix]) -> AppResult<u64> {
    let (mut ids, mut old, mut new) = (vec![], vec![], vec![]);
    for (b, a) in before.iter().zip(after) {
        if b.id == a.id && b.prefix != a.prefix {
            ids.push(b.id);
            old.push(b.prefix.clone());
            new.push(a.prefix.clone());
        }
    }
    if ids.is_empty() {
        return Ok(0);
    }
    let map = "(SELECT unnest($1::int[]) AS building_id, unnest($2::text[]) AS old, unnest($3::text[]) AS new) m";
    let values = || vec![ids.clone().into(), old.clone().into(), new.clone().into()];
    let accounts = txn
        .execute_raw(stmt(
            &format!(
                "UPDATE accounts a SET address = m.new || substr(a.address, length(m.old) + 1) \
                 FROM premises p, {map} \
                 WHERE p.id = a.premises_id AND p.building_id = m.building_id AND starts_with(a.address, m.old)"
            ),
            values(),
        ))
        .await?
        .rows_affected();
    txn.execute_raw(stmt(
        &format!(
            "UPDATE meters x SET search_text = replace(x.search_text, m.old, m.new) \
             FROM {map} WHERE x.building_id = m.building_id"
        ),
        values(),
    ))
    .await?;
    Ok(accounts)
}

#[derive(Debug, FromQueryResult, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    name: String,
    kind: Option<String>,
    code: String,
    postal_code: String,
}

async fn row(txn: &DatabaseTransaction, part: Part, id: i32) -> AppResult<Row> {
    let (name, kind) = match part {
        Part::Locality => ("name", "NULL::text"),
        Part::Street => ("name", "kind"),
        Part::Building => ("number", "NULL::text"),
    };
    Row::find_by_statement(stmt(
        &format!(
            "SELECT {name} AS name, {kind} AS kind, code, postal_code FROM {} WHERE id = $1",
            part.table()
        ),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

/// Changes a locality's or street's name (a building's number), code and postal index;
/// returns how many accounts' addresses followed.
pub async fn update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: DateTime<Utc>,
    reach: &Reach,
    part: Part,
    id: i32,
    input: &AddressPartInput,
) -> AppResult<u64> {
    let name_field = if part == Part::Building {
        "number"
    } else {
        "name"
    };
    let name = required(name_field, &input.name)?;
    let code = input.code.trim().to_owned();
    let postal = input.postal_code.trim().to_uppercase();
    let before = row(txn, part, id).await?;
    check_reach(txn, reach, part, id).await?;
    let old = prefixes(txn, part, id).await?;
    let sql = match part {
        Part::Locality => {
            "UPDATE localities SET name = $2, code = $3, postal_code = $4 WHERE id = $1"
        }
        Part::Street => {
            "UPDATE streets SET name = $2, code = $3, postal_code = $4, kind = coalesce($5, kind) WHERE id = $1"
        }
        Part::Building => {
            "UPDATE buildings SET number = $2, code = $3, postal_code = $4 WHERE id = $1"
        }
    };
    let mut values = vec![id.into(), name.into(), code.into(), postal.into()];
    if part == Part::Street {
        values.push(
            input
                .kind
                .as_deref()
                .map(str::trim)
                .map(str::to_owned)
                .into(),
        );
    }
    txn.execute_raw(stmt(sql, values)).await.map_err(refused)?;
    let new = prefixes(txn, part, id).await?;
    let followed = follow(txn, &old, &new).await?;
    let after = row(txn, part, id).await?;
    let c = Change {
        entity: part.entity(),
        entity_id: id.to_string(),
        action: "update",
        before: Some(json!(before)),
        after: Some(json!({ "row": after, "accountsFollowed": followed })),
    };
    audit::record(txn, actor, now, c).await?;
    Ok(followed)
}
