//! Background jobs through GraphQL: request the accounts export, read job state.

use async_graphql::{Context, Object};
use uuid::Uuid;

use super::MAX_PAGE;
use crate::auth::{self, Action, Document};
use crate::error::{AppError, AppResult};
use crate::jobs::list_export::{ExportFormat, ListExport, ListKind};
use crate::jobs::{self, JobKind};
use access::jobs::{Job, queue};
use pricing::books::Book;
use registry::accounts::AccountSort;

#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// One background job of this tenant: for those who see reports, or the list the job
    /// works on (a meter reader follows the import of readings they started).
    async fn job(&self, ctx: &Context<'_>, id: Uuid) -> AppResult<Job> {
        let scope = [
            Document::Readings,
            Document::Invoices,
            Document::Accounts,
            Document::Users,
            Document::ReferenceBooks,
        ]
        .into_iter()
        .find_map(|d| auth::authorize(ctx, d, Action::View).ok())
        .map_or_else(|| auth::authorize(ctx, Document::Reports, Action::View), Ok)?;
        let txn = scope.begin().await?;
        let row = jobs::get(&txn, id).await?;
        txn.commit().await?;
        // Another user's job is not found (its existence is not theirs to learn).
        if !jobs::visible(&row, scope.session) {
            return Err(AppError::NotFound(format!("job {id} does not exist")));
        }
        let kind: JobKind = serde_json::from_value(row.params.clone())
            .map_err(|e| AppError::Internal(format!("job {id} params: {e}")))?;
        let needed = kind.document();
        if !scope.can(Document::Reports, Action::View) && !scope.can(needed, Action::View) {
            return Err(AppError::Forbidden(format!(
                "missing permission {needed}.view"
            )));
        }
        Job::seen_by(row, scope.session)
    }

    /// The most recent background jobs: the user's own (a tenant admin with the whole
    /// tenant in reach: everyone's).
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] limit: u64,
    ) -> AppResult<Vec<Job>> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let txn = scope.begin().await?;
        let owner = (!jobs::sees_all_jobs(scope.session)).then_some(scope.session.user_id);
        let rows = jobs::recent(&txn, owner, limit).await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|r| Job::seen_by(r, scope.session))
            .collect()
    }
}

#[derive(Default)]
pub struct JobsMutation;

/// A list to export, with the filter and order the user has on screen.
#[derive(async_graphql::InputObject)]
pub struct ListExportInput {
    pub list: ListKind,
    pub search: Option<String>,
    /// The account list's journal and type filters, when `list` is ACCOUNTS.
    pub journal_id: Option<i32>,
    pub type_id: Option<i32>,
    #[graphql(default)]
    pub sort: AccountSort,
    #[graphql(default = false)]
    pub desc: bool,
    /// The language of the column headers: a locale of the catalogs (`uk`, `ru`, `en`…).
    #[graphql(default_with = "\"uk\".to_owned()")]
    pub lang: String,
    /// Which book, when `list` is REFERENCE_BOOK.
    pub book: Option<Book>,
    /// YYYY-MM, when `list` is CLOSING_SUMMARY.
    pub period: Option<String>,
    /// The account, when `list` is ACCOUNT_INVOICES.
    pub account_id: Option<i64>,
    /// The search, when `list` is PAYMENTS.
    pub payments: Option<payments::search::PaymentFilter>,
    /// The filter, when `list` is ACTS.
    pub acts: Option<acts::register::ActFilter>,
    /// The filter, when `list` is ACCOUNT_HISTORY (with `accountId`).
    pub history: Option<billing::history::HistoryFilter>,
    /// For `REPORT`: the report and its parameters.
    pub report: Option<reports::catalog::ReportInput>,
    /// For `PENALTY_STATEMENT`: the statement, as `penaltyStatement` takes it.
    pub penalty: Option<reports::penalty::PenaltyStatementInput>,
    /// XLSX (every list) or PDF (the print form of a report or a penalty statement).
    #[graphql(default)]
    pub format: ExportFormat,
    /// The filter, when `list` is METERS.
    pub meters: Option<metering::meters::MeterListFilter>,
}

#[Object]
impl JobsMutation {
    /// Queues an XLSX export of a list with the filter and order on screen; the file is
    /// downloaded from `/files/jobs/<job id>` when the job is done.
    async fn request_list_export(
        &self,
        ctx: &Context<'_>,
        input: ListExportInput,
    ) -> AppResult<Job> {
        let scope = auth::authorize(ctx, input.list.document(), Action::View)?;
        ::platform::input::parse_lang("lang", &input.lang)?;
        if input.list == ListKind::ReferenceBook && input.book.is_none() {
            return Err(AppError::validation("book", "name the reference book"));
        }
        if input.list == ListKind::ClosingSummary
            && input
                .period
                .as_deref()
                .and_then(|p| p.trim().parse::<domain::Period>().ok())
                .is_none()
        {
            return Err(AppError::validation("period", "must look like 2026-11"));
        }
        if input.list == ListKind::AccountHistory {
            input.history.clone().unwrap_or_default().parse()?;
        }
        if input.format == ExportFormat::Pdf
            && !matches!(input.list, ListKind::Report | ListKind::PenaltyStatement)
        {
            return Err(AppError::validation(
                "format",
                "a print form (PDF) is made for reports only",
            ));
        }
        if input.list == ListKind::PenaltyStatement {
            let penalty = input
                .penalty
                .as_ref()
                .ok_or_else(|| AppError::validation("penalty", "name the statement"))?;
            // Refused now, with its field, rather than as a failed job.
            let txn = scope.begin().await?;
            reports::penalty::statement(
                &txn,
                &scope.session.reach,
                penalty,
                chrono::Utc::now().date_naive(),
            )
            .await?;
            txn.commit().await?;
        }
        if input.list == ListKind::Report {
            let report = input
                .report
                .as_ref()
                .ok_or_else(|| AppError::validation("report", "name the report"))?;
            reports::catalog::check(report)?;
        }
        if matches!(
            input.list,
            ListKind::AccountInvoices | ListKind::AccountHistory
        ) && input.account_id.is_none()
        {
            return Err(AppError::validation("accountId", "name the account"));
        }
        let spec = ListExport {
            list: input.list,
            search: input.search,
            journal_id: input.journal_id,
            type_id: input.type_id,
            reach: scope.session.reach.clone(),
            actor: (!scope.session.reach.everything()).then_some(scope.session.user_id),
            sort: input.sort,
            desc: input.desc,
            lang: input.lang,
            book: input.book,
            period: input.period.map(|p| p.trim().to_owned()),
            account_id: input.account_id,
            payments: input.payments,
            acts: input.acts,
            history: input.history,
            report: input.report,
            penalty: input.penalty,
            format: input.format,
            meters: input.meters,
        };
        queue(&scope, JobKind::ListExport(Box::new(spec))).await
    }

    /// Queues a job that writes the account list (as far as the user may see it) to the
    /// object store and e-mails it to the requester's own address.
    async fn request_accounts_export(&self, ctx: &Context<'_>, email: String) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let email = email.trim();
        if !crate::mail::is_address(email) {
            return Err(AppError::validation(
                "email",
                "must be an e-mail address such as name@example.com",
            ));
        }
        // The list leaves the product by mail only to its requester's own address.
        use sea_orm::EntityTrait;
        let own = crate::entities::user::Entity::find_by_id(scope.session.user_id)
            .one(&scope.state.db)
            .await?
            .and_then(|u| u.email);
        match own {
            Some(own) if own.trim().eq_ignore_ascii_case(email) => {}
            Some(_) => {
                return Err(AppError::validation(
                    "email",
                    "must be your own address (the one in your user card)",
                ));
            }
            None => {
                return Err(AppError::validation(
                    "email",
                    "your user card has no e-mail: ask an administrator to add one",
                ));
            }
        }
        let kind = JobKind::AccountsExport {
            email: email.to_owned(),
            reach: scope.session.reach.clone(),
        };
        queue(&scope, kind).await
    }
}
