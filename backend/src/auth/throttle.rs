//! Sign-in throttling in Redis (shared by every backend replica).
//!
//! Rule: failures are counted per login and per client address over a 15-minute window.
//! From the `APP_AUTH__MAX_FAILURES`-th failure of a login (10× that for an address) the
//! login (address) is locked for `APP_AUTH__LOCK_BASE_SECS`, doubling with each further
//! failure up to 15 minutes. A success clears the login's count. While locked, sign-in
//! answers "try again in N s" without checking the password.

use redis::AsyncCommands;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

const WINDOW_SECS: i64 = 15 * 60;
const MAX_LOCK_SECS: u64 = 15 * 60;

fn keys(state: &AppState, what: &str, id: &str) -> (String, String) {
    let ns = &state.settings.redis.queue;
    (
        format!("{ns}:auth:fail:{what}:{id}"),
        format!("{ns}:auth:lock:{what}:{id}"),
    )
}

/// Fails with `THROTTLED` (and the seconds to wait) while the login or address is locked.
pub async fn check(state: &AppState, login: &str, addr: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let mut wait = 0i64;
    for (what, id) in [("login", login), ("addr", addr)] {
        let (_, lock) = keys(state, what, id);
        let ttl: i64 = conn.ttl(&lock).await.map_err(redis_err)?;
        wait = wait.max(ttl);
    }
    if wait > 0 {
        return Err(AppError::Throttled(u64::try_from(wait).unwrap_or(1)));
    }
    Ok(())
}

pub async fn failed(state: &AppState, login: &str, addr: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let auth = &state.settings.auth;
    for (what, id, max) in [
        ("login", login, auth.max_failures),
        ("addr", addr, auth.max_failures.saturating_mul(10)),
    ] {
        let (fail, lock) = keys(state, what, id);
        let count: u32 = conn.incr(&fail, 1).await.map_err(redis_err)?;
        if count == 1 {
            let _: () = conn.expire(&fail, WINDOW_SECS).await.map_err(redis_err)?;
        }
        if count >= max {
            let over = (count - max).min(16);
            let secs = auth
                .lock_base_secs
                .saturating_mul(1u64 << over)
                .clamp(1, MAX_LOCK_SECS);
            let _: () = conn.set_ex(&lock, 1, secs).await.map_err(redis_err)?;
        }
    }
    Ok(())
}

pub async fn succeeded(state: &AppState, login: &str) -> AppResult<()> {
    let mut conn = state.redis().await?;
    let (fail, lock) = keys(state, "login", login);
    let _: () = conn.del(&[fail, lock]).await.map_err(redis_err)?;
    Ok(())
}

fn redis_err(e: redis::RedisError) -> AppError {
    AppError::Queue(format!("redis: {e}"))
}
