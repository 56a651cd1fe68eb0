//! Sign-in and sign-out over plain HTTP (they set and clear cookies), and the extraction
//! of the session from a request: the `billing_session` cookie (HttpOnly, SameSite=Strict,
//! with a CSRF token echoed in `X-CSRF-Token`) or an `Authorization: Bearer` token.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};
use serde::Deserialize;
use serde_json::json;

use super::session::{self, Session, Transport};
use super::{password, throttle};
use platform::entities::{tenant, user};
use platform::error::{AppError, AppResult};
use platform::state::AppState;

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

/// The auth endpoints' error body: `{"error": {"code", "message"}}`.
pub(crate) fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
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
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> Response {
    let addr = client_addr(&state, peer, &headers);
    let mut resp = match login_inner(&state, addr, req).await {
        Ok(resp) => resp,
        Err(e) => app_error_response(e),
    };
    // It carries a session token: no cache, shared or private, may keep it.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The client's address: the connection's peer, or — when the peer is a proxy the
/// deployment trusts (`APP_AUTH__TRUSTED_PROXIES`) — the address that proxy reports in
/// `APP_AUTH__CLIENT_IP_HEADER` (the last entry: the one the trusted proxy appended).
/// Behind a proxy every client would otherwise share its address, and one attacker's
/// failures would lock everyone out.
pub fn client_addr(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let auth = &state.settings.auth;
    let trusted = auth
        .trusted_proxies
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(|p| {
            p.parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip == peer.ip())
        });
    let reported = trusted
        .then(|| headers.get(auth.client_ip_header.as_str()))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    reported.unwrap_or(peer.ip()).to_string()
}

/// The user a typed identifier names: the one whose login it is (logins are unique), else
/// the one whose e-mail it is; an e-mail several users share names nobody (they are asked
/// for their login).
pub(crate) async fn named(state: &AppState, typed: &str) -> AppResult<Option<user::Model>> {
    let by_login = user::Entity::find()
        .filter(Expr::cust_with_values(
            "lower(login) = $1",
            [typed.to_owned()],
        ))
        .one(&state.db)
        .await?;
    if by_login.is_some() {
        return Ok(by_login);
    }
    let mut by_email = user::Entity::find()
        .filter(Expr::cust_with_values(
            "lower(email) = $1",
            [typed.to_owned()],
        ))
        .limit(2)
        .all(&state.db)
        .await?;
    if by_email.len() > 1 {
        return Err(AppError::validation(
            "login",
            "several users have this e-mail; sign in with your login",
        ));
    }
    Ok(by_email.pop())
}

async fn login_inner(state: &AppState, addr: String, req: LoginRequest) -> AppResult<Response> {
    let now = Utc::now();
    let login = req.login.trim().to_lowercase();
    if login.is_empty() || req.password.is_empty() {
        return Err(AppError::validation(
            "login",
            "enter the login and the password",
        ));
    }
    let found = named(state, &login).await?;
    // One budget per user, whether the login or the e-mail was typed.
    let who = found
        .as_ref()
        .map_or_else(|| format!("typed:{login}"), |u| format!("user:{}", u.id));
    throttle::admit(state, &who, &addr).await?;
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
    if !verified {
        throttle::failed(state, &who, &addr).await?;
        let a = super::sign_in_audit::Attempt::password(found.as_ref(), &login, &addr, false, now);
        super::sign_in_audit::record(state, a).await?;
    }
    let Some(user) = found.filter(|_| verified) else {
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
    throttle::succeeded(state, &who, &addr).await?;
    let a = super::sign_in_audit::Attempt::password(Some(&user), &login, &addr, true, now);
    super::sign_in_audit::record(state, a).await?;
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

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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
