//! Non-revenue water per building (a "beyond" report): for the month, each building with a
//! building meter — what the building meter measured, what the apartments were billed by
//! their meters and by norm (area and fixed charges with it), the difference (the loss),
//! its share of the building meter, what of it was billed as common-house need (the lines of
//! the common-house service based on this one), and the
//! loss share of the five months before and this one (the trend).
//!
//! The building is the unit: its apartments' lines count whoever's reach they are in, and
//! buildings are limited by the user's reach, the branch and the building asked for.

use domain::Period;
use sea_orm::DatabaseTransaction;

use crate::catalog::{Params, buildings_where};
use crate::query::{self, Query};
use crate::table::{ColumnKind, ReportTable};
use access::auth::Reach;
use l10n::Lang;
use platform::error::AppResult;

/// The building meters' consumption of building `b`, service `s`, month `mo`.
fn house(b: &str, s: &str, mo: &str) -> String {
    format!(
        "(SELECT sum(r.consumption) FROM meters m JOIN readings r ON r.meter_id = m.id AND r.period = {mo} \
          WHERE m.install_method = 'building' AND m.building_id = {b} AND m.service_id = {s})"
    )
}

/// The quantity billed to the apartments of building `b` in month `mo` on lines of the
/// services `services` (a condition on the services row `sv`) by the methods `methods`.
fn billed(b: &str, services: &str, mo: &str, methods: &str) -> String {
    format!(
        "(SELECT coalesce(sum(l.quantity), 0) FROM invoice_lines l JOIN accounts a ON a.id = l.account_id \
           JOIN premises pr ON pr.id = a.premises_id JOIN services sv ON sv.id = l.service_id \
          WHERE l.period = {mo} AND pr.building_id = {b} AND {services} AND l.method IN ({methods}))"
    )
}

const METERED: &str = "'metered'";
const BY_NORM: &str = "'norm', 'area', 'fixed'";

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
) -> AppResult<ReportTable> {
    let period: Period = p.month()?;
    let within = buildings_where(reach, p);
    let billed_then = format!(
        "{} + {}",
        billed("k.building_id", "sv.id = k.service_id", "mo::date", METERED),
        billed("k.building_id", "sv.id = k.service_id", "mo::date", BY_NORM)
    );
    let sql = format!(
        "SELECT k.address AS building, k.service, k.house, k.metered, k.by_norm, \
                k.house - k.metered - k.by_norm AS loss, \
                round((k.house - k.metered - k.by_norm) * 100 / nullif(k.house, 0), 1) AS share, \
                k.common, \
                (SELECT string_agg(coalesce(to_char(t.share, 'FM9990.0'), '–'), ' · ' ORDER BY t.mo) FROM ( \
                   SELECT mo, (h - ({billed_then})) * 100 / nullif(h, 0) AS share \
                     FROM generate_series($1::date - interval '5 months', $1::date, interval '1 month') mo, \
                          LATERAL (SELECT {} AS h) hh) t) AS trend \
         FROM (SELECT b.id AS building_id, s.id AS service_id, concat_ws(', ', l.name, st.name, b.number) AS address, \
                      s.name AS service, {} AS house, {} AS metered, {} AS by_norm, {} AS common \
                 FROM buildings b JOIN streets st ON st.id = b.street_id JOIN localities l ON l.id = st.locality_id \
                 JOIN services s ON s.id IN (SELECT m.service_id FROM meters m WHERE m.building_id = b.id \
                      AND m.install_method = 'building' AND m.installed_on <= $2 \
                      AND (m.removed_on IS NULL OR m.removed_on >= $1)) \
                WHERE {within}) k \
         WHERE k.house IS NOT NULL",
        house("k.building_id", "k.service_id", "mo::date"),
        house("b.id", "s.id", "$1"),
        billed("b.id", "sv.id = s.id", "$1", METERED),
        billed("b.id", "sv.id = s.id", "$1", BY_NORM),
        // The common-house service's lines: a service of its own based on this one.
        billed("b.id", "sv.base_service_id = s.id", "$1", "'common_house'"),
    );
    let mut table = query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![period.first_day().into(), period.last_day().into()],
            order: "q.building, q.service",
            columns: &[
                ("building", "report-col-building", ColumnKind::Text),
                ("service", "report-col-service", ColumnKind::Text),
                ("house", "report-col-house-meter", ColumnKind::Quantity),
                ("metered", "report-col-billed-metered", ColumnKind::Quantity),
                ("by_norm", "report-col-billed-norm", ColumnKind::Quantity),
                ("loss", "report-col-loss", ColumnKind::Quantity),
                ("share", "report-col-loss-share", ColumnKind::Percent),
                ("common", "report-col-common-house", ColumnKind::Quantity),
                ("trend", "report-col-trend", ColumnKind::Text),
            ],
            labels: &[],
        },
        offset,
        limit,
    )
    .await?;
    // The total's share: the total loss over the total of the building meters.
    let num = |i: usize| {
        table
            .totals
            .get(i)
            .and_then(|v| v.parse::<rust_decimal::Decimal>().ok())
    };
    if let (Some(house), Some(loss)) = (num(2), num(5))
        && !house.is_zero()
        && let Some(cell) = table.totals.get_mut(6)
    {
        *cell = format!(
            "{:.1}",
            (loss * rust_decimal::Decimal::ONE_HUNDRED / house).round_dp(1)
        );
    }
    Ok(table)
}
