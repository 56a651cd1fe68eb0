//! The integration tests' starting tenant: eight accounts in two branches with text
//! addresses, their residents, the Ukrainian price list (`PRICING`, shared with the data
//! generator) and the demo logins. Small and fast, so each of the many tests gets its own;
//! tests build the registry objects they exercise themselves. The product's demo — a
//! whole living utility — is `demo::seed`. Idempotent: rows are upserted by natural keys.

use chrono::{DateTime, Utc};
use domain::TenantSlug;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use backend::error::AppResult;
use backend::tenants::{self, NewTenant};
use backend::{state::AppState, tenancy};

/// (number, holder, address, residents, branch code, type, meters, balance in kopecks)
type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    &'static str,
    &'static str,
    i32,
    i64,
);

const ACCOUNTS: &[DemoAccount] = &[
    (
        "100001",
        "Фролов Степан",
        "Київ, вул. Хрещатик, 2, кв. 45",
        2,
        "1",
        "individual",
        2,
        11100,
    ),
    (
        "100002",
        "Соколова Світлана",
        "Київ, просп. Перемоги, 1, кв. 7",
        3,
        "1",
        "individual",
        2,
        0,
    ),
    (
        "100003",
        "Новікова Анна",
        "Київ, вул. Хрещатик, 2, кв. 46",
        1,
        "1",
        "individual",
        1,
        2500,
    ),
    (
        "100004",
        "Іваненко Іван Іванович",
        "Бровари, вул. Київська, 1, кв. 3",
        1,
        "2",
        "individual",
        3,
        -1520,
    ),
    (
        "100005",
        "Глухов Федір Петрович",
        "Бровари, вул. Київська, 2, кв. 42",
        2,
        "2",
        "individual",
        2,
        48075,
    ),
    (
        "100006",
        "Старих Віктор",
        "Київ, вул. Шолохова, 1, кв. 12",
        3,
        "1",
        "individual",
        2,
        0,
    ),
    (
        "100007",
        "Новіков Василь",
        "Київ, вул. Шолохова, 5, кв. 8",
        3,
        "2",
        "individual",
        0,
        9630,
    ),
    (
        "100008",
        "ТОВ «Водограй»",
        "Київ, вул. Промислова, 14",
        0,
        "1",
        "legal",
        4,
        125000,
    ),
];

const BRANCHES: &[(&str, &str)] = &[("1", "Київ"), ("2", "Бровари")];

pub async fn ensure(state: &AppState, slug: &TenantSlug, now: DateTime<Utc>) -> AppResult<()> {
    tenants::create(
        &state.owner_db,
        &NewTenant::ukrainian(slug.clone(), "Водоканал «Демо»"),
        now,
    )
    .await?;
    let txn = tenancy::begin(&state.db, slug).await?;
    for (code, name) in BRANCHES {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO branches (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name",
            [(*code).into(), (*name).into()],
        ))
        .await?;
    }
    for (number, holder, address, residents, branch, kind, meters, kopecks) in ACCOUNTS {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO accounts (number, holder_name, address, residents, branch_id, account_type, meters, balance) \
             VALUES ($1, $2, $3, $4, (SELECT id FROM branches WHERE code = $5), $6, $7, $8) \
             ON CONFLICT (number) DO NOTHING",
            [
                (*number).into(),
                (*holder).into(),
                (*address).into(),
                (*residents).into(),
                (*branch).into(),
                (*kind).into(),
                (*meters).into(),
                Decimal::new(*kopecks, 2).into(),
            ],
        ))
        .await?;
    }
    // The residents behind each account's count: the holder, then family members.
    txn.execute_unprepared(
        "INSERT INTO residents (account_id, full_name, registered_from, living_from) \
         SELECT a.id, CASE WHEN g = 1 THEN a.holder_name \
                           ELSE split_part(a.holder_name, ' ', 1) || ' (член сім''ї ' || g || ')' END, \
                DATE '2020-01-01', DATE '2020-01-01' \
         FROM accounts a CROSS JOIN LATERAL generate_series(1, a.residents) g \
         WHERE NOT EXISTS (SELECT 1 FROM residents r WHERE r.account_id = a.id)",
    )
    .await?;
    txn.execute_unprepared(PRICING).await?;
    txn.execute_unprepared(LATE_PRICE_LIST).await?;
    txn.execute_unprepared(
        "INSERT INTO account_services (account_id, service_id, starts_on) \
         SELECT a.id, s.id, DATE '2026-01-01' FROM accounts a JOIN services s ON s.code IN ('xvs', 'utr') \
         WHERE NOT EXISTS (SELECT 1 FROM account_services x WHERE x.account_id = a.id AND x.service_id = s.id)",
    )
    .await?;
    txn.commit().await?;
    super::users::ensure(state, slug, &super::users::FIXTURE_PORTAL).await
}

/// Services with their methods, a price list with dated tariffs (one of components),
/// norms, the NBU rate and three benefits; idempotent. Shared with the data generator.
/// Codes are the usual Ukrainian abbreviations, so tests that make their own services do
/// not meet them.
/// Tariffs «after the 20th» (seed 001 §6.2): the base tariffs 5 % dearer, for invoices
/// not paid by the due day; a building's or an apartment's card chooses the list
/// (Ukrainian housing offices price so; shared with the Ukrainian demo).
pub const LATE_PRICE_LIST: &str = "
INSERT INTO price_lists (code, name) VALUES ('after20', 'Після 20 числа') ON CONFLICT (code) DO NOTHING;
INSERT INTO tariffs (price_list_id, service_id, valid_from, price)
SELECT (SELECT id FROM price_lists WHERE code = 'after20'), t.service_id, t.valid_from, round(t.price * 1.05, 4)
FROM tariffs t WHERE t.price_list_id = (SELECT id FROM price_lists WHERE code = 'base')
ON CONFLICT ON CONSTRAINT tariffs_key DO NOTHING;
";

pub const PRICING: &str = "
INSERT INTO services (code, name, unit_id, method, seasonal, priority) VALUES
    ('xvs', 'Холодне водопостачання', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 1),
    ('gvs', 'Гаряче водопостачання', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 2),
    ('vv', 'Водовідведення', (SELECT id FROM units WHERE code = 'm3'), 'norm', false, 3),
    ('opal', 'Централізоване опалення', (SELECT id FROM units WHERE code = 'm2'), 'area', true, 4),
    ('utr', 'Утримання будинку', (SELECT id FROM units WHERE code = 'm2'), 'area', false, 5)
ON CONFLICT (code) DO NOTHING;
-- The reasons of recalculation and the services each applies to (seed 002 Table 1).
INSERT INTO reason_services (reason_id, service_id)
SELECT r.id, s.id FROM recalculation_reasons r JOIN services s ON (r.code, s.code) IN (
    ('quality', 'xvs'), ('quality', 'gvs'), ('composition', 'gvs'), ('temperature', 'gvs'),
    ('temperature', 'opal'))
ON CONFLICT DO NOTHING;
-- The common-house share of cold water: the house meter less the apartments, per
-- resident, at most 1.5 m³ each.
INSERT INTO services (code, name, unit_id, method, seasonal, priority, base_service_id, common_limit, benefit_rule)
SELECT 'xvs_odn', 'ХВП на загальнобудинкові потреби', (SELECT id FROM units WHERE code = 'm3'), 'common_house',
       false, 6, (SELECT id FROM services WHERE code = 'xvs'), 1.5, 'none'
ON CONFLICT (code) DO NOTHING;
INSERT INTO seasons (code, name, starts_on, ends_on) VALUES
    ('heat2025', 'Опалювальний сезон 2025/26', DATE '2025-10-15', DATE '2026-04-15'),
    ('heat2026', 'Опалювальний сезон 2026/27', DATE '2026-10-15', DATE '2027-04-15')
ON CONFLICT (code) DO NOTHING;
INSERT INTO price_lists (code, name) VALUES ('base', 'Базовий') ON CONFLICT (code) DO NOTHING;
INSERT INTO tariffs (price_list_id, service_id, valid_from, price)
SELECT (SELECT id FROM price_lists WHERE code = 'base'), s.id, t.valid_from, t.price
FROM (VALUES ('xvs', DATE '2026-01-01', 28.5000), ('xvs', DATE '2026-07-01', 31.4080),
             ('gvs', DATE '2026-01-01', 98.2400), ('vv', DATE '2026-01-01', 17.1100),
             ('opal', DATE '2026-01-01', 48.6200), ('utr', DATE '2026-01-01', 8.4500),
             ('xvs_odn', DATE '2026-01-01', 28.5000), ('xvs_odn', DATE '2026-07-01', 31.4080)) AS t(code, valid_from, price)
JOIN services s ON s.code = t.code
ON CONFLICT ON CONSTRAINT tariffs_key DO NOTHING;
INSERT INTO tariff_components (tariff_id, position, name, price)
SELECT t.id, c.position, c.name, c.price
FROM tariffs t JOIN services s ON s.id = t.service_id AND s.code = 'xvs' AND t.valid_from = DATE '2026-07-01'
CROSS JOIN (VALUES (1, 'Водопостачання', 18.4210), (2, 'Транспортування', 12.9870)) AS c(position, name, price)
ON CONFLICT DO NOTHING;
INSERT INTO norms (service_id, kind, basis, valid_from, quantity)
SELECT s.id, n.kind, 'person', DATE '2026-01-01', n.quantity
FROM (VALUES ('xvs', 'consumption', 3.6000), ('xvs', 'social', 2.4000), ('vv', 'consumption', 5.9000),
             ('gvs', 'consumption', 2.3000), ('gvs', 'social', 1.6000)) AS n(code, kind, quantity)
JOIN services s ON s.code = n.code
ON CONFLICT ON CONSTRAINT norms_key DO NOTHING;
INSERT INTO penalty_rates (valid_from, rate) VALUES (DATE '2026-01-01', 15.5000), (DATE '2026-07-24', 13.5000)
ON CONFLICT (valid_from) DO NOTHING;
INSERT INTO benefits (code, name, percent, family) VALUES
    ('veteran', 'Ветеран праці', 50, true), ('chaes1', 'Постраждалий ЧАЕС, 1 категорія', 100, true),
    ('dytyna', 'Дитина війни', 25, false)
ON CONFLICT (code) DO NOTHING;
INSERT INTO benefit_services (benefit_id, service_id)
SELECT b.id, s.id FROM benefits b JOIN services s ON s.code IN ('xvs', 'gvs', 'vv', 'opal')
WHERE b.code IN ('veteran', 'chaes1', 'dytyna')
ON CONFLICT DO NOTHING;
";
