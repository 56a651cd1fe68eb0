//! The accounts export job: the tenant's accounts as CSV, stored in the object store
//! under the tenant's prefix and e-mailed to the requester.
//!
//! Safe to run twice: the object key is derived from the job id, so a re-run overwrites
//! the same object with the same content.

use domain::TenantSlug;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::runner::Progress;
use crate::entities::account;
use crate::error::AppResult;
use crate::mail::MailFile;
use crate::state::AppState;
use crate::storage::ObjectStore;
use crate::tenancy;

pub async fn run(
    state: &AppState,
    tenant: &TenantSlug,
    job_id: uuid::Uuid,
    email: &str,
    reach: &crate::auth::Reach,
    progress: &Progress<'_>,
) -> AppResult<serde_json::Value> {
    let txn = tenancy::begin(&state.db, tenant).await?;
    let mut query = account::Entity::find();
    if let Some(cond) = reach.account_condition() {
        query = query.filter(sea_orm::sea_query::Expr::cust(cond));
    }
    let accounts = query
        .order_by_asc(account::Column::Number)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let csv = to_csv(&accounts);
    progress.set(30).await?;

    let name = format!("accounts-{job_id}.csv");
    let key = ObjectStore::tenant_key(tenant, &format!("exports/{name}"));
    state
        .store
        .put(&key, csv.clone().into_bytes(), "text/csv; charset=utf-8")
        .await?;
    progress.set(60).await?;

    let text = format!(
        "The account list you asked for is attached ({} accounts).\n",
        accounts.len()
    );
    let file = MailFile {
        name,
        content_type: "text/csv; charset=utf-8".into(),
        body: csv.into_bytes(),
    };
    state
        .mailer
        .send(email, "Accounts export", &text, vec![file])
        .await?;
    Ok(json!({ "objectKey": key, "rows": accounts.len(), "emailedTo": email }))
}

/// `;`-separated with a UTF-8 BOM: what spreadsheet programs in the tenants' locales open
/// correctly without an import dialog.
fn to_csv(rows: &[account::Model]) -> String {
    let mut out = String::from("\u{feff}number;holder;address;residents;balance\n");
    for r in rows {
        // Text people typed is neutralised; the numbers are ours.
        let fields = [
            csv_field(&inert(&r.number)),
            csv_field(&inert(&r.holder_name)),
            csv_field(&inert(&r.address)),
            r.residents.to_string(),
            r.balance.to_string(),
        ];
        let line: Vec<String> = fields.to_vec();
        out.push_str(&line.join(";"));
        out.push('\n');
    }
    out
}

/// Text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) gets a leading apostrophe, so opening the export runs nothing
/// (CSV injection, OWASP).
fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_typed_into_names_do_not_run() {
        assert_eq!(
            inert("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(inert("+380 67 1234567"), "'+380 67 1234567");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("\t=1"), "'\t=1");
        assert_eq!(inert("Іваненко"), "Іваненко");
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(csv_field("Kyiv; Khreshchatyk"), "\"Kyiv; Khreshchatyk\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("Іваненко"), "Іваненко");
    }
}
