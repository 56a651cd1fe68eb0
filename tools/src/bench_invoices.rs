//! `tools bench-invoices SLUG [N]`: N (1,000) of the open period's invoices of a tenant
//! (formed by `bench-billing` or the calculation) read, rendered as PDF on one core and
//! stored in the object store; prints invoices per second for rendering alone and with
//! storing, and the average size.

use std::time::Instant;

use domain::TenantSlug;
use sea_orm::FromQueryResult;

use backend::error::{AppError, AppResult};
use backend::state::AppState;
use backend::storage::ObjectStore;
use backend::tenancy;
use documents::invoices::{document, pdf};
use metering::readings;
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Id {
    account_id: i64,
}

pub async fn render(state: &AppState, slug: &TenantSlug, n: i64) -> AppResult<()> {
    let t = backend::tenants::find(&state.db, slug).await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    let period = readings::current_open(&txn).await?;
    let ids: Vec<i64> = Id::find_by_statement(stmt(
        "SELECT account_id FROM invoices WHERE period = $1 ORDER BY account_id LIMIT $2",
        vec![period.first_day().into(), n.into()],
    ))
    .all(&txn)
    .await?
    .into_iter()
    .map(|r| r.account_id)
    .collect();
    if ids.is_empty() {
        return Err(AppError::NotFound(format!(
            "{slug} has no invoices of {period}: run `tools bench-billing {slug}` first"
        )));
    }
    let started = Instant::now();
    let docs = document::load(&txn, period, &ids, &t.currency, t.portal_registration).await?;
    txn.commit().await?;
    let read = started.elapsed().as_secs_f64();
    let fonts = pdf::Fonts::load()?;
    let labels =
        pdf::labels(backend::i18n::Lang::from_code(&t.locale).unwrap_or(backend::i18n::Lang::UK));
    let started = Instant::now();
    let mut files = Vec::with_capacity(docs.len());
    for d in &docs {
        files.push((d.account_number.clone(), pdf::render(d, &fonts, &labels)?));
    }
    let rendering = started.elapsed().as_secs_f64();
    let bytes: usize = files.iter().map(|(_, f)| f.len()).sum();
    let started = Instant::now();
    for (number, f) in files {
        let key = ObjectStore::tenant_key(slug, &format!("bench-invoices/{period}/{number}.pdf"));
        state.store.put(&key, f, "application/pdf").await?;
    }
    let storing = started.elapsed().as_secs_f64();
    let count = docs.len() as f64;
    println!(
        "{} invoices of {period}: read {read:.2} s; rendered on one core in {rendering:.2} s = {:.0} invoices/s; \
         stored in {storing:.2} s; rendered + stored = {:.0} invoices/s; {:.1} KB each",
        docs.len(),
        count / rendering.max(1e-9),
        count / (rendering + storing).max(1e-9),
        bytes as f64 / count / 1024.0
    );
    Ok(())
}
