//! Small SQL helpers every context's repositories share: a raw statement with bound
//! values, the LIKE pattern of a search box, a one-row settings table, optional text.

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
pub async fn settings_row<T: sea_orm::FromQueryResult>(
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
pub fn optional_text(
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

/// Largest page a client may ask for (every list's `limit`).
pub const MAX_PAGE: u64 = 500;
