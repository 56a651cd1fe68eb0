//! Readings through GraphQL (the `readings` permissions): the open period, entering and
//! correcting a reading, a meter's history, clearing a building's readings, and the file
//! import (a multipart upload that becomes a worker job).

use async_graphql::{Context, Object, SimpleObject, Upload};
use chrono::Utc;
use domain::Period;

use crate::held_readings::{self, HeldReading};
use crate::jobs::readings_import::ReadingsImport;
use crate::readings::{self, ClearResult, Entered, ReadingInput, ReadingSource, ReadingView};
use access::auth::{self, Action, Document};
use access::jobs::Job;
use access::jobs::queue;
use access::uploads;
use platform::error::{AppError, AppResult};
use platform::i18n::{self, Lang};
use registry::addresses;

fn lang(ctx: &Context<'_>) -> Lang {
    ctx.data_opt::<Lang>().copied().unwrap_or(Lang::EN)
}

fn period_arg(field: &str, text: Option<&str>) -> AppResult<Option<Period>> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse().map_err(|_: domain::period::InvalidPeriod| {
                AppError::validation(field, "must look like 2026-11")
            })
        })
        .transpose()
}

#[derive(SimpleObject)]
pub struct ReadingEntered {
    /// None when a 0 cleared the period's reading.
    pub reading: Option<ReadingView>,
    pub cleared: bool,
    /// The open period's invoices must be re-formed.
    pub warning: String,
}

/// A page of readings held for review.
#[derive(SimpleObject)]
pub struct HeldPage {
    pub total: i64,
    pub items: Vec<HeldReading>,
}

#[derive(Default)]
pub struct ReadingsQuery;

#[Object]
impl ReadingsQuery {
    /// The working month (YYYY-MM): the latest open period.
    async fn open_period(&self, ctx: &Context<'_>) -> AppResult<String> {
        let scope = auth::authorize(ctx, Document::Readings, Action::View)?;
        let txn = scope.begin().await?;
        let p = readings::current_open(&txn).await?;
        txn.commit().await?;
        Ok(p.to_string())
    }

    /// Subscribers' portal readings held for review because they are far above the meter's
    /// usual (`state`: held — the default —, accepted or rejected), newest first.
    async fn held_readings(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(\"held\".to_owned())")] state: Option<String>,
        #[graphql(default)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> AppResult<HeldPage> {
        let scope = auth::authorize(ctx, Document::Readings, Action::View)?;
        let txn = scope.begin().await?;
        let (total, items) = held_readings::list(
            &txn,
            &scope.session.reach,
            state.as_deref().filter(|s| !s.is_empty()),
            None,
            offset,
            limit,
        )
        .await?;
        txn.commit().await?;
        Ok(HeldPage { total, items })
    }

    /// A meter's readings between two periods (YYYY-MM, both included, either left out).
    async fn meter_readings(
        &self,
        ctx: &Context<'_>,
        meter_id: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> AppResult<Vec<ReadingView>> {
        let scope = auth::authorize(ctx, Document::Readings, Action::View)?;
        let from = period_arg("from", from.as_deref())?;
        let to = period_arg("to", to.as_deref())?;
        let txn = scope.begin().await?;
        let rows = readings::history(&txn, &scope.session.reach, meter_id, from, to).await?;
        txn.commit().await?;
        Ok(rows)
    }
}

#[derive(Default)]
pub struct ReadingsMutation;

#[Object]
impl ReadingsMutation {
    /// Enters the meter's current reading or consumption for an open period; entering
    /// again corrects it while no later period has readings and no payment was made.
    async fn enter_reading(
        &self,
        ctx: &Context<'_>,
        input: ReadingInput,
    ) -> AppResult<ReadingEntered> {
        let scope = auth::authorize(ctx, Document::Readings, Action::Create)?;
        if input.source == ReadingSource::Portal {
            return Err(AppError::validation(
                "source",
                "PORTAL is set only by the subscriber portal",
            ));
        }
        let txn = scope.begin().await?;
        let entered = readings::enter(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            &input,
        )
        .await?;
        let (reading, warning) = match entered {
            Entered::Saved(reading, warning) => (Some(reading), warning),
            Entered::Cleared(warning) => (None, warning),
            // Only the portal's entries are held.
            Entered::Held(_) => {
                return Err(AppError::Internal("an operator's entry was held".into()));
            }
        };
        txn.commit().await?;
        Ok(ReadingEntered {
            cleared: reading.is_none(),
            reading,
            warning: i18n::message(lang(ctx), &warning),
        })
    }

    /// Accepts a subscriber's held reading: it is entered as submitted (source PORTAL).
    async fn accept_held_reading(&self, ctx: &Context<'_>, id: i64) -> AppResult<ReadingEntered> {
        let scope = auth::authorize(ctx, Document::Readings, Action::Update)?;
        let txn = scope.begin().await?;
        let (_, reading, warning) =
            held_readings::accept(&txn, &scope.actor(), Utc::now(), &scope.session.reach, id)
                .await?;
        txn.commit().await?;
        Ok(ReadingEntered {
            reading: Some(reading),
            cleared: false,
            warning: i18n::message(lang(ctx), &warning),
        })
    }

    /// Rejects a subscriber's held reading; the subscriber reads `note` in the portal.
    async fn reject_held_reading(
        &self,
        ctx: &Context<'_>,
        id: i64,
        note: String,
    ) -> AppResult<HeldReading> {
        let scope = auth::authorize(ctx, Document::Readings, Action::Update)?;
        let txn = scope.begin().await?;
        let held = held_readings::reject(
            &txn,
            &scope.actor(),
            Utc::now(),
            &scope.session.reach,
            id,
            &note,
        )
        .await?;
        txn.commit().await?;
        Ok(held)
    }

    /// Clears the readings of a building's meters (its own and its apartments') in an open
    /// period (default: the working month); protected readings are listed with the reason.
    async fn clear_building_readings(
        &self,
        ctx: &Context<'_>,
        building_id: i32,
        period: Option<String>,
    ) -> AppResult<ClearResult> {
        let scope = auth::authorize(ctx, Document::Readings, Action::Delete)?;
        let txn = scope.begin().await?;
        addresses::building(&txn, &scope.session.reach, building_id)
            .await
            .map_err(|_| AppError::validation("buildingId", "there is no such record"))?;
        let period = readings::writable_period(&txn, period.as_deref()).await?;
        let mut r =
            readings::clear_building(&txn, &scope.actor(), Utc::now(), building_id, period).await?;
        txn.commit().await?;
        let l = lang(ctx);
        for s in &mut r.skipped {
            s.reason = i18n::message(l, &s.reason);
        }
        r.warning = r.warning.map(|w| i18n::message(l, &w));
        Ok(r)
    }

    /// Uploads a readings file (XLSX, XLS or CSV) and queues its import into an open
    /// period (default: the working month). The job's result holds the counts and the
    /// rows not imported; its protocol downloads from `/files/jobs/<id>`.
    async fn import_readings(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        period: Option<String>,
    ) -> AppResult<Job> {
        let scope = auth::authorize(ctx, Document::Readings, Action::Create)?;
        let received = uploads::receive(ctx, file)?;
        // The period is checked now, so a closed one is refused before anything is queued.
        let txn = scope.begin().await?;
        let period = readings::writable_period(&txn, period.as_deref()).await?;
        txn.commit().await?;
        let name = received.name.clone();
        let sha256 = received.sha256.clone();
        let key = uploads::stash(&scope, received).await?;
        let actor = scope.actor();
        let spec = ReadingsImport {
            object_key: key,
            file_name: name,
            sha256,
            period: period.to_string(),
            reach: scope.session.reach.clone(),
            lang: lang(ctx).code().to_owned(),
            user_id: actor.user_id,
            login: actor.login,
        };
        queue(&scope, spec).await
    }
}
