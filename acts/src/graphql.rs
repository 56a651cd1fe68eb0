//! Acts through GraphQL (the `acts` permissions: view the register, create, update —
//! approving is an update — and delete drafts). Every act names an account, a building or
//! a branch within the user's reach, or every account (the whole tenant's reach); an act
//! over a branch or every account is computed by a worker job queued with it.

use async_graphql::{Context, Object, SimpleObject};
use chrono::Utc;

use crate::data_update::{ActHouseReading, ActSubsidy};
use crate::jobs::ActLinesJob;
use crate::model::{Act, ActKind, ActLine, ActMonth, ActStatus, HouseMeter};
use crate::payments::{self, ActPayment};
use crate::register::{self, ActFilter};
use crate::store::{self, ActInput};
use access::auth::{self, Action, Document, Scope};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;
use registry::graphql::subscribers::visible_account;

#[derive(SimpleObject)]
pub struct ActPage {
    pub total: i64,
    pub items: Vec<Act>,
}

/// The act, when it exists and its account is within the user's reach (NOT_FOUND else).
async fn visible_act(
    txn: &sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    id: i64,
) -> AppResult<Act> {
    let act = store::by_id(txn, id).await?;
    within(txn, scope, &Wide::of_act(&act))
        .await
        .map_err(|_| AppError::NotFound(format!("record {id} does not exist")))?;
    Ok(act)
}

/// What an act reaches: an account, a building, a branch or every account.
struct Wide {
    account: Option<i64>,
    building: Option<i32>,
    branch: Option<i32>,
    all: bool,
}

impl Wide {
    fn of_act(a: &Act) -> Self {
        Self {
            account: a.account_id,
            building: a.building_id,
            branch: a.branch_id,
            all: a.all_accounts,
        }
    }

    fn of_input(i: &ActInput) -> Self {
        Self {
            account: i.account_id,
            building: i.building_id,
            branch: i.branch_id,
            all: i.all_accounts,
        }
    }
}

/// The consumers an act names must be accounts within the user's reach (refused by field
/// otherwise: one out of reach reads as one that is not there).
async fn consumers_within(
    txn: &sea_orm::DatabaseTransaction,
    scope: &Scope<'_>,
    input: &ActInput,
) -> AppResult<()> {
    for (field, consumer) in [
        ("consumer1AccountId", input.consumer1_account_id),
        ("consumer2AccountId", input.consumer2_account_id),
    ] {
        if let Some(c) = consumer {
            visible_account(txn, scope, c)
                .await
                .map_err(|_| AppError::validation(field, "there is no such record"))?;
        }
    }
    Ok(())
}

/// The act's account, building or branch must be within the user's reach; an act over
/// every account needs the whole tenant.
async fn within(txn: &sea_orm::DatabaseTransaction, scope: &Scope<'_>, w: &Wide) -> AppResult<()> {
    if let Some(a) = w.account {
        visible_account(txn, scope, a).await?;
    }
    if let Some(b) = w.building {
        registry::addresses::building(txn, &scope.session.reach, b).await?;
    }
    let reach = &scope.session.reach;
    let branch_ok = w
        .branch
        .is_none_or(|b| reach.everything() || reach.branches.contains(&b));
    if !branch_ok || (w.all && !reach.everything()) {
        return Err(AppError::Forbidden(
            "the act reaches accounts outside your branches and buildings".into(),
        ));
    }
    Ok(())
}

/// An act over a branch or every account is computed by a job, recorded with the act.
async fn queue_lines(
    scope: &Scope<'_>,
    txn: sea_orm::DatabaseTransaction,
    act: Act,
) -> AppResult<Act> {
    if !act.computing {
        txn.commit().await?;
        return Ok(act);
    }
    let spec = ActLinesJob { act_id: act.id };
    let (row, msg) = access::jobs::record_in(scope, &txn, &spec).await?;
    store::computed_by(&txn, act.id, row.id).await?;
    let act = store::by_id(&txn, act.id).await?;
    txn.commit().await?;
    access::jobs::push(scope, row, msg).await?;
    Ok(act)
}

#[derive(Default)]
pub struct ActsQuery;

#[Object]
impl ActsQuery {
    /// The register of acts, newest first.
    async fn acts(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActFilter>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<ActPage> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        let filter = filter.unwrap_or_default();
        let page = register::page(
            &txn,
            &scope.session.reach,
            &filter,
            offset,
            limit.min(MAX_PAGE),
        )
        .await?;
        txn.commit().await?;
        Ok(ActPage {
            total: page.total,
            items: page.items,
        })
    }

    async fn act(&self, ctx: &Context<'_>, id: i64) -> AppResult<Act> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        let act = visible_act(&txn, &scope, id).await?;
        txn.commit().await?;
        Ok(act)
    }

    /// What the act books per account and service, with the steps of each amount (the
    /// form's Results tab).
    async fn act_lines(&self, ctx: &Context<'_>, id: i64) -> AppResult<Vec<ActLine>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        let lines = store::lines_of(&txn, id).await?;
        txn.commit().await?;
        Ok(lines)
    }

    /// The closed months the act recomputed per account and service, each with the issued
    /// invoice it corrects (the form's Specification tab).
    async fn act_months(&self, ctx: &Context<'_>, id: i64) -> AppResult<Vec<ActMonth>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        let months = store::months_of(&txn, id).await?;
        txn.commit().await?;
        Ok(months)
    }

    /// A data-update act's house-meter top-ups as entered.
    async fn act_house_readings(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> AppResult<Vec<ActHouseReading>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        let tops = store::house_readings_of(&txn, id).await?;
        txn.commit().await?;
        Ok(tops)
    }

    /// The house meters of a building within reach (a data update's top-up chooses one).
    async fn act_house_meters(
        &self,
        ctx: &Context<'_>,
        building_id: i32,
    ) -> AppResult<Vec<HouseMeter>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        within(
            &txn,
            &scope,
            &Wide {
                account: None,
                building: Some(building_id),
                branch: None,
                all: false,
            },
        )
        .await?;
        let meters = store::house_meters(&txn, building_id).await?;
        txn.commit().await?;
        Ok(meters)
    }

    /// The payments a data-update act closes.
    async fn act_payments(&self, ctx: &Context<'_>, id: i64) -> AppResult<Vec<ActPayment>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        let payments = payments::of_act(&txn, id).await?;
        txn.commit().await?;
        Ok(payments)
    }

    /// An account's live payments booked in closed months (a data-update act over the
    /// account may close them).
    async fn act_closable_payments(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
    ) -> AppResult<Vec<ActPayment>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        let payments = payments::closed_of(&txn, account_id).await?;
        txn.commit().await?;
        Ok(payments)
    }

    /// A data-update act's subsidies as entered.
    async fn act_subsidies(&self, ctx: &Context<'_>, id: i64) -> AppResult<Vec<ActSubsidy>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::View)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        let subsidies = store::subsidies_of(&txn, id).await?;
        txn.commit().await?;
        Ok(subsidies)
    }
}

#[derive(Default)]
pub struct ActsMutation;

#[Object]
impl ActsMutation {
    /// A new act, a draft of the open period.
    async fn create_act(&self, ctx: &Context<'_>, input: ActInput) -> AppResult<Act> {
        let scope = auth::authorize(ctx, Document::Acts, Action::Create)?;
        let txn = scope.begin().await?;
        within(&txn, &scope, &Wide::of_input(&input)).await?;
        consumers_within(&txn, &scope, &input).await?;
        let act = store::create(&txn, &scope.actor(), Utc::now(), &input, false).await?;
        queue_lines(&scope, txn, act).await
    }

    /// The account card's correction or fine: an act approved as it is entered (it needs
    /// both creating and approving acts).
    async fn add_correction(&self, ctx: &Context<'_>, input: ActInput) -> AppResult<Act> {
        let scope = auth::authorize(ctx, Document::Acts, Action::Create)?;
        if !scope.can(Document::Acts, Action::Update) {
            return Err(AppError::Forbidden("missing permission acts.update".into()));
        }
        let txn = scope.begin().await?;
        within(
            &txn,
            &scope,
            &Wide {
                account: input.account_id,
                building: None,
                branch: None,
                all: false,
            },
        )
        .await?;
        if !matches!(input.kind, ActKind::Correction | ActKind::Fine) {
            return Err(AppError::validation(
                "kind",
                "must be a correction or a fine",
            ));
        }
        let act = store::create(&txn, &scope.actor(), Utc::now(), &input, true).await?;
        txn.commit().await?;
        Ok(act)
    }

    /// Changes a draft of the open period.
    async fn update_act(&self, ctx: &Context<'_>, id: i64, input: ActInput) -> AppResult<Act> {
        let scope = auth::authorize(ctx, Document::Acts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        within(&txn, &scope, &Wide::of_input(&input)).await?;
        consumers_within(&txn, &scope, &input).await?;
        let act = store::update(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        queue_lines(&scope, txn, act).await
    }

    /// Deletes a draft of the open period.
    async fn delete_act(&self, ctx: &Context<'_>, id: i64) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Acts, Action::Delete)?;
        let txn = scope.begin().await?;
        visible_act(&txn, &scope, id).await?;
        store::delete(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Approves acts or returns them to draft — one act or a selection of one kind, all
    /// of open periods; approving changes what the period's invoices owe (they are
    /// marked for re-forming).
    async fn set_acts_status(
        &self,
        ctx: &Context<'_>,
        ids: Vec<i64>,
        status: ActStatus,
    ) -> AppResult<Vec<Act>> {
        let scope = auth::authorize(ctx, Document::Acts, Action::Update)?;
        let txn = scope.begin().await?;
        let mut acts = Vec::with_capacity(ids.len());
        for id in ids
            .iter()
            .take(usize::try_from(MAX_PAGE).unwrap_or(500) + 1)
        {
            acts.push(visible_act(&txn, &scope, *id).await?);
        }
        if ids.len() > acts.len() {
            return Err(AppError::validation(
                "ids",
                "choose at most 500 acts at once",
            ));
        }
        let acts = store::set_status(&txn, &scope.actor(), Utc::now(), acts, status).await?;
        txn.commit().await?;
        Ok(acts)
    }
}
