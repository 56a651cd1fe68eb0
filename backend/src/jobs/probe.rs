//! The probe job: does nothing but wait a moment (or, when asked, panic). Queued by the
//! pickup-latency benchmark (`tools bench-jobs`) to time how soon a free worker starts a
//! job, and by the fault drills to show that a job that panics fails alone while its worker
//! goes on. Not offered to users: it changes nothing of a tenant's data.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::AppResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// How long the job takes, in milliseconds.
    #[serde(default)]
    pub sleep_ms: u64,
    /// Panics instead of finishing (a drill of the runner's containment).
    #[serde(default)]
    pub panic: bool,
}

pub async fn run(spec: &Probe) -> AppResult<serde_json::Value> {
    if spec.sleep_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(spec.sleep_ms.min(60_000))).await;
    }
    if spec.panic {
        panic!("the probe was asked to panic");
    }
    Ok(json!({ "probe": "done" }))
}
