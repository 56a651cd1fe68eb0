//! A report's result as the screen and the spreadsheet take it: columns (a key, a title in
//! the user's language, a kind that says how to format the values), rows of values as
//! text (money and quantities exactly as the database has them), and a totals row.

use rust_decimal::Decimal;

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum ColumnKind {
    Text,
    /// Two decimals, summed in the totals.
    Money,
    /// A whole number.
    Count,
    /// A quantity (m³, kWh) with up to four decimals, summed in the totals.
    Quantity,
    /// A share in per cent, one decimal; not summed.
    Percent,
    /// Left blank, to be written in by hand (a print form's box).
    Entry,
}

#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject)]
pub struct Column {
    pub key: String,
    pub title: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, PartialEq, async_graphql::SimpleObject)]
pub struct ReportTable {
    pub title: String,
    pub columns: Vec<Column>,
    /// The page asked for, each row a value per column.
    pub rows: Vec<Vec<String>>,
    /// Over every row of the report, not only the page (empty cells for text columns).
    pub totals: Vec<String>,
    /// Rows in the whole report.
    pub total: i64,
}

/// Columns from (key, title, kind).
pub fn columns(list: &[(&str, String, ColumnKind)]) -> Vec<Column> {
    list.iter()
        .map(|(key, title, kind)| Column {
            key: (*key).to_owned(),
            title: title.clone(),
            kind: *kind,
        })
        .collect()
}

/// Money as text with two decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", domain::money(d))
}

/// The money columns of an invoice in their order — opening, charged, recalculation,
/// benefit, subsidy, penalty, paid, closing — titled in `lang` (the summary's, the
/// turnover's).
pub fn invoice_money_columns(lang: l10n::Lang) -> Vec<Column> {
    [
        ("opening", "report-col-opening"),
        ("charged", "report-col-charged"),
        ("recalculation", "report-col-recalculation"),
        ("benefit", "report-col-benefit"),
        ("subsidy", "report-col-subsidy"),
        ("penalty", "report-col-penalty"),
        ("paid", "report-col-paid"),
        ("closing", "report-col-closing"),
    ]
    .into_iter()
    .map(|(key, id)| Column {
        key: key.to_owned(),
        title: platform::i18n::text(lang, id),
        kind: ColumnKind::Money,
    })
    .collect()
}
