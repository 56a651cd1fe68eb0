//! Subscriber information (seed 001 «Інформація по абонентах»): every account within the
//! filters with its holder, address, type and state, residents, the premises' total area in
//! force today, the subscriber's phone and e-mail, the services it receives today, its
//! meters and its balance; totals of residents, area, meters and balance.

use sea_orm::DatabaseTransaction;

use crate::catalog::{Params, accounts_where};
use crate::query::{self, Query};
use crate::table::{ColumnKind, ReportTable};
use access::auth::Reach;
use l10n::Lang;
use platform::error::AppResult;

pub async fn table(
    txn: &DatabaseTransaction,
    reach: &Reach,
    lang: Lang,
    p: &Params,
    offset: u64,
    limit: u64,
    today: chrono::NaiveDate,
) -> AppResult<ReportTable> {
    let within = accounts_where(reach, p, "a");
    let sql = format!(
        "SELECT a.number AS account, a.holder_name AS holder, a.address, a.account_type AS type, \
                a.status, a.residents, \
                (SELECT pa.total_area FROM premises_areas pa WHERE pa.premises_id = a.premises_id \
                   AND pa.valid_from <= $1 ORDER BY pa.valid_from DESC LIMIT 1) AS area, \
                s.phone, s.email, \
                (SELECT string_agg(sv.code, ', ' ORDER BY sv.priority NULLS LAST, sv.code) \
                   FROM account_services x JOIN services sv ON sv.id = x.service_id \
                  WHERE x.account_id = a.id AND x.starts_on <= $1 AND (x.ends_on IS NULL OR x.ends_on >= $1)) AS services, \
                a.meters, a.balance \
         FROM accounts a LEFT JOIN subscribers s ON s.id = a.subscriber_id WHERE {within}"
    );
    query::read(
        txn,
        lang,
        Query {
            sql,
            values: vec![today.into()],
            order: "q.account",
            columns: &[
                ("account", "report-col-account", ColumnKind::Text),
                ("holder", "report-col-holder", ColumnKind::Text),
                ("address", "report-col-address", ColumnKind::Text),
                ("type", "report-col-account-type", ColumnKind::Text),
                ("status", "report-col-status", ColumnKind::Text),
                ("residents", "report-col-residents", ColumnKind::Count),
                ("area", "report-col-area", ColumnKind::Quantity),
                ("phone", "report-col-phone", ColumnKind::Text),
                ("email", "report-col-email", ColumnKind::Text),
                ("services", "report-col-services", ColumnKind::Text),
                ("meters", "report-col-meters", ColumnKind::Count),
                ("balance", "report-col-balance", ColumnKind::Money),
            ],
            labels: &[("type", "accounts_type"), ("status", "accounts_status")],
        },
        offset,
        limit,
    )
    .await
}
