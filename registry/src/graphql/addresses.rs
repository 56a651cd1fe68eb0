//! Addresses through GraphQL: add an address (with an apartment range), list and open
//! buildings, record premises' areas. Part of the registry: the `accounts` permissions.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{NaiveDate, Utc};

use crate::address_edit::{self, AddressPartInput, AddressParts, Part};
use crate::addresses::{
    self, AddAddressInput, AddedAddress, AreasInput, BuildingView, PremisesView,
};
use crate::building_services::{self, BuildingsChanged};
use crate::buildings::{self, BuildingDetails, BuildingInput, PremisesInput};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

#[derive(SimpleObject)]
pub struct BuildingPage {
    pub total: i64,
    pub items: Vec<BuildingView>,
}

/// A building with its premises.
#[derive(SimpleObject)]
pub struct BuildingCard {
    pub building: BuildingView,
    /// The editable characteristics, price list and services provided.
    pub details: BuildingDetails,
    /// Its address's parts: number, street, locality, codes and postal indexes.
    pub address: AddressParts,
    pub premises: Vec<PremisesView>,
}

/// The card of a building within reach, with premises' areas as on `on`.
async fn building_card(
    txn: &sea_orm::DatabaseTransaction,
    reach: &access::auth::Reach,
    id: i32,
    on: NaiveDate,
) -> AppResult<BuildingCard> {
    let building = addresses::building(txn, reach, id).await?;
    let details = buildings::details(txn, id).await?;
    let premises = addresses::premises(txn, id, on).await?;
    let address = address_edit::parts(txn, id).await?;
    Ok(BuildingCard {
        building,
        details,
        address,
        premises,
    })
}

#[derive(Default)]
pub struct AddressQuery;

#[Object]
impl AddressQuery {
    /// Buildings by address; `search` matches locality, street or number.
    async fn buildings(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<BuildingPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        let (total, items) =
            addresses::buildings(&txn, &scope.session.reach, search.as_deref(), offset, limit)
                .await?;
        txn.commit().await?;
        Ok(BuildingPage { total, items })
    }

    /// One building with its premises; areas as in force on `on` (default: today).
    async fn building(
        &self,
        ctx: &Context<'_>,
        id: i32,
        on: Option<NaiveDate>,
    ) -> AppResult<BuildingCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::View)?;
        let txn = scope.begin().await?;
        let on = on.unwrap_or_else(|| Utc::now().date_naive());
        let card = building_card(&txn, &scope.session.reach, id, on).await?;
        txn.commit().await?;
        Ok(card)
    }
}

/// One change of the address book, in reach and audited; the accounts that followed.
async fn address_part(
    ctx: &Context<'_>,
    part: Part,
    id: i32,
    input: &AddressPartInput,
) -> AppResult<i64> {
    let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
    let txn = scope.begin().await?;
    let n = address_edit::update(
        &txn,
        &scope.actor(),
        Utc::now(),
        &scope.session.reach,
        part,
        id,
        input,
    )
    .await?;
    txn.commit().await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

#[derive(Default)]
pub struct AddressMutation;

#[Object]
impl AddressMutation {
    /// Adds whatever part of the address is missing, and the apartments of the range.
    async fn add_address(
        &self,
        ctx: &Context<'_>,
        input: AddAddressInput,
    ) -> AppResult<AddedAddress> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Create)?;
        let txn = scope.begin().await?;
        let added = addresses::add_address(&txn, &scope.actor(), Utc::now(), &input).await?;
        // A user limited to some branches or buildings adds only within them; anything
        // else is rolled back with the transaction.
        if let Err(AppError::NotFound(_)) =
            addresses::building(&txn, &scope.session.reach, added.building_id).await
        {
            return Err(AppError::Forbidden(
                "your access is limited to chosen branches and buildings".into(),
            ));
        }
        txn.commit().await?;
        Ok(added)
    }

    /// Edits the building card: characteristics, areas, lifts, price list, services.
    async fn update_building(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: BuildingInput,
    ) -> AppResult<BuildingCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        addresses::building(&txn, reach, id).await?;
        buildings::update_building(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let card = building_card(&txn, reach, id, Utc::now().date_naive()).await?;
        txn.commit().await?;
        Ok(card)
    }

    /// Renames a locality, gives it a code and postal index; the accounts and meters of
    /// every building in it follow. Returns how many accounts' addresses changed.
    async fn update_locality(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: AddressPartInput,
    ) -> AppResult<i64> {
        address_part(ctx, Part::Locality, id, &input).await
    }

    /// Renames a street (or changes its kind), gives it a code and postal index.
    async fn update_street(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: AddressPartInput,
    ) -> AppResult<i64> {
        address_part(ctx, Part::Street, id, &input).await
    }

    /// Changes a building's number (`name`), code and postal index.
    async fn update_building_address(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: AddressPartInput,
    ) -> AppResult<i64> {
        address_part(ctx, Part::Building, id, &input).await
    }

    /// Adds the services to (or, with `remove`, takes them from) every ticked building.
    async fn change_buildings_services(
        &self,
        ctx: &Context<'_>,
        building_ids: Vec<i32>,
        service_ids: Vec<i32>,
        #[graphql(default)] remove: bool,
    ) -> AppResult<BuildingsChanged> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let r = building_services::change(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            &building_ids,
            &service_ids,
            remove,
        )
        .await?;
        txn.commit().await?;
        Ok(r)
    }

    /// Edits an apartment's card: floor, entrance, riser, rooms, stove, price list.
    async fn update_premises(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: PremisesInput,
    ) -> AppResult<BuildingCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        if !addresses::premises_in_reach(&txn, reach, id).await? {
            return Err(AppError::NotFound(format!("record {id} does not exist")));
        }
        let b = buildings::update_premises(&txn, &scope.actor(), Utc::now(), id, &input).await?;
        let card = building_card(&txn, reach, b, Utc::now().date_naive()).await?;
        txn.commit().await?;
        Ok(card)
    }

    /// Deletes premises entered by mistake (none with an account, a contract or a meter).
    async fn delete_premises(&self, ctx: &Context<'_>, id: i64) -> AppResult<BuildingCard> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Delete)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        if !addresses::premises_in_reach(&txn, reach, id).await? {
            return Err(AppError::NotFound(format!("record {id} does not exist")));
        }
        let b = buildings::delete_premises(&txn, &scope.actor(), Utc::now(), id).await?;
        let card = building_card(&txn, reach, b, Utc::now().date_naive()).await?;
        txn.commit().await?;
        Ok(card)
    }

    /// Deletes a building entered by mistake with its premises (none with accounts,
    /// meters, users limited to it or acts naming it).
    async fn delete_building(&self, ctx: &Context<'_>, id: i32) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Delete)?;
        let txn = scope.begin().await?;
        addresses::building(&txn, &scope.session.reach, id).await?;
        buildings::delete_building(&txn, &scope.actor(), Utc::now(), id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Records the premises' areas from a date on.
    async fn set_premises_areas(
        &self,
        ctx: &Context<'_>,
        premises_id: i64,
        input: AreasInput,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Accounts, Action::Update)?;
        let txn = scope.begin().await?;
        if !addresses::premises_in_reach(&txn, &scope.session.reach, premises_id).await? {
            return Err(AppError::NotFound(format!(
                "record {premises_id} does not exist"
            )));
        }
        addresses::set_areas(&txn, &scope.actor(), Utc::now(), premises_id, &input).await?;
        txn.commit().await?;
        Ok(true)
    }
}
