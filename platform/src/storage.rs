//! The S3-compatible object store: every file of every tenant lives under
//! `tenants/<slug>/…` in one bucket, so a tenant's files can be listed, exported or
//! purged by prefix.

use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use domain::TenantSlug;
use secrecy::ExposeSecret;

use crate::config::S3Settings;
use crate::error::{AppError, AppResult};

#[derive(Clone)]
pub struct ObjectStore {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl ObjectStore {
    /// Builds the client; no network traffic happens until the first call.
    pub fn new(s: &S3Settings) -> Self {
        let creds = Credentials::new(
            s.access_key.clone(),
            s.secret_key.expose_secret().to_owned(),
            None,
            None,
            "config",
        );
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .endpoint_url(&s.endpoint)
            .region(Region::new(s.region.clone()))
            .credentials_provider(creds)
            .force_path_style(true)
            .build();
        Self {
            client: aws_sdk_s3::Client::from_conf(conf),
            bucket: s.bucket.clone(),
        }
    }

    /// The prefix every tenant's files are kept under (`tenants/<slug>/…`).
    pub const TENANTS: &str = "tenants/";

    /// The key of `name` under the tenant's prefix.
    pub fn tenant_key(tenant: &TenantSlug, name: &str) -> String {
        format!("{}{tenant}/{name}", Self::TENANTS)
    }

    /// Creates the bucket unless it exists (start-up of backend and worker).
    pub async fn ensure_bucket(&self) -> AppResult<()> {
        if self.check().await.is_ok() {
            return Ok(());
        }
        let created = self
            .client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await;
        match created {
            Ok(_) => Ok(()),
            // Another process created it between our check and our create.
            Err(_) if self.check().await.is_ok() => Ok(()),
            Err(e) => Err(AppError::Storage(format!(
                "create bucket {}: {e}",
                self.bucket
            ))),
        }
    }

    /// Readiness: the bucket answers.
    pub async fn check(&self) -> AppResult<()> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AppError::Storage(format!("head bucket {}: {e}", self.bucket)))
    }

    pub async fn put(&self, key: &str, body: Vec<u8>, content_type: &str) -> AppResult<()> {
        self.put_stream(key, ByteStream::from(body), content_type)
            .await
    }

    async fn put_stream(&self, key: &str, body: ByteStream, content_type: &str) -> AppResult<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AppError::Storage(format!("put {key}: {e:?}")))
    }

    /// Uploads a file from disk as it is read (a zip of a period's invoices need not fit
    /// in memory).
    pub async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
    ) -> AppResult<()> {
        let body = ByteStream::from_path(path)
            .await
            .map_err(|e| AppError::Storage(format!("read {}: {e}", path.display())))?;
        self.put_stream(key, body, content_type).await
    }

    pub async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        let (_, body) = self.stream(key).await?;
        let bytes = body
            .collect()
            .await
            .map_err(|e| AppError::Storage(format!("read {key}: {e}")))?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// The object's length (when the store says) and its body as it arrives: a download of
    /// a period's invoices need not sit in memory.
    pub async fn stream(&self, key: &str) -> AppResult<(Option<i64>, ByteStream)> {
        let out = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| AppError::Storage(format!("get {key}: {e:?}")))?;
        Ok((out.content_length, out.body))
    }

    /// Deletes one object (none there is no error).
    pub async fn delete(&self, key: &str) -> AppResult<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AppError::Storage(format!("delete {key}: {e:?}")))
    }

    /// Every object whose key starts with `prefix`: its key and size, in key order.
    pub async fn objects(&self, prefix: &str) -> AppResult<Vec<(String, u64)>> {
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token.clone())
                .send()
                .await
                .map_err(|e| AppError::Storage(format!("list {prefix}: {e:?}")))?;
            found.extend(page.contents().iter().filter_map(|o| {
                o.key().map(|k| {
                    (
                        k.to_owned(),
                        o.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                    )
                })
            }));
            token = page.next_continuation_token().map(str::to_owned);
            if token.is_none() {
                found.sort();
                return Ok(found);
            }
        }
    }

    /// The keys of every object whose key starts with `prefix`, in key order.
    pub async fn list_prefix(&self, prefix: &str) -> AppResult<Vec<String>> {
        Ok(self
            .objects(prefix)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect())
    }

    /// The bytes of every object whose key starts with `prefix` (a tenant's files).
    pub async fn size_under(&self, prefix: &str) -> AppResult<u64> {
        Ok(self.objects(prefix).await?.iter().map(|(_, s)| s).sum())
    }

    /// Deletes every object whose key starts with `prefix` (a tenant's files when the
    /// tenant is rebuilt); returns how many.
    pub async fn delete_prefix(&self, prefix: &str) -> AppResult<usize> {
        let keys = self.list_prefix(prefix).await?;
        for key in &keys {
            self.delete(key).await?;
        }
        Ok(keys.len())
    }
}
