//! Subscribers, the account card, opening accounts, residents.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr};

use super::types::Account;
use crate::account_services::{self, AccountService};
use crate::beneficiaries::{self, Beneficiary};
use crate::restructurings::{self, Restructuring};
use crate::subscriber_edit::{self, SubscriberEditInput};
use crate::subscribers::{
    self, OpenAccountInput, ResidentInput, ResidentView, SubscriberInput, SubscriberView,
};
use crate::subsidies::{self, OpeningBalance, Subsidy};
use access::auth::{self, Action, Document, Scope};
use platform::entities::account;
use platform::error::{AppError, AppResult};

/// The account card (seed 000 Fig. 6): the account, its subscriber and residents.
#[derive(SimpleObject)]
pub struct AccountCard {
    pub account: Account,
    pub status: String,
    pub opened_on: Option<NaiveDate>,
    /// The last day of a closed account.
    pub closed_on: Option<NaiveDate>,
    pub no_penalty: bool,
    pub comment: Option<String>,
    pub branch_id: Option<i32>,
    /// The premises' total area in force today (seed 001 §4.3 «Площа», from the premises
    /// card).
    pub area: Option<rust_decimal::Decimal>,
    pub subscriber: Option<SubscriberView>,
    /// A third party who actually pays, if any.
    pub payer: Option<SubscriberView>,
    pub residents: Vec<ResidentView>,
    /// Residents removed from the account, kept to be restored; the latest first.
    pub removed_residents: Vec<crate::resident_archive::RemovedResident>,
    /// The residents' earlier periods (re-registration history), oldest first.
    pub resident_periods: Vec<crate::resident_periods::ResidentPeriod>,
    /// Services with their periods, by service and start.
    pub services: Vec<AccountService>,
    pub beneficiaries: Vec<Beneficiary>,
    /// Newest period first.
    pub subsidies: Vec<Subsidy>,
    pub opening_balances: Vec<OpeningBalance>,
    /// Debt restructuring agreements, newest first.
    pub restructurings: Vec<Restructuring>,
}

/// The account if the session may see it (within the user's reach); else NOT_FOUND.
pub async fn visible_account(
    txn: &DatabaseTransaction,
    scope: &Scope<'_>,
    id: i64,
) -> AppResult<account::Model> {
    let mut q = account::Entity::find_by_id(id);
    if let Some(cond) = scope.session.reach.account_condition() {
        q = q.filter(Expr::cust(cond));
    }
    q.one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("record {id} does not exist")))
}

pub(super) async fn card(txn: &DatabaseTransaction, a: account::Model) -> AppResult<AccountCard> {
    let subscriber = subscribers::subscriber_of(txn, a.subscriber_id).await?;
    let payer = subscribers::subscriber_of(txn, subscribers::payer_of(txn, a.id).await?).await?;
    let area = match a.premises_id {
        Some(p) => crate::addresses::total_area_on(txn, p, Utc::now().date_naive()).await?,
        None => None,
    };
    let residents = subscribers::residents(txn, a.id).await?;
    let removed_residents = crate::resident_archive::removed(txn, a.id).await?;
    let resident_periods = crate::resident_periods::of_account(txn, a.id).await?;
    let services = account_services::of_account(txn, a.id).await?;
    let beneficiaries = beneficiaries::of_account(txn, a.id).await?;
    let subsidies = subsidies::subsidies(txn, a.id).await?;
    let opening_balances = subsidies::opening_balances(txn, a.id).await?;
    let restructurings = restructurings::of_account(txn, a.id).await?;
    Ok(AccountCard {
        status: a.status.clone(),
        opened_on: a.opened_on,
        closed_on: a.closed_on,
        no_penalty: a.no_penalty,
        comment: a.comment.clone(),
        branch_id: a.branch_id,
        area,
        subscriber,
        payer,
        residents,
        removed_residents,
        resident_periods,
        services,
        beneficiaries,
        subsidies,
        opening_balances,
        restructurings,
        account: Account::new(a, None),
    })
}

#[derive(Default)]
pub struct SubscribersQuery;

#[Object]
impl SubscribersQuery {
    /// Subscribers by name or tax id (at most `limit`).
    async fn subscribers(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<Vec<SubscriberView>> {
        if limit == 0 || limit > platform::sql::MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {}", platform::sql::MAX_PAGE),
            ));
        }
        let scope = auth::authorize(ctx, Document::Subscribers, Action::View)?;
        let txn = scope.begin().await?;
        let list =
            subscribers::subscribers(&txn, &scope.session.reach, search.as_deref(), limit).await?;
        txn.commit().await?;
        Ok(list)
    }

    async fn account(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        let a = visible_account(&txn, &scope, id).await?;
        let c = card(&txn, a).await?;
        txn.commit().await?;
        Ok(c)
    }
}

#[derive(Default)]
pub struct SubscribersMutation;

#[Object]
impl SubscribersMutation {
    async fn create_subscriber(
        &self,
        ctx: &Context<'_>,
        input: SubscriberInput,
    ) -> AppResult<SubscriberView> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Create)?;
        let txn = scope.begin().await?;
        let s = subscribers::create_subscriber(&txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Corrects a subscriber (individual or legal entity): names, contacts, the legal
    /// address and the additional information; the accounts' holder name follows.
    async fn update_subscriber(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: SubscriberEditInput,
    ) -> AppResult<SubscriberView> {
        let scope = auth::authorize(ctx, Document::Subscribers, Action::Update)?;
        let txn = scope.begin().await?;
        if !subscribers::within_reach(&txn, &scope.session.reach, id).await? {
            return Err(AppError::NotFound(format!("record {id} does not exist")));
        }
        let s = subscriber_edit::update(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Opens an account for a subscriber in premises.
    async fn open_account(
        &self,
        ctx: &Context<'_>,
        input: OpenAccountInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Create)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        // A form sent before the premises were picked says so, not "no premises 0".
        if input.premises_id <= 0 {
            return Err(AppError::validation(
                "premisesId",
                "choose the building and the premises",
            ));
        }
        if !crate::addresses::premises_in_reach(&txn, reach, input.premises_id).await? {
            return Err(AppError::validation(
                "premisesId",
                format!("there is no premises {}", input.premises_id),
            ));
        }
        let id = subscribers::open_account(&txn, &scope.actor(), Utc::now(), &input).await?;
        let a = visible_account(&txn, &scope, id).await?;
        let c = card(&txn, a).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Corrects a resident's name, birth date or periods.
    async fn update_resident(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: ResidentInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let account_id = subscribers::resident_account(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        subscribers::update_resident(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let c = card(&txn, visible_account(&txn, &scope, account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Removes a resident (not one with a benefit); the resident is kept among the
    /// account's removed residents and may be restored.
    async fn remove_resident(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let account_id = subscribers::resident_account(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        subscribers::remove_resident(&txn, &scope.actor(), Utc::now(), id).await?;
        let c = card(&txn, visible_account(&txn, &scope, account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Registers a resident again after the current period ended (seed 001 §4.3): the
    /// ended period is kept as the resident's history and still counts for its months.
    async fn reregister_resident(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: crate::resident_periods::ReregisterInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let account_id = subscribers::resident_account(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        crate::resident_periods::reregister(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let c = card(&txn, visible_account(&txn, &scope, account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Puts a removed resident back on the account, with the periods it had.
    async fn restore_resident(&self, ctx: &Context<'_>, id: i64) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let account_id = crate::resident_archive::account_of(&txn, id).await?;
        visible_account(&txn, &scope, account_id).await?;
        crate::resident_archive::restore(&txn, &scope.actor(), Utc::now(), id).await?;
        let c = card(&txn, visible_account(&txn, &scope, account_id).await?).await?;
        txn.commit().await?;
        Ok(c)
    }

    async fn add_resident(
        &self,
        ctx: &Context<'_>,
        account_id: i64,
        input: ResidentInput,
    ) -> AppResult<AccountCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        visible_account(&txn, &scope, account_id).await?;
        subscribers::add_resident(&txn, &scope.actor(), Utc::now(), account_id, &input).await?;
        let a = visible_account(&txn, &scope, account_id).await?;
        let c = card(&txn, a).await?;
        txn.commit().await?;
        Ok(c)
    }
}
