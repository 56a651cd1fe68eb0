//! The summary (seed 000 §4.8 «Сводный», seed 001 «Оборотна відомість по послугах»): the
//! period's invoice lines summed by service (or by branch) — accounts, opening, charged,
//! recalculation, benefit, subsidy, penalty, paid, closing — and in total. Over the whole
//! tenant it is the period's `closingSummary` to the kopeck; each row reconciles (opening
//! + charged + recalculation − benefit − subsidy + penalty − paid = closing).

use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, accounts_where};
use crate::table::{ColumnKind, ReportTable, columns, invoice_money_columns, money};
use access::auth::Reach;
use l10n::Lang;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    service: Option<String>,
    accounts: i64,
    opening: Decimal,
    charged: Decimal,
    recalculation: Decimal,
    benefit: Decimal,
    subsidy: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
}

impl Row {
    fn cells(&self) -> Vec<String> {
        let mut out = vec![
            self.service.clone().unwrap_or_default(),
            self.accounts.to_string(),
        ];
        out.extend(
            [
                self.opening,
                self.charged,
                self.recalculation,
                self.benefit,
                self.subsidy,
                self.penalty,
                self.paid,
                self.closing,
            ]
            .map(money),
        );
        out
    }
}

/// What a summary's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Service,
    /// Accounts without a branch make a row of their own (no name).
    Branch,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
    group: Group,
) -> AppResult<ReportTable> {
    let period = p
        .period
        .ok_or_else(|| AppError::validation("period", "is required"))?;
    let within = accounts_where(reach, p, "a");
    // Grouping sets: a row per service (or branch), then the total (all NULL) last.
    let (key, name, join, order) = match group {
        Group::Service => (
            "l.service_id",
            "coalesce(min(s.name), '')",
            "LEFT JOIN services s ON s.id = l.service_id",
            "min(s.priority) NULLS LAST, l.service_id",
        ),
        Group::Branch => (
            "a.branch_id",
            "coalesce(min(b.name), '')",
            "LEFT JOIN branches b ON b.id = a.branch_id",
            "min(b.name) NULLS LAST, a.branch_id",
        ),
    };
    let rows = Row::find_by_statement(stmt(
        &format!(
            "SELECT CASE WHEN grouping({key}) = 1 THEN NULL ELSE {name} END AS service, \
                    count(DISTINCT l.account_id) AS accounts, \
                    coalesce(sum(l.opening), 0) AS opening, coalesce(sum(l.charged), 0) AS charged, \
                    coalesce(sum(l.recalculation), 0) AS recalculation, coalesce(sum(l.benefit), 0) AS benefit, \
                    coalesce(sum(l.subsidy), 0) AS subsidy, coalesce(sum(l.penalty), 0) AS penalty, \
                    coalesce(sum(l.paid), 0) AS paid, coalesce(sum(l.closing), 0) AS closing \
             FROM invoice_lines l JOIN accounts a ON a.id = l.account_id {join} \
             WHERE l.period = $1 AND {within} \
             GROUP BY GROUPING SETS (({key}), ()) \
             ORDER BY grouping({key}), {order}"
        ),
        vec![period.first_day().into()],
    ))
    .all(txn)
    .await?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let (lines, total): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.service.is_some());
    let mut totals = total.first().map(|r| r.cells()).unwrap_or_default();
    if let Some(first) = totals.first_mut() {
        *first = t("report-total");
    }
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            match group {
                Group::Service => ("service", t("report-col-service"), ColumnKind::Text),
                Group::Branch => ("branch", t("report-col-branch"), ColumnKind::Text),
            },
            ("accounts", t("report-col-accounts"), ColumnKind::Count),
        ])
        .into_iter()
        .chain(invoice_money_columns(lang))
        .collect(),
        total: i64::try_from(lines.len()).unwrap_or(i64::MAX),
        rows: lines
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|r| r.cells())
            .collect(),
        totals,
    })
}
