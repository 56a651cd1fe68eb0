//! Tenant schemas: creation, idempotent migrations, and the tenant helper's scoping.

use backend::{tenancy, tenants};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::helpers::{TestApp, fresh_slug};

async fn count_accounts(app: &TestApp, tenant: &domain::TenantSlug) -> i64 {
    let txn = tenancy::begin(&app.state.db, tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let row = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM accounts",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no row"));
    let n: i64 = row.try_get("", "n").unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    n
}

/// A second, empty tenant in the same database.
async fn empty_tenant(app: &TestApp) -> domain::TenantSlug {
    let other = fresh_slug();
    let new = tenants::NewTenant::ukrainian(other.clone(), "Other");
    tenants::create(&app.state.owner_db, &new, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    other
}

#[tokio::test]
async fn each_tenant_sees_only_its_own_schema() {
    let app = TestApp::spawn().await;
    let other = empty_tenant(&app).await;
    assert_eq!(count_accounts(&app, &app.tenant).await, 8);
    assert_eq!(
        count_accounts(&app, &other).await,
        0,
        "a new tenant starts empty"
    );
    tenants::drop(&app.state.owner_db, &other)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn search_path_does_not_outlive_the_transaction() {
    let app = TestApp::spawn().await;
    // Alternate tenants many times over a small pool: a leaked search_path would make
    // one of these queries hit the wrong schema (or fail on public, which has no accounts).
    let other = empty_tenant(&app).await;
    for _ in 0..20 {
        assert_eq!(count_accounts(&app, &app.tenant).await, 8);
        assert_eq!(count_accounts(&app, &other).await, 0);
    }
    let plain = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SHOW search_path",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no row"));
    let path: String = plain
        .try_get("", "search_path")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!path.contains("tenant_"), "pooled connection kept {path}");
    tenants::drop(&app.state.owner_db, &other)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn migrations_are_idempotent_and_recorded_per_tenant() {
    let app = TestApp::spawn().await;
    tenants::migrate_tenant(&app.state.owner_db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tenants::migrate_control(&app.state.owner_db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = tenants::migrate_all_tenants(&app.state.owner_db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(all.contains(&app.tenant));
    let txn = tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = txn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get("", "version").ok())
        .collect();
    assert_eq!(names, migrations::tenant_migration_names());
}

#[tokio::test]
async fn creating_an_existing_tenant_again_keeps_its_data() {
    let app = TestApp::spawn().await;
    tenants::create(
        &app.state.owner_db,
        &tenants::NewTenant::ukrainian(app.tenant.clone(), "Again"),
        chrono::Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count_accounts(&app, &app.tenant).await, 8);
    let t = tenants::find(&app.state.owner_db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        t.name, "Водоканал «Демо»",
        "the first creation's row stands"
    );
}

/// Runs `setup` then `sql` inside tenant `who`'s unit of work and returns the database's
/// error text.
async fn denied_after(app: &TestApp, who: &domain::TenantSlug, setup: &str, sql: &str) -> String {
    let txn = tenancy::begin(&app.state.db, who)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if !setup.is_empty() {
        txn.execute_unprepared(setup)
            .await
            .unwrap_or_else(|e| panic!("{setup}: {e}"));
    }
    match txn
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
    {
        Ok(rows) => panic!("{sql} should be refused, returned {} rows", rows.len()),
        Err(e) => e.to_string(),
    }
}

async fn denied(app: &TestApp, who: &domain::TenantSlug, sql: &str) -> String {
    denied_after(app, who, "", sql).await
}

#[tokio::test]
async fn the_tenant_role_stops_queries_that_leave_the_tenant_schema() {
    let app = TestApp::spawn().await;
    let other = empty_tenant(&app).await;
    let theirs = other.schema();
    // A faulty query that switched the search_path to another tenant.
    let e = denied_after(
        &app,
        &app.tenant,
        &format!("SET LOCAL search_path TO \"{theirs}\""),
        "SELECT * FROM accounts",
    )
    .await;
    // Without USAGE on that schema PostgreSQL does not even see the table there.
    assert!(
        e.contains("does not exist") || e.contains("permission denied"),
        "{e}"
    );
    // A schema-qualified name of another tenant's table.
    let e = denied(
        &app,
        &app.tenant,
        &format!("SELECT * FROM \"{theirs}\".accounts"),
    )
    .await;
    assert!(e.contains("permission denied"), "{e}");
    // The control plane.
    let e = denied(&app, &app.tenant, "SELECT * FROM public.users").await;
    assert!(e.contains("permission denied"), "{e}");
    let e = denied(&app, &app.tenant, "SELECT * FROM public.sessions").await;
    assert!(e.contains("permission denied"), "{e}");
    tenants::drop(&app.state.owner_db, &other)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn the_audit_log_is_append_only_for_the_tenant_role() {
    let app = TestApp::spawn().await;
    let txn = tenancy::begin(&app.state.db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    txn.execute_unprepared(
        "INSERT INTO audit_log (at, entity, entity_id, action) VALUES (now(), 'x', '1', 'create')",
    )
    .await
    .unwrap_or_else(|e| panic!("insert: {e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let e = denied(&app, &app.tenant, "DELETE FROM audit_log RETURNING id").await;
    assert!(e.contains("permission denied"), "{e}");
    let e = denied(
        &app,
        &app.tenant,
        "UPDATE audit_log SET action = 'y' RETURNING id",
    )
    .await;
    assert!(e.contains("permission denied"), "{e}");
}

/// The error of a statement run on the application's own connection, outside any tenant
/// transaction (as an injected `RESET ROLE; …` would run).
async fn app_role_error(app: &TestApp, sql: &str) -> String {
    use sea_orm::TransactionTrait;
    let txn = app.state.db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    let e = match txn.execute_unprepared(sql).await {
        Ok(_) => panic!("the application's role was allowed: {sql}"),
        Err(e) => e.to_string(),
    };
    let _ = txn.rollback().await;
    e
}

/// The application signs in as its own role (infra/test sets it up as production does):
/// not a superuser, so one injected `RESET ROLE` cannot reach another tenant's data or
/// rewrite the platform audit; the production guard accepts it and refuses the owner.
#[tokio::test]
async fn the_application_role_cannot_leave_its_walls() {
    let app = TestApp::spawn().await;
    let problems = backend::guard::database_problems(&app.state.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problems.is_empty(),
        "run the tests as the application's role (APP_TEST_DATABASE_URL, see infra/test): {problems:?}"
    );
    let owner = backend::guard::database_problems(&app.state.owner_db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        owner.len() == 1 && owner[0].contains("APP_DATABASE__URL"),
        "the schemas' owner is refused as the application's role: {owner:?}"
    );
    // Tenant data: only through SET ROLE inside the tenant helper.
    let schema = app.tenant.schema();
    for sql in [
        format!("RESET ROLE; SELECT count(*) FROM \"{schema}\".accounts"),
        format!("RESET ROLE; UPDATE \"{schema}\".accounts SET number = number"),
    ] {
        let e = app_role_error(&app, &sql).await;
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    // The platform audit: written, never rewritten.
    for sql in [
        "UPDATE public.platform_audit SET action = action",
        "DELETE FROM public.platform_audit",
        "TRUNCATE public.platform_audit",
        "CREATE TABLE public.intruder (id int)",
        "CREATE SCHEMA intruder",
        "CREATE ROLE intruder",
    ] {
        let e = app_role_error(&app, sql).await;
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    app.state
        .db
        .execute_unprepared("SELECT count(*) FROM public.platform_audit")
        .await
        .unwrap_or_else(|e| panic!("the application reads the platform audit: {e}"));
}

/// A `BEGIN` cut short (its future dropped before the server answered: a client that gave
/// up, a worker task aborted at shutdown) left its connection inside a transaction that
/// sqlx did not know of. The next autocommit write on it joined that transaction and was
/// lost when the next unit of work on the connection rolled back — a sign-in's session
/// row, once, so the token it handed out was refused. The pool now rolls such a
/// connection back when it comes back.
#[tokio::test]
async fn a_begin_cut_short_does_not_swallow_the_next_write() {
    use sea_orm::TransactionTrait;
    use sea_orm::sqlx::{self, Executor};
    // One connection, so every step below gets the very connection the BEGIN used.
    let app = TestApp::spawn_with(&[("APP_DATABASE__MAX_CONNECTIONS", "1")]).await;
    let pool = app.state.db.get_postgres_connection_pool();
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    // The check tells a block from the implicit transaction of a single statement (the
    // first cut read every connection as inside a block).
    use platform::pool::in_block;
    assert!(!in_block(&mut conn).await.unwrap_or(true));
    // What a cut-short begin leaves: the block open, sqlx's transaction depth still 0.
    conn.execute("BEGIN")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(in_block(&mut conn).await.unwrap_or(false));
    drop(conn);
    let login = format!("{}.viewer", app.tenant);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE public.users SET display_name = 'Committed' WHERE login = '{login}'"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A unit of work that ends without commit (every read-only use case does).
    let txn = app.state.db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    drop(txn);
    let name: String = sqlx::query_scalar("SELECT display_name FROM public.users WHERE login = $1")
        .bind(&login)
        .fetch_one(app.state.owner_db.get_postgres_connection_pool())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(name, "Committed");
}
