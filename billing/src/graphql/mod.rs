//! Billing through GraphQL (the `invoices` permissions): periods, calculating a period
//! for a scope (a worker job), forming one account's invoice at once, the account's
//! billing table and an invoice's lines with their steps, the closing summary, closing and
//! reopening (`invoices.delete`: they make invoices final or open them for re-forming, so
//! accountants and tenant admins have it, operators not), and the calculation settings
//! (`settings`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Period;
use domain::billing::PenaltyRule;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;

use crate::closing::{self, SummaryRow};
use crate::history::{self, HistoryKind, HistoryRow};
use crate::jobs::calculation::{Calculation, CloseOptions, Closing};
use crate::run::{self, Scope};
use crate::views::{self, InvoiceLineView, InvoiceView};
use access::auth::{self, Action, Document};
use access::jobs::Job;
use access::jobs::queue;
use metering::readings;
use platform::audit::{self, Change};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::stmt;
use platform::sql::{MAX_PAGE, settings_row};
use registry::addresses;
use registry::graphql::subscribers::visible_account;

fn lang(ctx: &Context<'_>) -> Lang {
    ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN)
}

fn parse_period(field: &str, text: &str) -> AppResult<Period> {
    text.trim()
        .parse()
        .map_err(|_| AppError::validation(field, "must look like 2026-11"))
}

#[derive(Debug, Clone, FromQueryResult, SimpleObject)]
pub struct PeriodView {
    /// The first day of the month.
    pub month: NaiveDate,
    /// open or closed.
    pub state: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    pub invoices: i64,
}

/// A page of an account's history, how many operations were found and their sum (the
/// cancelled payments aside).
#[derive(SimpleObject)]
pub struct HistoryPage {
    pub total: i64,
    pub sum: Decimal,
    pub items: Vec<HistoryRow>,
}

#[derive(SimpleObject)]
pub struct ClosingSummary {
    pub period: String,
    /// Per service, then the total (serviceId null).
    pub rows: Vec<SummaryRow>,
    /// Σ opening + charged + recalculation − benefit − subsidy + penalty − paid − closing.
    pub difference: Decimal,
    pub reconciles: bool,
}

#[derive(SimpleObject)]
pub struct Reopened {
    pub months: Vec<String>,
    pub warning: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ScopeKind {
    Tenant,
    Branch,
    Building,
    Account,
    /// The accounts ticked in a list (`accountIds`).
    Accounts,
}

#[derive(InputObject)]
pub struct CalculationInput {
    pub scope: ScopeKind,
    /// The branch, building or account (not for the tenant).
    pub id: Option<i64>,
    /// The ticked accounts, for the scope ACCOUNTS (at most 10,000).
    pub account_ids: Option<Vec<i64>>,
    /// YYYY-MM; the working month when left out.
    pub period: Option<String>,
}

/// The scope a user asked for, checked against their reach.
pub async fn target(
    txn: &sea_orm::DatabaseTransaction,
    scope: &auth::Scope<'_>,
    kind: ScopeKind,
    id: Option<i64>,
    account_ids: Option<Vec<i64>>,
) -> AppResult<Scope> {
    let reach = &scope.session.reach;
    let id =
        |field: &str| id.ok_or_else(|| AppError::validation(field, "is required for this scope"));
    Ok(match kind {
        ScopeKind::Tenant => Scope::Tenant,
        ScopeKind::Branch => {
            let id = i32::try_from(id("id")?)
                .map_err(|_| AppError::validation("id", "there is no such record"))?;
            if !reach.everything() && !reach.branches.contains(&id) {
                return Err(AppError::Forbidden(
                    "the branch is outside your reach".into(),
                ));
            }
            Scope::Branch(id)
        }
        ScopeKind::Building => {
            let id = i32::try_from(id("id")?)
                .map_err(|_| AppError::validation("id", "there is no such record"))?;
            addresses::building(txn, reach, id)
                .await
                .map_err(|_| AppError::validation("id", "there is no such record"))?;
            Scope::Building(id)
        }
        ScopeKind::Account => {
            let id = id("id")?;
            visible_account(txn, scope, id).await?;
            Scope::Account(id)
        }
        ScopeKind::Accounts => ticked(txn, reach, account_ids.unwrap_or_default()).await?,
    })
}

/// The ticked accounts as a scope: at least one, at most [`run::MAX_SELECTION`], each an
/// account the user reaches (one that is not refuses the whole request, the field named).
async fn ticked(
    txn: &sea_orm::DatabaseTransaction,
    reach: &access::auth::Reach,
    ids: Vec<i64>,
) -> AppResult<Scope> {
    let field = "accountIds";
    if ids.is_empty() {
        return Err(AppError::validation(field, "tick at least one account"));
    }
    let ids = run::selection(ids);
    if ids.len() > run::MAX_SELECTION {
        return Err(AppError::validation(
            field,
            "at most 10000 accounts at once; choose their building or branch instead",
        ));
    }
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let within = reach
        .account_condition_of("a")
        .map_or(String::new(), |c| format!(" AND {c}"));
    let found = Count::find_by_statement(stmt(
        &format!("SELECT count(*) AS n FROM accounts a WHERE a.id = ANY($1){within}"),
        vec![ids.clone().into()],
    ))
    .one(txn)
    .await?
    .map_or(0, |c| c.n);
    if usize::try_from(found).unwrap_or(0) != ids.len() {
        return Err(AppError::validation(
            field,
            "names an account that does not exist or is outside your reach",
        ));
    }
    Ok(Scope::Accounts(ids))
}

#[derive(InputObject)]
pub struct CloseInput {
    /// YYYY-MM: the period to close (must be the earliest open one).
    pub period: String,
    #[graphql(default)]
    pub form_missing: bool,
    #[graphql(default)]
    pub reform_all: bool,
    #[graphql(default)]
    pub form_next: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PenaltyRuleKind {
    Off,
    Ukraine,
    Russia,
}

#[derive(SimpleObject, InputObject, FromQueryResult)]
#[graphql(input_name = "BillingSettingsInput")]
pub struct BillingSettings {
    /// Months averaged for a meter without a reading (СМ), 1–12.
    pub average_months: i32,
    pub zero_takes_previous: bool,
    /// living or registered.
    pub residents_basis: String,
    /// off, ukraine or russia.
    pub penalty_rule: String,
    /// Debt is overdue after this day of the next month, 1–31.
    pub due_day: i32,
    /// Charge the penalty in the months of a restructuring agreement too (seed 001 §2);
    /// off, an account under one is charged none.
    pub penalty_under_agreement: bool,
}

#[derive(Default)]
pub struct BillingQuery;

#[Object]
impl BillingQuery {
    /// The tenant's billing periods, newest first, with their invoice counts.
    async fn billing_periods(&self, ctx: &Context<'_>) -> AppResult<Vec<PeriodView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        let rows = PeriodView::find_by_statement(stmt(
            "SELECT p.month, p.state, p.closed_at, p.closed_by, \
                    (SELECT count(*) FROM invoices i WHERE i.period = p.month) AS invoices \
             FROM periods p ORDER BY p.month DESC",
            vec![],
        ))
        .all(&txn)
        .await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// The account's billing table: its invoices, newest first.
    async fn account_invoices(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        #[graphql(default = 24)] limit: u64,
    ) -> AppResult<Vec<InvoiceView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let rows = views::invoices(&txn, account_id, limit.clamp(1, 240)).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// The account's history: its operations over periods `from`–`to` (YYYY-MM, both
    /// optional), newest first — charges, recalculations, benefits, subsidies and
    /// penalties per service, and payments with their document — of the `kinds` asked
    /// (none: all) and one service; each amount signed by its effect on the balance.
    #[allow(clippy::too_many_arguments)]
    async fn account_history(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        from: Option<String>,
        to: Option<String>,
        kinds: Option<Vec<HistoryKind>>,
        service_id: Option<i32>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<HistoryPage> {
        // Who asks comes first: a stranger learns nothing, not even which input is wrong.
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let filter = history::HistoryFilter {
            from,
            to,
            kinds,
            service_id,
        }
        .parse()?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let found = history::page(&txn, account_id, &filter, offset, limit).await?;
        txn.commit().await?;
        Ok(HistoryPage {
            total: found.total,
            sum: found.sum,
            items: found.items,
        })
    }

    /// The lines of the account's invoice of `period` (YYYY-MM), each with its steps.
    async fn invoice_lines(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        period: String,
    ) -> AppResult<Vec<InvoiceLineView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let p = parse_period("period", &period)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let rows = views::lines(&txn, account_id, p.first_day()).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// Totals by service of a period's invoices, and whether they reconcile.
    async fn closing_summary(
        &self,
        ctx: &Context<'_>,
        period: String,
    ) -> AppResult<ClosingSummary> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let p = parse_period("period", &period)?;
        let txn = scope.begin().await?;
        let rows = closing::summary(&txn, &scope.session.reach, p).await?;
        txn.commit().await?;
        let difference = rows
            .iter()
            .find(|r| r.service_id.is_none())
            .map_or(Decimal::ZERO, SummaryRow::difference);
        let by_service = rows
            .iter()
            .filter(|r| r.service_id.is_some())
            .all(|r| r.difference().is_zero());
        Ok(ClosingSummary {
            period: p.to_string(),
            rows,
            reconciles: difference.is_zero() && by_service,
            difference,
        })
    }

    async fn billing_settings(&self, ctx: &Context<'_>) -> AppResult<BillingSettings> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        let s = load_settings(&txn).await?;
        txn.commit().await?;
        Ok(s)
    }
}

async fn load_settings(txn: &sea_orm::DatabaseTransaction) -> AppResult<BillingSettings> {
    settings_row::<BillingSettings>(txn, "billing_settings", "SELECT average_months, zero_takes_previous, residents_basis, penalty_rule, due_day, penalty_under_agreement FROM billing_settings").await
}

#[derive(Default)]
pub struct BillingMutation;

#[Object]
impl BillingMutation {
    /// Queues the calculation of an open period (default: the working month) for the
    /// tenant, a branch, a building, an account or the accounts ticked in a list
    /// (`ACCOUNTS` with `accountIds`); the job's progress and result carry
    /// the accounts done, the invoices formed and the errors.
    async fn calculate_period(&self, ctx: &Context<'_>, input: CalculationInput) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Create)?;
        let txn = scope.begin().await?;
        let period = readings::writable_period(&txn, input.period.as_deref()).await?;
        let reach = &scope.session.reach;
        let target = target(&txn, &scope, input.scope, input.id, input.account_ids).await?;
        txn.commit().await?;
        let actor = scope.actor();
        let spec = Calculation {
            period: period.to_string(),
            scope: target,
            reach: reach.clone(),
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        queue(&scope, spec).await
    }

    /// Simulates the calculation of a period (the working month when left out; a closed
    /// one too) for a scope: nothing is written, the job's result says which invoice
    /// lines would change and by how much (a worker job; the same permission as the
    /// calculation, whose cost it has).
    async fn simulate_period(&self, ctx: &Context<'_>, input: CalculationInput) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Create)?;
        let txn = scope.begin().await?;
        let period = match input.period.as_deref() {
            Some(p) => parse_period("period", p)?,
            None => readings::current_open(&txn).await?,
        };
        let target = target(&txn, &scope, input.scope, input.id, input.account_ids).await?;
        txn.commit().await?;
        let spec = crate::jobs::simulation::SimulationJob {
            period: period.to_string(),
            scope: target,
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
        };
        queue(&scope, spec).await
    }

    /// The interim summary (seed 000 Fig. 21): the open month simulated as it stands now
    /// over every account within reach — nothing written — its lines summed by service in
    /// the job's result (`sums`) and spreadsheet. A report: `reports.view` is enough.
    async fn request_interim_summary(&self, ctx: &Context<'_>) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Reports, Action::View)?;
        let txn = scope.begin().await?;
        let period = readings::current_open(&txn).await?;
        txn.commit().await?;
        let spec = crate::jobs::simulation::SimulationJob {
            period: period.to_string(),
            scope: Scope::Tenant,
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
        };
        queue(&scope, spec).await
    }

    /// Forms (or re-forms) one account's invoice of the working month at once, and
    /// returns its lines.
    async fn form_invoice(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
    ) -> AppResult<Vec<InvoiceLineView>> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Create)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let period = readings::current_open(&txn).await?;
        txn.commit().await?;
        let now = Utc::now();
        let summary = run::calculate(
            &scope.state.db,
            scope.tenant,
            period,
            Scope::Account(account_id),
            &scope.session.reach,
            None,
            now,
            |_, _, _| async { Ok(()) },
        )
        .await?;
        if let Some(e) = summary.errors.first() {
            return Err(AppError::Conflict(i18n::message(lang(ctx), &e.reason)));
        }
        let txn = scope.begin().await?;
        audit::record(
            &txn,
            &scope.actor(),
            now,
            Change {
                entity: "invoice",
                entity_id: format!("{account_id}/{period}"),
                action: "form",
                before: None,
                after: Some(json!({"period": period.to_string()})),
            },
        )
        .await?;
        let lines = views::lines(&txn, account_id, period.first_day()).await?;
        txn.commit().await?;
        Ok(lines)
    }

    /// Queues closing the earliest open period with the chosen options.
    async fn close_period(&self, ctx: &Context<'_>, input: CloseInput) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Delete)?;
        let period = parse_period("period", &input.period)?;
        let txn = scope.begin().await?;
        let open = closing::closable(&txn).await?;
        txn.commit().await?;
        if open != period {
            return Err(AppError::validation(
                "period",
                format!("only the earliest open period ({open}) can be closed"),
            ));
        }
        let actor = scope.actor();
        let spec = Closing {
            period: period.to_string(),
            options: CloseOptions {
                form_missing: input.form_missing,
                reform_all: input.reform_all,
                form_next: input.form_next,
            },
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        queue(&scope, spec).await
    }

    /// Reopens a closed period and every period after it.
    async fn reopen_period(&self, ctx: &Context<'_>, period: String) -> AppResult<Reopened> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::Delete)?;
        let p = parse_period("period", &period)?;
        let txn = scope.begin().await?;
        let months = closing::reopen(&txn, &scope.actor(), Utc::now(), p).await?;
        txn.commit().await?;
        Ok(Reopened {
            months: months.iter().map(Period::to_string).collect(),
            warning: i18n::message(lang(ctx), closing::REOPEN_WARNING),
        })
    }

    async fn update_billing_settings(
        &self,
        ctx: &Context<'_>,
        input: BillingSettings,
    ) -> AppResult<BillingSettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        if !(1..=12).contains(&input.average_months) {
            return Err(AppError::validation(
                "averageMonths",
                "must be from 1 to 12",
            ));
        }
        if !(1..=31).contains(&input.due_day) {
            return Err(AppError::validation("dueDay", "must be from 1 to 31"));
        }
        if !matches!(input.residents_basis.as_str(), "living" | "registered") {
            return Err(AppError::validation(
                "residentsBasis",
                "must be living or registered",
            ));
        }
        if PenaltyRule::parse(&input.penalty_rule).is_none() {
            return Err(AppError::validation(
                "penaltyRule",
                "must be off, ukraine, russia, kazakhstan or bulgaria",
            ));
        }
        let txn = scope.begin().await?;
        let before = load_settings(&txn).await?;
        txn.execute_raw(stmt(
            "UPDATE billing_settings SET average_months = $1, zero_takes_previous = $2, \
             residents_basis = $3, penalty_rule = $4, due_day = $5, penalty_under_agreement = $6",
            vec![
                input.average_months.into(),
                input.zero_takes_previous.into(),
                input.residents_basis.clone().into(),
                input.penalty_rule.clone().into(),
                input.due_day.into(),
                input.penalty_under_agreement.into(),
            ],
        ))
        .await?;
        let after = load_settings(&txn).await?;
        let js = |s: &BillingSettings| {
            json!({"averageMonths": s.average_months, "zeroTakesPrevious": s.zero_takes_previous,
                   "residentsBasis": s.residents_basis, "penaltyRule": s.penalty_rule, "dueDay": s.due_day,
                   "penaltyUnderAgreement": s.penalty_under_agreement})
        };
        audit::settings_changed(
            &txn,
            &scope.actor(),
            Utc::now(),
            "billing_settings",
            "update",
            Some(js(&before)),
            js(&after),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}
