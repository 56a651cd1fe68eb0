//! The Redis queue (apalis-redis). Connected lazily so the backend starts, and reports
//! "redis" in `/readyz`, while Redis is down. New messages go to the per-tenant buffer
//! ([`super::fair`]); the worker's dispatcher hands them to apalis round-robin.

use apalis::prelude::TaskSink;
use apalis_redis::{Config, RedisStorage};
use tokio::sync::OnceCell;

use super::JobMessage;
use crate::config::RedisSettings;
use crate::error::{AppError, AppResult};

#[derive(Clone)]
pub struct JobQueue {
    settings: RedisSettings,
    storage: std::sync::Arc<OnceCell<RedisStorage<JobMessage>>>,
    conn: std::sync::Arc<OnceCell<redis::aio::ConnectionManager>>,
}

impl JobQueue {
    pub fn new(settings: &RedisSettings) -> Self {
        Self {
            settings: settings.clone(),
            storage: std::sync::Arc::new(OnceCell::new()),
            conn: std::sync::Arc::new(OnceCell::new()),
        }
    }

    fn config(&self) -> Config {
        Config::default()
            .queue(&self.settings.queue)
            .heartbeat_interval(std::time::Duration::from_secs(self.settings.heartbeat_secs))
            .missed_heartbeats(self.settings.missed_heartbeats)
    }

    pub fn fair_keys(&self) -> super::fair::Keys {
        super::fair::Keys::new(&self.settings.queue)
    }

    /// A connection for the fair buffer, opened on first use.
    pub async fn connection(&self) -> AppResult<redis::aio::ConnectionManager> {
        let conn = self
            .conn
            .get_or_try_init(|| async {
                apalis_redis::connect(self.settings.url.as_str())
                    .await
                    .map_err(|e| AppError::Queue(format!("connect {}: {e}", self.settings.url)))
            })
            .await?;
        Ok(conn.clone())
    }

    /// How many messages apalis holds that no worker has fetched yet.
    pub async fn handed_over(&self) -> AppResult<usize> {
        let mut conn = self.connection().await?;
        super::fair::handed_over(&mut conn, &self.config().active_jobs_list()).await
    }

    /// The apalis storage, connecting on first use.
    pub async fn storage(&self) -> AppResult<RedisStorage<JobMessage>> {
        let storage = self
            .storage
            .get_or_try_init(|| async {
                let conn = apalis_redis::connect(self.settings.url.as_str())
                    .await
                    .map_err(|e| AppError::Queue(format!("connect {}: {e}", self.settings.url)))?;
                Ok::<_, AppError>(RedisStorage::new(conn).with_config(self.config()))
            })
            .await?;
        Ok(storage.clone())
    }

    /// Queues `msg` to be delivered no earlier than `delay` from now.
    pub async fn push_after(&self, msg: JobMessage, delay: std::time::Duration) -> AppResult<()> {
        let mut storage = self.storage().await?;
        let task = apalis::prelude::TaskBuilder::new(msg)
            .run_after(delay)
            .build();
        storage
            .push_task(task)
            .await
            .map_err(|e| AppError::Queue(format!("push: {e}")))
    }

    /// Queues a message behind its tenant's earlier ones (see [`super::fair`]).
    pub async fn push(&self, msg: JobMessage) -> AppResult<()> {
        self.push_many(std::slice::from_ref(&msg)).await
    }

    /// Queues messages, each behind its tenant's earlier ones; a message already waiting
    /// is not queued twice.
    pub async fn push_many(&self, messages: &[JobMessage]) -> AppResult<()> {
        let mut conn = self.connection().await?;
        super::fair::push(&mut conn, &self.fair_keys(), messages).await?;
        Ok(())
    }

    /// How many of `tenant`'s messages wait in the fair buffer.
    pub async fn waiting(&self, tenant: &str) -> AppResult<usize> {
        let mut conn = self.connection().await?;
        super::fair::waiting(&mut conn, &self.fair_keys(), tenant).await
    }

    /// Takes the next message in round-robin order from the fair buffer.
    pub async fn next_fair(&self) -> AppResult<Option<JobMessage>> {
        let mut conn = self.connection().await?;
        super::fair::pop(&mut conn, &self.fair_keys()).await
    }

    /// Gives a message straight to the worker queue (the dispatcher's hand-over).
    pub async fn hand_over(&self, msg: JobMessage) -> AppResult<()> {
        let mut storage = self.storage().await?;
        storage
            .push(msg)
            .await
            .map_err(|e| AppError::Queue(format!("push: {e}")))
    }
}

impl JobQueue {
    /// Readiness: a fresh connection answers PING (not the cached one, which could be
    /// reconnecting silently).
    pub async fn ping(&self) -> AppResult<()> {
        let client = redis::Client::open(self.settings.url.as_str())
            .map_err(|e| AppError::Queue(format!("{}: {e}", self.settings.url)))?;
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| AppError::Queue(format!("connect: {e}")))?;
        let _: String = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(|e| AppError::Queue(format!("PING: {e}")))?;
        Ok(())
    }
}
