//! Sign-in and sign-out over plain HTTP (they set and clear cookies), and the extraction
//! of the session from a request: the `billing_session` cookie (HttpOnly, SameSite=Strict,
//! with a CSRF token echoed in `X-CSRF-Token`) or an `Authorization: Bearer` token.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{EntityTrait, QueryFilter, sea_query::Expr};
use serde::Deserialize;
use serde_json::json;

use super::session::{self, Session, Transport};
use super::{password, throttle};
use crate::entities::{tenant, user};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "billing_session";
pub const CSRF_COOKIE: &str = "billing_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The generic answer to any wrong login/password pair: it never says which was wrong.
const WRONG: &str = "wrong login or password";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    login: String,
    password: String,
    /// true: answer with a bearer token for an API client instead of setting cookies.
    #[serde(default)]
    bearer: bool,
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

fn app_error_response(e: AppError) -> Response {
    match e {
        AppError::Throttled(secs) => {
            let mut resp = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "error": { "code": "THROTTLED", "message": e.to_string(), "retryAfter": secs } })),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        AppError::Validation { .. } => {
            error_response(StatusCode::BAD_REQUEST, "VALIDATION", &e.to_string())
        }
        AppError::Forbidden(m) => error_response(StatusCode::FORBIDDEN, "FORBIDDEN", &m),
        other => {
            tracing::error!(error = ?other, "sign-in failed");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error",
            )
        }
    }
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> Response {
    match login_inner(&state, peer, req).await {
        Ok(resp) => resp,
        Err(e) => app_error_response(e),
    }
}

async fn login_inner(state: &AppState, peer: SocketAddr, req: LoginRequest) -> AppResult<Response> {
    let now = Utc::now();
    let login = req.login.trim().to_lowercase();
    if login.is_empty() || req.password.is_empty() {
        return Err(AppError::validation(
            "login",
            "enter the login and the password",
        ));
    }
    let addr = peer.ip().to_string();
    throttle::check(state, &login, &addr).await?;

    let found = user::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(Expr::cust_with_values("lower(login) = $1", [login.clone()]))
                .add(Expr::cust_with_values("lower(email) = $1", [login.clone()])),
        )
        .one(&state.db)
        .await?;
    let verified = match &found {
        Some(u) if u.active => u
            .password_hash
            .as_deref()
            .is_some_and(|h| password::verify(&req.password, h)),
        _ => {
            password::dummy_verify(&req.password);
            false
        }
    };
    let Some(user) = found.filter(|_| verified) else {
        throttle::failed(state, &login, &addr).await?;
        return Ok(error_response(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            WRONG,
        ));
    };
    if let Some(tid) = user.tenant_id {
        let t = tenant::Entity::find_by_id(tid).one(&state.db).await?;
        if t.is_none_or(|t| t.status != "active") {
            return Ok(error_response(
                StatusCode::FORBIDDEN,
                "TENANT_SUSPENDED",
                "access of your organisation is suspended; contact the service provider",
            ));
        }
    }
    throttle::succeeded(state, &login).await?;
    let transport = if req.bearer {
        Transport::Bearer
    } else {
        Transport::Cookie
    };
    let issued = session::create(state, user.id, transport, Some(addr), now).await?;
    let body = json!({
        "user": { "login": user.login, "displayName": user.display_name, "kind": user.kind },
        "token": if req.bearer { Some(issued.token.clone()) } else { None },
        "csrfToken": issued.csrf,
        "expiresAt": issued.expires_at,
    });
    let mut resp = (StatusCode::OK, Json(body)).into_response();
    if transport == Transport::Cookie {
        set_session_cookies(state, &mut resp, &issued, now);
    }
    Ok(resp)
}

/// Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the client).
pub fn set_session_cookies(
    state: &AppState,
    resp: &mut Response,
    issued: &session::Issued,
    now: chrono::DateTime<Utc>,
) {
    let max_age = (issued.expires_at - now).num_seconds();
    let secure = if state.settings.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    // SameSite=Strict: after the SSO callback's cross-site redirect the first page load
    // goes without the cookie, which is fine — the client's own requests that follow are
    // same-site and carry it.
    let cookies = [
        format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
            issued.token
        ),
        format!(
            "{CSRF_COOKIE}={}; Path=/; SameSite=Strict; Max-Age={max_age}{secure}",
            issued.csrf.clone().unwrap_or_default()
        ),
    ];
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let now = Utc::now();
    let result = match credentials(&headers) {
        Some((token, transport)) => {
            session::lookup(&state, &token, transport, csrf_header(&headers), true, now).await
        }
        None => Ok(None),
    };
    match result {
        Ok(Some(s)) => {
            if let Err(e) = session::revoke(&state.db, s.id, now).await {
                return app_error_response(e);
            }
        }
        Ok(None) => {}
        Err(e) => return app_error_response(e),
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    for name in [SESSION_COOKIE, CSRF_COOKIE] {
        if let Ok(v) =
            HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0; SameSite=Strict"))
        {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The session token the request carries, and how.
pub fn credentials(headers: &HeaderMap) -> Option<(String, Transport)> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return auth
            .strip_prefix("Bearer ")
            .map(|t| (t.trim().to_owned(), Transport::Bearer));
    }
    cookie(headers, SESSION_COOKIE).map(|t| (t, Transport::Cookie))
}

pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The request's session, if it carries a valid one. Cookie sessions must echo their CSRF
/// token (every GraphQL request is a POST, so every one is checked).
pub async fn session_of(state: &AppState, headers: &HeaderMap) -> AppResult<Option<Session>> {
    match credentials(headers) {
        Some((token, transport)) => {
            session::lookup(
                state,
                &token,
                transport,
                csrf_header(headers),
                true,
                Utc::now(),
            )
            .await
        }
        None => Ok(None),
    }
}
