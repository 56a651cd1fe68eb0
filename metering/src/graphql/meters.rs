//! The meter registry through GraphQL (the `meters` permissions).

use async_graphql::{Context, Object, SimpleObject};
use chrono::{NaiveDate, Utc};

use crate::meter_hierarchy::{self, HierarchyResult, MainChoice};
use crate::meters::{self, MeterInput, MeterState, MeterView, VerificationFilter};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use platform::sql::MAX_PAGE;
use registry::addresses;

/// Reasons and the warning in the language of the request.
fn translated(ctx: &Context<'_>, mut r: HierarchyResult) -> HierarchyResult {
    let lang = ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN);
    for s in &mut r.skipped {
        s.reason = i18n::message(lang, &s.reason);
    }
    r.warning = r.warning.map(|w| i18n::message(lang, &w));
    r
}

#[derive(SimpleObject)]
pub struct MeterPage {
    /// Counted up to 10,000; 10,001 means "more than 10,000".
    pub total: i64,
    pub items: Vec<MeterView>,
}

#[derive(Default)]
pub struct MetersQuery;

#[Object]
impl MetersQuery {
    /// Working or archived meters; `search` matches serial, seal or address;
    /// `verification` keeps those due soon (30 days) or overdue on `on` (default today).
    #[allow(clippy::too_many_arguments)]
    async fn meters(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "MeterState::Working")] state: MeterState,
        search: Option<String>,
        verification: Option<VerificationFilter>,
        account_id: Option<i64>,
        on: Option<NaiveDate>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<MeterPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::Meters, Action::View)?;
        let txn = scope.begin().await?;
        let on = on.unwrap_or_else(|| Utc::now().date_naive());
        let reach = &scope.session.reach;
        let (total, items) = meters::list(
            &txn,
            reach,
            state,
            search.as_deref(),
            verification,
            account_id,
            on,
            offset,
            limit,
        )
        .await?;
        txn.commit().await?;
        Ok(MeterPage { total, items })
    }

    /// The meters that may become this meter's main meter (the card's choice).
    async fn main_meter_choices(
        &self,
        ctx: &Context<'_>,
        meter_id: i64,
    ) -> AppResult<Vec<MainChoice>> {
        let scope = auth::authorize(ctx, Document::Meters, Action::View)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        meters::by_id(&txn, reach, meter_id).await?;
        let choices = meter_hierarchy::main_choices(&txn, reach, meter_id).await?;
        txn.commit().await?;
        Ok(choices)
    }

    /// The metering points a meter on this apartment or office may stand on (the card's
    /// choice): those of the contracts on it.
    async fn metering_point_choices(
        &self,
        ctx: &Context<'_>,
        premises_id: i64,
    ) -> AppResult<Vec<meters::PointChoice>> {
        let scope = auth::authorize(ctx, Document::Meters, Action::View)?;
        let txn = scope.begin().await?;
        if !addresses::premises_in_reach(&txn, &scope.session.reach, premises_id).await? {
            return Err(AppError::NotFound(format!(
                "record {premises_id} does not exist"
            )));
        }
        let choices = meters::points_of_premises(&txn, premises_id).await?;
        txn.commit().await?;
        Ok(choices)
    }

    /// The card's history: every change of the meter, newest first, with who and when.
    async fn meter_changes(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> AppResult<Vec<platform::audit::AuditEntry>> {
        let scope = auth::authorize(ctx, Document::Meters, Action::View)?;
        let txn = scope.begin().await?;
        meters::by_id(&txn, &scope.session.reach, id).await?;
        let filter = platform::audit::AuditFilter {
            entity: Some("meter".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        };
        let (_, rows) = platform::audit::query(&txn, &filter, None, 0, MAX_PAGE).await?;
        txn.commit().await?;
        Ok(rows)
    }

    async fn meter(&self, ctx: &Context<'_>, id: i64) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::View)?;
        let txn = scope.begin().await?;
        let m = meters::by_id(&txn, &scope.session.reach, id).await?;
        txn.commit().await?;
        Ok(m)
    }
}

#[derive(Default)]
pub struct MetersMutation;

#[Object]
impl MetersMutation {
    async fn create_meter(&self, ctx: &Context<'_>, input: MeterInput) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Create)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        addresses::building(&txn, reach, input.building_id)
            .await
            .map_err(|_| AppError::validation("buildingId", "there is no such record"))?;
        let m = meters::create(&txn, &scope.actor(), Utc::now(), reach, &input).await?;
        txn.commit().await?;
        Ok(m)
    }

    async fn update_meter(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: MeterInput,
    ) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        addresses::building(&txn, reach, input.building_id)
            .await
            .map_err(|_| AppError::validation("buildingId", "there is no such record"))?;
        let m = meters::update(&txn, &scope.actor(), Utc::now(), reach, id, &input).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Deletes a meter card entered by mistake: one with no readings and no meters under it.
    async fn delete_meter(&self, ctx: &Context<'_>, id: i64) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Delete)?;
        let txn = scope.begin().await?;
        meters::delete(&txn, &scope.actor(), Utc::now(), &scope.session.reach, id).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Takes a meter out of service with its final reading (text).
    async fn remove_meter(
        &self,
        ctx: &Context<'_>,
        id: i64,
        removed_on: NaiveDate,
        final_reading: String,
    ) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let removal = Some((removed_on, final_reading.as_str()));
        let m = meters::set_removed(&txn, &scope.actor(), Utc::now(), reach, id, removal).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Puts the selected meters under a main (building, group, riser or entrance) meter;
    /// meters the rules refuse are listed with the reason.
    async fn assign_main_meter(
        &self,
        ctx: &Context<'_>,
        main_id: i64,
        meter_ids: Vec<i64>,
    ) -> AppResult<HierarchyResult> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r =
            meter_hierarchy::assign(&txn, &scope.actor(), Utc::now(), reach, main_id, &meter_ids)
                .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }

    /// Takes the selected meters from under their main meter.
    async fn remove_main_meter(
        &self,
        ctx: &Context<'_>,
        meter_ids: Vec<i64>,
    ) -> AppResult<HierarchyResult> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r =
            meter_hierarchy::remove(&txn, &scope.actor(), Utc::now(), reach, &meter_ids).await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }

    /// Hands the meters under a main meter taken out of service to its replacement.
    async fn replace_main_meter(
        &self,
        ctx: &Context<'_>,
        old_main_id: i64,
        new_main_id: i64,
    ) -> AppResult<HierarchyResult> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let r = meter_hierarchy::replace(
            &txn,
            &scope.actor(),
            Utc::now(),
            reach,
            old_main_id,
            new_main_id,
        )
        .await?;
        txn.commit().await?;
        Ok(translated(ctx, r))
    }

    /// Records a verification: the day, when a new seal was put on its number, and the
    /// reading taken (text) when one was.
    async fn verify_meter(
        &self,
        ctx: &Context<'_>,
        id: i64,
        verified_on: NaiveDate,
        seal_number: Option<String>,
        reading: Option<String>,
    ) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let m = meters::verify(
            &txn,
            &scope.actor(),
            Utc::now(),
            reach,
            id,
            &meters::Verification {
                verified_on,
                seal_number: seal_number.as_deref(),
                reading: reading.as_deref(),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Puts a removed meter back in service.
    async fn restore_meter(&self, ctx: &Context<'_>, id: i64) -> AppResult<MeterView> {
        let scope = auth::authorize(ctx, Document::Meters, Action::Update)?;
        let txn = scope.begin().await?;
        let reach = &scope.session.reach;
        let m = meters::set_removed(&txn, &scope.actor(), Utc::now(), reach, id, None).await?;
        txn.commit().await?;
        Ok(m)
    }
}
