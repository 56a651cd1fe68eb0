//! `/files/jobs/<job id>`: downloads the file a job produced. The job is looked up in the
//! session's tenant (another tenant's job is simply not found); it must be the user's own
//! (a tenant admin without limits may take anyone's), made for a reach within the user's,
//! and the user must hold the permission the export needed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::auth::session::{self, Session};
use crate::auth::{Action, routes};
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind, JobState};
use crate::state::AppState;
use crate::tenancy;

pub async fn job_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
) -> Response {
    match job_file_inner(&state, &headers, id).await {
        Ok(r) => r,
        Err(e) => {
            let status = match e.code() {
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "CONFLICT" => StatusCode::CONFLICT,
                _ => {
                    tracing::error!(error = ?e, "download failed");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            (status, e.to_string()).into_response()
        }
    }
}

/// A download is a read: the session cookie suffices (no CSRF token on a plain link).
async fn session_for_read(state: &AppState, headers: &HeaderMap) -> AppResult<Session> {
    let (token, transport) = routes::credentials(headers).ok_or(AppError::Unauthenticated)?;
    session::lookup(state, &token, transport, None, false, Utc::now())
        .await?
        .ok_or(AppError::Unauthenticated)
}

async fn job_file_inner(
    state: &AppState,
    headers: &HeaderMap,
    id: uuid::Uuid,
) -> AppResult<Response> {
    let s = session_for_read(state, headers).await?;
    let tenant = s
        .tenant
        .as_ref()
        .ok_or_else(|| AppError::NotFound(format!("job {id} does not exist")))?;
    let txn = tenancy::begin(&state.db, &tenant.slug).await?;
    let job = jobs::get(&txn, id).await?;
    txn.commit().await?;
    // Someone else's job is not found; a file made for a wider reach than the user's now
    // is not theirs.
    if !jobs::visible(&job, &s) {
        return Err(AppError::NotFound(format!("job {id} does not exist")));
    }
    if !jobs::within(&job, &s.reach) {
        return Err(AppError::Forbidden(
            "the file holds accounts outside your branches and buildings".into(),
        ));
    }
    let kind: JobKind = serde_json::from_value(job.params.clone())
        .map_err(|e| AppError::Internal(format!("job {id} params: {e}")))?;
    let document = kind.document();
    if !s.permissions.allows(document, Action::View) {
        return Err(AppError::Forbidden(format!(
            "missing permission {document}.view"
        )));
    }
    if JobState::parse(&job.state)? != JobState::Done {
        return Err(AppError::Conflict(format!("job {id} has not finished")));
    }
    let result = job.result.unwrap_or_default();
    let key = result["objectKey"]
        .as_str()
        .ok_or_else(|| AppError::NotFound(format!("job {id} made no file")))?;
    // The key is ours (written by the job) and lies under this tenant's prefix.
    if !key.starts_with(&format!("tenants/{}/", tenant.slug)) {
        return Err(AppError::NotFound(format!("job {id} made no file")));
    }
    streamed(state, key).await
}

/// The object at `key` as a download named by its last part, streamed as the store sends
/// it (a zip of a period's invoices, a tenant's export may be large).
async fn streamed(state: &AppState, key: &str) -> AppResult<Response> {
    let (length, stream) = state.store.stream(key).await?;
    let chunks = futures::stream::unfold(stream, |mut s| async move {
        s.next().await.map(|chunk| (chunk, s))
    });
    let name = key.rsplit('/').next().unwrap_or("export");
    let mut resp = attachment(axum::body::Body::from_stream(chunks), name);
    if let Some(v) = length.and_then(|n| HeaderValue::from_str(&n.to_string()).ok()) {
        resp.headers_mut().insert(header::CONTENT_LENGTH, v);
    }
    Ok(resp)
}

/// `/files/tenant-exports/<id>`: a tenant's export, for the platform operator only.
pub async fn tenant_export_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let inner = async {
        let s = session_for_read(&state, &headers).await?;
        if s.kind != crate::auth::session::UserKind::Platform {
            return Err(AppError::NotFound(format!("export {id} does not exist")));
        }
        let e = crate::admin::platform::export(&state, id).await?;
        let key = e
            .object_key
            .filter(|_| e.state == "done")
            .ok_or_else(|| AppError::Conflict(format!("export {id} has not finished")))?;
        streamed(&state, &key).await
    };
    match inner.await {
        Ok(r) => r,
        Err(e) => {
            let status = match e.code() {
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "CONFLICT" => StatusCode::CONFLICT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, e.to_string()).into_response()
        }
    }
}

/// The stored bytes as a download named `name` (its type from the extension).
fn attachment(body: impl IntoResponse, name: &str) -> Response {
    let content_type = if name.ends_with(".xlsx") {
        crate::jobs::list_export::XLSX
    } else if name.ends_with(".pdf") {
        "application/pdf"
    } else if name.ends_with(".xml") {
        "application/xml"
    } else if name.ends_with(".zip") {
        "application/zip"
    } else {
        "text/csv; charset=utf-8"
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    resp
}

/// `/files/invoices/<account id>/<YYYY-MM>`: an invoice's latest PDF, for those who may
/// view invoices and see the account (its branch or building within their reach).
pub async fn invoice_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account, period)): Path<(i64, String)>,
) -> Response {
    match invoice_file_inner(&state, &headers, account, &period).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

/// `/files/retail-documents/<id>`: a scanned paper of an electricity customer, for staff
/// who may view subscribers and see the customer (its branch within their reach), with
/// its own media type (a PDF or an image opens in the browser's viewer).
pub async fn retail_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match retail_document_inner(&state, &headers, id).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

async fn retail_document_inner(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
) -> AppResult<Response> {
    let s = session_for_read(state, headers).await?;
    let missing = || AppError::NotFound(format!("record {id} does not exist"));
    let tenant = s.tenant.as_ref().ok_or_else(missing)?;
    if s.kind == session::UserKind::Subscriber {
        return Err(missing());
    }
    if !s
        .permissions
        .allows(crate::auth::Document::Subscribers, Action::View)
    {
        return Err(AppError::Forbidden(
            "missing permission subscribers.view".into(),
        ));
    }
    let txn = tenancy::begin(&state.db, &tenant.slug).await?;
    let doc = retail::documents::one(&txn, &s.reach, id).await?;
    txn.commit().await?;
    if !doc
        .object_key
        .starts_with(&format!("tenants/{}/", tenant.slug))
    {
        return Err(missing());
    }
    let body = state.store.get(&doc.object_key).await?;
    let mut resp = attachment(body, "scan");
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&doc.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&inline_disposition(&doc.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// `inline` with the name people gave the file: an ASCII stand-in for old clients and
/// the UTF-8 name percent-encoded (RFC 6266, RFC 5987) — a Cyrillic name stays itself.
fn inline_disposition(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

fn error_response(e: AppError) -> Response {
    let status = match e.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" | "VALIDATION" => StatusCode::NOT_FOUND,
        "CONFLICT" => StatusCode::CONFLICT,
        _ => {
            tracing::error!(error = ?e, "download failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    (status, e.to_string()).into_response()
}

/// Who may read an account's billing documents: a subscriber their own accounts; staff
/// with invoices.view, the account within their reach — as an SQL condition on the
/// account `a` (empty when nothing limits it).
fn reader_condition(s: &Session, account: i64) -> AppResult<String> {
    if s.kind == session::UserKind::Subscriber {
        return if s.accounts.contains(&account) {
            Ok(String::new())
        } else {
            Err(AppError::NotFound(format!(
                "record {account} does not exist"
            )))
        };
    }
    if !s
        .permissions
        .allows(crate::auth::Document::Invoices, Action::View)
    {
        return Err(AppError::Forbidden(
            "missing permission invoices.view".into(),
        ));
    }
    Ok(s.reach
        .account_condition_of("a")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default())
}

/// The months of a statement: `?from=YYYY-MM&to=YYYY-MM`, both optional.
#[derive(Debug, serde::Deserialize)]
pub struct Months {
    from: Option<String>,
    to: Option<String>,
}

/// `/files/statements/<account id>/<pdf|xlsx>?from=YYYY-MM&to=YYYY-MM`: the account's
/// reconciliation statement, made now in the tenant's language, for whoever may read its
/// invoices.
pub async fn statement_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account, format)): Path<(i64, String)>,
    axum::extract::Query(months): axum::extract::Query<Months>,
) -> Response {
    match statement_file_inner(&state, &headers, account, &format, &months).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

async fn statement_file_inner(
    state: &AppState,
    headers: &HeaderMap,
    account: i64,
    format: &str,
    months: &Months,
) -> AppResult<Response> {
    use sea_orm::FromQueryResult;
    let s = session_for_read(state, headers).await?;
    let missing = || AppError::NotFound(format!("record {account} does not exist"));
    let tenant = s.tenant.as_ref().ok_or_else(missing)?;
    let within = reader_condition(&s, account)?;
    if !matches!(format, "pdf" | "xlsx") {
        return Err(missing());
    }
    let month = |field: &str, text: &Option<String>| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                t.trim()
                    .parse::<domain::Period>()
                    .map_err(|_| AppError::validation(field, "must look like 2026-11"))
            })
            .transpose()
    };
    let (from, to) = (month("from", &months.from)?, month("to", &months.to)?);
    let txn = tenancy::begin(&state.db, &tenant.slug).await?;
    #[derive(sea_orm::FromQueryResult)]
    struct Found {
        #[allow(dead_code)]
        id: i64,
    }
    Found::find_by_statement(platform::sql::stmt(
        &format!("SELECT a.id FROM accounts a WHERE a.id = $1{within}"),
        vec![account.into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(missing)?;
    let open = metering::readings::current_open(&txn).await?;
    let statement = billing::statement::build(&txn, account, from, to, open).await?;
    txn.commit().await?;
    let t = crate::tenants::find(&state.db, &tenant.slug).await?;
    let lang = crate::i18n::Lang::from_code(&t.locale).unwrap_or(crate::i18n::Lang::EN);
    let name = format!(
        "statement-{}-{}-{}.{format}",
        statement.number, statement.from, statement.to
    );
    let body = if format == "pdf" {
        documents::statement::render(&statement, lang)?
    } else {
        billing::statement::xlsx(&statement, lang)?
    };
    Ok(attachment(body, &name))
}

#[derive(sea_orm::FromQueryResult)]
struct Stored {
    object_key: Option<String>,
}

async fn invoice_file_inner(
    state: &AppState,
    headers: &HeaderMap,
    account: i64,
    period: &str,
) -> AppResult<Response> {
    use sea_orm::FromQueryResult;
    let s = session_for_read(state, headers).await?;
    let missing = || AppError::NotFound(format!("no invoice of account {account} for {period}"));
    let tenant = s.tenant.as_ref().ok_or_else(missing)?;
    let within = reader_condition(&s, account).map_err(|e| match e {
        AppError::NotFound(_) => missing(),
        e => e,
    })?;
    let period: domain::Period = period.parse().map_err(|_| missing())?;
    let txn = tenancy::begin(&state.db, &tenant.slug).await?;
    let found = Stored::find_by_statement(platform::sql::stmt(
        &format!(
            "SELECT d.object_key FROM invoices v JOIN accounts a ON a.id = v.account_id \
             LEFT JOIN invoice_documents d ON d.account_id = v.account_id AND d.period = v.period \
             WHERE v.account_id = $1 AND v.period = $2{within}"
        ),
        vec![account.into(), period.first_day().into()],
    ))
    .one(&txn)
    .await?
    .ok_or_else(missing)?;
    let name = format!("invoice-{account}-{period}.pdf");
    let Some(key) = found.object_key else {
        // Not rendered yet: one invoice renders in milliseconds, so it is made now.
        let t = crate::tenants::find(&state.db, &tenant.slug).await?;
        let body = documents::invoices::render_one(state, &txn, &t, account, period).await?;
        txn.commit().await?;
        return Ok(attachment(body, &name));
    };
    txn.commit().await?;
    if !key.starts_with(&format!("tenants/{}/", tenant.slug)) {
        return Err(missing());
    }
    let body = state.store.get(&key).await?;
    Ok(attachment(body, &name))
}
