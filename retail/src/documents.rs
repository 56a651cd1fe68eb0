//! Scanned papers of a dossier (a signed contract, a power of attorney, an ID card): a
//! PDF or an image in the tenant's part of the object store, of the customer or of one of
//! its contracts; listed on the card, downloaded through `/files/retail-documents/<id>`
//! by whoever may see the customer, removed with their file. The type is read from the
//! file's first bytes (a renamed `.exe` is refused whatever its name says).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use access::auth::Reach;
use access::uploads::Received;
use domain::TenantSlug;
use platform::audit::{self, Actor};
use platform::error::{AppError, AppResult};
use platform::sql::stmt;
use platform::storage::ObjectStore;

use crate::customers;

#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult, serde::Serialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RetailDocument {
    pub id: i64,
    pub customer_id: i64,
    /// The contract or annex it belongs to; none: the customer's.
    pub contract_id: Option<i64>,
    pub file_name: String,
    pub media_type: String,
    pub bytes: i64,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
    #[graphql(skip)]
    #[serde(skip)]
    pub object_key: String,
}

const COLUMNS: &str = "id, customer_id, contract_id, file_name, media_type, bytes, uploaded_at, uploaded_by, object_key";

/// The media type of a scan by its first bytes: PDF, PNG, JPEG or TIFF; None otherwise.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Some("image/tiff"),
        _ => None,
    }
}

/// A customer's papers, newest first.
pub async fn of_customer(
    txn: &DatabaseTransaction,
    customer: i64,
) -> AppResult<Vec<RetailDocument>> {
    Ok(RetailDocument::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM el_documents WHERE customer_id = $1 ORDER BY uploaded_at DESC, id DESC"),
        vec![customer.into()],
    ))
    .all(txn)
    .await?)
}

/// One paper of a customer within reach (NOT_FOUND otherwise).
pub async fn one(txn: &DatabaseTransaction, reach: &Reach, id: i64) -> AppResult<RetailDocument> {
    let d = RetailDocument::find_by_statement(stmt(
        &format!("SELECT {COLUMNS} FROM el_documents WHERE id = $1"),
        vec![id.into()],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))?;
    customers::one(txn, reach, d.customer_id)
        .await
        .map_err(|_| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok(d)
}

/// Where a paper goes: the tenant's part of the store, by customer, the time and the
/// file's fingerprint (two uploads of one scan are two papers, never one file).
pub struct Attach<'a> {
    pub store: &'a ObjectStore,
    pub tenant: &'a TenantSlug,
    pub customer: i64,
    pub contract: Option<i64>,
}

/// Stores the file and records it (one audited record); the customer within reach, the
/// contract the customer's. Returns the customer's id.
pub async fn attach(
    txn: &DatabaseTransaction,
    reach: &Reach,
    actor: &Actor,
    now: DateTime<Utc>,
    at: Attach<'_>,
    file: Received,
) -> AppResult<i64> {
    customers::one(txn, reach, at.customer).await?;
    if let Some(k) = at.contract {
        #[derive(FromQueryResult)]
        struct Owner {
            customer_id: i64,
        }
        let owner = Owner::find_by_statement(stmt(
            "SELECT customer_id FROM el_contracts WHERE id = $1",
            vec![k.into()],
        ))
        .one(txn)
        .await?;
        if owner.map(|o| o.customer_id) != Some(at.customer) {
            return Err(AppError::validation(
                "contractId",
                format!("there is no contract {k} of this customer"),
            ));
        }
    }
    let media = media_type(&file.bytes).ok_or_else(|| {
        AppError::validation("file", "must be a PDF or an image (PNG, JPEG, TIFF)")
    })?;
    let name: String = file
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = if name.trim().is_empty() {
        "scan".to_owned()
    } else {
        name
    };
    let key = ObjectStore::tenant_key(
        at.tenant,
        &format!(
            "retail/documents/{}/{}-{}",
            at.customer,
            now.timestamp_micros(),
            file.sha256.get(..16).unwrap_or_default()
        ),
    );
    let bytes = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    let saved = RetailDocument::find_by_statement(stmt(
        &format!(
            "INSERT INTO el_documents (customer_id, contract_id, file_name, media_type, bytes, \
             object_key, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING {COLUMNS}"
        ),
        vec![
            at.customer.into(),
            at.contract.into(),
            name.into(),
            media.into(),
            bytes.into(),
            key.clone().into(),
            now.into(),
            actor.login.clone().into(),
        ],
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("the document was not written".into()))?;
    // The file first, the row's commit after: a failed commit leaves an unlisted file
    // (removed with the tenant), never a listed paper without its file.
    at.store.put(&key, file.bytes, media).await?;
    audit::record_row(
        txn,
        actor,
        now,
        ("retail_document", saved.id.to_string()),
        None,
        Some(&saved),
    )
    .await?;
    Ok(at.customer)
}

/// Forgets a paper (one audited record); returns it, so its file is deleted once the
/// transaction is committed.
pub async fn remove(
    txn: &DatabaseTransaction,
    reach: &Reach,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> AppResult<RetailDocument> {
    let before = one(txn, reach, id).await?;
    txn.execute_raw(stmt(
        "DELETE FROM el_documents WHERE id = $1",
        vec![id.into()],
    ))
    .await?;
    audit::record_row(
        txn,
        actor,
        now,
        ("retail_document", id.to_string()),
        Some(&before),
        None,
    )
    .await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::media_type;

    #[test]
    fn scans_are_known_by_their_first_bytes() {
        assert_eq!(media_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\n"), Some("image/png"));
        assert_eq!(media_type(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(media_type(b"II*\x00"), Some("image/tiff"));
        assert_eq!(media_type(b"MZ\x90\x00"), None, "a program renamed .pdf");
        assert_eq!(media_type(b""), None);
    }
}
