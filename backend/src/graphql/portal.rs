//! The subscriber portal through GraphQL (a subscriber's session, own accounts only): an
//! account's balance, invoices of each period with their PDF, payment history, meters with
//! their last readings, and submitting a current reading for the open period (source
//! `portal`, checked by the same rules as an operator's; a value far above the meter's
//! usual is held for the office's review and the subscriber is told so).

use async_graphql::{Context, Object, SimpleObject};
use chrono::Utc;
use rust_decimal::Decimal;

use crate::auth::{self, Reach};
use crate::entities::account;
use crate::error::{AppError, AppResult};
use billing::views::{self, InvoiceView};
use metering::held_readings::{self, HeldReading};
use metering::meters::{self, MeterState, MeterView};
use metering::readings::{self, Entered, ReadingBasis, ReadingInput, ReadingSource, ReadingView};
use payments::search::{self, PaymentFilter, PaymentSort, PaymentView};
use registry::graphql::Account;

#[derive(SimpleObject)]
pub struct PortalAccount {
    pub account: Account,
    /// Positive: owed; negative: paid in advance.
    pub balance: Decimal,
    /// The open period (YYYY-MM) readings are submitted for.
    pub open_period: String,
    pub invoices: Vec<InvoiceView>,
    pub payments: Vec<PaymentView>,
    pub meters: Vec<MeterView>,
    /// Readings the subscriber submitted that wait for (or had) the office's review.
    pub held_readings: Vec<HeldReading>,
}

/// What became of a submitted reading: saved, or held for the office's review because it
/// is far above the meter's usual (`held`, with what was usual).
#[derive(SimpleObject)]
pub struct PortalReading {
    pub reading: Option<ReadingView>,
    pub held: Option<HeldReading>,
}

/// The subscriber's own account `id` (anything else is "not found", as for another tenant).
fn own(scope: &auth::Scope<'_>, id: i64) -> AppResult<()> {
    if scope.session.accounts.contains(&id) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("record {id} does not exist")))
    }
}

#[derive(Default)]
pub struct PortalQuery;

#[Object]
impl PortalQuery {
    /// One of the subscriber's accounts with its invoices, payments and meters.
    async fn portal_account(&self, ctx: &Context<'_>, account_id: i64) -> AppResult<PortalAccount> {
        let scope = auth::access::subscriber(ctx)?;
        own(&scope, account_id)?;
        let txn = scope.begin().await?;
        let a = <account::Entity as sea_orm::EntityTrait>::find_by_id(account_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("record {account_id} does not exist")))?;
        let invoices = views::invoices(&txn, account_id, 36).await?;
        let filter = PaymentFilter {
            account_id: Some(account_id),
            ..PaymentFilter::default()
        };
        let (_, payments) = search::list(
            &txn,
            &Reach::default(),
            &filter,
            PaymentSort::ReceivedDesc,
            0,
            100,
        )
        .await?;
        let (_, meters) = meters::list(
            &txn,
            &Reach::default(),
            MeterState::Working,
            None,
            None,
            Some(account_id),
            Utc::now().date_naive(),
            0,
            50,
        )
        .await?;
        let open = readings::current_open(&txn).await?;
        let (_, held_readings) =
            held_readings::list(&txn, &Reach::default(), None, Some(&[account_id]), 0, 20).await?;
        txn.commit().await?;
        Ok(PortalAccount {
            balance: a.balance,
            account: Account::new(a, None),
            open_period: open.to_string(),
            invoices,
            payments,
            meters,
            held_readings,
        })
    }
}

#[derive(Default)]
pub struct PortalMutation;

#[Object]
impl PortalMutation {
    /// Submits the current reading of one of the subscriber's meters for the open period.
    async fn submit_portal_reading(
        &self,
        ctx: &Context<'_>,
        meter_id: i64,
        current: String,
    ) -> AppResult<PortalReading> {
        let scope = auth::access::subscriber(ctx)?;
        let txn = scope.begin().await?;
        let meter = meters::by_id(&txn, &Reach::default(), meter_id).await?;
        match meter.account_id {
            Some(a) if scope.session.accounts.contains(&a) => {}
            _ => {
                return Err(AppError::NotFound(format!(
                    "record {meter_id} does not exist"
                )));
            }
        }
        let input = ReadingInput {
            meter_id,
            period: None,
            taken_on: None,
            current: Some(current),
            consumption: None,
            basis: ReadingBasis::Actual,
            source: ReadingSource::Portal,
            confirmed: false,
        };
        let entered =
            readings::enter(&txn, &scope.actor(), Utc::now(), &Reach::default(), &input).await?;
        txn.commit().await?;
        Ok(match entered {
            Entered::Saved(reading, _) => PortalReading {
                reading: Some(reading),
                held: None,
            },
            Entered::Held(held) => PortalReading {
                reading: None,
                held: Some(held),
            },
            // The portal's 0 is a reading, never the office's clearing.
            Entered::Cleared(_) => {
                return Err(AppError::Internal(
                    "a portal entry cleared a reading".into(),
                ));
            }
        })
    }
}
