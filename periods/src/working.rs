//! The working month: the latest open period (the one new data goes into by default).

use domain::Period;
use sea_orm::prelude::Date as NaiveDate;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// The working month, if the tenant has one open.
pub async fn working_month(txn: &DatabaseTransaction) -> AppResult<Option<Period>> {
    #[derive(FromQueryResult)]
    struct Month {
        month: Option<NaiveDate>,
    }
    let m = Month::find_by_statement(stmt(
        "SELECT max(month) AS month FROM periods WHERE state = 'open'",
        vec![],
    ))
    .one(txn)
    .await?
    .and_then(|m| m.month);
    m.map(|d| Period::containing(d).map_err(|e| AppError::Internal(e.to_string())))
        .transpose()
}
