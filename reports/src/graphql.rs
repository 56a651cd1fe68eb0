//! Reports through GraphQL (`reports.view`): the catalogue with each report's parameters,
//! and a page of one report with its totals. The whole report goes to XLSX through the
//! list-export job (`requestListExport` with `list: REPORT`).

use async_graphql::{Context, Object, SimpleObject};

use crate::catalog::{self, ReportInput, ReportKind};
use crate::dashboard::{self, Dashboard};
use crate::penalty::{self, PenaltyStatement, PenaltyStatementInput};
use crate::table::ReportTable;
use access::auth::{self, Action, Document};
use platform::error::AppResult;
use platform::i18n::Lang;
use platform::sql::MAX_PAGE;

/// A report the user may run.
#[derive(SimpleObject)]
pub struct ReportInfo {
    pub kind: ReportKind,
    pub title: String,
    /// The parameters its form shows (input field names).
    pub params: Vec<String>,
}

fn lang(ctx: &Context<'_>) -> Lang {
    ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN)
}

#[derive(Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// The reports the tenant's kind of business uses, in the user's language.
    async fn report_catalog(&self, ctx: &Context<'_>) -> AppResult<Vec<ReportInfo>> {
        use sea_orm::EntityTrait;
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let kind = platform::entities::tenant::Entity::find_by_id(scope.tenant_id)
            .one(&scope.state.db)
            .await?
            .map_or_else(|| "water".to_owned(), |t| t.business_kind);
        let lang = lang(ctx);
        Ok(ReportKind::ALL
            .iter()
            .filter(|k| k.used_by(&kind))
            .map(|k| ReportInfo {
                kind: *k,
                title: platform::i18n::text(lang, k.title_id()),
                params: k.params().iter().map(|p| (*p).to_owned()).collect(),
            })
            .collect())
    }

    /// The Reports screen's dashboard over the user's reach (see `dashboard`).
    async fn report_dashboard(&self, ctx: &Context<'_>) -> AppResult<Dashboard> {
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let txn = scope.begin().await?;
        let open = metering::readings::current_open(&txn).await?;
        let d = dashboard::dashboard(
            &txn,
            &scope.session.reach,
            lang(ctx),
            open,
            chrono::Utc::now().date_naive(),
        )
        .await?;
        txn.commit().await?;
        Ok(d)
    }

    /// The penalty statement of an account (its real debts and payments) or of debts and
    /// payments typed in, with the tenant's rules unless the input overrides them.
    async fn penalty_statement(
        &self,
        ctx: &Context<'_>,
        input: PenaltyStatementInput,
    ) -> AppResult<PenaltyStatement> {
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let txn = scope.begin().await?;
        let today = chrono::Utc::now().date_naive();
        let s = penalty::statement(&txn, &scope.session.reach, &input, today).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// A page of a report over the accounts within the user's reach.
    async fn report(
        &self,
        ctx: &Context<'_>,
        input: ReportInput,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<ReportTable> {
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let params = catalog::check(&input)?;
        let txn = scope.begin().await?;
        let table = catalog::run(
            &txn,
            &scope.session.reach,
            lang(ctx),
            &params,
            offset,
            limit.min(MAX_PAGE),
            chrono::Utc::now().date_naive(),
        )
        .await?;
        txn.commit().await?;
        Ok(table)
    }
}
