//! Tariffs, norms, penalty rates and price-list pointers through GraphQL (reference-book
//! permissions; pointing premises at a price list is an account-data update).

use async_graphql::{Context, Object};
use chrono::{NaiveDate, Utc};

use crate::prices::{
    self, Norm, NormInput, PenaltyRate, PriceListOwner, Tariff, TariffInForce, TariffInput,
};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};
use registry::addresses;

#[derive(Default)]
pub struct PricesQuery;

#[Object]
impl PricesQuery {
    /// A price list's tariffs by service, newest first; `serviceId` narrows to one service.
    async fn tariffs(
        &self,
        ctx: &Context<'_>,
        price_list_id: i32,
        service_id: Option<i32>,
    ) -> AppResult<Vec<Tariff>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let rows = prices::tariffs(&txn, price_list_id, service_id).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// The tariff of a service for premises on a day: the apartment's price list, else
    /// the building's; null when neither has a price in force.
    async fn tariff_in_force(
        &self,
        ctx: &Context<'_>,
        premises_id: i64,
        service_id: i32,
        on: NaiveDate,
    ) -> AppResult<Option<TariffInForce>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        if !addresses::premises_in_reach(&txn, &scope.session.reach, premises_id).await? {
            return Err(AppError::NotFound(format!(
                "record {premises_id} does not exist"
            )));
        }
        let t = prices::tariff_in_force(&txn, premises_id, service_id, on).await?;
        txn.commit().await?;
        Ok(t)
    }

    /// Consumption and social norms, newest first; `serviceId` narrows to one service.
    async fn norms(&self, ctx: &Context<'_>, service_id: Option<i32>) -> AppResult<Vec<Norm>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let rows = prices::norms(&txn, service_id).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// The penalty base rate table, newest first.
    async fn penalty_rates(&self, ctx: &Context<'_>) -> AppResult<Vec<PenaltyRate>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let rows = prices::penalty_rates(&txn).await?;
        txn.commit().await?;
        Ok(rows)
    }
}

#[derive(Default)]
pub struct PricesMutation;

#[Object]
impl PricesMutation {
    /// Enters a tariff from a date (a tariff of the same list, service and date is replaced).
    async fn set_tariff(&self, ctx: &Context<'_>, input: TariffInput) -> AppResult<Tariff> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let t = prices::set_tariff(&txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(t)
    }

    async fn delete_tariff(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        prices::delete_tariff(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Enters a norm from a date (one of the same service, kind and date is replaced).
    async fn set_norm(&self, ctx: &Context<'_>, input: NormInput) -> AppResult<Norm> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let n = prices::set_norm(&txn, &scope.actor(), Utc::now(), &input).await?;
        txn.commit().await?;
        Ok(n)
    }

    async fn delete_norm(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        prices::delete_norm(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Enters the penalty base rate (% a year) from a date.
    async fn set_penalty_rate(
        &self,
        ctx: &Context<'_>,
        valid_from: NaiveDate,
        #[graphql(desc = "per cent a year as text, e.g. \"13.5\" (a decimal comma accepted)")]
        rate: String,
    ) -> AppResult<PenaltyRate> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let r =
            prices::set_penalty_rate(&txn, &scope.actor(), Utc::now(), valid_from, &rate).await?;
        txn.commit().await?;
        Ok(r)
    }

    async fn delete_penalty_rate(
        &self,
        ctx: &Context<'_>,
        valid_from: NaiveDate,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        prices::delete_penalty_rate(&txn, &scope.actor(), Utc::now(), valid_from).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Points a building, or one apartment (`premisesId`), at a price list; null clears.
    /// Exactly one of `buildingId` and `premisesId`.
    async fn set_price_list(
        &self,
        ctx: &Context<'_>,
        building_id: Option<i32>,
        premises_id: Option<i64>,
        price_list_id: Option<i32>,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let owner = match (building_id, premises_id) {
            (Some(b), None) => PriceListOwner::Building(b),
            (None, Some(p)) => PriceListOwner::Premises(p),
            _ => {
                return Err(AppError::validation(
                    "buildingId",
                    "give either a building or premises",
                ));
            }
        };
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let visible = match owner {
            PriceListOwner::Building(b) => {
                addresses::building(&txn, reach, b).await.map(|_| true)?
            }
            PriceListOwner::Premises(p) => addresses::premises_in_reach(&txn, reach, p).await?,
        };
        if !visible {
            return Err(AppError::NotFound("record does not exist".into()));
        }
        prices::set_price_list(&txn, &scope.actor(), Utc::now(), owner, price_list_id).await?;
        txn.commit().await?;
        Ok(true)
    }
}
