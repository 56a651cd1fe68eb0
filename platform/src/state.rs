//! `AppState`: the pools and clients shared by the HTTP server and the worker.

use std::sync::Arc;

use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::error::AppResult;
use crate::jobs::queue::JobQueue;
use crate::mail::Mailer;
use crate::storage::ObjectStore;

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: DatabaseConnection,
    /// The schema owner's connection: migrations, creating and dropping tenants only.
    pub owner_db: DatabaseConnection,
    pub queue: JobQueue,
    pub store: ObjectStore,
    pub mailer: Mailer,
    redis: Arc<tokio::sync::OnceCell<redis::aio::ConnectionManager>>,
}

/// A lazy pool: nothing is opened until first used.
async fn connect(url: &secrecy::SecretString, max: u32) -> AppResult<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.expose_secret().to_owned());
    opts.max_connections(max)
        .connect_timeout(std::time::Duration::from_secs(3))
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect_lazy(true)
        .sqlx_logging(false)
        .map_sqlx_postgres_pool_opts(|o| o.after_release(crate::pool::after_release));
    Ok(Database::connect(opts).await?)
}

impl AppState {
    /// Builds every client without touching the network, so the server starts (and
    /// `/readyz` reports which service is missing) even while a service is down.
    pub async fn new(settings: Settings) -> AppResult<Self> {
        let db = connect(&settings.database.url, settings.database.max_connections).await?;
        let owner_db = match &settings.database.owner_url {
            Some(url) => connect(url, 2).await?,
            None => db.clone(),
        };
        Ok(Self {
            queue: JobQueue::new(&settings.redis),
            store: ObjectStore::new(&settings.s3),
            mailer: Mailer::new(&settings.smtp)?,
            redis: Arc::new(tokio::sync::OnceCell::new()),
            db,
            owner_db,
            settings: Arc::new(settings),
        })
    }

    /// A shared Redis connection (throttling, caches), connected on first use.
    pub async fn redis(&self) -> AppResult<redis::aio::ConnectionManager> {
        let url = &self.settings.redis.url;
        let conn = self
            .redis
            .get_or_try_init(|| async {
                let client = redis::Client::open(url.as_str())
                    .map_err(|e| crate::error::AppError::Queue(format!("{url}: {e}")))?;
                redis::aio::ConnectionManager::new(client)
                    .await
                    .map_err(|e| crate::error::AppError::Queue(format!("connect {url}: {e}")))
            })
            .await?;
        Ok(conn.clone())
    }

    pub fn lease(&self) -> chrono::Duration {
        crate::jobs::lease(self.settings.jobs.lease_secs)
    }
}
