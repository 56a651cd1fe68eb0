//! Invoices as documents through GraphQL: the tenant's requisites and layout choices
//! (`settings`), rendering a period's invoices as PDFs for an account, a building, a branch
//! or the tenant (a worker job, `invoices.create`), and an account's rendered PDFs
//! (downloaded from `/files/invoices/<account>/<YYYY-MM>`).

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;

use crate::invoices::document::{self, InvoiceSettings};
use crate::jobs::invoice_pdf::InvoicePdf;
use access::auth::{self, Action, Document};
use access::jobs::Job;
use access::jobs::queue;
use billing::graphql::{ScopeKind, target};
use platform::audit;
use platform::error::{AppError, AppResult};
use platform::sql::optional_text;
use platform::sql::stmt;
use registry::graphql::subscribers::visible_account;

#[derive(InputObject)]
pub struct InvoiceSettingsInput {
    pub legal_name: String,
    pub tax_code: String,
    pub address: String,
    pub bank_name: String,
    pub account: String,
    #[graphql(default)]
    pub bic: String,
    #[graphql(default)]
    pub correspondent_account: String,
    /// nbu, gost, epc or none.
    pub qr_format: String,
    pub purpose: String,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct RenderInput {
    pub scope: ScopeKind,
    pub id: Option<i64>,
    /// The ticked accounts, for the scope ACCOUNTS (at most 10,000).
    pub account_ids: Option<Vec<i64>>,
    /// YYYY-MM; the working month when left out.
    pub period: Option<String>,
}

#[derive(InputObject)]
pub struct MailInvoicesInput {
    pub scope: ScopeKind,
    pub id: Option<i64>,
    /// The ticked accounts, for the scope ACCOUNTS (at most 10,000).
    pub account_ids: Option<Vec<i64>>,
    /// YYYY-MM; the working month when left out.
    pub period: Option<String>,
    /// Send again the messages sent already.
    #[graphql(default)]
    pub resend: bool,
}

#[derive(SimpleObject, FromQueryResult)]
pub struct InvoiceMailView {
    pub account_id: i64,
    pub account_number: String,
    pub email: String,
    /// queued, sent or failed.
    pub state: String,
    pub attempts: i32,
    pub error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject, FromQueryResult)]
pub struct InvoiceDocumentView {
    pub period: NaiveDate,
    pub size: i32,
    pub rendered_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct InvoicesQuery;

#[Object]
impl InvoicesQuery {
    async fn invoice_settings(&self, ctx: &Context<'_>) -> AppResult<InvoiceSettings> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        let s = document::settings(&txn).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// The XML schema of the e-invoice export (`exportInvoicesXml`).
    async fn invoice_xml_schema(&self, ctx: &Context<'_>) -> AppResult<String> {
        auth::authorize(ctx, Document::Invoices, Action::View)?;
        Ok(crate::invoices::xml::SCHEMA.to_owned())
    }

    /// The invoices of a period sent (or being sent) by e-mail, each with its state.
    async fn invoice_mails(
        &self,
        ctx: &Context<'_>,
        period: String,
    ) -> AppResult<Vec<InvoiceMailView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let period = period
            .trim()
            .parse::<domain::Period>()
            .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
        let within = scope
            .session
            .reach
            .account_condition_of("a")
            .map(|c| format!(" AND {c}"))
            .unwrap_or_default();
        let txn = scope.begin().await?;
        let l = InvoiceMailView::find_by_statement(stmt(
            &format!(
                "SELECT m.account_id, a.number AS account_number, m.email, m.state, m.attempts, m.error, m.sent_at                  FROM invoice_mails m JOIN accounts a ON a.id = m.account_id WHERE m.period = $1{within} ORDER BY a.number"
            ),
            vec![period.first_day().into()],
        ))
        .all(&txn)
        .await?;
        txn.commit().await?;
        Ok(l)
    }

    /// The account's rendered invoice PDFs, newest first.
    async fn invoice_documents(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
    ) -> AppResult<Vec<InvoiceDocumentView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let l = InvoiceDocumentView::find_by_statement(stmt(
            "SELECT period, size, rendered_at FROM invoice_documents WHERE account_id = $1 ORDER BY period DESC",
            vec![account_id.into()],
        ))
        .all(&txn)
        .await?;
        txn.commit().await?;
        Ok(l)
    }
}

#[derive(Default)]
pub struct InvoicesMutation;

#[Object]
impl InvoicesMutation {
    /// What invoices print about the tenant: requisites, the payment QR standard, the
    /// payment purpose and the notes at the foot.
    async fn update_invoice_settings(
        &self,
        ctx: &Context<'_>,
        input: InvoiceSettingsInput,
    ) -> AppResult<InvoiceSettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        if !matches!(input.qr_format.as_str(), "nbu" | "gost" | "epc" | "none") {
            return Err(AppError::validation(
                "qrFormat",
                "must be nbu, gost, epc or none",
            ));
        }
        let text = |field: &str, v: &str, max: usize| {
            optional_text(Some(v), field, max).map(Option::unwrap_or_default)
        };
        let values = vec![
            text("legalName", &input.legal_name, 200)?.into(),
            text("taxCode", &input.tax_code, 20)?.into(),
            text("address", &input.address, 300)?.into(),
            text("bankName", &input.bank_name, 200)?.into(),
            text("account", &input.account, 34)?.into(),
            text("bic", &input.bic, 11)?.into(),
            text("correspondentAccount", &input.correspondent_account, 34)?.into(),
            input.qr_format.clone().into(),
            text("purpose", &input.purpose, 140)?.into(),
            optional_text(input.notes.as_deref(), "notes", 1000)?.into(),
        ];
        let txn = scope.begin().await?;
        let before = document::settings(&txn).await?;
        txn.execute_raw(stmt(
            "UPDATE invoice_settings SET legal_name = $1, tax_code = $2, address = $3, bank_name = $4, account = $5, \
             bic = $6, correspondent_account = $7, qr_format = $8, purpose = $9, notes = $10",
            values,
        ))
        .await?;
        let after = document::settings(&txn).await?;
        audit_settings(&txn, &scope, "update", Some(json!(before)), json!(after)).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Sets the logo invoices print at the top right (a PNG of at most 2000 × 2000 pixels
    /// and 1 MB); an empty upload is refused. `removeInvoiceLogo` takes it away.
    async fn upload_invoice_logo(
        &self,
        ctx: &Context<'_>,
        file: async_graphql::Upload,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let received = access::uploads::receive(ctx, file)?;
        if received.bytes.len() > 1024 * 1024 {
            return Err(AppError::validation("file", "must be at most 1 MB"));
        }
        crate::invoices::pdf::logo(received.bytes.clone())?;
        let sha = received.sha256.clone();
        let key = access::uploads::stash(&scope, received).await?;
        set_logo(&scope, Some(key), Some(sha)).await
    }

    async fn remove_invoice_logo(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        set_logo(&scope, None, None).await
    }

    /// Sends the period's invoices of a scope by e-mail (to the subscribers' addresses, the
    /// PDF attached, one job per message); messages sent already are not sent again
    /// unless `resend`.
    async fn mail_invoices(&self, ctx: &Context<'_>, input: MailInvoicesInput) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Create)?;
        let txn = scope.begin().await?;
        let period = period_or_open(&txn, input.period.as_deref()).await?;
        let target = target(&txn, &scope, input.scope, input.id, input.account_ids).await?;
        txn.commit().await?;
        let spec = crate::jobs::invoice_mail::InvoiceMailing {
            period: period.to_string(),
            scope: target,
            reach: scope.session.reach.clone(),
            resend: input.resend,
            requested_at: Some(Utc::now()),
        };
        queue(&scope, spec).await
    }

    /// Queues the e-invoice export of a period's invoices (XML in the schema of
    /// `invoiceXmlSchema`), downloaded from `/files/jobs/<id>`.
    async fn export_invoices_xml(&self, ctx: &Context<'_>, period: String) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let period = period
            .trim()
            .parse::<domain::Period>()
            .map_err(|_| AppError::validation("period", "must look like 2026-11"))?;
        let spec = crate::jobs::invoice_xml::InvoiceXml {
            period: period.to_string(),
            reach: scope.session.reach.clone(),
        };
        queue(&scope, spec).await
    }

    /// Queues rendering the period's invoices (default: the working month) of the scope as
    /// PDFs; a single account's PDF is also the job's file (`/files/jobs/<id>`).
    async fn render_invoices(&self, ctx: &Context<'_>, input: RenderInput) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Create)?;
        let txn = scope.begin().await?;
        let period = period_or_open(&txn, input.period.as_deref()).await?;
        let target = target(&txn, &scope, input.scope, input.id, input.account_ids).await?;
        txn.commit().await?;
        let spec = InvoicePdf {
            period: period.to_string(),
            scope: target,
            reach: scope.session.reach.clone(),
            login: scope.actor().login,
        };
        queue(&scope, spec).await
    }
}

/// Points the invoices at a stored logo (None: no logo), audited.
async fn set_logo(
    scope: &auth::Scope<'_>,
    key: Option<String>,
    sha256: Option<String>,
) -> AppResult<bool> {
    let txn = scope.begin().await?;
    txn.execute_raw(stmt(
        "UPDATE invoice_settings SET logo_key = $1",
        vec![key.clone().into()],
    ))
    .await?;
    audit_settings(
        &txn,
        scope,
        "logo",
        None,
        json!({ "logoKey": key, "sha256": sha256 }),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The period asked for (YYYY-MM), or the working month when none is given.
async fn period_or_open(
    txn: &sea_orm::DatabaseTransaction,
    text: Option<&str>,
) -> AppResult<domain::Period> {
    match text.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => p
            .parse::<domain::Period>()
            .map_err(|_| AppError::validation("period", "must look like 2026-11")),
        None => metering::readings::current_open(txn).await,
    }
}

/// One audit row of what invoices print.
async fn audit_settings(
    txn: &sea_orm::DatabaseTransaction,
    scope: &auth::Scope<'_>,
    action: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> AppResult<()> {
    audit::settings_changed(
        txn,
        &scope.actor(),
        Utc::now(),
        "invoice_settings",
        action,
        before,
        after,
    )
    .await
}
