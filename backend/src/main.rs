//! `backend` command line: serve the API and web client, migrate, manage tenants.

use std::process::ExitCode;

use backend::{AppState, Settings, graphql, http, telemetry, tenants};
use platform::cli::{self, slug_arg};

const USAGE: &str = "usage:
  backend serve                 apply migrations and serve HTTP
  backend migrate [--tenant S]  apply control-plane and all (or one) tenant migrations
  backend tenant-create SLUG NAME
  backend platform-admin LOGIN  create the platform operator (password from APP_ADMIN_PASSWORD)
  backend tenant-backup SLUG DIR  back up a tenant (rows, files, users, manifest) into DIR
  backend tenant-restore DIR [--as SLUG]
                                restore a backup as its tenant (the slug and logins must be
                                free) or as a copy under another slug
  backend rotate-secrets [--tenant S]  re-seal every stored secret under APP_SECRETS__CURRENT (then
                                the old key can leave APP_SECRETS__KEYS)
  backend schema                print the GraphQL SDL";

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    cli::exit_code(run(&cli::words()).await)
}

async fn run(args: &[String]) -> anyhow::Result<()> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    if words.as_slice() == ["schema"] {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    let settings = Settings::load()?;
    let state = AppState::new(settings).await?;
    match words.as_slice() {
        ["serve"] => serve(state).await,
        ["migrate"] => {
            tenants::migrate_control(&state.owner_db).await?;
            let done = tenants::migrate_all_tenants(&state.owner_db).await?;
            println!("migrated control plane and {} tenant(s)", done.len());
            Ok(())
        }
        ["migrate", "--tenant", slug] => {
            tenants::migrate_control(&state.owner_db).await?;
            tenants::migrate_tenant(&state.owner_db, &slug_arg(slug)?).await?;
            println!("migrated tenant {slug}");
            Ok(())
        }
        ["tenant-create", slug, name] => {
            tenants::migrate_control(&state.owner_db).await?;
            let new = tenants::NewTenant::ukrainian(slug_arg(slug)?, name);
            tenants::create(&state.owner_db, &new, chrono::Utc::now()).await?;
            println!("tenant {slug} ready (schema {})", new.slug.schema());
            Ok(())
        }
        ["platform-admin", login] => {
            tenants::migrate_control(&state.owner_db).await?;
            let password = std::env::var("APP_ADMIN_PASSWORD").map_err(|_| {
                anyhow::anyhow!("set APP_ADMIN_PASSWORD to the new operator's password")
            })?;
            backend::auth::password::Policy {
                min_length: 12,
                require_mixed: true,
                forbid_login: true,
            }
            .check(login, &password)?;
            backend::admin::platform::ensure_platform_admin(&state, login, &password).await?;
            println!("platform operator {login} ready");
            Ok(())
        }
        ["tenant-backup", slug, dir] => {
            tenants::migrate_control(&state.owner_db).await?;
            let m = backend::backup::backup(&state, &slug_arg(slug)?, std::path::Path::new(dir))
                .await?;
            let rows: i64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "tenant {slug} backed up into {dir}: {} tables, {rows} rows, {} files, {} users",
                m.tables.len(),
                m.files.len(),
                m.users.len()
            );
            Ok(())
        }
        ["tenant-restore", dir, rest @ ..]
            if rest.is_empty() || rest.len() == 2 && rest[0] == "--as" =>
        {
            tenants::migrate_control(&state.owner_db).await?;
            let as_slug = rest.get(1).map(|s| slug_arg(s)).transpose()?;
            let r = backend::backup::restore(&state, std::path::Path::new(dir), as_slug.as_ref())
                .await?;
            println!(
                "tenant {} restored: {} tables, {} rows (every count and digest as backed up), {} files, {} users",
                r.slug, r.tables, r.rows, r.files, r.users
            );
            Ok(())
        }
        ["rotate-secrets", rest @ ..]
            if rest.is_empty() || rest.len() == 2 && rest[0] == "--tenant" =>
        {
            let only = rest.get(1).map(|s| slug_arg(s)).transpose()?;
            let done = backend::rotate_secrets::rotate(&state, only.as_ref()).await?;
            println!(
                "secrets re-sealed under key {}: {}; already under it: {}",
                state.settings.secrets.current, done.resealed, done.current
            );
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}

async fn serve(state: AppState) -> anyhow::Result<()> {
    let mut problems = backend::guard::problems(&state.settings);
    if !state.settings.is_development() {
        problems.extend(backend::guard::database_problems(&state.db).await?);
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "refusing to start in production on development settings:\n  {}",
            problems.join("\n  ")
        );
    }
    tenants::migrate_control(&state.owner_db).await?;
    tenants::migrate_all_tenants(&state.owner_db).await?;
    if let Err(e) = state.store.ensure_bucket().await {
        tracing::warn!("object store not ready at start: {e}");
    }
    let addr = state.settings.http.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("bind {addr} (APP_HTTP__ADDR): {e}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    tokio::select! {
        r = http::serve(listener, state) => r?,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
