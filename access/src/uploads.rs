//! Files uploaded through GraphQL (multipart): read with a size limit, fingerprinted, and
//! kept in the tenant's part of the object store for the job that processes them.

use async_graphql::{Context, Upload};
use sha2::{Digest, Sha256};
use std::io::Read;

use crate::auth::Scope;
use platform::error::{AppError, AppResult};
use platform::storage::ObjectStore;

/// The largest file accepted (a 100,000-row XLSX is about 3 MB).
pub const MAX_FILE: usize = 32 * 1024 * 1024;

/// An uploaded file read into memory.
pub struct Received {
    pub name: String,
    pub bytes: Vec<u8>,
    /// SHA-256, hex.
    pub sha256: String,
}

/// Reads the upload: empty or larger than `MAX_FILE` is refused naming the field.
pub fn receive(ctx: &Context<'_>, file: Upload) -> AppResult<Received> {
    let upload = file
        .value(ctx)
        .map_err(|e| AppError::validation("file", format!("cannot be read: {e}")))?;
    let name = upload.filename.clone();
    let mut bytes = Vec::new();
    upload
        .into_read()
        .take(MAX_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| AppError::validation("file", format!("cannot be read: {e}")))?;
    if bytes.is_empty() {
        return Err(AppError::validation("file", "is empty"));
    }
    if bytes.len() > MAX_FILE {
        return Err(AppError::validation(
            "file",
            format!("must be at most {} MB", MAX_FILE / 1024 / 1024),
        ));
    }
    let sha256 = sha256(&bytes);
    Ok(Received {
        name,
        bytes,
        sha256,
    })
}

/// The SHA-256 of some bytes, hex: a file's fingerprint.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Stores the file under `uploads/` and returns its key.
pub async fn stash(scope: &Scope<'_>, file: Received) -> AppResult<String> {
    let safe: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let key = ObjectStore::tenant_key(
        scope.tenant,
        &format!("uploads/{}-{safe}", uuid::Uuid::new_v4()),
    );
    scope
        .state
        .store
        .put(&key, file.bytes, "application/octet-stream")
        .await?;
    Ok(key)
}
