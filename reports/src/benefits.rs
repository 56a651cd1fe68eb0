//! Beneficiaries and benefit categories (seed 001 «Пільговики», «Категорії пільг») and the
//! erroneous benefit and subsidy records («Помилкові записи пільговиків і субсидій»), for a
//! month. A beneficiary counts when their benefit is valid on a day of the month; a family
//! member when their own days are.
//!
//! A category's benefit is the benefit of the month's invoice lines of the accounts holding
//! it, on the services the category covers: an account holding two categories on one
//! service counts under each (the engine sums their benefits into one line).

use sea_orm::DatabaseTransaction;

use crate::catalog::{Params, accounts_where};
use crate::query::{self, Query};
use crate::table::{ColumnKind, ReportTable};
use access::auth::Reach;
use l10n::Lang;
use platform::error::AppResult;

/// The condition "the beneficiary row `bf` is valid on a day of the month ($1–$2)".
const VALID: &str = "bf.starts_on <= $2 AND (bf.ends_on IS NULL OR bf.ends_on >= $1)";
/// Members of `bf` valid on a day of the month.
const MEMBERS: &str = "(SELECT count(*) FROM beneficiary_members m WHERE m.beneficiary_id = bf.id \
     AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $1))";

/// Every beneficiary of the month: account, address, person, category, percent, days of
/// the benefit, document, family members.
pub async fn beneficiaries(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period = p.month()?;
    let within = accounts_where(reach, p, "a");
    let sql = format!(
        "SELECT a.number AS account, a.address, r.full_name AS beneficiary, \
                bn.code || ' ' || bn.name AS benefit, bn.percent, bf.starts_on AS starts, \
                bf.ends_on AS ends, bf.document, {MEMBERS} AS members \
         FROM beneficiaries bf JOIN accounts a ON a.id = bf.account_id \
         JOIN residents r ON r.id = bf.resident_id JOIN benefits bn ON bn.id = bf.benefit_id \
         WHERE {VALID} AND {within}"
    );
    query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![period.first_day().into(), period.last_day().into()],
            order: "q.account, q.beneficiary, q.benefit",
            columns: &[
                ("account", "report-col-account", ColumnKind::Text),
                ("address", "report-col-address", ColumnKind::Text),
                ("beneficiary", "report-col-beneficiary", ColumnKind::Text),
                ("benefit", "report-col-benefit-category", ColumnKind::Text),
                ("percent", "report-col-percent", ColumnKind::Percent),
                ("starts", "report-col-from", ColumnKind::Text),
                ("ends", "report-col-to", ColumnKind::Text),
                ("document", "report-col-document", ColumnKind::Text),
                ("members", "report-col-members", ColumnKind::Count),
            ],
            labels: &[],
        },
        offset,
        limit,
    )
    .await
}

/// The month's categories: beneficiaries, family members, accounts and the benefit.
pub async fn categories(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period = p.month()?;
    let within = accounts_where(reach, p, "a");
    let sql = format!(
        "WITH valid AS (SELECT bf.id, bf.benefit_id, bf.account_id, {MEMBERS} AS members \
             FROM beneficiaries bf JOIN accounts a ON a.id = bf.account_id WHERE {VALID} AND {within}) \
         SELECT bn.code, bn.name, bn.percent, count(*) AS beneficiaries, \
                sum(v.members)::bigint AS members, count(DISTINCT v.account_id) AS accounts, \
                coalesce((SELECT sum(l.benefit) FROM invoice_lines l \
                   JOIN benefit_services bs ON bs.service_id = l.service_id AND bs.benefit_id = bn.id \
                  WHERE l.period = $1 AND l.account_id IN (SELECT v2.account_id FROM valid v2 WHERE v2.benefit_id = bn.id)), 0) AS amount \
         FROM valid v JOIN benefits bn ON bn.id = v.benefit_id GROUP BY bn.id, bn.code, bn.name, bn.percent"
    );
    query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![period.first_day().into(), period.last_day().into()],
            order: "q.code",
            columns: &[
                ("code", "report-col-code", ColumnKind::Text),
                ("name", "report-col-benefit-category", ColumnKind::Text),
                ("percent", "report-col-percent", ColumnKind::Percent),
                (
                    "beneficiaries",
                    "report-col-beneficiaries",
                    ColumnKind::Count,
                ),
                ("members", "report-col-members", ColumnKind::Count),
                ("accounts", "report-col-accounts", ColumnKind::Count),
                ("amount", "report-col-benefit", ColumnKind::Money),
            ],
            labels: &[],
        },
        offset,
        limit,
    )
    .await
}

/// The checks of the erroneous-records report: each code with its words in the catalogs.
pub const PROBLEMS: [(&str, &str); 8] = [
    (
        "resident_not_registered",
        "report-problem-resident-not-registered",
    ),
    (
        "benefit_without_service",
        "report-problem-benefit-without-service",
    ),
    (
        "overlapping_benefits",
        "report-problem-overlapping-benefits",
    ),
    ("inactive_benefit", "report-problem-inactive-benefit"),
    (
        "benefit_on_closed_account",
        "report-problem-benefit-on-closed-account",
    ),
    (
        "subsidy_without_service",
        "report-problem-subsidy-without-service",
    ),
    (
        "subsidy_exceeds_charge",
        "report-problem-subsidy-exceeds-charge",
    ),
    (
        "subsidy_on_closed_account",
        "report-problem-subsidy-on-closed-account",
    ),
];

/// The month's benefit and subsidy records the engine cannot apply as entered: each row
/// an account, the record (person or service), the problem and what it concerns.
pub async fn errors(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period = p.month()?;
    let within = accounts_where(reach, p, "a");
    let person = "FROM beneficiaries bf JOIN accounts a ON a.id = bf.account_id \
                  JOIN residents r ON r.id = bf.resident_id JOIN benefits bn ON bn.id = bf.benefit_id";
    let subsidy = "FROM subsidies su JOIN accounts a ON a.id = su.account_id JOIN services sv ON sv.id = su.service_id";
    let served = |account: &str, service: &str| {
        format!(
            "EXISTS (SELECT 1 FROM account_services x WHERE x.account_id = {account} AND x.service_id = {service} \
             AND x.starts_on <= $2 AND (x.ends_on IS NULL OR x.ends_on >= $1))"
        )
    };
    let sql = format!(
        "SELECT a.number AS account, a.address, r.full_name AS record, 'resident_not_registered' AS problem, \
                bn.code || ' ' || bn.name AS detail {person} \
          WHERE {VALID} AND {within} AND NOT (coalesce(r.registered_from, '-infinity') <= least(coalesce(bf.ends_on, $2), $2) \
                AND coalesce(r.registered_to, 'infinity') >= greatest(bf.starts_on, $1)) \
         UNION ALL \
         SELECT a.number, a.address, r.full_name, 'benefit_without_service', bn.code || ' ' || bn.name {person} \
          WHERE {VALID} AND {within} AND NOT EXISTS (SELECT 1 FROM benefit_services bs WHERE bs.benefit_id = bf.benefit_id \
                AND {}) \
         UNION ALL \
         SELECT a.number, a.address, r.full_name, 'overlapping_benefits', bn.code || ' / ' || bn2.code {person} \
           JOIN beneficiaries bf2 ON bf2.resident_id = bf.resident_id AND bf2.id > bf.id \
                AND bf2.starts_on <= coalesce(bf.ends_on, 'infinity') AND coalesce(bf2.ends_on, 'infinity') >= bf.starts_on \
                AND bf2.starts_on <= $2 AND (bf2.ends_on IS NULL OR bf2.ends_on >= $1) \
           JOIN benefits bn2 ON bn2.id = bf2.benefit_id \
          WHERE {VALID} AND {within} \
         UNION ALL \
         SELECT a.number, a.address, r.full_name, 'inactive_benefit', bn.code || ' ' || bn.name {person} \
          WHERE {VALID} AND {within} AND NOT bn.active \
         UNION ALL \
         SELECT a.number, a.address, r.full_name, 'benefit_on_closed_account', a.closed_on::text {person} \
          WHERE {VALID} AND {within} AND a.closed_on < $1 \
         UNION ALL \
         SELECT a.number, a.address, sv.name, 'subsidy_without_service', su.amount::text {subsidy} \
          WHERE su.period = $1 AND {within} AND NOT {} \
         UNION ALL \
         SELECT a.number, a.address, sv.name, 'subsidy_exceeds_charge', su.amount::text || ' > ' || l.subsidy::text {subsidy} \
           JOIN invoice_lines l ON l.period = su.period AND l.account_id = su.account_id AND l.service_id = su.service_id \
          WHERE su.period = $1 AND {within} AND su.amount > l.subsidy \
         UNION ALL \
         SELECT a.number, a.address, sv.name, 'subsidy_on_closed_account', a.closed_on::text {subsidy} \
          WHERE su.period = $1 AND {within} AND a.closed_on < $1",
        served("a.id", "bs.service_id"),
        served("a.id", "su.service_id"),
    );
    let mut table = query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![period.first_day().into(), period.last_day().into()],
            order: "q.account, q.problem, q.record",
            columns: &[
                ("account", "report-col-account", ColumnKind::Text),
                ("address", "report-col-address", ColumnKind::Text),
                ("record", "report-col-record", ColumnKind::Text),
                ("problem", "report-col-problem", ColumnKind::Text),
                ("detail", "report-col-detail", ColumnKind::Text),
            ],
            labels: &[],
        },
        offset,
        limit,
    )
    .await?;
    // The problem in words.
    for row in &mut table.rows {
        if let Some(cell) = row.get_mut(3)
            && let Some((_, id)) = PROBLEMS.iter().find(|(code, _)| code == cell)
        {
            *cell = platform::i18n::text(lang, id);
        }
    }
    Ok(table)
}
