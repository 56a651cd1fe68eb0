//! The jobs runtime every context shares: the queue message, the Redis queue and its
//! per-tenant fair buffer, and the lease of a running attempt. What the jobs are and how
//! they run lives with the contexts and the worker.

pub mod fair;
pub mod queue;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The message on the queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JobMessage {
    pub tenant: String,
    pub job_id: Uuid,
}

/// The lease of a running attempt.
pub fn lease(secs: i64) -> chrono::Duration {
    chrono::Duration::seconds(secs.max(1))
}
