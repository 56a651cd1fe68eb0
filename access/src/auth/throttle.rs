//! Sign-in throttling in Redis (shared by every backend replica).
//!
//! Rule: attempts are counted per user (whichever identifier was typed, the login or the
//! e-mail: one budget; an identifier no user has is its own) and per client address over a
//! 15-minute window. An attempt is counted atomically before its password is checked, so a
//! parallel burst gets no more checks than the limit: once `APP_AUTH__MAX_FAILURES`
//! attempts of a user (10× that of an address) are counted and not cleared, the next is
//! refused and the user (address) locked for `APP_AUTH__LOCK_BASE_SECS`, doubling with each
//! further failure up to 15 minutes. A success clears the user's count and takes its own
//! attempt back from the address's (an office signing in all day is not locked out). While
//! locked, sign-in answers "try again in N s" without checking the password.

use redis::AsyncCommands;

use platform::error::{AppError, AppResult};
use platform::state::AppState;

const WINDOW_SECS: i64 = 15 * 60;
const MAX_LOCK_SECS: u64 = 15 * 60;

fn keys(state: &AppState, what: &str, id: &str) -> (String, String) {
    let ns = &state.settings.redis.queue;
    (
        format!("{ns}:auth:fail:{what}:{id}"),
        format!("{ns}:auth:lock:{what}:{id}"),
    )
}

/// Set with a lock, for the window: once the lock runs out, the next attempt past the
/// limit may try (one; its failure locks again, longer).
fn ran_out_key(state: &AppState, what: &str, id: &str) -> String {
    format!("{}:auth:locked:{what}:{id}", state.settings.redis.queue)
}

/// Admits one attempt of `who` from `addr`: fails with `THROTTLED` (and the seconds to
/// wait) while either is locked; otherwise counts the attempt. Past the limit, an attempt
/// is admitted only by taking the lock itself (atomically, `SET NX`): it is the one try
/// after a lock ran out; its failure leaves the lock, its success clears it.
pub async fn admit(state: &AppState, who: &str, addr: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let mut wait = 0i64;
    for (what, id) in [("login", who), ("addr", addr)] {
        let (_, lock) = keys(state, what, id);
        let ttl: i64 = conn.ttl(&lock).await.map_err(redis_err)?;
        wait = wait.max(ttl);
    }
    if wait > 0 {
        return Err(AppError::Throttled(u64::try_from(wait).unwrap_or(1)));
    }
    let auth = &state.settings.auth;
    for (what, id, max) in [
        ("login", who, auth.max_failures),
        ("addr", addr, auth.max_failures.saturating_mul(10)),
    ] {
        let (count_key, lock_key) = keys(state, what, id);
        // INCR is atomic: of a burst, exactly `max` attempts get a number up to `max`.
        let count: u32 = conn.incr(&count_key, 1).await.map_err(redis_err)?;
        if count == 1 {
            let _: () = conn
                .expire(&count_key, WINDOW_SECS)
                .await
                .map_err(redis_err)?;
        }
        if count > max {
            let secs = lock_secs(state, count, max);
            // Within a burst (no lock has run out yet) nothing past the limit is checked.
            let after_lock: bool = conn
                .exists(ran_out_key(state, what, id))
                .await
                .map_err(redis_err)?;
            let taken: bool = redis::cmd("SET")
                .arg(&lock_key)
                .arg(1)
                .arg("NX")
                .arg("EX")
                .arg(secs)
                .query_async::<Option<String>>(&mut conn)
                .await
                .map_err(redis_err)?
                .is_some();
            if !taken || !after_lock {
                let ttl: i64 = conn.ttl(&lock_key).await.map_err(redis_err)?;
                return Err(AppError::Throttled(u64::try_from(ttl).unwrap_or(1).max(1)));
            }
        }
    }
    Ok(())
}

/// The lock after `count` counted attempts of a limit `max`: the base from the limit on,
/// doubling with each further one, at most 15 minutes.
fn lock_secs(state: &AppState, count: u32, max: u32) -> u64 {
    let over = count.saturating_sub(max).min(16);
    state
        .settings
        .auth
        .lock_base_secs
        .saturating_mul(1u64 << over)
        .clamp(1, MAX_LOCK_SECS)
}

/// An admitted attempt failed: it stays counted; from the limit on, the user (address) is
/// locked.
pub async fn failed(state: &AppState, who: &str, addr: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let auth = &state.settings.auth;
    for (what, id, max) in [
        ("login", who, auth.max_failures),
        ("addr", addr, auth.max_failures.saturating_mul(10)),
    ] {
        let (count_key, lock_key) = keys(state, what, id);
        let count: Option<u32> = conn.get(&count_key).await.map_err(redis_err)?;
        if let Some(count) = count.filter(|c| *c >= max) {
            let secs = lock_secs(state, count, max);
            let _: () = conn.set_ex(&lock_key, 1, secs).await.map_err(redis_err)?;
            let window = u64::try_from(WINDOW_SECS).unwrap_or(900);
            let _: () = conn
                .set_ex(ran_out_key(state, what, id), 1, window)
                .await
                .map_err(redis_err)?;
        }
    }
    Ok(())
}

/// An admitted attempt succeeded: the user's count and lock are cleared and the address's
/// attempt is taken back.
pub async fn succeeded(state: &AppState, who: &str, addr: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let (count_key, lock_key) = keys(state, "login", who);
    let ran_out = ran_out_key(state, "login", who);
    let _: () = conn
        .del(&[count_key, lock_key, ran_out])
        .await
        .map_err(redis_err)?;
    let (addr_key, addr_lock) = keys(state, "addr", addr);
    let left: i64 = conn.decr(&addr_key, 1).await.map_err(redis_err)?;
    if left <= 0 {
        let _: () = conn.del(&addr_key).await.map_err(redis_err)?;
    }
    // A success that took the address's lock to try (past its limit) lifts it again once
    // the address is back under the limit.
    let max = i64::from(state.settings.auth.max_failures.saturating_mul(10));
    if left < max {
        let _: () = conn.del(&addr_lock).await.map_err(redis_err)?;
    }
    Ok(())
}

fn redis_err(e: redis::RedisError) -> AppError {
    AppError::Queue(format!("redis: {e}"))
}

/// Counts one request of `id` under `purpose` (e.g. `forgot:addr`) within a fixed window
/// of `window_secs` from its first; false once past `max` — the budget of the password
/// links and the portal registration, per address and per what was typed.
pub async fn within_budget(
    state: &AppState,
    purpose: &str,
    id: &str,
    max: u32,
    window_secs: i64,
) -> AppResult<bool> {
    let mut conn = state.redis().await?;
    let key = format!("{}:auth:{purpose}:{id}", state.settings.redis.queue);
    let err = |e: redis::RedisError| AppError::Queue(format!("redis: {e}"));
    let n: u32 = conn.incr(&key, 1).await.map_err(err)?;
    if n == 1 {
        let _: () = conn.expire(&key, window_secs).await.map_err(err)?;
    }
    Ok(n <= max)
}
