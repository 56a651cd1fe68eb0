//! Claim letters of debt collection (досудебная претензия / попередження про
//! заборгованість): the tenant's template (a title, a body with placeholders, the days
//! given to pay), which debtors a run writes to — the debtors report's accounts for its
//! month, branch, building and least debt, or the ones the user ticked — and each letter's
//! text from the debtor's figures. Sending and printing are the worker's job
//! (`backend/src/jobs/claim_letters.rs`); every letter formed records the account's
//! "notice sent".

use async_graphql::{Context, Object};
use chrono::{Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use serde::{Deserialize, Serialize};

use crate::catalog::{self, Params, ReportInput, ReportKind};
use crate::debtors;
use access::auth::{self, Action, Document, Reach};
use domain::claim_letter::{self, PLACEHOLDERS, TemplateError};
use l10n::Lang;
use platform::audit;
use platform::error::{AppError, AppResult};
use platform::sql::{settings_row, stmt};

/// The longest title and body a template may have.
const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 5_000;
/// The most accounts a run may name one by one (a page of ticks; all debtors need none).
pub const MAX_ACCOUNTS: usize = 1_000;

/// The template as the settings screen edits it; empty texts are the built-in ones.
#[derive(
    Debug, Clone, PartialEq, async_graphql::SimpleObject, FromQueryResult, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ClaimTemplate {
    pub title: String,
    pub body: String,
    pub deadline_days: i16,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ClaimTemplateInput {
    /// Empty: the built-in title in the tenant's language.
    #[graphql(default)]
    pub title: String,
    /// Empty: the built-in text; placeholders `{holder}`, `{debt}`, `{deadline}`…
    #[graphql(default)]
    pub body: String,
    pub deadline_days: i32,
}

/// The template with the built-in texts filled in where the tenant's are empty.
#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject)]
pub struct ClaimTemplateView {
    pub saved: ClaimTemplate,
    /// What the letters use (the saved texts, or the built-in ones in the tenant's
    /// language).
    pub title: String,
    pub body: String,
    /// The placeholders a body may use.
    pub placeholders: Vec<String>,
}

pub async fn template(txn: &DatabaseTransaction) -> AppResult<ClaimTemplate> {
    settings_row::<ClaimTemplate>(
        txn,
        "claim_templates",
        "SELECT title, body, deadline_days FROM claim_templates",
    )
    .await
}

/// The title and body the letters use: the tenant's, or the built-in ones in `lang`.
pub fn texts(t: &ClaimTemplate, lang: Lang) -> (String, String) {
    let or = |own: &str, id: &str| {
        if own.trim().is_empty() {
            platform::i18n::text(lang, id)
        } else {
            own.to_owned()
        }
    };
    (
        or(&t.title, "claim-default-title"),
        or(&t.body, "claim-default-body"),
    )
}

fn refused(field: &str, e: TemplateError) -> AppError {
    match e {
        TemplateError::Unknown(name) => AppError::validation(
            field,
            format!("has an unknown placeholder {{{name}}}; use one of the list"),
        ),
        TemplateError::Unclosed => AppError::validation(
            field,
            "has a brace that is not closed (two braces write one)",
        ),
    }
}

pub async fn save_template(
    txn: &DatabaseTransaction,
    actor: &audit::Actor,
    input: &ClaimTemplateInput,
) -> AppResult<ClaimTemplate> {
    let title = input.title.trim().to_owned();
    let body = input.body.trim().to_owned();
    if title.chars().count() > TITLE_MAX {
        return Err(AppError::validation(
            "title",
            format!("must be at most {TITLE_MAX} characters"),
        ));
    }
    if body.chars().count() > BODY_MAX {
        return Err(AppError::validation(
            "body",
            format!("must be at most {BODY_MAX} characters"),
        ));
    }
    claim_letter::check(&title).map_err(|e| refused("title", e))?;
    claim_letter::check(&body).map_err(|e| refused("body", e))?;
    if !(1..=90).contains(&input.deadline_days) {
        return Err(AppError::validation(
            "deadlineDays",
            "must be between 1 and 90",
        ));
    }
    let before = template(txn).await?;
    let after = ClaimTemplate {
        title,
        body,
        deadline_days: i16::try_from(input.deadline_days).unwrap_or(10),
    };
    txn.execute_raw(stmt(
        "UPDATE claim_templates SET title = $1, body = $2, deadline_days = $3",
        vec![
            after.title.clone().into(),
            after.body.clone().into(),
            after.deadline_days.into(),
        ],
    ))
    .await?;
    audit::settings_changed(
        txn,
        actor,
        Utc::now(),
        "claim_template",
        "update",
        Some(serde_json::json!(before)),
        serde_json::json!(after),
    )
    .await?;
    Ok(after)
}

/// What a run is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, Serialize, Deserialize)]
pub enum ClaimDelivery {
    /// Every letter into one PDF to print and post.
    Print,
    /// By e-mail to the subscriber's address; those without one into the PDF to print.
    Mail,
}

#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ClaimLettersInput {
    /// The debtors report's month (`YYYY-MM`), branch, building and least debt.
    pub period: String,
    pub branch_id: Option<i32>,
    pub building_id: Option<i32>,
    pub min_debt: Option<String>,
    /// Account numbers ticked in the report; none: every debtor of the report.
    pub accounts: Option<Vec<String>>,
    pub delivery: ClaimDelivery,
}

/// A run of claim letters as its job keeps it: the debtors' selection checked, the
/// requester's reach and the tenant's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLetters {
    pub report: ReportInput,
    pub accounts: Option<Vec<String>>,
    pub delivery: ClaimDelivery,
    #[serde(default)]
    pub reach: Reach,
    /// Who asked: the notices are recorded in their name.
    pub user_id: Option<uuid::Uuid>,
    pub login: String,
}

impl platform::jobs::rows::JobParams for ClaimLetters {
    fn kind(&self) -> &'static str {
        "claim_letters"
    }
}

impl ClaimLetters {
    /// The input checked (the report's parameters as the debtors report checks them).
    pub fn of(input: ClaimLettersInput, reach: Reach, actor: audit::Actor) -> AppResult<Self> {
        let report = ReportInput {
            kind: ReportKind::Debtors,
            period: Some(input.period),
            from: None,
            to: None,
            branch_id: input.branch_id,
            building_id: input.building_id,
            min_debt: input.min_debt,
            controller_id: None,
        };
        catalog::check(&report)?;
        let accounts = match input.accounts {
            Some(list) if list.is_empty() => {
                return Err(AppError::validation("accounts", "tick at least one debtor"));
            }
            Some(list) if list.len() > MAX_ACCOUNTS => {
                return Err(AppError::validation(
                    "accounts",
                    format!("must be at most {MAX_ACCOUNTS}; leave them out for every debtor"),
                ));
            }
            other => other,
        };
        Ok(Self {
            report,
            accounts,
            delivery: input.delivery,
            reach,
            user_id: actor.user_id,
            login: actor.login,
        })
    }

    pub fn actor(&self) -> audit::Actor {
        audit::Actor {
            user_id: self.user_id,
            login: self.login.clone(),
        }
    }

    pub fn params(&self) -> AppResult<Params> {
        catalog::check(&self.report)
    }
}

/// One debtor a letter goes to.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Debtor {
    pub account_id: i64,
    pub number: String,
    pub holder_name: String,
    pub address: String,
    pub email: String,
    pub debt: Decimal,
    pub penalty: Decimal,
    pub m0: Decimal,
    pub m1: Decimal,
    pub m2: Decimal,
    pub m3: Decimal,
    pub m6: Decimal,
    pub m12: Decimal,
}

/// The run's debtors, largest debt first: the report's rows, narrowed to the ticked
/// account numbers when it names them.
pub async fn debtors(txn: &DatabaseTransaction, run: &ClaimLetters) -> AppResult<Vec<Debtor>> {
    let p = run.params()?;
    let period = p
        .period
        .ok_or_else(|| AppError::validation("period", "is required"))?;
    let all = debtors::debtors_sql(&catalog::accounts_where(&run.reach, &p, "a"));
    let narrowed = if run.accounts.is_some() {
        " WHERE t.number = ANY($3)"
    } else {
        ""
    };
    let mut values = vec![period.first_day().into(), p.min_debt.into()];
    if let Some(list) = &run.accounts {
        values.push(list.clone().into());
    }
    Ok(Debtor::find_by_statement(stmt(
        &format!(
            "SELECT t.*, a.id AS account_id, coalesce(trim(s.email), '') AS email FROM ({all}) t \
             JOIN accounts a ON a.number = t.number \
             LEFT JOIN subscribers s ON s.id = a.subscriber_id{narrowed} \
             ORDER BY t.debt DESC, t.number"
        ),
        values,
    ))
    .all(txn)
    .await?)
}

/// The tenant's name and the day a letter is formed on, for its text.
pub struct Sender<'a> {
    pub tenant: &'a str,
    pub currency: &'a str,
    pub today: NaiveDate,
}

/// A debtor's letter as text: the title and body from the template, and its figures
/// (label, amount: the debt by age, the penalty, the total) in the tenant's language.
pub struct LetterText {
    pub title: String,
    pub body: String,
    pub figures: Vec<(String, String)>,
}

/// A debtor's letter in `lang`.
pub fn letter(
    t: &ClaimTemplate,
    lang: Lang,
    sender: &Sender<'_>,
    period: &str,
    d: &Debtor,
) -> AppResult<LetterText> {
    let (title, body) = texts(t, lang);
    let money = |v: Decimal| crate::table::money(v);
    let deadline = sender.today + Duration::days(i64::from(t.deadline_days));
    let value = |name: &str| match name {
        "tenant" => sender.tenant.to_owned(),
        "date" => sender.today.format("%d.%m.%Y").to_string(),
        "number" => d.number.clone(),
        "holder" => d.holder_name.clone(),
        "address" => d.address.clone(),
        "period" => period.to_owned(),
        "debt" => money(d.debt),
        "penalty" => money(d.penalty),
        "total" => money(d.debt),
        "currency" => sender.currency.to_owned(),
        "deadline" => deadline.format("%d.%m.%Y").to_string(),
        _ => String::new(),
    };
    // A stored template was checked when saved; a broken one is an internal error.
    let filled = |text: &str| {
        claim_letter::fill(text, value)
            .map_err(|e| AppError::Internal(format!("claim template: {e}")))
    };
    let tx = |id: &str| platform::i18n::text(lang, id);
    let figures = [
        ("report-col-age-current", d.m0),
        ("report-col-age-1", d.m1),
        ("report-col-age-2", d.m2),
        ("report-col-age-3-5", d.m3),
        ("report-col-age-6-11", d.m6),
        ("report-col-age-12", d.m12),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_zero())
    .map(|(id, v)| (tx(id), money(v)))
    .chain([
        (tx("claim-of-which-penalty"), money(d.penalty)),
        (
            format!("{}, {}", tx("claim-total-debt"), sender.currency),
            money(d.debt),
        ),
    ])
    .collect();
    Ok(LetterText {
        title: filled(&title)?,
        body: filled(&body)?,
        figures,
    })
}

#[derive(Default)]
pub struct ClaimsQuery;

#[Object]
impl ClaimsQuery {
    /// The claim letters' template (the built-in texts where the tenant has none).
    async fn claim_template(&self, ctx: &Context<'_>) -> AppResult<ClaimTemplateView> {
        let scope = auth::authorize(ctx, Document::Invoices, Action::View)?;
        let txn = scope.begin().await?;
        let saved = template(&txn).await?;
        txn.commit().await?;
        let lang = tenant_lang(scope.state, scope.tenant).await?;
        let (title, body) = texts(&saved, lang);
        Ok(ClaimTemplateView {
            saved,
            title,
            body,
            placeholders: PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect(),
        })
    }
}

#[derive(Default)]
pub struct ClaimsMutation;

#[Object]
impl ClaimsMutation {
    /// Queues claim letters to the debtors report's debtors (or the ones ticked): each
    /// mailed as a PDF to the subscriber, or stacked into one PDF to print; each records
    /// the account's "notice sent". Collecting debts is the accountants' work
    /// (`invoices.update`), choosing debtors a report's (`reports.view`).
    async fn request_claim_letters(
        &self,
        ctx: &Context<'_>,
        input: ClaimLettersInput,
    ) -> AppResult<access::jobs::Job> {
        auth::authorize(ctx, Document::Reports, Action::View)?;
        let scope = auth::authorize(ctx, Document::Invoices, Action::Update)?;
        let run = ClaimLetters::of(input, scope.session.reach.clone(), scope.actor())?;
        access::jobs::queue(&scope, run).await
    }

    /// Saves the claim letters' template (empty texts: the built-in ones).
    async fn save_claim_template(
        &self,
        ctx: &Context<'_>,
        input: ClaimTemplateInput,
    ) -> AppResult<ClaimTemplate> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let t = save_template(&txn, &scope.actor(), &input).await?;
        txn.commit().await?;
        Ok(t)
    }
}

/// The tenant's language: the letters are in it, whoever forms them.
pub async fn tenant_lang(
    state: &platform::state::AppState,
    tenant: &domain::TenantSlug,
) -> AppResult<Lang> {
    let t = platform::tenants::find(&state.db, tenant).await?;
    Ok(Lang::from_code(&t.locale).unwrap_or(Lang::UK))
}
