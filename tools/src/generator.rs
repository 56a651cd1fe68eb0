//! The data generator: fills a tenant with realistic synthetic data of a chosen size,
//! deterministically from a seed (the same seed and size give the same rows), for the
//! demo, tests and every benchmark.
//!
//! Everything is generated inside PostgreSQL (`INSERT … SELECT generate_series`), with
//! pseudo-random choices from `hashint8(row number + seed)`, so a million accounts take
//! seconds, not minutes of client round trips. What exists in the registry so far is
//! generated: localities, streets, buildings with apartments laid out over entrances and
//! floors, premises areas, subscribers, accounts, residents, the services, price list,
//! tariffs, norms and benefits of the demo, five services per account, beneficiaries
//! with their families. (Meters, readings and payments join as their issues land.)

use std::time::Instant;

use domain::TenantSlug;
use sea_orm::ConnectionTrait;

use backend::error::AppResult;
use backend::state::AppState;
use backend::tenancy;

/// The size and seed of a generated tenant.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub accounts: i64,
    pub seed: i64,
}

/// Seconds each step took, for the benchmark's report.
#[derive(Debug, Default)]
pub struct Report {
    pub steps: Vec<(&'static str, f64)>,
}

/// Closed months of readings and payments before the open period.
const MONTHS: i64 = 3;

/// Average apartments per building; buildings get 20–100.
const PER_BUILDING: i64 = 60;

fn steps(size: Size) -> Vec<(&'static str, String)> {
    let n = size.accounts;
    let seed = size.seed;
    let buildings = (n / PER_BUILDING).max(1);
    // r(k, x): a deterministic pseudo-random integer in 0..k for the value x.
    let r =
        |k: i64, x: &str| format!("(abs(hashint8(({x})::bigint * 7919 + {seed})::bigint) % {k})");
    vec![
        (
            "localities",
            String::from(
                "INSERT INTO localities (country, region, district, name) \
             SELECT 'UA', 'Київська', '', c FROM unnest(ARRAY['Київ','Бровари','Ірпінь','Буча','Бориспіль','Вишгород','Обухів','Фастів','Біла Церква','Васильків']) c \
             ON CONFLICT DO NOTHING",
            ),
        ),
        (
            "streets",
            String::from(
                "INSERT INTO streets (locality_id, kind, name) \
             SELECT l.id, 'street', s || CASE WHEN g > 1 THEN ' ' || g ELSE '' END \
             FROM localities l, unnest(ARRAY['Шевченка','Франка','Лесі Українки','Грушевського','Хмельницького','Сагайдачного', \
                 'Садова','Лісова','Центральна','Миру','Незалежності','Соборна','Київська','Зелена','Шкільна','Польова', \
                 'Молодіжна','Вишнева','Квіткова','Набережна']) s, generate_series(1, 3) g \
             ON CONFLICT DO NOTHING",
            ),
        ),
        (
            "buildings",
            format!(
                "INSERT INTO buildings (street_id, number, branch_id, floors, entrances, lifts, year_built) \
             SELECT st.id, (b + (SELECT count(*) FROM buildings))::text, (SELECT min(id) FROM branches WHERE code LIKE 'g%') + {br}, 5 + {fl}, 1 + {en}, CASE WHEN {fl} > 3 THEN 1 ELSE 0 END, 1960 + {yr} \
             FROM generate_series(1, {buildings}) b \
             JOIN LATERAL (SELECT id FROM streets ORDER BY id OFFSET {pick} LIMIT 1) st ON true \
             ON CONFLICT DO NOTHING",
                br = r(2, "b"),
                fl = r(5, "b + 1"),
                en = r(6, "b + 2"),
                yr = r(60, "b + 3"),
                pick = r(600, "b + 4"),
            ),
        ),
        (
            "premises",
            format!(
                "INSERT INTO premises (building_id, number, entrance, floor, rooms, stove_type) \
             SELECT b.id, a::text, 1 + (a - 1) * b.entrances / apts.k, 1 + ((a - 1) % greatest(apts.k / b.entrances, 1)) * b.floors / greatest(apts.k / b.entrances, 1), \
                    1 + {rooms}, CASE WHEN {gas} = 0 THEN 'electric' ELSE 'gas' END \
             FROM buildings b \
             JOIN LATERAL (SELECT 20 + {k} AS k) apts ON true \
             JOIN LATERAL generate_series(1, apts.k) a ON true \
             WHERE NOT EXISTS (SELECT 1 FROM premises x WHERE x.building_id = b.id) \
             ON CONFLICT DO NOTHING",
                k = r(81, "b.id"),
                rooms = r(4, "b.id * 1000 + a"),
                gas = r(3, "b.id * 1000 + a + 1"),
            ),
        ),
        (
            "premises_areas",
            format!(
                "INSERT INTO premises_areas (premises_id, valid_from, total_area, living_area, heated_area) \
             SELECT p.id, DATE '2020-01-01', a.t, round(a.t * 0.68, 4), a.t \
             FROM premises p JOIN LATERAL (SELECT round((22 + p.rooms * 15 + {frac}::numeric / 10), 4) AS t) a ON true \
             WHERE NOT EXISTS (SELECT 1 FROM premises_areas x WHERE x.premises_id = p.id)",
                frac = r(150, "p.id"),
            ),
        ),
        (
            "subscribers",
            format!(
                "INSERT INTO subscribers (kind, last_name, first_name, middle_name, tax_id, phone) \
             SELECT 'individual', \
                (ARRAY['Коваленко','Шевченко','Бондаренко','Ткаченко','Кравченко','Олійник','Мельник','Шевчук','Поліщук','Бойко', \
                       'Савченко','Руденко','Мороз','Лисенко','Марченко','Клименко','Павленко','Кузьменко','Левченко','Гончаренко', \
                       'Іваненко','Петренко','Сидоренко','Романенко','Коваль','Захарченко','Гуменюк','Приходько','Волошин','Литвиненко'])[1 + {ln}], \
                (ARRAY['Олександр','Андрій','Сергій','Володимир','Іван','Микола','Олена','Наталія','Тетяна','Ірина','Оксана','Юлія', \
                       'Максим','Дмитро','Віктор','Марія','Світлана','Петро','Галина','Богдан'])[1 + {fname}], \
                (ARRAY['Олександрович','Андрійович','Сергійович','Іванович','Миколаївна','Петрівна','Василівна','Вікторівна'])[1 + {mname}], \
                lpad(({tax})::text, 10, '0'), '+38067' || lpad(({ph})::text, 7, '0') \
             FROM generate_series(1, (SELECT count(*) FROM premises p WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.premises_id = p.id))) i",
                ln = r(30, "i"),
                fname = r(20, "i + 11"),
                mname = r(8, "i + 12"),
                tax = r(9_999_999_999, "i + 13"),
                ph = r(9_999_999, "i + 14"),
            ),
        ),
        (
            "accounts",
            format!(
                "WITH free AS ( \
                SELECT p.id, p.number, b.branch_id, concat_ws(', ', l.name, s.name, b.number) || ', кв. ' || p.number AS address, \
                       row_number() OVER (ORDER BY p.id) AS k \
                FROM premises p JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id \
                JOIN localities l ON l.id = s.locality_id \
                WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.premises_id = p.id)), \
             subs AS ( \
                SELECT id, concat_ws(' ', last_name, first_name, middle_name) AS name, row_number() OVER (ORDER BY id) AS k \
                FROM subscribers sb WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.subscriber_id = sb.id)), \
             base AS (SELECT coalesce(max(number::bigint), 0) AS n FROM accounts WHERE number ~ '^[0-9]{{1,18}}$') \
             INSERT INTO accounts (number, holder_name, address, residents, branch_id, account_type, meters, balance, \
                                   subscriber_id, premises_id, status, opened_on, meter_serials) \
             SELECT lpad((base.n + free.k)::text, 7, '0'), subs.name, free.address, 1 + {res}, free.branch_id, 'individual', \
                    1, round(({bal} - 50000)::numeric / 100, 2), subs.id, free.id, 'approved', DATE '2015-01-01' + {opened}::int, \
                    'ХВ ' || lpad((base.n + free.k)::text, 7, '0') \
             FROM free JOIN subs ON subs.k = free.k CROSS JOIN base",
                res = r(4, "free.id"),
                bal = r(250_000, "free.id + 2"),
                opened = r(3000, "free.id + 3"),
            ),
        ),
        ("pricing", crate::demo::fixture::PRICING.to_owned()),
        (
            "periods",
            // The months before the open period, closed, for readings and payments.
            format!(
                "INSERT INTO periods (month, state) \
                 SELECT (o.month - make_interval(months => k))::date, 'closed' \
                 FROM (SELECT max(month) AS month FROM periods WHERE state = 'open') o, generate_series(1, {MONTHS}) k \
                 ON CONFLICT DO NOTHING"
            ),
        ),
        (
            "residents",
            format!(
                "INSERT INTO residents (account_id, full_name, registered_from, living_from) \
             SELECT a.id, CASE WHEN g = 1 THEN a.holder_name ELSE split_part(a.holder_name, ' ', 1) || ' ' || \
                    (ARRAY['Олег','Анна','Софія','Артем','Марко','Дарина','Богдана','Тарас'])[1 + {rn}] END, \
                    a.opened_on, a.opened_on \
             FROM accounts a JOIN LATERAL generate_series(1, a.residents) g ON true \
             WHERE a.premises_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.account_id = a.id)",
                rn = r(8, "a.id * 10 + g"),
            ),
        ),
        (
            "account services",
            // Five services on every generated account (hot water and heating on most) and
            // the common-house share of cold water, from the day it opened; the building
            // gets the base price list.
            format!(
                "UPDATE buildings SET price_list_id = (SELECT id FROM price_lists WHERE code = 'base') \
                 WHERE price_list_id IS NULL; \
                 INSERT INTO account_services (account_id, service_id, starts_on) \
                 SELECT a.id, s.id, a.opened_on FROM accounts a JOIN services s ON s.code IN ('xvs', 'gvs', 'vv', 'opal', 'utr', 'xvs_odn') \
                 WHERE a.premises_id IS NOT NULL AND (s.code NOT IN ('gvs', 'opal') OR {most} < 85) \
                   AND NOT EXISTS (SELECT 1 FROM account_services x WHERE x.account_id = a.id)",
                most = r(100, "a.id * 7 + s.id"),
            ),
        ),
        (
            "meters",
            // A five-digit cold-water model verified every four years; a building meter
            // per house and an apartment meter under it for every account (all have cold
            // water), verified 2021–2023 (so some fall due soon and some are overdue).
            format!(
                "INSERT INTO meter_models (code, name, digits, verification_months) \
                 VALUES ('gen-sv15', 'СВ-15 (gen)', 5, 48) ON CONFLICT DO NOTHING; \
                 INSERT INTO meters (serial, model_id, service_id, install_method, building_id, installed_on, \
                                     initial_reading, digits, verification_months, verified_on, next_verification, \
                                     search_text) \
                 SELECT 'Б-' || b.id, m.id, s.id, 'building', b.id, DATE '2021-01-01', 100, 5, 48, \
                        DATE '2021-01-01', DATE '2025-01-01', \
                        concat_ws(' | ', 'Б-' || b.id, concat_ws(', ', l.name, st.name, b.number)) \
                 FROM buildings b JOIN streets st ON st.id = b.street_id JOIN localities l ON l.id = st.locality_id \
                 CROSS JOIN (SELECT id FROM meter_models WHERE code = 'gen-sv15') m \
                 CROSS JOIN (SELECT id FROM services WHERE code = 'xvs') s \
                 WHERE NOT EXISTS (SELECT 1 FROM meters x WHERE x.building_id = b.id AND x.install_method = 'building'); \
                 INSERT INTO meters (serial, model_id, service_id, install_method, building_id, premises_id, account_id, \
                                     installed_on, initial_reading, digits, verification_months, verified_on, \
                                     next_verification, parent_id, search_text) \
                 SELECT 'ХВ-' || a.number, m.id, s.id, 'apartment', p.building_id, p.id, a.id, v.day, \
                        1 + {initial}, 5, 48, v.day, (v.day + interval '48 months')::date, bm.id, \
                        concat_ws(' | ', 'ХВ-' || a.number, a.address) \
                 FROM accounts a JOIN services s ON s.code = 'xvs' \
                 JOIN premises p ON p.id = a.premises_id \
                 CROSS JOIN (SELECT id FROM meter_models WHERE code = 'gen-sv15') m \
                 JOIN LATERAL (SELECT DATE '2021-01-01' + {day}::int AS day) v ON true \
                 JOIN meters bm ON bm.building_id = p.building_id AND bm.install_method = 'building' \
                 WHERE NOT EXISTS (SELECT 1 FROM meters y WHERE y.account_id = a.id)",
                initial = r(900, "a.id + 31"),
                day = r(1000, "a.id + 32"),
            ),
        ),
        (
            "beneficiaries",
            // One account in twenty has a beneficiary (the holder), a family benefit
            // extending to the others living there.
            format!(
                "WITH picked AS ( \
                    SELECT a.id FROM accounts a WHERE {pick} < 5 \
                      AND NOT EXISTS (SELECT 1 FROM beneficiaries e WHERE e.account_id = a.id)), \
                 holder AS ( \
                    SELECT DISTINCT ON (r.account_id) r.account_id, r.id, r.living_from \
                    FROM residents r JOIN picked p ON p.id = r.account_id ORDER BY r.account_id, r.id), \
                 b AS ( \
                    INSERT INTO beneficiaries (account_id, resident_id, benefit_id, starts_on, document) \
                    SELECT h.account_id, h.id, (SELECT id FROM benefits WHERE code = 'veteran'), h.living_from, \
                           'посвідчення ' || h.id \
                    FROM holder h WHERE h.living_from IS NOT NULL \
                    RETURNING id, account_id, resident_id, starts_on) \
                 INSERT INTO beneficiary_members (beneficiary_id, resident_id, starts_on) \
                 SELECT b.id, r.id, b.starts_on FROM b JOIN residents r ON r.account_id = b.account_id AND r.id <> b.resident_id",
                pick = r(100, "a.id + 21"),
            ),
        ),
        (
            "readings",
            // A reading a month in the closed months for every meter (a steady 3–10 m³ per apartment, the house meter 5% above its
            // apartments together).
            format!(
                "WITH o AS (SELECT max(month) AS month FROM periods WHERE state = 'open'), \
                 apt AS (SELECT m.id, m.building_id, m.initial_reading AS base, 3 + {used} AS used FROM meters m \
                         WHERE m.install_method = 'apartment' \
                           AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id)), \
                 house AS (SELECT bm.id, bm.initial_reading AS base, round(sum(apt.used) * 1.05, 4) AS used \
                           FROM meters bm JOIN apt ON apt.building_id = bm.building_id \
                           WHERE bm.install_method = 'building' \
                             AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = bm.id) \
                           GROUP BY bm.id, bm.initial_reading), \
                 every AS (SELECT id, base, used FROM apt UNION ALL SELECT id, base, used FROM house) \
                 INSERT INTO readings (meter_id, period, taken_on, previous, current, consumption, basis, source, \
                                       entered_by, entered_at) \
                 SELECT e.id, (o.month - make_interval(months => k))::date, \
                        (o.month - make_interval(months => k - 1))::date - 3, \
                        mod(e.base + e.used * ({MONTHS} - k), 100000), mod(e.base + e.used * ({MONTHS} - k + 1), 100000), \
                        e.used, 'actual', 'controller', 'generator', o.month::timestamptz \
                 FROM every e CROSS JOIN o CROSS JOIN generate_series(1, {MONTHS}) k",
                used = r(8, "m.id + 41"),
            ),
        ),
        (
            "payments",
            // Nine accounts in ten paid each closed month, mid-month.
            format!(
                "INSERT INTO payments (account_id, period, charge_period, amount, paid_on, received_on) \
                 SELECT a.id, p.month, (p.month - interval '1 month')::date, 150 + {amount}, p.month + 14, p.month + 14 \
                 FROM accounts a CROSS JOIN periods p \
                 WHERE p.state = 'closed' AND {pays} < 90 \
                   AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.account_id = a.id AND x.period = p.month)",
                amount = r(500, "a.id * 13 + extract(month FROM p.month)::int"),
                pays = r(100, "a.id * 17 + extract(month FROM p.month)::int"),
            ),
        ),
        ("analyze", "ANALYZE".to_owned()),
    ]
}

/// Adds generated data to the tenant until it has about `size.accounts` more accounts.
pub async fn generate(state: &AppState, tenant: &TenantSlug, size: Size) -> AppResult<Report> {
    let mut report = Report::default();
    // Branches must exist for the buildings' branch column.
    let txn = tenancy::begin(&state.db, tenant).await?;
    txn.execute_unprepared(
        "INSERT INTO branches (code, name) VALUES ('g1', 'Північна'), ('g2', 'Південна') ON CONFLICT (code) DO NOTHING",
    )
    .await?;
    txn.commit().await?;
    for (name, sql) in steps(size) {
        let started = Instant::now();
        if name == "analyze" {
            analyze(state, tenant).await?;
        } else if let Some(table) = bulk_table(name) {
            without_indexes(state, tenant, table, &sql).await?;
        } else {
            let txn = tenancy::begin(&state.db, tenant).await?;
            txn.execute_unprepared(&sql).await?;
            txn.commit().await?;
        }
        report.steps.push((name, started.elapsed().as_secs_f64()));
    }
    Ok(report)
}

/// The table a step fills in bulk.
fn bulk_table(step: &str) -> Option<&'static str> {
    Some(match step {
        "accounts" => "accounts",
        "residents" => "residents",
        "account services" => "account_services",
        "meters" => "meters",
        "readings" => "readings",
        "payments" => "payments",
        _ => return None,
    })
}

#[derive(sea_orm::FromQueryResult)]
struct IndexDef {
    indexname: String,
    indexdef: String,
}

/// Runs `sql` with `table`'s secondary indexes (not those behind a key or constraint, which
/// the steps rely on) dropped, then builds them again, in one transaction: one index build
/// over a million rows costs a fraction of a million index insertions, GIN ones above all.
/// Dropping needs the table's owner, so this runs as the connection's role, inside the
/// tenant's schema.
async fn without_indexes(
    state: &AppState,
    tenant: &TenantSlug,
    table: &str,
    sql: &str,
) -> AppResult<()> {
    use sea_orm::{FromQueryResult, TransactionTrait};
    let schema = tenant.schema();
    let txn = state.owner_db.begin().await?;
    txn.execute_unprepared(&format!(
        "SET LOCAL search_path TO \"{schema}\"; SET LOCAL maintenance_work_mem = '512MB'"
    ))
    .await?;
    // The rows are consistent by construction, so when the role may, foreign-key checks
    // (a lookup per row and key) are skipped for this transaction, as a restore does.
    #[derive(sea_orm::FromQueryResult)]
    struct Super {
        rolsuper: bool,
    }
    let superuser = Super::find_by_statement(platform::sql::stmt(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
        vec![],
    ))
    .one(&txn)
    .await?
    .is_some_and(|r| r.rolsuper);
    if superuser {
        txn.execute_unprepared("SET LOCAL session_replication_role = replica")
            .await?;
    }
    let defs = IndexDef::find_by_statement(platform::sql::stmt(
        "SELECT i.indexname::text AS indexname, i.indexdef FROM pg_indexes i \
         WHERE i.schemaname = $1 AND i.tablename = $2 \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
                           WHERE n.nspname = $1 AND c.conname = i.indexname)",
        vec![schema.clone().into(), table.into()],
    ))
    .all(&txn)
    .await?;
    for d in &defs {
        txn.execute_unprepared(&format!("DROP INDEX \"{schema}\".\"{}\"", d.indexname))
            .await?;
    }
    txn.execute_unprepared(sql).await?;
    for d in &defs {
        txn.execute_unprepared(&d.indexdef).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Statistics for the planner; only the tables' owner may gather them.
async fn analyze(state: &AppState, tenant: &TenantSlug) -> AppResult<()> {
    let schema = tenant.schema();
    let tables = [
        "localities",
        "streets",
        "buildings",
        "premises",
        "premises_areas",
        "subscribers",
        "accounts",
        "residents",
        "account_services",
        "beneficiaries",
        "beneficiary_members",
        "meters",
        "readings",
        "payments",
    ];
    let list: Vec<String> = tables.iter().map(|t| format!("\"{schema}\".{t}")).collect();
    state
        .owner_db
        .execute_unprepared(&format!("ANALYZE {}", list.join(", ")))
        .await?;
    Ok(())
}
