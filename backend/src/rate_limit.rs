//! The request rate limit on `/graphql`, per session and per client address, counted in
//! Redis (shared by every replica) over one-minute windows: past
//! `APP_LIMITS__SESSION_PER_MINUTE` requests of one session, or
//! `APP_LIMITS__ADDRESS_PER_MINUTE` of one address (signed in or not), the answer is 429
//! `RATE_LIMITED` with `Retry-After` until the window ends. A Redis outage lets requests
//! through (and is logged): the limit protects the service, it must not stop it.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use redis::AsyncCommands;
use serde_json::json;

use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::state::AppState;

const WINDOW_SECS: u64 = 60;

/// Counts the request against its session and address; refuses it past either limit.
pub async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let headers = req.headers();
    let addr = Some(crate::auth::routes::client_addr(&state, peer, headers));
    // The session is named by a digest of its token (the token itself stays out of Redis).
    let session = crate::auth::routes::credentials(headers).map(|(token, _)| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(crate::auth::token::hash_token(&token))
    });
    let limits = &state.settings.limits;
    let now = chrono::Utc::now().timestamp().unsigned_abs();
    let window = now / WINDOW_SECS;
    let wait = WINDOW_SECS - now % WINDOW_SECS;
    let checks = [
        ("session", session, limits.session_per_minute),
        ("addr", addr, limits.address_per_minute),
    ];
    for (what, id, max) in checks {
        let Some(id) = id else { continue };
        match count(&state, what, &id, window).await {
            Ok(n) if n > max => {
                let lang = crate::i18n::lang_of_request(headers).unwrap_or(Lang::EN);
                return refuse(lang, wait);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "rate limit not counted"),
        }
    }
    next.run(req).await
}

async fn count(state: &AppState, what: &str, id: &str, window: u64) -> Result<u64, AppError> {
    let key = format!("{}:rate:{what}:{id}:{window}", state.settings.redis.queue);
    let mut conn = state.redis().await?;
    let n: u64 = conn
        .incr(&key, 1)
        .await
        .map_err(|e| AppError::Queue(e.to_string()))?;
    if n == 1 {
        let _: () = conn
            .expire(&key, i64::try_from(WINDOW_SECS * 2).unwrap_or(120))
            .await
            .map_err(|e| AppError::Queue(e.to_string()))?;
    }
    Ok(n)
}

fn refuse(lang: Lang, wait: u64) -> Response {
    let e = AppError::RateLimited(wait);
    let body = json!({ "errors": [{
        "message": i18n::message(lang, &e.to_string()),
        "extensions": { "code": e.code() }
    }] });
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}
