//! Payments through GraphQL (the `payments` permissions; templates and the split rule are
//! `settings`): the search with totals, manual entry and cancelling, batches, bank payment
//! files (upload → worker job, registry, protocol, matching a row by hand) and templates.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, Upload};
use chrono::{NaiveDate, Utc};
use domain::Period;
use domain::payments::Split;
use rust_decimal::Decimal;
use serde_json::json;

use crate::batches::{self, BatchInput, BatchItemInput, BatchItemView, BatchView};
use crate::entry::{self, DueLine, DueView, Kind, NewPayment, PaymentLineView};
use crate::import::{self, FileRowView, FileView};
use crate::jobs::payments_import::PaymentsImport;
use crate::search::{self, PaymentFilter, PaymentSort, PaymentView, Totals};
use crate::settings::{self, PaymentSettings};
use crate::templates::{self, TemplateInput, TemplateView};
use crate::upload::{self, Registration};
use access::auth::{self, Action, Document};
use access::jobs::Job;
use access::uploads;
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;
use platform::idempotency::{self, Claim};
use platform::sql::MAX_PAGE;
use registry::graphql::subscribers::visible_account;

fn lang(ctx: &Context<'_>) -> Lang {
    ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN)
}

fn period(field: &str, text: Option<&str>) -> AppResult<Option<Period>> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse()
                .map_err(|_| AppError::validation(field, "must look like 2026-11"))
        })
        .transpose()
}

fn money(field: &str, text: &str) -> AppResult<Decimal> {
    crate::file::parse_amount(text)
        .ok_or_else(|| AppError::validation(field, "must be a number such as 1234.56"))
}

#[derive(SimpleObject)]
pub struct PaymentPage {
    pub totals: Totals,
    pub rows: Vec<PaymentView>,
}

#[derive(SimpleObject)]
pub struct PaymentRules {
    /// The open period (YYYY-MM): receipts are booked in it.
    pub open_period: String,
    /// The charge period a payment pays by default (the previous one).
    pub default_charge_period: String,
    /// With penalty accounting on only the previous period may be paid.
    pub penalty_on: bool,
    /// proportional or priority.
    pub split: String,
}

/// The account typed into a payment, its invoice of the paid period and that invoice's
/// services (the fields of a split by hand).
#[derive(SimpleObject)]
pub struct PaymentDue {
    #[graphql(flatten)]
    pub due: DueView,
    /// The invoice's amount less what is already paid for the period (never below zero);
    /// None: no invoice.
    pub to_pay: Option<Decimal>,
    pub lines: Vec<DueLine>,
}

#[derive(SimpleObject)]
pub struct BatchCard {
    pub batch: BatchView,
    pub items: Vec<BatchItemView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum SplitMode {
    /// The tenant's rule.
    Default,
    Proportional,
    Priority,
    Manual,
}

#[derive(Debug, Clone, InputObject)]
pub struct PaymentLineInput {
    pub service_id: i32,
    pub amount: String,
}

#[derive(Debug, Clone, InputObject)]
pub struct PaymentInput {
    pub account_id: i64,
    /// YYYY-MM; default: the period before the open one.
    pub charge_period: Option<String>,
    /// Text: 1234.56 or 1234,56.
    pub amount: String,
    pub kind: Kind,
    pub bank_id: Option<i32>,
    /// The bank statement's (or cash order's) number.
    pub statement: Option<String>,
    pub paid_on: NaiveDate,
    pub received_on: NaiveDate,
    #[graphql(default_with = "SplitMode::Default")]
    pub split: SplitMode,
    /// For a manual split: the amount per service (they must add up to the total).
    #[graphql(default)]
    pub lines: Vec<PaymentLineInput>,
    /// Made by the client for this payment: sent again (a double click, a retry), the
    /// first payment is returned and nothing is written twice.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct PaymentCreated {
    pub payment: PaymentView,
    pub lines: Vec<PaymentLineView>,
}

/// The id a repeated request's first answer recorded.
fn stored_id(result: &serde_json::Value, name: &str) -> AppResult<i64> {
    result[name]
        .as_i64()
        .ok_or_else(|| AppError::Internal(format!("idempotency result without {name}")))
}

async fn one_payment(
    txn: &sea_orm::DatabaseTransaction,
    reach: &auth::Reach,
    id: i64,
) -> AppResult<PaymentView> {
    let f = PaymentFilter {
        with_cancelled: true,
        ..PaymentFilter::default()
    };
    search::list_one(txn, reach, &f, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("payment {id} does not exist")))
}

#[derive(Default)]
pub struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// Payments found by subscriber, source, bank and booking periods, with the totals
    /// of everything found (cancelled ones listed on request, never summed).
    async fn payments(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: PaymentFilter,
        #[graphql(default_with = "PaymentSort::ReceivedDesc")] sort: PaymentSort,
        #[graphql(default)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<PaymentPage> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let (totals, rows) = search::list(
            &txn,
            &scope.session.reach,
            &filter,
            sort,
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(PaymentPage { totals, rows })
    }

    /// A payment's parts per service.
    async fn payment_lines(&self, ctx: &Context<'_>, id: i64) -> AppResult<Vec<PaymentLineView>> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        one_payment(&txn, &scope.session.reach, id).await?;
        let l = entry::lines(&txn, id).await?;
        txn.commit().await?;
        Ok(l)
    }

    /// The open period, the default charge period and the split rule.
    async fn payment_rules(&self, ctx: &Context<'_>) -> AppResult<PaymentRules> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let (rules, split) = entry::rules(&txn).await?;
        txn.commit().await?;
        Ok(PaymentRules {
            open_period: rules.open.to_string(),
            default_charge_period: rules.open.prev().to_string(),
            penalty_on: rules.penalty_on,
            split: split.code().to_owned(),
        })
    }

    /// The account typed into a payment and its invoice of the paid period.
    async fn payment_due(
        &self,
        ctx: &Context<'_>,
        account_number: String,
        charge_period: Option<String>,
    ) -> AppResult<PaymentDue> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let (rules, _) = entry::rules(&txn).await?;
        let mut charge = period("chargePeriod", charge_period.as_deref())?;
        // With penalty accounting only the previous period may be paid: that is the default.
        if rules.penalty_on && charge.is_none() {
            charge = Some(rules.open.prev());
        }
        let d = entry::due_view(
            &txn,
            &scope.session.reach,
            &account_number,
            charge,
            rules.open,
            rules.open.prev(),
        )
        .await?;
        let lines = entry::due_lines(&txn, d.account_id, d.charge_period).await?;
        txn.commit().await?;
        // What is left to pay of that invoice: the form's amount by default.
        let to_pay = d.due.map(|due| (due - d.paid).max(Decimal::ZERO));
        Ok(PaymentDue {
            due: d,
            to_pay,
            lines,
        })
    }

    /// Batches, newest first (state: draft, posted or cancelled).
    async fn payment_batches(
        &self,
        ctx: &Context<'_>,
        state: Option<String>,
        #[graphql(default)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<Vec<BatchView>> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let l = batches::list(
            &txn,
            &scope.session.reach,
            state.as_deref(),
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(l)
    }

    async fn payment_batch(&self, ctx: &Context<'_>, id: i64) -> AppResult<BatchCard> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        batches::check_reach(&txn, &scope.session.reach, id).await?;
        let batch = batches::by_id(&txn, id).await?;
        let items = batches::items(&txn, id).await?;
        txn.commit().await?;
        Ok(BatchCard { batch, items })
    }

    async fn payment_templates(&self, ctx: &Context<'_>) -> AppResult<Vec<TemplateView>> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let l = templates::list(&txn).await?;
        txn.commit().await?;
        Ok(l)
    }

    /// The registry of loaded bank files (optionally of one receipt month), newest first.
    async fn payment_files(
        &self,
        ctx: &Context<'_>,
        month: Option<String>,
        #[graphql(default)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<Vec<FileView>> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let month = period("month", month.as_deref())?;
        let txn = scope.begin().await?;
        let l = import::files(
            &txn,
            &scope.session.reach,
            &scope.session.login,
            month,
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(l)
    }

    async fn payment_file(&self, ctx: &Context<'_>, id: i64) -> AppResult<FileView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let mut f = import::seen_file(&txn, &scope.session.reach, &scope.session.login, id).await?;
        txn.commit().await?;
        f.message = f.message.map(|m| import::reason_text(lang(ctx), &m));
        Ok(f)
    }

    /// A file's protocol: each row and its fate, reasons in the reader's language.
    async fn payment_file_rows(
        &self,
        ctx: &Context<'_>,
        file_id: i64,
        #[graphql(default)] refused_only: bool,
        #[graphql(default)] offset: u64,
        #[graphql(default = 100)] limit: u64,
    ) -> AppResult<Vec<FileRowView>> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let l = import::rows(
            &txn,
            &scope.session.reach,
            file_id,
            refused_only,
            lang(ctx),
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(l)
    }

    /// The split rule and the services' priority order.
    async fn payment_settings(&self, ctx: &Context<'_>) -> AppResult<PaymentSettings> {
        let scope = auth::authorize(ctx, Document::Payments, Action::View)?;
        let txn = scope.begin().await?;
        let s = settings::load(&txn).await?;
        txn.commit().await?;
        Ok(s)
    }
}

#[derive(Default)]
pub struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// Enters a payment for an account: split over the paid invoice's services by the
    /// tenant's rule, by priority, or by hand.
    async fn create_payment(
        &self,
        ctx: &Context<'_>,
        input: PaymentInput,
    ) -> AppResult<PaymentCreated> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Create)?;
        let amount = money("amount", &input.amount)?;
        let split = match input.split {
            SplitMode::Default => None,
            SplitMode::Proportional => Some(Split::Proportional),
            SplitMode::Priority => Some(Split::Priority),
            SplitMode::Manual => {
                let mut parts = Vec::with_capacity(input.lines.len());
                for (i, l) in input.lines.iter().enumerate() {
                    parts.push((
                        l.service_id,
                        money(&format!("lines[{i}].amount"), &l.amount)?,
                    ));
                }
                if parts.is_empty() {
                    return Err(AppError::validation(
                        "lines",
                        "a manual split needs the amount per service",
                    ));
                }
                Some(Split::Manual(parts))
            }
        };
        let key = input
            .idempotency_key
            .as_deref()
            .map(idempotency::parse)
            .transpose()?;
        let actor = scope.actor();
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, input.account_id).await?;
        if let Some(k) = &key {
            let print = idempotency::fingerprint(&input);
            let claim =
                idempotency::claim(&txn, &actor.login, "createPayment", k, &print, Utc::now())
                    .await?;
            if let Claim::Done(r) = claim {
                let id = stored_id(&r, "paymentId")?;
                let payment = one_payment(&txn, &scope.session.reach, id).await?;
                let lines = entry::lines(&txn, id).await?;
                txn.commit().await?;
                return Ok(PaymentCreated { payment, lines });
            }
        }
        let (rules, tenant_split) = entry::rules(&txn).await?;
        let charge =
            period("chargePeriod", input.charge_period.as_deref())?.unwrap_or(rules.open.prev());
        let statement = platform::sql::optional_text(input.statement.as_deref(), "statement", 40)?;
        let id = entry::write(
            &txn,
            &actor,
            Utc::now(),
            (rules, &tenant_split),
            NewPayment {
                account_id: input.account_id,
                charge_period: charge,
                amount,
                kind: input.kind,
                bank_id: input.bank_id,
                statement,
                paid_on: input.paid_on,
                received_on: input.received_on,
                split,
                batch_id: None,
                file: None,
                source_key: None,
            },
        )
        .await?;
        if let Some(k) = &key {
            idempotency::record(&txn, &actor.login, k, json!({ "paymentId": id })).await?;
        }
        let payment = one_payment(&txn, &scope.session.reach, id).await?;
        let lines = entry::lines(&txn, id).await?;
        txn.commit().await?;
        Ok(PaymentCreated { payment, lines })
    }

    /// Cancels a payment of the open period.
    async fn cancel_payment(&self, ctx: &Context<'_>, id: i64) -> AppResult<PaymentView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Delete)?;
        let txn = scope.begin().await?;
        one_payment(&txn, &scope.session.reach, id).await?;
        entry::cancel(&txn, &scope.actor(), Utc::now(), id).await?;
        let p = one_payment(&txn, &scope.session.reach, id).await?;
        txn.commit().await?;
        Ok(p)
    }

    async fn create_payment_batch(
        &self,
        ctx: &Context<'_>,
        input: BatchInput,
    ) -> AppResult<BatchView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Create)?;
        let txn = scope.begin().await?;
        let id = batches::create(&txn, &scope.actor(), Utc::now(), &input).await?;
        let b = batches::by_id(&txn, id).await?;
        txn.commit().await?;
        Ok(b)
    }

    /// Replaces the rows of a draft batch (each checked now; the field names its row).
    async fn set_payment_batch_items(
        &self,
        ctx: &Context<'_>,
        id: i64,
        items: Vec<BatchItemInput>,
    ) -> AppResult<BatchCard> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Update)?;
        let txn = scope.begin().await?;
        batches::check_reach(&txn, &scope.session.reach, id).await?;
        batches::set_items(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            id,
            &items,
        )
        .await?;
        let batch = batches::by_id(&txn, id).await?;
        let items = batches::items(&txn, id).await?;
        txn.commit().await?;
        Ok(BatchCard { batch, items })
    }

    /// Posts a draft batch whose rows match its control count and sum.
    async fn post_payment_batch(
        &self,
        ctx: &Context<'_>,
        id: i64,
        idempotency_key: Option<String>,
    ) -> AppResult<BatchView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Update)?;
        let key = idempotency_key
            .as_deref()
            .map(idempotency::parse)
            .transpose()?;
        let actor = scope.actor();
        let txn = scope.begin().await?;
        batches::check_reach(&txn, &scope.session.reach, id).await?;
        let fresh = match &key {
            Some(k) => {
                let print = idempotency::fingerprint(&id);
                idempotency::claim(
                    &txn,
                    &actor.login,
                    "postPaymentBatch",
                    k,
                    &print,
                    Utc::now(),
                )
                .await?
                    == Claim::Fresh
            }
            None => true,
        };
        if fresh {
            batches::post(&txn, &actor, Utc::now(), id).await?;
            if let Some(k) = &key {
                idempotency::record(&txn, &actor.login, k, json!({ "batchId": id })).await?;
            }
        }
        let b = batches::by_id(&txn, id).await?;
        txn.commit().await?;
        Ok(b)
    }

    /// Cancels a batch and its payments (open period only).
    async fn cancel_payment_batch(&self, ctx: &Context<'_>, id: i64) -> AppResult<BatchView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Delete)?;
        let txn = scope.begin().await?;
        batches::check_reach(&txn, &scope.session.reach, id).await?;
        batches::cancel(&txn, &scope.actor(), Utc::now(), id).await?;
        let b = batches::by_id(&txn, id).await?;
        txn.commit().await?;
        Ok(b)
    }

    /// Deletes a cancelled batch.
    async fn delete_payment_batch(&self, ctx: &Context<'_>, id: i64) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Delete)?;
        let txn = scope.begin().await?;
        batches::check_reach(&txn, &scope.session.reach, id).await?;
        batches::delete(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Uploads a bank payment file laid out by `templateId`; a worker job parses and
    /// posts it (`receivedOn`: the receipt date in the open period; `chargePeriod`:
    /// default the previous period). The same file twice is refused.
    #[allow(clippy::too_many_arguments)]
    async fn upload_payment_file(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        template_id: i32,
        bank_id: Option<i32>,
        received_on: NaiveDate,
        charge_period: Option<String>,
    ) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Create)?;
        let received = uploads::receive(ctx, file)?;
        let charge_period = period("chargePeriod", charge_period.as_deref())?;
        let mut r = Registration {
            file_name: received.name.clone(),
            sha256: received.sha256.clone(),
            object_key: String::new(),
            size: i64::try_from(received.bytes.len()).unwrap_or(i64::MAX),
            template_id,
            bank_id,
            received_on,
            charge_period,
        };
        // Checked before the bytes are stored, so a refused file leaves nothing behind.
        let txn = scope.begin().await?;
        upload::register(&txn, &scope.actor(), Utc::now(), &r).await?;
        txn.rollback().await?;
        r.object_key = uploads::stash(&scope, received).await?;
        let txn = scope.begin().await?;
        let (file_id, _) = upload::register(&txn, &scope.actor(), Utc::now(), &r).await?;
        let actor = scope.actor();
        let spec = PaymentsImport {
            file_id,
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        let (row, msg) = access::jobs::record_in(&scope, &txn, &spec).await?;
        upload::attach_job(&txn, file_id, row.id).await?;
        txn.commit().await?;
        access::jobs::push(&scope, row, msg).await
    }

    /// Pays a refused row of a file to an account found by hand.
    async fn match_payment_file_row(
        &self,
        ctx: &Context<'_>,
        file_id: i64,
        line: i32,
        account_id: i64,
        idempotency_key: Option<String>,
    ) -> AppResult<PaymentView> {
        let scope = auth::authorize(ctx, Document::Payments, Action::Create)?;
        let key = idempotency_key
            .as_deref()
            .map(idempotency::parse)
            .transpose()?;
        let actor = scope.actor();
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        if let Some(k) = &key {
            let print = idempotency::fingerprint(&(file_id, line, account_id));
            let claim = idempotency::claim(
                &txn,
                &actor.login,
                "matchPaymentFileRow",
                k,
                &print,
                Utc::now(),
            )
            .await?;
            if let Claim::Done(r) = claim {
                let p =
                    one_payment(&txn, &scope.session.reach, stored_id(&r, "paymentId")?).await?;
                txn.commit().await?;
                return Ok(p);
            }
        }
        let f = import::file(&txn, file_id).await?;
        let t = templates::by_id(&txn, f.template_id).await?;
        let id = import::match_row(
            &txn,
            &scope.actor(),
            Utc::now(),
            file_id,
            line,
            account_id,
            &t.date_format,
        )
        .await?;
        if let Some(k) = &key {
            idempotency::record(&txn, &actor.login, k, json!({ "paymentId": id })).await?;
        }
        let p = one_payment(&txn, &scope.session.reach, id).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// Creates (no id) or edits a bank file template.
    async fn save_payment_template(
        &self,
        ctx: &Context<'_>,
        id: Option<i32>,
        input: TemplateInput,
    ) -> AppResult<TemplateView> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let id = templates::save(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let t = templates::by_id(&txn, id).await?;
        txn.commit().await?;
        Ok(t)
    }

    /// The split rule (proportional or priority) and the services' order (first paid first).
    async fn update_payment_settings(
        &self,
        ctx: &Context<'_>,
        split: String,
        order: Vec<i32>,
    ) -> AppResult<PaymentSettings> {
        let scope = auth::authorize(ctx, Document::Settings, Action::Update)?;
        let txn = scope.begin().await?;
        let s = settings::save(&txn, &scope.actor(), Utc::now(), &split, &order).await?;
        txn.commit().await?;
        Ok(s)
    }
}
