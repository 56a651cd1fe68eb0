//! The jobs runtime every context shares: the queue message, the Redis queue and its
//! per-tenant fair buffer, the job rows (record, read, recover), a running attempt's
//! progress and lease. What each job is and does lives with its context; which kinds
//! exist and the worker's dispatch live with the API crate.

pub mod fair;
pub mod progress;
pub mod queue;
pub mod rows;

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
