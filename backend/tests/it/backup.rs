//! The backup and restore drill: a demo tenant (with a file a job made) is backed up,
//! restored as a copy beside it and, after it is purged, as itself; every table's row
//! count and digest is compared with the original's, and a damaged backup restores
//! nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use backend::storage::ObjectStore;
use domain::TenantSlug;
use sea_orm::sqlx::{self, Row};
use serde_json::json;
use tools::demo::Demo;

use crate::helpers::{PASSWORD, TestApp, fresh_slug};

/// Every table's (rows, digest), with the tenant's file prefix taken out of the rows'
/// text so a copy's object keys compare equal to the original's.
async fn digests(app: &TestApp, slug: &TenantSlug) -> BTreeMap<String, (i64, String)> {
    let pool = app.state.owner_db.get_postgres_connection_pool();
    let schema = slug.schema();
    let prefix = ObjectStore::tenant_key(slug, "");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = $1 \
         AND tablename <> 'seaql_migrations' ORDER BY 1",
    )
    .bind(&schema)
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for t in tables {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS d FROM \
             (SELECT md5(replace(x::text, $1, 'tenants/*/')) AS h FROM \"{schema}\".\"{t}\" x) y"
        )))
        .bind(&prefix)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{t}: {e}"));
        let n: i64 = row.try_get("n").unwrap_or_else(|e| panic!("{e}"));
        let d: String = row.try_get("d").unwrap_or_else(|e| panic!("{e}"));
        out.insert(t, (n, d));
    }
    out
}

fn scratch() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("backup-{}", uuid::Uuid::new_v4().simple()))
}

#[tokio::test]
async fn a_tenant_backed_up_comes_back_row_for_row_as_a_copy_and_as_itself() {
    let app = TestApp::spawn_demo(Demo::Ukraine, chrono::Utc::now()).await;
    // A file in the object store, named by a job's result.
    let worker = app.start_worker(app.state.clone(), "w-backup");
    let r = app
        .gql(
            "mutation($e: String!) { requestAccountsExport(email: $e) { id } }",
            json!({ "e": format!("admin@{}.example", app.tenant) }),
        )
        .await;
    let id = r["data"]["requestAccountsExport"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let job = app.wait_job(&id, Duration::from_secs(30)).await;
    assert_eq!(job["state"], "DONE", "{job}");
    worker.stop().await;
    let key = format!("tenants/{}/exports/accounts-{id}.csv", app.tenant);
    let file = app
        .state
        .store
        .get(&key)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let before = digests(&app, &app.tenant).await;
    let rows: i64 = before.values().map(|(n, _)| n).sum();
    assert!(
        before.len() > 40 && rows > 500,
        "{} tables, {rows} rows",
        before.len()
    );
    let dir = scratch();
    let m = backend::backup::backup(&app.state, &app.tenant, &dir)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.tables.len(), before.len());
    assert!(
        m.files.iter().any(|f| key.ends_with(&f.name)),
        "{:?}",
        m.files
    );
    assert!(!m.users.is_empty());

    // As a copy beside the original: every table equal, the files under its own prefix.
    let copy = fresh_slug();
    let r = backend::backup::restore(&app.state, &dir, Some(&copy))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.tables, r.rows, r.users), (before.len(), rows, 0));
    assert_eq!(digests(&app, &copy).await, before, "the copy's rows");
    let copied_key = format!("tenants/{copy}/exports/accounts-{id}.csv");
    assert_eq!(
        app.state
            .store
            .get(&copied_key)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        file
    );
    let pool = app.state.owner_db.get_postgres_connection_pool();
    let named: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT result->>'objectKey' FROM \"{}\".jobs WHERE id = '{id}'",
        copy.schema()
    )))
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(named, copied_key, "the copy's job names the copy's file");
    // A restore never overwrites.
    let again = backend::backup::restore(&app.state, &dir, Some(&copy)).await;
    assert!(
        again
            .as_ref()
            .is_err_and(|e| e.to_string().contains("exists")),
        "{again:?}"
    );

    // A damaged backup restores nothing: no tenant, no schema, no files.
    let damaged = scratch();
    std::fs::create_dir_all(damaged.join("tables")).unwrap_or_else(|e| panic!("{e}"));
    for entry in walk(&dir) {
        let to = damaged.join(entry.strip_prefix(&dir).unwrap_or(&entry));
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::copy(&entry, &to).unwrap_or_else(|e| panic!("{e}"));
    }
    let accounts = damaged.join("tables/accounts.copy");
    let text = std::fs::read_to_string(&accounts).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains('а'), "{text}");
    // One letter of one name changed.
    std::fs::write(&accounts, text.replacen('а', "о", 1)).unwrap_or_else(|e| panic!("{e}"));
    let lost = fresh_slug();
    let e = backend::backup::restore(&app.state, &damaged, Some(&lost))
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("accounts") && e.contains("manifest"), "{e}");
    assert!(
        backend::tenants::find(&app.state.owner_db, &lost)
            .await
            .is_err()
    );
    let schemas: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname = $1")
        .bind(lost.schema())
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schemas, 0, "no schema is left behind");
    let files = app
        .state
        .store
        .list_prefix(&ObjectStore::tenant_key(&lost, ""))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(files.is_empty(), "{files:?}");

    // Purged, then restored as itself: the same rows, users who sign in again.
    backend::tenants::drop(&app.state.owner_db, &app.tenant)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.state
        .store
        .delete_prefix(&ObjectStore::tenant_key(&app.tenant, ""))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = backend::backup::restore(&app.state, &dir, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.users, m.users.len());
    assert_eq!(
        digests(&app, &app.tenant).await,
        before,
        "the tenant's rows"
    );
    assert_eq!(
        app.state
            .store
            .get(&key)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        file
    );
    // New records continue after the restored ids.
    let s = app.tenant.schema();
    let next_is_new: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT nextval(pg_get_serial_sequence('\"{s}\".accounts', 'id')) > (SELECT max(id) FROM \"{s}\".accounts)"
    )))
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        next_is_new,
        "the accounts' sequence continues after the restored ids"
    );
    let token = app.login(&format!("{}.admin", app.tenant), PASSWORD).await;
    let r = app
        .gql_as(Some(&token), "{ summary { accounts } }", json!({}))
        .await;
    assert_eq!(r["data"]["summary"]["accounts"], 41, "{r}");
    for slug in [&copy] {
        backend::tenants::drop(&app.state.owner_db, slug)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&damaged);
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
            let p = e.unwrap_or_else(|e| panic!("{e}")).path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
