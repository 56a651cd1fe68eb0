//! The registry's repositories (accounts now; subscribers, premises, buildings with the
//! registry issue). Functions take a tenant unit of work; callers have authorised it.

pub mod account_services;
pub mod accounts;
pub mod addresses;
pub mod beneficiaries;
pub mod books;
pub mod buildings;
pub mod contracts;
pub mod counters;
pub mod meter_hierarchy;
pub mod meters;
pub mod prices;
pub mod reading_file;
pub mod reading_import;
pub mod readings;
pub mod restructurings;
pub mod subscribers;
pub mod subsidies;

/// The `%…%` LIKE pattern for a search box's text, with LIKE's own wildcards in the text
/// taken literally; None for empty text.
pub fn like_pattern(search: Option<&str>) -> Option<String> {
    search.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        format!(
            "%{}%",
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    })
}

/// A raw statement with bound values (the repositories' SQL is written out in full).
pub fn stmt(sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    sea_orm::Statement::from_sql_and_values(sea_orm::DbBackend::Postgres, sql, values)
}

/// Reads a one-row settings table (`sql` selects from `table`; its row is made by the
/// migration, so a missing row is a broken schema).
pub(crate) async fn settings_row<T: sea_orm::FromQueryResult>(
    txn: &sea_orm::DatabaseTransaction,
    table: &str,
    sql: &str,
) -> crate::error::AppResult<T> {
    T::find_by_statement(stmt(sql, vec![]))
        .one(txn)
        .await?
        .ok_or_else(|| crate::error::AppError::Internal(format!("{table} has no row")))
}

/// Optional text typed by a user: trimmed, empty = none, at most `max` characters.
pub(crate) fn optional_text(
    v: Option<&str>,
    field: &str,
    max: usize,
) -> crate::error::AppResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() <= max => Ok(Some(s.to_owned())),
        Some(_) => Err(crate::error::AppError::validation(
            field,
            format!("must be at most {max} characters"),
        )),
    }
}
