//! The Redis queue (apalis-redis). Connected lazily so the backend starts, and reports
//! "redis" in `/readyz`, while Redis is down.

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
}

impl JobQueue {
    pub fn new(settings: &RedisSettings) -> Self {
        Self {
            settings: settings.clone(),
            storage: std::sync::Arc::new(OnceCell::new()),
        }
    }

    /// The apalis storage, connecting on first use.
    pub async fn storage(&self) -> AppResult<RedisStorage<JobMessage>> {
        let storage = self
            .storage
            .get_or_try_init(|| async {
                let conn = apalis_redis::connect(self.settings.url.as_str())
                    .await
                    .map_err(|e| AppError::Queue(format!("connect {}: {e}", self.settings.url)))?;
                let config = Config::default()
                    .queue(&self.settings.queue)
                    .heartbeat_interval(std::time::Duration::from_secs(
                        self.settings.heartbeat_secs,
                    ))
                    .missed_heartbeats(self.settings.missed_heartbeats);
                Ok::<_, AppError>(RedisStorage::new(conn).with_config(config))
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

    pub async fn push(&self, msg: JobMessage) -> AppResult<()> {
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
