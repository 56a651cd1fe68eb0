//! Electricity retail (issue 23, seed 003 SMART E-BILLING): the trader's customer
//! dossiers — customers with their invoicing settings (`customers`), metering points by
//! EIC (`points`), contracts and annexes with the price terms they set (`contracts`),
//! scanned papers (`documents`) —
//! and their resolvers (`graphql`). Customers are served by a branch: a user limited to
//! branches sees those branches' customers.

pub mod contracts;
pub mod customers;
pub mod documents;
pub mod graphql;
pub mod points;

use platform::error::{AppError, AppResult};

/// A tenant's decimal typed as text ("12,5"), optional: empty is none.
pub(crate) fn optional_amount(
    field: &str,
    text: Option<&str>,
) -> AppResult<Option<rust_decimal::Decimal>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => {
            let v = platform::input::parse_amount(field, t)?;
            if v.scale() > 4 || v.abs() >= rust_decimal::Decimal::from(10_000_000_000i64) {
                return Err(AppError::validation(
                    field,
                    "must have at most 4 decimals and 10 digits before the point",
                ));
            }
            Ok(Some(v.normalize()))
        }
    }
}

/// Text typed into a form: trimmed, at most `max` characters (empty allowed).
pub(crate) fn text(field: &str, v: &str, max: usize) -> AppResult<String> {
    Ok(platform::sql::optional_text(Some(v), field, max)?.unwrap_or_default())
}

/// A code chosen from a list, else a refusal naming the list.
pub(crate) fn one_of(field: &str, v: &str, list: &[&str]) -> AppResult<String> {
    if list.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(AppError::validation(
            field,
            format!("must be one of {}", list.join(", ")),
        ))
    }
}

/// Runs a dossier row's INSERT or UPDATE (`RETURNING id`), a refused check named by its
/// field; the row's id.
pub(crate) async fn write_row(
    txn: &sea_orm::DatabaseTransaction,
    sql: &str,
    values: Vec<sea_orm::Value>,
    checks: &[platform::error::Check],
) -> AppResult<i64> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Id {
        id: i64,
    }
    Ok(Id::find_by_statement(platform::sql::stmt(sql, values))
        .one(txn)
        .await
        .map_err(|e| platform::error::named_check(&e, checks).unwrap_or_else(|| e.into()))?
        .ok_or_else(|| AppError::Internal("the row was not written".into()))?
        .id)
}
