//! Invoices as documents: what an invoice prints (`document`), the PDF (`pdf`), and
//! rendering and storing them (the job renders many; a download renders one on demand).

pub mod document;
pub mod mailing;
pub mod pdf;
pub mod xml;

use chrono::Utc;
use domain::Period;
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use platform::entities::tenant;
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::sql::stmt;
use platform::state::AppState;
use platform::storage::ObjectStore;

/// Renders `docs` in the tenant's language, stores each PDF and records it; returns the
/// (account id, object key, bytes) of each.
pub async fn render_and_store(
    state: &AppState,
    txn: &DatabaseTransaction,
    t: &tenant::Model,
    period: Period,
    docs: &[document::InvoiceDoc],
    job_id: Option<uuid::Uuid>,
) -> AppResult<Vec<(i64, String, Vec<u8>)>> {
    let slug = platform::tenants::parse_stored_slug(&t.slug)?;
    let lang = Lang::from_code(&t.locale).unwrap_or(Lang::UK);
    // Rendering is CPU work: off the async threads, so a batch does not stall the other
    // jobs and requests of the process.
    let owned = docs.to_vec();
    let logo = match logo_key(txn).await? {
        Some(key) => Some(state.store.get(&key).await?),
        None => None,
    };
    let rendered = tokio::task::spawn_blocking(move || {
        let mut fonts = pdf::Fonts::load()?;
        if let Some(png) = logo {
            fonts = fonts.with_logo(png)?;
        }
        let labels = pdf::labels(lang);
        owned
            .iter()
            .map(|d| pdf::render(d, &fonts, &labels))
            .collect::<AppResult<Vec<Vec<u8>>>>()
    })
    .await
    .map_err(|e| AppError::Internal(format!("rendering stopped: {e}")))??;
    let mut out = Vec::with_capacity(docs.len());
    for (doc, bytes) in docs.iter().zip(rendered) {
        let key = ObjectStore::tenant_key(
            &slug,
            &format!(
                "invoices/{period}/{}.pdf",
                doc.account_number.replace(['/', '\\'], "_")
            ),
        );
        state
            .store
            .put(&key, bytes.clone(), "application/pdf")
            .await?;
        out.push((doc.account_id, key, bytes));
    }
    let accounts: Vec<i64> = out.iter().map(|o| o.0).collect();
    let keys: Vec<String> = out.iter().map(|o| o.1.clone()).collect();
    let sizes: Vec<i32> = out
        .iter()
        .map(|o| i32::try_from(o.2.len()).unwrap_or(i32::MAX))
        .collect();
    txn.execute_raw(stmt(
        "INSERT INTO invoice_documents (account_id, period, object_key, size, rendered_at, job_id) \
         SELECT a, $4, k, s, $5, $6 FROM unnest($1::bigint[], $2::text[], $3::int[]) AS t(a, k, s) \
         ON CONFLICT (account_id, period) DO UPDATE SET object_key = EXCLUDED.object_key, \
             size = EXCLUDED.size, rendered_at = EXCLUDED.rendered_at, job_id = EXCLUDED.job_id",
        vec![
            accounts.into(),
            keys.into(),
            sizes.into(),
            period.first_day().into(),
            Utc::now().into(),
            job_id.into(),
        ],
    ))
    .await?;
    Ok(out)
}

#[derive(sea_orm::FromQueryResult)]
struct LogoKey {
    logo_key: Option<String>,
}

/// Where the tenant's logo is kept (None: no logo).
pub async fn logo_key(txn: &DatabaseTransaction) -> AppResult<Option<String>> {
    use sea_orm::FromQueryResult;
    Ok(
        LogoKey::find_by_statement(stmt("SELECT logo_key FROM invoice_settings", vec![]))
            .one(txn)
            .await?
            .and_then(|l| l.logo_key),
    )
}

/// One account's invoice of `period`, rendered and stored now.
pub async fn render_one(
    state: &AppState,
    txn: &DatabaseTransaction,
    t: &tenant::Model,
    account: i64,
    period: Period,
) -> AppResult<Vec<u8>> {
    let docs = document::load(txn, period, &[account], &t.currency, t.portal_registration).await?;
    render_and_store(state, txn, t, period, &docs, None)
        .await?
        .pop()
        .map(|(_, _, bytes)| bytes)
        .ok_or_else(|| AppError::NotFound(format!("no invoice of account {account} for {period}")))
}
