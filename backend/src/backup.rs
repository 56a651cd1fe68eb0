//! One tenant's backup and restore (`backend tenant-backup SLUG DIR`, `backend
//! tenant-restore DIR [--as SLUG]`): its schema's rows (COPY text, one file per table,
//! all from one snapshot), its files in the object store, its control-plane rows (the
//! tenant and its users) and a manifest of every table's row count and digest. A restore
//! loads the rows into a schema migrated to the backup's version, checks every count and
//! digest before it commits, then migrates to this build's version.
//!
//! Rules chosen: a restore never overwrites — the target slug must be free. Without
//! `--as` the tenant comes back as it was (same id, users, logins and passwords): into a
//! fresh deployment, or after the tenant was purged. With `--as NEW` it is a copy beside
//! the original (to look at an old state): a new tenant id, its files under the new
//! prefix (the rows' object keys follow), and no users — logins are unique on the
//! platform, so the copy's people are created anew by a platform admin. Both are CLI
//! commands for the platform's operator: they read and write the machine's disk and run
//! as the schemas' owner.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use domain::TenantSlug;
use futures::TryStreamExt;
use sea_orm::sqlx::{self, PgConnection, Row};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::ObjectStore;

const FORMAT: u32 = 1;

/// What a backup holds, written last (a directory without it is not a backup).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: u32,
    pub slug: String,
    pub taken_at: chrono::DateTime<chrono::Utc>,
    /// The tenant migrations the schema had, in order.
    pub migrations: Vec<String>,
    /// `public.tenants` row, as JSON.
    pub tenant: serde_json::Value,
    /// `public.users` rows of the tenant, as JSON.
    pub users: Vec<serde_json::Value>,
    pub tables: Vec<TableInfo>,
    pub files: Vec<FileInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableInfo {
    pub name: String,
    pub rows: i64,
    /// md5 over the sorted md5s of the rows' text: independent of physical order.
    pub digest: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileInfo {
    /// The key below `tenants/<slug>/`.
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

fn io(what: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{}: {e}", what.display()))
}

fn bad_backup(why: impl std::fmt::Display) -> AppError {
    AppError::validation("backup", format!("is not a usable backup: {why}"))
}

/// A table or file name from a manifest, before it is used in SQL or a path.
fn safe_identifier(name: &str) -> AppResult<&str> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    ok.then_some(name)
        .ok_or_else(|| bad_backup(format!("table name {name:?}")))
}

fn safe_file_name(name: &str) -> AppResult<&str> {
    let ok = !name.is_empty()
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && !name.contains('\\');
    ok.then_some(name)
        .ok_or_else(|| bad_backup(format!("file name {name:?}")))
}

/// The tenant schema's tables (not the migration table), by name.
async fn tables(conn: &mut PgConnection, schema: &str) -> AppResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = $1 \
         AND tablename <> 'seaql_migrations' ORDER BY tablename",
    )
    .bind(schema)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("name").map_err(AppError::from))
        .collect()
}

/// Row count and digest of one table (see [`TableInfo::digest`]).
pub async fn table_digest(
    conn: &mut PgConnection,
    schema: &str,
    table: &str,
) -> AppResult<(i64, String)> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS d \
         FROM (SELECT md5(t::text) AS h FROM \"{schema}\".\"{table}\" t) x"
    )))
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.try_get("n")?, row.try_get("d")?))
}

/// Writes the backup of `slug` into `dir` (created; must be empty or absent).
pub async fn backup(state: &AppState, slug: &TenantSlug, dir: &Path) -> AppResult<Manifest> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .next()
            .is_some()
    {
        return Err(AppError::validation(
            "dir",
            "must be a new or empty directory",
        ));
    }
    let tables_dir = dir.join("tables");
    std::fs::create_dir_all(&tables_dir).map_err(|e| io(&tables_dir, e))?;
    let schema = slug.schema();
    let pool = state.owner_db.get_postgres_connection_pool();
    let mut tx = pool.begin().await?;
    // One snapshot for every table: the backup is a consistent moment.
    sqlx::raw_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let tenant: serde_json::Value =
        sqlx::query_scalar("SELECT to_jsonb(t) FROM public.tenants t WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("tenant {slug} does not exist")))?;
    let users: Vec<serde_json::Value> = sqlx::query_scalar(
        "SELECT to_jsonb(u) FROM public.users u JOIN public.tenants t ON t.id = u.tenant_id \
         WHERE t.slug = $1 ORDER BY u.id",
    )
    .bind(slug.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let migrations: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT version FROM \"{schema}\".seaql_migrations ORDER BY version"
    )))
    .fetch_all(&mut *tx)
    .await?;
    let mut infos = Vec::new();
    for table in tables(&mut tx, &schema).await? {
        let path = tables_dir.join(format!("{table}.copy"));
        let mut out = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
        {
            let mut stream = tx
                .copy_out_raw(&format!("COPY \"{schema}\".\"{table}\" TO STDOUT"))
                .await?;
            while let Some(chunk) = stream.try_next().await? {
                std::io::Write::write_all(&mut out, &chunk).map_err(|e| io(&path, e))?;
            }
        }
        let (rows, digest) = table_digest(&mut tx, &schema, &table).await?;
        infos.push(TableInfo {
            name: table,
            rows,
            digest,
        });
    }
    tx.commit().await?;
    let files = backup_files(&state.store, slug, &dir.join("files")).await?;
    let manifest = Manifest {
        format: FORMAT,
        slug: slug.as_str().to_owned(),
        taken_at: chrono::Utc::now(),
        migrations,
        tenant,
        users,
        tables: infos,
        files,
    };
    let path = dir.join("manifest.json");
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| AppError::Internal(format!("manifest: {e}")))?;
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    Ok(manifest)
}

async fn backup_files(
    store: &ObjectStore,
    slug: &TenantSlug,
    dir: &Path,
) -> AppResult<Vec<FileInfo>> {
    let prefix = ObjectStore::tenant_key(slug, "");
    let mut out = Vec::new();
    for key in store.list_prefix(&prefix).await? {
        let name = key.strip_prefix(&prefix).unwrap_or(&key).to_owned();
        let name = safe_file_name(&name)?.to_owned();
        let bytes = store.get(&key).await?;
        let path = dir.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, &bytes).map_err(|e| io(&path, e))?;
        out.push(FileInfo {
            name,
            bytes: bytes.len() as u64,
            sha256: hex(&sha2::Sha256::digest(&bytes)),
        });
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and checks a backup's manifest against this build.
pub fn read_manifest(dir: &Path) -> AppResult<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read(&path).map_err(|e| bad_backup(format!("{}: {e}", path.display())))?;
    let m: Manifest =
        serde_json::from_slice(&text).map_err(|e| bad_backup(format!("manifest: {e}")))?;
    if m.format != FORMAT {
        return Err(bad_backup(format!(
            "format {} (this build reads {FORMAT})",
            m.format
        )));
    }
    TenantSlug::parse(&m.slug).map_err(|e| bad_backup(format!("slug: {e}")))?;
    let ours = migrations::tenant_migration_names();
    if m.migrations.len() > ours.len() || ours[..m.migrations.len()] != m.migrations[..] {
        return Err(bad_backup(
            "it was taken by a newer or a different version (its migrations are not a beginning of this build's)",
        ));
    }
    for t in &m.tables {
        safe_identifier(&t.name)?;
    }
    for f in &m.files {
        safe_file_name(&f.name)?;
    }
    Ok(m)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub slug: TenantSlug,
    pub tables: usize,
    pub rows: i64,
    pub files: usize,
    pub users: usize,
}

/// Restores the backup in `dir` as its own tenant or, with `as_slug`, as a copy.
pub async fn restore(
    state: &AppState,
    dir: &Path,
    as_slug: Option<&TenantSlug>,
) -> AppResult<Restored> {
    let m = read_manifest(dir)?;
    let original = TenantSlug::parse(&m.slug).map_err(|e| bad_backup(format!("slug: {e}")))?;
    let slug = as_slug.cloned().unwrap_or_else(|| original.clone());
    let copy = slug != original;
    if crate::tenants::find(&state.owner_db, &slug).await.is_ok() {
        return Err(AppError::Conflict(format!(
            "tenant {slug} exists: a restore never overwrites (purge it first, or restore with --as NEW_SLUG)"
        )));
    }
    if !copy {
        let logins: Vec<String> = m
            .users
            .iter()
            .filter_map(|u| {
                u.get("login")
                    .and_then(|l| l.as_str())
                    .map(str::to_lowercase)
            })
            .collect();
        let taken: Vec<String> = sqlx::query_scalar(
            "SELECT login FROM public.users WHERE lower(login) = ANY($1) ORDER BY login",
        )
        .bind(&logins)
        .fetch_all(state.owner_db.get_postgres_connection_pool())
        .await?;
        if !taken.is_empty() {
            return Err(AppError::Conflict(format!(
                "the logins {} belong to users of this deployment: restore with --as NEW_SLUG",
                taken.join(", ")
            )));
        }
    }
    // Check the files before anything is written.
    for f in &m.files {
        let path = dir.join("files").join(&f.name);
        let bytes =
            std::fs::read(&path).map_err(|e| bad_backup(format!("{}: {e}", path.display())))?;
        if hex(&sha2::Sha256::digest(&bytes)) != f.sha256 {
            return Err(bad_backup(format!(
                "file {} does not match its digest",
                f.name
            )));
        }
    }
    let mut tenant = m.tenant.clone();
    if let Some(obj) = tenant.as_object_mut() {
        obj.insert("slug".into(), slug.as_str().into());
        // Nobody signs in while the rows arrive.
        obj.insert("status".into(), "suspended".into());
        if copy {
            obj.insert("id".into(), uuid::Uuid::new_v4().to_string().into());
            obj.insert("created_at".into(), chrono::Utc::now().to_rfc3339().into());
        }
    }
    let pool = state.owner_db.get_postgres_connection_pool();
    sqlx::query(
        "INSERT INTO public.tenants SELECT * FROM jsonb_populate_record(NULL::public.tenants, $1)",
    )
    .bind(&tenant)
    .execute(pool)
    .await?;
    let result = async {
        let steps =
            u32::try_from(m.migrations.len()).map_err(|e| AppError::Internal(e.to_string()))?;
        crate::tenants::migrate_tenant_to(&state.owner_db, &slug, steps).await?;
        let files = restore_files(&state.store, dir, &m, &slug).await?;
        let (rows, users) = load(state, dir, &m, &original, &slug, copy).await?;
        crate::tenants::migrate_tenant(&state.owner_db, &slug).await?;
        Ok::<_, AppError>(Restored {
            slug: slug.clone(),
            tables: m.tables.len(),
            rows,
            files,
            users,
        })
    }
    .await;
    if result.is_err() {
        // Nothing half-restored stays: the schema, the rows and the files go.
        let _ = crate::tenants::drop(&state.owner_db, &slug).await;
        let _ = state
            .store
            .delete_prefix(&ObjectStore::tenant_key(&slug, ""))
            .await;
    }
    result
}

async fn restore_files(
    store: &ObjectStore,
    dir: &Path,
    m: &Manifest,
    slug: &TenantSlug,
) -> AppResult<usize> {
    for f in &m.files {
        let path: PathBuf = dir.join("files").join(&f.name);
        let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
        store
            .put(
                &ObjectStore::tenant_key(slug, &f.name),
                bytes,
                "application/octet-stream",
            )
            .await?;
    }
    Ok(m.files.len())
}

/// The tables in an order that loads parents before children (foreign keys within the
/// schema); a self-reference is checked at the end of its own COPY.
async fn load_order(
    conn: &mut PgConnection,
    schema: &str,
    names: &[String],
) -> AppResult<Vec<String>> {
    let edges = sqlx::query(
        "SELECT ch.relname::text AS child, pa.relname::text AS parent FROM pg_constraint c \
         JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'f' AND n.nspname = $1 AND c.conrelid <> c.confrelid",
    )
    .bind(schema)
    .fetch_all(&mut *conn)
    .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for e in &edges {
        let (child, parent): (String, String) = (e.try_get("child")?, e.try_get("parent")?);
        if parents.contains_key(&parent)
            && let Some(set) = parents.get_mut(&child)
        {
            set.insert(parent);
        }
    }
    let mut order = Vec::new();
    let mut done = BTreeSet::new();
    while order.len() < names.len() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(n, ps)| !done.contains(*n) && ps.iter().all(|p| done.contains(p)))
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            return Err(AppError::Internal(format!(
                "the tables of {schema} reference each other in a circle"
            )));
        }
        for n in ready {
            done.insert(n.clone());
            order.push(n);
        }
    }
    Ok(order)
}

/// Loads the rows, checks them against the manifest, rewrites object keys of a copy,
/// brings back the users (not for a copy) and the tenant's status; one transaction.
async fn load(
    state: &AppState,
    dir: &Path,
    m: &Manifest,
    original: &TenantSlug,
    slug: &TenantSlug,
    copy: bool,
) -> AppResult<(i64, usize)> {
    let schema = slug.schema();
    let pool = state.owner_db.get_postgres_connection_pool();
    let mut tx = pool.begin().await?;
    let present = tables(&mut tx, &schema).await?;
    let wanted: BTreeSet<&str> = m.tables.iter().map(|t| t.name.as_str()).collect();
    let have: BTreeSet<&str> = present.iter().map(String::as_str).collect();
    if wanted != have {
        return Err(bad_backup(format!(
            "its tables differ from the schema's at its version: {:?}",
            wanted.symmetric_difference(&have).collect::<Vec<_>>()
        )));
    }
    // The migrations' own rows (reference books) make way for the backup's.
    if !present.is_empty() {
        let list: Vec<String> = present
            .iter()
            .map(|t| format!("\"{schema}\".\"{t}\""))
            .collect();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("TRUNCATE {}", list.join(", "))))
            .execute(&mut *tx)
            .await?;
    }
    let mut rows = 0;
    for table in load_order(&mut tx, &schema, &present).await? {
        let path = dir.join("tables").join(format!("{table}.copy"));
        let data =
            std::fs::read(&path).map_err(|e| bad_backup(format!("{}: {e}", path.display())))?;
        let mut c = tx
            .copy_in_raw(&format!("COPY \"{schema}\".\"{table}\" FROM STDIN"))
            .await?;
        for chunk in data.chunks(1 << 20) {
            c.send(chunk).await?;
        }
        c.finish().await?;
        let (n, digest) = table_digest(&mut tx, &schema, &table).await?;
        let info = m.tables.iter().find(|t| t.name == table);
        if info.map(|t| (t.rows, t.digest.as_str())) != Some((n, digest.as_str())) {
            return Err(bad_backup(format!(
                "table {table} loaded {n} rows that do not match the manifest"
            )));
        }
        rows += n;
    }
    // Sequences continue after the restored ids.
    let seqs = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, \
                pg_get_serial_sequence(format('%I.%I', table_schema, table_name), column_name) AS s \
         FROM information_schema.columns WHERE table_schema = $1 \
           AND (column_default LIKE 'nextval%' OR is_identity = 'YES')",
    )
    .bind(&schema)
    .fetch_all(&mut *tx)
    .await?;
    for s in seqs {
        let (t, c, seq): (String, String, Option<String>) =
            (s.try_get("t")?, s.try_get("c")?, s.try_get("s")?);
        let Some(seq) = seq else { continue };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT setval($1::regclass, coalesce((SELECT max(\"{c}\") FROM \"{schema}\".\"{t}\"), 0) + 1, false)"
        )))
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    }
    if copy {
        rewrite_keys(&mut tx, &schema, original, slug).await?;
    }
    let users = if copy {
        0
    } else {
        for u in &m.users {
            sqlx::query("INSERT INTO public.users SELECT * FROM jsonb_populate_record(NULL::public.users, $1)")
                .bind(u)
                .execute(&mut *tx)
                .await?;
        }
        m.users.len()
    };
    let status = m
        .tenant
        .get("status")
        .and_then(|s| s.as_str())
        .unwrap_or("active");
    sqlx::query("UPDATE public.tenants SET status = $2 WHERE slug = $1")
        .bind(slug.as_str())
        .bind(status)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((rows, users))
}

/// A copy's rows name its own files: every text column called `object_key` and the jobs'
/// `result.objectKey` move from the original's prefix to the copy's.
async fn rewrite_keys(
    conn: &mut PgConnection,
    schema: &str,
    original: &TenantSlug,
    slug: &TenantSlug,
) -> AppResult<()> {
    let (from, to) = (
        ObjectStore::tenant_key(original, ""),
        ObjectStore::tenant_key(slug, ""),
    );
    let holders: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.columns \
         WHERE table_schema = $1 AND column_name = 'object_key'",
    )
    .bind(schema)
    .fetch_all(&mut *conn)
    .await?;
    for t in holders {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE \"{schema}\".\"{t}\" SET object_key = $2 || substr(object_key, length($1) + 1) \
             WHERE starts_with(object_key, $1)"
        )))
        .bind(&from)
        .bind(&to)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE \"{schema}\".jobs SET result = jsonb_set(result, '{{objectKey}}', \
           to_jsonb($2 || substr(result->>'objectKey', length($1) + 1))) \
         WHERE starts_with(result->>'objectKey', $1)"
    )))
    .bind(&from)
    .bind(&to)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
