//! What a report's print form (PDF) says besides its table: its parameters in words, and
//! which columns are left blank to be written in by hand.

use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::Params;
use l10n::Lang;
use platform::error::AppResult;
use platform::sql::stmt;

/// The most rows a print form holds (a bigger report is for the spreadsheet).
pub const MAX_ROWS: i64 = 20_000;

#[derive(FromQueryResult)]
struct Name {
    name: String,
}

async fn name(txn: &DatabaseTransaction, sql: &str, id: i32) -> AppResult<String> {
    Ok(Name::find_by_statement(stmt(sql, vec![id.into()]))
        .one(txn)
        .await?
        .map(|n| n.name)
        .unwrap_or_else(|| id.to_string()))
}

/// "Period: 2026-11 · Branch: … · Building: …" in `lang`.
pub async fn subtitle(txn: &DatabaseTransaction, lang: Lang, p: &Params) -> AppResult<String> {
    let t = |id: &str| platform::i18n::text(lang, id);
    let mut parts = Vec::new();
    if let Some(period) = p.period {
        parts.push(format!("{}: {period}", t("report-param-period")));
    }
    if let (Some(from), Some(to)) = (p.from, p.to) {
        parts.push(format!("{}: {from} – {to}", t("report-param-days")));
    }
    if let Some(b) = p.branch {
        let n = name(txn, "SELECT name FROM branches WHERE id = $1", b).await?;
        parts.push(format!("{}: {n}", t("report-col-branch")));
    }
    if let Some(b) = p.building {
        let n = name(
            txn,
            "SELECT concat_ws(', ', l.name, s.name, b.number) AS name FROM buildings b \
             JOIN streets s ON s.id = b.street_id JOIN localities l ON l.id = s.locality_id WHERE b.id = $1",
            b,
        )
        .await?;
        parts.push(format!("{}: {n}", t("report-col-building")));
    }
    if let Some(c) = p.controller {
        let n = name(txn, "SELECT name FROM employees WHERE id = $1", c).await?;
        parts.push(format!("{}: {n}", t("report-col-controller")));
    }
    Ok(parts.join(" · "))
}
