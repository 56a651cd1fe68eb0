//! Meters (seed 001 «Лічильники»): the working meters by service and model — how many,
//! whose verification is overdue (the next verification before the month), due within the
//! month, and how many have no reading of the month. A meter is working when installed by
//! the month's end and not removed before its start. Reach: the meter's building.

use domain::Period;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, buildings_where};
use crate::table::{ColumnKind, ReportTable, columns};
use access::auth::Reach;
use l10n::Lang;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

#[derive(FromQueryResult)]
struct Row {
    service: String,
    model: Option<String>,
    working: i64,
    overdue: i64,
    due: i64,
    unread: i64,
}

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period: Period = p
        .period
        .ok_or_else(|| AppError::validation("period", "is required"))?;
    let within = buildings_where(reach, p);
    let grouped = format!(
        "SELECT s.name AS service, mm.name AS model, count(*) AS working, \
                count(*) FILTER (WHERE m.next_verification < $1) AS overdue, \
                count(*) FILTER (WHERE m.next_verification BETWEEN $1 AND $2) AS due, \
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = $1)) AS unread \
         FROM meters m JOIN buildings b ON b.id = m.building_id JOIN services s ON s.id = m.service_id \
         LEFT JOIN meter_models mm ON mm.id = m.model_id \
         WHERE m.installed_on <= $2 AND (m.removed_on IS NULL OR m.removed_on >= $1) AND {within} \
         GROUP BY s.id, s.name, mm.name"
    );
    let values = || vec![period.first_day().into(), period.last_day().into()];
    let rows = Row::find_by_statement(stmt(
        &format!(
            "{grouped} ORDER BY min(s.priority) NULLS LAST, s.id, mm.name NULLS FIRST LIMIT {} OFFSET {offset}",
            limit.max(1)
        ),
        values(),
    ))
    .all(txn)
    .await?;
    #[derive(FromQueryResult)]
    struct Totals {
        groups: i64,
        working: Option<i64>,
        overdue: Option<i64>,
        due: Option<i64>,
        unread: Option<i64>,
    }
    let sums = Totals::find_by_statement(stmt(
        &format!(
            "SELECT count(*) AS groups, sum(working)::bigint AS working, sum(overdue)::bigint AS overdue, \
                    sum(due)::bigint AS due, sum(unread)::bigint AS unread FROM ({grouped}) t"
        ),
        values(),
    ))
    .one(txn)
    .await?
    .ok_or_else(|| AppError::Internal("a count returned nothing".into()))?;
    let t = |id: &str| platform::i18n::text(lang, id);
    let n = |v: Option<i64>| v.unwrap_or_default().to_string();
    Ok(ReportTable {
        title: String::new(),
        columns: columns(&[
            ("service", t("report-col-service"), ColumnKind::Text),
            ("model", t("report-col-model"), ColumnKind::Text),
            ("working", t("report-col-working"), ColumnKind::Count),
            (
                "overdue",
                t("report-col-verification-overdue"),
                ColumnKind::Count,
            ),
            ("due", t("report-col-verification-due"), ColumnKind::Count),
            ("unread", t("report-col-unread"), ColumnKind::Count),
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.service.clone(),
                    r.model.clone().unwrap_or_default(),
                    r.working.to_string(),
                    r.overdue.to_string(),
                    r.due.to_string(),
                    r.unread.to_string(),
                ]
            })
            .collect(),
        totals: vec![
            t("report-total"),
            String::new(),
            n(sums.working),
            n(sums.overdue),
            n(sums.due),
            n(sums.unread),
        ],
        total: sums.groups,
    })
}
