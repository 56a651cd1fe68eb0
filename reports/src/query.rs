//! The shape most reports share: one SQL query whose columns are named by the report's
//! column keys, a page of it in a given order, and a totals row over all of it — sums of
//! the money, count and quantity columns, nothing under text and percent columns. A report
//! says its SQL, its order and its columns; this module reads the page and the totals.

use sea_orm::{DatabaseTransaction, QueryResult, Value};

use crate::table::{Column, ColumnKind, ReportTable, columns, money};
use l10n::Lang;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

/// A report read by one query.
pub struct Query<'a> {
    /// A SELECT whose output columns are named by the keys of `columns`.
    pub sql: String,
    pub values: Vec<Value>,
    /// The ORDER BY of the page (over the output columns).
    pub order: &'a str,
    /// (key, catalog id of the title, kind).
    pub columns: &'a [(&'a str, &'a str, ColumnKind)],
    /// Columns holding codes, with the code list whose words replace them (`codes.ftl`).
    pub labels: &'a [(&'a str, &'a str)],
}

struct Cells(Vec<String>);

impl Cells {
    fn read(row: &QueryResult, n: usize) -> Self {
        Self(
            (0..n)
                .map(|i| {
                    row.try_get_by_index::<Option<String>>(i)
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                })
                .collect(),
        )
    }
}

/// Whether a column's values are summed in the totals row.
fn summed(kind: ColumnKind) -> bool {
    matches!(
        kind,
        ColumnKind::Money | ColumnKind::Count | ColumnKind::Quantity
    )
}

/// The page (`offset`, `limit`) and the totals of `q`, titles in `lang`.
pub async fn read(
    txn: &DatabaseTransaction,
    lang: Lang,
    q: Query<'_>,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let keys: Vec<&str> = q.columns.iter().map(|c| c.0).collect();
    let as_text = keys
        .iter()
        .map(|k| format!("q.{k}::text"))
        .collect::<Vec<_>>()
        .join(", ");
    let page = format!(
        "SELECT {as_text} FROM ({}) q ORDER BY {} LIMIT {} OFFSET {offset}",
        q.sql,
        q.order,
        limit.max(1)
    );
    let n = q.columns.len();
    let rows = txn_rows(txn, &page, q.values.clone(), n).await?;
    let sums = q
        .columns
        .iter()
        .map(|(k, _, kind)| {
            if summed(*kind) {
                format!("sum(q.{k})::text")
            } else {
                "NULL::text".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let totals_sql = format!("SELECT count(*)::text, {sums} FROM ({}) q", q.sql);
    let totals = txn_rows(txn, &totals_sql, q.values, n + 1)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let cols: Vec<Column> = columns(
        &q.columns
            .iter()
            .map(|(k, title, kind)| (*k, t(title), *kind))
            .collect::<Vec<_>>(),
    );
    let shown = |kind: ColumnKind, v: String| match kind {
        ColumnKind::Money if !v.is_empty() => v.parse().map(money).unwrap_or(v),
        ColumnKind::Quantity if !v.is_empty() => v
            .parse::<rust_decimal::Decimal>()
            .map(|d| d.normalize().to_string())
            .unwrap_or(v),
        _ => v,
    };
    let list_of = |key: &str| q.labels.iter().find(|l| l.0 == key).map(|l| l.1);
    let page_rows = rows
        .into_iter()
        .map(|r| {
            r.0.into_iter()
                .zip(&cols)
                .map(|(v, c)| match list_of(&c.key) {
                    Some(list) if !v.is_empty() => l10n::code_label(lang, list, &v),
                    _ => shown(c.kind, v),
                })
                .collect()
        })
        .collect();
    let mut cells = totals.0.into_iter();
    let total: i64 = cells
        .next()
        .and_then(|c| c.parse().ok())
        .unwrap_or_default();
    let mut sums: Vec<String> = cells
        .zip(&cols)
        .map(|(v, c)| match c.kind {
            k if summed(k) && v.is_empty() => shown(k, "0".into()),
            k => shown(k, v),
        })
        .collect();
    if let Some(first) = sums.first_mut() {
        *first = t("report-total");
    }
    sums.truncate(n);
    Ok(ReportTable {
        title: String::new(),
        columns: cols,
        rows: page_rows,
        totals: sums,
        total,
    })
}

/// The rows of `sql`, each its first `n` columns as text.
async fn txn_rows(
    txn: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
    n: usize,
) -> AppResult<Vec<Cells>> {
    use sea_orm::ConnectionTrait;
    let rows = txn.query_all_raw(stmt(sql, values)).await?;
    Ok(rows.iter().map(|r| Cells::read(r, n)).collect())
}
