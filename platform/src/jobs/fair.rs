//! Per-tenant fairness of the job queue: messages wait in a Redis buffer of their tenant,
//! and each worker's dispatcher hands them to the worker queue round-robin across the
//! tenants that have any, keeping that queue no longer than the worker's concurrency. One
//! tenant mailing a million invoices therefore delays another tenant's job by at most the
//! few messages already handed over, not by the million.
//!
//! Layout under the queue's namespace: `fair:t:<tenant>` is a sorted set of the tenant's
//! messages (scored by a global sequence, so FIFO within a tenant, and a message buffered
//! twice is buffered once); `fair:ring` lists the tenants whose set is non-empty, each
//! once. Both scripts keep that invariant atomically.

use redis::Script;

use super::JobMessage;
use crate::error::{AppError, AppResult};

/// Adds messages of one tenant; puts the tenant on the ring when its set was empty.
/// KEYS: set, ring, seq. ARGV: tenant, members…
const PUSH: &str = r"
local n = #ARGV - 1
local last = redis.call('INCRBY', KEYS[3], n)
local was = redis.call('ZCARD', KEYS[1])
local added = 0
for i = 2, #ARGV do
  added = added + redis.call('ZADD', KEYS[1], 'NX', last - n + i - 1, ARGV[i])
end
if was == 0 and added > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
return added
";

/// Takes the oldest message of the tenant at the head of the ring and moves the tenant to
/// the ring's tail while it has more. KEYS: ring. ARGV: set-key prefix.
const POP: &str = r"
local t = redis.call('LPOP', KEYS[1])
if not t then return false end
local key = ARGV[1] .. t
local m = redis.call('ZPOPMIN', key)
if redis.call('ZCARD', key) > 0 then redis.call('RPUSH', KEYS[1], t) end
if #m == 0 then return false end
return m[1]
";

/// Messages per script call (Lua's argument list has a limit).
const CHUNK: usize = 1000;

/// The buffer's keys for one queue namespace.
#[derive(Clone, Debug)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn new(queue: &str) -> Self {
        Self {
            prefix: format!("{queue}:fair:"),
        }
    }

    fn ring(&self) -> String {
        format!("{}ring", self.prefix)
    }

    fn seq(&self) -> String {
        format!("{}seq", self.prefix)
    }

    fn set_prefix(&self) -> String {
        format!("{}t:", self.prefix)
    }

    fn set(&self, tenant: &str) -> String {
        format!("{}{tenant}", self.set_prefix())
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Queue(format!("fair buffer {what}: {e}"))
}

/// Buffers messages (any tenants, any order); returns how many were new.
pub async fn push(
    conn: &mut redis::aio::ConnectionManager,
    keys: &Keys,
    messages: &[JobMessage],
) -> AppResult<usize> {
    let script = Script::new(PUSH);
    let mut by_tenant: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for m in messages {
        let member = serde_json::to_string(m).map_err(|e| failed("encode", e))?;
        by_tenant.entry(m.tenant.as_str()).or_default().push(member);
    }
    let mut added = 0usize;
    for (tenant, members) in by_tenant {
        for chunk in members.chunks(CHUNK) {
            let n: usize = script
                .key(keys.set(tenant))
                .key(keys.ring())
                .key(keys.seq())
                .arg(tenant)
                .arg(chunk)
                .invoke_async(conn)
                .await
                .map_err(|e| failed("push", e))?;
            added += n;
        }
    }
    Ok(added)
}

/// The next message in round-robin order, if any tenant has one.
pub async fn pop(
    conn: &mut redis::aio::ConnectionManager,
    keys: &Keys,
) -> AppResult<Option<JobMessage>> {
    let raw: Option<String> = Script::new(POP)
        .key(keys.ring())
        .arg(keys.set_prefix())
        .invoke_async(conn)
        .await
        .map_err(|e| failed("pop", e))?;
    match raw {
        None => Ok(None),
        Some(text) => match serde_json::from_str(&text) {
            Ok(msg) => Ok(Some(msg)),
            Err(e) => {
                // Not ours (or from an incompatible version): dropping it loses nothing,
                // since the recovery sweep re-queues any job left unstarted.
                tracing::warn!(error = %e, "dropping an unreadable buffered job message");
                Ok(None)
            }
        },
    }
}

/// How many messages a tenant has waiting in the buffer.
pub async fn waiting(
    conn: &mut redis::aio::ConnectionManager,
    keys: &Keys,
    tenant: &str,
) -> AppResult<usize> {
    redis::cmd("ZCARD")
        .arg(keys.set(tenant))
        .query_async(conn)
        .await
        .map_err(|e| failed("count", e))
}

/// How many messages wait in the worker queue itself (handed over, not yet fetched).
pub async fn handed_over(
    conn: &mut redis::aio::ConnectionManager,
    active_list: &str,
) -> AppResult<usize> {
    redis::cmd("LLEN")
        .arg(active_list)
        .query_async(conn)
        .await
        .map_err(|e| failed("length", e))
}
