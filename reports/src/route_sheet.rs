//! The controller's route sheet (seed 001 «Маршрутний лист контролера»; a print form): the
//! meters to be read in the month, controller by controller (the building's controller),
//! in the order of the walk — street, building, apartment, numbers in their natural order —
//! with the previous reading (the latest before the month, or the initial one) and blank
//! columns for the current reading and the day it was taken.

use domain::Period;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use crate::catalog::{Params, buildings_where};
use crate::query::{self, Query};
use crate::table::{ColumnKind, ReportTable};
use access::auth::Reach;
use l10n::Lang;
use platform::error::{AppError, AppResult};
use platform::sql::stmt;

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period: Period = p.month()?;
    let mut within = buildings_where(reach, p);
    if let Some(c) = p.controller {
        let found = Found::find_by_statement(stmt(
            "SELECT count(*) AS n FROM employees WHERE id = $1 AND is_controller",
            vec![c.into()],
        ))
        .one(txn)
        .await?
        .map_or(0, |f| f.n);
        if found == 0 {
            return Err(AppError::validation(
                "controllerId",
                "must be a controller (an employee marked as one)",
            ));
        }
        within.push_str(&format!(" AND b.controller_id = {c}"));
    }
    // The natural order of "12а" after "2": the leading number, then the text.
    let number = |col: &str| format!("nullif(substring({col} from '^[0-9]+'), '')::int");
    let sql = format!(
        "SELECT coalesce(e.name, '') AS controller, concat_ws(', ', l.name, st.name, b.number) AS building, \
                pr.number AS apartment, coalesce(a.number, '') AS account, coalesce(a.holder_name, '') AS holder, \
                sv.name AS service, m.serial, \
                coalesce((SELECT r.current FROM readings r WHERE r.meter_id = m.id AND r.period < $1 \
                          ORDER BY r.period DESC LIMIT 1), m.initial_reading) AS previous, \
                NULL::text AS current, NULL::text AS taken_on, \
                l.name AS k_locality, st.name AS k_street, {} AS k_building, b.number AS k_building_text, \
                {} AS k_apartment, pr.number AS k_apartment_text \
         FROM meters m JOIN buildings b ON b.id = m.building_id JOIN streets st ON st.id = b.street_id \
         JOIN localities l ON l.id = st.locality_id JOIN services sv ON sv.id = m.service_id \
         LEFT JOIN employees e ON e.id = b.controller_id LEFT JOIN premises pr ON pr.id = m.premises_id \
         LEFT JOIN accounts a ON a.id = coalesce(m.account_id, (SELECT a2.id FROM accounts a2 \
              WHERE a2.premises_id = m.premises_id AND (a2.closed_on IS NULL OR a2.closed_on >= $1) ORDER BY a2.id LIMIT 1)) \
         WHERE m.installed_on <= $2 AND (m.removed_on IS NULL OR m.removed_on > $2) AND {within}",
        number("b.number"),
        number("pr.number"),
    );
    let mut table = query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![period.first_day().into(), period.last_day().into()],
            order: "q.controller, q.k_locality, q.k_street, q.k_building NULLS LAST, q.k_building_text, \
                    q.k_apartment NULLS FIRST, q.k_apartment_text NULLS FIRST, q.service, q.serial",
            columns: &[
                ("controller", "report-col-controller", ColumnKind::Text),
                ("building", "report-col-building", ColumnKind::Text),
                ("apartment", "report-col-apartment", ColumnKind::Text),
                ("account", "report-col-account", ColumnKind::Text),
                ("holder", "report-col-holder", ColumnKind::Text),
                ("service", "report-col-service", ColumnKind::Text),
                ("serial", "report-col-serial", ColumnKind::Text),
                ("previous", "report-col-previous", ColumnKind::Quantity),
                ("current", "report-col-current", ColumnKind::Entry),
                ("taken_on", "report-col-taken-on", ColumnKind::Entry),
            ],
            labels: &[],
        },
        offset,
        limit,
    )
    .await?;
    // Readings of different meters are not added up.
    if let Some(previous) = table.totals.get_mut(7) {
        previous.clear();
    }
    Ok(table)
}

#[derive(FromQueryResult)]
struct Found {
    n: i64,
}
