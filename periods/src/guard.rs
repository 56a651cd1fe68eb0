//! Holding a month open while writing its data: every writer of a period's data (a
//! reading, a payment, a subsidy, a calculation chunk) takes a share lock on the period's
//! row first, so closing waits for it and a closed month refuses it.

use domain::Period;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// Holds `period` open for the caller's transaction (a share lock on its row): closing
/// waits for the transaction to end; a period being closed or closed is PERIOD_CLOSED.
/// Every writer of a period's data takes it before it writes anything, so that nothing it
/// holds can be waited on by the closing's last step, which holds the row exclusively.
pub async fn hold(txn: &DatabaseTransaction, period: Period) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct State {
        state: String,
    }
    // NOWAIT: while the closing's last step holds the row, a writer does not queue up
    // behind it (holding a database connection the closing's own work may need) but is
    // told at once that the month is being closed.
    let s = State::find_by_statement(stmt(
        "SELECT state FROM periods WHERE month = $1 FOR SHARE NOWAIT",
        vec![period.first_day().into()],
    ))
    .one(txn)
    .await
    .map_err(|e| {
        let text = e.to_string();
        if text.contains("could not obtain lock") || text.contains("55P03") {
            AppError::PeriodClosed(format!(
                "period {period} is being closed; what is entered now belongs to the next month"
            ))
        } else {
            e.into()
        }
    })?;
    open_or_refused(period, s.map(|s| s.state).as_deref())
}

/// For data of a month that may not be open yet (a subsidy entered ahead): held open
/// when the month is open, PERIOD_CLOSED when closed, nothing to hold when never opened.
/// Returns whether it is open (its calculation may have read the data).
pub async fn hold_unless_ahead(txn: &DatabaseTransaction, period: Period) -> AppResult<bool> {
    match hold(txn, period).await {
        Ok(()) => Ok(true),
        Err(AppError::Validation { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// What a period's stored state (None: never opened) allows a calculation.
pub fn open_or_refused(period: Period, state: Option<&str>) -> AppResult<()> {
    match state {
        Some("open") => Ok(()),
        Some(_) => Err(AppError::PeriodClosed(format!(
            "period {period} is closed; change it through an act"
        ))),
        None => Err(AppError::validation("period", "is not open")),
    }
}
